"""A cohort's turnover and close, and its intake's waitlist: the same services as the pages
(cadre.cohorts.closing, cadre.formation.waitlist). People who may not see the cohort or the
intake get 404; those who see it but may not do this get 403 with the reason."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cadre.api.routers import require_conduct, user_of
from cadre.api.routers.formation import IntakeOut
from cadre.api.schemas import (
    NETWORK_PERSON,
    SLUG_PATTERN,
    CohortOut,
    Date,
    ErrorOut,
    Id,
    StrictId,
    StrictInt32,
    UserRef,
)
from cadre.cohorts import closing
from cadre.cohorts import policy as cohort_policy
from cadre.cohorts.models import Cohort, SurveyAnswer, Turnover
from cadre.cohorts.services import find_person
from cadre.formation import policy as intake_policy
from cadre.formation import waitlist
from cadre.formation.models import Intake, WaitlistEntry
from cadre.formation.services import require_intake_manager
from cadre.lib.rules import Refused

router = Router(tags=["closing"])

COHORT = "/networks/{slug}/cohorts/{cohort}"
WAITLIST = "/networks/{slug}/intakes/{intake}/waitlist"


# --- schemas -------------------------------------------------------------------------------


class WaitlistEntryOut(Schema):
    user: UserRef
    position: int = Field(..., description="1 is the first to be offered a seat.")
    added_at: datetime
    why: str


class WaitlistAddIn(Schema):
    user_id: StrictId = Field(..., description=NETWORK_PERSON)
    why: str = Field("", max_length=200, description="Why they are on it, as the list shows.")


class WaitlistOrderIn(Schema):
    order: list[StrictId] = Field(
        ..., max_length=1000, description="The user ids of everyone on the waitlist, first first."
    )


class SeatIn(Schema):
    user_id: StrictId = Field(..., description="Someone on the waitlist of the cohort's intake.")
    replacing: StrictId | None = Field(
        None, description="The user id of the member who left and whose seat this is."
    )


class TurnoverOut(Schema):
    left: UserRef | None
    joined: UserRef
    on: date


class SurveyIn(Schema):
    value: StrictInt32 = Field(..., description="How valuable the cohort was, 1 to 5.")
    changed: str = Field(
        "", max_length=2000, description=str(SurveyAnswer._meta.get_field("changed").help_text)
    )
    keep_or_change: str = Field("", max_length=2000, description="What to keep or change.")
    join_again: str = Field(..., description="yes, maybe or no.")


class SurveyAnswerOut(Schema):
    value: int
    changed: str
    keep_or_change: str
    join_again: str
    answered_at: datetime
    updated_at: datetime


class SurveyResultsOut(Schema):
    members: int
    answered: int
    average: float | None
    values: dict[int, int] = Field(..., description="How many chose each value, 1 to 5.")
    join_again: dict[str, int]
    changed: list[str] = Field(..., description="The written answers, without names.")
    keep_or_change: list[str]


class RenewIn(Schema):
    name: str = Field(..., max_length=120)
    slug: str = Field(..., max_length=60, pattern=SLUG_PATTERN)


class NextIntakeIn(Schema):
    title: str = Field(..., max_length=120)
    slug: str = Field(..., max_length=60, pattern=SLUG_PATTERN)
    opens_on: Date
    closes_on: Date


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = cohort_policy.get_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _managed_intake(request: HttpRequest, slug: str, intake: str) -> Intake:
    user = user_of(request)
    found = intake_policy.get_intake_or_404(user, slug, intake)
    require_intake_manager(user=user, network=found.network)
    return found


# --- the waitlist --------------------------------------------------------------------------


@router.get(WAITLIST, response={200: list[WaitlistEntryOut]}, summary="An intake's waitlist")
def waitlist_list(request: HttpRequest, slug: str, intake: str) -> list[WaitlistEntry]:
    """In order, the first to be offered a seat first (organizers)."""
    return waitlist.waitlist(_managed_intake(request, slug, intake))


@router.post(
    WAITLIST,
    response={201: WaitlistEntryOut, 409: ErrorOut},
    summary="Put someone on the waitlist (organizers)",
)
def waitlist_add(
    request: HttpRequest, slug: str, intake: str, payload: WaitlistAddIn
) -> Status[WaitlistEntry]:
    found = _managed_intake(request, slug, intake)
    person = find_person(found.network, payload.user_id)
    entry = waitlist.add_to_waitlist(
        by=user_of(request), intake=found, person=person, why=payload.why
    )
    return Status(201, entry)


@router.delete(
    WAITLIST + "/{user_id}", response={204: None}, summary="Take someone off the waitlist"
)
def waitlist_remove(request: HttpRequest, slug: str, intake: str, user_id: Id) -> Status[None]:
    found = _managed_intake(request, slug, intake)
    person = find_person(found.network, user_id)
    waitlist.remove_from_waitlist(by=user_of(request), intake=found, person=person)
    return Status(204, None)


@router.put(WAITLIST, response={200: list[WaitlistEntryOut]}, summary="Reorder the waitlist")
def waitlist_reorder(
    request: HttpRequest, slug: str, intake: str, payload: WaitlistOrderIn
) -> list[WaitlistEntry]:
    """`order` lists everyone on the waitlist, each once (organizers)."""
    found = _managed_intake(request, slug, intake)
    return waitlist.reorder_waitlist(by=user_of(request), intake=found, order=payload.order)


# --- filling a seat ------------------------------------------------------------------------


@router.post(
    COHORT + "/seats",
    response={201: TurnoverOut, 409: ErrorOut, 422: ErrorOut},
    summary="Fill a seat from the intake's waitlist (organizers)",
)
def fill_seat(request: HttpRequest, slug: str, cohort: str, payload: SeatIn) -> Status[Turnover]:
    """The person joins as a member, is e-mailed, leaves the waitlist, and the turnover (who
    left, who joined, when) is recorded."""
    found = _cohort(request, slug, cohort)
    waitlist.require_seat_filler(user_of(request), found)
    person = find_person(found.network, payload.user_id)
    replacing = find_person(found.network, payload.replacing) if payload.replacing else None
    turnover = waitlist.fill_seat(
        by=user_of(request), cohort=found, person=person, replacing=replacing
    )
    return Status(201, turnover)


@router.get(COHORT + "/turnover", response={200: list[TurnoverOut]}, summary="Turnover")
def turnover(request: HttpRequest, slug: str, cohort: str) -> list[Turnover]:
    """Seats filled after someone left, newest first (whoever sees the roster)."""
    found = _cohort(request, slug, cohort)
    return list(Turnover.objects.filter(cohort=found).select_related("left", "joined"))


# --- the survey ----------------------------------------------------------------------------


@router.put(
    COHORT + "/survey",
    response={200: SurveyAnswerOut, 409: ErrorOut},
    summary="Answer the end-of-cohort survey (members)",
)
def survey_answer(request: HttpRequest, slug: str, cohort: str, payload: SurveyIn) -> object:
    """One answer per member; sending again replaces it until the cohort is archived."""
    found = _cohort(request, slug, cohort)
    return closing.answer_survey(user_of(request), found, **payload.model_dump())


@router.get(COHORT + "/survey", response={200: SurveyAnswerOut}, summary="My survey answer")
def survey_mine(request: HttpRequest, slug: str, cohort: str) -> object:
    found = _cohort(request, slug, cohort)
    answer = closing.my_answer(user_of(request), found)
    if answer is None:
        raise Refused(closing.NO_ANSWER_YET, kind="not_found")
    return answer


@router.get(
    COHORT + "/survey/results",
    response={200: SurveyResultsOut},
    summary="The survey's results, without names (hosts, organizers)",
)
def survey_results(request: HttpRequest, slug: str, cohort: str) -> closing.SurveyResults:
    return closing.survey_results(user_of(request), _cohort(request, slug, cohort))


# --- renew, graduate, next intake -------------------------------------------------------------


@router.post(
    COHORT + "/renew",
    response={201: CohortOut, 409: ErrorOut},
    summary="Renew a completed cohort with the same people (organizers)",
)
def renew(request: HttpRequest, slug: str, cohort: str, payload: RenewIn) -> Status[Cohort]:
    found = _cohort(request, slug, cohort)
    renewal = closing.renew_cohort(user_of(request), found, name=payload.name, slug=payload.slug)
    return Status(201, renewal)


@router.post(
    COHORT + "/graduate",
    response={200: CohortOut, 409: ErrorOut},
    summary="Graduate a completed cohort's members and archive it (organizers)",
)
def graduate(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    return closing.graduate_cohort(user_of(request), _cohort(request, slug, cohort))


@router.post(
    COHORT + "/next-intake",
    response={201: IntakeOut},
    summary="Open the next intake after a cohort (organizers)",
)
def next_intake(
    request: HttpRequest, slug: str, cohort: str, payload: NextIntakeIn
) -> Status[Intake]:
    """A draft intake with the objective, questions and sizes of the cohort's intake."""
    found = _cohort(request, slug, cohort)
    intake = waitlist.open_next_intake(by=user_of(request), cohort=found, **payload.model_dump())
    return Status(201, intake)
