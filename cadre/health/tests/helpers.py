"""Building the history a cohort's health is computed from: past sessions with attendance
and roles, closed commitments, updates and blockers."""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment, ProgressUpdate
from cadre.cohorts.models import CohortMembership
from cadre.schedule.models import Attendance, RoleAssignment, Session


def past_session(cohort: Any, days_ago: float, present=(), absent=(), roles=None) -> Session:
    session = Session.objects.create(
        cohort=cohort, starts_at=timezone.now() - timedelta(days=days_ago)
    )
    Attendance.objects.bulk_create(
        [Attendance(session=session, user=u, status="present") for u in present]
        + [Attendance(session=session, user=u, status="absent") for u in absent]
    )
    for role, user in (roles or {}).items():
        RoleAssignment.objects.create(session=session, role=role, user=user)
    return session


def falling_attendance(cohort: Any, people: list[Any]) -> None:
    """Six weekly sessions: everyone came to the first three, one person to the last three."""
    for i in range(6):
        days = 7 * (6 - i) - 1
        if i < 3:
            past_session(cohort, days, present=people)
        else:
            past_session(cohort, days, present=people[:1], absent=people[1:])


def commitment(owner: Any, cohort: Any, status: str, days_ago: int, **extra: Any) -> Commitment:
    return Commitment.objects.create(
        owner=owner,
        cohort=cohort,
        text=f"Ship step {days_ago}",
        status=status,
        due_on=timezone.localdate() - timedelta(days=days_ago),
        **extra,
    )


def update(author: Any, cohort: Any, days_ago: float, **extra: Any) -> ProgressUpdate:
    return ProgressUpdate.objects.create(
        cohort=cohort,
        author=author,
        done="Drafted it",
        created_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


def blocker(author: Any, cohort: Any, days_ago: float, text: str = "") -> Blocker:
    u = update(author, cohort, days_ago)
    return Blocker.objects.create(
        update=u,
        text=text or f"Stuck on the data of {cohort.name}",
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def settle_in(cohort: Any, days: int = 60) -> None:
    """Make the cohort's members members for `days` already."""
    CohortMembership.objects.filter(cohort=cohort).update(
        joined_on=timezone.localdate() - timedelta(days=days)
    )


def recent_updates(cohort: Any) -> None:
    """Everyone in the cohort posted an update yesterday."""
    for m in cohort.memberships.active():
        update(m.user, cohort, 1)


def now() -> datetime:
    return timezone.now()
