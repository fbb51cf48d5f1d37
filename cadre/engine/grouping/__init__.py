"""Grouping: the Maximally Diverse Grouping Problem (MDGP) solver under cohort formation.

    instance = read_mdgp("RanReal_n120_ss_01.txt")
    result = solve_mdgp(instance, seconds=3, seed=1)
    result.objective, result.assignment

See solver.py for the method and _kernels.py for the incremental move evaluation.
"""

from ._kernels import warm_up
from .construct import greedy_assignment, random_assignment
from .instance import (
    InstanceError,
    MdgpInstance,
    check_assignment,
    objective,
    parse_mdgp,
    read_mdgp,
)
from .solver import GroupingResult, Progress, Tuning, solve_mdgp

__all__ = [
    "GroupingResult",
    "InstanceError",
    "MdgpInstance",
    "Progress",
    "Tuning",
    "check_assignment",
    "greedy_assignment",
    "objective",
    "parse_mdgp",
    "random_assignment",
    "read_mdgp",
    "solve_mdgp",
    "warm_up",
]
