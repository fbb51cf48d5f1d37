"""Peer rotations: a cohort's coaching rounds (/networks/{slug}/cohorts/{cohort}/coaching)
and the network's virtual-coffee rituals (/networks/{slug}/rituals), with each person's
private "please don't pair me with" list (/networks/{slug}/exclusions: only ever your own).

The same policy (cadre.rotations.policy) and services (cadre.rotations.services) as the web
pages: coaching is cohort content (404, then the code of conduct, then 403 for people who
may not plan); coffee is for the network's own people, partners and outsiders get 404,
members who may not manage get 403."""

from datetime import date, datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import Date, ErrorOut, Id, Omittable, StrictId, UserRef
from cadre.cohorts.models import Cadence, Cohort
from cadre.cohorts.policy import get_cohort_or_404
from cadre.networks.models import Network
from cadre.rotations import planning, policy, services
from cadre.rotations.models import (
    MAX_GROUP_SIZE,
    MAX_PLANNED_ROUNDS,
    MIN_GROUP_SIZE,
    Attribute,
    CoachingFormat,
    CoachingGroup,
    CoachingRound,
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
        return _mine(obj) is not None

    @staticmethod
    def resolve_snoozed_until(obj: Ritual) -> date | None:
        mine = _mine(obj)
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

    name: Omittable[str] = Field(None, min_length=1, max_length=120)
    description: Omittable[str] = Field(None)
    cadence: Omittable[Cadence] = Field(None)
    group_size: Omittable[StrictInt] = Field(None, ge=MIN_GROUP_SIZE, le=MAX_GROUP_SIZE)
    prefer_cross_cohort: Omittable[bool] = Field(None)
    prefer_close_time_zones: Omittable[bool] = Field(None)
    prefer_different: Omittable[list[Attribute]] = Field(None)
    active: Omittable[bool] = Field(None)


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

# The caller's participation in a ritual (None when they do not take part): the endpoints set
# it on the Ritual they answer with, under this name, for RitualOut. Ritual has no such field.
MINE = "mine"


def _with_mine(ritual: Ritual, mine: RitualParticipant | None) -> Ritual:
    setattr(ritual, MINE, mine)
    return ritual


def _mine(ritual: Ritual) -> RitualParticipant | None:
    mine: RitualParticipant | None = getattr(ritual, MINE, None)
    return mine


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = get_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _network(request: HttpRequest, slug: str) -> Network:
    network = policy.get_rituals_network_or_404(user_of(request), slug)
    require_conduct(request, network)
    return network


def _ritual(request: HttpRequest, slug: str, ritual: int) -> Ritual:
    found = policy.get_ritual_or_404(user_of(request), _network(request, slug), ritual)
    return _with_mine(found, services.participation(user_of(request), found))


# --- coaching ------------------------------------------------------------------------------


@router.get(COACHING, response={200: list[CoachingRoundOut]}, summary="Coaching rounds")
def coaching_rounds(request: HttpRequest, slug: str, cohort: str) -> list[CoachingRound]:
    """Every round of the cohort's coaching rotation, oldest first, with groups and roles."""
    return services.coaching_rounds(_cohort(request, slug, cohort))


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
    services.plan_coaching(
        user_of(request),
        found,
        rounds=payload.rounds,
        format=payload.format,
        starts_on=payload.starts_on,
    )
    return Status(201, services.coaching_rounds(found))


# --- rituals -------------------------------------------------------------------------------


@router.get(RITUALS, response={200: list[RitualOut]}, summary="Virtual-coffee rituals")
@paginate(Pagination)
def rituals(request: HttpRequest, slug: str) -> list[Ritual]:
    """Active rituals; paused ones too for organizers."""
    user = user_of(request)
    network = _network(request, slug)
    found: list[Ritual] = list(
        policy.visible_rituals(user, network)
        .annotate(people=Count("participants"))
        .order_by("name", "pk")
    )
    mine = {p.ritual_id: p for p in RitualParticipant.objects.filter(ritual__in=found, user=user)}
    return [_with_mine(ritual, mine.get(ritual.pk)) for ritual in found]


@router.post(RITUALS, response={201: RitualOut}, summary="Set up a ritual")
def create_ritual(request: HttpRequest, slug: str, payload: RitualIn) -> Status[Ritual]:
    network = _network(request, slug)
    ritual = services.create_ritual(user_of(request), network, **payload.model_dump())
    return Status(201, _with_mine(ritual, None))


@router.get(RITUAL, response={200: RitualOut}, summary="A ritual")
def ritual_detail(request: HttpRequest, slug: str, ritual: Id) -> Ritual:
    return _ritual(request, slug, ritual)


@router.patch(RITUAL, response={200: RitualOut}, summary="Change a ritual")
def update_ritual(request: HttpRequest, slug: str, ritual: Id, payload: RitualPatch) -> Ritual:
    found = _ritual(request, slug, ritual)
    return services.update_ritual(user_of(request), found, **payload.model_dump(exclude_unset=True))


@router.post(RITUAL + "/join", response={200: RitualOut}, summary="Join")
def join(request: HttpRequest, slug: str, ritual: Id) -> Ritual:
    found = _ritual(request, slug, ritual)
    participant, _ = services.join_ritual(user_of(request), found)
    return _with_mine(found, participant)


@router.post(RITUAL + "/leave", response={200: RitualOut}, summary="Leave")
def leave(request: HttpRequest, slug: str, ritual: Id) -> Ritual:
    found = _ritual(request, slug, ritual)
    services.leave_ritual(user_of(request), found)
    return _with_mine(found, None)


@router.post(RITUAL + "/snooze", response={200: RitualOut}, summary="Snooze")
def snooze(request: HttpRequest, slug: str, ritual: Id, payload: SnoozeIn) -> Ritual:
    found = _ritual(request, slug, ritual)
    return _with_mine(found, services.snooze_ritual(user_of(request), found, until=payload.until))


# --- coffee rounds -------------------------------------------------------------------------


@router.get(
    RITUAL + "/rounds",
    response={200: list[CoffeeRoundOut]},
    summary="Rounds (organizers)",
)
@paginate(Pagination)
def rounds(request: HttpRequest, slug: str, ritual: Id) -> QuerySet[CoffeeRound]:
    """Newest first."""
    return services.coffee_rounds(user_of(request), _ritual(request, slug, ritual))


@router.post(
    RITUAL + "/rounds",
    response={201: CoffeeRoundDetailOut, 409: ErrorOut, 422: ErrorOut},
    summary="Generate the next round (organizers)",
)
def generate_round(request: HttpRequest, slug: str, ritual: Id) -> Status[CoffeeRound]:
    """Groups everyone taking part who is not snoozing, honours private lists, and queues
    one announcement e-mail per person."""
    user = user_of(request)
    found = _ritual(request, slug, ritual)
    coffee = services.generate_coffee_round(user, found)
    generated = services.coffee_round(user, found, number=coffee.number)
    assert generated is not None, "the round generated just now exists"
    return Status(201, generated)


@router.get(
    RITUAL + "/rounds/{number}",
    response={200: CoffeeRoundDetailOut},
    summary="A round with its groups (organizers)",
)
def round_detail(request: HttpRequest, slug: str, ritual: Id, number: Id) -> CoffeeRound:
    coffee = services.coffee_round(user_of(request), _ritual(request, slug, ritual), number=number)
    if coffee is None:
        raise errors.not_found()
    return coffee


@router.delete(
    RITUAL + "/rounds/{number}",
    response={204: None, 409: ErrorOut},
    summary="Undo a round not yet announced (organizers)",
)
def undo_round(request: HttpRequest, slug: str, ritual: Id, number: Id) -> Status[None]:
    """Deletes the round while nobody has been e-mailed about it; 409 once it is announced."""
    services.undo_coffee_round(user_of(request), _ritual(request, slug, ritual), number=number)
    return Status(204, None)


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
    network = _network(request, slug)
    return Status(201, services.add_exclusion(user_of(request), network, user=payload.user))


@router.delete(
    EXCLUSIONS + "/{exclusion}",
    response={204: None},
    summary="Remove from my list",
)
def remove_exclusion(request: HttpRequest, slug: str, exclusion: Id) -> Status[None]:
    services.remove_exclusion(user_of(request), _network(request, slug), exclusion=exclusion)
    return Status(204, None)
