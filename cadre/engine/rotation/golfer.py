"""The Social Golfer Problem: `groups` groups of `size` people for `weeks` rounds, nobody
meeting anyone twice.

Method: a construction where mathematics gives one (round robin, resolvable transversal
designs and affine geometries over GF(q)); otherwise base rounds over Z_n invariant under a
multiplier, found by an exact backtracking search and developed (the difference method, see
difference.py), taking turns with a portfolio of tabu searches under cyclic symmetries (see
search.py), run in turns with growing time slices and fresh seeds.
If the asked weeks are not reached, the longest repeat-free schedule found is returned.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .constructions import Schedule, best_construction
from .difference import DifferenceSearch
from .search import OrbitModel, Shape, shapes_for, tabu_search


class GolferError(ValueError):
    """Raised for invalid input; the message is meant for the person who gave it."""


@dataclass(frozen=True)
class Progress:
    """Reported when a longer repeat-free schedule is found."""

    seconds: float
    weeks: int


@dataclass(frozen=True)
class RotationResult:
    """status is "solved" (the asked weeks, repeat-free) or "partial" (fewer weeks; schedule
    is the longest repeat-free one found). schedule[w][h] lists the people (0..g*s-1) of
    group h in week w. method names how the schedule was obtained."""

    status: str
    weeks: int
    schedule: Schedule
    method: str
    message: str
    seconds: float = 0.0


ProgressCallback = Callable[[Progress], object]

MAX_PEOPLE = 10_000
DIFFERENCE_MAX_PEOPLE = 150  # the base round search keeps orbits of pairs as bits of an int


def weeks_upper_bound(groups: int, size: int) -> int:
    """Most weeks any schedule can have: (g*s-1)//(s-1) by counting, 1 if s > g (or g = 1)."""
    if size == 1:
        return 10**9  # singletons never meet
    if groups == 1 or size > groups:
        return 1
    return (groups * size - 1) // (size - 1)


def validate(groups: object, size: object, weeks: object, seconds: object) -> None:
    """Raise GolferError with an exact message for the first invalid argument."""
    for name, value in (("groups", groups), ("size", size), ("weeks", weeks)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise GolferError(f"{name} must be a whole number, got {value!r}")
        if value < 1:
            raise GolferError(f"{name} must be at least 1, got {value}")
    assert isinstance(groups, int) and isinstance(size, int)
    if groups * size > MAX_PEOPLE:
        raise GolferError(f"groups x size must be at most {MAX_PEOPLE}, got {groups * size}")
    if seconds is not None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise GolferError(f"seconds must be a number, got {seconds!r}")
        if not seconds > 0 or not math.isfinite(seconds):
            raise GolferError(f"seconds must be positive, got {seconds}")


def repeat_free(schedule: Schedule, groups: int, size: int) -> bool:
    """True if every week partitions 0..g*s-1 into g groups of s and no pair meets twice."""
    seen: set[tuple[int, int]] = set()
    everyone = list(range(groups * size))
    for week in schedule:
        if len(week) != groups or any(len(group) != size for group in week):
            return False
        if sorted(p for group in week for p in group) != everyone:
            return False
        for group in week:
            for pair in itertools.combinations(sorted(group), 2):
                if pair in seen:
                    return False
                seen.add(pair)
    return True


def compatible_weeks(schedule: Schedule) -> Schedule:
    """A large set of weeks of `schedule` with no pair repeated among them (greedy, keeping
    the weeks with the fewest clashes first)."""
    pair_weeks: dict[tuple[int, int], int] = {}
    for week in schedule:
        for group in week:
            for pair in itertools.combinations(sorted(group), 2):
                pair_weeks[pair] = pair_weeks.get(pair, 0) + 1
    clashes = [
        sum(
            pair_weeks[pair] - 1
            for group in week
            for pair in itertools.combinations(sorted(group), 2)
        )
        for week in schedule
    ]
    kept: Schedule = []
    seen: set[tuple[int, int]] = set()
    for index in sorted(range(len(schedule)), key=lambda i: clashes[i]):
        pairs = [p for group in schedule[index] for p in itertools.combinations(sorted(group), 2)]
        if not seen.intersection(pairs):
            seen.update(pairs)
            kept.append(schedule[index])
    return kept


def solve_golfer(
    groups: int,
    size: int,
    weeks: int,
    *,
    seconds: float | None = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    progress: ProgressCallback | None = None,
) -> RotationResult:
    """Schedule `weeks` rounds of `groups` groups of `size` people with no pair meeting twice.

    The objective is the number of repeat-free weeks (in weeks), up to `weeks`. Stops after
    `seconds` of wall-clock time or `max_iterations` tabu iterations in total (one at least);
    with only `max_iterations` the result depends on `seed` alone."""
    validate(groups, size, weeks, seconds)
    if seconds is None and max_iterations is None:
        raise GolferError("give seconds or max_iterations")
    if max_iterations is not None and (
        isinstance(max_iterations, bool)
        or not isinstance(max_iterations, int)
        or max_iterations < 0
    ):
        raise GolferError(f"max_iterations must be a whole number >= 0, got {max_iterations!r}")
    start = time.monotonic()
    deadline = start + (seconds if seconds is not None else 1e9)
    target = min(weeks, weeks_upper_bound(groups, size))
    best: Schedule = []
    method = "none"

    def offer(schedule: Schedule, how: str) -> None:
        nonlocal best, method
        if len(schedule) > len(best):
            assert repeat_free(schedule, groups, size)
            best, method = schedule, how
            if progress is not None:
                progress(Progress(time.monotonic() - start, len(best)))

    # One week is any partition; s == 1 never repeats; s > g allows only one week.
    if size == 1 or target == 1:
        week = [list(range(h * size, (h + 1) * size)) for h in range(groups)]
        offer([week] * (weeks if size == 1 else 1), "construction (any partition)")
    else:
        built = best_construction(groups, size)
        if built is not None:
            offer(built[0][:target], "construction: " + built[1])
        budget = [max_iterations]
        timed = seconds is not None
        # The difference method is exact where a symmetric design exists but can search in
        # vain, so it takes turns with the tabu portfolio: the difference method up to 5 % of
        # the time, tabu up to 50 %, the difference method again (where it stopped) up to
        # 70 %. With an iteration budget only, the difference method first with as many
        # nodes, then tabu.
        difference = None
        if len(best) < target and groups * size <= DIFFERENCE_MAX_PEOPLE:
            difference = DifferenceSearch(groups, size, target, seed)
        turns = ((0.05, None), (0.5, seed), (0.7, None)) if timed else ((1, None), (1, seed))
        for share, tabu_seed in turns:
            if len(best) >= target or _spent(deadline, budget):
                break
            until = start + (deadline - start) * share if timed else deadline
            if tabu_seed is not None:
                _portfolio(groups, size, target, tabu_seed, until, budget, offer)
            elif difference is not None:
                found = difference.run(until, [max_iterations])
                if found is not None:
                    offer(*found)
        # Then shorter schedules are built up a week at a time (each attempt with a quarter of
        # what is left) while that keeps working, and the rest goes back to the asked goal.
        while len(best) < target - 1 and not _spent(deadline, budget):
            now = time.monotonic()
            until = now + (deadline - now) * 0.25 if timed else deadline
            goal = len(best) + 1
            if not _portfolio(groups, size, goal, seed + goal, until, budget, offer):
                break
        if len(best) < target and not _spent(deadline, budget):
            _portfolio(groups, size, target, seed + 1, deadline, budget, offer)
    elapsed = time.monotonic() - start
    solved = len(best) >= weeks
    if solved:
        message = f"{weeks} repeat-free weeks of {groups} groups of {size}"
    elif weeks > target:
        message = (
            f"at most {target} repeat-free weeks exist for {groups} groups of {size}; "
            f"found {len(best)}"
        )
    else:
        message = f"found {len(best)} of {weeks} repeat-free weeks within the limit"
    return RotationResult(
        "solved" if solved else "partial", len(best), best, method, message, elapsed
    )


def _spent(deadline: float, budget: list[int | None]) -> bool:
    return time.monotonic() >= deadline or (budget[0] is not None and budget[0] <= 0)


def _portfolio(
    groups: int,
    size: int,
    goal: int,
    seed: int,
    deadline: float,
    budget: list[int | None],
    offer: Callable[[Schedule, str], None],
) -> bool:
    """Run the shapes for `goal` weeks in turns with doubling slices until one succeeds."""
    shapes = shapes_for(groups, size, goal)
    models: dict[Shape, OrbitModel] = {}
    rng = np.random.default_rng([seed, groups, size, goal])
    slice_seconds, slice_iterations = 0.25, 400
    while not _spent(deadline, budget):
        for shape in shapes:
            if _spent(deadline, budget):
                return False
            model = models.get(shape)
            if model is None:
                model = models[shape] = OrbitModel(groups, size, shape)
            iterations = slice_iterations
            if budget[0] is not None:
                iterations = min(iterations, budget[0])
            # With an iteration budget the slices are counted in iterations only, so that the
            # result depends on the seed alone and not on how busy the machine is.
            until = deadline if budget[0] is not None else time.monotonic() + slice_seconds
            outcome = tabu_search(
                model, rng, deadline=min(deadline, until), max_iterations=iterations
            )
            if budget[0] is not None:
                budget[0] -= max(outcome.iterations, 1)
            schedule = model.develop(outcome.bases)
            if outcome.conflicts == 0:
                offer(schedule, shape.describe())
                return True
            offer(compatible_weeks(schedule), shape.describe() + " (repeat-free part)")
        slice_seconds *= 2
        slice_iterations *= 2
    return False
