"""Experiments, sessions and reports for the library's tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cadre.accountability.models import Experiment
from cadre.schedule.models import RoleAssignment, Session, SessionReport


def experiment(owner: Any, cohort: Any, **fields: Any) -> Experiment:
    today = timezone.localdate()
    values = {
        "title": "Game day every sprint",
        "capability": "Incident response",
        "hypothesis": "Practising recovery halves recovery time.",
        "plan": "Run a game day in each sprint.",
        "starts_on": today - timedelta(days=30),
        "ends_on": today - timedelta(days=2),
        "measure": "Median recovery minutes",
        "baseline": "48 minutes",
        "result_data": "Median 22 minutes over 6 incidents",
        "outcome": "succeeded",
        "learnings": "Short drills beat long ones.",
        "next_steps": "Share the drill script.",
    }
    values.update(fields)
    return Experiment.objects.create(owner=owner, cohort=cohort, **values)


def upcoming_session(cohort: Any, minutes: int = 60, facilitator: Any = None) -> Session:
    session = Session.objects.create(
        cohort=cohort, starts_at=timezone.now() + timedelta(days=3), minutes=minutes
    )
    if facilitator is not None:
        RoleAssignment.objects.create(session=session, role="facilitator", user=facilitator)
    return session


def published_report(cohort: Any, note_taker: Any = None, **fields: Any) -> SessionReport:
    session = Session.objects.create(cohort=cohort, starts_at=timezone.now() - timedelta(days=2))
    if note_taker is not None:
        RoleAssignment.objects.create(session=session, role="note-taker", user=note_taker)
    values = {
        "body": "We ran the recovery drill.",
        "what_worked": "Timeboxes.",
        "what_did_not": "Too many observers.",
        "status": "published",
        "published_at": timezone.now(),
    }
    values.update(fields)
    return SessionReport.objects.create(session=session, **values)
