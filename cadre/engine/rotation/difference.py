"""Resolvable designs by the difference method, with base rounds found by backtracking.

The points are Z_n x {0..rows-1} plus `fixed` points that Z_n leaves alone (the shapes of
search.py). A base round is a partition of the points into groups; adding t in Z_n to it for
every t gives n rounds, repeat-free exactly when the base round uses each orbit of pairs at
most once and no short orbit (see search.OrbitModel). This is how cyclic resolvable designs
(Kirkman triple systems, RBIBD(v, 4, 1), resolvable group divisible designs) are usually made.

With `bases` base rounds over Z_n (n = weeks / bases) the same holds for all of them
together. To make the search small enough to be exact, every base round is also asked to be
invariant under a *multiplier* mu: (x, row) -> (m*x, row') with m a unit of Z_n and the rows
turned in cycles of `row_cycle` (row r -> the next row of its cycle), the fixed points turned
in cycles of `fixed_cycle`. mu maps orbits of pairs to orbits of pairs, so each group chosen
brings its whole mu-orbit into the base round and the search chooses one group in every
mu-orbit. The search is a randomised depth-first search with a node limit, restarted over a
portfolio of (shape, multiplier) pairs; it is exact, so what it returns is repeat-free by
construction, and golfer.py checks it again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .constructions import Schedule
from .search import OrbitModel, Shape


@dataclass(frozen=True)
class Multiplier:
    """mu: (x, row) -> (m*x mod n, the next row in its cycle of `row_cycle` rows); fixed
    points likewise in cycles of `fixed_cycle` (a cycle of 1 leaves them in place)."""

    m: int
    row_cycle: int
    fixed_cycle: int

    def describe(self) -> str:
        parts = [f"x -> {self.m}x"]
        if self.row_cycle > 1:
            parts.append(f"rows turned in cycles of {self.row_cycle}")
        if self.fixed_cycle > 1:
            parts.append(f"fixed points turned in cycles of {self.fixed_cycle}")
        return ", ".join(parts)


def _turn(index: int, cycle: int) -> int:
    return index - index % cycle + (index % cycle + 1) % cycle


def permutation(shape: Shape, mu: Multiplier) -> list[int]:
    """mu as a permutation of the points 0..v-1 (point r*n + x is (x, r); fixed points last)."""
    n, rows, fixed = shape.n, shape.rows, shape.fixed
    moving = n * rows
    image = [_turn(r, mu.row_cycle) * n + (mu.m * x) % n for r in range(rows) for x in range(n)]
    image += [moving + _turn(i, mu.fixed_cycle) for i in range(fixed)]
    return image


def developing_shapes(groups: int, size: int, weeks: int, *, most_bases: int = 1) -> list[Shape]:
    """Shapes developing 1..most_bases base rounds over Z_(weeks/bases), whose orbits can hold
    their pairs; the fixed points go to different groups, so there are at most `groups`."""
    v = groups * size
    found = []
    for bases in range(1, most_bases + 1):
        n = weeks // bases
        if weeks % bases or n < 3:
            continue
        for fixed in range(min(groups, n - 1) + 1):
            if (v - fixed) % n or v == fixed:
                continue
            shape = Shape(n, (v - fixed) // n, fixed, bases, False)
            needed = bases * groups * size * (size - 1) // 2
            if OrbitModel(groups, size, shape).pairs_per_orbit >= needed:
                found.append(shape)
    return found


def multipliers(shape: Shape) -> list[Multiplier]:
    """Candidate multipliers: every unit m, with the rows and the fixed points turned in
    cycles of every length that divides their number (the identity left out, which is the
    plain search of search.py)."""
    units = [m for m in range(1, shape.n) if math.gcd(m, shape.n) == 1]
    found = [
        Multiplier(m, row_cycle, fixed_cycle)
        for row_cycle in _divisors(shape.rows)
        for fixed_cycle in _divisors(shape.fixed)
        for m in units
    ]
    return [mu for mu in found if mu != Multiplier(1, 1, 1)]


def _divisors(count: int) -> list[int]:
    return [d for d in range(1, count + 1) if count % d == 0] or [1]


def _orbit_count(image: list[int]) -> int:
    seen = [False] * len(image)
    count = 0
    for start in range(len(image)):
        if not seen[start]:
            count += 1
            p = start
            while not seen[p]:
                seen[p] = True
                p = image[p]
    return count


class BaseRoundSearch:
    """Randomised depth-first search for the base rounds of `model`'s shape, each invariant
    under the permutation `mu`, together using each allowed orbit of pairs at most once."""

    def __init__(self, model: OrbitModel, mu: list[int]) -> None:
        v = model.v
        self.model, self.mu = model, mu
        orbit = model.orbit.tolist()
        self.forbidden = 0
        for index in np.flatnonzero(model.base_count[: model.dummy]):
            self.forbidden |= 1 << int(index)
        # A group brings its whole mu-orbit, so a pair in it uses every mu-image of its orbit
        # of pairs: images[a][b] has them all as bits. A pair whose images are fewer orbits
        # than pairs would use an orbit twice, and is never chosen (images -1).
        step = {orbit[a][b]: orbit[mu[a]][mu[b]] for a in range(v) for b in range(v) if a != b}
        closure: dict[int, int] = {}
        for o in step:
            bits, current = 0, o
            while not (bits >> current) & 1:
                bits |= 1 << current
                current = step[current]
            closure[o] = bits
        self.images = [[-1] * v for _ in range(v)]
        for a in range(v):
            for b in range(a + 1, v):
                pair, seen = (a, b), set()
                while pair not in seen:
                    seen.add(pair)
                    x, y = mu[pair[0]], mu[pair[1]]
                    pair = (x, y) if x < y else (y, x)
                bits = closure[orbit[a][b]]
                if len(seen) == bits.bit_count():
                    self.images[a][b] = self.images[b][a] = bits
        self.orbit = orbit

    def group_orbit(self, group: tuple[int, ...]) -> list[tuple[int, ...]]:
        """The groups mu^k(group), k = 0, 1, ..., each sorted, until the first comes back."""
        first = tuple(sorted(group))
        found = [first]
        current = first
        while True:
            current = tuple(sorted(self.mu[p] for p in current))
            if current == first:
                return found
            found.append(current)

    def run(
        self, rng: np.random.Generator, node_limit: int, deadline: float = math.inf
    ) -> tuple[list[list[list[int]]] | None, bool]:
        """The base rounds, or None when the search gives up after trying `node_limit` groups
        or at `deadline` (time.monotonic); the flag is True when the search was complete,
        so that no such base round exists."""
        v, size, images, orbit = self.model.v, self.model.size, self.images, self.orbit
        groups: list[tuple[int, ...]] = []
        nodes = 0

        def extend(
            start: int, members: list[int], used: int, mine: int, free: list[int]
        ) -> Iterator[int]:
            """Extend `members` (whose pairs use the orbits `mine`) to groups with points of
            free[start:] whose pairs' orbits, and all their images, are not in `used`."""
            if len(members) == size:
                yield 0
                return
            for i in range(start, len(free)):
                q = free[i]
                bits = 0
                for a in members:
                    # The images must be new; within the group only the orbit itself, as the
                    # group may hold a pair and its image when mu maps the group to itself.
                    bit = 1 << orbit[a][q]
                    if images[a][q] < 0 or used & images[a][q] or (mine | bits) & bit:
                        break
                    bits |= bit
                else:
                    members.append(q)
                    yield from extend(i + 1, members, used, mine | bits, free)
                    members.pop()

        bases = self.model.shape.bases
        rounds: list[list[tuple[int, ...]]] = []

        def place(taken: int, used: int) -> bool:
            nonlocal nodes, groups
            if taken == (1 << v) - 1:
                rounds.append(groups)
                if len(rounds) == bases:
                    return True
                groups = []
                if place(0, used):
                    return True
                groups = rounds.pop()
                return False
            # The highest free point: fixed points first, whose groups are the most constrained.
            p = (((1 << v) - 1) & ~taken).bit_length() - 1
            free = [q for q in range(v) if q != p and not (taken >> q) & 1]
            free = [free[i] for i in rng.permutation(len(free))]
            members = [p]
            for _ in extend(0, members, used, 0, free):
                nodes += 1  # a node is a group tried
                if nodes > node_limit or (nodes % 1024 == 0 and time.monotonic() > deadline):
                    nodes = node_limit + 1
                    return False
                found = self.group_orbit(tuple(members))
                points, pairs, fits = 0, used, True
                for group in found:
                    for a in group:
                        fits = fits and not (taken | points) >> a & 1
                        points |= 1 << a
                    for i, a in enumerate(group):
                        for b in group[i + 1 :]:
                            bit = 1 << orbit[a][b]
                            fits = fits and not pairs & bit
                            pairs |= bit
                    if not fits:
                        break
                if not fits:
                    continue
                groups.extend(found)
                if place(taken | points, pairs):
                    return True
                del groups[len(groups) - len(found) :]
            return False

        if place(0, self.forbidden):
            return [[list(g) for g in round_] for round_ in rounds], True
        return None, nodes <= node_limit


class DifferenceSearch:
    """`weeks` repeat-free rounds as base rounds developed over Z_n, found by BaseRoundSearch
    over a portfolio of shapes and multipliers. `run` can be called again to go on where the
    last call stopped, so that the caller can take turns with other methods.

    The portfolio is ordered by the number of orbits of the multiplier on the points times
    the number of base rounds (fewest first: the fewer, the fewer groups to choose).
    Candidate i joins at sweep i, so the most symmetric ones get the most restarts; every
    sweep gives each candidate one randomised attempt, with a node limit that doubles every
    fourth sweep, and drops a candidate whose search was complete (no base round has its
    symmetry). The attempts and their seeds do not depend on where the calls stop."""

    def __init__(self, groups: int, size: int, weeks: int, seed: int) -> None:
        self.groups, self.size, self.weeks, self.seed = groups, size, weeks, seed
        ranked = sorted(
            (
                (_orbit_count(permutation(shape, mu)) * shape.bases, index, shape, mu)
                for index, shape in enumerate(developing_shapes(groups, size, weeks))
                for mu in multipliers(shape)
            ),
            key=lambda item: (item[0], item[1]),
        )
        self.portfolio = [(shape, mu) for _, _, shape, mu in ranked]
        self.models: dict[Shape, OrbitModel] = {}
        self.searches: dict[tuple[Shape, Multiplier], BaseRoundSearch] = {}
        self.sweep = 0
        self.current = self.portfolio[:1]  # the candidates of the current sweep
        self.next_index = 0  # the next attempt of the current sweep

    def run(self, deadline: float, budget: list[int | None]) -> tuple[Schedule, str] | None:
        """Search until found, `deadline` (time.monotonic) or the shared node `budget` is
        spent, or the portfolio is empty; None if not found."""
        while self.portfolio:
            node_limit = 2_000 * 2 ** (self.sweep // 4)
            if self.next_index == 0:
                self.current = self.portfolio[: self.sweep + 1]
            current = self.current
            while self.next_index < len(current):
                if time.monotonic() >= deadline or (budget[0] is not None and budget[0] <= 0):
                    return None
                index = self.next_index
                self.next_index += 1
                shape, mu = current[index]
                limit = node_limit if budget[0] is None else min(node_limit, budget[0])
                if budget[0] is not None:
                    budget[0] -= limit
                found = self._attempt(shape, mu, limit, deadline, index)
                if found is not None:
                    return found
            self.sweep += 1
            self.next_index = 0
        return None

    def _attempt(
        self, shape: Shape, mu: Multiplier, limit: int, deadline: float, index: int
    ) -> tuple[Schedule, str] | None:
        model = self.models.get(shape)
        if model is None:
            model = self.models[shape] = OrbitModel(self.groups, self.size, shape)
        search = self.searches.get((shape, mu))
        if search is None:
            search = self.searches[shape, mu] = BaseRoundSearch(model, permutation(shape, mu))
        rng = np.random.default_rng(
            [self.seed, self.groups, self.size, self.weeks, self.sweep, index]
        )
        bases, complete = search.run(rng, limit, deadline)
        if bases is not None:
            how = (
                f"difference method: {shape.bases} base round(s) over Z_{shape.n} "
                f"({shape.rows} rows, {shape.fixed} fixed) invariant under "
                f"{mu.describe()}, found by backtracking and developed"
            )
            return model.develop(np.array(bases, dtype=np.int64)), how
        if complete:
            self.portfolio.remove((shape, mu))
        return None


def developed_design(
    groups: int, size: int, weeks: int, *, seed: int, deadline: float, budget: list[int | None]
) -> tuple[Schedule, str] | None:
    """DifferenceSearch(groups, size, weeks, seed).run(deadline, budget) in one call."""
    return DifferenceSearch(groups, size, weeks, seed).run(deadline, budget)
