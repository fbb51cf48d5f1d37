"""Starting assignments for the MDGP: uniformly random, and a greedy construction. Both meet
every size bound; both serve as the benchmark's baselines too."""

from __future__ import annotations

import numpy as np

from .instance import IntArray, MdgpInstance


def random_sizes(instance: MdgpInstance, rng: np.random.Generator) -> IntArray:
    """Group sizes meeting the bounds: the lower bounds, then the remaining elements one at a
    time into a random group that still has room."""
    sizes = instance.lower.copy()
    room = instance.upper - sizes
    for _ in range(instance.n - int(sizes.sum())):
        open_groups = np.flatnonzero(room > 0)
        g = open_groups[rng.integers(open_groups.size)]
        sizes[g] += 1
        room[g] -= 1
    return sizes


def random_assignment(instance: MdgpInstance, rng: np.random.Generator) -> IntArray:
    """A uniformly shuffled assignment with random feasible group sizes."""
    sizes = random_sizes(instance, rng)
    labels = np.repeat(np.arange(instance.groups, dtype=np.int64), sizes)
    return rng.permutation(labels)


def greedy_assignment(instance: MdgpInstance, rng: np.random.Generator) -> IntArray:
    """Seed each group with one random element, then repeatedly place the unplaced element
    and group (among groups still below their lower bound, or once none is, below their upper
    bound) whose pair adds the most distance."""
    n, groups = instance.n, instance.groups
    d = instance.distances
    assign = np.full(n, -1, dtype=np.int64)
    sizes = np.zeros(groups, dtype=np.int64)
    gain = np.zeros((n, groups))
    order = rng.permutation(n)
    for g in range(groups):
        i = int(order[g])
        assign[i] = g
        sizes[g] = 1
        gain[:, g] += d[i]
    for _ in range(n - groups):
        below = sizes < instance.lower
        allowed = below if below.any() else sizes < instance.upper
        score = np.where(allowed[None, :] & (assign < 0)[:, None], gain, -np.inf)
        i, g = divmod(int(np.argmax(score)), groups)
        assign[i] = g
        sizes[g] += 1
        gain[:, g] += d[i]
    return assign
