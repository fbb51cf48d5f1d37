"""Snapshots follow the facts: a change marks its cohort (once its transaction commits), and
the real worker recomputes it once the first change is 10 seconds old, so a burst of edits is
one refresh. The clock is moved by hand; the tests commit for real (marks are written after a
commit), so the database is emptied after each."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cadre.accountability.models import Blocker, Commitment, HelpOffer, ProgressUpdate
from cadre.cohorts.models import CohortMembership
from cadre.health import changes, facts
from cadre.health.models import CohortHealth, HealthChange
from cadre.health.tasks import refresh_changed_health
from cadre.lib import events as bus
from cadre.schedule.models import Attendance, Session
from cadre.testing import run_worker

T0 = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def marks() -> dict[int, tuple[datetime, datetime]]:
    return {m.cohort_id: (m.marked_at, m.changed_at) for m in HealthChange.objects.all()}


def worker_refresh() -> None:
    refresh_changed_health.enqueue()
    run_worker()


def test_a_burst_of_changes_is_one_refresh_by_the_worker_ten_seconds_after_it_began(clock, cast):
    cohort = cast.cohort
    session = Session.objects.create(cohort=cohort, starts_at=T0 - timedelta(days=2))
    facts.refresh_cohort(cohort)
    HealthChange.objects.all().delete()
    before = CohortHealth.objects.get(cohort=cohort)
    assert before.attendance_rate is None and before.computed_at == T0

    clock.move_to(at(60))
    Attendance.objects.create(session=session, user=cast.host, status="present")
    assert marks() == {cohort.pk: (at(60), at(60))}

    clock.move_to(at(65))  # 5 seconds later: the burst may not be over, nothing yet
    Attendance.objects.create(session=session, user=cast.member, status="absent")
    worker_refresh()
    assert CohortHealth.objects.get(cohort=cohort).computed_at == T0
    assert marks() == {cohort.pk: (at(60), at(65))}

    clock.move_to(at(71))  # 11 seconds after the first change
    worker_refresh()
    after = CohortHealth.objects.get(cohort=cohort)
    assert (after.computed_at, after.attendance_rate) == (at(71), 50.0)
    assert marks() == {}

    clock.move_to(at(120))  # nothing changed since: nothing to do
    worker_refresh()
    assert CohortHealth.objects.get(cohort=cohort).computed_at == at(71)


def test_a_change_while_the_refresh_runs_is_kept_for_the_next_one(clock, cast):
    HealthChange.objects.all().delete()
    changes.mark([cast.cohort.pk], now=at(0))
    HealthChange.objects.filter(cohort=cast.cohort).update(changed_at=at(30))
    assert changes.refresh_changed(now=at(20)) == 1  # the first change is old enough
    assert marks() == {cast.cohort.pk: (at(0), at(30))}  # but it changed after the run began
    assert changes.refresh_changed(now=at(40)) == 1
    assert marks() == {}


@pytest.mark.parametrize(
    "change",
    ["commitment", "update", "blocker", "offer", "session", "attendance", "membership"],
)
def test_each_kind_of_fact_marks_its_cohort(clock, cast, change):
    cohort = cast.cohort
    session = Session.objects.create(cohort=cohort, starts_at=T0 - timedelta(days=1))
    update = ProgressUpdate.objects.create(cohort=cohort, author=cast.member)
    blocker = Blocker.objects.create(update=update, text="Stuck")
    HealthChange.objects.all().delete()
    with transaction.atomic():
        if change == "commitment":
            Commitment.objects.create(cohort=cohort, owner=cast.member, text="Ship by Friday")
        elif change == "update":
            ProgressUpdate.objects.create(cohort=cohort, author=cast.host)
        elif change == "blocker":
            blocker.delete()
        elif change == "offer":
            HelpOffer.objects.create(blocker=blocker, helper=cast.host)
        elif change == "session":
            session.cancelled = True
            session.save()
        elif change == "attendance":
            Attendance.objects.create(session=session, user=cast.member, status="present")
        else:
            CohortMembership.objects.filter(user=cast.newcomer, cohort=cohort).get().delete()
    assert list(marks()) == [cohort.pk]


def test_thousands_of_writes_in_one_transaction_make_one_mark_per_cohort_in_a_few_queries(
    clock, cast
):
    HealthChange.objects.all().delete()
    block = transaction.atomic()
    block.__enter__()
    for n in range(600):
        cohort = cast.cohort if n % 2 else cast.other_cohort
        update = ProgressUpdate.objects.create(cohort=cohort, author=cast.member)
        blocker = Blocker.objects.create(update=update, text=f"Stuck {n}")
        HelpOffer.objects.create(blocker=blocker, helper=cast.host)
    assert not HealthChange.objects.exists()  # nothing until the commit
    with CaptureQueriesContext(connection) as queries:
        block.__exit__(None, None, None)
    reads_and_writes = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT"))
    ]
    # Health's: the cohorts of the updates, of the blockers, the cohorts that exist, the
    # upsert, and the mark on the figures' stored weeks (cadre.metrics.weekly). The 600 blockers posted are also told, together, to the event bus's
    # subscribers, which each look once for somewhere to send them (webhook endpoints, chat
    # channels; there are none).
    told = [sql for sql in reads_and_writes if '"webhooks_' in sql or '"chat_' in sql]
    assert len(told) == len(bus._subscribers) == 2
    assert len(reads_and_writes) - len(told) == 5
    assert set(marks()) == {cast.cohort.pk, cast.other_cohort.pk}
    clock.move_to(at(15))
    worker_refresh()
    assert CohortHealth.objects.filter(computed_at=at(15)).count() == 2
    assert not HealthChange.objects.exists()


def test_a_rolled_back_change_marks_nothing(clock, cast):
    HealthChange.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        Commitment.objects.create(cohort=cast.cohort, owner=cast.member, text="t")
        raise RuntimeError("changed my mind")
    Commitment.objects.create(cohort=cast.other_cohort, owner=cast.member, text="t")
    assert set(marks()) == {cast.other_cohort.pk}


def test_a_deleted_cohort_leaves_no_mark(clock, cast):
    Commitment.objects.create(cohort=cast.other_cohort, owner=cast.member, text="t")
    HealthChange.objects.all().delete()
    with transaction.atomic():
        cast.other_cohort.delete()
    assert marks() == {}


def test_only_running_cohorts_are_recomputed_and_their_marks_cleared(clock, cast):
    HealthChange.objects.all().delete()
    cast.other_cohort.status = "paused"
    cast.other_cohort.save()
    changes.mark([cast.cohort.pk, cast.other_cohort.pk], now=at(0))
    assert changes.refresh_changed(now=at(10)) == 1
    assert list(CohortHealth.objects.values_list("cohort_id", flat=True)) == [cast.cohort.pk]
    assert marks() == {}


def test_other_commit_hooks_between_the_writes_do_not_split_the_batch(clock, cast):
    HealthChange.objects.all().delete()
    ran: list[int] = []
    block = transaction.atomic()
    block.__enter__()
    for n in range(50):
        Commitment.objects.create(cohort=cast.cohort, owner=cast.member, text=f"t{n}")
        transaction.on_commit(lambda: ran.append(1))  # another app's hook
    with CaptureQueriesContext(connection) as queries:
        block.__exit__(None, None, None)
    assert len(ran) == 50
    upserts = [q for q in queries.captured_queries if "health_healthchange" in q["sql"]]
    assert len(upserts) == 1 and set(marks()) == {cast.cohort.pk}
