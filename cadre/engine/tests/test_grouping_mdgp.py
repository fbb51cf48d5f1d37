"""The MDGP solver: invariants as Hypothesis properties, worked examples, the file reader's
error messages and the `cadre mdgp` command end to end. Needs nothing outside the repo."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre.engine.grouping import (
    InstanceError,
    MdgpInstance,
    Progress,
    _kernels,
    check_assignment,
    greedy_assignment,
    objective,
    parse_mdgp,
    random_assignment,
    read_mdgp,
    solve_mdgp,
)
from cadre.engine.grouping.cli import mdgp_main
from cadre.engine.grouping.construct import pair_rich_sizes
from cadre.engine.grouping.solver import crossover

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw: st.DrawFn, max_n: int = 14) -> MdgpInstance:
    """A random feasible instance: G groups, each with bounds [a_g, b_g], n within their sums."""
    groups = draw(st.integers(1, 4))
    lower = [draw(st.integers(1, min(3, max_n // groups))) for _ in range(groups)]
    upper = [a + draw(st.integers(0, 2)) for a in lower]
    n = draw(st.integers(sum(lower), min(sum(upper), max_n)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    d = np.round(rng.uniform(0, 100, size=(n, n)), draw(st.sampled_from([0, 3])))
    d = np.triu(d, 1)
    return MdgpInstance.create(d + d.T, lower, upper)


def brute_force(instance: MdgpInstance) -> float:
    best = -np.inf
    for labels in itertools.product(range(instance.groups), repeat=instance.n):
        a = np.array(labels, dtype=np.int64)
        sizes = np.bincount(a, minlength=instance.groups)
        if np.all(sizes >= instance.lower) and np.all(sizes <= instance.upper):
            best = max(best, objective(instance.distances, a))
    return best


def mdgplib_text(instance: MdgpInstance, kind: str = "ds") -> str:
    bounds = " ".join(f"{a} {b}" for a, b in zip(instance.lower, instance.upper, strict=True))
    lines = [f"{instance.n} {instance.groups} {kind} {bounds} "]
    lines += [
        f"{i} {j} {instance.distances[i, j]:.3f}"
        for i in range(instance.n)
        for j in range(i + 1, instance.n)
    ]
    return "\n".join(lines) + "\n"


TINY = MdgpInstance.create(
    [[0, 1, 9, 9], [1, 0, 9, 9], [9, 9, 0, 1], [9, 9, 1, 0]], lower=[2, 2], upper=[2, 2]
)


# Invariants


@FAST
@given(instances(), st.integers(0, 1000))
def test_solution_places_everyone_once_within_bounds(instance: MdgpInstance, seed: int) -> None:
    result = solve_mdgp(instance, max_iterations=200, seed=seed)
    check_assignment(instance, result.assignment)
    assert result.objective == pytest.approx(objective(instance.distances, result.assignment))


@FAST
@given(instances(max_n=8), st.integers(0, 1000))
def test_small_instances_are_solved_to_optimality(instance: MdgpInstance, seed: int) -> None:
    result = solve_mdgp(instance, max_iterations=1500, seed=seed)
    assert result.objective == pytest.approx(brute_force(instance))


@FAST
@given(instances(), st.integers(0, 1000))
def test_same_seed_same_result_with_an_iteration_budget(instance: MdgpInstance, seed: int) -> None:
    first = solve_mdgp(instance, max_iterations=300, seed=seed)
    second = solve_mdgp(instance, max_iterations=300, seed=seed)
    assert np.array_equal(first.assignment, second.assignment)
    assert first.objective == second.objective
    assert first.iterations == second.iterations


@FAST
@given(instances(), st.integers(0, 1000), st.integers(1, 40))
def test_incremental_gains_match_a_recomputation_after_random_moves(
    instance: MdgpInstance, seed: int, steps: int
) -> None:
    rng = np.random.default_rng(seed)
    d, groups = instance.distances, instance.groups
    assign = random_assignment(instance, rng)
    sizes = np.bincount(assign, minlength=groups).astype(np.int64)
    gain = d @ np.eye(groups)[assign]
    value = objective(d, assign)
    for _ in range(steps):
        i, j = rng.integers(instance.n, size=2)
        a, b = int(assign[i]), int(assign[j])
        if a != b and rng.random() < 0.5:  # swap
            delta = gain[i, b] - gain[i, a] + gain[j, a] - gain[j, b] - 2 * d[i, j]
            _kernels.apply_move(d, gain, assign, sizes, int(i), b)
            _kernels.apply_move(d, gain, assign, sizes, int(j), a)
        else:  # one-move to a random group, if the bounds allow it
            g = int(rng.integers(groups))
            if g == a or sizes[a] <= instance.lower[a] or sizes[g] >= instance.upper[g]:
                continue
            delta = gain[i, g] - gain[i, a]
            _kernels.apply_move(d, gain, assign, sizes, int(i), g)
        value += delta
        assert value == pytest.approx(objective(d, assign), abs=1e-6)
        assert np.allclose(gain, d @ np.eye(groups)[assign])
        assert np.array_equal(sizes, np.bincount(assign, minlength=groups))
        check_assignment(instance, assign)


@pytest.mark.parametrize("kernel", ["numpy", "loops"])
def test_each_kernel_keeps_its_objective_and_gains_exact(kernel: str) -> None:
    rng = np.random.default_rng(3)
    n, groups = 30, 4
    d = np.triu(rng.uniform(0, 100, size=(n, n)), 1)
    instance = MdgpInstance.create(d + d.T, [5, 6, 7, 5], [9, 8, 10, 9])
    d = instance.distances
    assign = greedy_assignment(instance, rng)
    sizes = np.bincount(assign, minlength=groups).astype(np.int64)
    gain = d @ np.eye(groups)[assign]
    f = objective(d, assign)
    fstate = np.array([f, f, d[~np.eye(n, dtype=bool)].min()])
    istate = np.array([0, 0, 10**9, 0], dtype=np.int64)
    best = assign.copy()
    tabu = np.zeros((n, groups), dtype=np.int64)
    func = _kernels._tabu_numpy if kernel == "numpy" else _kernels._tabu_loops
    tenures = np.array([3, 5, 7], dtype=np.int64)
    draws = rng.random(64)
    done = func(
        d,
        gain,
        assign,
        sizes,
        instance.lower,
        instance.upper,
        tabu,
        fstate,
        istate,
        best,
        tenures,
        draws,
        60,
    )
    assert done == 60
    assert fstate[0] == pytest.approx(objective(d, assign))
    assert fstate[1] == pytest.approx(objective(d, best)) and fstate[1] >= f
    assert np.allclose(gain, d @ np.eye(groups)[assign])
    check_assignment(instance, assign)
    check_assignment(instance, best)


@FAST
@given(instances(), st.integers(0, 1000))
def test_constructions_and_crossover_meet_the_bounds(instance: MdgpInstance, seed: int) -> None:
    rng = np.random.default_rng(seed)
    first, second = random_assignment(instance, rng), greedy_assignment(instance, rng)
    check_assignment(instance, first)
    check_assignment(instance, second)
    check_assignment(instance, crossover(instance, first, second, rng))


@FAST
@given(instances(), st.integers(0, 1000))
def test_pair_rich_sizes_maximise_the_number_of_pairs(instance: MdgpInstance, seed: int) -> None:
    sizes = pair_rich_sizes(instance, np.random.default_rng(seed))
    assert sizes.sum() == instance.n
    assert np.all(sizes >= instance.lower) and np.all(sizes <= instance.upper)
    ranges = [range(a, b + 1) for a, b in zip(instance.lower, instance.upper, strict=True)]
    most = max(
        sum(s * (s - 1) // 2 for s in combo)
        for combo in itertools.product(*ranges)
        if sum(combo) == instance.n
    )
    assert int((sizes * (sizes - 1) // 2).sum()) == most


# Worked examples


def test_far_apart_pairs_are_grouped_together() -> None:
    result = solve_mdgp(TINY, max_iterations=100, seed=0)
    assert result.objective == 18.0
    assert result.assignment[0] != result.assignment[1]
    assert result.status == "feasible"


def test_one_group_is_optimal_at_once() -> None:
    instance = MdgpInstance.create(np.ones((3, 3)) - np.eye(3), [1], [3])
    result = solve_mdgp(instance, seconds=1, seed=0)
    assert result.status == "optimal" and result.objective == 3.0


def test_time_limit_is_kept_and_progress_is_reported() -> None:
    rng = np.random.default_rng(0)
    d = np.triu(rng.uniform(0, 100, size=(60, 60)), 1)
    instance = MdgpInstance.create(d + d.T, [10] * 6, [10] * 6)
    seen: list[Progress] = []
    result = solve_mdgp(instance, seconds=0.5, seed=1, progress=seen.append)
    assert result.seconds < 0.8
    assert seen and seen[-1].objective == pytest.approx(result.objective)
    assert [p.objective for p in seen] == sorted(p.objective for p in seen)


def test_progress_callback_can_stop_the_search() -> None:
    result = solve_mdgp(TINY, seconds=5, seed=0, progress=lambda p: True)
    assert result.seconds < 1
    check_assignment(TINY, result.assignment)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="give seconds, max_iterations or both"):
        solve_mdgp(TINY, seed=0)
    with pytest.raises(ValueError, match="seconds must be >= 0"):
        solve_mdgp(TINY, seconds=-1, seed=0)


@pytest.mark.parametrize(
    ("distances", "lower", "upper", "message"),
    [
        ([[0, 1], [2, 0]], [1], [2], r"symmetric: d\[0, 1\] != d\[1, 0\]"),
        ([[1, 1], [1, 0]], [1], [2], r"zero diagonal: d\[0, 0\] = 1"),
        ([[0, 1], [1, 0]], [2, 1], [2, 1], "lower bounds add up to 3, more than the 2 elements"),
        ([[0, 1], [1, 0]], [1], [1], "upper bounds add up to 1, fewer than the 2 elements"),
        ([[0, 1], [1, 0]], [0], [2], r"group 0: bounds must satisfy 1 <= lower <= upper"),
        ([[0, np.nan], [np.nan, 0]], [1], [2], r"d\[0, 1\] is not a finite number"),
    ],
)
def test_invalid_instances_are_refused_with_a_reason(
    distances: list[list[float]], lower: list[int], upper: list[int], message: str
) -> None:
    with pytest.raises(InstanceError, match=message):
        MdgpInstance.create(distances, lower, upper)


# Reading MDGPLIB files

GOOD = "4 2 ss 2 2 2 2 \n0 1 1.5\n0 2 9\n0 3 9\n1 2 9\n1 3 9\n2 3 1\n"


def test_reader_reads_a_well_formed_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(GOOD)
    instance = read_mdgp(path)
    assert instance.n == 4 and instance.groups == 2 and instance.same_size
    assert instance.distances[1, 0] == 1.5 and instance.distances[3, 2] == 1
    assert instance.name == "tiny"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: expected the header"),
        ("4 2 xs 2 2 2 2\n", "line 1: the size type must be 'ss' or 'ds', got 'xs'"),
        ("4 two ss 2 2 2 2\n", "line 1: M and G must be whole numbers"),
        ("4 2 ss 2 2 2\n", r"line 1: expected 4 bounds \(a lower and an upper per group\), got 3"),
        (
            "4 2 ss 1 3 1 3\n",
            "line 1: an 'ss' instance needs every group bounded by exactly M/G = 2",
        ),
        ("4 2 ds 3 3 3 3\n" + GOOD.split("\n", 1)[1], "line 1: the lower bounds add up to 6"),
        (GOOD.replace("2 3 1\n", ""), "line 7: expected 6 distance lines 'i j d' for M=4, found 5"),
        (GOOD + "2 3 4\n", "line 8: expected 6 distance lines 'i j d' for M=4, found 7"),
        (GOOD.replace("1 3 9", "1 3"), "line 6: expected 3 fields 'i j d', got '1 3'"),
        (GOOD.replace("1 3 9", "1 4 9"), r"line 6: index out of range 0..3 in '1 4 9'"),
        (GOOD.replace("1 3 9", "3 1 9"), "line 6: expected i < j, got '3 1 9'"),
        (
            GOOD.replace("1 3 9", "1 2 9"),
            r"line 6: pair \(1, 2\) is listed twice \(first on line 5\)",
        ),
        (GOOD.replace("1 3 9", "1 3 x"), "line 6: 'x' is not a number"),
        (GOOD.replace("1 3 9", "1 3 nan"), "line 6: the distance is not a finite number"),
        (GOOD.replace("1 3 9", "1 3.5 9"), "line 6: the indices i and j must be whole numbers"),
    ],
)
def test_reader_names_the_line_of_the_first_problem(text: str, message: str) -> None:
    with pytest.raises(InstanceError, match=message):
        parse_mdgp(text, source="f.txt")


# The command line


def test_cli_solves_a_file_and_writes_one_group_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(5)
    d = np.round(np.triu(rng.uniform(0, 100, size=(10, 10)), 1), 3)
    instance = MdgpInstance.create(d + d.T, [5, 4], [6, 5])
    source, out = tmp_path / "inst.txt", tmp_path / "out.txt"
    source.write_text(mdgplib_text(instance))
    argv = [str(source), "--seconds", "1", "--seed", "3", "--out", str(out)]
    code = mdgp_main(argv, started=time.monotonic())
    assert code == 0
    assignment = np.array([int(x) for x in out.read_text().split()], dtype=np.int64)
    check_assignment(instance, assignment)
    printed = float(capsys.readouterr().out.split()[-1])
    assert printed == pytest.approx(objective(instance.distances, assignment), abs=1e-6)
    assert printed == pytest.approx(brute_force(instance))


def test_cadre_mdgp_command_runs_in_its_own_process(tmp_path: Path) -> None:
    source, out = tmp_path / "inst.txt", tmp_path / "out.txt"
    source.write_text(GOOD)
    command = [sys.executable, "-m", "cadre", "mdgp", str(source), "--seconds", "1.5"]
    proc = subprocess.run(
        [*command, "--seed", "7", "--out", str(out)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "objective 18.000000\n"
    groups = [int(x) for x in out.read_text().splitlines()]
    assert len(groups) == 4 and groups[0] != groups[1] and groups[2] != groups[3]


def test_cli_reports_a_bad_file_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.txt"
    source.write_text("4 2 ss 2 2 2 2\n0 1 1\n")
    code = mdgp_main([str(source), "--seconds", "1", "--seed", "0", "--out", str(tmp_path / "o")])
    assert code == 2
    assert "line 3: expected 6 distance lines" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_cli_needs_the_time_limit(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        mdgp_main([str(tmp_path / "x.txt"), "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
