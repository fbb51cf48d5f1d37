"""Rounds of pairs and groups: partition, no singleton, no repeat while avoidable,
exclusions, history and soft preferences."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.engine.rotation import count_repeats, group_sizes, plan_rounds


def names(n: int) -> list[str]:
    return [f"p{i:02d}" for i in range(n)]


def assert_partitions(rounds: list[list[list[str]]], people: list[str], size: int) -> None:
    for week in rounds:
        assert sorted(p for group in week for p in group) == sorted(people)
        assert all(len(group) >= 2 for group in week)
        if len(people) >= size:
            assert all(size <= len(group) <= size + (len(people) % size) for group in week)
            assert len(week) == len(people) // size


def pairs_of(rounds: list[list[list[str]]]) -> list[frozenset[str]]:
    return [
        frozenset(p) for week in rounds for group in week for p in itertools.combinations(group, 2)
    ]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 40), st.integers(2, 4), st.integers(1, 6), st.integers(0, 10**6))
def test_every_round_partitions_everyone_without_singletons(
    n: int, size: int, rounds: int, seed: int
) -> None:
    people = names(n)
    result = plan_rounds(people, group_size=size, rounds=rounds, seed=seed, seconds=0.5)
    assert result.status in ("solved", "repeats")
    assert len(result.rounds) == rounds
    assert_partitions(result.rounds, people, size)
    assert result.repeats == count_repeats(result.rounds)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 20), st.data())
def test_even_pairs_never_repeat_within_n_minus_one_rounds(half: int, data: st.DataObject) -> None:
    n = 2 * half
    rounds = data.draw(st.integers(1, n - 1))
    result = plan_rounds(names(n), rounds=rounds, seed=data.draw(st.integers(0, 99)), seconds=1)
    assert result.status == "solved" and result.repeats == 0
    pairs = pairs_of(result.rounds)
    assert len(pairs) == len(set(pairs))


def test_odd_count_makes_one_trio_and_nobody_is_left_out() -> None:
    result = plan_rounds(names(7), rounds=3)
    for week in result.rounds:
        assert sorted(len(g) for g in week) == [2, 2, 3]
    assert result.repeats == 0


def test_groups_of_three_reach_the_affine_plane_without_repeats() -> None:
    result = plan_rounds(names(9), group_size=3, rounds=4, seconds=2)
    assert result.status == "solved" and result.repeats == 0
    assert len(set(pairs_of(result.rounds))) == 36  # everyone met everyone once


def test_kirkman_schoolgirls_seven_rounds_of_fifteen() -> None:
    result = plan_rounds(names(15), group_size=3, rounds=7, seconds=5)
    assert result.repeats == 0


@settings(max_examples=25, deadline=None)
@given(st.integers(6, 30), st.integers(0, 10**6))
def test_history_is_avoided_while_fresh_partners_remain(n: int, seed: int) -> None:
    people = names(n)
    earlier = plan_rounds(people, rounds=2, seed=seed + 1, seconds=0.5).rounds
    history = [(a, b) for a, b in (sorted(p) for p in pairs_of(earlier))]
    result = plan_rounds(people, rounds=1, history=history, seed=seed, seconds=0.5)
    assert_partitions(result.rounds, people, 2)
    assert result.repeats == 0


def test_repeats_count_history_and_the_plan() -> None:
    # Two people can only meet each other.
    result = plan_rounds(["a", "b"], rounds=3, history=[("b", "a")])
    assert result.rounds == [[["a", "b"]]] * 3 or all(
        sorted(g) == ["a", "b"] for w in result.rounds for g in w
    )
    assert result.repeats == 3 and result.status == "repeats"


@settings(max_examples=25, deadline=None)
@given(st.integers(4, 24), st.integers(0, 10**6), st.data())
def test_exclusions_are_honoured_when_satisfiable(n: int, seed: int, data: st.DataObject) -> None:
    people = names(n)
    # Exclude a few pairs touching at most half of the people, each at most once: satisfiable.
    excluded = [(people[i], people[i + 1]) for i in range(0, n // 2, 2)]
    result = plan_rounds(
        people, rounds=data.draw(st.integers(1, 3)), exclusions=excluded, seed=seed, seconds=0.5
    )
    together = set(pairs_of(result.rounds))
    assert not together & {frozenset(p) for p in excluded}
    assert result.excluded == 0


def test_prefer_different_mixes_functions() -> None:
    people = names(20)
    attributes = {p: {"function": "eng" if i < 10 else "sales"} for i, p in enumerate(people)}
    result = plan_rounds(people, attributes=attributes, prefer_different=["function"], seconds=2)
    for group in result.rounds[0]:
        assert {attributes[p]["function"] for p in group} == {"eng", "sales"}


def test_time_zones_pair_people_close_in_offset() -> None:
    people = names(20)
    offsets = {p: (-8.0 if i % 2 else 9.0) for i, p in enumerate(people)}
    result = plan_rounds(people, utc_offsets=offsets, seconds=2)
    for group in result.rounds[0]:
        assert len({offsets[p] for p in group}) == 1


def test_bad_input_is_reported_not_raised() -> None:
    assert plan_rounds(["a"]).status == "invalid"
    assert plan_rounds(["a", "a"]).message == "'a' is listed twice"
    assert plan_rounds(["a", "b"], group_size=1).status == "invalid"
    assert plan_rounds(["a", "b"], rounds=-1).status == "invalid"
    assert plan_rounds([], rounds=2).rounds == [[], []]


def test_group_sizes_spread_leftovers_one_per_group() -> None:
    assert group_sizes(7, 2) == [3, 2, 2]
    assert group_sizes(10, 3) == [4, 3, 3]
    assert group_sizes(3, 4) == [3]
    assert sum(group_sizes(10_001, 3)) == 10_001


def test_same_seed_gives_the_same_plan() -> None:
    a = plan_rounds(names(12), rounds=3, seed=5)
    b = plan_rounds(names(12), rounds=3, seed=5)
    assert a.rounds == b.rounds


@settings(max_examples=20, deadline=None)
@given(st.integers(12, 30), st.integers(0, 10**6))
def test_trios_avoid_the_previous_round(n: int, seed: int) -> None:
    # From 4 groups on, a new group can take one person from each earlier group; with 3
    # (9 to 11 people) a group of 4 must repeat a pair.
    people = names(n)
    earlier = plan_rounds(people, group_size=3, seed=seed + 1, seconds=0.5).rounds
    history = [(a, b) for a, b in (sorted(p) for p in pairs_of(earlier))]
    result = plan_rounds(people, group_size=3, history=history, seed=seed, seconds=0.5)
    assert_partitions(result.rounds, people, 3)
    assert result.repeats == 0


def test_completing_a_round_robin_from_history() -> None:
    # Five of the seven rounds of 8 people already happened: two repeat-free rounds remain.
    people = names(8)
    order = [0, 7, 1, 6, 2, 5, 3, 4]
    history = []
    for r in range(5):
        ring = [order[0], *order[1:][r:], *order[1:][:r]]
        history += [(people[ring[i]], people[ring[-1 - i]]) for i in range(4)]
    result = plan_rounds(people, rounds=2, history=history, seconds=3)
    assert result.repeats == 0


def test_an_unavoidable_exclusion_is_reported() -> None:
    result = plan_rounds(["a", "b"], exclusions=[("a", "b")])
    assert result.rounds == [[["a", "b"]]]
    assert result.excluded == 1 and result.status == "repeats"
    assert "excluded" in result.message
