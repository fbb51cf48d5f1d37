"""Conflict-directed tabu search for repeat-free rounds, optionally under a cyclic symmetry.

A *shape* (n, rows, fixed, bases, coset_week) looks for `bases` base rounds over the points
Z_n x {0..rows-1} plus `fixed` points that Z_n leaves alone. Adding t in Z_n to every base
round gives n rounds each, so the schedule has n*bases rounds (plus one round of the cosets
of the subgroup of order s when coset_week is set). A pair of points belongs to an *orbit*
(its translates); the schedule is repeat-free exactly when every orbit is used at most once
by the base rounds and no orbit shorter than n (nor a coset pair when coset_week) is used.
This is the difference method of design theory, done by local search: the search space is
n times smaller than the schedule's. With n = 1 it is the plain Social Golfer search.

The search (after Dotú & Van Hentenryck, and Triska & Musliu) swaps two people of different
groups in one base round, at least one of them in a repeated pair, choosing the best
non-tabu swap (ties at random), with a random perturbation of the best state on stagnation.
Swap gains are computed for all swaps at once with NumPy from occupancy counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
Schedule = list[list[list[int]]]


@dataclass(frozen=True)
class Shape:
    """A symmetry to search under; see the module docstring."""

    n: int
    rows: int
    fixed: int
    bases: int
    coset_week: bool

    @property
    def weeks(self) -> int:
        return self.n * self.bases + int(self.coset_week)

    def describe(self) -> str:
        if self.n == 1:
            return "tabu search"
        text = f"tabu search for {self.bases} base round(s) developed over Z_{self.n}"
        text += f" ({self.rows} rows, {self.fixed} fixed)"
        return text + (" plus a coset round" if self.coset_week else "")


class OrbitModel:
    """Orbit ids of all pairs for a shape; orbit -1 (index `dummy`) for a point with itself."""

    def __init__(self, groups: int, size: int, shape: Shape) -> None:
        self.groups, self.size, self.shape = groups, size, shape
        n, rows, fixed = shape.n, shape.rows, shape.fixed
        v = groups * size
        assert rows * n + fixed == v
        self.v = v
        keys: dict[tuple[int, ...], int] = {}
        forbidden: set[int] = set()
        orbit = np.zeros((v, v), dtype=np.int64)
        coset_step = n // size if shape.coset_week else 0

        def key_of(p: int, q: int) -> tuple[tuple[int, ...], bool]:
            if p > q:
                p, q = q, p
            if q >= rows * n:  # q fixed
                if p >= rows * n:
                    return (2, p, q), True
                return (1, q, p // n), False
            r1, x1, r2, x2 = p // n, p % n, q // n, q % n
            if r1 == r2:
                d = (x2 - x1) % n
                d = min(d, n - d)
                bad = (2 * d) % n == 0 or (coset_step > 0 and d % coset_step == 0)
                return (0, r1, d), bad
            return (3, r1, r2, (x2 - x1) % n), False

        for p in range(v):
            for q in range(p + 1, v):
                key, bad = key_of(p, q)
                idx = keys.setdefault(key, len(keys))
                if bad:
                    forbidden.add(idx)
                orbit[p, q] = orbit[q, p] = idx
        self.dummy = len(keys)
        np.fill_diagonal(orbit, self.dummy)
        self.orbit = orbit
        self.base_count = np.zeros(len(keys) + 1, dtype=np.int64)
        for idx in forbidden:
            self.base_count[idx] = 1
        self.pairs_per_orbit = len(keys) - len(forbidden)

    def develop(self, bases: IntArray) -> Schedule:
        """The schedule from base rounds (bases[c, h] = the members of group h in round c)."""
        n, rows, size = self.shape.n, self.shape.rows, self.size
        moving = rows * n
        weeks: Schedule = []
        for base in bases:
            for t in range(n):
                week = []
                for group in base:
                    moved = [
                        int(p) if p >= moving else int(p // n * n + (p % n + t) % n) for p in group
                    ]
                    week.append(sorted(moved))
                weeks.append(week)
        if self.shape.coset_week:
            step = n // size
            week = []
            for r in range(rows):
                for start in range(step):
                    week.append([r * n + start + step * j for j in range(size)])
            if self.shape.fixed:
                week.append(list(range(moving, self.v)))
            weeks.append(week)
        return weeks


def shapes_for(groups: int, size: int, weeks: int, *, limit: int = 6) -> list[Shape]:
    """Symmetries that could give `weeks` rounds, most promising (largest n) first, at most
    `limit` of them; the plain search (n = 1) comes last. A shape is kept only if its orbits
    can hold the pairs needed."""
    v = groups * size
    needed_per_base = groups * size * (size - 1) // 2
    found: list[Shape] = []
    for n in range(weeks, 1, -1):
        for coset in (False, True):
            rest = weeks - int(coset)
            if rest <= 0 or rest % n:
                continue
            bases = rest // n
            if coset and size > n:
                continue
            if coset and n % size:
                continue
            for fixed in range(groups + 1):
                if (v - fixed) % n or v - fixed <= 0:
                    continue
                if coset and fixed not in (0, size):
                    continue
                shape = Shape(n, (v - fixed) // n, fixed, bases, coset)
                model = OrbitModel(groups, size, shape)
                if model.pairs_per_orbit >= bases * needed_per_base:
                    found.append(shape)
    return [*found[:limit], Shape(1, v, 0, weeks, False)]


@dataclass
class SearchOutcome:
    bases: IntArray
    conflicts: int
    iterations: int


def tabu_search(
    model: OrbitModel,
    rng: np.random.Generator,
    *,
    deadline: float,
    max_iterations: int | None = None,
    extra_count: IntArray | None = None,
) -> SearchOutcome:
    """Minimise the number of repeated orbit uses over `shape.bases` base rounds.

    Stops at conflicts 0, at `deadline` (time.monotonic) or after `max_iterations`.
    `extra_count` adds prior uses per orbit (for history of who already met)."""
    g, s, v = model.groups, model.size, model.v
    b = model.shape.bases
    orbit = model.orbit
    count = model.base_count.copy()
    if extra_count is not None:
        count += extra_count
    bases = _greedy_start(model, count, rng)  # updates count
    pos = np.empty((b, v), dtype=np.int64)  # group index of each point per base
    slot = np.empty((b, v), dtype=np.int64)  # index within its group
    for c in range(b):
        for h in range(g):
            for k in range(s):
                pos[c, bases[c, h, k]] = h
                slot[c, bases[c, h, k]] = k
    tabu = np.zeros((b, v, g), dtype=np.int64)

    def cost_of(cnt: IntArray) -> int:
        return int(np.maximum(cnt[: model.dummy] - 1, 0).sum())

    cost = cost_of(count)
    best_cost, best_bases = cost, bases.copy()
    it = 0
    since_best = 0
    stall = 50 + 5 * v  # iterations without a new best before a perturbation
    tmax = 10 + v // 4  # tabu tenure is drawn from [3, tmax)
    same_group = np.zeros((b, v, v), dtype=bool)
    upper = np.triu(np.ones((v, v), dtype=bool), 1)
    while cost > 0:
        if max_iterations is not None and it >= max_iterations:
            break
        if it % 16 == 0 and time.monotonic() > deadline:
            break
        it += 1
        occ = (count >= 1).astype(np.int64)
        multi = (count >= 2).astype(np.int64)
        occ[model.dummy] = 0
        multi[model.dummy] = 0
        # gathered[c, x, h, k] = orbit of x with member k of group h in base c
        gathered = orbit[:, bases].transpose(1, 0, 2, 3)
        add = occ[gathered].sum(axis=3)  # (b, v, g): cost of x joining group h
        rem = np.take_along_axis(
            multi[gathered].sum(axis=3).reshape(b * v, g), pos.reshape(b * v, 1), 1
        ).reshape(b, v)
        grp_y = np.broadcast_to(pos[:, None, :], (b, v, v))
        x_to_y = np.take_along_axis(add, grp_y, 2)  # x joining y's group
        tabu_xy = np.take_along_axis(tabu, grp_y, 2) > it
        pair_occ = occ[orbit][None, :, :]
        delta = (
            x_to_y + x_to_y.transpose(0, 2, 1) - 2 * pair_occ - rem[:, :, None] - rem[:, None, :]
        )
        np.equal(pos[:, :, None], pos[:, None, :], out=same_group)
        conflicted = rem > 0
        relevant = (conflicted[:, :, None] | conflicted[:, None, :]) & ~same_group & upper
        allowed = relevant & (~(tabu_xy | tabu_xy.transpose(0, 2, 1)) | (cost + delta < best_cost))
        if not allowed.any():
            allowed = relevant
            if not allowed.any():
                break
        masked = np.where(allowed, delta, np.iinfo(np.int64).max)
        low = masked.min()
        choices = np.flatnonzero(masked == low)
        pick = int(choices[rng.integers(len(choices))])
        c, rest = divmod(pick, v * v)
        x, y = divmod(rest, v)
        hx, hy = int(pos[c, x]), int(pos[c, y])
        _swap(model, count, bases, pos, slot, c, x, y)
        tenure = int(rng.integers(3, tmax))
        tabu[c, x, hx] = it + tenure
        tabu[c, y, hy] = it + tenure
        cost = cost_of(count)
        if cost < best_cost:
            best_cost, best_bases = cost, bases.copy()
            since_best = 0
        else:
            since_best += 1
            if since_best > stall:
                since_best = 0
                # perturb: restart from the best state with a few random swaps
                bases[:] = best_bases
                count = model.base_count.copy()
                if extra_count is not None:
                    count += extra_count
                _count_all(model, count, bases)
                for c2 in range(b):
                    for h in range(g):
                        for k in range(s):
                            pos[c2, bases[c2, h, k]] = h
                            slot[c2, bases[c2, h, k]] = k
                for _ in range(int(rng.integers(1, 3 + v // 8))):
                    c2 = int(rng.integers(b))
                    x2, y2 = rng.choice(v, 2, replace=False)
                    if pos[c2, x2] != pos[c2, y2]:
                        _swap(model, count, bases, pos, slot, c2, int(x2), int(y2))
                tabu[:] = 0
                cost = cost_of(count)
    if cost < best_cost:
        best_cost, best_bases = cost, bases.copy()
    return SearchOutcome(best_bases, best_cost, it)


def _count_all(model: OrbitModel, count: IntArray, bases: IntArray) -> None:
    s = model.size
    for base in bases:
        for group in base:
            for i in range(s):
                for j in range(i + 1, s):
                    count[model.orbit[group[i], group[j]]] += 1


def _swap(
    model: OrbitModel,
    count: IntArray,
    bases: IntArray,
    pos: IntArray,
    slot: IntArray,
    c: int,
    x: int,
    y: int,
) -> None:
    orbit = model.orbit
    hx, hy = int(pos[c, x]), int(pos[c, y])
    gx, gy = bases[c, hx], bases[c, hy]
    for p in gx:
        if p != x:
            count[orbit[x, p]] -= 1
            count[orbit[y, p]] += 1
    for p in gy:
        if p != y:
            count[orbit[y, p]] -= 1
            count[orbit[x, p]] += 1
    kx, ky = int(slot[c, x]), int(slot[c, y])
    bases[c, hx, kx], bases[c, hy, ky] = y, x
    pos[c, x], pos[c, y] = hy, hx
    slot[c, x], slot[c, y] = ky, kx


def _greedy_start(model: OrbitModel, count: IntArray, rng: np.random.Generator) -> IntArray:
    """Fill each base round group by group, adding the person with the fewest orbit
    collisions (ties at random); count is updated with the pairs used."""
    g, s, v = model.groups, model.size, model.v
    b = model.shape.bases
    orbit = model.orbit
    bases = np.zeros((b, g, s), dtype=np.int64)
    for c in range(b):
        free = rng.permutation(v)
        used = np.zeros(v, dtype=bool)
        for h in range(g):
            members: list[int] = []
            for _k in range(s):
                cand = free[~used[free]]
                if members:
                    occ = (count >= 1).astype(np.int64)
                    occ[model.dummy] = 0
                    clash = occ[orbit[np.ix_(cand, np.asarray(members, dtype=np.int64))]].sum(
                        axis=1
                    )
                    # also avoid two new pairs of the same orbit inside the group
                    best = cand[clash == clash.min()]
                    p = int(best[rng.integers(len(best))])
                else:
                    p = int(cand[0])
                for q in members:
                    count[orbit[p, q]] += 1
                members.append(p)
                used[p] = True
            bases[c, h] = members
    return bases
