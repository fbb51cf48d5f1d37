"""Rounds of pairs or small groups (virtual coffee, peer rotations) in which nobody meets
anyone twice while that can be avoided, and then with the fewest repeats.

Objective (minimised), summed over every pair of people sharing a group in a round:
``W_EXCLUDED`` if the pair is excluded, ``W_REPEAT`` if the two met before (in the history or
an earlier or later round of the plan), ``W_SAME`` for each `prefer_different` attribute
they share, and ``W_HOUR`` per hour between their UTC offsets. The weights are ordered so
that one exclusion outweighs any number of repeats a swap can remove, and one repeat
outweighs every soft preference of a group.

Method: a start from mathematics where it fits (the round-robin circle method for pairs,
the Social Golfer constructions and search of golfer.py for groups) when there is no
history, otherwise a random partition; then local repair by swaps of two people of
different groups in one round (each person with a bad pair tries every other person on
small instances, a sample plus people of nearby time zones on large ones), and on plans of
several rounds, passes over the rounds (each repaired against all the others) until none
improves or the time is up. Pairs are hashed (a * n + b), so memory grows with the pairs
that met, never with n x n.
"""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .constructions import round_robin
from .golfer import solve_golfer, weeks_upper_bound

W_EXCLUDED = 1_000_000.0
W_REPEAT = 10_000.0
W_SAME = 10.0
W_HOUR = 1.0

KICK_MAX_PEOPLE = 400  # iterated local search on repeats only for plans this small
STALE_KICKS = 300  # sweeps over the rounds without fewer repeats before giving up
GOLFER_MAX_PEOPLE = 240  # the golfer search keeps n x n tables; above this, local repair only
MAX_PEOPLE = 200_000


@dataclass(frozen=True)
class RoundsResult:
    """status: "solved" (no repeat, no exclusion broken), "repeats" (a plan with repeats or
    broken exclusions; see message), "invalid" (bad input; rounds is empty and message says
    why). rounds[r][g] lists the person keys of group g in round r. repeats counts meetings
    of a pair that had met before, in the history or earlier in the plan."""

    status: str
    rounds: list[list[list[str]]]
    repeats: int
    message: str
    excluded: int = 0  # groups-pairs in the plan that were excluded
    seconds: float = 0.0


class _Costs:
    """Pair costs over person indices; `counts` holds how often each pair met outside the
    round being repaired (history counts once). Missing attribute values are coded as
    distinct negative numbers, so they never count as shared."""

    def __init__(
        self,
        n: int,
        excluded: set[int],
        counts: dict[int, int],
        codes: list[tuple[int, ...]] | None,
        utc: list[float] | None,
    ) -> None:
        self.n, self.excluded, self.counts = n, excluded, counts
        self.pair = self._build(n, excluded, counts, codes, utc)

    @staticmethod
    def _build(
        n: int,
        excluded: set[int],
        counts: dict[int, int],
        codes: list[tuple[int, ...]] | None,
        utc: list[float] | None,
    ) -> Callable[[int, int], float]:
        met = counts.get
        eq = operator.eq

        def hard(a: int, b: int) -> float:
            key = a * n + b if a < b else b * n + a
            cost = W_EXCLUDED if key in excluded else 0.0
            return cost + W_REPEAT if met(key, 0) > 0 else cost

        if codes is None and utc is None:
            return hard
        if codes is None:
            assert utc is not None
            offsets = utc

            def with_hours(a: int, b: int) -> float:
                return hard(a, b) + W_HOUR * abs(offsets[a] - offsets[b])

            return with_hours
        table = codes
        if utc is None:

            def with_codes(a: int, b: int) -> float:
                same: int = sum(map(eq, table[a], table[b]))
                return hard(a, b) + W_SAME * same

            return with_codes
        offsets = utc

        def with_both(a: int, b: int) -> float:
            key = a * n + b if a < b else b * n + a
            same: int = sum(map(eq, table[a], table[b]))
            cost = W_SAME * same + W_HOUR * abs(offsets[a] - offsets[b])
            if met(key, 0) > 0:
                cost += W_REPEAT
            return cost + W_EXCLUDED if key in excluded else cost

        return with_both


def group_sizes(n: int, size: int) -> list[int]:
    """Sizes of the groups of one round: n // size groups, leftovers spread one per group (so
    an odd count of pairs gives one trio); fewer than `size` people make one group."""
    groups = max(1, n // size)
    base, extra = divmod(n, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def _key(a: int, b: int, n: int) -> int:
    return a * n + b if a < b else b * n + a


def _add_round(counts: dict[int, int], groups: list[list[int]], n: int, sign: int) -> None:
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                key = _key(a, b, n)
                value = counts.get(key, 0) + sign
                if value:
                    counts[key] = value
                else:
                    del counts[key]


def _improve(
    groups: list[list[int]],
    costs: _Costs,
    rng: np.random.Generator,
    deadline: float,
    near: list[int] | None,
) -> bool:
    """Swap two people of different groups while that lowers the round's cost. Returns
    whether anything changed."""
    n = costs.n
    pair = costs.pair
    where = [0] * n
    for index, group in enumerate(groups):
        for p in group:
            where[p] = index
    exhaustive = n <= 120
    sample = 24
    position: list[int] = []
    if near is not None:
        position = [0] * n
        for i, p in enumerate(near):
            position[p] = i
    changed = False
    total = _round_cost(groups, costs)
    while time.monotonic() < deadline:
        improved = False
        gained = 0.0  # cost removed in this pass
        order = rng.permutation(n).tolist()
        randoms = rng.integers(0, n, size=(n, sample)).tolist() if not exhaustive else []
        shifts = rng.integers(-40, 41, size=(n, 8)).tolist() if near is not None else []
        for step, a in enumerate(order):
            if step % 512 == 511 and time.monotonic() >= deadline:
                break
            ga = where[a]
            own = [x for x in groups[ga] if x != a]
            here = 0.0
            for x in own:
                here += pair(a, x)
            if here <= 0.0:
                continue
            if exhaustive:
                candidates: Iterable[int] = range(n)
            else:
                pool = randoms[step]
                if near is not None:
                    at = position[a]
                    pool = pool + [near[(at + d) % n] for d in shifts[step]]
                candidates = pool
            best, best_b = -1e-9, -1
            for b in candidates:
                gb = where[b]
                if gb == ga:
                    continue
                delta = -here
                for x in own:
                    delta += pair(b, x)
                for y in groups[gb]:
                    if y != b:
                        delta += pair(a, y) - pair(b, y)
                if delta < best:
                    best, best_b = delta, b
            if best_b >= 0:
                gb = where[best_b]
                groups[ga][groups[ga].index(a)] = best_b
                groups[gb][groups[gb].index(best_b)] = a
                where[a], where[best_b] = gb, ga
                improved = changed = True
                gained -= best
        total -= gained
        # Stop at a local optimum, or once a pass only trims soft preferences by < 1 %.
        if not improved or (gained < W_REPEAT / 2 and gained < 0.01 * total):
            break
    return changed


def _hard_people(groups: list[list[int]], costs: _Costs) -> list[int]:
    """People in a repeated or excluded pair of the round."""
    return [
        a
        for group in groups
        for a in group
        if any(b != a and costs.pair(a, b) >= W_REPEAT for b in group)
    ]


def _kick(
    plan: list[list[list[int]]],
    costs: _Costs,
    rng: np.random.Generator,
    deadline: float,
    near: list[int] | None,
) -> None:
    """Iterated local search while repeats or exclusions remain: a round with some is
    perturbed (one of its people swapped at random, twice) and repaired; the result is kept
    when the round's cost did not grow. Ends after STALE_KICKS kicks without progress."""
    n = costs.n
    stale = 0
    best_total = math.inf
    while stale < STALE_KICKS and time.monotonic() < deadline:
        order = rng.permutation(len(plan)).tolist()
        total, troubled_rounds = 0.0, 0
        for r in order:
            groups = plan[r]
            _add_round(costs.counts, groups, n, -1)
            troubled = _hard_people(groups, costs)
            before = _round_cost(groups, costs)
            if troubled and len(groups) > 1:
                saved = [list(g) for g in groups]
                where = {p: i for i, g in enumerate(groups) for p in g}
                for _ in range(2):
                    a = troubled[int(rng.integers(len(troubled)))]
                    b = int(rng.integers(n))
                    ga, gb = where[a], where[b]
                    if ga != gb:
                        groups[ga][groups[ga].index(a)] = b
                        groups[gb][groups[gb].index(b)] = a
                        where[a], where[b] = gb, ga
                _improve(groups, costs, rng, deadline, near)
                after = _round_cost(groups, costs)
                if after > before:
                    groups[:] = saved
                else:
                    before = after
                troubled_rounds += bool(_hard_people(groups, costs))
            total += before
            _add_round(costs.counts, groups, n, +1)
        if not troubled_rounds:
            return
        if total < best_total - W_REPEAT / 2:
            best_total, stale = total, 0
        else:
            stale += 1


def _round_cost(groups: list[list[int]], costs: _Costs) -> float:
    return sum(
        costs.pair(a, b) for group in groups for i, a in enumerate(group) for b in group[i + 1 :]
    )


def _constructed(
    n: int, size: int, rounds: int, rng: np.random.Generator, seconds: float, seed: int
) -> list[list[list[int]]]:
    """Repeat-free rounds from golfer.py (shuffled), as many as it gives, or none."""
    if n < 4 or rounds < 2:
        return []
    relabel = rng.permutation(n).tolist()
    built: list[list[list[int]]] = []
    if size == 2:
        pairs = (n + 1) // 2
        for week in round_robin(pairs)[:rounds]:
            groups = [[relabel[p] for p in g if p < n] for g in week]
            lone = [g for g in groups if len(g) == 1]
            groups = [g for g in groups if len(g) == 2]
            if lone:  # odd n: the person paired with the dummy joins another pair
                groups[int(rng.integers(len(groups)))].append(lone[0][0])
            built.append(groups)
        return built
    if n % size or n > GOLFER_MAX_PEOPLE or weeks_upper_bound(n // size, size) < 2:
        return []
    result = solve_golfer(n // size, size, rounds, seconds=max(0.05, seconds), seed=seed)
    for week in result.schedule:
        built.append([[relabel[p] for p in g] for g in week])
    return built


def _validate(
    people: Sequence[str], group_size: object, rounds: object, seconds: object
) -> str | None:
    for name, value in (("group_size", group_size), ("rounds", rounds)):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{name} must be a whole number, got {value!r}"
    assert isinstance(group_size, int) and isinstance(rounds, int)
    if group_size < 2:
        return f"group_size must be at least 2, got {group_size}"
    if rounds < 0:
        return f"rounds must be at least 0, got {rounds}"
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return f"seconds must be a number, got {seconds!r}"
    if not seconds > 0 or not math.isfinite(seconds):
        return f"seconds must be positive, got {seconds}"
    seen: set[str] = set()
    for person in people:
        if not isinstance(person, str) or not person:
            return f"people must be non-empty strings, got {person!r}"
        if person in seen:
            return f"{person!r} is listed twice"
        seen.add(person)
    if len(people) == 1:
        return "one person cannot be grouped: a round needs at least 2 people"
    if len(people) > MAX_PEOPLE:
        return f"at most {MAX_PEOPLE} people, got {len(people)}"
    return None


def _pair_keys(pairs: Iterable[tuple[str, str]], index: Mapping[str, int]) -> set[int]:
    """Pairs of known, different people as keys; pairs naming anyone else are ignored (people
    who left the network)."""
    n = len(index)
    keys: set[int] = set()
    for pair in pairs:
        a, b = index.get(pair[0]), index.get(pair[1])
        if a is not None and b is not None and a != b:
            keys.add(_key(a, b, n))
    return keys


def count_repeats(
    rounds: Sequence[Sequence[Sequence[str]]], history: Iterable[tuple[str, str]] = ()
) -> int:
    """Meetings of a pair that had already met (in `history` or an earlier round)."""
    met = {frozenset(p) for p in history if p[0] != p[1]}
    repeats = 0
    for week in rounds:
        for group in week:
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    pair = frozenset((a, b))
                    if pair in met:
                        repeats += 1
                    else:
                        met.add(pair)
    return repeats


def plan_rounds(
    people: Sequence[str],
    *,
    group_size: int = 2,
    rounds: int = 1,
    history: Iterable[tuple[str, str]] = (),
    exclusions: Iterable[tuple[str, str]] = (),
    attributes: Mapping[str, Mapping[str, str]] | None = None,
    prefer_different: Sequence[str] = (),
    utc_offsets: Mapping[str, float] | None = None,
    seed: int = 0,
    seconds: float = 10.0,
    progress: Callable[[str], object] | None = None,
) -> RoundsResult:
    """Plan `rounds` rounds in which every person is in exactly one group of `group_size`
    (leftovers make some groups one larger, never a group of one).

    Minimises the weighted penalty of the module docstring: broken exclusions first, then
    repeats (a count of meetings), then shared `prefer_different` attribute values (count)
    and UTC offset differences (hours). Stops after about `seconds` of wall-clock time;
    the same inputs and `seed` give the same plan when the time limit is not reached."""
    start = time.monotonic()
    people = list(people)
    error = _validate(people, group_size, rounds, seconds)
    if error is not None:
        return RoundsResult("invalid", [], 0, error)
    n = len(people)
    if n == 0 or rounds == 0:
        return RoundsResult("solved", [[] for _ in range(rounds)], 0, "nobody to group")
    deadline = start + seconds
    say = progress or (lambda _text: None)
    index = {p: i for i, p in enumerate(people)}
    history = list(history)
    met = _pair_keys(history, index)
    excluded = _pair_keys(exclusions, index)
    codes: list[tuple[int, ...]] | None = None
    if attributes is not None and prefer_different:
        tables: list[dict[str, int]] = [{} for _ in prefer_different]
        codes = []
        for i, p in enumerate(people):
            row = attributes.get(p, {})
            code = []
            for table, name in zip(tables, prefer_different, strict=True):
                value = (row.get(name) or "").strip().casefold()
                code.append(table.setdefault(value, len(table)) if value else -1 - i)
            codes.append(tuple(code))
    utc: list[float] | None = None
    near: list[int] | None = None
    if utc_offsets is not None:
        utc = [float(utc_offsets.get(p, 0.0)) for p in people]
        near = sorted(range(n), key=lambda i: utc[i])
    counts: dict[int, int] = dict.fromkeys(met, 1)
    costs = _Costs(n, excluded, counts, codes, utc)
    rng = np.random.default_rng([seed, n, group_size, rounds])
    sizes = group_sizes(n, group_size)
    built = [] if met else _constructed(n, group_size, rounds, rng, seconds * 0.3, seed)
    # Constructed rounds are repeat-free together, so they all count before any repair.
    plan: list[list[list[int]]] = list(built[:rounds])
    for groups in plan:
        _add_round(counts, groups, n, +1)
    if plan:
        say(f"{len(plan)} round(s) constructed ({time.monotonic() - start:.1f} s)")
    for r in range(len(plan), rounds):
        order = rng.permutation(n).tolist()
        groups, at = [], 0
        for size in sizes:
            groups.append(order[at : at + size])
            at += size
        share = start + (deadline - start) * (r + 1) / (rounds + (1 if rounds > 1 else 0))
        _improve(groups, costs, rng, share, near)
        _add_round(counts, groups, n, +1)
        plan.append(groups)
        say(f"round {r + 1}/{rounds} planned ({time.monotonic() - start:.1f} s)")
    # Passes over the rounds, each repaired against all the others.
    while rounds > 1 and time.monotonic() < deadline:
        changed = False
        for groups in plan:
            _add_round(counts, groups, n, -1)
            before = _round_cost(groups, costs)
            if _improve(groups, costs, rng, deadline, near):
                changed = changed or _round_cost(groups, costs) < before
            _add_round(counts, groups, n, +1)
        if not changed:
            break
    if n <= KICK_MAX_PEOPLE:
        _kick(plan, costs, rng, deadline, near)
    named = [[[people[p] for p in sorted(group)] for group in groups] for groups in plan]
    repeats = count_repeats(named, history)
    broken = sum(
        1
        for groups in plan
        for group in groups
        for i, a in enumerate(group)
        for b in group[i + 1 :]
        if _key(a, b, n) in excluded
    )
    elapsed = time.monotonic() - start
    what = f"{rounds} round(s) of {len(sizes)} group(s) for {n} people"
    if repeats == 0 and broken == 0:
        return RoundsResult("solved", named, 0, f"{what}, nobody meets anyone twice", 0, elapsed)
    notes = []
    if repeats:
        notes.append(f"{repeats} repeated meeting(s)")
    if broken:
        notes.append(f"{broken} excluded pair(s) together")
    return RoundsResult("repeats", named, repeats, f"{what}: " + ", ".join(notes), broken, elapsed)
