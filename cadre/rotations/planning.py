"""Planning rounds: the bridge between the database and the rotation engine
(cadre.engine.rotation.plan_rounds), for coaching rotations and virtual-coffee rounds.

Both write in one transaction and only ever add rounds (coaching also replaces rounds that
have not started yet); rounds that have begun are history and stay as they are."""

from __future__ import annotations

import itertools
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from cadre.accounts.models import User
from cadre.cohorts.models import Cohort, CohortMembership, CohortRole
from cadre.lib.rules import Refused
from cadre.lib.tasks import enqueue_on_commit
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.people.models import DAYS, Profile

from .models import (
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
    SeatRole,
    cadence_days,
)

# Coaching runs in the request: a small cohort needs well under a second.
COACHING_SECONDS = 2.0
COFFEE_SECONDS = 3.0
COACHING_ROLES = (CohortRole.MEMBER, CohortRole.HOST)


class PlanningProblem(Refused):
    """The rounds cannot be planned; the message says why, for people. It is about the
    request as a whole, not one of its inputs."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="body")


def _plan(people: Sequence[str], **options: Any) -> list[list[list[str]]]:
    """plan_rounds, checked: every person in every round exactly once."""
    from cadre.engine.rotation import plan_rounds

    result = plan_rounds(people, **options)
    rounds = [[list(group) for group in groups] for groups in (result.rounds or [])]
    if not rounds:
        raise PlanningProblem(result.message or gettext("The rounds could not be planned."))
    for groups in rounds:
        placed = sorted(p for group in groups for p in group)
        if placed != sorted(people):
            raise PlanningProblem(gettext("The planner left someone out; nothing was saved."))
    return rounds


def pair(a: Any, b: Any) -> tuple[Any, Any]:
    """The pair of `a` and `b` in one order whichever comes first, by the values' own order:
    user ids as numbers (3 before 113), e-mails or string keys as text. Every lookup of who
    met whom builds its key here, so a pair is never stored one way and sought the other."""
    return (a, b) if a <= b else (b, a)


def pairs_of(groups: Iterable[Iterable[Any]]) -> list[tuple[Any, Any]]:
    """Every pair of people who share a group, each as `pair` orders it."""
    return [pair(a, b) for group in groups for a, b in itertools.combinations(sorted(group), 2)]


# --- coaching -------------------------------------------------------------------------------


def seat_roles(size: int) -> list[SeatRole]:
    """The seats of a group of `size`: one coach, one coachee, everyone else observes."""
    return [SeatRole.COACH, SeatRole.COACHEE] + [SeatRole.OBSERVER] * max(0, size - 2)


def assign_roles(group: Sequence[Any], done: Mapping[Any, Counter[str]]) -> list[tuple[Any, str]]:
    """Seat `group` so that people take the roles they have taken least so far (`done`:
    person -> role -> count); over rounds everyone coaches, is coached and observes.
    Deterministic: ties go to the first arrangement in the group's order."""
    roles = seat_roles(len(group))
    best: tuple[int, int, tuple[str, ...]] | None = None
    for order in itertools.permutations(range(len(roles))):
        arrangement = tuple(roles[i] for i in order)
        counts = [done.get(p, Counter())[r] for p, r in zip(group, arrangement, strict=True)]
        key = (sum(counts), max(counts))
        if best is None or key < best[:2]:
            best = (*key, arrangement)
    assert best is not None
    return list(zip(group, best[2], strict=True))


def coaching_people(cohort: Cohort) -> list[Any]:
    """The cohort's active members and hosts, who coach each other."""
    return [
        m.user
        for m in CohortMembership.objects.active()
        .filter(cohort=cohort, role__in=COACHING_ROLES)
        .select_related("user")
        .order_by("user__name", "user_id")
    ]


def plan_coaching(
    cohort: Cohort,
    *,
    rounds: int,
    format: str,
    starts_on: date | None = None,
    today: date | None = None,
    keep_planned: bool = False,
) -> list[CoachingRound]:
    """Replace the cohort's rounds that have not started with `rounds` new ones, one cadence
    apart, planned around who already met in the rounds that have started. With
    `keep_planned`, keep every existing round and add the new ones after the last (the worker
    extends a rotation this way). Returns the new rounds."""
    today = today or timezone.localdate()
    users = coaching_people(cohort)
    if len(users) < 2:
        raise PlanningProblem(
            gettext("A coaching rotation needs at least two members in the cohort.")
        )
    existing = CoachingRound.objects.all() if keep_planned else CoachingRound.objects.started(today)
    kept = list(existing.filter(cohort=cohort).prefetch_related("groups__seats").order_by("number"))
    history: list[tuple[str, str]] = []
    done: dict[str, Counter[str]] = defaultdict(Counter)
    for old in kept:
        groups = [[str(s.user_id) for s in g.seats.all()] for g in old.groups.all()]
        history.extend(pairs_of(groups))
        for g in old.groups.all():
            for seat in g.seats.all():
                done[str(seat.user_id)][seat.role] += 1
    people = [str(u.pk) for u in users]
    size = 3 if format == CoachingFormat.TRIAD else 2
    if format == CoachingFormat.TRIAD and len(people) < 3:
        raise PlanningProblem(gettext("Triads need at least three members; plan pairs instead."))
    planned = _plan(
        people,
        group_size=size,
        rounds=rounds,
        history=history,
        seed=cohort.pk,
        seconds=COACHING_SECONDS,
    )
    step = timedelta(days=cadence_days(cohort.cadence))
    if starts_on is None:
        starts_on = kept[-1].starts_on + step if kept else max(today, cohort.starts_on or today)
    if kept and starts_on <= kept[-1].starts_on:
        raise PlanningProblem(
            gettext("The next round must start after round %(number)s (%(day)s).")
            % {"number": kept[-1].number, "day": date_format(kept[-1].starts_on)}
        )
    number = kept[-1].number if kept else 0
    created = []
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        CoachingRound.objects.filter(cohort=cohort, number__gt=number).delete()
        seats = []
        for offset, groups in enumerate(planned):
            new = CoachingRound.objects.create(
                cohort=cohort,
                number=number + offset + 1,
                starts_on=starts_on + offset * step,
                format=format,
            )
            created.append(new)
            for index, group in enumerate(groups):
                row = CoachingGroup.objects.create(round=new, index=index)
                for person, role in assign_roles(group, done):
                    done[person][role] += 1
                    seats.append(CoachingSeat(group=row, user_id=int(person), role=role))
        CoachingSeat.objects.bulk_create(seats)
    return created


@dataclass
class MetMatrix:
    """Who met whom: `people` in order, and `counts[i][j]` the rounds i and j shared."""

    people: list[Any]
    counts: list[list[int]]

    def rows(self) -> list[tuple[Any, list[tuple[Any, int | None]]]]:
        """(person, [(other, count or None on the diagonal)]) for a table."""
        return [
            (p, [(q, None if i == j else self.counts[i][j]) for j, q in enumerate(self.people)])
            for i, p in enumerate(self.people)
        ]


def met_matrix(people: Sequence[Any], groups: Iterable[Iterable[int]]) -> MetMatrix:
    """Count, for each pair of `people` (users), the `groups` (user-id lists) they shared."""
    met: Counter[tuple[int, int]] = Counter(pairs_of(groups))
    index = [p.pk for p in people]
    counts = [[met[pair(a, b)] if a != b else 0 for b in index] for a in index]
    return MetMatrix(list(people), counts)


# --- virtual coffee -------------------------------------------------------------------------


def _offset_hours(zone: str, when: datetime) -> float:
    try:
        offset = when.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0.0
    return offset.total_seconds() / 3600 if offset else 0.0


def eligible_participants(ritual: Ritual, day: date) -> list[RitualParticipant]:
    """Who takes part in a round on `day`: participants who still belong to the network (not
    as partners), whose accounts are active and who are not snoozed."""
    members = NetworkMembership.objects.filter(network=ritual.network).exclude(role=Role.PARTNER)
    return list(
        RitualParticipant.objects.available_on(day)
        .filter(
            ritual=ritual,
            user__is_active=True,
            user__in=members.values("user"),
        )
        .select_related("user__profile")
        .order_by("user_id")
    )


def plan_coffee_round(
    ritual: Ritual, *, by: Any = None, scheduled_for: date | None = None
) -> CoffeeRound:
    """Plan and save the ritual's next round over everyone available; once it is committed,
    a task queues its announcements. Raises PlanningProblem when there is nobody to pair."""
    from .tasks import announce_coffee_round

    day = scheduled_for or ritual.next_date()
    participants = eligible_participants(ritual, day)
    if len(participants) < 2:
        raise PlanningProblem(
            gettext(
                "At least two people who are not snoozing must take part before a round can "
                "be generated."
            )
        )
    people = [str(p.user_id) for p in participants]
    ids = [p.user_id for p in participants]
    history = pairs_of([[str(u) for u in members] for members in _groups_of(ritual)])
    exclusions = [
        (str(owner), str(other))
        for owner, other in PairingExclusion.objects.filter(
            network=ritual.network, owner__in=ids, other__in=ids
        ).values_list("owner_id", "other_id")
    ]
    attributes: dict[str, dict[str, str]] = {}
    prefer = list(ritual.prefer_different)
    cohorts: dict[int, list[int]] = defaultdict(list)
    if ritual.prefer_cross_cohort:
        prefer.append("cohort")
        for user_id, cohort_id in (
            CohortMembership.objects.active()
            .filter(cohort__network=ritual.network, user__in=ids)
            .values_list("user_id", "cohort_id")
            .order_by("cohort_id")
        ):
            cohorts[user_id].append(cohort_id)
    for p in participants:
        profile: Profile | None = getattr(p.user, "profile", None)
        values: dict[str, str] = {}
        for name in ritual.prefer_different:
            value = str(getattr(profile, name, "") or "")
            # Two people who left a field empty are not "the same" in it.
            values[name] = value or f"unknown-{p.user_id}"
        if ritual.prefer_cross_cohort:
            mine = cohorts.get(p.user_id)
            values["cohort"] = str(mine[0]) if mine else f"none-{p.user_id}"
        attributes[str(p.user_id)] = values
    offsets = None
    if ritual.prefer_close_time_zones:
        now = timezone.now()
        offsets = {
            str(p.user_id): _offset_hours(getattr(p.user.profile, "time_zone", "UTC"), now)
            if hasattr(p.user, "profile")
            else 0.0
            for p in participants
        }
    number = (ritual.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    planned = _plan(
        people,
        group_size=ritual.group_size,
        rounds=1,
        history=history,
        exclusions=exclusions,
        attributes=attributes,
        prefer_different=prefer,
        utc_offsets=offsets,
        seed=ritual.pk * 1000 + number,
        seconds=COFFEE_SECONDS,
    )[0]
    met = set(history)
    repeats = sum(1 for pair in pairs_of(planned) if pair in met)
    with transaction.atomic():
        Ritual.objects.select_for_update().filter(pk=ritual.pk).first()
        latest = ritual.rounds.order_by("-number").values_list("number", flat=True).first() or 0
        coffee = CoffeeRound.objects.create(
            ritual=ritual,
            number=latest + 1,
            scheduled_for=day,
            created_by=by,
            repeats=repeats,
        )
        members: list[CoffeeGroupMember] = []
        for index, group in enumerate(planned):
            row = CoffeeGroup.objects.create(round=coffee, index=index)
            members.extend(CoffeeGroupMember(group=row, user_id=int(p)) for p in group)
        CoffeeGroupMember.objects.bulk_create(members)
        # Rendering one e-mail per person is the worker's job, once the round is committed.
        enqueue_on_commit(announce_coffee_round, coffee.pk)
    return coffee


def _groups_of(ritual: Ritual) -> list[list[int]]:
    """Every group of every earlier round of the ritual, as user ids."""
    groups: dict[int, list[int]] = defaultdict(list)
    for group_id, user_id in CoffeeGroupMember.objects.filter(
        group__round__ritual=ritual
    ).values_list("group_id", "user_id"):
        groups[group_id].append(user_id)
    return list(groups.values())


def common_hour(profiles: Sequence[Profile | None]) -> int | None:
    """The first UTC hour of the week everyone in the group says they can meet, or None."""
    hours: set[int] | None = None
    for profile in profiles:
        mine = set(profile.availability_utc()) if profile is not None else set()
        hours = mine if hours is None else hours & mine
    if not hours:
        return None
    # Prefer working hours on a weekday when there is a choice.
    weekday = sorted(h for h in hours if h < 5 * 24 and 8 <= h % 24 < 18)
    return (weekday or sorted(hours))[0]


def describe_hour(hour: int, zone: str = "UTC") -> str:
    """A UTC hour of the week as "Tue 10:00" in `zone`."""
    monday = datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("UTC"))  # a Monday, no DST changes
    try:
        local = (monday + timedelta(hours=hour)).astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        local = monday + timedelta(hours=hour)
    return f"{DAYS[local.weekday()]} {local:%H}:00"


def my_coffee_groups(ritual: Ritual, user: Any) -> list[tuple[CoffeeRound, list[Any]]]:
    """(round, the other people in my group) for every round of the ritual I was in, newest
    first."""
    if not user.is_authenticated:
        return []
    mine = list(
        CoffeeGroupMember.objects.filter(group__round__ritual=ritual, user=user)
        .select_related("group__round")
        .order_by("-group__round__number")
    )
    others: dict[int, list[Any]] = defaultdict(list)
    for member in (
        CoffeeGroupMember.objects.filter(group__in=[m.group_id for m in mine])
        .exclude(user=user)
        .select_related("user__profile")
        .order_by("user__name")
    ):
        others[member.group_id].append(member.user)
    return [(m.group.round, others[m.group_id]) for m in mine]


def network_people(network: Network, *, exclude: User | None = None) -> QuerySet[User]:
    """The people of a network one may name in a private exclusion: its members, mentors
    and organizers (not partners), by name."""
    roles = [role for role in Role.values if role != Role.PARTNER]
    people = User.objects.filter(
        network_memberships__network=network,
        network_memberships__role__in=roles,
        is_active=True,
    ).order_by("name", "email")
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return people
