"""Schedules computed from mathematics: each returns weeks of groups over people 0..g*s-1 with
no pair meeting twice, or None when the construction does not apply.

* round_robin: the circle method, 2g-1 rounds of pairs (a 1-factorisation of K_2g).
* transversal: the resolvable transversal design RTD(s, q) over GF(q), q a prime power >= s:
  q rounds, one more when s divides q (the columns split into groups), which for s == q is
  the affine plane AG(2, q).
* affine_lines: the parallel classes of lines of AG(n, q), n >= 3: (q^n-1)/(q-1) rounds of
  q^(n-1) groups of q.
"""

from __future__ import annotations

import itertools

from .fields import galois_field, prime_power

Schedule = list[list[list[int]]]


def round_robin(groups: int) -> Schedule:
    """2*groups-1 rounds of pairs in which everyone meets everyone exactly once."""
    people = 2 * groups
    if groups == 1:
        return [[[0, 1]]]
    ring = people - 1
    weeks: Schedule = []
    for r in range(ring):
        week = [[r, ring]]
        for k in range(1, groups):
            week.append(sorted(((r + k) % ring, (r - k) % ring)))
        weeks.append(week)
    return weeks


def transversal(groups: int, size: int) -> Schedule | None:
    """RTD(size, q) with q = groups a prime power and size <= q; person i*q + y is point (i, y)."""
    q = groups
    if size > q or prime_power(q) is None:
        return None
    field = galois_field(q)
    weeks: Schedule = []
    for a in range(q):
        week = []
        for b in range(q):
            week.append([i * q + int(field.add[field.mul[a, i], b]) for i in range(size)])
        weeks.append(week)
    if q % size == 0:
        week = []
        for i in range(size):
            column = [i * q + y for y in range(q)]
            week.extend(column[j : j + size] for j in range(0, q, size))
        weeks.append(week)
    return weeks


def affine_lines(groups: int, size: int) -> Schedule | None:
    """Lines of AG(n, q) with q = size and groups = q^(n-1), n >= 3."""
    q = size
    if prime_power(q) is None or groups < q * q:
        return None
    n = 1
    while q**n < groups:
        n += 1
    if q**n != groups:
        return None
    n += 1
    field = galois_field(q)
    points = list(itertools.product(range(q), repeat=n))
    index = {p: i for i, p in enumerate(points)}
    weeks: Schedule = []
    for direction in points:
        nonzero = [c for c in direction if c]
        if not nonzero or nonzero[0] != 1:
            continue
        seen: set[int] = set()
        week = []
        for p in points:
            if index[p] in seen:
                continue
            line = []
            for t in range(q):
                moved = tuple(
                    int(field.add[c, field.mul[t, d]]) for c, d in zip(p, direction, strict=True)
                )
                line.append(index[moved])
            seen.update(line)
            week.append(sorted(line))
        weeks.append(week)
    return weeks


def best_construction(groups: int, size: int) -> tuple[Schedule, str] | None:
    """The longest schedule any construction here gives for (groups, size), with its name."""
    found: list[tuple[Schedule, str]] = []
    if size == 2:
        found.append((round_robin(groups), "round robin (circle method)"))
    rtd = transversal(groups, size)
    if rtd is not None:
        found.append((rtd, f"resolvable transversal design over GF({groups})"))
    lines = affine_lines(groups, size)
    if lines is not None:
        found.append((lines, f"lines of an affine geometry over GF({size})"))
    if not found:
        return None
    return max(found, key=lambda item: len(item[0]))
