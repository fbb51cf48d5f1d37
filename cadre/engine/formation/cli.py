"""`cadre form PEOPLE.csv --size MIN-MAX --out COHORTS.csv`: form cohorts from a CSV of
people (columns in docs/formation-csv.md) without a database.

The whole file is checked before any search: each bad row is listed with its line number
and the command exits with code 2, writing nothing. While searching, a progress bar is drawn
on stderr; afterwards a table per cohort goes to stdout and the cohorts to --out.
--seconds is the wall-clock budget of the whole command, from the start of the process,
reading and writing included.
Exit codes: 0 formed, 1 no assignment meets the hard constraints, 2 bad input.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..cli_checks import seconds_problem, seed_problem
from .csvio import read_people, write_cohorts
from .model import FormationProblem, FormationResult, GroupScore, Person, validate_problem
from .score import COVERED_LEVEL, hour_label
from .search import solve_formation

_BAR_WIDTH = 30
_RESERVE = 0.05  # share of --seconds kept back for scoring and writing the answer


class ProgressBar:
    """A one-line bar on a stream, redrawn in place with a carriage return."""

    def __init__(self, stream: TextIO, seconds: float) -> None:
        self.stream = stream
        self.seconds = seconds
        self.started = time.monotonic()

    def __call__(self, fraction: float, best: float) -> None:
        filled = int(round(fraction * _BAR_WIDTH))
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\rforming [{bar}] {fraction * 100:3.0f}%  {elapsed:5.1f}/{self.seconds:.0f} s"
            f"  best objective {best:.4f}"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _size_range(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"expected MIN-MAX like 6-8, got {text!r}")
    low = int(m[1])
    high = int(m[2]) if m[2] else low
    return low, high


def _counted(values: Sequence[str]) -> str:
    counts = Counter(v for v in values if v)
    text = ", ".join(f"{v} {c}" if c > 1 else v for v, c in sorted(counts.items()))
    return f"{len(counts)}: {text}" if counts else "-"


def cohort_table(
    number: int, members: Sequence[Person], score: GroupScore, problem: FormationProblem
) -> str:
    targets = list(problem.target_skills) or sorted(
        {s for p in problem.people for s, lv in p.skills.items() if lv > 0}
    )
    covered = [s for s in targets if max((p.skills.get(s, 0) for p in members), default=0) >= 3]
    missing = [s for s in targets if s not in covered]
    skills = f"{len(covered)} of {len(targets)} at level {COVERED_LEVEL}+" if targets else "-"
    if missing:
        skills += " (missing " + ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "") + ")"
    slots = score.common_slots
    slot_text = ", ".join(hour_label(h) for h in slots[:4]) if slots else "none"
    if len(slots) > 4:
        slot_text += f" (+{len(slots) - 4} more)"
    parts = "  ".join(f"{k} {v:.2f}" for k, v in score.parts.items())
    rows = [
        ("size", str(len(members))),
        ("functions", _counted([p.function for p in members])),
        ("industries", _counted([p.industry for p in members])),
        ("organizations", _counted([p.organization for p in members])),
        ("skill coverage", skills),
        ("common slots", slot_text),
        ("score parts", f"{parts}  (total {score.total:.3f})"),
        ("members", ", ".join(p.name or p.key for p in members)),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [f"Cohort {number}", "-" * (width + 40)]
    lines += [f"  {k.ljust(width)}  {v}" for k, v in rows]
    return "\n".join(lines)


def print_report(problem: FormationProblem, result: FormationResult, out: TextIO) -> None:
    by_key = {p.key: p for p in problem.people}
    for number, (group, score) in enumerate(zip(result.groups, result.scores, strict=True), 1):
        out.write(cohort_table(number, [by_key[k] for k in group], score, problem) + "\n\n")
    n = len(result.groups) or 1
    means = {part: sum(s.parts[part] for s in result.scores) / n for part in result.scores[0].parts}
    out.write(
        f"{result.status}: {result.message}\nmean parts: "
        + "  ".join(f"{k} {v:.3f}" for k, v in means.items())
        + "\n"
    )
    if result.meeting is not None:
        out.write("meeting: " + " ".join(result.meeting.explanation) + "\n")


def _process_age() -> float:
    """Seconds since this process started (interpreter start-up included), from /proc on
    Linux; 0 where that cannot be read."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def form_main(argv: list[str], *, started: float | None = None) -> int:
    """Run the command; returns the exit code. The time limit counts from `started` (a
    time.monotonic() value), by default from the start of the process."""
    if started is None:
        started = time.monotonic() - _process_age()
    parser = argparse.ArgumentParser(
        prog="cadre form",
        description="Form cohorts from a CSV of people (see docs/formation-csv.md).",
    )
    parser.add_argument("people", help="CSV of people, one row each, with a header row")
    parser.add_argument(
        "--size", type=_size_range, required=True, metavar="MIN-MAX", help="cohort size bounds"
    )
    parser.add_argument(
        "--groups", type=int, help="number of cohorts (default: sizes near MIN-MAX's middle)"
    )
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="wall-clock budget for the command (default 10)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--session-minutes", type=int, help="look for a common weekly slot of this length"
    )
    parser.add_argument(
        "--require-slot",
        action="store_true",
        help="make the common slot a hard constraint (needs --session-minutes)",
    )
    parser.add_argument("--max-iterations", type=int, help="stop after this many search steps")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no tables")
    parser.add_argument("--out", required=True, help="where to write the cohorts CSV")
    args = parser.parse_args(argv)
    for wrong in (seconds_problem(args.seconds), seed_problem(args.seed)):
        if wrong is not None:
            parser.error(wrong)

    people = read_people(args.people)
    if people.errors:
        _errors(people.errors)
        return 2
    low, high = args.size
    problem = FormationProblem(
        people=people.people,
        min_size=low,
        max_size=high,
        groups=args.groups,
        must_together=people.must_together,
        cannot_together=people.cannot_together,
        session_minutes=args.session_minutes,
        require_common_slot=args.require_slot,
    )
    problems = validate_problem(problem)
    if problems:
        _errors(problems)
        return 2

    budget = args.seconds * (1 - _RESERVE) - (time.monotonic() - started)
    bar = None if args.quiet else ProgressBar(sys.stderr, args.seconds)
    result = solve_formation(
        problem,
        seconds=max(0.01, budget),
        seed=args.seed,
        max_iterations=args.max_iterations,
        progress=bar,
    )
    if bar is not None:
        bar.close()
    if not result.groups:
        print(f"cadre form: {result.status}: {result.message}", file=sys.stderr)
        return 1
    try:
        write_cohorts(args.out, problem, result)
    except OSError as exc:
        print(f"cadre form: error: cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print_report(problem, result, sys.stdout)
    else:
        print(f"{result.status}: {result.message}")
    return 1 if result.status == "infeasible" else 0


def _errors(errors: Sequence[str]) -> None:
    print(
        f"cadre form: the input has {len(errors)} problem(s); nothing was formed:", file=sys.stderr
    )
    for e in errors:
        print(f"  {e}", file=sys.stderr)
