"""Built-in metrics against numbers worked out by hand."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Outcome,
    ProgressUpdate,
    Visibility,
)
from cadre.metrics import builtins
from cadre.repository.models import RepositoryItem, Reuse
from cadre.schedule.models import Attendance, Session
from cadre.schedule.tests.helpers import add_members

# Two full weeks in the past: Monday 2 March and Monday 9 March 2026.
W1, W2 = date(2026, 3, 2), date(2026, 3, 9)
WEEKS = [W1, W2]
TODAY = date(2026, 3, 20)
# The clock stands on TODAY, so the cast and every date the models fill in agree with it.
pytestmark = pytest.mark.time_machine(datetime(2026, 3, 20, 12, 0, tzinfo=UTC), tick=False)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_attendance_rate_is_present_over_recorded_per_week(cast):
    people = [cast.host, cast.member, *add_members(cast.cohort, 2)]
    first = Session.objects.create(cohort=cast.cohort, starts_at=at(W1 + timedelta(days=2)))
    second = Session.objects.create(cohort=cast.cohort, starts_at=at(W2 + timedelta(days=2)))
    cancelled = Session.objects.create(
        cohort=cast.cohort, starts_at=at(W2 + timedelta(days=3)), cancelled=True
    )
    for user, status in zip(people, ["present", "present", "present", "absent"], strict=True):
        Attendance.objects.create(session=first, user=user, status=status)  # 3 of 4
    for user, status in zip(people, ["present", "excused", "absent", "absent"], strict=True):
        Attendance.objects.create(session=second, user=user, status=status)  # 1 of 3
    Attendance.objects.create(session=cancelled, user=cast.host, status="present")
    other = Session.objects.create(cohort=cast.other_cohort, starts_at=at(W1))
    Attendance.objects.create(session=other, user=cast.other_cohort_member, status="absent")
    series = builtins.attendance_rate(cast.cohort, WEEKS + [W2 + timedelta(weeks=1)])
    # Excused counts in neither part (cadre.metrics.figures.ATTENDANCE).
    assert series.points == [(W1, 75.0), (W2, 33.3), (W2 + timedelta(weeks=1), None)]


def test_follow_through_is_done_of_due_by_the_week_due(cast):
    def commitment(due, status, completed=None, **extra):
        return Commitment.objects.create(
            cohort=cast.cohort,
            owner=cast.member,
            text="Ship it by Friday",
            due_on=due,
            status=status,
            completed_at=completed,
            **extra,
        )

    friday1 = W1 + timedelta(days=4)
    commitment(friday1, CommitmentStatus.DONE, at(friday1, 9))  # on time
    commitment(friday1, CommitmentStatus.DONE, at(friday1 + timedelta(days=1)))  # late: done
    commitment(friday1, CommitmentStatus.MISSED)
    commitment(friday1, CommitmentStatus.DROPPED)  # not counted as due
    commitment(friday1, CommitmentStatus.DONE, at(friday1), visibility=Visibility.PRIVATE)
    friday2 = W2 + timedelta(days=4)
    commitment(friday2, CommitmentStatus.DONE, at(friday2 - timedelta(days=2)))
    commitment(friday2, CommitmentStatus.OPEN)
    commitment(TODAY + timedelta(days=3), CommitmentStatus.OPEN)  # not due yet
    series = builtins.follow_through(cast.cohort, WEEKS, TODAY)
    assert series.points == [(W1, 66.7), (W2, 50.0)]
    assert builtins.follow_through_counts(cast.cohort, WEEKS, TODAY) == {W1: (2, 3), W2: (1, 2)}


def test_experiments_completed_by_the_week_they_ended(cast):
    def experiment(ends, outcome, visibility=Visibility.COHORT):
        Experiment.objects.create(
            cohort=cast.cohort,
            owner=cast.member,
            title="Try it",
            capability="c",
            hypothesis="h",
            plan="p",
            starts_on=ends - timedelta(days=7),
            ends_on=ends,
            measure="m",
            outcome=outcome,
            visibility=visibility,
        )

    experiment(W1 + timedelta(days=1), Outcome.SUCCEEDED)
    experiment(W1 + timedelta(days=3), Outcome.FAILED)  # failed ones count
    experiment(W1 + timedelta(days=3), Outcome.RUNNING)
    experiment(W2, Outcome.INCONCLUSIVE)
    experiment(W2, Outcome.SUCCEEDED, Visibility.PRIVATE)
    series = builtins.experiments_completed(cast.cohort, WEEKS)
    assert series.points == [(W1, 2.0), (W2, 1.0)]


def test_help_offered_and_median_time_to_first_offer(cast):
    def blocker(posted, waited_hours, helpers):
        update = ProgressUpdate.objects.create(cohort=cast.cohort, author=cast.member)
        b = Blocker.objects.create(
            update=update,
            text="stuck",
            created_at=posted,
            first_offer_at=posted + timedelta(hours=waited_hours) if waited_hours else None,
        )
        for i, helper in enumerate(helpers):
            HelpOffer.objects.create(
                blocker=b, helper=helper, created_at=posted + timedelta(hours=waited_hours + i)
            )

    blocker(at(W1, 8), 2, [cast.host])
    blocker(at(W1 + timedelta(days=1), 8), 4, [cast.host, cast.newcomer])
    blocker(at(W1 + timedelta(days=2), 8), 9, [cast.host])
    blocker(at(W2, 8), None, [])  # still waiting: no time to first offer
    offers = builtins.help_offered(cast.cohort, WEEKS)
    assert offers.points == [(W1, 4.0), (W2, 0.0)]
    waits = builtins.time_to_first_offer(cast.cohort, WEEKS)
    assert waits.points == [(W1, 4.0), (W2, None)]
    assert waits.higher_is_better is False


def test_repository_reuse_counts_reuses_of_items_from_the_cohort(cast):
    mine = RepositoryItem.objects.create(
        network=cast.network, kind="case_study", title="Game days", origin_cohort=cast.cohort
    )
    theirs = RepositoryItem.objects.create(
        network=cast.network, kind="case_study", title="Reviews", origin_cohort=cast.other_cohort
    )
    Reuse.objects.create(item=mine, user=cast.other_cohort_member, created_at=at(W1))
    Reuse.objects.create(item=mine, user=cast.mentor, created_at=at(W1 + timedelta(days=5)))
    Reuse.objects.create(item=mine, user=cast.host, created_at=at(W2))
    Reuse.objects.create(item=theirs, user=cast.member, created_at=at(W2))
    series = builtins.repository_reuse(cast.cohort, WEEKS)
    assert series.points == [(W1, 2.0), (W2, 1.0)]


def test_coaching_sessions_are_counted_by_the_week_they_were_opened(cast):
    from cadre.coaching.models import CoachingSession

    for when, cohort in [
        (at(W1), cast.cohort),
        (at(W1 + timedelta(days=6)), cast.cohort),
        (at(W2), cast.other_cohort),
    ]:
        CoachingSession.objects.create(
            cohort=cohort, coachee=cast.member, coach=cast.host, focus="f", created_at=when
        )
    series = builtins.coaching_sessions(cast.cohort, WEEKS)
    assert series.points == [(W1, 2.0), (W2, 0.0)]


def test_all_builtins_cost_one_query_each(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(len(builtins.BUILTINS)):
        series = builtins.all_builtins(cast.cohort, TODAY)
    assert [s.key for s in series] == list(builtins.BUILTINS)
    assert all(len(s.points) == builtins.WEEKS for s in series)
    assert series[0].points[-1][0] == date(2026, 3, 16)


def test_across_cohorts_puts_the_lowest_follow_through_first(cast):
    friday = W2 + timedelta(days=4)
    for cohort, statuses in [
        (cast.cohort, [CommitmentStatus.DONE, CommitmentStatus.DONE]),
        (cast.other_cohort, [CommitmentStatus.DONE, CommitmentStatus.MISSED]),
    ]:
        for status in statuses:
            Commitment.objects.create(
                cohort=cohort,
                owner=cast.member,
                text="t",
                due_on=friday,
                status=status,
                completed_at=at(friday) if status == CommitmentStatus.DONE else None,
            )
    session = Session.objects.create(cohort=cast.cohort, starts_at=at(W2))
    Attendance.objects.create(session=session, user=cast.member, status="present")
    Attendance.objects.create(session=session, user=cast.host, status="absent")
    rows = builtins.across_cohorts(cast.network, now=at(TODAY))
    assert [
        (c, f.follow_through.value, f.attendance.value, f.follow_through.whole) for c, f in rows
    ] == [
        (cast.other_cohort, 50.0, None, 2),
        (cast.cohort, 100.0, 50.0, 2),
    ]


def test_the_series_with_their_follow_through_counts_are_the_same_in_one_query_fewer(
    cast, django_assert_max_num_queries
):
    from cadre.metrics.charts import follow_through_chart, follow_through_chart_of

    for due, status in [
        (W1 + timedelta(days=4), CommitmentStatus.DONE),
        (W1 + timedelta(days=4), CommitmentStatus.MISSED),
        (W2 + timedelta(days=1), CommitmentStatus.OPEN),
    ]:
        Commitment.objects.create(
            cohort=cast.cohort, owner=cast.member, text="Ship it", due_on=due, status=status
        )
    with django_assert_max_num_queries(len(builtins.BUILTINS)):
        series, counts = builtins.all_builtins_with_counts(cast.cohort)
    assert series == builtins.all_builtins(cast.cohort)
    assert counts == {W1: (1, 2), W2: (0, 1)}
    assert follow_through_chart_of(counts) == follow_through_chart(cast.cohort)
