"""Mentor matching: each newcomer to at most one mentor, each mentor to at most `capacity`
newcomers, maximising the total teachable skill gap.

benefit(newcomer, mentor) = sum over skills of weight * max(0, mentor level - newcomer
level), where a skill the newcomer did not rate counts as level 0 and weight is
WANTED_WEIGHT for skills the newcomer asked for, 1 otherwise. Solved exactly as an
assignment problem: each mentor becomes `capacity` identical columns and
scipy.optimize.linear_sum_assignment finds a maximum-benefit matching (the Hungarian-type
shortest augmenting path method), which is optimal for the capacitated problem.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

WANTED_WEIGHT = 2.0
_SHOWN = 3  # skills named in an explanation


@dataclass(frozen=True)
class MentorMatch:
    newcomer: str
    mentor: str
    score: float
    explanation: str


@dataclass(frozen=True)
class MatchingResult:
    """status: "optimal" (the matching maximises the total benefit) or "invalid" (bad input;
    message says why). unmatched: newcomers left without a mentor (too little capacity).
    objective: total benefit (weighted levels)."""

    status: str
    matches: list[MentorMatch]
    unmatched: list[str]
    objective: float
    message: str


def benefit(
    newcomer: Mapping[str, int], mentor: Mapping[str, int], wanted: Collection[str] = ()
) -> float:
    """Weighted levels the mentor can teach the newcomer (see the module docstring)."""
    return float(
        sum(
            (WANTED_WEIGHT if skill in wanted else 1.0) * max(0, level - newcomer.get(skill, 0))
            for skill, level in mentor.items()
        )
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def explain(
    newcomer: str,
    mentor: str,
    newcomer_levels: Mapping[str, int],
    mentor_levels: Mapping[str, int],
    wanted: Collection[str] = (),
) -> str:
    """A sentence naming the skills with the largest weighted gaps."""
    gaps = [
        (
            (WANTED_WEIGHT if s in wanted else 1.0) * (level - newcomer_levels.get(s, 0)),
            s,
            level,
            newcomer_levels.get(s, 0),
        )
        for s, level in mentor_levels.items()
        if level > newcomer_levels.get(s, 0)
    ]
    if not gaps:
        return f"{mentor} has spare capacity; no skill of {mentor} is above {newcomer}'s levels."
    gaps.sort(key=lambda g: (-g[0], -g[2], g[1]))
    shown = gaps[:_SHOWN]
    text = (
        f"{mentor} can teach "
        + _join([f"{s} ({level})" for _, s, level, _ in shown])
        + f", which {newcomer} rated "
        + _join([str(own) for _, _, _, own in shown])
        + "."
    )
    asked = [s for _, s, _, _ in shown if s in wanted]
    if asked:
        text += f" {newcomer} asked for {_join(asked)}."
    return text


def _validate(
    newcomer_skills: Mapping[str, Mapping[str, int]],
    mentor_skills: Mapping[str, Mapping[str, int]],
    capacity: Mapping[str, int],
) -> str | None:
    for what, table in (("newcomer", newcomer_skills), ("mentor", mentor_skills)):
        for person, levels in table.items():
            for skill, level in levels.items():
                if isinstance(level, bool) or not isinstance(level, int) or level < 0:
                    return f"{what} {person!r}: level of {skill!r} must be a whole number >= 0, got {level!r}"
    for mentor, cap in capacity.items():
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            return f"capacity of {mentor!r} must be a whole number >= 0, got {cap!r}"
    return None


def match_mentors(
    newcomer_skills: Mapping[str, Mapping[str, int]],
    mentor_skills: Mapping[str, Mapping[str, int]],
    capacity: Mapping[str, int],
    *,
    wanted: Mapping[str, Collection[str]] | None = None,
) -> MatchingResult:
    """Match newcomers to mentors maximising the total benefit (weighted skill levels, see the
    module docstring), each mentor taking at most capacity[mentor] newcomers (1 when the
    mentor is not in `capacity`). Newcomers are matched while capacity lasts, even with a
    benefit of 0; those left over are `unmatched`."""
    error = _validate(newcomer_skills, mentor_skills, capacity)
    if error is not None:
        return MatchingResult("invalid", [], [], 0.0, error)
    wanted = wanted or {}
    newcomers = list(newcomer_skills)
    columns: list[str] = []
    for mentor in mentor_skills:
        columns.extend([mentor] * min(capacity.get(mentor, 1), len(newcomers)))
    if not newcomers or not columns:
        return MatchingResult(
            "optimal", [], newcomers, 0.0, f"no mentor capacity for {len(newcomers)} newcomer(s)"
        )
    value = {
        (n, m): benefit(newcomer_skills[n], mentor_skills[m], wanted.get(n, ()))
        for n in newcomers
        for m in mentor_skills
    }
    matrix = np.array([[value[n, m] for m in columns] for n in newcomers])
    # scipy.optimize takes most of a second to load: not at every `cadre` start.
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(matrix, maximize=True)
    matches = []
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        n, m = newcomers[i], columns[j]
        matches.append(
            MentorMatch(
                n,
                m,
                value[n, m],
                explain(n, m, newcomer_skills[n], mentor_skills[m], wanted.get(n, ())),
            )
        )
    matched = {m.newcomer for m in matches}
    unmatched = [n for n in newcomers if n not in matched]
    objective = float(sum(m.score for m in matches))
    message = f"{len(matches)} newcomer(s) matched, total benefit {objective:g}"
    if unmatched:
        message += f"; {len(unmatched)} without a mentor (not enough capacity)"
    return MatchingResult("optimal", matches, unmatched, objective, message)
