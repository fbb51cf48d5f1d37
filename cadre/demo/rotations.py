"""The demo's peer rotations: a network-wide virtual-coffee ritual with about thirty people,
two past rounds (already announced, so nothing is e-mailed) and a private "please don't pair
me with" entry of the demo member; and coaching rotations in two cohorts, pairs in one and
triads in the other, with rounds that have started and rounds still to come.

The groups come from a simple round-robin over a seeded shuffle, so the demo is the same for
the same seed and needs no solver time."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.engine.rotation import group_sizes
from cadre.networks.models import Network, Role
from cadre.pairings.models import Answer, Kind, MeetingCheck
from cadre.rotations.models import (
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
    cadence_days,
)
from cadre.rotations.planning import COACHING_ROLES, assign_roles

if TYPE_CHECKING:
    from cadre.demo.builder import Builder, Person

COFFEE_PEOPLE = 30
COFFEE_KEYS = ("member", "host", "mentor", "organizer")


def round_robin(people: list[Any], round_index: int) -> list[list[Any]]:
    """Round `round_index` of the circle method: pairs that never repeat for n-1 rounds; with
    an odd count, the person left over joins the last pair."""
    ring = list(people) + ([None] if len(people) % 2 else [])
    n = len(ring)
    shift = round_index % (n - 1)
    rest = ring[1:]
    turned = [ring[0], *rest[len(rest) - shift :], *rest[: len(rest) - shift]]
    groups = [[turned[i], turned[n - 1 - i]] for i in range(n // 2)]
    loose = [p for g in groups if None in g for p in g if p is not None]
    groups = [g for g in groups if None not in g]
    groups[-1].extend(loose)
    return groups


def chunks(people: list[Any], size: int) -> list[list[Any]]:
    """Consecutive groups of `size`, leftovers spread one per group (as the engine does)."""
    groups, start = [], 0
    for length in group_sizes(len(people), size):
        groups.append(people[start : start + length])
        start += length
    return groups


class RotationBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.rng = random.Random(builder.rng.getrandbits(32))

    def build(self, network: Network, people: list[Person], cohorts: list[Cohort]) -> Ritual:
        ritual = self.coffee(network, people)
        self.coaching(cohorts)
        return ritual

    # virtual coffee

    def coffee(self, network: Network, people: list[Person]) -> Ritual:
        b, rng = self.b, self.rng
        organizer = next(p.user for p in people if p.key == "organizer")
        ritual = Ritual.objects.create(
            network=network,
            name="Virtual coffee across Northwind",
            description=(
                "Thirty minutes every two weeks with someone from another team, another "
                "organization or another cohort. Bring a question you are stuck on."
            ),
            cadence="biweekly",
            group_size=2,
            prefer_cross_cohort=True,
            prefer_close_time_zones=True,
            prefer_different=["function", "organization"],
            created_by=organizer,
            created_at=b.ago(45),
        )
        fixed = [p for p in people if p.key in COFFEE_KEYS]
        others = [p for p in people if not p.key and p.role in (Role.MEMBER, Role.MENTOR)]
        chosen = fixed + rng.sample(others, min(COFFEE_PEOPLE - len(fixed), len(others)))
        b.bulk(
            RitualParticipant,
            [
                RitualParticipant(ritual=ritual, user=p.user, joined_at=b.ago(40 - n % 10))
                for n, p in enumerate(chosen)
            ],
        )
        # One person is on holiday for a while.
        snoozer = chosen[-1]
        RitualParticipant.objects.filter(ritual=ritual, user=snoozer.user).update(
            snoozed_until=b.day(-10)
        )
        order = [p.user for p in chosen[:-1]]
        rng.shuffle(order)
        members: list[CoffeeGroupMember] = []
        for number, days_ago in ((1, 28), (2, 14)):
            coffee = CoffeeRound.objects.create(
                ritual=ritual,
                number=number,
                scheduled_for=b.day(days_ago),
                created_by=organizer,
                created_at=b.ago(days_ago + 1),
                announced_at=b.ago(days_ago + 1, minutes=-5),
            )
            for index, group in enumerate(round_robin(order, number - 1)):
                row = CoffeeGroup.objects.create(round=coffee, index=index)
                members.extend(CoffeeGroupMember(group=row, user=u) for u in group)
        b.bulk(CoffeeGroupMember, members)
        # Everyone was asked "did you meet?" a week after each round; most answered.
        answers = [Answer.MET, Answer.MET, Answer.DID_NOT_MEET, Answer.NOT_YET]
        checks = [
            MeetingCheck(
                kind=Kind.COFFEE,
                network=network,
                coffee_group_id=m.group_id,
                user=m.user,
                asked_at=b.ago(7 + (28 if m.group.round.number == 1 else 14)),
                answer=answers[n % len(answers)],
                answered_at=None
                if answers[n % len(answers)] == Answer.NOT_YET
                else b.ago(6 + (28 if m.group.round.number == 1 else 14)),
            )
            for n, m in enumerate(members)
        ]
        b.bulk(MeetingCheck, checks)
        member = next(p.user for p in people if p.key == "member")
        other = next(p.user for p in others if p.user not in order[:2])
        PairingExclusion.objects.create(
            network=network, owner=member, other=other, created_at=b.ago(20)
        )
        b.step("virtual coffee", len(chosen) + len(members) + len(checks) + 3)
        return ritual

    # coaching

    def coaching(self, cohorts: list[Cohort]) -> None:
        b, rng = self.b, self.rng
        active = [c for c in cohorts if c.status == CohortStatus.ACTIVE]
        rows = 0
        for cohort, format in zip(
            active[:2], (CoachingFormat.PAIR, CoachingFormat.TRIAD), strict=False
        ):
            users = [
                m.user
                for m in CohortMembership.objects.active()
                .filter(cohort=cohort, role__in=COACHING_ROLES)
                .select_related("user")
                .order_by("user__email")
            ]
            if len(users) < 4:
                continue
            rng.shuffle(users)
            step = timedelta(days=cadence_days(cohort.cadence))
            size = 3 if format == CoachingFormat.TRIAD else 2
            done: dict[Any, Counter[str]] = defaultdict(Counter)
            seats = []
            for number in range(1, 5):
                coaching = CoachingRound.objects.create(
                    cohort=cohort,
                    number=number,
                    starts_on=b.today + (number - 2) * step - timedelta(days=2),
                    format=format,
                    created_at=b.ago(20),
                )
                if size == 2:
                    groups = round_robin(users, number - 1)
                else:
                    groups = chunks(rng.sample(users, len(users)), size)
                for index, group in enumerate(groups):
                    row = CoachingGroup.objects.create(round=coaching, index=index)
                    for user, role in assign_roles(group, done):
                        done[user][role] += 1
                        seats.append(CoachingSeat(group=row, user=user, role=role))
            b.bulk(CoachingSeat, seats)
            rows += len(seats) + 4
        b.step("coaching rotations", rows)
