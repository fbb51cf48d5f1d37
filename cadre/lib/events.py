"""What happened in Cadre, told to the apps that pass it on once the change is committed.

`emit(name, pk)` says that something happened to the row `pk`: the detectors in
`cadre.events.detect` do it for model changes, whichever front door made them, and a service
may do it for what no single row shows (a coffee round announced). It lives in `lib` so that
an app of any layer can emit without importing the apps that listen. Subscribers
(outgoing webhooks; chat notices) get all the events of one transaction together, in one call,
after it commits: a transaction that saves thousands of rows costs each subscriber one look at
its own configuration, not one per row, and an event from a transaction or savepoint that rolls
back is never told. Outside a transaction the write is already committed and subscribers are
told at once.

A subscriber must be quick and must not raise: it records what it will send and lets the
worker send it. One that raises is logged and the others are still told; the change itself
stands."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS

from cadre.lib.commit_batch import CommitBatch, joined_batch

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    name: str
    pk: int


Subscriber = Callable[[Sequence[Event]], object]
_subscribers: dict[str, Subscriber] = {}


def subscribe(key: str, subscriber: Subscriber) -> None:
    """Called from an AppConfig.ready(); the same key again replaces the subscriber."""
    _subscribers[key] = subscriber


class _Batch(CommitBatch):
    def __init__(self) -> None:
        self.events: list[Event] = []

    def run(self) -> None:
        events, self.events = tuple(self.events), []
        tell(events)


def tell(events: Sequence[Event]) -> None:
    if not events:
        return
    for key, subscriber in list(_subscribers.items()):
        try:
            subscriber(events)
        except Exception:
            logger.exception("The %s subscriber failed on %d events", key, len(events))


def emit(name: str, pk: int, using: str = DEFAULT_DB_ALIAS) -> None:
    event = Event(name, pk)
    batch = joined_batch("events", _Batch, using)
    if batch is None:
        tell((event,))
    else:
        batch.events.append(event)
