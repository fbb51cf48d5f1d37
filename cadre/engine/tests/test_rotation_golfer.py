"""The Social Golfer core of the rotation engine: constructions, search, CLI, input errors."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.engine.rotation import GolferError, RotationResult, repeat_free, solve_golfer
from cadre.engine.rotation.cli import format_schedule, golfer_main
from cadre.engine.rotation.constructions import affine_lines, round_robin, transversal
from cadre.engine.rotation.difference import (
    BaseRoundSearch,
    Multiplier,
    developed_design,
    developing_shapes,
    permutation,
)
from cadre.engine.rotation.fields import galois_field, prime_power
from cadre.engine.rotation.search import OrbitModel, Shape, shapes_for, tabu_search


def pairs_of(schedule: list[list[list[int]]]) -> list[tuple[int, int]]:
    return [
        p for week in schedule for group in week for p in itertools.combinations(sorted(group), 2)
    ]


def assert_valid(schedule: list[list[list[int]]], g: int, s: int) -> None:
    for week in schedule:
        assert len(week) == g and all(len(group) == s for group in week)
        assert sorted(p for group in week for p in group) == list(range(g * s))
    pairs = pairs_of(schedule)
    assert len(pairs) == len(set(pairs))


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9, 16, 25, 27])
def test_galois_field_satisfies_the_field_axioms(q: int) -> None:
    f = galois_field(q)
    elems = np.arange(q)
    assert (f.add[0] == elems).all() and (f.mul[1] == elems).all()
    for a in range(1, q):
        assert sorted(f.mul[a].tolist()) == list(range(q))  # every non-zero a is invertible
    xa, xb, xc = np.meshgrid(elems, elems, elems, indexing="ij")
    assert (f.mul[xa, f.add[xb, xc]] == f.add[f.mul[xa, xb], f.mul[xa, xc]]).all()
    assert (f.mul[f.mul[xa, xb], xc] == f.mul[xa, f.mul[xb, xc]]).all()


def test_prime_power_recognises_prime_powers_only() -> None:
    assert [q for q in range(2, 30) if prime_power(q)] == [
        2, 3, 4, 5, 7, 8, 9, 11, 13, 16, 17, 19, 23, 25, 27, 29,
    ]  # fmt: skip
    with pytest.raises(ValueError, match="6 is not a prime power"):
        galois_field(6)


@pytest.mark.parametrize("g", [1, 2, 3, 6, 11, 12])
def test_round_robin_meets_everyone_exactly_once(g: int) -> None:
    schedule = round_robin(g)
    assert len(schedule) == 2 * g - 1
    assert_valid(schedule, g, 2)
    assert len(pairs_of(schedule)) == g * (2 * g - 1)


@pytest.mark.parametrize(
    ("g", "s", "weeks"),
    [(3, 3, 4), (4, 4, 5), (5, 5, 6), (7, 5, 7), (8, 4, 9), (8, 6, 8), (9, 6, 9), (13, 4, 13)],
)
def test_transversal_designs_over_gf_q_are_repeat_free(g: int, s: int, weeks: int) -> None:
    schedule = transversal(g, s)
    assert schedule is not None and len(schedule) == weeks
    assert_valid(schedule, g, s)


def test_transversal_design_needs_a_prime_power_at_least_the_size() -> None:
    assert transversal(6, 3) is None and transversal(5, 6) is None


@pytest.mark.parametrize(("g", "s", "weeks"), [(9, 3, 13), (16, 4, 21), (8, 2, 15)])
def test_affine_geometry_lines_are_repeat_free(g: int, s: int, weeks: int) -> None:
    schedule = affine_lines(g, s)
    assert schedule is not None and len(schedule) == weeks
    assert_valid(schedule, g, s)


@pytest.mark.parametrize(("g", "s", "w"), [(5, 3, 7), (6, 3, 8), (7, 3, 10), (6, 4, 7)])
def test_famous_instances_are_solved_at_the_counting_bound(g: int, s: int, w: int) -> None:
    # An iteration budget, not the clock, so the answer does not depend on the machine's load.
    result = solve_golfer(g, s, w, seconds=None, seed=1, max_iterations=20_000)
    assert result.status == "solved" and result.weeks == w
    assert_valid(result.schedule, g, s)


def test_sizes_outside_the_table_work_too() -> None:
    result = solve_golfer(13, 3, 12, seconds=10, seed=0)  # KTS-like, v = 39
    assert result.status == "solved"
    assert_valid(result.schedule, 13, 3)


def test_more_weeks_than_possible_returns_the_bound_as_partial() -> None:
    result = solve_golfer(3, 4, 2, seconds=1)
    assert result.status == "partial" and result.weeks == 1
    assert "at most 1 repeat-free weeks exist" in result.message
    result = solve_golfer(4, 2, 8, seconds=1)
    assert result.status == "partial" and result.weeks == 7


def test_developed_shape_is_repeat_free_exactly_when_no_orbit_repeats() -> None:
    shape = Shape(n=7, rows=2, fixed=1, bases=1, coset_week=False)
    model = OrbitModel(5, 3, shape)
    outcome = tabu_search(
        model, np.random.default_rng(0), deadline=float("inf"), max_iterations=5000
    )
    assert outcome.conflicts == 0
    schedule = model.develop(outcome.bases)
    assert len(schedule) == 7 and repeat_free(schedule, 5, 3)


def test_every_shape_offered_can_hold_the_pairs_it_needs() -> None:
    for shape in shapes_for(8, 4, 10):
        model = OrbitModel(8, 4, shape)
        assert shape.weeks == 10
        assert model.pairs_per_orbit >= shape.bases * 8 * 6
    assert shapes_for(8, 4, 10)[-1].n == 1  # the plain search is always there


@pytest.mark.parametrize(("g", "s", "w"), [(9, 4, 11), (10, 4, 13), (12, 4, 15)])
def test_counting_bound_rows_of_fours_are_built_by_the_difference_method(
    g: int, s: int, w: int
) -> None:
    # 9-4-11 and 12-4-15 are resolvable 4-GDDs of type 3^12 and 3^16, 10-4-13 an RBIBD(40,4,1).
    # A node budget rather than a time limit, so the test does not depend on the machine.
    found = developed_design(g, s, w, seed=0, deadline=float("inf"), budget=[3_000_000])
    assert found is not None and found[1].startswith("difference method")
    assert len(found[0]) == w
    assert_valid(found[0], g, s)


def test_solve_golfer_reaches_the_counting_bound_on_ten_fours() -> None:
    result = solve_golfer(10, 4, 13, seconds=30, seed=0)
    assert result.status == "solved" and result.method.startswith("difference method")
    assert_valid(result.schedule, 10, 4)


def test_base_round_is_invariant_under_its_multiplier_and_develops_repeat_free() -> None:
    shape = Shape(n=11, rows=3, fixed=3, bases=1, coset_week=False)
    model = OrbitModel(9, 4, shape)
    mu = permutation(shape, Multiplier(1, 3, 3))
    bases, complete = BaseRoundSearch(model, mu).run(np.random.default_rng(0), 100_000)
    assert bases is not None and complete
    groups = {tuple(sorted(group)) for group in bases[0]}
    assert {tuple(sorted(mu[p] for p in group)) for group in groups} == groups
    schedule = model.develop(np.array(bases))
    assert len(schedule) == 11
    assert_valid(schedule, 9, 4)


def test_eleven_fours_for_fourteen_weeks_come_from_one_base_round_over_z14() -> None:
    # 11-4-14 (a resolvable 4-GDD of type 2^22): the whole of solve_golfer takes 10-25 s
    # here, so this checks the candidate that it finds, x -> 9x with the rows turned.
    shape = Shape(n=14, rows=3, fixed=2, bases=1, coset_week=False)
    model = OrbitModel(11, 4, shape)
    search = BaseRoundSearch(model, permutation(shape, Multiplier(9, 3, 1)))
    bases, _ = search.run(np.random.default_rng(0), 20_000)
    assert bases is not None
    schedule = model.develop(np.array(bases))
    assert len(schedule) == 14
    assert_valid(schedule, 11, 4)


def test_a_complete_search_proves_that_no_base_round_has_the_symmetry() -> None:
    # With rows turned, each of the two fixed points of Z_10 x 3 + 2 would need the same
    # three mixed differences, so 8-4-10 has no such base round.
    shape = Shape(n=10, rows=3, fixed=2, bases=1, coset_week=False)
    search = BaseRoundSearch(OrbitModel(8, 4, shape), permutation(shape, Multiplier(1, 3, 2)))
    assert search.run(np.random.default_rng(0), 1_000_000) == (None, True)


def test_difference_method_with_a_node_budget_is_deterministic() -> None:
    one = developed_design(10, 4, 13, seed=3, deadline=float("inf"), budget=[200_000])
    two = developed_design(10, 4, 13, seed=3, deadline=float("inf"), budget=[200_000])
    assert one is not None and one == two
    assert_valid(one[0], 10, 4)


def test_developing_shapes_can_hold_the_pairs_of_their_base_rounds() -> None:
    shapes = developing_shapes(11, 4, 14, most_bases=2)
    assert Shape(14, 3, 2, 1, False) in shapes and Shape(7, 6, 2, 2, False) in shapes
    for shape in shapes:
        assert shape.weeks == 14 and shape.fixed <= 11
        assert OrbitModel(11, 4, shape).pairs_per_orbit >= shape.bases * 11 * 6


@settings(max_examples=25, deadline=None)
@given(
    g=st.integers(1, 6),
    s=st.integers(1, 4),
    w=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_any_result_is_a_repeat_free_sequence_of_partitions(
    g: int, s: int, w: int, seed: int
) -> None:
    result = solve_golfer(g, s, w, seconds=None, max_iterations=300, seed=seed)
    assert result.weeks == len(result.schedule) <= w
    assert_valid(result.schedule, g, s)
    assert (result.status == "solved") == (result.weeks == w)


@settings(max_examples=10, deadline=None)
@given(g=st.integers(3, 6), s=st.integers(3, 4), seed=st.integers(0, 1000))
def test_fixed_seed_and_iteration_budget_give_the_same_schedule(g: int, s: int, seed: int) -> None:
    w = min(g + 1, (g * s - 1) // (s - 1))
    one = solve_golfer(g, s, w, seconds=None, max_iterations=400, seed=seed)
    two = solve_golfer(g, s, w, seconds=None, max_iterations=400, seed=seed)
    assert one.schedule == two.schedule


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"groups": 0, "size": 3, "weeks": 2}, "groups must be at least 1, got 0"),
        ({"groups": 2, "size": -1, "weeks": 2}, "size must be at least 1, got -1"),
        ({"groups": 2, "size": 2, "weeks": 2.5}, "weeks must be a whole number, got 2.5"),
        ({"groups": True, "size": 2, "weeks": 2}, "groups must be a whole number, got True"),
        ({"groups": 2, "size": 2, "weeks": 2, "seconds": 0}, "seconds must be positive, got 0"),
        ({"groups": 200, "size": 60, "weeks": 2}, "groups x size must be at most 10000, got 12000"),
        ({"groups": 2, "size": 2, "weeks": 2, "seconds": None}, "give seconds or max_iterations"),
    ],
)
def test_bad_input_is_refused_with_an_exact_message(
    kwargs: dict[str, object], message: str
) -> None:
    # The wrong types (2.5 weeks, True groups) are the point: call it as untyped code would.
    untyped: Callable[..., RotationResult] = solve_golfer
    with pytest.raises(GolferError) as caught:
        untyped(**kwargs)
    assert str(caught.value) == message


def test_cli_writes_weeks_and_exits_0_when_all_weeks_are_found(tmp_path: Path) -> None:
    out = tmp_path / "k.txt"
    args = ["golfer", "--groups", "5", "--size", "3", "--weeks", "7", "--seconds", "10"]
    done = subprocess.run(
        [sys.executable, "-m", "cadre.cli", *args, "--out", str(out)],
        capture_output=True,
        text=True,
    )
    code = done.returncode
    assert code == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 7
    schedule = [[[int(p) for p in part.split()] for part in line.split(" | ")] for line in lines]
    assert_valid(schedule, 5, 3)
    assert out.read_text() == format_schedule(schedule)


def test_cli_exits_1_and_writes_the_longest_prefix_when_short(tmp_path: Path) -> None:
    out = tmp_path / "p.txt"
    code = golfer_main(["--groups", "4", "--size", "3", "--weeks", "5", "--seconds", "0.5",
                        "--out", str(out), "--quiet"])  # fmt: skip
    assert code == 1  # 4-3 stops at 4 weeks
    assert len(out.read_text().splitlines()) == 4


def test_cli_reports_bad_input_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = golfer_main(
        ["--groups", "0", "--size", "3", "--weeks", "2", "--out", str(tmp_path / "x")]
    )
    assert code == 2
    assert "cadre golfer: groups must be at least 1, got 0" in capsys.readouterr().err
    assert golfer_main(["--groups", "two"]) == 2
