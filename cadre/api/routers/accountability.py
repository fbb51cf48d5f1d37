"""Commitments, kudos, progress updates, blockers and offers of help, and experiments under
/networks/{slug}/cohorts/{cohort}. The same policy (cadre.accountability.policy) and services
(cadre.accountability.services) as the board's pages: people who may not see the board get
404, the code of conduct comes next, taking part is for the cohort's members (403 for
organizers), and private commitments and experiments are their owner's alone (404 for
everyone else). A service's refusal comes back in the API's error shape (cadre.api.errors)."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.accountability import policy, services
from cadre.accountability.models import (
    Blocker,
    BlockerQuerySet,
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Kudos,
    Outcome,
    ProgressUpdate,
    Visibility,
)
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import (
    COHORT_SKILL,
    DELIVERABLE,
    KEEP_ANYWAY,
    Date,
    Id,
    ProblemOut,
    UserRef,
)
from cadre.cohorts.models import Cohort
from cadre.networks.services import skills_by_slug

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
    skill: str | None = Field(None, description=COHORT_SKILL)
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
    found = policy.get_board_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _member_cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = _cohort(request, slug, cohort)
    services.require_member(user_of(request), found)
    return found


# --- commitments ---------------------------------------------------------------------------


@router.get(COHORT + "/commitments", response={200: list[CommitmentOut]}, summary="Commitments")
@paginate(Pagination)
def commitments(
    request: HttpRequest, slug: str, cohort: str, status: CommitmentStatus | None = None
) -> QuerySet[Commitment]:
    """The cohort's commitments and your private ones, soonest due first."""
    found = _cohort(request, slug, cohort)
    result = policy.visible_commitments(user_of(request), found)
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
    """Runs the commitment check (services.make_commitment, as the board does). With problems
    and without keep_anyway, or without a due date (in `due_on` or the text), it answers 422
    (`validation_error`) with `fields` and the check in `detail` (`problems`, `suggestion`,
    `deadline` and `rewrite`, with what is still missing), and saves nothing."""
    found = _cohort(request, slug, cohort)
    commitment = services.make_commitment(
        cohort=found,
        owner=user_of(request),
        text=payload.text,
        deliverable=payload.deliverable,
        due_on=payload.due_on,
        visibility=payload.visibility,
        keep_anyway=payload.keep_anyway,
        due_label=services.DUE_ON,
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
    me = user_of(request)
    commitment = policy.get_commitment_or_404(me, _cohort(request, slug, cohort), pk)
    return services.set_commitment_status(
        me, commitment, status=payload.status, evidence=payload.evidence
    )


@router.post(
    COHORT + "/commitments/{pk}/kudos",
    response={200: KudosOut, 201: KudosOut},
    summary="Give kudos",
)
def give_kudos(request: HttpRequest, slug: str, cohort: str, pk: Id) -> Status[Kudos]:
    """Kudos for a peer's commitment that is done (201; 200 if you already gave them)."""
    found = _member_cohort(request, slug, cohort)
    commitment = policy.get_commitment_or_404(user_of(request), found, pk)
    kudos, created = services.give_kudos(user_of(request), commitment)
    return Status(201 if created else 200, kudos)


# --- updates, blockers, offers -------------------------------------------------------------


@router.get(COHORT + "/updates", response={200: list[UpdateOut]}, summary="Updates")
@paginate(Pagination)
def updates(request: HttpRequest, slug: str, cohort: str) -> QuerySet[ProgressUpdate]:
    found = _cohort(request, slug, cohort)
    return (
        policy.visible_updates(user_of(request), found)
        .select_related("author", "blocker")
        .order_by("-created_at", "-pk")
    )


@router.post(COHORT + "/updates", response={201: UpdateOut}, summary="Post an update")
def create_update(
    request: HttpRequest, slug: str, cohort: str, payload: UpdateIn
) -> Status[ProgressUpdate]:
    """Done / remaining / blocker; `commitment` must be one of your open commitments, and
    `skills` (who could help) need a blocker."""
    found = _member_cohort(request, slug, cohort)
    update = services.post_update(
        user_of(request),
        found,
        commitment=payload.commitment,
        done=payload.done,
        remaining=payload.remaining,
        blocker=payload.blocker,
        skills=skills_by_slug(found.network, payload.skills),
    )
    return Status(201, ProgressUpdate.objects.select_related("author", "blocker").get(pk=update.pk))


@router.get(COHORT + "/blockers", response={200: list[BlockerOut]}, summary="Open blockers")
@paginate(Pagination)
def blockers(
    request: HttpRequest, slug: str, cohort: str, include_resolved: bool = False
) -> QuerySet[Blocker]:
    found = _cohort(request, slug, cohort)
    result = (
        policy.visible_blockers(user_of(request), found)
        .select_related("update__author")
        .prefetch_related("skills", "offers__helper")
    )
    if not include_resolved:
        # Blocker's manager makes BlockerQuerySets; visible_blockers is typed as a plain QuerySet.
        assert isinstance(result, BlockerQuerySet)
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
    blocker = policy.get_blocker_or_404(user_of(request), found, pk)
    return Status(201, services.offer_help(user_of(request), blocker, message=payload.message))


@router.post(
    COHORT + "/offers/{pk}/accept",
    response={200: OfferOut},
    summary="Accept an offer of help",
)
def accept_offer(request: HttpRequest, slug: str, cohort: str, pk: Id) -> HelpOffer:
    """Only the blocked person accepts; the blocker is resolved."""
    found = _cohort(request, slug, cohort)
    offer = policy.get_offer_or_404(user_of(request), found, pk)
    return services.accept_offer(user_of(request), offer)


# --- experiments ---------------------------------------------------------------------------


@router.get(COHORT + "/experiments", response={200: list[ExperimentOut]}, summary="Experiments")
@paginate(Pagination)
def experiments(request: HttpRequest, slug: str, cohort: str) -> QuerySet[Experiment]:
    found = _cohort(request, slug, cohort)
    return policy.visible_experiments(user_of(request), found).select_related("owner", "skill")


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
    slug_of_skill = data.pop("skill")
    skill = (
        skills_by_slug(found.network, [slug_of_skill], field="skill")[0] if slug_of_skill else None
    )
    return Status(201, services.start_experiment(user_of(request), found, skill=skill, **data))
