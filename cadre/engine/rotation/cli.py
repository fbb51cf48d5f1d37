"""`cadre golfer --groups G --size S --weeks W --seconds T --out FILE`.

Writes one line per week, groups separated by " | ", members 0..G*S-1 separated by spaces.
Exit 0 when W repeat-free weeks were found, 1 otherwise (FILE then holds the longest
repeat-free schedule found), 2 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .constructions import Schedule
from .golfer import GolferError, solve_golfer


def format_schedule(schedule: Schedule) -> str:
    """The file format: a line per week, " | " between groups, spaces between members."""
    return "".join(
        " | ".join(" ".join(str(p) for p in group) for group in week) + "\n" for week in schedule
    )


def golfer_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="cadre golfer",
        description="Social Golfer schedules: G groups of S people for W weeks, no pair twice.",
    )
    parser.add_argument("--groups", type=int, required=True, help="number of groups G")
    parser.add_argument("--size", type=int, required=True, help="people per group S")
    parser.add_argument("--weeks", type=int, required=True, help="weeks (rounds) W")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit (default 60)")
    parser.add_argument("--out", type=Path, required=True, help="file to write the schedule to")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        result = solve_golfer(
            args.groups, args.size, args.weeks, seconds=args.seconds, seed=args.seed
        )
    except GolferError as error:
        print(f"cadre golfer: {error}", file=sys.stderr)
        return 2
    try:
        args.out.write_text(format_schedule(result.schedule), encoding="utf-8")
    except OSError as error:
        print(f"cadre golfer: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(
            f"{result.message} in {result.seconds:.2f} s; method: {result.method}",
            file=sys.stderr,
        )
    return 0 if result.status == "solved" else 1
