"""Skill-share pairings: who learns which skill from whom. Pure Python over plain ids, no
Django, so it is tested on its own and reused for peers and mentors alike.

The problem: learners with a gap in a skill, and people able to teach skills, each with a
capacity (how many people they take on). Every pairing joins one learner and one teacher of
the same skill; nobody is paired with themselves, a learner is paired at most once per skill,
and no teacher goes over their capacity.

The method is a greedy that is good and predictable rather than optimal: the hardest needs go
first (fewest possible teachers, then biggest gap), and each goes to the eligible teacher with
the lightest load so far (then the highest level, then the lowest id). Serving the scarce
needs first keeps a sole teacher of a rare skill free for it; the lightest-load rule spreads
the teaching out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    """`learner` is `gap` levels short of the target in `skill`."""

    learner: int
    skill: int
    gap: int


@dataclass(frozen=True)
class Offer:
    """`teacher` stands at `level` in `skill`."""

    teacher: int
    skill: int
    level: int


@dataclass(frozen=True)
class Pairing:
    learner: int
    teacher: int
    skill: int
    gap: int
    teacher_level: int


def suggest_pairings(
    needs: Iterable[Need],
    offers: Iterable[Offer],
    *,
    max_per_teacher: int = 2,
    capacity: Mapping[int, int] | None = None,
) -> list[Pairing]:
    """Pair needs with offers of the same skill. `capacity` gives a teacher's own limit
    (e.g. a mentor's), `max_per_teacher` everyone else's. Deterministic: the same input
    gives the same pairings. Returned in the order learner, skill."""
    if max_per_teacher < 0:
        raise ValueError("max_per_teacher must be 0 or more.")
    limits = dict(capacity or {})
    if any(v < 0 for v in limits.values()):
        raise ValueError("A teacher's capacity must be 0 or more.")

    by_skill: dict[int, list[Offer]] = defaultdict(list)
    for offer in offers:
        by_skill[offer.skill].append(offer)
    unique_needs = {(n.learner, n.skill): n for n in needs if n.gap > 0}

    def candidates(need: Need) -> list[Offer]:
        return [o for o in by_skill.get(need.skill, []) if o.teacher != need.learner]

    def limit(teacher: int) -> int:
        return limits.get(teacher, max_per_teacher)

    order = sorted(
        unique_needs.values(),
        key=lambda n: (len(candidates(n)), -n.gap, n.learner, n.skill),
    )
    load: dict[int, int] = defaultdict(int)
    pairings = []
    for need in order:
        free = [o for o in candidates(need) if load[o.teacher] < limit(o.teacher)]
        if not free:
            continue
        best = min(free, key=lambda o: (load[o.teacher], -o.level, o.teacher))
        load[best.teacher] += 1
        pairings.append(Pairing(need.learner, best.teacher, need.skill, need.gap, best.level))
    return sorted(pairings, key=lambda p: (p.learner, p.skill))
