"""Shared set-up for the reminder tests: a fixed clock (a Monday morning) and the things
reminders are about."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment, Experiment, ProgressUpdate
from cadre.networks.models import Skill
from cadre.people.models import ProfileSkill
from cadre.schedule.models import RoleAssignment, Session, SessionReport
from cadre.testing import run_worker  # noqa: F401 (the tests import it from here)

# Monday 30 November 2026, 08:00 UTC.
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TODAY = NOW.date()


def session_in(cohort: Any, hours: float, role_for: Any = None, role: str = "facilitator"):
    session = Session.objects.create(cohort=cohort, starts_at=NOW + timedelta(hours=hours))
    if role_for is not None:
        RoleAssignment.objects.create(session=session, role=role, user=role_for)
    return session


def commit(owner: Any, cohort: Any, due_on: date, text: str = "Ship the runbook") -> Commitment:
    return Commitment.objects.create(owner=owner, cohort=cohort, text=text, due_on=due_on)


def block(author: Any, cohort: Any, skill: Any, age: timedelta = timedelta(days=3), text=""):
    update = ProgressUpdate.objects.create(cohort=cohort, author=author, done="Drafted it")
    blocker = Blocker.objects.create(
        update=update, text=text or f"Stuck on data in {cohort.name}", created_at=NOW - age
    )
    blocker.skills.set([skill])
    return blocker


def skill(network: Any, name: str = "Data analysis") -> Skill:
    return Skill.objects.get(network=network, name=name)


def rate(user: Any, skill: Skill, level: int) -> None:
    ProfileSkill.objects.create(profile=user.profile, skill=skill, level=level)


def experiment(owner: Any, cohort: Any, title: str = "Game day every sprint") -> Experiment:
    return Experiment.objects.create(
        owner=owner,
        cohort=cohort,
        title=title,
        capability="Recover fast",
        hypothesis="Practice cuts recovery time",
        plan="One game day per sprint",
        starts_on=timezone.localdate() - timedelta(days=3),
        ends_on=timezone.localdate() + timedelta(days=30),
        measure="Minutes to recover",
    )


def report(cohort: Any, days_ago: int = 1) -> SessionReport:
    session = Session.objects.create(
        cohort=cohort, starts_at=timezone.now() - timedelta(days=days_ago, hours=2)
    )
    return SessionReport.objects.create(
        session=session,
        body="All good",
        status="published",
        published_at=timezone.now() - timedelta(days=days_ago),
    )
