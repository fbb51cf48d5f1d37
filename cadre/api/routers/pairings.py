"""Follow-through on pairings: your "did you meet?" checks (/networks/{slug}/meeting-checks)
and a mentoring relationship (/networks/{slug}/mentoring/{match}): its agreement, meeting log
and check-ins, the mentor's first answer, and re-matching (organizers).

The same policy (cadre.pairings.policy) and services (cadre.pairings.services) as the pages:
a check is its own person's (404 for anyone else); a relationship is its mentor's, its
mentee's and the organizers' (404 for anyone else), and the pair alone change it (403)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.api import errors
from cadre.api.routers import Pagination, user_of
from cadre.api.schemas import Date, ErrorOut, Id, UserRef
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404
from cadre.pairings import asking, services
from cadre.pairings.models import Answer, MeetingCheck, MentorMeeting
from cadre.schedule.models import MentorMatch

router = Router(tags=["pairings"])

CHECKS = "/networks/{slug}/meeting-checks"
MENTORING = "/networks/{slug}/mentoring/{match}"


class CheckOut(Schema):
    id: int
    kind: str = Field(..., description="coffee, mentoring or coaching.")
    about: str = Field(..., description="What the pairing was, in words.")
    partners: list[UserRef]
    answer: str = Field(..., description="not_yet, met or did_not_meet.")
    answered_at: datetime | None
    note: str
    wants_new_partner: bool
    new_partner: UserRef | None = Field(None, description="Who Cadre introduced you to.")

    @staticmethod
    def resolve_about(obj: MeetingCheck) -> str:
        return asking.describe(obj)

    @staticmethod
    def resolve_partners(obj: MeetingCheck) -> list[Any]:
        return asking.partners(obj)

    @staticmethod
    def resolve_new_partner(obj: MeetingCheck) -> Any:
        return obj.repaired_with


class AnswerIn(Schema):
    answer: Answer
    note: str = Field("", max_length=280)


class AgreementIn(Schema):
    what: str = Field("", max_length=2000)
    how_often: str = Field("", max_length=80)
    until: Date | None = None
    meeting_url: str | None = Field(
        None, description="The pair's https:// meeting link; empty for none; left out: unchanged."
    )
    place: str | None = Field(None, description="Where the pair meets; left out: unchanged.")


class AgreementOut(Schema):
    what: str
    how_often: str
    until: date | None
    meeting_url: str
    place: str

    @staticmethod
    def resolve_meeting_url(obj: Any) -> str:
        return str(obj.match.meeting_url)

    @staticmethod
    def resolve_place(obj: Any) -> str:
        return str(obj.match.place)

    acknowledged_at: datetime | None = Field(None, description="When the mentor first answered.")
    updated_at: datetime | None


class MeetingIn(Schema):
    met_on: Date
    notes: str = Field("", max_length=4000)


class MeetingOut(Schema):
    id: int
    met_on: date
    notes: str
    added_by: UserRef | None


class CheckInOut(Schema):
    user: UserRef
    answer: str
    answered_at: datetime | None
    note: str
    wants_new_partner: bool


class RelationshipOut(Schema):
    id: int
    mentor: UserRef
    newcomer: UserRef
    explanation: str
    created_at: datetime
    ended_at: datetime | None
    goals: list[str] = Field(..., description="The mentee's learning goals.")
    agreement: AgreementOut
    meetings: list[MeetingOut]
    check_ins: list[CheckInOut]


class RematchIn(Schema):
    mentor: Id | None = Field(None, description="Leave out for the engine's next-best mentor.")


class MatchRefOut(Schema):
    id: int
    mentor: UserRef
    newcomer: UserRef
    explanation: str
    created_at: datetime


def _network(request: HttpRequest, slug: str) -> Network:
    return get_network_or_404(user_of(request), slug)


def _check(request: HttpRequest, slug: str, check: int) -> MeetingCheck:
    found = (
        MeetingCheck.objects.filter(
            pk=check, network=_network(request, slug), user=user_of(request)
        )
        .select_related("network", "mentor_match", "coffee_group__round__ritual", "repaired_with")
        .first()
    )
    if found is None:
        raise errors.not_found("No such check.")
    return found


def _match(request: HttpRequest, slug: str, match: int) -> MentorMatch:
    return services.relationship_of(user_of(request), _network(request, slug), match=match)


def _relationship(match: MentorMatch) -> dict[str, Any]:
    found = services.relationship(match)
    profile = getattr(match.newcomer, "profile", None)
    return {
        "id": match.pk,
        "mentor": match.mentor,
        "newcomer": match.newcomer,
        "explanation": match.explanation,
        "created_at": match.created_at,
        "ended_at": match.ended_at,
        "goals": list(getattr(profile, "learning_goals", None) or []),
        "agreement": found,
        "meetings": list(MentorMeeting.objects.filter(match=match).select_related("added_by")),
        "check_ins": list(
            MeetingCheck.objects.filter(mentor_match=match)
            .select_related("user")
            .order_by("user__name", "pk")
        ),
    }


@router.get(CHECKS, response={200: list[CheckOut]}, summary="My “did you meet?” checks")
@paginate(Pagination)
def checks(request: HttpRequest, slug: str) -> Any:
    """Your checks in the network, newest first: those waiting for an answer and those
    answered."""
    return (
        MeetingCheck.objects.filter(network=_network(request, slug), user=user_of(request))
        .select_related(
            "network",
            "coffee_group__round__ritual",
            "mentor_match__mentor",
            "mentor_match__newcomer",
            "coaching_group__round__cohort",
            "repaired_with",
        )
        .order_by("-asked_at", "-pk")
    )


@router.post(CHECKS + "/{check}/answer", response={200: CheckOut}, summary="Answer “did you meet?”")
def answer(request: HttpRequest, slug: str, check: Id, payload: AnswerIn) -> MeetingCheck:
    found = _check(request, slug, check)
    return services.answer_check(
        by=user_of(request), check=found, answer=payload.answer.value, note=payload.note
    )


@router.post(
    CHECKS + "/{check}/new-partner",
    response={200: CheckOut, 409: ErrorOut},
    summary="Ask for a new partner",
)
def new_partner(request: HttpRequest, slug: str, check: Id) -> MeetingCheck:
    """After answering that you did not meet: a coffee or coaching partner among the others
    of the round who asked too (at once, or when the next one asks); a mentee goes back to
    the organizers' re-match queue."""
    found = _check(request, slug, check)
    return services.ask_for_new_partner(by=user_of(request), check=found)


@router.get(MENTORING, response={200: RelationshipOut}, summary="A mentoring relationship")
def relationship(request: HttpRequest, slug: str, match: Id) -> dict[str, Any]:
    """The mentee's goals, the agreement, the meeting log and the check-ins (the mentor, the
    mentee and the organizers)."""
    return _relationship(_match(request, slug, match))


@router.put(MENTORING + "/agreement", response={200: AgreementOut}, summary="Set the agreement")
def agreement(request: HttpRequest, slug: str, match: Id, payload: AgreementIn) -> Any:
    found = _match(request, slug, match)
    return services.save_agreement(by=user_of(request), match=found, **payload.model_dump())


@router.post(MENTORING + "/meetings", response={201: MeetingOut}, summary="Log a meeting")
def meeting(
    request: HttpRequest, slug: str, match: Id, payload: MeetingIn
) -> Status[MentorMeeting]:
    found = _match(request, slug, match)
    return Status(
        201, services.log_meeting(by=user_of(request), match=found, **payload.model_dump())
    )


@router.post(
    MENTORING + "/acknowledge", response={200: AgreementOut}, summary="Answer a new match (mentor)"
)
def acknowledge(request: HttpRequest, slug: str, match: Id) -> Any:
    return services.acknowledge(by=user_of(request), match=_match(request, slug, match))


@router.post(
    MENTORING + "/rematch",
    response={201: MatchRefOut, 409: ErrorOut},
    summary="Re-match a mentee (organizers)",
)
def rematch(request: HttpRequest, slug: str, match: Id, payload: RematchIn) -> Status[MentorMatch]:
    """End the match and match its mentee with `mentor`, or with the engine's next-best
    mentor, in one step; both new people are e-mailed."""
    found = _match(request, slug, match)
    return Status(201, services.rematch(by=user_of(request), match=found, mentor=payload.mentor))
