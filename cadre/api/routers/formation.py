"""/networks/{slug}/intakes: intakes, applications, formation runs, the proposal and
publishing. The same permission layer and the same services (cadre.formation.services,
proposals and publishing) as the web pages, whose refusals come out through
cadre.api.errors; people who may not see an intake get 404, members who see it but may not
run it get 403."""

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.api import errors
from cadre.api.routers import Pagination, user_of
from cadre.api.schemas import INT32_MAX, SLUG_PATTERN, Date, ErrorOut, Id, StrictInt32, UserRef
from cadre.cohorts.models import CohortMembership, CohortRole
from cadre.formation import criteria as choices
from cadre.formation import policy, proposals, publishing, services
from cadre.formation.models import (
    MAX_ANSWER_LENGTH,
    MAX_RUN_SECONDS,
    MAX_SESSION_MINUTES,
    MIN_RUN_SECONDS,
    MIN_SESSION_MINUTES,
    Application,
    FormationRun,
    Intake,
)
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404

router = Router(tags=["intakes"])

INTAKES = "/networks/{slug}/intakes"
INTAKE = INTAKES + "/{intake}"
CONFLICT: dict[int, Any] = {409: ErrorOut}
Importance = Literal["matters_most", "matters", "ignore"]


# --- schemas -------------------------------------------------------------------------------


class IntakeOut(Schema):
    slug: str
    title: str
    description: str
    objective: str
    questions: list[str]
    target_skills: list[str]
    opens_on: date
    closes_on: date
    min_size: int
    max_size: int
    session_minutes: int
    status: str
    accepts_applications: bool
    published_at: datetime | None

    @staticmethod
    def resolve_accepts_applications(obj: Intake) -> bool:
        return obj.accepts_applications()


class IntakeIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    slug: str = Field(..., min_length=1, max_length=60, pattern=SLUG_PATTERN)
    description: str = ""
    objective: str = Field(..., min_length=1)
    questions: list[str] = Field([], description="What applicants answer, at most 10.")
    target_skills: list[str] = Field(
        [], description="Skill slugs each cohort should cover; empty: all of the network's."
    )
    opens_on: Date
    closes_on: Date = Field(..., description="After opens_on.")
    min_size: StrictInt32 = Field(5, description="Smallest cohort, 2 to 20.")
    max_size: StrictInt32 = Field(8, description="Largest cohort, 2 to 20, at least min_size.")
    session_minutes: StrictInt32 = Field(60, description="15 to 480.")


class IntakePatch(Schema):
    """Only the fields sent are changed. `status` opens (open) a draft or closed intake, or
    closes (closed) an open one; once opened it is never a draft again (409), and publishing
    has its own endpoint."""

    title: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = None
    objective: str | None = Field(None, min_length=1)
    questions: list[str] | None = None
    target_skills: list[str] | None = None
    opens_on: Date | None = None
    closes_on: Date | None = None
    min_size: StrictInt32 | None = None
    max_size: StrictInt32 | None = None
    session_minutes: StrictInt32 | None = None
    status: Literal["draft", "open", "closed"] | None = None


class ApplicationOut(Schema):
    id: int
    user: UserRef
    goals: list[str]
    time_zone: str
    availability: list[int] = Field(..., description="Hours of the week in time_zone.")
    availability_utc: list[int]
    skills: dict[str, int]
    answers: dict[str, str]
    statement: str
    submitted_at: datetime
    updated_at: datetime
    withdrawn: bool

    @staticmethod
    def resolve_availability_utc(obj: Application) -> list[int]:
        return obj.availability_utc()


class ApplicationIn(Schema):
    """Your application; leave a field out to take it from your profile."""

    goals: list[str] | None = Field(None, description="Learning-goal tags.")
    availability: list[StrictInt32] | None = Field(
        None, description="Hours of the week you can meet, in time_zone: 0 = Monday 00:00."
    )
    time_zone: str | None = Field(None, description="An IANA name; default: your profile's.")
    skills: dict[str, StrictInt32] | None = Field(
        None, description="This network's skill slug -> level 0 to 4."
    )
    answers: dict[str, str] = Field({}, description="Question (as the intake asks it) -> answer.")
    statement: str = Field(
        "", description=f"Why you are applying; at most {MAX_ANSWER_LENGTH} characters."
    )


class RunIn(Schema):
    """A formation run and what its cohorts are formed for. What is left out keeps the
    intake's defaults (a re-run: the current proposal's choices)."""

    seconds: float = Field(10.0, ge=MIN_RUN_SECONDS, le=MAX_RUN_SECONDS)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    importance: dict[choices.Part, Importance] | None = Field(
        None,
        description="Score part -> matters_most (counts twice), matters or ignore; parts left "
        "out keep their default (diversity matters most, the rest matter).",
    )
    require_common_slot: bool | None = Field(
        None,
        description="Every cohort must be able to meet; default: on when applicants said when "
        "they can meet.",
    )
    session_minutes: StrictInt32 | None = Field(
        None,
        ge=MIN_SESSION_MINUTES,
        le=MAX_SESSION_MINUTES,
        description="The session's length; default: the intake's.",
    )


class RunOut(Schema):
    id: int
    status: str
    progress: float = Field(..., description="0 to 1.")
    best_objective: float | None
    seed: int
    seconds: float
    groups: int | None
    locked: list[int]
    importance: dict[str, str] = Field(..., description="Score part -> what the run gave it.")
    require_common_slot: bool
    session_minutes: int
    formed_for: str = Field(..., description="What the run formed the cohorts for, in words.")
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_importance(obj: FormationRun) -> dict[str, str]:
        return dict(choices.of_run(obj).importance)

    @staticmethod
    def resolve_formed_for(obj: FormationRun) -> str:
        return choices.of_run(obj).summary()


class ScoreOut(Schema):
    parts: dict[str, float] = Field(
        ..., description="diversity, complementarity, curiosity, schedule, balance; 0 to 1."
    )
    total: float
    reasons: list[str]
    common_slots: list[int] = Field(..., description="UTC hours of the week everyone can start.")


class ProposedMemberOut(Schema):
    application: int
    user: UserRef
    locked: bool
    time_zone: str
    meets_at: str | None = Field(
        ..., description="The cohort's first common slot in this member's time zone."
    )


class SuggestionOut(Schema):
    name: str = Field(..., description="From the learning goals its members share.")
    time_zone: str = Field(..., description="The time zone most of its members are in.")


class ProposedCohortOut(Schema):
    number: int = Field(..., description="1-based; what move's `cohort` refers to.")
    members: list[ProposedMemberOut]
    score: ScoreOut
    composition: dict[str, dict[str, int]] = Field(
        ..., description="function, industry, organization, seniority -> value -> count."
    )
    can_meet: bool = Field(..., description="Some hour of the week suits every member.")
    times: list[str] = Field(
        ..., description="The first common slots in `time_zone` (yours), e.g. Tue 10:00–11:00."
    )
    suggested: SuggestionOut
    hosts: list[UserRef] = Field(..., description="Who may host it: its members, the organizers.")


class FormationProposalOut(Schema):
    run: int
    published: bool
    unplaced: int = Field(..., description="Applications that arrived after the run.")
    importance: dict[str, str]
    require_common_slot: bool
    session_minutes: int
    formed_for: str
    time_zone: str = Field(..., description="Your time zone, the one `times` are in.")
    cannot_meet: list[int] = Field(..., description="The numbers of the cohorts that cannot meet.")
    explanation: list[str] = Field(
        ..., description="Why not every cohort could meet, when the engine said so."
    )
    cohorts: list[ProposedCohortOut]


class MoveIn(Schema):
    application: Id
    cohort: int = Field(..., ge=1, le=INT32_MAX, description="The cohort's number, from 1.")


class LockIn(Schema):
    application: Id
    locked: bool = True


class CohortDetailsIn(Schema):
    number: StrictInt32 = Field(..., ge=1, description="The proposed cohort's number.")
    name: str | None = Field(None, max_length=120, description="Default: the suggested name.")
    host: Id | None = Field(
        None, description="A user id: one of its members or an organizer; default: no host."
    )
    time_zone: str | None = Field(None, description="An IANA name; default: the suggested one.")


class IntakePublishIn(Schema):
    confirm: bool = Field(
        False, description="Publish even though some cohorts cannot meet (409 otherwise)."
    )
    cohorts: list[CohortDetailsIn] = Field(
        [], description="Names, hosts and time zones; cohorts left out take the suggestions."
    )


class PublishedCohortOut(Schema):
    slug: str
    name: str
    members: int
    host: UserRef | None
    time_zone: str


# --- helpers -------------------------------------------------------------------------------


def _intake(request: HttpRequest, slug: str, intake: str) -> Intake:
    return policy.get_intake_or_404(user_of(request), slug, intake)


def _managed_intake(request: HttpRequest, slug: str, intake: str) -> Intake:
    found = _intake(request, slug, intake)
    services.require_intake_manager(user=user_of(request), network=found.network)
    return found


def _proposal_out(request: HttpRequest, run: FormationRun) -> dict[str, Any]:
    locked = set(run.locked)
    time_zone = proposals.time_zone_of(user_of(request))
    proposed = proposals.proposed_cohorts(run, time_zone)
    suggested = publishing.suggestions(run.intake, proposed)
    criteria = choices.of_run(run)
    cohorts = []
    for cohort in proposed:
        cohorts.append(
            {
                "number": cohort.number,
                "members": [
                    {
                        "application": m.pk,
                        "user": m.user,
                        "locked": m.pk in locked,
                        "time_zone": m.time_zone,
                        "meets_at": cohort.time_for(m) or None,
                    }
                    for m in cohort.members
                ],
                "score": cohort.score,
                # Keyed by the profile's field, whatever language the titles are in.
                "composition": {
                    attribute: {bar.label: bar.count for bar in bars}
                    for (attribute, _title), (_shown, bars) in zip(
                        proposals.COMPOSITION, cohort.composition, strict=True
                    )
                },
                "can_meet": cohort.can_meet,
                "times": cohort.times,
                "suggested": {
                    "name": suggested[cohort.number].name,
                    "time_zone": suggested[cohort.number].time_zone,
                },
                "hosts": publishing.host_choices(run.intake, cohort),
            }
        )
    return {
        "run": run.pk,
        "published": run.intake.is_published,
        "unplaced": proposals.unplaced_count(run),
        **criteria.as_run_fields(),
        "formed_for": criteria.summary(),
        "time_zone": time_zone,
        "cannot_meet": [c.number for c in proposed if c.members and not c.can_meet],
        "explanation": list(run.result.get("explanation") or []),
        "cohorts": cohorts,
    }


def _criteria(
    intake: Intake, payload: RunIn, start: choices.Criteria | None = None
) -> choices.Criteria:
    return choices.build(
        intake,
        importance=payload.importance,
        require_common_slot=payload.require_common_slot,
        session_minutes=payload.session_minutes,
        start=start,
    )


# --- intakes -------------------------------------------------------------------------------


@router.get(INTAKES, response={200: list[IntakeOut]}, summary="Intakes")
@paginate(Pagination)
def intakes(request: HttpRequest, slug: str) -> QuerySet[Intake]:
    """The intakes you may see: open ones (and those you applied to); all for organizers."""
    user = user_of(request)
    network = get_network_or_404(user, slug)
    return policy.visible_intakes(user, network).order_by("-opens_on", "title", "pk")


@router.post(INTAKES, response={201: IntakeOut}, summary="Create an intake")
def create_intake(request: HttpRequest, slug: str, payload: IntakeIn) -> Status[Intake]:
    """A new intake, as a draft (organizers). Open it with PATCH status=open."""
    user = user_of(request)
    network: Network = get_network_or_404(user, slug)
    return Status(201, services.create_intake(user=user, network=network, **payload.model_dump()))


@router.get(INTAKE, response={200: IntakeOut}, summary="An intake")
def intake_detail(request: HttpRequest, slug: str, intake: str) -> Intake:
    return _intake(request, slug, intake)


@router.patch(INTAKE, response={200: IntakeOut, **CONFLICT}, summary="Change an intake")
def update_intake(request: HttpRequest, slug: str, intake: str, payload: IntakePatch) -> Intake:
    changes = payload.model_dump(exclude_unset=True)
    status = changes.pop("status", None)
    return services.update_intake(
        user=user_of(request), intake=_intake(request, slug, intake), status=status, **changes
    )


# --- applying ------------------------------------------------------------------------------


@router.get(INTAKE + "/application", response={200: ApplicationOut}, summary="Mine")
def my_application(request: HttpRequest, slug: str, intake: str) -> Application:
    found = _intake(request, slug, intake)
    return get_object_or_404(
        Application.objects.select_related("user"), intake=found, user=user_of(request)
    )


@router.post(
    INTAKE + "/application",
    response={200: ApplicationOut, 201: ApplicationOut, 409: ErrorOut},
    summary="Apply, or change my application",
)
def apply(
    request: HttpRequest, slug: str, intake: str, payload: ApplicationIn
) -> Status[Application]:
    """Creates your application (201) or replaces it (200) while the intake is open. Goals,
    availability, time zone and skills left out are taken from your profile."""
    application, created = services.save_application(
        user=user_of(request), intake=_intake(request, slug, intake), **payload.model_dump()
    )
    return Status(201 if created else 200, application)


@router.post(
    INTAKE + "/application/withdraw",
    response={200: ApplicationOut},
    summary="Withdraw my application",
)
def withdraw(request: HttpRequest, slug: str, intake: str) -> Application:
    found = _intake(request, slug, intake)
    return services.withdraw_application(user=user_of(request), intake=found)


@router.get(
    INTAKE + "/applications",
    response={200: list[ApplicationOut]},
    summary="Applications (organizers)",
)
@paginate(Pagination)
def applications(request: HttpRequest, slug: str, intake: str) -> QuerySet[Application]:
    found = _managed_intake(request, slug, intake)
    return found.applications.select_related("user").order_by("withdrawn", "submitted_at", "pk")


# --- runs and the proposal -----------------------------------------------------------------


@router.post(INTAKE + "/runs", response={202: RunOut, **CONFLICT}, summary="Start a formation run")
def start_run(request: HttpRequest, slug: str, intake: str, payload: RunIn) -> Status[Any]:
    """Queues a run for the worker; poll GET …/runs/{id} for its progress."""
    found = _managed_intake(request, slug, intake)
    run = proposals.start_run(
        found,
        user_of(request),
        seconds=payload.seconds,
        seed=payload.seed,
        criteria=_criteria(found, payload),
    )
    return Status(202, run)


@router.get(INTAKE + "/runs/{run}", response={200: RunOut}, summary="A run's progress")
def run_detail(request: HttpRequest, slug: str, intake: str, run: Id) -> FormationRun:
    found = _managed_intake(request, slug, intake)
    return get_object_or_404(FormationRun, pk=run, intake=found)


@router.get(INTAKE + "/proposal", response={200: FormationProposalOut}, summary="The proposal")
def proposal(request: HttpRequest, slug: str, intake: str) -> dict[str, Any]:
    """The latest finished run's cohorts as the organizers left them."""
    found = _managed_intake(request, slug, intake)
    return _proposal_out(request, proposals.current_proposal(found))


@router.post(
    INTAKE + "/proposal/move",
    response={200: FormationProposalOut, **CONFLICT},
    summary="Move a person",
)
def move(request: HttpRequest, slug: str, intake: str, payload: MoveIn) -> dict[str, Any]:
    found = _managed_intake(request, slug, intake)
    run = proposals.current_proposal(found)
    proposals.move(
        run=run, by=user_of(request), application=payload.application, cohort=payload.cohort
    )
    return _proposal_out(request, run)


@router.post(
    INTAKE + "/proposal/lock",
    response={200: FormationProposalOut, **CONFLICT},
    summary="Lock or unlock a person",
)
def lock(request: HttpRequest, slug: str, intake: str, payload: LockIn) -> dict[str, Any]:
    """A locked person stays in their cohort when the proposal is re-run."""
    found = _managed_intake(request, slug, intake)
    run = proposals.current_proposal(found)
    proposals.set_locked(
        run=run, by=user_of(request), application=payload.application, locked=payload.locked
    )
    return _proposal_out(request, run)


@router.post(
    INTAKE + "/proposal/rerun",
    response={202: RunOut, **CONFLICT},
    summary="Re-run around the locked people",
)
def rerun(request: HttpRequest, slug: str, intake: str, payload: RunIn) -> Status[Any]:
    found = _managed_intake(request, slug, intake)
    run = proposals.current_proposal(found)
    new = proposals.start_run(
        found,
        user_of(request),
        seconds=payload.seconds,
        seed=payload.seed,
        criteria=_criteria(found, payload, start=choices.of_run(run)),
        around=run,
    )
    return Status(202, new)


@router.post(
    INTAKE + "/publish",
    response={201: list[PublishedCohortOut], **CONFLICT},
    summary="Publish the proposal as cohorts",
)
def publish(
    request: HttpRequest, slug: str, intake: str, payload: IntakePublishIn | None = None
) -> Status[Any]:
    """Creates the cohorts, with the names, hosts and time zones given (the suggestions for
    what is left out), and their memberships in one transaction, and e-mails every
    applicant. While some cohorts cannot meet it answers 409 `cohorts_cannot_meet` (their
    numbers in `detail.cohorts`) unless `confirm` is true. A second call answers 409
    `conflict`."""
    found = _managed_intake(request, slug, intake)
    run = proposals.current_proposal(found)
    body = payload or IntakePublishIn(confirm=False, cohorts=[])
    index_of: dict[int, int] = {}
    for index, item in enumerate(body.cohorts):
        if item.number in index_of:
            raise errors.invalid(
                {f"cohorts.{index}.number": [f"Cohort {item.number} is given twice."]}
            )
        index_of[item.number] = index
    details = {
        item.number: publishing.CohortDetails(
            name=item.name, host=item.host, time_zone=item.time_zone
        )
        for item in body.cohorts
    }
    try:
        cohorts = publishing.publish(
            intake=found, run=run, by=user_of(request), details=details, confirm=body.confirm
        )
    except publishing.DetailsProblem as problem:
        # Each problem under the request's own name for its field: cohorts.<index>.<field>.
        fields: dict[str, list[str]] = {}
        for number, problems in problem.problems.items():
            for name, messages in problems.items():
                where = f"cohorts.{index_of[number]}.{name}" if number in index_of else "cohorts"
                fields.setdefault(where, []).extend(messages)
        raise errors.invalid(fields, problem.message) from None
    except publishing.CannotMeet as problem:
        # The page asks with a "Publish anyway" button; the API says what to send.
        raise errors.ApiError(
            409,
            problem.api_code,
            problem.message + " Send “confirm”: true to publish them anyway.",
            detail=problem.detail,
        ) from None
    hosts = {
        m.cohort_id: m.user
        for m in CohortMembership.objects.filter(
            cohort__in=[c.cohort for c in cohorts], role=CohortRole.HOST
        ).select_related("user")
    }
    return Status(
        201,
        [
            {
                "slug": c.cohort.slug,
                "name": c.cohort.name,
                "members": len(c.proposed.members),
                "host": hosts.get(c.cohort.pk),
                "time_zone": c.cohort.time_zone,
            }
            for c in cohorts
        ],
    )
