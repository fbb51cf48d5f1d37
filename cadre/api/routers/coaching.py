"""Peer coaching sessions, the coach-prompt bank, structured feedback and the reciprocity
counts under /networks/{slug}/cohorts/{cohort}/coaching. The same permission layer and model
rules as the pages: people who are neither the cohort's active members nor the network's
organizers get 404, then the code of conduct; a session's content is for its participants
alone (404 for everyone else); feedback is read as cadre.coaching.policy.visible_feedback
says, and only its receiver changes who reads it. Every write is a cadre.coaching.services
function, whose refusals come back in the API's error shape."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.accountability import services as accountability
from cadre.accountability.models import Commitment, Visibility
from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import (
    DELIVERABLE,
    INT32_MAX,
    KEEP_ANYWAY,
    Date,
    ErrorOut,
    Id,
    ProblemOut,
    UserRef,
)
from cadre.coaching import policy, services
from cadre.coaching.models import (
    ONE_SIDED_AT,
    CoachingSession,
    CoachPrompt,
    Feedback,
    FeedbackVisibility,
    HelpKind,
    PromptStage,
    reciprocity,
)
from cadre.cohorts.models import Cohort

router = Router(tags=["coaching"])

COACHING = "/networks/{slug}/cohorts/{cohort}/coaching"


# --- schemas -------------------------------------------------------------------------------


class PromptOut(Schema):
    id: int
    text: str
    stage: str = Field(..., description="opening, reflection or next_step.")
    active: bool
    position: int


class PromptIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    stage: PromptStage
    active: bool = True
    position: int = Field(0, ge=0, le=INT32_MAX)


class PromptPatch(Schema):
    text: str | None = Field(None, min_length=1, max_length=300)
    stage: PromptStage | None = None
    active: bool | None = None
    position: int | None = Field(None, ge=0, le=INT32_MAX)


class SessionPrompt(Schema):
    stage: str
    text: str


class CoachingSessionSummaryOut(Schema):
    id: int
    coachee: UserRef
    coach: UserRef
    observer: UserRef | None
    created_at: datetime


class CoachingSessionOut(CoachingSessionSummaryOut):
    focus: str
    help_wanted: str
    prompts: list[SessionPrompt]
    notes: str
    observer_notes: str
    next_step: str
    commitment: int | None
    updated_at: datetime

    @staticmethod
    def resolve_commitment(obj: CoachingSession) -> int | None:
        return obj.commitment_id


class SessionIn(Schema):
    focus: str = Field(..., min_length=1, max_length=300)
    help_wanted: HelpKind = HelpKind.THINK_ALOUD
    coach: Id | None = Field(
        None, description="Only for an ad-hoc session (no rotation round running): a user id."
    )


class SessionPatch(Schema):
    focus: str | None = Field(None, min_length=1, max_length=300)
    help_wanted: HelpKind | None = None
    notes: str | None = Field(None, max_length=20000)
    observer_notes: str | None = Field(None, max_length=20000)
    next_step: str | None = Field(None, max_length=300)


class NextStepIn(Schema):
    text: str | None = Field(
        None, max_length=300, description="The commitment's text; the session's next step if empty."
    )
    deliverable: str = Field(
        "",
        max_length=200,
        description=DELIVERABLE,
    )
    due_on: Date | None = None
    visibility: Visibility = Visibility.COHORT
    keep_anyway: bool = Field(
        False,
        description=KEEP_ANYWAY,
    )


class CommitmentRef(Schema):
    id: int
    text: str
    due_on: date | None
    kept_anyway: bool
    lint_problems: list[ProblemOut]


class FeedbackOut(Schema):
    id: int
    giver: UserRef
    receiver: UserRef
    coaching_session: int | None
    situation: str
    behaviour: str
    impact: str
    suggestion: str
    problems: list[ProblemOut]
    kept_anyway: bool
    visibility: str = Field(..., description="private, shared or cohort.")
    shared_with: list[UserRef]
    created_at: datetime

    @staticmethod
    def resolve_coaching_session(obj: Feedback) -> int | None:
        return obj.coaching_session_id

    @staticmethod
    def resolve_shared_with(obj: Feedback) -> list[Any]:
        return list(obj.shared_with.all())


class FeedbackIn(Schema):
    receiver: Id = Field(..., description="A user id: another active member of the cohort.")
    coaching_session: Id | None = None
    situation: str = Field("", max_length=500)
    behaviour: str = Field(..., min_length=1, max_length=2000)
    impact: str = Field("", max_length=2000)
    suggestion: str = Field("", max_length=2000)
    give_anyway: bool = Field(False, description="Give it even when the feedback check objects.")


class VisibilityIn(Schema):
    visibility: FeedbackVisibility
    shared_with: list[Id] = Field([], description="User ids, for visibility=shared.")


class PersonCounts(Schema):
    person: UserRef
    coach: int
    coachee: int
    observer: int
    one_sided: bool


class PairCount(Schema):
    coach: UserRef
    coachee: UserRef
    sessions: int
    other_way: int
    one_sided: bool


class ReciprocityOut(Schema):
    sessions: int
    people: list[PersonCounts]
    pairs: list[PairCount]


# --- helpers -------------------------------------------------------------------------------

# A PATCH leaves out what it does not change; null is not a value.
NULL_FIELD = "Send a value, or leave the field out."


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = policy.get_coaching_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _feedback_cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    """Feedback endpoints also answer people a receiver shared feedback with."""
    found = policy.get_feedback_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _changes(payload: Schema) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    nulls = {field: [NULL_FIELD] for field, value in changes.items() if value is None}
    if nulls:
        raise errors.invalid(nulls)
    return changes


def _feedback_qs(request: HttpRequest, cohort: Cohort) -> QuerySet[Feedback]:
    return (
        policy.visible_feedback(user_of(request), cohort)
        .select_related("giver", "receiver")
        .prefetch_related("shared_with")
        .order_by("-created_at", "-pk")
    )


# --- sessions ------------------------------------------------------------------------------


@router.get(
    COACHING + "/sessions",
    response={200: list[CoachingSessionSummaryOut]},
    summary="My coaching sessions",
)
@paginate(Pagination)
def sessions(request: HttpRequest, slug: str, cohort: str) -> QuerySet[CoachingSession]:
    """The sessions you sit in, newest first. Other people's sessions are counted under
    /reciprocity, never listed."""
    found = _cohort(request, slug, cohort)
    return policy.visible_coaching_sessions(user_of(request), found).select_related(
        "coachee", "coach", "observer"
    )


@router.post(
    COACHING + "/sessions",
    response={201: CoachingSessionOut},
    summary="Open a coaching session",
)
def create_session(
    request: HttpRequest, slug: str, cohort: str, payload: SessionIn
) -> Status[CoachingSession]:
    """You open it as the coachee. While a rotation round runs, your group's coach (and
    observer) join and `coach` is ignored; without one, `coach` is any other active member."""
    session = services.open_session(
        user_of(request),
        _cohort(request, slug, cohort),
        focus=payload.focus,
        help_wanted=payload.help_wanted,
        coach_id=payload.coach,
    )
    return Status(201, session)


@router.get(
    COACHING + "/sessions/{pk}",
    response={200: CoachingSessionOut},
    summary="A coaching session",
)
def session_detail(request: HttpRequest, slug: str, cohort: str, pk: Id) -> CoachingSession:
    found = _cohort(request, slug, cohort)
    return policy.get_coaching_session_or_404(user_of(request), found, pk)


@router.patch(
    COACHING + "/sessions/{pk}",
    response={200: CoachingSessionOut},
    summary="Write in a coaching session",
)
def update_session(
    request: HttpRequest, slug: str, cohort: str, pk: Id, payload: SessionPatch
) -> CoachingSession:
    """The coachee writes focus, help_wanted and next_step; coachee and coach the notes; the
    observer observer_notes. Sending a field that is not yours answers 403."""
    found = _cohort(request, slug, cohort)
    session = policy.get_coaching_session_or_404(user_of(request), found, pk)
    services.write_in_session(user_of(request), session, changes=_changes(payload))
    return session


@router.post(
    COACHING + "/sessions/{pk}/commitment",
    response={201: CommitmentRef, 409: ErrorOut},
    summary="Make the next step a commitment",
)
def next_step_commitment(
    request: HttpRequest, slug: str, cohort: str, pk: Id, payload: NextStepIn
) -> Status[Commitment]:
    """The coachee's next step goes on the board through the commitment check
    (services.make_commitment, as on the board): with problems and without keep_anyway, or
    without a due date, it answers 422 (`validation_error`) with `fields` and the check in
    `detail`, and saves nothing."""
    found = _cohort(request, slug, cohort)
    me = user_of(request)
    session = policy.get_coaching_session_or_404(me, found, pk)
    commitment = services.commit_next_step(
        me,
        session,
        text=payload.text,
        deliverable=payload.deliverable,
        due_on=payload.due_on,
        visibility=payload.visibility,
        keep_anyway=payload.keep_anyway,
        due_label=accountability.DUE_ON,
    )
    return Status(201, commitment)


# --- prompts -------------------------------------------------------------------------------


@router.get(COACHING + "/prompts", response={200: list[PromptOut]}, summary="Prompts")
@paginate(Pagination)
def prompts(
    request: HttpRequest, slug: str, cohort: str, include_retired: bool = False
) -> QuerySet[CoachPrompt]:
    """The network's coach prompts, by stage and position (retired ones for organizers who
    ask for them)."""
    found = _cohort(request, slug, cohort)
    return services.prompt_bank(user_of(request), found.network, include_retired=include_retired)


@router.post(COACHING + "/prompts", response={201: PromptOut}, summary="Add a prompt")
def create_prompt(
    request: HttpRequest, slug: str, cohort: str, payload: PromptIn
) -> Status[CoachPrompt]:
    found = _cohort(request, slug, cohort)
    prompt = services.add_prompt(
        user_of(request),
        found.network,
        text=payload.text,
        stage=payload.stage,
        active=payload.active,
        position=payload.position,
    )
    return Status(201, prompt)


@router.patch(COACHING + "/prompts/{pk}", response={200: PromptOut}, summary="Edit a prompt")
def update_prompt(
    request: HttpRequest, slug: str, cohort: str, pk: Id, payload: PromptPatch
) -> CoachPrompt:
    """Change the text, stage or position, or retire a prompt with active=false."""
    found = _cohort(request, slug, cohort)
    prompt = services.managed_prompt_bank(user_of(request), found.network).filter(pk=pk).first()
    if prompt is None:
        raise errors.not_found("No such prompt.")
    return services.edit_prompt(user_of(request), prompt, **_changes(payload))


# --- feedback ------------------------------------------------------------------------------


@router.get(
    COACHING + "/feedback",
    response={200: list[FeedbackOut]},
    summary="Feedback you may read",
)
@paginate(Pagination)
def feedback(
    request: HttpRequest, slug: str, cohort: str, scope: str = "received"
) -> QuerySet[Feedback]:
    """scope=received (about you), given (by you) or shared (others' feedback you may read:
    shared with you by name, or with the cohort)."""
    found = _feedback_cohort(request, slug, cohort)
    me = user_of(request)
    items = _feedback_qs(request, found)
    if scope == "received":
        return items.filter(receiver=me)
    if scope == "given":
        return items.filter(giver=me)
    if scope == "shared":
        return items.exclude(receiver=me).exclude(giver=me)
    raise errors.invalid({"scope": ["Use received, given or shared."]})


@router.post(COACHING + "/feedback", response={201: FeedbackOut}, summary="Give feedback")
def create_feedback(
    request: HttpRequest, slug: str, cohort: str, payload: FeedbackIn
) -> Status[Feedback]:
    """Runs the feedback check. With problems and without give_anyway it answers 422
    (`validation_error`) with the check in `detail` (`problems`, `suggestion`, `parts`,
    `missing`), and saves nothing."""
    found = _feedback_cohort(request, slug, cohort)
    item = services.give_feedback(
        user_of(request),
        found,
        receiver_id=payload.receiver,
        situation=payload.situation,
        behaviour=payload.behaviour,
        impact=payload.impact,
        suggestion=payload.suggestion,
        give_anyway=payload.give_anyway,
        coaching_session_id=payload.coaching_session,
    )
    return Status(201, item)


@router.put(
    COACHING + "/feedback/{pk}/visibility",
    response={200: FeedbackOut},
    summary="Choose who reads feedback about you",
)
def feedback_visibility(
    request: HttpRequest, slug: str, cohort: str, pk: Id, payload: VisibilityIn
) -> Feedback:
    """The receiver only (403 for the giver; 404 for people who cannot read it)."""
    found = _feedback_cohort(request, slug, cohort)
    item = policy.get_feedback_or_404(user_of(request), found, pk)
    services.set_visibility(
        user_of(request), item, visibility=payload.visibility, shared_with=payload.shared_with
    )
    return _feedback_qs(request, found).get(pk=item.pk)


# --- reciprocity ---------------------------------------------------------------------------


@router.get(
    COACHING + "/reciprocity",
    response={200: ReciprocityOut},
    summary="Who coached whom",
)
def reciprocity_counts(request: HttpRequest, slug: str, cohort: str) -> dict[str, Any]:
    """Counts of sessions per person and per coach and coachee; never their content."""
    r = reciprocity(_cohort(request, slug, cohort))
    return {
        "sessions": r.sessions,
        "people": [{"person": p, **c} for p, c in r.rows()],
        "pairs": [
            {
                "coach": coach,
                "coachee": coachee,
                "sessions": n,
                "other_way": back,
                "one_sided": n >= ONE_SIDED_AT and back == 0,
            }
            for coach, coachee, n, back in r.pairs
        ],
    }
