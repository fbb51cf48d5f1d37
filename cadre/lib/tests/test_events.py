"""The events of a transaction reach each subscriber once, together, after it commits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cadre.accountability.models import Blocker, ProgressUpdate
from cadre.lib import events as bus
from cadre.lib.events import Event


@pytest.fixture
def told() -> Iterator[list[tuple[Event, ...]]]:
    calls: list[tuple[Event, ...]] = []
    bus.subscribe("test", lambda events: calls.append(tuple(events)))
    try:
        yield calls
    finally:
        del bus._subscribers["test"]


def blockers(cast: Any, count: int) -> list[Blocker]:
    made = []
    for n in range(count):
        update = ProgressUpdate.objects.create(cohort=cast.cohort, author=cast.member)
        made.append(Blocker.objects.create(update=update, text=f"Stuck {n}"))
    return made


def test_a_transaction_of_many_writes_tells_each_subscriber_once_after_it_commits(
    cast, told, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with CaptureQueriesContext(connection) as writing:
            made = blockers(cast, 50)
        assert told == []  # nothing before the commit
        writes = len(writing.captured_queries)
    assert writes == 100  # an update and a blocker each: the detectors do not query
    assert len(told) == 1
    assert told[0] == tuple(Event("blocker.posted", b.pk) for b in made)


def test_a_rolled_back_savepoint_takes_its_events_with_it(
    cast, told, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = blockers(cast, 1)
        with pytest.raises(RuntimeError), transaction.atomic():
            blockers(cast, 2)
            raise RuntimeError("changed my mind")
        kept += blockers(cast, 1)
    told_pks = [event.pk for batch in told for event in batch]
    assert told_pks == [b.pk for b in kept]


def test_events_after_a_batch_ran_start_a_new_one(cast, told, django_capture_on_commit_callbacks):
    # Django's test helpers leave a run hook in the list; nothing may join it afterwards.
    with django_capture_on_commit_callbacks(execute=True):
        first = blockers(cast, 1)
    with django_capture_on_commit_callbacks(execute=True):
        second = blockers(cast, 1)
    assert told == [
        (Event("blocker.posted", first[0].pk),),
        (Event("blocker.posted", second[0].pk),),
    ]


def test_a_failing_subscriber_does_not_stop_the_others_or_the_change(
    cast, told, django_capture_on_commit_callbacks, caplog
):
    def broken(events: Sequence[Event]) -> None:
        raise ValueError("down")

    bus.subscribe("broken", broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            made = blockers(cast, 1)
    finally:
        del bus._subscribers["broken"]
    assert len(told) == 1
    assert Blocker.objects.filter(pk=made[0].pk).exists()
    assert "The broken subscriber failed on 1 events" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_in_autocommit_subscribers_are_told_at_once(told):
    from cadre.testing import build_cast

    cast = build_cast()
    told.clear()
    update = ProgressUpdate.objects.create(cohort=cast.cohort, author=cast.member)
    blocker = Blocker.objects.create(update=update, text="Stuck")
    assert told == [(Event("blocker.posted", blocker.pk),)]
