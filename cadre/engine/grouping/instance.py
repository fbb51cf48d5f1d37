"""The Maximally Diverse Grouping Problem (MDGP): its instances, the MDGPLIB file reader and
the objective.

Put n elements into G disjoint groups, group g holding between lower[g] and upper[g]
elements, so as to maximise the sum of d_ij over all pairs i < j placed in the same group.
Distances are in whatever unit the instance uses; the objective is in that same unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class InstanceError(ValueError):
    """An instance (or an MDGPLIB file) that cannot be solved as given; the message says why."""


@dataclass(frozen=True, eq=False)
class MdgpInstance:
    """n elements, a symmetric n x n distance matrix with zero diagonal, and per group the
    inclusive size bounds lower[g] <= size <= upper[g]."""

    distances: FloatArray
    lower: IntArray
    upper: IntArray
    name: str = ""

    @property
    def n(self) -> int:
        return int(self.distances.shape[0])

    @property
    def groups(self) -> int:
        return int(self.lower.shape[0])

    @property
    def same_size(self) -> bool:
        """True when every group has one fixed size (MDGPLIB's `ss`, the paper's EGS)."""
        return bool(np.all(self.lower == self.upper) and np.all(self.lower == self.lower[0]))

    @classmethod
    def create(
        cls,
        distances: object,
        lower: object,
        upper: object,
        name: str = "",
    ) -> MdgpInstance:
        """Build an instance from array-likes, checking everything up front."""
        instance = cls(
            np.array(distances, dtype=np.float64),
            np.array(lower, dtype=np.int64).reshape(-1),
            np.array(upper, dtype=np.int64).reshape(-1),
            name,
        )
        validate(instance)
        return instance


def validate(instance: MdgpInstance) -> None:
    """Raise InstanceError with a precise message unless the instance is well formed and
    feasible (some assignment meets every size bound)."""
    d, lower, upper = instance.distances, instance.lower, instance.upper
    if d.ndim != 2 or d.shape[0] != d.shape[1]:
        raise InstanceError(f"distances must be a square matrix, got shape {d.shape}")
    n = d.shape[0]
    if n < 1:
        raise InstanceError("the instance has no elements")
    if not np.all(np.isfinite(d)):
        i, j = np.argwhere(~np.isfinite(d))[0]
        raise InstanceError(f"distance d[{i}, {j}] is not a finite number")
    if not np.array_equal(d, d.T):
        i, j = np.argwhere(d != d.T)[0]
        raise InstanceError(f"distances must be symmetric: d[{i}, {j}] != d[{j}, {i}]")
    if np.any(np.diag(d) != 0):
        i = int(np.flatnonzero(np.diag(d))[0])
        raise InstanceError(f"distances must have a zero diagonal: d[{i}, {i}] = {d[i, i]}")
    if lower.ndim != 1 or lower.shape != upper.shape:
        raise InstanceError(
            f"lower and upper bounds must be two lists of one length, got {lower.shape} and {upper.shape}"
        )
    if lower.shape[0] < 1:
        raise InstanceError("there must be at least one group")
    for g in range(lower.shape[0]):
        if lower[g] < 1 or upper[g] < lower[g]:
            raise InstanceError(
                f"group {g}: bounds must satisfy 1 <= lower <= upper, got [{lower[g]}, {upper[g]}]"
            )
    if int(lower.sum()) > n:
        raise InstanceError(
            f"the lower bounds add up to {int(lower.sum())}, more than the {n} elements"
        )
    if int(upper.sum()) < n:
        raise InstanceError(
            f"the upper bounds add up to {int(upper.sum())}, fewer than the {n} elements"
        )


def objective(distances: FloatArray, assignment: IntArray) -> float:
    """Sum of d_ij over all pairs i < j with assignment[i] == assignment[j] (the MDGP objective,
    in the distances' unit), computed from scratch."""
    same = assignment[:, None] == assignment[None, :]
    return float(np.sum(distances, where=same) / 2.0)


def check_assignment(instance: MdgpInstance, assignment: IntArray) -> None:
    """Raise InstanceError unless `assignment` places each element in exactly one group with
    every group's size within its bounds."""
    a = np.asarray(assignment)
    if a.shape != (instance.n,):
        raise InstanceError(f"the assignment must have {instance.n} entries, got shape {a.shape}")
    if a.size and (a.min() < 0 or a.max() >= instance.groups):
        raise InstanceError(f"group numbers must lie in 0..{instance.groups - 1}")
    sizes = np.bincount(a, minlength=instance.groups)
    bad = np.flatnonzero((sizes < instance.lower) | (sizes > instance.upper))
    if bad.size:
        g = int(bad[0])
        raise InstanceError(
            f"group {g} has {sizes[g]} elements, outside its bounds "
            f"[{instance.lower[g]}, {instance.upper[g]}]"
        )


def read_mdgp(path: str | Path) -> MdgpInstance:
    """Read an MDGPLIB file.

    Line 1 is `M G T a_1 b_1 ... a_G b_G` with T `ss` (all groups of size M/G) or `ds`; then
    M(M-1)/2 lines `i j d_ij` with 0-based i < j, each pair once. Raises InstanceError with
    the file name and line number of the first problem found.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError as exc:
        raise InstanceError(f"{path}: not a plain ASCII text file") from exc
    return parse_mdgp(text, name=path.stem, source=str(path))


def parse_mdgp(text: str, *, name: str = "", source: str = "<text>") -> MdgpInstance:
    """Parse the contents of an MDGPLIB file (see read_mdgp)."""

    def fail(line: int, message: str) -> InstanceError:
        return InstanceError(f"{source}: line {line}: {message}")

    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise fail(1, "expected the header 'M G T a_1 b_1 ... a_G b_G', found an empty line")
    head = lines[0].split()
    if len(head) < 3:
        raise fail(1, f"expected the header 'M G T a_1 b_1 ... a_G b_G', got {lines[0].strip()!r}")
    try:
        m, g = int(head[0]), int(head[1])
    except ValueError:
        raise fail(1, f"M and G must be whole numbers, got {head[0]!r} and {head[1]!r}") from None
    if m < 1 or g < 1:
        raise fail(1, f"M and G must be positive, got M={m} and G={g}")
    kind = head[2]
    if kind not in ("ss", "ds"):
        raise fail(1, f"the size type must be 'ss' or 'ds', got {kind!r}")
    if len(head) != 3 + 2 * g:
        raise fail(
            1, f"expected {2 * g} bounds (a lower and an upper per group), got {len(head) - 3}"
        )
    try:
        bounds = np.array([int(x) for x in head[3:]], dtype=np.int64)
    except ValueError:
        raise fail(1, "the group bounds must be whole numbers") from None
    lower, upper = bounds[0::2].copy(), bounds[1::2].copy()
    if kind == "ss" and (m % g or np.any(lower != m // g) or np.any(upper != m // g)):
        raise fail(1, f"an 'ss' instance needs every group bounded by exactly M/G = {m / g:g}")

    expected = m * (m - 1) // 2
    body = [(k + 2, line) for k, line in enumerate(lines[1:]) if line.strip()]
    if len(body) != expected:
        raise fail(
            len(lines) + 1 if len(body) < expected else body[expected][0],
            f"expected {expected} distance lines 'i j d' for M={m}, found {len(body)}",
        )
    for number, line in body:
        if len(line.split()) != 3:
            raise fail(number, f"expected 3 fields 'i j d', got {line.strip()!r}")
    fields = " ".join(line for _, line in body).split()
    try:
        values = np.array(fields, dtype=np.float64).reshape(-1, 3)
    except ValueError:
        for number, line in body:
            for token in line.split():
                try:
                    float(token)
                except ValueError:
                    raise fail(number, f"{token!r} is not a number") from None
        raise  # pragma: no cover - some token above must have failed
    i, j, d = values[:, 0], values[:, 1], values[:, 2]
    bad = np.flatnonzero((i != np.round(i)) | (j != np.round(j)))
    if bad.size:
        raise fail(body[bad[0]][0], "the indices i and j must be whole numbers")
    bad = np.flatnonzero((i < 0) | (i >= m) | (j < 0) | (j >= m))
    if bad.size:
        k = int(bad[0])
        raise fail(body[k][0], f"index out of range 0..{m - 1} in {body[k][1].strip()!r}")
    bad = np.flatnonzero(i >= j)
    if bad.size:
        raise fail(body[bad[0]][0], f"expected i < j, got {body[bad[0]][1].strip()!r}")
    bad = np.flatnonzero(~np.isfinite(d))
    if bad.size:
        raise fail(body[bad[0]][0], "the distance is not a finite number")
    ii, jj = i.astype(np.int64), j.astype(np.int64)
    key = ii * m + jj
    order = np.argsort(key, kind="stable")
    dup = np.flatnonzero(key[order][1:] == key[order][:-1])
    if dup.size:
        first, second = sorted((int(order[dup[0]]), int(order[dup[0] + 1])))
        raise fail(
            body[second][0],
            f"pair ({ii[second]}, {jj[second]}) is listed twice (first on line {body[first][0]})",
        )
    distances = np.zeros((m, m), dtype=np.float64)
    distances[ii, jj] = d
    distances[jj, ii] = d
    try:
        instance = MdgpInstance(distances, lower, upper, name)
        validate(instance)
    except InstanceError as exc:
        raise fail(1, str(exc)) from None
    return instance


def format_objective(value: float) -> str:
    """The objective as the CLI prints it (6 decimals, like the literature's codes)."""
    if not math.isfinite(value):
        raise ValueError("objective must be finite")
    return f"{value:.6f}"
