"""`cadre mdgp INSTANCE --seconds S --seed K --out FILE`: solve an MDGPLIB instance, write one
line per element (in instance order) holding its 0-based group, and print the objective.

The time limit is wall clock for the whole command, reading the instance included.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..cli_checks import seconds_problem, seed_problem

# Time kept back for writing the answer and leaving the process.
_RESERVE_SECONDS = 0.25


def process_age() -> float:
    """Seconds since this process started (interpreter start-up and imports included), from
    /proc on Linux; 0 where that cannot be read."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def _compile_in_background() -> None:
    """Start compiling the fast kernel into numba's cache for the next runs. This run uses
    the NumPy kernel unless its time limit leaves room to compile (see _kernels.choose)."""
    import contextlib
    import subprocess

    code = "from cadre.engine.grouping import warm_up; warm_up()"
    with contextlib.suppress(OSError):  # only a missed speed-up
        subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


def mdgp_main(argv: list[str], *, started: float | None = None) -> int:
    """Run the command; returns the exit code (0 solved, 2 bad input). The time limit counts
    from `started` (a time.monotonic() value), by default from the start of the process."""
    parser = argparse.ArgumentParser(
        prog="cadre mdgp",
        description="Solve a Maximally Diverse Grouping Problem instance (MDGPLIB format).",
    )
    parser.add_argument("instance", help="MDGPLIB instance file")
    parser.add_argument(
        "--seconds", type=float, required=True, help="wall-clock limit for the whole command"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", required=True, help="where to write the assignment")
    args = parser.parse_args(argv)
    for wrong in (seconds_problem(args.seconds), seed_problem(args.seed)):
        if wrong is not None:
            parser.error(wrong)

    from_process_start = started is None
    if started is None:
        started = time.monotonic() - process_age()
    from . import _kernels
    from .instance import InstanceError, check_assignment, format_objective, read_mdgp
    from .solver import solve_mdgp

    if _kernels.HAVE_NUMBA and _kernels.choose(args.seconds) is _kernels.numpy_kernel:
        _compile_in_background()

    try:
        instance = read_mdgp(args.instance)
    except (OSError, InstanceError) as exc:
        print(f"cadre mdgp: error: {exc}", file=sys.stderr)
        return 2
    remaining = args.seconds - (time.monotonic() - started) - _RESERVE_SECONDS
    result = solve_mdgp(instance, seconds=max(0.0, remaining), seed=args.seed)
    check_assignment(instance, result.assignment)
    try:
        Path(args.out).write_text("".join(f"{g}\n" for g in result.assignment.tolist()))
    except OSError as exc:
        print(f"cadre mdgp: error: cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    print(f"objective {format_objective(result.objective)}")
    if from_process_start:
        # Leave without the interpreter's clean-up: unloading numba's compiled code takes
        # 0.1-0.3 s, which would count against --seconds. The answer is written and closed.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0
