"""The stored weekly counts (cadre.metrics.weekly) give the figures exactly what counting
everything live gives, for every window, before and after the worker writes them, and after a
change to an old fact marks its cohort (until the worker writes its weeks again). The tests
commit for real (marks are written after a commit), so the database is emptied after each."""

import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    HelpOffer,
    ProgressUpdate,
    Visibility,
)
from cadre.metrics import figures, weekly
from cadre.metrics.models import CohortWeek, CohortWeeks
from cadre.metrics.tasks import refresh_weekly_figures
from cadre.schedule.models import Attendance, Session
from cadre.testing import run_worker

# A Wednesday afternoon: the current week and the window's first week are partial.
NOW = datetime(2026, 6, 10, 15, 30, tzinfo=UTC)
WINDOWS = [figures.RECENT, figures.RECENT.before(), figures.WHOLE]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def history(clock, cast):
    """Twelve weeks of sessions, marks, commitments and offers of help in two cohorts, at
    every hour of the week (the edges of weeks and windows included)."""
    rng = random.Random(17)
    people = [cast.host, cast.member, cast.newcomer]
    statuses = list(CommitmentStatus)
    for cohort in (cast.cohort, cast.other_cohort):
        for _ in range(30):
            days = rng.choice([rng.uniform(-3, 84), 28, 56, 0.5, 7 * rng.randint(0, 12)])
            session = Session.objects.create(
                cohort=cohort, starts_at=ago(days), cancelled=rng.random() < 0.1
            )
            for person in people:
                status = rng.choice(["present", "present", "absent", "excused"])
                Attendance.objects.create(session=session, user=person, status=status)
            Commitment.objects.create(
                cohort=cohort,
                owner=cast.member,
                text="Ship it",
                due_on=ago(days).date(),
                status=rng.choice(statuses),
                visibility=Visibility.PRIVATE if rng.random() < 0.2 else Visibility.COHORT,
            )
            update = ProgressUpdate.objects.create(
                cohort=cohort, author=cast.member, created_at=ago(days)
            )
            blocker = Blocker.objects.create(update=update, text="Stuck", created_at=ago(days))
            HelpOffer.objects.create(blocker=blocker, helper=cast.host, created_at=ago(days))
    return [cast.cohort.pk, cast.other_cohort.pk]


def live(ids: list[int]) -> list[dict[int, figures.CohortFigures]]:
    """The figures counted from the facts alone, as if no week were stored."""
    with transaction.atomic():
        CohortWeeks.objects.all().delete()
        found = figures.over(ids, WINDOWS)
        transaction.set_rollback(True)
    return found


def test_the_stored_weeks_give_the_same_figures_as_counting_live(history):
    expected = live(history)
    assert figures.over(history, WINDOWS) == expected  # nothing stored yet: all live

    assert weekly.refresh(history) == 2
    assert CohortWeek.objects.count() > 10
    spans = figures._stored_spans(history, WINDOWS, NOW)
    assert all(len(s) == 2 for s in spans)  # every window reads stored weeks
    assert figures.over(history, WINDOWS) == expected
    assert weekly.refresh(history) == 2  # twice gives the same rows
    assert figures.over(history, WINDOWS) == expected


def test_a_change_to_an_old_week_counts_its_cohort_live_until_the_worker_writes_it(
    clock, history, cast
):
    weekly.refresh(history)
    old = Commitment.objects.filter(
        cohort=cast.cohort,
        visibility=Visibility.COHORT,
        status=CommitmentStatus.OPEN,
        due_on__lt=ago(35).date(),
    ).first()
    assert old is not None
    clock.move_to(NOW + timedelta(minutes=1))
    old.status = CommitmentStatus.DONE
    old.save()  # autocommit: the mark is written at once
    assert CohortWeeks.objects.get(cohort=cast.cohort).changed_at is not None
    assert CohortWeeks.objects.get(cohort=cast.other_cohort).changed_at is None
    expected = live(history)
    assert figures.over(history, WINDOWS) == expected
    assert weekly.due() == [cast.cohort.pk]

    refresh_weekly_figures.enqueue()
    run_worker()
    assert CohortWeeks.objects.get(cohort=cast.cohort).changed_at is None
    assert figures.over(history, WINDOWS) == expected
    assert weekly.due() == []


def test_without_the_mark_the_stored_weeks_would_be_out_of_date(clock, history, cast):
    """What the mark is for: a change the stored weeks miss shows until they are rewritten."""
    weekly.refresh(history)
    whole = figures.over(history, [figures.WHOLE])[0][cast.cohort.pk]
    Commitment.objects.filter(
        cohort=cast.cohort, visibility=Visibility.COHORT, due_on__lt=ago(35).date()
    ).update(status=CommitmentStatus.DONE)  # around the signals: no mark
    assert figures.over(history, [figures.WHOLE])[0][cast.cohort.pk] == whole
    weekly.refresh(history)
    assert figures.over(history, [figures.WHOLE]) == live(history)[2:]


def test_weeks_are_due_when_new_old_or_a_week_has_ended(clock, cast):
    everyone = sorted([cast.cohort.pk, cast.other_cohort.pk])
    assert weekly.due() == everyone  # never written
    weekly.refresh_due()
    assert weekly.due() == []
    clock.move_to(datetime(2026, 6, 15, 0, 1, tzinfo=UTC))  # the next Monday
    assert weekly.due() == everyone
    weekly.refresh_due()
    clock.move_to(datetime(2026, 6, 16, 0, 2, tzinfo=UTC))  # a day later: the backstop
    assert weekly.due() == everyone


def summed(found: dict[int, figures.CohortFigures], window: figures.Window) -> tuple:
    """Every cohort's parts added up: what `figures.together` must give."""
    rows = list(found.values())
    present = sum(f.attendance.part or 0 for f in rows)
    marks = sum(f.attendance.whole or 0 for f in rows)
    done = sum(f.follow_through.part or 0 for f in rows)
    due = sum(f.follow_through.whole or 0 for f in rows)
    return (
        (present, marks),
        (done, due),
        sum(f.help_offered.count for f in rows),
        sum(f.active_members.count for f in rows),
    )


def parts(total: figures.CohortFigures) -> tuple:
    return (
        (total.attendance.part, total.attendance.whole),
        (total.follow_through.part, total.follow_through.whole),
        total.help_offered.count,
        total.active_members.count,
    )


@pytest.mark.parametrize("window", WINDOWS, ids=["recent", "before", "whole"])
def test_the_cohorts_together_are_the_sum_of_their_parts_stored_or_live(
    clock, history, cast, window
):
    expected = summed(live(history)[WINDOWS.index(window)], window)
    assert expected[1][1] > 0  # something is due in every window
    assert parts(figures.together(history, window)) == expected  # nothing stored: all live
    weekly.refresh(history)
    assert parts(figures.together(history, window)) == expected
    ft = figures.follow_through_parts(history, window)
    assert {
        pk: (f.follow_through.part, f.follow_through.whole)
        for pk, f in live(history)[WINDOWS.index(window)].items()
    } == ft
    # One cohort's facts change: it is counted live, the other read from its stored weeks.
    clock.move_to(NOW + timedelta(minutes=1))
    Commitment.objects.filter(cohort=cast.cohort, due_on__gte=ago(20).date()).update(
        status=CommitmentStatus.DONE
    )
    weekly.mark_changed([cast.cohort.pk])
    expected = summed(live(history)[WINDOWS.index(window)], window)
    assert parts(figures.together(history, window)) == expected
    assert figures.follow_through_parts(history, window) == {
        pk: (f.follow_through.part, f.follow_through.whole)
        for pk, f in live(history)[WINDOWS.index(window)].items()
    }


def test_the_cohorts_together_cost_the_same_queries_for_two_or_thirty(
    clock, cast, django_assert_num_queries
):
    from cadre.cohorts.models import Cohort, CohortStatus

    two = [cast.cohort.pk, cast.other_cohort.pk]
    weekly.refresh(two)
    with CaptureQueriesContext(connection) as small:
        figures.together(two)
        figures.follow_through_parts(two)
    more = Cohort.objects.bulk_create(
        Cohort(network=cast.network, name=f"C{i}", slug=f"c{i}", status=CohortStatus.ACTIVE)
        for i in range(28)
    )
    thirty = [*two, *(c.pk for c in more)]
    weekly.refresh(thirty[:20])  # some stored, some never written: counted live
    with CaptureQueriesContext(connection) as large:
        figures.together(thirty)
        figures.follow_through_parts(thirty)
    assert len(large) == len(small) == 9
