"""Shared set-up for the schedule tests."""

from collections import Counter
from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from cadre.cohorts.models import CohortMembership, CohortRole
from cadre.networks.models import NetworkMembership, Role
from cadre.schedule import rota
from cadre.schedule.models import CohortSchedule, RoleAssignment, Session
from cadre.testing import make_user


def make_schedule(cohort: Any, **fields: Any) -> CohortSchedule:
    schedule = CohortSchedule.objects.create(
        cohort=cohort, **{"weekday": 1, "local_time": time(15, 0), **fields}
    )
    schedule.sync_sessions()
    rota.regenerate(cohort)
    return schedule


def add_members(cohort: Any, count: int, start: int = 0) -> list[Any]:
    """`count` more members of the cohort (and its network), with the code accepted."""
    code = cohort.network.current_code_of_conduct()
    people = []
    for n in range(start, start + count):
        user = make_user(f"extra{n}@northwind.test", f"Extra Person {n:03d}")
        NetworkMembership.objects.create(network=cohort.network, user=user, role=Role.MEMBER)
        code.acceptances.create(user=user)
        CohortMembership.objects.create(cohort=cohort, user=user, role=CohortRole.MEMBER)
        people.append(user)
    return people


def add_past_sessions(cohort: Any, count: int) -> list[Session]:
    """`count` held weekly sessions before now, with roles in a plain round robin."""
    members = rota.rota_members(cohort)
    roles = rota.schedule_roles(cohort)
    now = timezone.now()
    sessions = []
    for k in range(count):
        session = Session.objects.create(
            cohort=cohort, starts_at=now - timedelta(weeks=count - k), minutes=60
        )
        for r, role in enumerate(roles):
            RoleAssignment.objects.create(
                session=session, role=role, user_id=members[(k * len(roles) + r) % len(members)]
            )
        sessions.append(session)
    return sessions


def assignments(sessions: Any) -> list[list[tuple[str, int]]]:
    """Each session's (role, user id) pairs, for comparing before and after."""
    return [
        sorted(RoleAssignment.objects.filter(session=s).values_list("role", "user_id"))
        for s in sessions
    ]


def role_counts(cohort: Any, upcoming_only: bool = True) -> dict[str, Counter[int]]:
    """role -> Counter of user ids over the cohort's (upcoming, held) sessions."""
    rows = RoleAssignment.objects.filter(session__cohort=cohort, session__cancelled=False)
    if upcoming_only:
        rows = rows.filter(session__starts_at__gt=timezone.now())
    counts: dict[str, Counter[int]] = {}
    for role, user_id in rows.values_list("role", "user_id"):
        counts.setdefault(role, Counter())[user_id] += 1
    return counts


def make_held_session(cohort: Any, facilitator: Any, note_taker: Any, minutes: int = 60) -> Session:
    """A session that started an hour ago (so the rota leaves it alone) with `facilitator`
    and `note_taker` in those roles."""
    session = Session.objects.create(
        cohort=cohort, starts_at=timezone.now() - timedelta(hours=1), minutes=minutes
    )
    RoleAssignment.objects.create(session=session, role="facilitator", user=facilitator)
    RoleAssignment.objects.create(session=session, role="note-taker", user=note_taker)
    return session
