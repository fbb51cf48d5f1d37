"""Peer rotations: a cohort's coaching rounds (/networks/{slug}/cohorts/{cohort}/coaching)
and the network's virtual-coffee rituals (/networks/{slug}/rituals), with each person's
private "please don't pair me with" list (/networks/{slug}/exclusions: only ever your own).

The same permission layer and planning functions (cadre.rotations.planning) as the web
pages: coaching is cohort content (404, then the code of conduct, then 403 for people who
may not plan); coffee is for the network's own people, partners and outsiders get 404,
members who may not manage get 403."""

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import Date, ErrorOut, Id, StrictId, UserRef
from cadre.cohorts.models import Cadence, Cohort
from cadre.lib import permissions
from cadre.networks.models import Network
from cadre.rotations import planning
from cadre.rotations.models import (
    MAX_GROUP_SIZE,
    MAX_PLANNED_ROUNDS,
    MIN_GROUP_SIZE,
    Attribute,
    CoachingFormat,
    CoachingGroup,
    CoachingRound,
    CoachingSeat,
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeRound,
    PairingExclusion,
    Ritual,
    RitualParticipant,
)

router = Router(tags=["rotations"])

COACHING = "/networks/{slug}/cohorts/{cohort}/coaching"
RITUALS = "/networks/{slug}/rituals"
RITUAL = RITUALS + "/{ritual}"
EXCLUSIONS = "/networks/{slug}/exclusions"


# --- schemas -------------------------------------------------------------------------------


class SeatOut(Schema):
    user: UserRef
    role: str = Field(..., description="coach, coachee or observer.")


class CoachingGroupOut(Schema):
    index: int
    seats: list[SeatOut]

    @staticmethod
    def resolve_seats(obj: CoachingGroup) -> list[Any]:
        return list(obj.seats.all())


class CoachingRoundOut(Schema):
    number: int
    starts_on: date
    format: str
    started: bool = Field(..., description="Started rounds are history and never change.")
    groups: list[CoachingGroupOut]

    @staticmethod
    def resolve_started(obj: CoachingRound) -> bool:
        return obj.has_started()

    @staticmethod
    def resolve_groups(obj: CoachingRound) -> list[Any]:
        return list(obj.groups.all())


class CoachingPlanIn(Schema):
    rounds: StrictInt = Field(4, ge=1, le=MAX_PLANNED_ROUNDS)
    format: CoachingFormat = CoachingFormat.PAIR
    starts_on: Date | None = Field(None, description="Default: one cadence after the last.")


class RitualOut(Schema):
    id: int
    name: str
    description: str
    cadence: str
    group_size: int
    prefer_cross_cohort: bool
    prefer_close_time_zones: bool
    prefer_different: list[str]
    active: bool
    participants: int
    joined: bool = Field(..., description="Whether you take part.")
    snoozed_until: date | None = Field(None, description="Your snooze, if you take part.")

    @staticmethod
    def resolve_participants(obj: Ritual) -> int:
        people = getattr(obj, "people", None)
        return int(people if people is not None else obj.participants.count())

    @staticmethod
    def resolve_joined(obj: Ritual) -> bool:
        return getattr(obj, "mine", None) is not None

    @staticmethod
    def resolve_snoozed_until(obj: Ritual) -> date | None:
        mine = getattr(obj, "mine", None)
        return mine.snoozed_until if mine else None


class RitualIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = ""
    cadence: Cadence = Cadence.BIWEEKLY
    group_size: StrictInt = Field(2, ge=MIN_GROUP_SIZE, le=MAX_GROUP_SIZE)
    prefer_cross_cohort: bool = True
    prefer_close_time_zones: bool = True
    prefer_different: list[Attribute] = []
    active: bool = True


class RitualPatch(Schema):
    """Only the fields sent are changed."""

    name: str = Field(None, min_length=1, max_length=120)
    description: str = Field(None)
    cadence: Cadence = Field(None)
    group_size: StrictInt = Field(None, ge=MIN_GROUP_SIZE, le=MAX_GROUP_SIZE)
    prefer_cross_cohort: bool = Field(None)
    prefer_close_time_zones: bool = Field(None)
    prefer_different: list[Attribute] = Field(None)
    active: bool = Field(None)


class SnoozeIn(Schema):
    until: Date | None = Field(
        ..., description="Left out of rounds up to and including this day; null wakes you up."
    )


class ExclusionOut(Schema):
    id: int
    other: UserRef
    created_at: datetime


class ExclusionIn(Schema):
    user: StrictId = Field(..., description="The id of a person of the network.")


class CoffeeRoundOut(Schema):
    number: int
    scheduled_for: date
    groups: int
    repeats: int
    announced_at: datetime | None

    @staticmethod
    def resolve_groups(obj: CoffeeRound) -> int:
        count = getattr(obj, "group_count", None)
        return int(count if count is not None else obj.groups.count())


class CoffeeMemberOut(Schema):
    user: UserRef
    time_zone: str

    @staticmethod
    def resolve_time_zone(obj: CoffeeGroupMember) -> str:
        profile = getattr(obj.user, "profile", None)
        return profile.time_zone if profile else "UTC"


class CoffeeGroupOut(Schema):
    index: int
    members: list[CoffeeMemberOut]

    @staticmethod
    def resolve_members(obj: CoffeeGroup) -> list[Any]:
        return list(obj.members.all())


class CoffeeRoundDetailOut(CoffeeRoundOut):
    group_list: list[CoffeeGroupOut]

    @staticmethod
    def resolve_group_list(obj: CoffeeRound) -> list[Any]:
        return list(obj.groups.all())


class GroupMateOut(Schema):
    user: UserRef
    time_zone: str


class MyGroupOut(Schema):
    round: int
    scheduled_for: date
    people: list[GroupMateOut] = Field(..., description="The others in my group.")


# --- helpers -------------------------------------------------------------------------------


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = permissions.get_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _network(request: HttpRequest, slug: str) -> Network:
    network = permissions.get_rituals_network_or_404(user_of(request), slug)
    require_conduct(request, network)
    return network


def _ritual(request: HttpRequest, slug: str, ritual: int) -> Ritual:
    network = _network(request, slug)
    found = permissions.visible_rituals(user_of(request), network).filter(pk=ritual).first()
    if found is None:
        raise errors.not_found("No such ritual.")
    found.network = network
    found.mine = RitualParticipant.objects.filter(ritual=found, user=user_of(request)).first()  # type: ignore[attr-defined]
    return found


def _require_manager(request: HttpRequest, network: Network) -> None:
    if not permissions.can_manage_rituals(user_of(request), network):
        raise errors.forbidden(f"Only the organizers of {network.name} manage virtual coffee.")


def _coaching_rounds(cohort: Cohort) -> list[CoachingRound]:
    seats = CoachingSeat.objects.select_related("user").order_by("role", "user__name")
    groups = CoachingGroup.objects.prefetch_related(Prefetch("seats", queryset=seats))
    return list(
        CoachingRound.objects.filter(cohort=cohort)
        .prefetch_related(Prefetch("groups", queryset=groups.order_by("index")))
        .order_by("number")
    )


def _save_ritual(ritual: Ritual, changes: dict[str, Any]) -> Ritual:
    for name, value in changes.items():
        setattr(ritual, name, [str(v) for v in value] if name == "prefer_different" else value)
    ritual.save()
    return ritual


# --- coaching ------------------------------------------------------------------------------


@router.get(COACHING, response={200: list[CoachingRoundOut]}, summary="Coaching rounds")
def coaching_rounds(request: HttpRequest, slug: str, cohort: str) -> list[CoachingRound]:
    """Every round of the cohort's coaching rotation, oldest first, with groups and roles."""
    return _coaching_rounds(_cohort(request, slug, cohort))


@router.post(
    COACHING,
    response={201: list[CoachingRoundOut]},
    summary="Plan the next coaching rounds (hosts, organizers)",
)
def plan_coaching(
    request: HttpRequest, slug: str, cohort: str, payload: CoachingPlanIn
) -> Status[list[CoachingRound]]:
    """Replaces the rounds that have not started with `rounds` new ones; started rounds stay."""
    found = _cohort(request, slug, cohort)
    if not permissions.can_plan_coaching(user_of(request), found):
        raise errors.forbidden("Only the cohort's hosts and the network's organizers plan it.")
    if payload.starts_on is not None and payload.starts_on < timezone.localdate():
        raise errors.invalid({"starts_on": ["Plan rounds from today on."]})
    try:
        planning.plan_coaching(
            found, rounds=payload.rounds, format=payload.format, starts_on=payload.starts_on
        )
    except planning.PlanningProblem as exc:
        raise errors.invalid({"body": [str(exc)]}, str(exc)) from None
    return Status(201, _coaching_rounds(found))


# --- rituals -------------------------------------------------------------------------------


@router.get(RITUALS, response={200: list[RitualOut]}, summary="Virtual-coffee rituals")
@paginate(Pagination)
def rituals(request: HttpRequest, slug: str) -> list[Ritual]:
    """Active rituals; paused ones too for organizers."""
    user = user_of(request)
    network = _network(request, slug)
    found = list(
        permissions.visible_rituals(user, network)
        .annotate(people=Count("participants"))
        .order_by("name", "pk")
    )
    mine = {p.ritual_id: p for p in RitualParticipant.objects.filter(ritual__in=found, user=user)}
    for ritual in found:
        ritual.mine = mine.get(ritual.pk)  # type: ignore[attr-defined]
    return found


@router.post(RITUALS, response={201: RitualOut}, summary="Set up a ritual")
def create_ritual(request: HttpRequest, slug: str, payload: RitualIn) -> Status[Ritual]:
    network = _network(request, slug)
    _require_manager(request, network)
    ritual = _save_ritual(
        Ritual(network=network, created_by=user_of(request)), payload.model_dump()
    )
    ritual.mine = None  # type: ignore[attr-defined]
    return Status(201, ritual)


@router.get(RITUAL, response={200: RitualOut}, summary="A ritual")
def ritual_detail(request: HttpRequest, slug: str, ritual: Id) -> Ritual:
    return _ritual(request, slug, ritual)


@router.patch(RITUAL, response={200: RitualOut}, summary="Change a ritual")
def update_ritual(request: HttpRequest, slug: str, ritual: Id, payload: RitualPatch) -> Ritual:
    found = _ritual(request, slug, ritual)
    _require_manager(request, found.network)
    return _save_ritual(found, payload.model_dump(exclude_unset=True))


@router.post(RITUAL + "/join", response={200: RitualOut}, summary="Join")
def join(request: HttpRequest, slug: str, ritual: Id) -> Ritual:
    found = _ritual(request, slug, ritual)
    if not permissions.can_join_ritual(user_of(request), found):
        raise errors.forbidden("This ritual is paused; nobody can join it now.")
    found.mine, _ = RitualParticipant.objects.get_or_create(ritual=found, user=user_of(request))  # type: ignore[attr-defined]
    return found


@router.post(RITUAL + "/leave", response={200: RitualOut}, summary="Leave")
def leave(request: HttpRequest, slug: str, ritual: Id) -> Ritual:
    found = _ritual(request, slug, ritual)
    RitualParticipant.objects.filter(ritual=found, user=user_of(request)).delete()
    found.mine = None  # type: ignore[attr-defined]
    return found


@router.post(RITUAL + "/snooze", response={200: RitualOut}, summary="Snooze")
def snooze(request: HttpRequest, slug: str, ritual: Id, payload: SnoozeIn) -> Ritual:
    found = _ritual(request, slug, ritual)
    mine = found.mine  # type: ignore[attr-defined]
    if mine is None:
        raise errors.forbidden("Join the ritual before you snooze it.")
    today = timezone.localdate()
    if payload.until is not None and not (0 <= (payload.until - today).days <= 366):
        raise errors.invalid({"until": ["Pick a day from today to a year from now."]})
    mine.snoozed_until = payload.until
    mine.save(update_fields=["snoozed_until"])
    return found


# --- coffee rounds -------------------------------------------------------------------------


@router.get(
    RITUAL + "/rounds",
    response={200: list[CoffeeRoundOut]},
    summary="Rounds (organizers)",
)
@paginate(Pagination)
def rounds(request: HttpRequest, slug: str, ritual: Id) -> QuerySet[CoffeeRound]:
    """Newest first."""
    found = _ritual(request, slug, ritual)
    _require_manager(request, found.network)
    return found.rounds.annotate(group_count=Count("groups")).order_by("-number")


@router.post(
    RITUAL + "/rounds",
    response={201: CoffeeRoundDetailOut, 409: ErrorOut, 422: ErrorOut},
    summary="Generate the next round (organizers)",
)
def generate_round(request: HttpRequest, slug: str, ritual: Id) -> Status[CoffeeRound]:
    """Groups everyone taking part who is not snoozing, honours private lists, and queues
    one announcement e-mail per person."""
    found = _ritual(request, slug, ritual)
    _require_manager(request, found.network)
    if not found.active:
        raise errors.ApiError(409, "conflict", "This ritual is paused.")
    try:
        coffee = planning.plan_coffee_round(found, by=user_of(request))
    except planning.PlanningProblem as exc:
        raise errors.invalid({"body": [str(exc)]}, str(exc)) from None
    return Status(201, _round_detail(found, coffee.number))


def _round_detail(ritual: Ritual, number: int) -> CoffeeRound:
    members = CoffeeGroupMember.objects.select_related("user__profile").order_by("user__name")
    groups = CoffeeGroup.objects.prefetch_related(Prefetch("members", queryset=members))
    return get_object_or_404(
        ritual.rounds.annotate(group_count=Count("groups")).prefetch_related(
            Prefetch("groups", queryset=groups.order_by("index"))
        ),
        number=number,
    )


@router.get(
    RITUAL + "/rounds/{number}",
    response={200: CoffeeRoundDetailOut},
    summary="A round with its groups (organizers)",
)
def round_detail(request: HttpRequest, slug: str, ritual: Id, number: Id) -> CoffeeRound:
    found = _ritual(request, slug, ritual)
    _require_manager(request, found.network)
    return _round_detail(found, number)


@router.get(
    RITUAL + "/my-groups",
    response={200: list[MyGroupOut]},
    summary="My groups in this ritual",
)
def my_groups(request: HttpRequest, slug: str, ritual: Id) -> list[dict[str, Any]]:
    """The rounds you were in, newest first, with the other people of your group."""
    found = _ritual(request, slug, ritual)
    result = []
    for coffee, others in planning.my_coffee_groups(found, user_of(request)):
        result.append(
            {
                "round": coffee.number,
                "scheduled_for": coffee.scheduled_for,
                "people": [
                    {
                        "user": u,
                        "time_zone": getattr(getattr(u, "profile", None), "time_zone", "UTC"),
                    }
                    for u in others
                ],
            }
        )
    return result


# --- my private list -----------------------------------------------------------------------


@router.get(EXCLUSIONS, response={200: list[ExclusionOut]}, summary="My private list")
@paginate(Pagination)
def exclusions(request: HttpRequest, slug: str) -> QuerySet[PairingExclusion]:
    """The people you asked not to be paired with. Only ever yours: nobody else sees it."""
    network = _network(request, slug)
    return (
        PairingExclusion.objects.owned_by(user_of(request), network)
        .select_related("other")
        .order_by("created_at", "pk")
    )


@router.post(EXCLUSIONS, response={201: ExclusionOut}, summary="Add to my list")
def add_exclusion(request: HttpRequest, slug: str, payload: ExclusionIn) -> Status[Any]:
    user = user_of(request)
    network = _network(request, slug)
    other = planning.network_people(network, exclude=user).filter(pk=payload.user).first()
    if other is None:
        raise errors.invalid({"user": ["Pick another person of this network."]})
    try:
        with transaction.atomic():
            exclusion = PairingExclusion.objects.create(network=network, owner=user, other=other)
    except IntegrityError:
        raise errors.invalid({"user": ["This person is already on your list."]}) from None
    return Status(201, exclusion)


@router.delete(
    EXCLUSIONS + "/{exclusion}",
    response={204: None},
    summary="Remove from my list",
)
def remove_exclusion(request: HttpRequest, slug: str, exclusion: Id) -> Status[None]:
    network = _network(request, slug)
    found = PairingExclusion.objects.owned_by(user_of(request), network).filter(pk=exclusion)
    if not found.delete()[0]:
        raise errors.not_found("No such entry on your list.")
    return Status(204, None)
