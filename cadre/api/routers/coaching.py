"""Peer coaching sessions, the coach-prompt bank, structured feedback and the reciprocity
counts under /networks/{slug}/cohorts/{cohort}/coaching. The same permission layer and model
rules as the pages: people who are neither the cohort's active members nor the network's
organizers get 404, then the code of conduct; a session's content is for its participants
alone (404 for everyone else); feedback is read as cadre.lib.permissions.visible_feedback
says, and only its receiver changes who reads it."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.accountability.forms import deadline_in, lint
from cadre.accountability.models import Commitment, Visibility
from cadre.accountability.views import next_session_day
from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import INT32_MAX, Date, ErrorOut, Id, ProblemOut, UserRef
from cadre.coaching.forms import check, problem_list
from cadre.coaching.models import (
    ONE_SIDED_AT,
    CoachingSession,
    CoachPrompt,
    Feedback,
    FeedbackVisibility,
    HelpKind,
    PromptStage,
    active_members,
    give_feedback,
    open_session,
    reciprocity,
    set_visibility,
    share_choices,
)
from cadre.cohorts.models import Cohort
from cadre.lib import permissions

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
    deliverable: str = Field("", max_length=200)
    due_on: Date | None = None
    visibility: Visibility = Visibility.COHORT
    keep_anyway: bool = Field(
        False, description="Save even when the commitment check finds problems."
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


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = permissions.get_cohort_or_404(user_of(request), slug, cohort)
    if not permissions.can_view_reciprocity(user_of(request), found):
        raise errors.not_found("No such cohort.")
    require_conduct(request, found.network)
    return found


def _feedback_cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    """Feedback endpoints also answer people a receiver shared feedback with."""
    me = user_of(request)
    network = permissions.get_network_or_404(me, slug)
    found = Cohort.objects.select_related("network").filter(network=network, slug=cohort).first()
    if found is None or not permissions.can_use_feedback_pages(me, found):
        raise errors.not_found("No such cohort.")
    require_conduct(request, network)
    return found


def _member(request: HttpRequest, cohort: Cohort) -> None:
    if not permissions.can_coach(user_of(request), cohort):
        raise errors.forbidden("Coaching and feedback are for the cohort's active members.")


def _session(request: HttpRequest, cohort: Cohort, pk: int) -> CoachingSession:
    session = (
        CoachingSession.objects.select_related("coachee", "coach", "observer")
        .filter(cohort=cohort, pk=pk)
        .first()
    )
    if session is None or not permissions.can_view_coaching_session(user_of(request), session):
        raise errors.not_found("This cohort has no such coaching session.")
    return session


def _organizer(request: HttpRequest, cohort: Cohort) -> None:
    if not permissions.can_manage_prompts(user_of(request), cohort.network):
        raise errors.forbidden("The prompt bank is the organizers'.")


def _feedback_qs(request: HttpRequest, cohort: Cohort) -> QuerySet[Feedback]:
    return (
        permissions.visible_feedback(user_of(request), cohort)
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
    return permissions.visible_coaching_sessions(user_of(request), found).select_related(
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
    found = _cohort(request, slug, cohort)
    _member(request, found)
    coach = None
    if payload.coach is not None:
        coach = active_members(found).filter(pk=payload.coach).first()
        if coach is None:
            raise errors.invalid({"coach": ["Choose another active member of this cohort."]})
    try:
        session = open_session(
            found,
            user_of(request),
            focus=payload.focus,
            help_wanted=payload.help_wanted,
            coach=coach,
        )
    except DjangoValidationError as exc:
        raise errors.invalid_from_django(exc) from None
    return Status(201, session)


@router.get(
    COACHING + "/sessions/{pk}",
    response={200: CoachingSessionOut},
    summary="A coaching session",
)
def session_detail(request: HttpRequest, slug: str, cohort: str, pk: Id) -> CoachingSession:
    return _session(request, _cohort(request, slug, cohort), pk)


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
    session = _session(request, _cohort(request, slug, cohort), pk)
    changes = payload.model_dump(exclude_unset=True)
    for field in changes:
        if not permissions.can_edit_coaching_field(user_of(request), session, field):
            raise errors.forbidden(f"“{field}” is not yours to write in this session.")
    for field, value in changes.items():
        if value is None:
            raise errors.invalid({field: ["Send a value, or leave the field out."]})
        setattr(session, field, value.strip() if isinstance(value, str) else value)
    if "focus" in changes and not session.focus:
        raise errors.invalid({"focus": ["Say what you want to work on."]})
    session.updated_at = timezone.now()
    session.save()
    return session


@router.post(
    COACHING + "/sessions/{pk}/commitment",
    response={201: CommitmentRef, 409: ErrorOut},
    summary="Make the next step a commitment",
)
def next_step_commitment(
    request: HttpRequest, slug: str, cohort: str, pk: Id, payload: NextStepIn
) -> Status[Commitment]:
    """The coachee's next step goes on the board through the commitment check: with
    problems and without keep_anyway it answers 422 (`validation_error`) with
    `detail.problems` and `detail.suggestion`, and saves nothing."""
    found = _cohort(request, slug, cohort)
    session = _session(request, found, pk)
    me = user_of(request)
    if session.role_of(me) != "coachee" or not permissions.can_take_part(me, found):
        raise errors.forbidden("The coachee turns their next step into a commitment.")
    if session.commitment_id is not None:
        raise errors.ApiError(409, "conflict", "This next step is already a commitment.")
    text = (payload.text or session.next_step).strip()
    if not text:
        raise errors.invalid({"text": ["Write the next step first."]})
    today = timezone.localdate()
    upcoming = next_session_day(found)
    due = payload.due_on or deadline_in(text, today, upcoming)
    result = lint(text, due, today, upcoming)
    if not result.ok and not payload.keep_anyway:
        raise errors.ApiError(
            422,
            "validation_error",
            "The next step is not yet specific, observable and time-bound; use the suggestion "
            "or send keep_anyway=true.",
            fields={"text": [p.message for p in result.problems]},
            detail=result.to_dict(),
        )
    with transaction.atomic():
        commitment = Commitment.objects.create(
            cohort=found,
            owner=me,
            text=text,
            deliverable=payload.deliverable.strip(),
            due_on=due,
            visibility=payload.visibility,
            lint_problems=result.to_dict()["problems"],
            kept_anyway=not result.ok,
        )
        session.commitment = commitment
        session.next_step = session.next_step or text
        session.save(update_fields=["commitment", "next_step"])
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
    CoachPrompt.objects.ensure_defaults(found.network)
    bank = CoachPrompt.objects.filter(network=found.network)
    if not (include_retired and permissions.can_manage_prompts(user_of(request), found.network)):
        bank = bank.active()
    return bank.order_by("stage", "position", "pk")


@router.post(COACHING + "/prompts", response={201: PromptOut}, summary="Add a prompt")
def create_prompt(
    request: HttpRequest, slug: str, cohort: str, payload: PromptIn
) -> Status[CoachPrompt]:
    found = _cohort(request, slug, cohort)
    _organizer(request, found)
    CoachPrompt.objects.ensure_defaults(found.network)
    prompt = CoachPrompt.objects.create(
        network=found.network,
        text=payload.text.strip(),
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
    _organizer(request, found)
    prompt = CoachPrompt.objects.filter(network=found.network, pk=pk).first()
    if prompt is None:
        raise errors.not_found("This network has no such prompt.")
    changes = payload.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None:
            raise errors.invalid({field: ["Send a value, or leave the field out."]})
        setattr(prompt, field, value.strip() if isinstance(value, str) else value)
    if not prompt.text:
        raise errors.invalid({"text": ["Write the question."]})
    prompt.save()
    return prompt


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
    (`validation_error`) with `detail.problems` and `detail.suggestion`, and saves nothing."""
    found = _feedback_cohort(request, slug, cohort)
    _member(request, found)
    receiver = active_members(found).filter(pk=payload.receiver).first()
    if receiver is None:
        raise errors.invalid({"receiver": ["Choose an active member of this cohort."]})
    session = None
    if payload.coaching_session is not None:
        session = _session(request, found, payload.coaching_session)
    result = check(payload.situation, payload.behaviour, payload.impact, payload.suggestion)
    if not result.ok and not payload.give_anyway:
        raise errors.ApiError(
            422,
            "validation_error",
            "The feedback is not yet about a behaviour and its impact; use the suggestion or "
            "send give_anyway=true.",
            fields={"behaviour": [p.message for p in result.problems]},
            detail=result.to_dict(),
        )
    try:
        item = give_feedback(
            found,
            user_of(request),
            receiver,
            situation=payload.situation,
            behaviour=payload.behaviour,
            impact=payload.impact,
            suggestion=payload.suggestion,
            problems=problem_list(result),
            coaching_session=session,
        )
    except DjangoValidationError as exc:
        raise errors.invalid_from_django(exc) from None
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
    item = _feedback_qs(request, found).filter(pk=pk).first()
    if item is None:
        raise errors.not_found("This cohort has no such feedback.")
    if not permissions.can_set_feedback_visibility(user_of(request), item):
        raise errors.forbidden("Only the person who received the feedback decides who reads it.")
    people = list(share_choices(item).filter(pk__in=payload.shared_with))
    if len(people) != len(set(payload.shared_with)):
        raise errors.invalid(
            {"shared_with": ["Name people of this cohort, your coach or your mentor."]}
        )
    try:
        set_visibility(item, payload.visibility, people)
    except DjangoValidationError as exc:
        raise errors.invalid_from_django(exc) from None
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
