"""Where events come from: Django's model signals of the apps below, so none of them
imports this app and every front door (pages, API, commands, chat, the admin) is seen. Each
receiver only emits the event (cadre.lib.events), told to subscribers once the transaction
commits; nothing here reads the database.

post_init remembers the fields whose change is an event (a cohort's status, a membership's
left_on, a commitment's status, a report's status, an experiment's outcome, a session's
held_at), so post_save can tell a change from a save that left them alone."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_init, post_save

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    Outcome,
)
from cadre.cohorts.models import Cohort, CohortMembership
from cadre.lib.events import emit
from cadre.metrics.models import Observation
from cadre.schedule.models import ReportStatus, Session, SessionReport

WATCHED: dict[type, str] = {
    Cohort: "status",
    CohortMembership: "left_on",
    Commitment: "status",
    SessionReport: "status",
    Experiment: "outcome",
    Session: "held_at",
}
SEEN = "_events_seen"


def _remember(sender: type, instance: Any, **kwargs: Any) -> None:
    field = WATCHED[sender]
    # A deferred field is not read (that would cost a query): it counts as unknown.
    if field in instance.__dict__:
        setattr(instance, SEEN, instance.__dict__[field])


def _changed(instance: Any, field: str) -> bool:
    before = getattr(instance, SEEN, None)
    now = getattr(instance, field)
    setattr(instance, SEEN, now)
    return before != now


def _membership(
    sender: type,
    instance: CohortMembership,
    created: bool,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: Any,
) -> None:
    if created:
        emit("member.joined", instance.pk, using)
    elif _changed(instance, "left_on"):
        # left_on set: they left; cleared: they came back.
        event_type = "member.joined" if instance.left_on is None else "member.left"
        emit(event_type, instance.pk, using)


def _cohort(
    sender: type, instance: Cohort, created: bool, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    if created:
        setattr(instance, SEEN, instance.status)
        emit("cohort.published", instance.pk, using)
    elif _changed(instance, "status"):
        emit("cohort.status_changed", instance.pk, using)


def _report(
    sender: type,
    instance: SessionReport,
    created: bool,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: Any,
) -> None:
    changed = _changed(instance, "status")
    if (created or changed) and instance.status == ReportStatus.PUBLISHED:
        emit("report.published", instance.pk, using)


def _session(
    sender: type, instance: Session, created: bool, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    # held_at is set once (cadre.schedule.services.count_as_held), from empty to a moment; a
    # session loaded without it (deferred) has not had it set, and is not read for it.
    if "held_at" not in instance.__dict__:
        return
    before = None if created else getattr(instance, SEEN, "unknown")
    setattr(instance, SEEN, instance.held_at)
    if before is None and instance.held_at is not None:
        emit("session.held", instance.pk, using)


def _commitment(
    sender: type, instance: Commitment, created: bool, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    if created:
        setattr(instance, SEEN, instance.status)
        emit("commitment.made", instance.pk, using)
    elif _changed(instance, "status") and instance.status == CommitmentStatus.DONE:
        emit("commitment.done", instance.pk, using)


def _blocker(
    sender: type, instance: Blocker, created: bool, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    if created:
        emit("blocker.posted", instance.pk, using)


def _experiment(
    sender: type, instance: Experiment, created: bool, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    finished = instance.outcome != Outcome.RUNNING
    if created:
        setattr(instance, SEEN, instance.outcome)
        if finished:
            emit("experiment.finished", instance.pk, using)
    elif _changed(instance, "outcome") and finished:
        emit("experiment.finished", instance.pk, using)


def _observation(
    sender: type, instance: Observation, created: bool, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    if created:
        emit("metric.recorded", instance.pk, using)


def connect() -> None:
    for model in WATCHED:
        post_init.connect(_remember, sender=model, dispatch_uid=f"events-seen-{model.__name__}")
    for model, receiver in (
        (CohortMembership, _membership),
        (Cohort, _cohort),
        (SessionReport, _report),
        (Session, _session),
        (Commitment, _commitment),
        (Blocker, _blocker),
        (Experiment, _experiment),
        (Observation, _observation),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"events-{model.__name__}")
