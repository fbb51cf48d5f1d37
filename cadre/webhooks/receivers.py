"""Where events come from: Django's model signals of the apps below, so none of them
imports this app. Each receiver only asks for an event to be recorded when the transaction
commits (services.record_on_commit); nothing here reads the database.

post_init remembers the fields whose change is an event (a cohort's status, a membership's
left_on, a commitment's status, a report's status, an experiment's outcome), so post_save can
tell a change from a save that left them alone."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_init, post_save

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    Outcome,
)
from cadre.cohorts.models import Cohort, CohortMembership
from cadre.metrics.models import Observation
from cadre.schedule.models import ReportStatus, SessionReport

from . import events
from .services import record_on_commit

WATCHED: dict[type, str] = {
    Cohort: "status",
    CohortMembership: "left_on",
    Commitment: "status",
    SessionReport: "status",
    Experiment: "outcome",
}
SEEN = "_webhooks_seen"


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


def _membership(sender: type, instance: CohortMembership, created: bool, **kwargs: Any) -> None:
    if created:
        record_on_commit("member.joined", events.membership, instance.pk)
    elif _changed(instance, "left_on"):
        # left_on set: they left; cleared: they came back.
        event_type = "member.joined" if instance.left_on is None else "member.left"
        record_on_commit(event_type, events.membership, instance.pk)


def _cohort(sender: type, instance: Cohort, created: bool, **kwargs: Any) -> None:
    if created:
        setattr(instance, SEEN, instance.status)
        record_on_commit("cohort.published", events.cohort, instance.pk)
    elif _changed(instance, "status"):
        record_on_commit("cohort.status_changed", events.cohort, instance.pk)


def _report(sender: type, instance: SessionReport, created: bool, **kwargs: Any) -> None:
    changed = _changed(instance, "status")
    if (created or changed) and instance.status == ReportStatus.PUBLISHED:
        record_on_commit("report.published", events.report, instance.pk)


def _commitment(sender: type, instance: Commitment, created: bool, **kwargs: Any) -> None:
    if created:
        setattr(instance, SEEN, instance.status)
        record_on_commit("commitment.made", events.commitment, instance.pk)
    elif _changed(instance, "status") and instance.status == CommitmentStatus.DONE:
        record_on_commit("commitment.done", events.commitment, instance.pk)


def _blocker(sender: type, instance: Blocker, created: bool, **kwargs: Any) -> None:
    if created:
        record_on_commit("blocker.posted", events.blocker, instance.pk)


def _experiment(sender: type, instance: Experiment, created: bool, **kwargs: Any) -> None:
    finished = instance.outcome != Outcome.RUNNING
    if created:
        setattr(instance, SEEN, instance.outcome)
        if finished:
            record_on_commit("experiment.finished", events.experiment, instance.pk)
    elif _changed(instance, "outcome") and finished:
        record_on_commit("experiment.finished", events.experiment, instance.pk)


def _observation(sender: type, instance: Observation, created: bool, **kwargs: Any) -> None:
    if created:
        record_on_commit("metric.recorded", events.observation, instance.pk)


def connect() -> None:
    for model in WATCHED:
        post_init.connect(_remember, sender=model, dispatch_uid=f"webhooks-seen-{model.__name__}")
    for model, receiver in (
        (CohortMembership, _membership),
        (Cohort, _cohort),
        (SessionReport, _report),
        (Commitment, _commitment),
        (Blocker, _blocker),
        (Experiment, _experiment),
        (Observation, _observation),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"webhooks-{model.__name__}")
