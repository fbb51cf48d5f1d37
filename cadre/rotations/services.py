"""What people do with peer rotations, whichever door they come through (the pages, the API):
plan a cohort's coaching rounds, set up and change virtual-coffee rituals, join, leave and
snooze them, generate a round, and keep a private "please don't pair me with" list.

Each function checks the rule (cadre.rotations.policy) and raises `Refused`, whose message
is the sentence people see; the planning itself is cadre.rotations.planning, which the
worker also calls on its cadence."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person

from . import planning, policy
from .models import (
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

SNOOZE_DAYS_AT_MOST = 366

# --- coaching rotation ----------------------------------------------------------------------


def coaching_rounds(cohort: Cohort) -> list[CoachingRound]:
    """Every round of the cohort with its groups and seats, oldest first: three queries."""
    seats = CoachingSeat.objects.select_related("user").order_by("role", "user__name")
    groups = CoachingGroup.objects.prefetch_related(Prefetch("seats", queryset=seats))
    return list(
        CoachingRound.objects.filter(cohort=cohort)
        .prefetch_related(Prefetch("groups", queryset=groups.order_by("index")))
        .order_by("number")
    )


def plan_coaching(
    by: Person,
    cohort: Cohort,
    *,
    rounds: int,
    format: str,
    starts_on: date | None = None,
) -> list[CoachingRound]:
    """Replace the cohort's rounds that have not started with `rounds` new ones (started
    rounds stay as they are). Returns the new rounds."""
    if not policy.can_plan_coaching(by, cohort):
        raise Refused(
            gettext(
                "Only the cohort’s hosts and the network’s organizers plan the coaching rotation."
            ),
            kind="forbidden",
        )
    if starts_on is not None and starts_on < timezone.localdate():
        raise Refused(
            gettext("Plan rounds from today on; past rounds do not change."), field="starts_on"
        )
    return planning.plan_coaching(cohort, rounds=rounds, format=format, starts_on=starts_on)


# --- rituals --------------------------------------------------------------------------------


def require_ritual_manager(by: Person, network: Network) -> None:
    """Refuse anyone but the network's organizers (setting up rituals, rounds)."""
    if not policy.can_manage_rituals(by, network):
        raise Refused(
            gettext("Only the organizers of %(network)s manage virtual coffee.")
            % {"network": network.name},
            kind="forbidden",
        )


def _save_ritual(ritual: Ritual) -> Ritual:
    try:
        ritual.full_clean(exclude=["network", "created_by"])
    except ValidationError as exc:
        fields = {
            ("body" if name == "__all__" else name): list(messages)
            for name, messages in exc.message_dict.items()
        }
        first = next(iter(fields.values()))[0]
        raise Refused(first, fields=fields) from None
    ritual.save()
    return ritual


def create_ritual(
    by: User,
    network: Network,
    *,
    name: str,
    description: str = "",
    cadence: str,
    group_size: int,
    prefer_cross_cohort: bool = True,
    prefer_close_time_zones: bool = True,
    prefer_different: list[str] | None = None,
    active: bool = True,
) -> Ritual:
    """Set up a virtual-coffee ritual in `network` (organizers)."""
    require_ritual_manager(by, network)
    ritual = Ritual(
        network=network,
        created_by=by,
        name=name,
        description=description,
        cadence=cadence,
        group_size=group_size,
        prefer_cross_cohort=prefer_cross_cohort,
        prefer_close_time_zones=prefer_close_time_zones,
        prefer_different=[str(a) for a in prefer_different or []],
        active=active,
    )
    return _save_ritual(ritual)


def update_ritual(
    by: Person,
    ritual: Ritual,
    *,
    name: str | None = None,
    description: str | None = None,
    cadence: str | None = None,
    group_size: int | None = None,
    prefer_cross_cohort: bool | None = None,
    prefer_close_time_zones: bool | None = None,
    prefer_different: list[str] | None = None,
    active: bool | None = None,
) -> Ritual:
    """Change a ritual (organizers); what is None stays as it is."""
    require_ritual_manager(by, ritual.network)
    changes: dict[str, Any] = {
        "name": name,
        "description": description,
        "cadence": cadence,
        "group_size": group_size,
        "prefer_cross_cohort": prefer_cross_cohort,
        "prefer_close_time_zones": prefer_close_time_zones,
        "prefer_different": [str(a) for a in prefer_different]
        if prefer_different is not None
        else None,
        "active": active,
    }
    for field, value in changes.items():
        if value is not None:
            setattr(ritual, field, value)
    return _save_ritual(ritual)


def participation(person: Person, ritual: Ritual) -> RitualParticipant | None:
    """`person`'s place in the ritual, if they take part."""
    if not person.is_authenticated:
        return None
    return RitualParticipant.objects.filter(ritual=ritual, user=person).first()


def join_ritual(by: Person, ritual: Ritual) -> tuple[RitualParticipant, bool]:
    """Take part in the ritual's next rounds. Returns the participation and whether it is
    new."""
    if not policy.can_join_ritual(by, ritual):
        raise Refused(gettext("This ritual is paused; nobody can join it now."), kind="forbidden")
    return RitualParticipant.objects.get_or_create(ritual=ritual, user=by)


def leave_ritual(by: User, ritual: Ritual) -> bool:
    """Stop taking part; past rounds stay listed. Returns whether `by` took part."""
    deleted, _ = RitualParticipant.objects.filter(ritual=ritual, user=by).delete()
    return bool(deleted)


def snooze_ritual(by: Person, ritual: Ritual, *, until: date | None) -> RitualParticipant:
    """Be left out of rounds up to and including `until`; None wakes `by` up."""
    mine = participation(by, ritual)
    if mine is None:
        raise Refused(gettext("Join the ritual before you snooze it."), kind="forbidden")
    today = timezone.localdate()
    if until is not None and until < today:
        raise Refused(gettext("Pick today or a later day."), field="until")
    if until is not None and (until - today).days > SNOOZE_DAYS_AT_MOST:
        raise Refused(
            gettext("Snooze for a year at most; leave the ritual instead."), field="until"
        )
    mine.snoozed_until = until
    mine.save(update_fields=["snoozed_until"])
    return mine


# --- coffee rounds --------------------------------------------------------------------------


def coffee_rounds(by: Person, ritual: Ritual, *, limit: int | None = None) -> Any:
    """The ritual's rounds, newest first, with their group counts (organizers)."""
    require_ritual_manager(by, ritual.network)
    rounds = ritual.rounds.annotate(group_count=Count("groups")).order_by("-number")
    return rounds[:limit] if limit is not None else rounds


def coffee_round(by: Person, ritual: Ritual, *, number: int | None = None) -> CoffeeRound | None:
    """One round of the ritual (the latest when `number` is None) with its groups and their
    people (organizers); None when there is no such round."""
    require_ritual_manager(by, ritual.network)
    members = CoffeeGroupMember.objects.select_related("user__profile").order_by("user__name")
    groups = CoffeeGroup.objects.prefetch_related(Prefetch("members", queryset=members))
    rounds = ritual.rounds.annotate(group_count=Count("groups")).prefetch_related(
        Prefetch("groups", queryset=groups.order_by("index"))
    )
    if number is None:
        return rounds.order_by("-number").first()
    return rounds.filter(number=number).first()


def generate_coffee_round(by: Person, ritual: Ritual) -> CoffeeRound:
    """Group everyone taking part who is not snoozing, honouring private lists; each person
    gets an e-mail with their group once the round is committed (organizers)."""
    require_ritual_manager(by, ritual.network)
    if not ritual.active:
        raise Refused(
            gettext("This ritual is paused; make it active to generate a round."), kind="conflict"
        )
    return planning.plan_coffee_round(ritual, by=by)


def undo_coffee_round(by: Person, ritual: Ritual, *, number: int) -> None:
    """Delete round `number` while its announcement has not gone out (organizers). The
    announcement locks the same row, so a round is either undone or announced, never both."""
    require_ritual_manager(by, ritual.network)
    with transaction.atomic():
        coffee = (
            CoffeeRound.objects.select_for_update().filter(ritual=ritual, number=number).first()
        )
        if coffee is None:
            raise Refused(gettext("No such round."), kind="not_found")
        if coffee.announced_at is not None:
            raise Refused(
                gettext("This round has been announced already, so it can no longer be undone."),
                kind="conflict",
            )
        coffee.delete()


# --- my private list ------------------------------------------------------------------------


def add_exclusion(owner: User, network: Network, *, user: int) -> PairingExclusion:
    """Put the person whose id is `user` on `owner`'s private list: `owner` is never paired
    with them. Nobody else sees the list."""
    other = planning.network_people(network, exclude=owner).filter(pk=user).first()
    if other is None:
        raise Refused(gettext("Pick another person of this network."), field="user")
    try:
        with transaction.atomic():
            return PairingExclusion.objects.create(network=network, owner=owner, other=other)
    except IntegrityError:
        raise Refused(
            gettext("%(person)s is already on your list.") % {"person": other.name or other.email},
            field="user",
        ) from None


def remove_exclusion(owner: Person, network: Network, *, exclusion: int) -> PairingExclusion:
    """Take someone off `owner`'s list; someone else's entry is not found, as if it did not
    exist."""
    found = (
        PairingExclusion.objects.owned_by(owner, network)
        .select_related("other")
        .filter(pk=exclusion)
        .first()
    )
    if found is None:
        raise Refused(gettext("No such entry on your list."), kind="not_found")
    found.delete()
    return found
