"""`cadre golfer --groups G --size S --weeks W --seconds T --out FILE` and
`cadre rotate PEOPLE.csv --size S --rounds R [--history MET.csv] --out ROUNDS.csv`.

Writes one line per week, groups separated by " | ", members 0..G*S-1 separated by spaces.
Exit 0 when W repeat-free weeks were found, 1 otherwise (FILE then holds the longest
repeat-free schedule found), 2 for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import os
import re
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .. import safecsv
from ..cli_checks import seconds_problem
from .constructions import Schedule
from .golfer import GolferError, solve_golfer
from .pairing import plan_rounds


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


# --- cadre rotate -------------------------------------------------------------------------

PEOPLE_COLUMNS = ("email", "name", "function", "organization", "time_zone")
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+$")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


@dataclass
class PeopleTable:
    """A people CSV: keys in file order, each person's row, and each person's UTC offset
    (hours) when the file has a time_zone column."""

    emails: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    offsets: dict[str, float] | None = None
    columns: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=4096)
def utc_offset(text: str, when: datetime) -> float | None:
    """Hours east of UTC for an IANA zone name ("Europe/Paris", at `when`) or an offset
    ("+05:30", "UTC-8"); None if neither."""
    text = text.strip()
    if not text:
        return None
    match = _OFFSET.match(text.lower())
    if match:
        hours = int(match.group(2)) + int(match.group(3) or 0) / 60
        if hours > 14:
            return None
        return -hours if match.group(1) == "-" else hours
    if text.upper() in ("UTC", "GMT", "Z"):
        return 0.0
    try:
        zone = zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    delta = when.astimezone(zone).utcoffset()
    return None if delta is None else delta.total_seconds() / 3600


def _csv_rows(path: Path, table_errors: list[str]) -> list[tuple[int, list[str]]] | None:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return list(safecsv.rows(fh))
    except safecsv.Unreadable as error:
        table_errors.append(f"{path} {error}")
        return None
    except (OSError, UnicodeDecodeError) as error:
        table_errors.append(f"{path}: cannot read: {error}")
        return None


def read_people_csv(path: Path, when: datetime | None = None) -> PeopleTable:
    """Read PEOPLE.csv (header with at least email; name, function, organization, time_zone
    optional; other columns kept as attributes). Every bad row is reported as "line N: ..."."""
    table = PeopleTable()
    rows = _csv_rows(path, table.errors)
    if rows is None:
        return table
    if not rows:
        table.errors.append(f"{path}: the file is empty; it needs a header with an email column")
        return table
    header = [h.strip().lower() for h in rows[0][1]]
    table.columns = header
    if "email" not in header:
        table.errors.append(f"line 1: no email column (the header is {', '.join(header)})")
        return table
    when = when or datetime.now(UTC)
    with_zone = "time_zone" in header
    if with_zone:
        table.offsets = {}
    first_line: dict[str, int] = {}
    for number, raw in rows[1:]:
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(header):
            table.errors.append(f"line {number}: {len(raw)} cells but {len(header)} columns")
            continue
        row = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(header)}
        email = row["email"].lower()
        if not _EMAIL.match(email):
            table.errors.append(f"line {number}: email {row['email']!r} is not an e-mail address")
            continue
        if email in first_line:
            table.errors.append(f"line {number}: {email} is already on line {first_line[email]}")
            continue
        if with_zone and table.offsets is not None:
            offset = utc_offset(row["time_zone"], when) if row["time_zone"] else 0.0
            if offset is None:
                table.errors.append(
                    f"line {number}: time_zone {row['time_zone']!r} is not a zone name "
                    "(e.g. Europe/Paris) or an offset (e.g. +05:30)"
                )
                continue
            table.offsets[email] = offset
        first_line[email] = number
        table.emails.append(email)
        table.rows[email] = row
    if not table.errors and len(table.emails) < 2:
        table.errors.append(f"{path}: at least 2 people are needed, found {len(table.emails)}")
    return table


def read_pairs_csv(path: Path, errors: list[str]) -> list[tuple[str, str]]:
    """Pairs who already met (or must not meet) from a two-column CSV of e-mails (an optional
    header is skipped), or from a ROUNDS.csv written by `cadre rotate` (every two people of
    a group). Bad rows are added to `errors` as "FILE line N: ..."."""
    rows = _csv_rows(path, errors)
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0][1]]
    pairs: list[tuple[str, str]] = []
    if {"round", "group", "email"} <= set(header):
        at = {h: header.index(h) for h in ("round", "group", "email")}
        groups: dict[tuple[str, str], list[str]] = {}
        for number, raw in rows[1:]:
            if not any(cell.strip() for cell in raw):
                continue
            if len(raw) <= max(at.values()):
                errors.append(f"{path} line {number}: needs round, group and email")
                continue
            key = (raw[at["round"]].strip(), raw[at["group"]].strip())
            email = safecsv.unquote(raw[at["email"]].strip())
            groups.setdefault(key, []).append(email.lower())
        for members in groups.values():
            pairs.extend(itertools.combinations(members, 2))
        return pairs
    for number, raw in rows:
        cells = [c.strip() for c in raw if c.strip()]
        if not cells:
            continue
        if number == 1 and not any("@" in c for c in cells):
            continue  # a header
        if len(cells) != 2 or not all(_EMAIL.match(c.lower()) for c in cells):
            errors.append(f"{path} line {number}: expected two e-mail addresses, got {raw!r}")
            continue
        pairs.append((cells[0].lower(), cells[1].lower()))
    return pairs


def write_rounds_csv(
    path: Path, rounds: list[list[list[str]]], names: Mapping[str, str] | None = None
) -> None:
    """round, group, email, name (1-based round and group numbers), written atomically."""
    target = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=".rounds-", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = safecsv.writer(fh)
            writer.writerow(["round", "group", "email", "name"])
            for r, week in enumerate(rounds, start=1):
                for g, group in enumerate(week, start=1):
                    for email in group:
                        writer.writerow([r, g, email, (names or {}).get(email, "")])
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _process_age() -> float:
    """Seconds since this process started (interpreter start-up included); 0 if unknown."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def rotate_main(argv: list[str]) -> int:
    """`cadre rotate PEOPLE.csv --size 2 --rounds R [--history MET.csv] --out ROUNDS.csv`.

    Exit 0 when ROUNDS.csv was written (the summary says how many repeats were left), 2 for
    bad input (every bad row listed, nothing written). The time limit (--seconds) counts
    from the start of the process."""
    started = time.monotonic() - _process_age()
    parser = argparse.ArgumentParser(
        prog="cadre rotate",
        description="Rounds of pairs or groups (virtual coffee) in which nobody meets anyone "
        "twice while that can be avoided.",
    )
    parser.add_argument(
        "people",
        type=Path,
        help="CSV with email and optional name, function, organization, time_zone columns",
    )
    parser.add_argument("--size", type=int, default=2, help="people per group (default 2)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds to plan (default 1)")
    parser.add_argument(
        "--history",
        type=Path,
        action="append",
        default=[],
        help="CSV of pairs who already met, or an earlier ROUNDS.csv (may be repeated)",
    )
    parser.add_argument("--exclusions", type=Path, help="CSV of pairs who must not meet")
    parser.add_argument(
        "--prefer-different",
        default="",
        help="comma-separated columns whose values should differ in a group",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="ROUNDS.csv to write")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)

    def say(text: str) -> None:
        if not args.quiet:
            print(f"cadre rotate: {text}", file=sys.stderr, flush=True)

    errors: list[str] = []
    if args.size < 2:
        errors.append(f"--size must be at least 2, got {args.size}")
    if args.rounds < 1:
        errors.append(f"--rounds must be at least 1, got {args.rounds}")
    if (problem := seconds_problem(args.seconds)) is not None:
        errors.append(problem)
    table = read_people_csv(args.people)
    errors.extend(table.errors)
    prefer = [c.strip().lower() for c in args.prefer_different.split(",") if c.strip()]
    if table.columns:
        for column in prefer:
            if column not in table.columns:
                errors.append(f"--prefer-different: {args.people} has no column {column!r}")
    history: list[tuple[str, str]] = []
    for path in args.history:
        history.extend(read_pairs_csv(path, errors))
    exclusions = read_pairs_csv(args.exclusions, errors) if args.exclusions else []
    if errors:
        print(f"cadre rotate: {len(errors)} problem(s); nothing was written:", file=sys.stderr)
        for error in errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    known = set(table.emails)
    outside = sum(1 for a, b in history if a not in known or b not in known)
    say(
        f"{len(table.emails)} people, {len(history)} earlier meeting(s)"
        + (f" ({outside} with people not in the file, ignored)" if outside else "")
        + f", {len(exclusions)} exclusion(s); {time.monotonic() - started:.1f} s"
    )
    # Leave a tenth of the limit (and time in proportion to the people) for checking and
    # writing, which take longer in wall clock on a busy machine.
    elapsed = time.monotonic() - started
    budget = 0.9 * args.seconds - elapsed - 0.2 - len(table.emails) * 5e-5
    result = plan_rounds(
        table.emails,
        group_size=args.size,
        rounds=args.rounds,
        history=history,
        exclusions=exclusions,
        attributes=table.rows if prefer else None,
        prefer_different=prefer,
        utc_offsets=table.offsets,
        seed=args.seed,
        seconds=max(0.05, budget),
        progress=say,
    )
    if result.status == "invalid":
        print(f"cadre rotate: {result.message}; nothing was written", file=sys.stderr)
        return 2
    try:
        names = {e: table.rows[e].get("name", "") for e in table.emails}
        write_rounds_csv(args.out, result.rounds, names)
    except OSError as error:
        print(f"cadre rotate: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    say(f"{result.message}; wrote {args.out} in {time.monotonic() - started:.1f} s")
    return 0
