"""The skill-share pairing: a pure function over plain ids."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre.diagnostics.pairing import Need, Offer, Pairing, suggest_pairings


def test_a_learner_is_paired_with_someone_who_can_teach_the_skill():
    pairs = suggest_pairings([Need(1, 10, 2)], [Offer(2, 10, 4), Offer(3, 11, 4)])
    assert pairs == [Pairing(learner=1, teacher=2, skill=10, gap=2, teacher_level=4)]


def test_nobody_is_paired_with_themselves():
    assert suggest_pairings([Need(1, 10, 3)], [Offer(1, 10, 4)]) == []


def test_teaching_is_spread_so_nobody_teaches_too_many():
    needs = [Need(learner, 10, 2) for learner in (1, 2, 3, 4)]
    offers = [Offer(8, 10, 4), Offer(9, 10, 3)]
    pairs = suggest_pairings(needs, offers, max_per_teacher=2)
    assert Counter(p.teacher for p in pairs) == {8: 2, 9: 2}


def test_no_teacher_goes_over_the_limit_even_if_needs_are_left():
    needs = [Need(learner, 10, 2) for learner in (1, 2, 3)]
    pairs = suggest_pairings(needs, [Offer(9, 10, 4)], max_per_teacher=2)
    assert len(pairs) == 2 and {p.teacher for p in pairs} == {9}


def test_the_sole_teacher_of_a_rare_skill_is_kept_for_it():
    # Teacher 9 is the only one for skill 20; for skill 10 teacher 8 is just as good.
    needs = [Need(1, 10, 3), Need(2, 20, 2)]
    offers = [Offer(9, 10, 4), Offer(8, 10, 3), Offer(9, 20, 4)]
    pairs = suggest_pairings(needs, offers, max_per_teacher=1)
    assert {(p.learner, p.teacher) for p in pairs} == {(1, 8), (2, 9)}


def test_a_personal_capacity_overrides_the_default_and_zero_means_none():
    needs = [Need(1, 10, 2), Need(2, 10, 2)]
    offers = [Offer(9, 10, 4), Offer(8, 10, 4)]
    pairs = suggest_pairings(needs, offers, max_per_teacher=5, capacity={9: 0})
    assert {p.teacher for p in pairs} == {8}


def test_needs_without_a_gap_and_duplicates_are_ignored():
    pairs = suggest_pairings([Need(1, 10, 0), Need(2, 10, 2), Need(2, 10, 2)], [Offer(9, 10, 4)])
    assert [(p.learner, p.teacher) for p in pairs] == [(2, 9)]


def test_the_same_input_gives_the_same_pairings():
    needs = [Need(i, 10 + i % 3, 2 + i % 2) for i in range(12)]
    offers = [Offer(100 + i, 10 + i % 3, 3 + i % 2) for i in range(5)]
    assert suggest_pairings(needs, offers) == suggest_pairings(list(reversed(needs)), offers)


def test_a_negative_limit_is_refused():
    with pytest.raises(ValueError, match="max_per_teacher"):
        suggest_pairings([], [], max_per_teacher=-1)


people = st.integers(min_value=1, max_value=8)
skills = st.integers(min_value=1, max_value=3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    needs=st.lists(st.builds(Need, people, skills, st.integers(0, 4)), max_size=20),
    offers=st.lists(st.builds(Offer, people, skills, st.integers(3, 4)), max_size=12),
    limit=st.integers(0, 3),
)
def test_pairings_always_respect_the_rules(needs, offers, limit):
    pairs = suggest_pairings(needs, offers, max_per_teacher=limit)
    offered = {(o.teacher, o.skill) for o in offers}
    needed = {(n.learner, n.skill) for n in needs if n.gap > 0}
    assert all(p.learner != p.teacher for p in pairs)
    assert all((p.teacher, p.skill) in offered for p in pairs)
    assert all((p.learner, p.skill) in needed for p in pairs)
    assert len({(p.learner, p.skill) for p in pairs}) == len(pairs)
    assert all(count <= limit for count in Counter(p.teacher for p in pairs).values())
    # Greedy never leaves a need unserved while an eligible teacher still has room.
    load = Counter(p.teacher for p in pairs)
    served = {(p.learner, p.skill) for p in pairs}
    for learner, s in needed - served:
        assert all(load[t] >= limit for t, sk in offered if sk == s and t != learner), (learner, s)
