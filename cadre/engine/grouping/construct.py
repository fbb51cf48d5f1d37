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


def pair_rich_sizes(instance: MdgpInstance, rng: np.random.Generator) -> IntArray:
    """Group sizes within the bounds that maximise the number of within-group pairs,
    sum of s_g (s_g - 1) / 2, ties broken at random. With distances of similar size
    everywhere the objective grows with that count, so the best solutions of the MDGPLIB
    `ds` instances use such a size profile; a local search can hardly move between profiles,
    since that takes many one-moves that each lose a lot."""
    n, groups = instance.n, instance.groups
    order = rng.permutation(groups)
    neg = -np.inf
    # best[k, t]: most pairs with the first k groups (in `order`) holding t elements.
    best = np.full((groups + 1, n + 1), neg)
    best[0, 0] = 0.0
    for k, g in enumerate(order):
        lo, hi = int(instance.lower[g]), int(instance.upper[g])
        for s in range(lo, min(hi, n) + 1):
            pairs = s * (s - 1) / 2
            cand = np.full(n + 1, neg)
            cand[s:] = best[k, : n + 1 - s] + pairs
            best[k + 1] = np.maximum(best[k + 1], cand)
    sizes = np.zeros(groups, dtype=np.int64)
    t = n
    for k in range(groups, 0, -1):
        g = order[k - 1]
        options = [
            s
            for s in range(int(instance.lower[g]), int(instance.upper[g]) + 1)
            if s <= t and best[k - 1, t - s] + s * (s - 1) / 2 >= best[k, t] - 1e-9
        ]
        s = options[rng.integers(len(options))]
        sizes[g] = s
        t -= s
    return sizes


def random_assignment(instance: MdgpInstance, rng: np.random.Generator) -> IntArray:
    """A uniformly shuffled assignment with random feasible group sizes."""
    sizes = random_sizes(instance, rng)
    labels = np.repeat(np.arange(instance.groups, dtype=np.int64), sizes)
    return rng.permutation(labels)


def greedy_assignment(
    instance: MdgpInstance, rng: np.random.Generator, sizes: IntArray | None = None
) -> IntArray:
    """Seed each group with one random element, then repeatedly place the unplaced element
    and group (among groups still below their lower bound, or once none is, below their upper
    bound) whose pair adds the most distance. With `sizes`, fill the groups to exactly those
    sizes instead."""
    n, groups = instance.n, instance.groups
    d = instance.distances
    assign = np.full(n, -1, dtype=np.int64)
    gain = np.zeros((n, groups))
    order = rng.permutation(n)
    for g in range(groups):
        i = int(order[g])
        assign[i] = g
        gain[:, g] += d[i]
    target = sizes
    sizes = np.ones(groups, dtype=np.int64)
    for _ in range(n - groups):
        if target is not None:
            allowed = sizes < target
        else:
            below = sizes < instance.lower
            allowed = below if below.any() else sizes < instance.upper
        score = np.where(allowed[None, :] & (assign < 0)[:, None], gain, -np.inf)
        i, g = divmod(int(np.argmax(score)), groups)
        assign[i] = g
        sizes[g] += 1
        gain[:, g] += d[i]
    return assign
