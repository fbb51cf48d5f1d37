"""Sessions, the role rota, absences, the schedule and its slot finder under
/networks/{slug}/cohorts/{cohort}; mentor matching under /networks/{slug}/mentors. The same
policy and the same services (cadre.schedule.policy, cadre.schedule.services) as the web
pages: people who may not see the cohort or network get 404, the code of conduct
comes next (cohort content), and people who may see but not change get 403."""

import datetime as dt
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import Date, ErrorOut, Id, LocalTime, Omittable, UserRef
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import get_cohort_or_404
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404
from cadre.schedule import rota, rsvp, services
from cadre.schedule.models import (
    Absence,
    CohortSchedule,
    Holiday,
    MentorMatch,
    RoleAssignment,
    RoleSwap,
    Rsvp,
    Session,
)

router = Router(tags=["schedule"])

COHORT = "/networks/{slug}/cohorts/{cohort}"
MENTORS = "/networks/{slug}/mentors"
OWN_PLACE = "This session's own place; empty: the schedule's."


# --- schemas -------------------------------------------------------------------------------


class RoleOut(Schema):
    role: str
    user: UserRef


def _no_nulls(changes: dict[str, Any]) -> None:
    """A field sent in a PATCH is changed to what was sent, so it may not be null."""
    for name, value in changes.items():
        if value is None:
            raise errors.invalid({name: ["This field may not be null."]})


def _opens_sessions(context: dict[str, Any], row: Session) -> bool:
    """A session's own link and place, like the schedule's, are for who opens its page."""
    return services.sees_where(context["request"].auth, row.cohort)


class WhereOut(Schema):
    meeting_url: str = Field(..., description="The online meeting link (https), or empty.")
    place: str = Field(..., description="Where people meet in person, or empty.")


class SessionOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    minutes: int
    kind: str = Field(..., description="regular or one_off.")
    title: str
    meeting_url: str = Field(..., description="This session's own link; empty: the schedule's.")
    place: str = Field(..., description=OWN_PLACE)
    where: WhereOut = Field(..., description="The link and place in effect for this session.")
    cancelled: bool
    past: bool
    roles: list[RoleOut]
    absent: list[UserRef]
    i_am_absent: bool

    @staticmethod
    def resolve_where(obj: Session, context: dict[str, Any]) -> Any:
        return services.where_for(context["request"].auth, obj)

    @staticmethod
    def resolve_meeting_url(obj: Session, context: dict[str, Any]) -> str:
        return obj.meeting_url if _opens_sessions(context, obj) else ""

    @staticmethod
    def resolve_place(obj: Session, context: dict[str, Any]) -> str:
        return obj.place if _opens_sessions(context, obj) else ""

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


class RsvpIn(Schema):
    answer: str = Field(description="yes, no or maybe")


class RsvpOut(Schema):
    session: int
    answer: str
    answered_at: datetime

    @staticmethod
    def resolve_session(obj: Rsvp) -> int:
        return obj.session_id


class ExpectedOut(Schema):
    """Counted over the cohort's active members; one who said they cannot come (an absence)
    and gave no answer counts as not coming."""

    coming: int = Field(description="answered yes")
    not_coming: int = Field(description="answered no, or said they cannot come")
    maybe: int = Field(description="answered maybe")
    unanswered: int = Field(description="have not answered")


class AbsenceOut(Schema):
    session: int
    note: str
    created_at: datetime

    @staticmethod
    def resolve_session(obj: Absence) -> int:
        return obj.session_id


class DayOffOut(Schema):
    date: dt.date
    name: str


class ScheduleOut(Schema):
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday, in the cohort's time zone.")
    local_time: LocalTime
    roles: list[str]
    time_zone: str
    cadence: str
    session_minutes: int
    session_count: int = Field(
        ..., description="Regular sessions in the series, those already held included."
    )
    skip_default_holidays: bool = Field(
        ..., description="Whether no session is booked on 25 December and 1 January."
    )
    meeting_url: str = Field(..., description="Every session's link unless it has its own.")
    place: str = Field(..., description="Every session's place unless it has its own.")
    skipped: list[DayOffOut] = Field(
        ..., description="Holidays the rest of the series skips; each session moves on."
    )

    @staticmethod
    def resolve_skipped(obj: CohortSchedule) -> list[dict[str, Any]]:
        return [{"date": day, "name": name} for day, name in services.skipped_days(obj)]

    @staticmethod
    def resolve_meeting_url(obj: CohortSchedule, context: dict[str, Any]) -> str:
        return services.where_for(context["request"].auth, obj).meeting_url

    @staticmethod
    def resolve_place(obj: CohortSchedule, context: dict[str, Any]) -> str:
        return services.where_for(context["request"].auth, obj).place

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

    weekday: Omittable[StrictInt] = Field(None, ge=0, le=6)
    local_time: Omittable[LocalTime] = Field(None, description="HH:MM in the cohort's time zone.")
    roles: Omittable[list[str]] = Field(None, description="1 to 6 distinct role names.")
    session_count: Omittable[StrictInt] = Field(
        None,
        ge=1,
        le=104,
        description="Regular sessions in the series (1 to 104), those already held included; "
        "lowering it removes the last upcoming sessions.",
    )
    skip_default_holidays: Omittable[bool] = Field(
        None, description="Book no session on 25 December and 1 January (true by default)."
    )
    meeting_url: Omittable[str] = Field(
        None, description="An https:// meeting link for every session; empty for none."
    )
    place: Omittable[str] = Field(None, description="Where sessions meet in person; empty: none.")
    generate_room_link: Omittable[bool] = Field(
        None,
        description="true: make a new room link on the configured video service "
        "(CADRE_VIDEO_ROOM_PATTERN) instead of meeting_url.",
    )


class SessionTitleIn(Schema):
    """Only the fields sent change."""

    title: Omittable[str] = Field(None, max_length=120, description="Empty for no title.")
    meeting_url: Omittable[str] = Field(
        None, description="This session's own https:// link; empty: the schedule's."
    )
    place: Omittable[str] = Field(None, description=OWN_PLACE)


class HolidayOut(Schema):
    id: int
    date: dt.date
    name: str
    network_wide: bool = Field(..., description="For every cohort of the network.")

    @staticmethod
    def resolve_date(obj: Holiday) -> dt.date:
        return obj.on


class HolidayIn(Schema):
    date: Date
    name: str = Field(..., min_length=1, max_length=80)
    network_wide: bool = Field(False, description="Organizers only: every cohort skips it.")


class SwapOut(Schema):
    id: int
    session: int
    starts_at: datetime
    role: str
    asked_by: UserRef
    partner: UserRef
    status: str = Field(..., description="pending, accepted, declined, withdrawn or lapsed.")
    created_at: datetime
    answered_at: datetime | None

    @staticmethod
    def resolve_session(obj: RoleSwap) -> int:
        return obj.session_id

    @staticmethod
    def resolve_starts_at(obj: RoleSwap) -> datetime:
        return obj.session.starts_at


class SwapIn(Schema):
    role: str = Field(..., min_length=1, max_length=40, description="Your role in the session.")
    partner: Id = Field(..., description="User id of the active member asked to take it.")


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
    found = get_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _organizing_network(request: HttpRequest, slug: str) -> Network:
    network = get_network_or_404(user_of(request), slug)
    services.require_mentoring_manager(user_of(request), network)
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
    result = found.sessions.all().prefetch_related(
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
    absence, created = services.mark_absent(
        user_of(request), _cohort(request, slug, cohort), session=session, note=payload.note
    )
    return Status(201 if created else 200, absence)


@router.delete(
    COHORT + "/sessions/{session}/absence",
    response={204: None, 422: ErrorOut},
    summary="Withdraw my absence",
)
def remove_absence(request: HttpRequest, slug: str, cohort: str, session: Id) -> Status[None]:
    services.withdraw_absence(user_of(request), _cohort(request, slug, cohort), session=session)
    return Status(204, None)


@router.put(
    COHORT + "/sessions/{session}/rsvp",
    response={200: RsvpOut},
    summary="Say whether I am coming",
)
def put_rsvp(request: HttpRequest, slug: str, cohort: str, session: Id, payload: RsvpIn) -> Rsvp:
    """Your answer to an upcoming session's invitation: yes, no or maybe (replacing the one
    you gave before). The same answer as the session page and the invitation e-mail's link;
    the cohort's active members only, until the session starts."""
    found = services.cohort_session(_cohort(request, slug, cohort), session=session)
    return rsvp.respond(user_of(request), found, answer=payload.answer)


@router.get(
    COHORT + "/sessions/{session}/rsvps",
    response={200: ExpectedOut},
    summary="Expected attendance (who runs the session)",
)
def rsvps(request: HttpRequest, slug: str, cohort: str, session: Id) -> rsvp.Expected:
    """How many of the cohort's active members are coming, not coming or maybe, and how many
    have not answered: the counts the session page and the run view show. For those who run
    the session (its facilitator, the cohort's hosts and the network's organizers); others
    get 403."""
    found = services.cohort_session(_cohort(request, slug, cohort), session=session)
    return services.expected_at(user_of(request), found)


def _with_roles(session: Session) -> Session:
    return (
        Session.objects.filter(pk=session.pk)
        .prefetch_related(
            Prefetch(
                "roles", queryset=RoleAssignment.objects.select_related("user").order_by("role")
            ),
            Prefetch("absences", queryset=Absence.objects.select_related("user")),
        )
        .get()
    )


@router.patch(
    COHORT + "/sessions/{session}",
    response={200: SessionOut},
    summary="Rename a session or set where it meets (hosts, organizers)",
)
def rename_session(
    request: HttpRequest, slug: str, cohort: str, session: Id, payload: SessionTitleIn
) -> Session:
    """The title, meeting link and place show on the session's page, reminders and calendar
    files. Only the fields sent change."""
    changes = payload.model_dump(exclude_unset=True)
    _no_nulls(changes)
    found = services.update_session(
        user_of(request), _cohort(request, slug, cohort), session=session, **changes
    )
    return _with_roles(found)


# --- holidays ------------------------------------------------------------------------------


@router.get(COHORT + "/holidays", response={200: list[HolidayOut]}, summary="Holidays")
def holidays(request: HttpRequest, slug: str, cohort: str) -> list[Holiday]:
    """The network's holidays and the cohort's own from today on, soonest first. No regular
    session is booked on them, nor on 25 December and 1 January unless the schedule says so."""
    found = _cohort(request, slug, cohort)
    return services.holidays_of(found, since=found.today())


@router.post(
    COHORT + "/holidays",
    response={201: HolidayOut},
    summary="Add a holiday (hosts; organizers for the network)",
)
def add_holiday(
    request: HttpRequest, slug: str, cohort: str, payload: HolidayIn
) -> Status[Holiday]:
    """The cohort's upcoming sessions on that day (every cohort's, for a network-wide
    holiday) move to the next meeting date; the series keeps its number of sessions."""
    holiday = services.add_holiday(
        user_of(request),
        _cohort(request, slug, cohort),
        on=payload.date,
        name=payload.name,
        network_wide=payload.network_wide,
    )
    return Status(201, holiday)


@router.delete(
    COHORT + "/holidays/{holiday}",
    response={204: None},
    summary="Remove a cohort's holiday",
)
def remove_holiday(request: HttpRequest, slug: str, cohort: str, holiday: Id) -> Status[None]:
    """Removes one of the cohort's own holidays; the network's are removed by its organizers
    on the holidays page. The sessions of the series move back onto the day."""
    services.remove_holiday(
        user_of(request), _cohort(request, slug, cohort), holiday=holiday, own_only=True
    )
    return Status(204, None)


# --- swapping roles ------------------------------------------------------------------------


@router.get(COHORT + "/swaps", response={200: list[SwapOut]}, summary="My pending role swaps")
def swaps(request: HttpRequest, slug: str, cohort: str) -> list[RoleSwap]:
    """The requests of upcoming sessions waiting for an answer that you made or were asked."""
    return services.swaps_for(user_of(request), _cohort(request, slug, cohort))


@router.post(
    COHORT + "/sessions/{session}/swaps",
    response={201: SwapOut, 409: ErrorOut},
    summary="Ask to swap my role",
)
def ask_swap(
    request: HttpRequest, slug: str, cohort: str, session: Id, payload: SwapIn
) -> Status[RoleSwap]:
    """Asks the member `partner` to take your role in an upcoming session (you take theirs
    if they hold one there). They are e-mailed; the role stays yours until they accept."""
    swap = services.ask_swap(
        user_of(request),
        _cohort(request, slug, cohort),
        session=session,
        role=payload.role,
        partner=payload.partner,
    )
    return Status(201, swap)


@router.post(
    COHORT + "/swaps/{swap}/accept", response={200: SwapOut, 409: ErrorOut}, summary="Accept a swap"
)
def accept_swap(request: HttpRequest, slug: str, cohort: str, swap: Id) -> RoleSwap:
    """The roles change hands and stay so; the rota evens out the later sessions."""
    found = _cohort(request, slug, cohort)
    return services.answer_swap(user_of(request), found, swap=swap, accept=True)


@router.post(
    COHORT + "/swaps/{swap}/decline",
    response={200: SwapOut, 409: ErrorOut},
    summary="Decline a swap",
)
def decline_swap(request: HttpRequest, slug: str, cohort: str, swap: Id) -> RoleSwap:
    found = _cohort(request, slug, cohort)
    return services.answer_swap(user_of(request), found, swap=swap, accept=False)


@router.post(
    COHORT + "/swaps/{swap}/withdraw",
    response={200: SwapOut, 409: ErrorOut},
    summary="Withdraw my swap request",
)
def withdraw_swap(request: HttpRequest, slug: str, cohort: str, swap: Id) -> RoleSwap:
    found = _cohort(request, slug, cohort)
    return services.withdraw_swap(user_of(request), found, swap=swap)


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
    found = _cohort(request, slug, cohort)
    services.require_schedule_editor(user_of(request), found)
    changes = payload.model_dump(exclude_unset=True)
    _no_nulls(changes)
    return services.update_schedule(user_of(request), found, **changes)


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
    network = get_network_or_404(user_of(request), slug)
    found = services.propose_matches(user_of(request), network, days=days)
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
    network = get_network_or_404(user_of(request), slug)
    return Status(201, services.confirm_match(user_of(request), network, **payload.model_dump()))


@router.get(MENTORS + "/mine", response={200: MineOut}, summary="My mentor, my mentees")
def mine(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = user_of(request)
    mentor, mentees = services.my_mentoring(user, get_network_or_404(user, slug))
    return {"mentor": mentor, "mentees": mentees}
