"""Mentor matching: optimal against brute force, capacities, explanations."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.engine.rotation import match_mentors
from cadre.engine.rotation.mentors import benefit

SKILLS = ["facilitation", "data storytelling", "coaching"]
levels = st.fixed_dictionaries({s: st.integers(0, 4) for s in SKILLS})


def brute_force(
    newcomers: dict[str, dict[str, int]],
    mentors: dict[str, dict[str, int]],
    capacity: dict[str, int],
    wanted: dict[str, set[str]],
) -> float:
    names = list(newcomers)
    choices = [*mentors, None]
    best = 0.0
    for pick in itertools.product(choices, repeat=len(names)):
        used = [m for m in pick if m is not None]
        if any(used.count(m) > capacity[m] for m in mentors):
            continue
        total = sum(
            benefit(newcomers[n], mentors[m], wanted.get(n, set()))
            for n, m in zip(names, pick, strict=True)
            if m is not None
        )
        best = max(best, total)
    return best


@settings(max_examples=60, deadline=None)
@given(
    st.lists(levels, min_size=0, max_size=5),
    st.lists(st.tuples(levels, st.integers(0, 2)), min_size=1, max_size=3),
    st.data(),
)
def test_matching_is_optimal_and_respects_capacity(
    newcomer_levels: list[dict[str, int]],
    mentor_levels: list[tuple[dict[str, int], int]],
    data: st.DataObject,
) -> None:
    newcomers = {f"n{i}": lv for i, lv in enumerate(newcomer_levels)}
    mentors = {f"m{j}": lv for j, (lv, _) in enumerate(mentor_levels)}
    capacity = {f"m{j}": c for j, (_, c) in enumerate(mentor_levels)}
    wanted = {n: data.draw(st.sets(st.sampled_from(SKILLS))) for n in newcomers}
    result = match_mentors(newcomers, mentors, capacity, wanted=wanted)
    assert result.status == "optimal"
    assert abs(result.objective - brute_force(newcomers, mentors, capacity, wanted)) < 1e-9
    for m in mentors:
        assert sum(1 for x in result.matches if x.mentor == m) <= capacity[m]
    matched = [x.newcomer for x in result.matches]
    assert len(matched) == len(set(matched))
    assert sorted(matched + result.unmatched) == sorted(newcomers)
    assert len(result.matches) == min(len(newcomers), sum(capacity.values()))


def test_explanation_names_the_gaps() -> None:
    result = match_mentors(
        {"Ben": {"facilitation": 1, "data storytelling": 0, "coaching": 3}},
        {"Aisha": {"facilitation": 4, "data storytelling": 3, "coaching": 2}},
        {"Aisha": 1},
    )
    (match,) = result.matches
    assert match.score == 6.0
    assert match.explanation == (
        "Aisha can teach facilitation (4) and data storytelling (3), which Ben rated 1 and 0."
    )


def test_wanted_skills_weigh_more_and_are_mentioned() -> None:
    newcomers = {"Ben": {"coaching": 0, "facilitation": 0}}
    mentors = {"Aisha": {"facilitation": 3}, "Chen": {"coaching": 2}}
    result = match_mentors(
        newcomers, mentors, {"Aisha": 1, "Chen": 1}, wanted={"Ben": {"coaching"}}
    )
    assert result.matches[0].mentor == "Chen" and result.objective == 4.0
    assert result.matches[0].explanation.endswith("Ben asked for coaching.")


def test_too_little_capacity_leaves_newcomers_unmatched() -> None:
    result = match_mentors({"a": {}, "b": {}}, {"m": {"x": 1}}, {"m": 1})
    assert len(result.matches) == 1 and len(result.unmatched) == 1


def test_bad_levels_are_reported() -> None:
    assert match_mentors({"a": {"x": -1}}, {}, {}).status == "invalid"
    assert match_mentors({}, {"m": {}}, {"m": -2}).status == "invalid"
