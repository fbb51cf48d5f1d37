"""People in, cohorts out: the CSV files of `cadre form` (documented in
docs/formation-csv.md). Reading checks every row before anything is solved and reports each
bad row with its line number."""

from __future__ import annotations

import os
import re
import tempfile
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from .. import safecsv
from .model import HOURS_PER_WEEK, MAX_LEVEL, FormationProblem, FormationResult, Person
from .score import hour_label

COLUMNS = (
    "name",
    "email",
    "function",
    "industry",
    "organization",
    "seniority",
    "time_zone",
    "availability",
    "skills",
    "goals",
    "must_with",
    "not_with",
)
REQUIRED = ("name", "email")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SPAN = re.compile(
    r"^(?P<d1>[a-z]{3})(?:\s*-\s*(?P<d2>[a-z]{3}))?\s+(?P<h1>\d{1,2})(?::00)?\s*-\s*(?P<h2>\d{1,2})(?::00)?$"
)


@dataclass
class PeopleFile:
    """What a people CSV holds, ready for a FormationProblem; errors are complete sentences
    starting with the line number (line 1 is the header)."""

    people: list[Person] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each person
    must_together: list[tuple[str, str]] = field(default_factory=list)
    cannot_together: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def to_utc(local_hours: Sequence[int], time_zone: str) -> frozenset[int]:
    """Hours of the week in a time zone -> UTC hours of the week, for the reference week of
    2024-01-01 (a Monday; no zone changes its offset inside it). Half-hour offsets round
    down, as in the web app's profiles."""
    zone = zoneinfo.ZoneInfo(time_zone)
    utc = zoneinfo.ZoneInfo("UTC")
    monday = datetime(2024, 1, 1, tzinfo=zone)
    out = set()
    for hour in local_hours:
        t = (monday + timedelta(hours=hour)).astimezone(utc)
        out.add((t.weekday() * 24 + t.hour) % HOURS_PER_WEEK)
    return frozenset(out)


def parse_availability(text: str) -> list[int]:
    """ "Mon 09-12; Wed 14-17; Mon-Fri 18-19" -> local hours of the week (0 = Mon 00:00).
    Raises ValueError with the reason."""
    hours: set[int] = set()
    for raw in text.split(";"):
        part = raw.strip().lower()
        if not part:
            continue
        m = _SPAN.match(part)
        if not m:
            raise ValueError(
                f"cannot read availability {raw.strip()!r}; write whole hours like "
                "'Mon 09-12' or 'Mon-Fri 18-20'"
            )
        d1, d2 = m["d1"], m["d2"] or m["d1"]
        for d in (d1, d2):
            if d not in DAYS:
                raise ValueError(f"unknown day {d!r} in availability; use Mon, Tue, ... Sun")
        h1, h2 = int(m["h1"]), int(m["h2"])
        if not (0 <= h1 < h2 <= 24):
            raise ValueError(
                f"availability {raw.strip()!r} must run forwards from 00 to at most 24"
            )
        first, last = DAYS.index(d1), DAYS.index(d2)
        # A range may wrap around the week: "Sun-Thu" is Sunday to Thursday.
        for step in range((last - first) % 7 + 1):
            day = (first + step) % 7
            hours.update(range(day * 24 + h1, day * 24 + h2))
    return sorted(hours)


def parse_skills(text: str) -> dict[str, int]:
    """ "facilitation:3; data-analysis:2" -> {slug: level}. Raises ValueError."""
    skills: dict[str, int] = {}
    for raw in text.split(";"):
        part = raw.strip()
        if not part:
            continue
        name, sep, level = part.partition(":")
        name = name.strip().lower()
        if not sep or not level.strip().lstrip("-").isdigit():
            raise ValueError(f"skill {part!r} needs a level, like 'facilitation:3'")
        if not _SLUG.match(name):
            raise ValueError(
                f"skill name {name!r} must be a slug (lower-case letters, digits, - and _)"
            )
        value = int(level)
        if not 0 <= value <= MAX_LEVEL:
            raise ValueError(f"skill {name!r} has level {value}; levels run from 0 to {MAX_LEVEL}")
        if name in skills:
            raise ValueError(f"skill {name!r} is listed twice")
        skills[name] = value
    return skills


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(";") if x.strip()]


def read_people(path: str | os.PathLike[str]) -> PeopleFile:
    """Read and check a people CSV. Never raises for bad content: see PeopleFile.errors."""
    out = PeopleFile()
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(_rows(fh, out))
    except (OSError, UnicodeDecodeError) as exc:
        out.errors.append(f"cannot read {os.fspath(path)}: {exc}")
        return out
    if out.errors:
        return out

    seen: dict[str, int] = {}
    pending: list[tuple[int, str, list[str], list[str]]] = []
    for line, row in rows:
        reasons: list[str] = []
        email = row.get("email", "").strip().lower()
        name = row.get("name", "").strip()
        if not name:
            reasons.append("name is empty")
        if not email:
            reasons.append("email is empty")
        elif not _EMAIL.match(email):
            reasons.append(f"{email!r} is not an e-mail address")
        elif email in seen:
            reasons.append(f"e-mail {email} is already used on line {seen[email]}")
        tz = row.get("time_zone", "").strip() or "UTC"
        if tz not in _zone_names():
            reasons.append(f"unknown time zone {tz!r} (use a name like Europe/Berlin)")
            tz = ""
        availability: frozenset[int] = frozenset()
        try:
            local = parse_availability(row.get("availability", ""))
            if tz:
                availability = to_utc(local, tz)
        except ValueError as exc:
            reasons.append(str(exc))
        skills: dict[str, int] = {}
        try:
            skills = parse_skills(row.get("skills", ""))
        except ValueError as exc:
            reasons.append(str(exc))
        must = [e.lower() for e in _split(row.get("must_with", ""))]
        cannot = [e.lower() for e in _split(row.get("not_with", ""))]
        for e in sorted(set(must) & set(cannot)):
            reasons.append(f"{e} is in both must_with and not_with")
        if email and (email in must or email in cannot):
            reasons.append("must_with or not_with names the person themself")
        if reasons:
            out.errors.extend(f"line {line}: {r}." for r in reasons)
            if email and email not in seen:
                seen[email] = line
            continue
        seen[email] = line
        out.people.append(
            Person(
                key=email,
                name=name,
                function=row.get("function", "").strip(),
                industry=row.get("industry", "").strip(),
                organization=row.get("organization", "").strip(),
                seniority=row.get("seniority", "").strip(),
                region=tz.split("/")[0] if "/" in tz else tz,
                availability_utc=availability,
                skills=skills,
                goals=frozenset(g.lower() for g in _split(row.get("goals", ""))),
            )
        )
        out.lines.append(line)
        pending.append((line, email, must, cannot))

    must_pairs: dict[frozenset[str], int] = {}
    cannot_pairs: dict[frozenset[str], int] = {}
    for line, email, must, cannot in pending:
        for column, others, pairs in (
            ("must_with", must, must_pairs),
            ("not_with", cannot, cannot_pairs),
        ):
            for other in others:
                if other not in seen:
                    out.errors.append(
                        f"line {line}: {column} names {other}, who is not in the file."
                    )
                else:
                    pairs.setdefault(frozenset((email, other)), line)
    for pair, line in sorted(cannot_pairs.items(), key=lambda x: x[1]):
        if pair in must_pairs:
            a, b = sorted(pair)
            out.errors.append(
                f"line {line}: not_with keeps {a} and {b} apart, but line {must_pairs[pair]} "
                "puts them in must_with."
            )
    out.must_together = [_ordered(p) for p in must_pairs]
    out.cannot_together = [_ordered(p) for p in cannot_pairs]
    return out


def _ordered(pair: frozenset[str]) -> tuple[str, str]:
    """The two addresses of a pair, in order (a row never names its own person, so a pair
    always holds two)."""
    a, b = sorted(pair)
    return a, b


def _rows(fh: Iterable[str], out: PeopleFile) -> list[tuple[int, dict[str, str]]]:
    try:
        return _checked_rows(fh, out)
    except safecsv.Unreadable as error:
        out.errors.append(str(error))
        return []


def _checked_rows(fh: Iterable[str], out: PeopleFile) -> list[tuple[int, dict[str, str]]]:
    lines = safecsv.rows(fh)
    try:
        _, header = next(lines)
    except StopIteration:
        out.errors.append("line 1: the file is empty; it needs a header row.")
        return []
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in COLUMNS]
    if unknown:
        listed = ", ".join(repr(h) for h in unknown)
        out.errors.append(
            f"line 1: unknown column{'s' if len(unknown) > 1 else ''} {listed}; "
            f"the columns are {', '.join(COLUMNS)}."
        )
    for h in REQUIRED:
        if h not in names:
            out.errors.append(f"line 1: the header has no {h!r} column.")
    if len(set(names)) != len(names):
        out.errors.append("line 1: a column appears twice in the header.")
    rows = []
    for line, values in lines:
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(names):
            out.errors.append(
                f"line {line}: {len(values)} fields but the header has {len(names)} columns."
            )
            continue
        rows.append((line, dict(zip(names, values, strict=False))))
    if not rows and not out.errors:
        out.errors.append("the file has a header but no people.")
    return rows


SCORE_COLUMNS = ("total", "diversity", "complementarity", "curiosity", "schedule", "balance")


def write_cohorts(
    path: str | os.PathLike[str], problem: FormationProblem, result: FormationResult
) -> None:
    """One row per person: cohort (1-based), name, email, their attributes, and the cohort's
    size, scores, common slots and reasons. Written to a temporary file and renamed, so a
    failed write leaves no partial file."""
    by_key = {p.key: p for p in problem.people}
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".cohorts-", suffix=".csv", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            w = safecsv.writer(fh)
            w.writerow(
                [
                    "cohort",
                    "name",
                    "email",
                    "function",
                    "industry",
                    "organization",
                    "cohort_size",
                    *SCORE_COLUMNS,
                    "common_slots",
                    "reasons",
                ]
            )
            for number, (group, score) in enumerate(
                zip(result.groups, result.scores, strict=True), start=1
            ):
                values = [f"{score.total:.4f}"] + [
                    f"{score.parts[p]:.4f}" for p in SCORE_COLUMNS[1:]
                ]
                slots = "; ".join(hour_label(h) for h in score.common_slots)
                for key in group:
                    p = by_key[key]
                    w.writerow(
                        [
                            number,
                            p.name,
                            p.key,
                            p.function,
                            p.industry,
                            p.organization,
                            len(group),
                            *values,
                            slots,
                            " ".join(score.reasons),
                        ]
                    )
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
