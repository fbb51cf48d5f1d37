"""The MDGP solver: an anytime, seeded search that returns the best assignment found within a
time limit (or an iteration budget).

Method, after the memetic and iterated tabu searches of the MDGP literature (Lai & Hao's
iterated maxima search, Yang et al.'s TPSDP):

* starting solutions are greedy constructions on a size profile that maximises the number of
  within-group pairs (construct.pair_rich_sizes), which the best `ds` solutions share;
* a tabu round is a best-improvement tabu search over one-moves and swaps until stall * n
  iterations bring no improvement; every move is scored in O(1) from a gain matrix kept up
  to date in O(n) per move (see _kernels);
* a small pool of such solutions; each generation, a group crossover of two of them is
  improved by a tabu round and a few more from random perturbations (swaps) of its best,
  and replaces the pool's worst member when it is better and not already in the pool.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import _kernels
from .construct import greedy_assignment, pair_rich_sizes
from .instance import IntArray, MdgpInstance, objective, validate


@dataclass(frozen=True)
class Progress:
    """Reported to the progress callback when the best objective improves."""

    seconds: float  # since the solver started
    iterations: int  # tabu iterations so far
    objective: float  # best objective so far


@dataclass(frozen=True)
class GroupingResult:
    """status is "feasible" (the best assignment found; the search is a heuristic) or
    "optimal" (proven, only when there is a single group). objective is the sum of
    within-group distances, in the distances' unit; assignment[i] is element i's group
    (0-based); iterations counts tabu iterations; history lists every improvement."""

    status: str
    objective: float
    assignment: IntArray
    message: str
    iterations: int = 0
    seconds: float = 0.0
    history: list[Progress] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Tuning:
    """Search parameters, as multiples of the instance's shape so they carry across sizes."""

    tenure_min: float = 0.02  # tabu tenure range, as a fraction of n
    tenure_max: float = 0.10
    stall: float = 12.0  # a tabu round ends after stall * n iterations without improvement
    perturb_min: float = 0.05  # random swaps per perturbation, as a fraction of n
    perturb_max: float = 0.15
    perturb_moves: float = 0.0  # share of one-moves (size changes) among perturbation steps
    population: int = 4  # solutions kept for crossover
    child_rounds: int = 2  # perturbed tabu rounds after each tabu round of a new solution


ProgressCallback = Callable[[Progress], object]


def solve_mdgp(
    instance: MdgpInstance,
    *,
    seconds: float | None = None,
    seed: int = 0,
    max_iterations: int | None = None,
    progress: ProgressCallback | None = None,
    tuning: Tuning | None = None,
) -> GroupingResult:
    """Maximise the sum of d_ij over pairs i < j in the same group, every group's size within
    [lower[g], upper[g]].

    Stops after `seconds` of wall-clock time or `max_iterations` tabu iterations, whichever
    comes first (at least one is required); with only `max_iterations` the result depends
    on `seed` alone. `progress` is called with a Progress each time the best objective
    improves; if it returns True the search stops.
    """
    validate(instance)
    if seconds is None and max_iterations is None:
        raise ValueError("give seconds, max_iterations or both")
    if seconds is not None and not seconds >= 0:
        raise ValueError(f"seconds must be >= 0, got {seconds}")
    if max_iterations is not None and max_iterations < 0:
        raise ValueError(f"max_iterations must be >= 0, got {max_iterations}")
    search = _Search(instance, seconds, seed, max_iterations, progress, tuning or Tuning())
    if instance.groups == 1:
        search.offer(np.zeros(instance.n, dtype=np.int64))
        return search.result("optimal", "one group holds every element")
    search.run()
    return search.result("feasible", "")


class _Search:
    """A memetic search: a small pool of tabu-searched solutions, and repeatedly a child made
    by group crossover of two of them, improved by tabu rounds with perturbations in between,
    replacing the pool's worst when it is better and new."""

    def __init__(
        self,
        instance: MdgpInstance,
        seconds: float | None,
        seed: int,
        max_iterations: int | None,
        progress: ProgressCallback | None,
        tuning: Tuning,
    ) -> None:
        self.instance = instance
        self.tuning = tuning
        self.progress = progress
        self.started = time.monotonic()
        self.deadline = np.inf if seconds is None else self.started + seconds
        self.budget = np.iinfo(np.int64).max if max_iterations is None else max_iterations
        self.rng = np.random.default_rng(seed)
        self.kernel = _kernels.choose(seconds)
        self.d = np.ascontiguousarray(instance.distances, dtype=np.float64)
        self.lower = instance.lower.astype(np.int64)
        self.upper = instance.upper.astype(np.int64)
        n, groups = instance.n, instance.groups
        # A tenure of 1 forbids nothing (the reverse move is due only at the next iteration).
        t_lo = max(2, round(tuning.tenure_min * n))
        t_hi = max(t_lo + 2, round(tuning.tenure_max * n))
        self.tenures = self.rng.integers(t_lo, t_hi + 1, size=1024).astype(np.int64)
        self.draws = self.rng.random(4096)
        self.tabu = np.zeros((n, groups), dtype=np.int64)
        self.fstate = np.zeros(3)
        off_diagonal = self.d[~np.eye(n, dtype=bool)]
        self.fstate[2] = off_diagonal.min() if off_diagonal.size else 0.0
        self.istate = np.zeros(4, dtype=np.int64)
        self.max_stall = max(10, round(tuning.stall * n))
        self.iterations = 0
        self.chunk = 16
        self.stopped = False
        self.best_f = -np.inf
        self.best_assign = np.zeros(n, dtype=np.int64)
        self.history: list[Progress] = []

    def out_of_time(self) -> bool:
        return self.stopped or self.iterations >= self.budget or time.monotonic() >= self.deadline

    def offer(self, assign: IntArray, value: float | None = None) -> None:
        value = objective(self.d, assign) if value is None else value
        if value > self.best_f + _kernels.EPS:
            self.best_f = value
            self.best_assign[:] = assign
            item = Progress(time.monotonic() - self.started, self.iterations, value)
            self.history.append(item)
            if self.progress is not None and self.progress(item) is True:
                self.stopped = True

    def tabu_round(self, assign: IntArray) -> tuple[IntArray, float]:
        """Tabu search from `assign` until max_stall iterations bring no improvement (or time
        runs out); returns the best assignment of the round and its objective."""
        d, groups = self.d, self.instance.groups
        assign = assign.copy()
        best = assign.copy()
        sizes = np.bincount(assign, minlength=groups).astype(np.int64)
        gain = d @ np.eye(groups)[assign]
        f = objective(d, assign)
        self.fstate[:2] = (f, f)
        self.istate[:3] = (0, 0, self.max_stall)
        self.tabu.fill(0)
        while self.istate[1] < self.istate[2] and not self.out_of_time():
            t0 = time.monotonic()
            step = int(min(self.chunk, self.budget - self.iterations))
            self.iterations += self.kernel(
                d,
                gain,
                assign,
                sizes,
                self.lower,
                self.upper,
                self.tabu,
                self.fstate,
                self.istate,
                best,
                self.tenures,
                self.draws,
                step,
            )
            elapsed = time.monotonic() - t0
            # Check the clock about every 10 ms.
            if elapsed < 0.005:
                self.chunk = min(self.chunk * 2, 1 << 20)
            elif elapsed > 0.02 and self.chunk > 1:
                self.chunk //= 2
        value = float(self.fstate[1])
        self.offer(best, value)
        return best, value

    def improve(self, assign: IntArray) -> tuple[IntArray, float]:
        """A tabu round, then `child_rounds` rounds each from a perturbation of the best so far."""
        best, value = self.tabu_round(assign)
        for _ in range(self.tuning.child_rounds):
            if self.out_of_time():
                break
            cand, cand_value = self.tabu_round(_perturb(self.instance, best, self.rng, self.tuning))
            if cand_value > value + _kernels.EPS:
                best, value = cand, cand_value
        return best, value

    def run(self) -> None:
        inst, rng = self.instance, self.rng
        first = greedy_assignment(inst, rng, pair_rich_sizes(inst, rng))
        self.offer(first)
        pool: list[tuple[IntArray, float]] = []
        while len(pool) < self.tuning.population and not self.out_of_time():
            start = first if not pool else greedy_assignment(inst, rng, pair_rich_sizes(inst, rng))
            pool.append(self.improve(start))
        while len(pool) >= 2 and not self.out_of_time():
            a, b = rng.choice(len(pool), size=2, replace=False)
            child = crossover(inst, pool[a][0], pool[b][0], rng)
            child, value = self.improve(child)
            worst = min(range(len(pool)), key=lambda k: pool[k][1])
            new = all(abs(value - v) > _kernels.EPS for _, v in pool)
            if new and value > pool[worst][1]:
                pool[worst] = (child, value)

    def result(self, status: str, message: str) -> GroupingResult:
        seconds = time.monotonic() - self.started
        value = objective(self.d, self.best_assign)
        text = message or f"best of {self.iterations} tabu iterations in {seconds:.2f} s"
        return GroupingResult(
            status, value, self.best_assign.copy(), text, self.iterations, seconds, self.history
        )


def crossover(
    instance: MdgpInstance, first: IntArray, second: IntArray, rng: np.random.Generator
) -> IntArray:
    """A child that inherits whole groups: taking turns, each parent hands over the group
    (by index, so its size bounds carry over) whose not yet placed members have the largest
    average pairwise distance, trimmed to the first parent's size for it; the elements left
    over go greedily where they add most."""
    d, groups = instance.distances, instance.groups
    target = np.bincount(first, minlength=groups)
    child = np.full(instance.n, -1, dtype=np.int64)
    free = np.ones(groups, dtype=bool)
    parents = (first, second) if rng.random() < 0.5 else (second, first)
    for turn in range(groups):
        parent = parents[turn % 2]
        best_g, best_score, best_members = -1, -np.inf, np.zeros(0, dtype=np.int64)
        for g in np.flatnonzero(free):
            members = np.flatnonzero((parent == g) & (child < 0))
            if members.size > target[g]:
                # Keep the members that contribute most inside the group.
                inner = d[np.ix_(members, members)].sum(axis=1)
                members = members[np.argsort(-inner, kind="stable")[: target[g]]]
            k = members.size
            score = d[np.ix_(members, members)].sum() / (k * (k - 1)) if k > 1 else 0.0
            if score > best_score:
                best_g, best_score, best_members = int(g), score, members
        child[best_members] = best_g
        free[best_g] = False
    sizes = np.bincount(child[child >= 0], minlength=groups)
    gain = d[:, child >= 0] @ np.eye(groups)[child[child >= 0]]
    for i in rng.permutation(np.flatnonzero(child < 0)):
        open_groups = np.flatnonzero(sizes < target)
        dest = int(open_groups[np.argmax(gain[i, open_groups])])
        child[i] = dest
        sizes[dest] += 1
        gain[:, dest] += d[i]
    return child


def _perturb(
    instance: MdgpInstance, start: IntArray, rng: np.random.Generator, tuning: Tuning
) -> IntArray:
    """Random swaps between elements of different groups, plus (when sizes may vary) random
    one-moves that keep every size within its bounds."""
    n = instance.n
    assign = start.copy()
    lo = max(1, round(tuning.perturb_min * n))
    hi = max(lo + 1, round(tuning.perturb_max * n))
    strength = int(rng.integers(lo, hi + 1))
    sizes = np.bincount(assign, minlength=instance.groups)
    can_move = not instance.same_size
    for _ in range(strength):
        i = int(rng.integers(n))
        if can_move and rng.random() < tuning.perturb_moves:
            a = assign[i]
            open_groups = np.flatnonzero(sizes < instance.upper)
            if sizes[a] > instance.lower[a] and open_groups.size:
                b = int(open_groups[rng.integers(open_groups.size)])
                if b != a:
                    assign[i] = b
                    sizes[a] -= 1
                    sizes[b] += 1
                continue
        j = int(rng.integers(n))
        if assign[i] != assign[j]:
            assign[i], assign[j] = assign[j], assign[i]
    return assign
