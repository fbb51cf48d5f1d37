"""Cohorts that can meet: which start hour each cohort meets at, found before any cohort is
formed, and the reasons when not every cohort can meet.

A cohort can meet when one start hour lies in every member's start hours (score.Encoded:
the hours at which they can attend a whole session). So a partition in which every cohort
can meet is the same as giving every person a start hour such that the people given hour h
fill a whole number y_h of cohorts of min_size..max_size people. `plan_meetings` finds such
hours with a small integer programme solved by HiGHS (scipy.optimize.milp):

    minimise  M·y_none + d
    subject to
      each unit (must-together people) gets one of its start hours, or "none"
      min_size·y_b <= people given bucket b <= max_size·y_b   for every hour b and "none"
      Σ_b y_b = K, K a feasible number of cohorts (fixed when the problem fixes it),
      d >= |K − k0| (k0: the count the problem would choose), M > the largest d
      a cannot-together pair in one bucket b needs y_b >= 2
      a pinned cohort takes one start hour that all its pinned people share

y_none counts the cohorts that cannot meet, so the programme first makes it as small as it
can, then keeps the number of cohorts nearest the usual one. People with the same start
hours and unit size (and no pin or cannot-together pair) are one variable with a count, so
the programme's size grows with the distinct availabilities, not the people.

The programme drops what makes formation hard (the score, how units pack, and all but the
pairwise part of cannot-together) and keeps every requirement of a cohort that can meet, so
every valid assignment is one of its solutions: its optimum (or HiGHS's bound on it, when
time runs out first) is a lower bound on the cohorts that cannot meet in any assignment.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import HOURS_PER_WEEK, MeetingReport, feasible_group_counts
from .score import Encoded, bits, hour_label

NO_HOUR = -1  # the bucket of the cohorts that cannot meet
# Above this many (availability, hour) variables the programme keeps each person's most
# popular hours only: HiGHS solves a few thousand in well under a second, and did not
# finish 170,000 (10,000 people free 17 hours a week) in 75 s.
MAX_COLUMNS = 6000


@dataclass(frozen=True)
class MeetingPlan:
    """Start hours for every unit and cohort, and how many cohorts cannot meet."""

    k: int  # number of cohorts
    hour_of_unit: list[int]  # per unit of Encoded.units: its start hour, or NO_HOUR
    hour_of_group: list[int]  # per cohort index: the hour its members were given, or NO_HOUR
    unable: int  # cohorts in this plan that cannot meet
    bound: int  # no assignment has fewer cohorts that cannot meet
    proven: bool  # unable == bound: the plan is as good as it gets


@dataclass(frozen=True)
class Isolated:
    """A person who cannot be in a cohort that meets: at none of their start hours are
    min_size people (them included) free."""

    person: int  # index into the problem's people
    reach: int  # the most people free at one of their start hours, them included
    hour: int  # that hour, or NO_HOUR when they have no start hour at all


def unit_masks(enc: Encoded) -> list[int]:
    """Per unit, the start hours all its members share (a bit mask)."""
    out = []
    for members in enc.units:
        mask = (1 << HOURS_PER_WEEK) - 1
        for i in members:
            mask &= enc.start_masks[i]
        out.append(mask)
    return out


def free_at(enc: Encoded) -> list[int]:
    """Per start hour, how many people could attend a session starting then."""
    counts = [0] * HOURS_PER_WEEK
    for starts in enc.starts:
        for h in starts:
            counts[h] += 1
    return counts


def isolated_people(enc: Encoded) -> list[Isolated]:
    """Everyone who shares no start hour with enough others to fill a cohort."""
    counts = free_at(enc)
    out = []
    for i, starts in enumerate(enc.starts):
        best = max(starts, key=lambda h: (counts[h], -h), default=NO_HOUR)
        reach = counts[best] if best != NO_HOUR else 1
        if reach < enc.min_size:
            out.append(Isolated(i, reach, best))
    return out


def isolation_bound(enc: Encoded, isolated: Sequence[Isolated]) -> int:
    """Cohorts that cannot meet in any assignment because of isolated people: each holds at
    most max_size of them."""
    return -(-len(isolated) // enc.max_size) if isolated else 0


class _Columns:
    """Variables of the programme: bounds, integrality and the objective, by name."""

    def __init__(self) -> None:
        self.low: list[float] = []
        self.high: list[float] = []
        self.integer: list[int] = []
        self.cost: list[float] = []

    def add(self, low: float, high: float, *, integer: bool = True, cost: float = 0.0) -> int:
        self.low.append(low)
        self.high.append(high)
        self.integer.append(1 if integer else 0)
        self.cost.append(cost)
        return len(self.low) - 1


class _Rows:
    def __init__(self) -> None:
        self.r: list[int] = []
        self.c: list[int] = []
        self.v: list[float] = []
        self.low: list[float] = []
        self.high: list[float] = []

    def add(self, terms: Sequence[tuple[int, float]], low: float, high: float) -> None:
        row = len(self.low)
        for col, coef in terms:
            self.r.append(row)
            self.c.append(col)
            self.v.append(coef)
        self.low.append(low)
        self.high.append(high)


def _count_columns(masks: Sequence[int]) -> int:
    return sum(mask.bit_count() + 1 for mask in set(masks))


def _popular_hours(masks: Sequence[int], load_at: Sequence[int], limit: int) -> list[int]:
    """Each mask cut to its `m` hours where most people are free, with the largest m that
    keeps the programme within `limit` columns (at least one hour each)."""
    ranked = {mask: sorted(bits(mask), key=lambda h: (-load_at[h], h)) for mask in set(masks)}
    for m in range(max(len(r) for r in ranked.values()), 0, -1):
        cut = {mask: sum(1 << h for h in r[:m]) for mask, r in ranked.items()}
        if _count_columns(list(cut.values())) <= limit or m == 1:
            return [cut[mask] for mask in masks]
    return list(masks)


def _gap(load: int, lo: int, hi: int) -> int:
    """How many people `load` is from a count that fills whole cohorts of lo..hi (0 too)."""
    if load == 0:
        return 0
    j = load // lo  # the most cohorts these people could fill at the minimum size
    if j and load <= j * hi:
        return 0
    below = load - j * hi if j else load  # remove people down to j full cohorts (or none)
    return min(below, (j + 1) * lo - load)


def _cohort_counts(
    loads: dict[int, int], lo: int, hi: int, mean: float, k: int
) -> dict[int, int] | None:
    """Per hour, how many cohorts its people make: each as near load / mean as the sizes
    allow, adjusted one at a time (where that costs least) until they add up to k."""
    counts, low, high = {}, {}, {}
    for h, load in loads.items():
        low[h], high[h] = -(-load // hi), load // lo
        counts[h] = min(high[h], max(low[h], round(load / mean)))
    total = sum(counts.values())
    while total != k:
        step = 1 if total < k else -1
        movable = [h for h in counts if low[h] <= counts[h] + step <= high[h]]
        if not movable:
            return None
        h = min(movable, key=lambda h: (abs(loads[h] - (counts[h] + step) * mean), h))
        counts[h] += step
        total += step
    return counts


def _search_hours(
    hours: Sequence[list[int]],
    sizes: Sequence[int],
    lo: int,
    hi: int,
    ks: Sequence[int],
    seconds: float,
) -> tuple[list[int], dict[int, int], int] | None:
    """A quick search for start hours that let every cohort meet, for a number of cohorts
    in `ks` (the first one preferred): each unit starts at the hour where most people are
    free, then min-conflicts steps (with a short tabu and some random steps) move units
    until every hour holds a count of people that fills whole cohorts (`_gap` is 0
    everywhere) and, when ks is a single count k, the hours' cohorts can add up to k. Then
    steps that keep that bring each hour's count nearer whole cohorts of the mean size.
    None when it finds nothing within `seconds`. Returns each unit's hour, the cohorts per
    hour and their number."""
    started = time.monotonic()
    rng = random.Random(0)
    n = sum(sizes)
    target = ks[0] if len(ks) == 1 else None
    mean = n / ks[0]
    popular = [0] * HOURS_PER_WEEK
    for u, options in enumerate(hours):
        for h in options:
            popular[h] += sizes[u]
    at = [max(options, key=lambda h: (popular[h], -h)) for options in hours]
    load = [0] * HOURS_PER_WEEK
    units_at: list[list[int]] = [[] for _ in range(HOURS_PER_WEEK)]
    for u, h in enumerate(at):
        load[h] += sizes[u]
    for u, options in enumerate(hours):
        for h in options:
            units_at[h].append(u)

    def fewest(x: int) -> int:
        return -(-x // hi)

    def most(x: int) -> int:
        return x // lo

    # The hours' cohorts can add up to k when Σ fewest <= k <= Σ most.
    sum_low = sum(fewest(x) for x in load)
    sum_high = sum(most(x) for x in load)

    def off(low: int, high: int) -> int:
        return 0 if target is None else max(0, low - target) + max(0, target - high)

    gaps = {h for h in range(HOURS_PER_WEEK) if _gap(load[h], lo, hi)}
    tabu = [0] * len(hours)
    step = 0
    while gaps or off(sum_low, sum_high):
        step += 1
        if step % 256 == 0 and time.monotonic() - started > seconds:
            return None
        if gaps:
            h = rng.choice(sorted(gaps))
        else:  # the counts are right but do not add up to k: any hour may change
            h = rng.choice([x for x in range(HOURS_PER_WEEK) if units_at[x]])
        # Every move of a unit out of h, or of a unit that could start at h into it.
        moves = [(u, h, b) for u in units_at[h] if at[u] == h for b in hours[u] if b != h]
        moves += [(u, at[u], h) for u in units_at[h] if at[u] != h]
        if not moves:
            return None

        def change(
            move: tuple[int, int, int], sum_low: int = sum_low, sum_high: int = sum_high
        ) -> int:
            u, a, b = move
            w = sizes[u]
            low = sum_low - fewest(load[a]) - fewest(load[b])
            low += fewest(load[a] - w) + fewest(load[b] + w)
            high = sum_high - most(load[a]) - most(load[b])
            high += most(load[a] - w) + most(load[b] + w)
            return (
                _gap(load[a] - w, lo, hi)
                - _gap(load[a], lo, hi)
                + _gap(load[b] + w, lo, hi)
                - _gap(load[b], lo, hi)
                + off(low, high)
            )

        allowed = [m for m in moves if tabu[m[0]] <= step] or moves
        if rng.random() < 0.1:
            u, a, b = rng.choice(allowed)
        else:
            best = min(change(m) for m in allowed)
            u, a, b = rng.choice([m for m in allowed if change(m) == best])
        sum_low -= fewest(load[a]) + fewest(load[b])
        sum_high -= most(load[a]) + most(load[b])
        at[u] = b
        load[a] -= sizes[u]
        load[b] += sizes[u]
        sum_low += fewest(load[a]) + fewest(load[b])
        sum_high += most(load[a]) + most(load[b])
        tabu[u] = step + 1 + rng.randrange(10)
        for x in (a, b):
            if _gap(load[x], lo, hi):
                gaps.add(x)
            else:
                gaps.discard(x)

    def deviation(x: int) -> float:
        # People away from whole cohorts of the mean size at one hour.
        if not x:
            return 0.0
        j = min(most(x), max(fewest(x), round(x / mean)))
        return abs(x - j * mean)

    for tries in range(min(20 * len(hours), 20000)):
        if tries % 256 == 0 and time.monotonic() - started > seconds:
            break
        u = rng.randrange(len(hours))
        a, b = at[u], rng.choice(hours[u])
        w = sizes[u]
        if b == a or _gap(load[a] - w, lo, hi) or _gap(load[b] + w, lo, hi):
            continue
        low = sum_low - fewest(load[a]) - fewest(load[b])
        low += fewest(load[a] - w) + fewest(load[b] + w)
        high = sum_high - most(load[a]) - most(load[b])
        high += most(load[a] - w) + most(load[b] + w)
        if off(low, high):
            continue
        if deviation(load[a] - w) + deviation(load[b] + w) < deviation(load[a]) + deviation(
            load[b]
        ):
            at[u] = b
            load[a] -= w
            load[b] += w
            sum_low, sum_high = low, high
    loads = {h: x for h, x in enumerate(load) if x}
    for k in ks:
        counts = _cohort_counts(loads, lo, hi, n / k, k)
        if counts is not None:
            return at, counts, k
    return None


def _quick_plan(found: tuple[list[int], dict[int, int], int]) -> MeetingPlan:
    at, per_hour, k = found
    hour_of_group = [h for h, c in sorted(per_hour.items()) for _ in range(c)]
    return MeetingPlan(k, at, hour_of_group, unable=0, bound=0, proven=True)


def plan_meetings(
    enc: Encoded, *, choose_k: bool, seconds: float, max_columns: int = MAX_COLUMNS
) -> MeetingPlan | None:
    """Give every unit a start hour (or none) so that as few cohorts as possible cannot meet;
    None when HiGHS finds no plan within `seconds` (or the pins leave none).

    When the complete programme would have more than `max_columns` variables (thousands of
    people with different availability), each unit keeps only its start hours where most
    people are free: the plan is then still valid, but its count of cohorts that cannot meet
    is no longer a proven bound."""
    started = time.monotonic()
    n, lo, hi = enc.n, enc.min_size, enc.max_size
    masks = unit_masks(enc)
    sizes = [len(members) for members in enc.units]
    # Hours where enough people could start a session to fill a cohort; no other hour helps.
    load_at = [0] * HOURS_PER_WEEK
    for u, mask in enumerate(masks):
        for h in bits(mask):
            load_at[h] += sizes[u]
    useful = [h for h in range(HOURS_PER_WEEK) if load_at[h] >= lo]
    useful_mask = sum(1 << h for h in useful)
    masks = [m & useful_mask for m in masks]
    complete = _count_columns(masks) <= max_columns
    if not complete:
        masks = _popular_hours(masks, load_at, max_columns)
    pinned_groups = sorted({g for g in enc.unit_pin if g is not None})
    if choose_k:
        counts = feasible_group_counts(n, lo, hi)
        k_low = max(counts.start, (pinned_groups[-1] + 1) if pinned_groups else 0)
        k_high = counts.stop - 1
        if k_low > k_high:
            k_low = k_high = enc.k
    else:
        k_low = k_high = enc.k
    spread = k_high - k_low
    big = spread + 1.0

    # First a quick search for hours where all the usual number of cohorts can meet.
    options = [bits(mask) for mask in masks]
    simple = not pinned_groups and not any(enc.cannot) and all(options)
    ks = sorted(range(k_low, k_high + 1), key=lambda k: (abs(k - enc.k), k))
    if simple:
        quick = _search_hours(options, sizes, lo, hi, [enc.k], min(1.0, seconds / 10))
        if quick is not None:
            return _quick_plan(quick)

    cols = _Columns()
    rows = _Rows()
    buckets = [*useful, NO_HOUR]
    y = {
        b: cols.add(0, (load_at[b] // lo) if b != NO_HOUR else k_high, cost=big * (b == NO_HOUR))
        for b in buckets
    }
    k_col = cols.add(k_low, k_high)
    d_col = cols.add(0, spread, integer=False, cost=1.0)
    rows.add([(y[b], 1.0) for b in buckets] + [(k_col, -1.0)], 0, 0)
    rows.add([(d_col, 1.0), (k_col, -1.0)], -enc.k, math.inf)
    rows.add([(d_col, 1.0), (k_col, 1.0)], enc.k, math.inf)

    load: dict[int, list[tuple[int, float]]] = {b: [] for b in buckets}
    pinned_in: dict[int, list[int]] = {b: [] for b in buckets}
    # The column that says "unit u is at bucket b", per unit that needs one of its own.
    own: dict[int, dict[int, int]] = {}
    strong: list[tuple[int, int, float]] = []
    types: dict[tuple[int, int], list[int]] = {}
    in_pair = {enc.unit_of[i] for i in range(n) if enc.cannot[i]}
    for u in range(len(enc.units)):
        if enc.unit_pin[u] is not None:
            continue
        key = (masks[u], sizes[u])
        if u in in_pair:
            columns = {b: cols.add(0, 1) for b in [*bits(key[0]), NO_HOUR]}
            own[u] = columns
            rows.add([(c, 1.0) for c in columns.values()], 1, 1)
            for b, c in columns.items():
                load[b].append((c, float(sizes[u])))
                if b != NO_HOUR:
                    strong.append((c, b, 1.0))
        else:
            types.setdefault(key, []).append(u)
    type_columns: list[tuple[list[int], dict[int, int]]] = []
    for (mask, size), units in types.items():
        columns = {b: cols.add(0, len(units)) for b in [*bits(mask), NO_HOUR]}
        type_columns.append((units, columns))
        rows.add([(c, 1.0) for c in columns.values()], len(units), len(units))
        for b, c in columns.items():
            load[b].append((c, float(size)))
            # At most this many of these units fit in the cohorts at b: a tighter relaxation.
            fit = min(len(units), hi // size)
            if b != NO_HOUR:
                strong.append((c, b, float(fit)))
    group_columns: dict[int, dict[int, int]] = {}
    for g in pinned_groups:
        members = [u for u in range(len(enc.units)) if enc.unit_pin[u] == g]
        shared = useful_mask
        for u in members:
            shared &= masks[u]
        weight = float(sum(sizes[u] for u in members))
        columns = {b: cols.add(0, 1) for b in [*bits(shared), NO_HOUR]}
        group_columns[g] = columns
        rows.add([(c, 1.0) for c in columns.values()], 1, 1)
        for b, c in columns.items():
            load[b].append((c, weight))
            pinned_in[b].append(c)
        for u in members:
            own[u] = columns
    for column, b, most_units in strong:
        rows.add([(column, 1.0), (y[b], -most_units)], -math.inf, 0)
    for b in buckets:
        rows.add([*load[b], (y[b], -float(lo))], 0, math.inf)
        rows.add([*load[b], (y[b], -float(hi))], -math.inf, 0)
        if pinned_in[b]:
            rows.add([(y[b], 1.0)] + [(c, -1.0) for c in pinned_in[b]], 0, math.inf)
    pairs = {
        (min(enc.unit_of[i], enc.unit_of[j]), max(enc.unit_of[i], enc.unit_of[j]))
        for i in range(n)
        for j in enc.cannot[i]
    }
    for a, b in sorted(pairs):
        if a == b or a not in own or b not in own or own[a] is own[b]:
            continue
        for h in useful:
            if h in own[a] and h in own[b]:
                rows.add([(own[a][h], 1.0), (own[b][h], 1.0), (y[h], -1.0)], -math.inf, 0)

    left = seconds - (time.monotonic() - started)
    if left <= 0:
        return None
    # Imported here: scipy.optimize takes a while to load, and only this needs it.
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    left = seconds - (time.monotonic() - started)  # the first import can take a second
    if left <= 0:
        return None

    def solve(cost: list[float], low: list[float], high: list[float], limit: float) -> Any:
        matrix = coo_array((rows.v, (rows.r, rows.c)), shape=(len(rows.low), len(low))).tocsr()
        return milp(
            c=np.array(cost),
            integrality=np.array(cols.integer),
            bounds=Bounds(np.array(low), np.array(high)),
            constraints=LinearConstraint(matrix, np.array(rows.low), np.array(rows.high)),
            options={"time_limit": limit, "disp": False, "mip_rel_gap": 0.0},
        )

    first = time.monotonic()
    # When the quick search may try again afterwards, a third of the time is kept for it.
    solved = solve(cols.cost, cols.low, cols.high, left * (2 / 3 if simple else 1))
    if solved.x is None or (solved.status != 0 and np.rint(solved.x[y[NO_HOUR]]) > 0):
        # No proof in time: every cohort may still meet with another number of cohorts.
        if simple:
            left = seconds - (time.monotonic() - started)
            quick = _search_hours(options, sizes, lo, hi, ks, left) if left > 0 else None
            if quick is not None:
                return _quick_plan(quick)
        if solved.x is None:
            return None
    x = np.rint(solved.x).astype(int)
    k = int(x[k_col])
    unable = int(x[y[NO_HOUR]])
    if solved.status == 0 and complete:
        bound = unable
    elif complete:
        dual = getattr(solved, "mip_dual_bound", None)
        bound = 0
        if dual is not None and math.isfinite(dual):
            bound = max(0, math.ceil((dual - spread) / big - 1e-6))
    else:
        bound = 0  # a restricted programme bounds nothing

    # Second, with as many cohorts that can meet and the same number of cohorts, the plan
    # whose hours hold whole cohorts of the mean size: Σ_b |people at b − mean · y_b| as small
    # as it can be in the time left (at most twice the first solve's), so that the cohorts
    # come out about equally large (the balance part) instead of whatever sizes the first
    # plan happened to have.
    mean = n / k
    deviation = {b: cols.add(0, math.inf, integer=False, cost=0.0) for b in buckets}
    for b in buckets:
        rows.add([(deviation[b], 1.0), *[(c, -w) for c, w in load[b]], (y[b], mean)], 0, math.inf)
        rows.add([(deviation[b], 1.0), *load[b], (y[b], -mean)], 0, math.inf)
    cost = [0.0] * len(cols.low)
    for column in deviation.values():
        cost[column] = 1.0
    low, high = list(cols.low), list(cols.high)
    low[k_col] = high[k_col] = k
    high[y[NO_HOUR]] = unable
    limit = min(seconds - (time.monotonic() - started), 2 * (time.monotonic() - first) + 0.5)
    if limit > 0:
        even = solve(cost, low, high, limit)

        def spread_of(values: Any) -> float:
            return float(
                sum(
                    abs(sum(w * values[c] for c, w in load[b]) - mean * values[y[b]])
                    for b in buckets
                )
            )

        # Stopped by the clock, HiGHS may hold a plan less even than the first one.
        if even.x is not None and spread_of(np.rint(even.x)) < spread_of(x):
            x = np.rint(even.x).astype(int)
    hour_of_unit = [NO_HOUR] * len(enc.units)
    for u, columns in own.items():
        hour_of_unit[u] = next(b for b, c in columns.items() if x[c] > 0)
    for units, columns in type_columns:
        queue = [b for b, c in columns.items() for _ in range(x[c])]
        for u, b in zip(units, queue, strict=True):
            hour_of_unit[u] = b
    # Cohort indexes: pinned cohorts keep theirs; the others go to buckets in hour order.
    hour_of_group = [NO_HOUR] * k
    wanted = {b: int(x[y[b]]) for b in buckets}
    for g, columns in group_columns.items():
        hour_of_group[g] = next(b for b, c in columns.items() if x[c] > 0)
        wanted[hour_of_group[g]] -= 1
    free = iter(g for g in range(k) if g not in group_columns)
    for b in buckets:
        for _ in range(wanted[b]):
            hour_of_group[next(free)] = b
    return MeetingPlan(
        k=k,
        hour_of_unit=hour_of_unit,
        hour_of_group=hour_of_group,
        unable=unable,
        bound=min(bound, unable),
        proven=bound >= unable,
    )


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _names(names: Sequence[str], limit: int = 10) -> str:
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def meeting_report(
    enc: Encoded, slots: Sequence[Sequence[int]], plan: MeetingPlan | None
) -> MeetingReport:
    """Which cohorts of an answer can meet (slots: each cohort's common start hours), who
    shares no slot with enough others, and the fewest cohorts that cannot meet in any
    assignment: the larger of the plan's proven bound and the isolation bound."""
    k = len(slots)
    cannot = [g for g, found in enumerate(slots) if not found]
    isolated = isolated_people(enc)
    from_isolation = isolation_bound(enc, isolated)
    from_plan = plan.bound if plan is not None else 0
    fewest = max(from_isolation, from_plan)
    minutes = enc.problem.session_minutes
    length = f"{minutes}-minute" if minutes else "one-hour"
    lines: list[str] = []
    if not cannot:
        lines.append(
            f"All {_plural(k, 'cohort')} can meet: each has a {length} slot every member is "
            "free for."
        )
    else:
        numbers = _names([str(g + 1) for g in cannot])
        lines.append(
            f"{len(cannot)} of {_plural(k, 'cohort')} cannot meet "
            f"(cohort{'s' if len(cannot) > 1 else ''} {numbers}): no {length} slot has every "
            "member free."
        )
    if isolated:
        people = enc.problem.people
        described = []
        for item in isolated:
            person = people[item.person]
            who = f"{person.name} ({person.key})" if person.name else person.key
            if item.hour == NO_HOUR:
                described.append(f"{who} has no {length} slot in their availability")
            else:
                others = item.reach - 1
                described.append(
                    f"{who} is free with at most {_plural(others, 'other')} "
                    f"({hour_label(item.hour)})"
                )
        lines.append(
            f"{_plural(len(isolated), 'person', 'people')} share no {length} slot with enough "
            f"others to fill a cohort of {enc.min_size}: " + _names(described) + "."
        )
    if cannot:
        cohorts = _plural(fewest, "cohort")
        if fewest == 0:
            lines.append(
                "Every cohort might still be able to meet in another arrangement; none was "
                "found in the time given."
            )
        else:
            why = (
                "counted exactly over everyone's start hours, the cohort sizes and the constraints"
                if from_plan >= from_isolation
                else f"each of the people above needs a cohort that cannot meet, and a cohort "
                f"holds at most {enc.max_size}"
            )
            tail = (
                "this is the fewest possible."
                if fewest >= len(cannot)
                else f"this arrangement leaves {len(cannot)}."
            )
            lines.append(f"At best {cohorts} cannot meet, whatever the arrangement ({why}); {tail}")
    return MeetingReport(
        cohorts=k,
        can_meet=k - len(cannot),
        cannot_meet=cannot,
        fewest_unable=fewest,
        isolated=[enc.keys[item.person] for item in isolated],
        explanation=lines,
    )
