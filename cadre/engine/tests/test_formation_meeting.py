"""Cohorts that can meet: planted instances (a partition where every cohort shares a free
hour is known to exist) are solved with the slot required and mostly by default, impossible
instances say who cannot meet and how many cohorts at best, and constraints, pins and the
anytime search still hold. Small instances only: each test takes seconds at most."""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre.engine.formation import FormationProblem, Person, score_groups, solve_formation
from cadre.engine.formation.cli import form_main
from cadre.engine.formation.score import Encoded, State, bits, search_value
from cadre.engine.formation.search import _Annealer

FUNCTIONS = ("engineering", "design", "sales", "operations")
GOALS = ("ai", "ops", "craft", "pricing")


def planted(seed: int, cohorts: int = 8, size: int = 5) -> tuple[list[Person], list[list[str]]]:
    """People hiding `cohorts` cohorts of `size` that can meet: the members of each share a
    hidden weekday hour (UTC), and everyone is free at 3 to 6 other random weekday hours.
    Returns the people (shuffled) and the planted cohorts' keys."""
    rng = random.Random(seed)
    hidden = rng.sample(range(5 * 24), cohorts)
    people, answer = [], []
    for c, hour in enumerate(hidden):
        keys = []
        for j in range(size):
            hours = {hour}
            while len(hours) < 1 + rng.randint(3, 6):
                hours.add(rng.randrange(5 * 24))
            key = f"c{c}m{j}@example.org"
            keys.append(key)
            people.append(
                Person(
                    key=key,
                    name=f"Member {c}-{j}",
                    function=rng.choice(FUNCTIONS),
                    organization=f"org{rng.randrange(6)}",
                    seniority=rng.choice(["early", "mid", "senior"]),
                    availability_utc=frozenset(hours),
                    skills={rng.choice(["data", "writing", "coding"]): rng.randint(0, 4)},
                    goals=frozenset(rng.sample(GOALS, rng.randint(1, 2))),
                )
            )
        answer.append(keys)
    rng.shuffle(people)
    return people, answer


def meeting(problem: FormationProblem, groups: list[list[str]]) -> int:
    """How many of the cohorts have a common slot, scored from scratch."""
    return sum(1 for s in score_groups(problem, groups) if s.common_slots)


@pytest.mark.parametrize("seed", range(5))
def test_planted_instances_are_solved_when_the_slot_is_required(seed: int) -> None:
    people, answer = planted(seed)
    problem = FormationProblem(
        people, min_size=4, max_size=6, session_minutes=60, require_common_slot=True
    )
    assert meeting(problem, answer) == len(answer)  # the planted answer is one
    result = solve_formation(problem, seconds=30, seed=seed, max_iterations=3000)
    assert result.status == "feasible"
    groups = [list(g) for g in result.groups]
    assert meeting(problem, groups) == len(groups)
    assert sorted(k for g in groups for k in g) == sorted(p.key for p in people)
    assert all(4 <= len(g) <= 6 for g in groups)


@pytest.mark.parametrize("seed", range(5))
def test_by_default_nine_in_ten_cohorts_of_a_planted_instance_can_meet(seed: int) -> None:
    people, answer = planted(seed, cohorts=10)
    problem = FormationProblem(people, min_size=4, max_size=6, session_minutes=60)
    result = solve_formation(problem, seconds=30, seed=seed, max_iterations=3000)
    groups = [list(g) for g in result.groups]
    assert meeting(problem, groups) >= 0.9 * len(groups)


def test_a_cohort_that_can_meet_outranks_a_more_diverse_one_that_cannot() -> None:
    # Two engineers from one organization free at 09:00, two people who differ in everything
    # but share no hour: the search keeps the first pair, the one that can meet.
    at_nine = frozenset({9})
    people = [
        Person(key="a", function="eng", organization="x", availability_utc=at_nine),
        Person(key="b", function="eng", organization="x", availability_utc=at_nine),
        Person(key="c", function="design", organization="y", availability_utc=frozenset({40})),
        Person(key="d", function="sales", organization="z", availability_utc=frozenset({90})),
    ]
    problem = FormationProblem(people, min_size=2, max_size=2, session_minutes=60)
    result = solve_formation(problem, seconds=10, seed=0, max_iterations=500)
    assert sorted(sorted(g) for g in result.groups) == [["a", "b"], ["c", "d"]]


def isolated_instance() -> list[Person]:
    """Ten people free Monday 09:00 UTC; Iso One and Iso Two free only when nobody else is."""
    people = [
        Person(key=f"p{i}@x.org", name=f"P{i}", availability_utc=frozenset({9})) for i in range(10)
    ]
    people.append(Person(key="iso1@x.org", name="Iso One", availability_utc=frozenset({30})))
    people.append(Person(key="iso2@x.org", name="Iso Two", availability_utc=frozenset({60})))
    return people


def test_an_impossible_instance_names_who_cannot_meet_and_how_many_cohorts_at_best() -> None:
    problem = FormationProblem(
        isolated_instance(),
        min_size=4,
        max_size=4,
        session_minutes=60,
        require_common_slot=True,
    )
    result = solve_formation(problem, seconds=30, seed=0, max_iterations=2000)
    assert result.status == "infeasible"
    report = result.meeting
    assert report is not None
    assert (report.cohorts, report.can_meet, report.fewest_unable) == (3, 2, 1)
    assert sorted(report.isolated) == ["iso1@x.org", "iso2@x.org"]
    text = " ".join(report.explanation)
    assert "Iso One (iso1@x.org) is free with at most 0 others" in text
    assert "Iso Two (iso2@x.org)" in text
    assert "At best 1 cohort cannot meet" in text
    assert "this is the fewest possible" in text
    assert "Iso One" in result.message


def test_when_nobody_is_isolated_the_bound_comes_from_counting_every_hour() -> None:
    # Six people free only at Mon 09:00 and six only at Tue 10:00, in cohorts of exactly 4:
    # everyone has five others to meet with, but each hour fills one cohort and leaves two.
    people = [
        Person(key=f"m{i}", availability_utc=frozenset({9 if i < 6 else 34})) for i in range(12)
    ]
    problem = FormationProblem(
        people, min_size=4, max_size=4, session_minutes=60, require_common_slot=True
    )
    result = solve_formation(problem, seconds=30, seed=0, max_iterations=1000)
    assert result.meeting is not None
    assert result.meeting.isolated == []
    assert (result.meeting.can_meet, result.meeting.fewest_unable) == (2, 1)
    assert "counted exactly" in " ".join(result.meeting.explanation)


def test_the_number_of_cohorts_changes_when_that_lets_every_cohort_meet() -> None:
    # Twelve people in cohorts of 4-6 would usually make 2 cohorts of 6, but they are free
    # at three different hours, four at each: three cohorts of 4 can all meet.
    people = [
        Person(key=f"m{i}", availability_utc=frozenset({9 + 24 * (i % 3)})) for i in range(12)
    ]
    problem = FormationProblem(
        people, min_size=4, max_size=6, session_minutes=60, require_common_slot=True
    )
    result = solve_formation(problem, seconds=30, seed=0, max_iterations=1000)
    assert result.status == "feasible"
    assert len(result.groups) == 3
    assert "3 cohorts rather than the usual 2" in result.message


def test_must_cannot_and_pins_hold_while_every_cohort_meets() -> None:
    people, answer = planted(3)
    first, second = answer[0], answer[1]
    problem = FormationProblem(
        people,
        min_size=4,
        max_size=6,
        session_minutes=60,
        require_common_slot=True,
        must_together=[(first[0], first[1]), (second[0], second[1])],
        cannot_together=[(first[2], second[2])],
        pinned={first[3]: 2, second[3]: 5},
    )
    result = solve_formation(problem, seconds=30, seed=1, max_iterations=3000)
    assert result.status == "feasible"
    where = {k: g for g, members in enumerate(result.groups) for k in members}
    assert where[first[0]] == where[first[1]]
    assert where[second[0]] == where[second[1]]
    assert where[first[2]] != where[second[2]]
    assert (where[first[3]], where[second[3]]) == (2, 5)
    assert meeting(problem, [list(g) for g in result.groups]) == len(result.groups)
    assert set(Counter(where.values()).values()) <= {4, 5, 6}


def test_a_tiny_budget_still_gives_everyone_a_cohort_and_reports_progress() -> None:
    people, _ = planted(4, cohorts=10)
    problem = FormationProblem(people, min_size=4, max_size=6, session_minutes=60)
    calls: list[tuple[float, float]] = []
    result = solve_formation(
        problem, seconds=0.3, seed=0, progress=lambda f, b: calls.append((f, b))
    )
    assert sorted(k for g in result.groups for k in g) == sorted(p.key for p in people)
    assert calls and calls[-1] == (1.0, result.objective)
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions)


def test_the_command_exits_1_and_says_who_cannot_meet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["name,email,availability"]
    rows += [f"P{i},p{i}@x.org,Mon 09-10" for i in range(10)]
    rows += ["Iso One,iso1@x.org,Tue 06-07", "Iso Two,iso2@x.org,Wed 12-13"]
    people = tmp_path / "people.csv"
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "cohorts.csv"
    argv = [str(people), "--size", "4", "--session-minutes", "60", "--require-slot"]
    argv += ["--seconds", "20", "--max-iterations", "500", "--out", str(out)]
    code = form_main(argv, started=time.monotonic())
    printed = capsys.readouterr().out
    assert code == 1
    assert "Iso One (iso1@x.org)" in printed and "Iso Two (iso2@x.org)" in printed
    assert "At best 1 cohort cannot meet" in printed
    assert out.exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.sampled_from([60, 120]))
def test_no_search_step_leaves_a_cohort_that_can_meet_unable_to(seed: int, minutes: int) -> None:
    people, _ = planted(seed % 7, cohorts=5)
    problem = FormationProblem(people, min_size=3, max_size=7, session_minutes=minutes)
    enc = Encoded(problem)
    rng = np.random.default_rng(seed)
    state = State(enc, [int(g) for g in rng.permutation(enc.n) % enc.k])
    search = _Annealer(enc, state, rng)
    assert search.keep_meeting
    meeting_before = {g for g in range(enc.k) if state.slots(g)[0]}
    for _ in range(400):
        search.try_step(temperature=1e6)  # accepts almost anything the proposals offer
        meeting_now = {g for g in range(enc.k) if state.slots(g)[0]}
        assert meeting_before <= meeting_now
        meeting_before = meeting_now


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000))
def test_steps_and_regroupings_keep_every_count_and_the_hosts_of_each_hour_exact(
    seed: int,
) -> None:
    people, answer = planted(seed % 7, cohorts=5)
    problem = FormationProblem(people, min_size=3, max_size=7, session_minutes=60)
    enc = Encoded(problem)
    rng = np.random.default_rng(seed)
    # Start from the planted answer with a few people swapped, so that most cohorts meet.
    where = {key: g for g, keys in enumerate(answer) for key in keys}
    group_of = [where[key] for key in enc.keys]
    for _ in range(3):
        i, j = (int(x) for x in rng.integers(enc.n, size=2))
        group_of[i], group_of[j] = group_of[j], group_of[i]
    state = State(enc, group_of)
    search = _Annealer(enc, state, rng)
    meeting_before = {g for g in range(enc.k) if state.slots(g)[0]}
    for step in range(200):
        if step % 10 == 0:
            search.regroup()
        else:
            search.try_step(temperature=0.05)
        meeting_now = {g for g in range(enc.k) if state.slots(g)[0]}
        assert meeting_before <= meeting_now
        meeting_before = meeting_now
    for g, members in enumerate(state.groups()):
        assert math.isclose(state.value[g], search_value(enc, members), abs_tol=1e-9)
        assert search.common[g] == search._shared(g)
    assert math.isclose(state.objective, math.fsum(state.value), abs_tol=1e-7)
    for h, hosts in enumerate(search.hosts):
        assert sorted(hosts) == [g for g in range(enc.k) if search.common[g] >> h & 1]


def test_a_regrouping_gives_two_cohorts_new_hours_that_no_single_swap_reaches() -> None:
    # A meets at hour 10 and B at hour 20; half of each shares a goal with half of the
    # other and an hour (30 or 40) with them. Every single move or swap leaves A or B
    # unable to meet, so only a step that moves four people at once finds the cohorts
    # whose members share their goals.
    def person(key: str, hours: set[int], goal: str) -> Person:
        return Person(key=key, availability_utc=frozenset(hours), goals=frozenset({goal}))

    people = [
        person("a1", {10, 30}, "x"),
        person("a2", {10, 30}, "x"),
        person("a3", {10, 40}, "y"),
        person("a4", {10, 40}, "y"),
        person("b1", {20, 30}, "x"),
        person("b2", {20, 30}, "x"),
        person("b3", {20, 40}, "y"),
        person("b4", {20, 40}, "y"),
    ]
    problem = FormationProblem(people, min_size=4, max_size=4, session_minutes=60)
    enc = Encoded(problem)
    state = State(enc, [0, 0, 0, 0, 1, 1, 1, 1])
    search = _Annealer(enc, state, np.random.default_rng(0))
    before = state.objective
    assert all(search.propose() is None for _ in range(200))
    steps = []
    for _ in range(20):  # the cohorts to share out again are drawn at random
        steps = search.regroup()
        if steps:
            break
    assert len(steps) == 4
    groups = sorted(sorted(enc.keys[i] for i in members) for members in state.groups())
    assert groups == [["a1", "a2", "b1", "b2"], ["a3", "a4", "b3", "b4"]]
    assert state.objective > before
    assert sorted(bits(c)[0] for c in search.common) == [30, 40]


def test_the_best_split_tries_every_way_to_cover_the_units() -> None:
    found = {0b0011: 1.0, 0b1100: 1.0, 0b0101: 1.5, 0b1010: 0.4, 0b0110: 0.1, 0b1001: 2.0}
    best, value = _Annealer._best_split(found, 4, 2)
    assert best is not None and sorted(best) == [0b0110, 0b1001] and value == 2.1
    assert _Annealer._best_split({0b0011: 1.0}, 4, 2) == (None, -math.inf)
