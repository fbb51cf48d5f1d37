"""Sessions, the role rota, absences, the schedule and its slot finder under
/networks/{slug}/cohorts/{cohort}; mentor matching under /networks/{slug}/mentors. The same
permission layer and the same functions (cadre.schedule.rota, cadre.schedule.mentoring) as
the web pages: people who may not see the cohort or network get 404, the code of conduct
comes next (cohort content), and people who may see but not change get 403."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import ErrorOut, Id, LocalTime, UserRef
from cadre.cohorts.models import Cohort
from cadre.lib import permissions
from cadre.networks.models import Network
from cadre.schedule import mentoring, rota
from cadre.schedule.models import (
    Absence,
    CohortSchedule,
    MentorMatch,
    RoleAssignment,
    Session,
    validate_roles,
)

router = Router(tags=["schedule"])

COHORT = "/networks/{slug}/cohorts/{cohort}"
MENTORS = "/networks/{slug}/mentors"


# --- schemas -------------------------------------------------------------------------------


class RoleOut(Schema):
    role: str
    user: UserRef


class SessionOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    minutes: int
    kind: str = Field(..., description="regular or one_off.")
    title: str
    cancelled: bool
    past: bool
    roles: list[RoleOut]
    absent: list[UserRef]
    i_am_absent: bool

    @staticmethod
    def resolve_past(obj: Session) -> bool:
        return obj.is_past()

    @staticmethod
    def resolve_roles(obj: Session) -> list[Any]:
        return list(obj.roles.all())

    @staticmethod
    def resolve_absent(obj: Session) -> list[Any]:
        return [a.user for a in obj.absences.all()]

    @staticmethod
    def resolve_i_am_absent(obj: Session, context: dict[str, Any]) -> bool:
        me = context["request"].auth.pk
        return any(a.user_id == me for a in obj.absences.all())


class AbsenceIn(Schema):
    note: str = Field("", max_length=200)


class AbsenceOut(Schema):
    session: int
    note: str
    created_at: datetime

    @staticmethod
    def resolve_session(obj: Absence) -> int:
        return obj.session_id


class ScheduleOut(Schema):
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday, in the cohort's time zone.")
    local_time: LocalTime
    roles: list[str]
    time_zone: str
    cadence: str
    session_minutes: int

    @staticmethod
    def resolve_time_zone(obj: CohortSchedule) -> str:
        return obj.cohort.time_zone

    @staticmethod
    def resolve_cadence(obj: CohortSchedule) -> str:
        return obj.cohort.cadence

    @staticmethod
    def resolve_session_minutes(obj: CohortSchedule) -> int:
        return obj.cohort.session_minutes


class SchedulePatch(Schema):
    """Only the fields sent change; a cohort without a schedule gets one (Tuesday 15:00 and
    the three default roles for fields left out)."""

    weekday: StrictInt = Field(None, ge=0, le=6)
    local_time: LocalTime = Field(None, description="HH:MM in the cohort's time zone.")
    roles: list[str] = Field(None, description="1 to 6 distinct role names.")


class SlotOut(Schema):
    start_utc: int = Field(..., description="UTC hour of the week, 0 = Monday 00:00.")
    weekday: int = Field(..., description="In the cohort's time zone, 0 = Monday.")
    local_time: LocalTime
    attendees: list[UserRef]
    missing: list[UserRef] = Field(..., description="Who cannot make this slot.")
    in_working_hours: int


class MatchOut(Schema):
    id: int
    mentor: UserRef
    newcomer: UserRef
    explanation: str
    created_at: datetime


class MentorProposalOut(Schema):
    mentor: UserRef
    newcomer: UserRef
    score: float
    explanation: str


class MentorLoadOut(Schema):
    user: UserRef
    capacity: int
    accepting: bool
    current: int
    proposed: int


class ProposalsOut(Schema):
    matches: list[MentorProposalOut]
    unmatched: list[UserRef]
    mentors: list[MentorLoadOut]
    message: str


class ConfirmIn(Schema):
    mentor: Id
    newcomer: Id
    explanation: str = Field("", max_length=2000)


class MineOut(Schema):
    mentor: MatchOut | None = Field(None, description="Your mentor, if you have one.")
    mentees: list[MatchOut] = Field(..., description="Your mentees, if you mentor.")


# --- helpers -------------------------------------------------------------------------------


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = permissions.get_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _editable_cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = _cohort(request, slug, cohort)
    if not permissions.can_edit_schedule(user_of(request), found):
        raise errors.forbidden(
            "Only the cohort's hosts and the network's organizers change its schedule."
        )
    return found


def _upcoming_session(request: HttpRequest, cohort: Cohort, session: int) -> Session:
    if not permissions.can_mark_absence(user_of(request), cohort):
        raise errors.forbidden("Only the cohort's active members mark absences.")
    found = Session.objects.filter(pk=session, cohort=cohort).first()
    if found is None:
        raise errors.not_found("This cohort has no such session.")
    if found.is_past() or found.cancelled:
        raise errors.invalid({"session": ["The session is over or cancelled."]})
    return found


def _organizing_network(request: HttpRequest, slug: str) -> Network:
    network = permissions.get_network_or_404(user_of(request), slug)
    if not permissions.can_manage_mentoring(user_of(request), network):
        raise errors.forbidden(f"Only the organizers of {network.name} match mentors.")
    return network


# --- sessions and absences -----------------------------------------------------------------


@router.get(COHORT + "/sessions", response={200: list[SessionOut]}, summary="Sessions")
@paginate(Pagination)
def sessions(
    request: HttpRequest, slug: str, cohort: str, include_past: bool = False
) -> QuerySet[Session]:
    """Upcoming sessions with who holds which role and who is absent, soonest first; with
    include_past=true all sessions, oldest first."""
    found = _cohort(request, slug, cohort)
    result = found.sessions.prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("user").order_by("role")),
        Prefetch("absences", queryset=Absence.objects.select_related("user")),
    )
    if not include_past:
        result = result.upcoming()
    return result.order_by("starts_at", "pk")


@router.post(
    COHORT + "/sessions/{session}/absence",
    response={200: AbsenceOut, 201: AbsenceOut},
    summary="Mark my absence",
)
def add_absence(
    request: HttpRequest, slug: str, cohort: str, session: Id, payload: AbsenceIn
) -> Status[Absence]:
    """Marks you absent from an upcoming session (201; 200 if you already were, with the
    note updated). The rota of the upcoming sessions is recomputed."""
    found = _upcoming_session(request, _cohort(request, slug, cohort), session)
    existing = Absence.objects.filter(session=found, user=user_of(request)).first()
    if existing:
        existing.note = payload.note
        existing.save(update_fields=["note"])
        return Status(200, existing)
    return Status(
        201, Absence.objects.create(session=found, user=user_of(request), note=payload.note)
    )


@router.delete(
    COHORT + "/sessions/{session}/absence",
    response={204: None, 422: ErrorOut},
    summary="Withdraw my absence",
)
def remove_absence(request: HttpRequest, slug: str, cohort: str, session: Id) -> Status[None]:
    found = _upcoming_session(request, _cohort(request, slug, cohort), session)
    absence = Absence.objects.filter(session=found, user=user_of(request)).first()
    if absence is None:
        raise errors.not_found("You are not marked absent from this session.")
    absence.delete()
    return Status(204, None)


# --- schedule and slots --------------------------------------------------------------------


@router.get(COHORT + "/schedule", response={200: ScheduleOut}, summary="Schedule")
def schedule(request: HttpRequest, slug: str, cohort: str) -> CohortSchedule:
    found = _cohort(request, slug, cohort)
    result = CohortSchedule.objects.filter(cohort=found).select_related("cohort").first()
    if result is None:
        raise errors.not_found(f"{found.name} has no schedule yet.")
    return result


@router.patch(
    COHORT + "/schedule",
    response={200: ScheduleOut},
    summary="Change the schedule (hosts, organizers)",
)
def update_schedule(
    request: HttpRequest, slug: str, cohort: str, payload: SchedulePatch
) -> CohortSchedule:
    """Upcoming regular sessions move to the new weekday and time, missing ones are added,
    and the rota is recomputed; past sessions never change."""
    found = _editable_cohort(request, slug, cohort)
    current = CohortSchedule.objects.filter(cohort=found).first() or CohortSchedule(cohort=found)
    changes = payload.model_dump(exclude_unset=True)
    if "roles" in changes and changes["roles"] is not None:
        changes["roles"] = [" ".join(r.split()) for r in changes["roles"]]
    for name, value in changes.items():
        if value is None:
            raise errors.invalid({name: ["This field may not be null."]})
        setattr(current, name, value)
    try:
        validate_roles(current.roles)
    except DjangoValidationError as exc:
        raise errors.invalid({"roles": list(exc.messages)}) from None
    current.save()
    current.sync_sessions()
    rota.regenerate(found)
    return current


@router.get(COHORT + "/slots", response={200: list[SlotOut]}, summary="Slot suggestions")
def slots(request: HttpRequest, slug: str, cohort: str) -> list[Any]:
    """The best weekly slots of the cohort's session length: the most members who can come,
    then the most of them within working hours; `missing` names who cannot."""
    return rota.find_cohort_slots(_cohort(request, slug, cohort))


# --- mentors -------------------------------------------------------------------------------


@router.get(
    MENTORS + "/proposals",
    response={200: ProposalsOut},
    summary="Proposed mentor matches (organizers)",
)
def proposals(
    request: HttpRequest, slug: str, days: int = Query(60, ge=1, le=730)
) -> dict[str, Any]:
    """Newcomers (members who joined within `days` days and have no mentor) matched to
    mentors by skill gaps against expertise, within each mentor's free places."""
    network = _organizing_network(request, slug)
    found = mentoring.propose(network, days)
    return {
        "matches": found.matches,
        "unmatched": found.unmatched,
        "mentors": [
            {
                "user": load.user,
                "capacity": load.settings.capacity,
                "accepting": load.settings.accepting,
                "current": load.current,
                "proposed": load.proposed,
            }
            for load in found.loads
        ],
        "message": found.message,
    }


@router.get(
    MENTORS + "/matches",
    response={200: list[MatchOut]},
    summary="Current mentor matches (organizers)",
)
@paginate(Pagination)
def matches(request: HttpRequest, slug: str) -> QuerySet[MentorMatch]:
    network = _organizing_network(request, slug)
    return (
        MentorMatch.objects.current()
        .filter(network=network)
        .select_related("mentor", "newcomer")
        .order_by("-created_at", "pk")
    )


@router.post(
    MENTORS + "/matches",
    response={201: MatchOut},
    summary="Confirm a mentor match (organizers)",
)
def confirm(request: HttpRequest, slug: str, payload: ConfirmIn) -> Status[MentorMatch]:
    """Records the match and e-mails the mentor and the newcomer."""
    network = _organizing_network(request, slug)
    try:
        match = mentoring.confirm(
            network, payload.mentor, payload.newcomer, user_of(request), payload.explanation
        )
    except mentoring.MatchProblem as problem:
        raise errors.invalid({problem.field: [problem.message]}, problem.message) from None
    return Status(201, match)


@router.get(MENTORS + "/mine", response={200: MineOut}, summary="My mentor, my mentees")
def mine(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = user_of(request)
    network = permissions.get_network_or_404(user, slug)
    if not permissions.can_view_own_mentoring(user, network):
        raise errors.forbidden("Partners have no mentoring in this network.")
    current = (
        MentorMatch.objects.current().filter(network=network).select_related("mentor", "newcomer")
    )
    return {
        "mentor": current.filter(newcomer=user).first(),
        "mentees": list(current.filter(mentor=user).order_by("newcomer__name", "pk")),
    }
