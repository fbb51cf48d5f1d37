"""The role rota and the slot finder: the schedule's data turned into the engine's plain
inputs (cadre.engine.rotation) and the answers turned back into rows and display values.

Who is on the rota: the cohort's active members and hosts. Observers and mentors come to
sessions but take no role. In the engine a person is "u<user id>", a session "s<id>"."""

import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from cadre.cohorts.models import Cohort, CohortRole
from cadre.people.models import HOURS_PER_WEEK, Profile

from .models import (
    DEFAULT_ROLES,
    Absence,
    CohortSchedule,
    RoleAssignment,
    RoleSwap,
    Session,
    SwapStatus,
)

ROTA_ROLES = (CohortRole.MEMBER, CohortRole.HOST)
WORKING_HOURS = range(9, 17)  # 09:00–17:00 local, Monday to Friday
WORKING_DAYS = range(5)
# The week availability is converted in (see Profile.availability_utc): a January week, so
# no zone changes its offset inside it.
REFERENCE_MONDAY = datetime(2024, 1, 1)
SLOT_COUNT = 5


def schedule_roles(cohort: Cohort) -> list[str]:
    schedule = CohortSchedule.objects.filter(cohort=cohort).first()
    return list(schedule.roles) if schedule else list(DEFAULT_ROLES)


def rota_members(cohort: Cohort) -> list[int]:
    return list(
        cohort.memberships.active()
        .filter(role__in=ROTA_ROLES)
        .order_by("joined_on", "pk")
        .values_list("user_id", flat=True)
    )


def regenerate(cohort: Cohort, now: datetime | None = None) -> str:
    """Recompute who holds which role in the cohort's upcoming sessions, fairly over the
    whole rota and counting the roles people already held; absences are honoured, and roles
    fixed by an accepted swap (`pinned`) are kept while their holder can still hold them.
    Past sessions are history: their assignments are read, never written. Pending swap
    requests for a role its asker no longer holds lapse. Returns the engine's message (""
    when nothing was to be done)."""
    from cadre.engine.rotation import rotate_roles

    now = now or timezone.now()
    with transaction.atomic():
        # Cancelled sessions hold no roles; their places go to the sessions still held.
        RoleAssignment.objects.filter(
            session__cohort=cohort, session__starts_at__gt=now, session__cancelled=True
        ).delete()
        upcoming = list(
            cohort.sessions.held().upcoming(now).order_by("starts_at").values_list("pk", flat=True)
        )
        if not upcoming:
            return ""
        roles = schedule_roles(cohort)
        members = [f"u{pk}" for pk in rota_members(cohort)]
        history: dict[int, dict[str, str]] = defaultdict(dict)
        for session_id, role, user_id in (
            RoleAssignment.objects.filter(session__cohort=cohort, session__starts_at__lte=now)
            .filter(session__cancelled=False)
            .order_by("session__starts_at", "role")
            .values_list("session_id", "role", "user_id")
        ):
            history[session_id][role] = f"u{user_id}"
        # The engine takes absences as person -> the sessions they will miss.
        absences: dict[str, set[str]] = defaultdict(set)
        for session_id, user_id in Absence.objects.filter(session_id__in=upcoming).values_list(
            "session_id", "user_id"
        ):
            absences[f"u{user_id}"].add(f"s{session_id}")
        fixed: dict[str, dict[str, str]] = defaultdict(dict)
        for session_id, role, user_id in RoleAssignment.objects.filter(
            session_id__in=upcoming, pinned=True
        ).values_list("session_id", "role", "user_id"):
            fixed[f"s{session_id}"][role] = f"u{user_id}"
        RoleAssignment.objects.filter(session_id__in=upcoming).delete()
        if not members:
            _lapse_swaps(upcoming)
            return "Nobody is on the rota yet."
        result = rotate_roles(
            members,
            [f"s{pk}" for pk in upcoming],
            roles,
            absences=dict(absences),
            past=list(history.values()),
            seed=cohort.pk,
            fixed=dict(fixed),
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(
                session_id=session_id,
                role=role,
                user_id=int(member[1:]),
                pinned=fixed.get(f"s{session_id}", {}).get(role) == member,
            )
            for session_id, assignment in zip(upcoming, result.assignments, strict=True)
            for role, member in assignment.items()
            if member is not None
        )
        _lapse_swaps(upcoming)
        return str(result.message or "")


def _lapse_swaps(sessions: Sequence[int]) -> None:
    """Close the pending swap requests whose asker no longer holds the role they offered."""
    still_held = RoleAssignment.objects.filter(
        session_id=OuterRef("session_id"), role=OuterRef("role"), user_id=OuterRef("asked_by_id")
    )
    RoleSwap.objects.filter(session_id__in=sessions, status=SwapStatus.PENDING).exclude(
        Exists(still_held)
    ).update(status=SwapStatus.LAPSED, answered_at=timezone.now())


def role_counts(sessions: Sequence[Session], roles: Sequence[str]) -> dict[int, dict[str, int]]:
    """user id -> role -> how many times, over the given sessions (with `roles` prefetched)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(roles, 0))
    for session in sessions:
        if session.cancelled:
            continue
        for assignment in session.roles.all():
            if assignment.role in roles:
                counts[assignment.user_id][assignment.role] += 1
    return counts


# --- the slot finder ------------------------------------------------------------------------


def local_hours_to_utc(time_zone: str, hours: Sequence[int]) -> list[int]:
    """Hours of the week in `time_zone` as UTC hours of the week (the same reference week as
    Profile.availability_utc)."""
    return Profile(time_zone=time_zone, availability=list(hours)).availability_utc()


def working_hours_utc(time_zone: str) -> list[int]:
    return local_hours_to_utc(
        time_zone, [day * 24 + hour for day in WORKING_DAYS for hour in WORKING_HOURS]
    )


def utc_hour_to_local(hour: int, time_zone: str) -> tuple[int, time]:
    """A UTC hour of the week -> (weekday, local time) in `time_zone`."""
    utc = (REFERENCE_MONDAY + timedelta(hours=hour % HOURS_PER_WEEK)).replace(
        tzinfo=zoneinfo.ZoneInfo("UTC")
    )
    local = utc.astimezone(zoneinfo.ZoneInfo(time_zone))
    return local.weekday(), local.time().replace(tzinfo=None)


@dataclass(frozen=True)
class Slot:
    start_utc: int
    weekday: int
    local_time: time
    end_time: time
    attendees: list[Any]
    missing: list[Any]
    in_working_hours: int
    current: bool

    @property
    def weekday_name(self) -> str:
        """The day's name in the active language."""
        return str(WEEKDAYS[self.weekday])


def find_cohort_slots(cohort: Cohort, top: int = SLOT_COUNT) -> list[Slot]:
    """The best weekly slots of the cohort's session length: most members able to come
    first, then most of them inside their working hours. Everyone active in the cohort
    counts, observers and mentors included."""
    from cadre.engine.rotation import find_slots

    memberships = list(
        cohort.memberships.active().select_related("user__profile").order_by("user__name")
    )
    people = {str(m.user_id): m.user for m in memberships}
    availability: dict[str, list[int]] = {}
    working: dict[str, list[int]] = {}
    for m in memberships:
        profile = getattr(m.user, "profile", None)
        zone = profile.time_zone if profile else "UTC"
        availability[str(m.user_id)] = profile.availability_utc() if profile else []
        working[str(m.user_id)] = working_hours_utc(zone)
    if not people:
        return []
    options = find_slots(
        availability,
        session_minutes=cohort.session_minutes,
        working_hours_utc=working,
        top=top,
    )
    schedule = CohortSchedule.objects.filter(cohort=cohort).first()
    slots = []
    for option in options:
        weekday, local = utc_hour_to_local(option.start, cohort.time_zone)
        end = (
            datetime.combine(REFERENCE_MONDAY, local) + timedelta(minutes=cohort.session_minutes)
        ).time()
        slots.append(
            Slot(
                start_utc=option.start,
                weekday=weekday,
                local_time=local,
                end_time=end,
                attendees=[people[key] for key in option.attendees if key in people],
                missing=[people[key] for key in option.missing if key in people],
                in_working_hours=option.in_working_hours,
                current=schedule is not None
                and schedule.weekday == weekday
                and schedule.local_time == local,
            )
        )
    return slots


def use_slot(schedule: CohortSchedule, start_utc: int) -> None:
    """Move the schedule to a slot from the finder (a UTC hour of the week), in the cohort's
    local time, and bring the upcoming sessions and the rota along."""
    schedule.weekday, schedule.local_time = utc_hour_to_local(start_utc, schedule.cohort.time_zone)
    schedule.save()
    schedule.sync_sessions()
    regenerate(schedule.cohort)
