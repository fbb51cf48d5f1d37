"""Commitments, kudos, progress updates, blockers and offers of help, and experiments under
/networks/{slug}/cohorts/{cohort}. The same permission layer, QuerySets and model methods as
the board's pages: people who may not see the board get 404, the code of conduct comes next,
taking part is for the cohort's members (403 for organizers), and private commitments and
experiments are their owner's alone (404 for everyone else)."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.accountability.forms import deadline_in, lint
from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Kudos,
    Outcome,
    ProgressUpdate,
    Visibility,
)
from cadre.accountability.views import next_session_day
from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import Date, Id, ProblemOut, UserRef
from cadre.cohorts.models import Cohort
from cadre.lib import permissions

router = Router(tags=["accountability"])

COHORT = "/networks/{slug}/cohorts/{cohort}"


# --- schemas -------------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    owner: UserRef
    text: str
    deliverable: str
    due_on: date | None
    evidence: str
    visibility: str
    status: str = Field(..., description="open, done, missed or dropped.")
    lint_problems: list[ProblemOut]
    kept_anyway: bool
    created_at: datetime
    completed_at: datetime | None


class CommitmentIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    deliverable: str = Field("", max_length=200)
    due_on: Date | None = None
    visibility: Visibility = Visibility.COHORT
    keep_anyway: bool = Field(
        False, description="Save even when the commitment check finds problems."
    )


class StatusIn(Schema):
    status: CommitmentStatus
    evidence: str = Field("", max_length=500, description="Required to mark done.")


class KudosOut(Schema):
    commitment: int
    giver: UserRef
    created_at: datetime

    @staticmethod
    def resolve_commitment(obj: Kudos) -> int:
        return obj.commitment_id


class OfferOut(Schema):
    id: int
    helper: UserRef
    message: str
    created_at: datetime
    accepted_at: datetime | None


class BlockerOut(Schema):
    id: int
    author: UserRef
    text: str
    skills: list[str]
    created_at: datetime
    first_offer_at: datetime | None
    resolved_at: datetime | None
    offers: list[OfferOut]

    @staticmethod
    def resolve_author(obj: Blocker) -> Any:
        return obj.update.author

    @staticmethod
    def resolve_skills(obj: Blocker) -> list[str]:
        return [s.slug for s in obj.skills.all()]

    @staticmethod
    def resolve_offers(obj: Blocker) -> list[Any]:
        return list(obj.offers.all())


class UpdateOut(Schema):
    id: int
    author: UserRef
    commitment: int | None
    done: str
    remaining: str
    blocker: str | None
    created_at: datetime

    @staticmethod
    def resolve_commitment(obj: ProgressUpdate) -> int | None:
        return obj.commitment_id

    @staticmethod
    def resolve_blocker(obj: ProgressUpdate) -> str | None:
        blocker = getattr(obj, "blocker", None)
        return blocker.text if blocker else None


class UpdateIn(Schema):
    commitment: Id | None = None
    done: str = Field("", max_length=2000)
    remaining: str = Field("", max_length=2000)
    blocker: str = Field("", max_length=2000)
    skills: list[str] = Field([], description="Skill slugs of the cohort's network.")


class OfferIn(Schema):
    message: str = Field("", max_length=500)


class ExperimentOut(Schema):
    id: int
    owner: UserRef
    title: str
    skill: str | None
    capability: str
    hypothesis: str
    plan: str
    starts_on: date
    ends_on: date
    measure: str
    baseline: str
    result_data: str
    outcome: str
    learnings: str
    next_steps: str
    visibility: str

    @staticmethod
    def resolve_skill(obj: Experiment) -> str | None:
        return obj.skill.slug if obj.skill else None


class ExperimentIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    skill: str | None = Field(None, description="A skill slug of the cohort's network.")
    capability: str = Field(..., min_length=1, max_length=200)
    hypothesis: str = Field(..., min_length=1)
    plan: str = Field(..., min_length=1)
    starts_on: Date
    ends_on: Date
    measure: str = Field(..., min_length=1, max_length=200)
    baseline: str = Field("", max_length=200)
    result_data: str = ""
    outcome: Outcome = Outcome.RUNNING
    learnings: str = ""
    next_steps: str = ""
    visibility: Visibility = Visibility.COHORT


# --- helpers -------------------------------------------------------------------------------


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = permissions.get_board_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _member_cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = _cohort(request, slug, cohort)
    if not permissions.can_take_part(user_of(request), found):
        raise errors.forbidden("Only the cohort's active members take part on its board.")
    return found


def _commitment(request: HttpRequest, cohort: Cohort, pk: int) -> Commitment:
    found = Commitment.objects.select_related("owner", "cohort__network").filter(
        cohort=cohort, pk=pk
    )
    commitment = found.first()
    if commitment is None or not permissions.can_view_private_item(user_of(request), commitment):
        raise errors.not_found("This cohort has no such commitment.")
    return commitment


def _skills(cohort: Cohort, slugs: list[str]) -> list[Any]:
    found = list(cohort.network.skills.filter(slug__in=slugs))
    if len(found) != len(set(slugs)):
        raise errors.invalid({"skills": ["Use skill slugs of this network."]})
    return found


def _blockers(user: Any) -> QuerySet[Blocker]:
    return (
        Blocker.objects.visible_to(user)
        .select_related("update__author")
        .prefetch_related("skills", "offers__helper")
    )


# --- commitments ---------------------------------------------------------------------------


@router.get(COHORT + "/commitments", response={200: list[CommitmentOut]}, summary="Commitments")
@paginate(Pagination)
def commitments(
    request: HttpRequest, slug: str, cohort: str, status: CommitmentStatus | None = None
) -> QuerySet[Commitment]:
    """The cohort's commitments and your private ones, soonest due first."""
    found = _cohort(request, slug, cohort)
    result = Commitment.objects.visible_to(user_of(request)).filter(cohort=found)
    if status:
        result = result.filter(status=status)
    return result.select_related("owner").order_by("due_on", "pk")


@router.post(
    COHORT + "/commitments",
    response={201: CommitmentOut},
    summary="Make a commitment",
)
def create_commitment(
    request: HttpRequest, slug: str, cohort: str, payload: CommitmentIn
) -> Status[Commitment]:
    """Runs the commitment check. With problems and without keep_anyway it answers 422
    (`validation_error`) with `detail.problems` and `detail.suggestion`, and saves nothing."""
    found = _member_cohort(request, slug, cohort)
    today = found.today()
    upcoming = next_session_day(found)
    due = payload.due_on or deadline_in(payload.text, today, upcoming)
    result = lint(payload.text, due, today, upcoming)
    if not result.ok and not payload.keep_anyway:
        raise errors.ApiError(
            422,
            "validation_error",
            "The commitment is not yet specific, observable and time-bound; use the "
            "suggestion or send keep_anyway=true.",
            fields={"text": [p.message for p in result.problems]},
            detail=result.to_dict(),
        )
    commitment = Commitment.objects.create(
        cohort=found,
        owner=user_of(request),
        text=payload.text.strip(),
        deliverable=payload.deliverable.strip(),
        due_on=due,
        visibility=payload.visibility,
        lint_problems=result.to_dict()["problems"],
        kept_anyway=not result.ok,
    )
    return Status(201, commitment)


@router.patch(
    COHORT + "/commitments/{pk}",
    response={200: CommitmentOut},
    summary="Change a commitment's status",
)
def update_commitment(
    request: HttpRequest, slug: str, cohort: str, pk: Id, payload: StatusIn
) -> Commitment:
    """Done needs evidence. The owner sets any status; hosts and organizers may mark a
    commitment missed."""
    commitment = _commitment(request, _cohort(request, slug, cohort), pk)
    if not permissions.can_set_commitment_status(user_of(request), commitment, payload.status):
        raise errors.forbidden("Only the owner changes this commitment.")
    try:
        commitment.mark(payload.status, payload.evidence)
    except DjangoValidationError as exc:
        raise errors.invalid_from_django(exc) from None
    return commitment


@router.post(
    COHORT + "/commitments/{pk}/kudos",
    response={200: KudosOut, 201: KudosOut},
    summary="Give kudos",
)
def give_kudos(request: HttpRequest, slug: str, cohort: str, pk: Id) -> Status[Kudos]:
    """Kudos for a peer's commitment that is done (201; 200 if you already gave them)."""
    found = _member_cohort(request, slug, cohort)
    commitment = _commitment(request, found, pk)
    if commitment.owner_id == user_of(request).pk:
        raise errors.forbidden("Kudos are for other people's commitments.")
    if commitment.status != CommitmentStatus.DONE:
        raise errors.forbidden("Kudos are for commitments that are done.")
    kudos, created = Kudos.objects.get_or_create(commitment=commitment, giver=user_of(request))
    return Status(201 if created else 200, kudos)


# --- updates, blockers, offers -------------------------------------------------------------


@router.get(COHORT + "/updates", response={200: list[UpdateOut]}, summary="Updates")
@paginate(Pagination)
def updates(request: HttpRequest, slug: str, cohort: str) -> QuerySet[ProgressUpdate]:
    found = _cohort(request, slug, cohort)
    return (
        ProgressUpdate.objects.visible_to(user_of(request))
        .filter(cohort=found)
        .select_related("author", "blocker")
        .order_by("-created_at", "-pk")
    )


@router.post(COHORT + "/updates", response={201: UpdateOut}, summary="Post an update")
def create_update(
    request: HttpRequest, slug: str, cohort: str, payload: UpdateIn
) -> Status[ProgressUpdate]:
    """Done / remaining / blocker; `commitment` must be one of your open commitments."""
    found = _member_cohort(request, slug, cohort)
    me = user_of(request)
    commitment = None
    if payload.commitment is not None:
        commitment = (
            Commitment.objects.open().filter(cohort=found, owner=me, pk=payload.commitment).first()
        )
        if commitment is None:
            raise errors.invalid({"commitment": ["Choose one of your open commitments."]})
    if not any(s.strip() for s in (payload.done, payload.remaining, payload.blocker)):
        raise errors.invalid({"body": ["Say what you did, what remains, or what blocks you."]})
    skills = _skills(found, payload.skills)
    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            cohort=found,
            author=me,
            commitment=commitment,
            done=payload.done.strip(),
            remaining=payload.remaining.strip(),
        )
        if payload.blocker.strip():
            blocker = Blocker.objects.create(update=update, text=payload.blocker.strip())
            blocker.skills.set(skills)
    return Status(201, ProgressUpdate.objects.select_related("author", "blocker").get(pk=update.pk))


@router.get(COHORT + "/blockers", response={200: list[BlockerOut]}, summary="Open blockers")
@paginate(Pagination)
def blockers(
    request: HttpRequest, slug: str, cohort: str, include_resolved: bool = False
) -> QuerySet[Blocker]:
    found = _cohort(request, slug, cohort)
    result = _blockers(user_of(request)).filter(update__cohort=found)
    if not include_resolved:
        result = result.unresolved()
    return result.order_by("created_at", "pk")


@router.post(
    COHORT + "/blockers/{pk}/offers",
    response={201: OfferOut},
    summary="Offer help with a blocker",
)
def offer_help(
    request: HttpRequest, slug: str, cohort: str, pk: Id, payload: OfferIn
) -> Status[HelpOffer]:
    found = _member_cohort(request, slug, cohort)
    blocker = _blockers(user_of(request)).filter(update__cohort=found, pk=pk).first()
    if blocker is None:
        raise errors.not_found("This cohort has no such blocker.")
    try:
        offer = blocker.offer(user_of(request), payload.message)
    except DjangoValidationError as exc:
        raise errors.forbidden(" ".join(exc.messages)) from None
    return Status(201, offer)


@router.post(
    COHORT + "/offers/{pk}/accept",
    response={200: OfferOut},
    summary="Accept an offer of help",
)
def accept_offer(request: HttpRequest, slug: str, cohort: str, pk: Id) -> HelpOffer:
    """Only the blocked person accepts; the blocker is resolved."""
    found = _cohort(request, slug, cohort)
    visible = Blocker.objects.visible_to(user_of(request)).filter(update__cohort=found)
    offer = (
        HelpOffer.objects.select_related("blocker__update", "helper")
        .filter(pk=pk, blocker__in=visible)
        .first()
    )
    if offer is None:
        raise errors.not_found("This cohort has no such offer.")
    if offer.blocker.update.author_id != user_of(request).pk:
        raise errors.forbidden("Only the person who is blocked accepts offers of help.")
    offer.accept()
    return offer


# --- experiments ---------------------------------------------------------------------------


@router.get(COHORT + "/experiments", response={200: list[ExperimentOut]}, summary="Experiments")
@paginate(Pagination)
def experiments(request: HttpRequest, slug: str, cohort: str) -> QuerySet[Experiment]:
    found = _cohort(request, slug, cohort)
    return (
        Experiment.objects.visible_to(user_of(request))
        .filter(cohort=found)
        .select_related("owner", "skill")
    )


@router.post(
    COHORT + "/experiments",
    response={201: ExperimentOut},
    summary="Start an experiment",
)
def create_experiment(
    request: HttpRequest, slug: str, cohort: str, payload: ExperimentIn
) -> Status[Experiment]:
    """Time-bound: ends_on must come after starts_on."""
    found = _member_cohort(request, slug, cohort)
    data = payload.model_dump()
    skill_slug = data.pop("skill")
    skill = _skills(found, [skill_slug])[0] if skill_slug else None
    experiment = Experiment(cohort=found, owner=user_of(request), skill=skill, **data)
    try:
        experiment.full_clean()
    except DjangoValidationError as exc:
        raise errors.invalid_from_django(exc) from None
    experiment.save()
    return Status(201, experiment)
