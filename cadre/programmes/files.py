"""Programme files: JSON (read and written with the standard library), one programme a file.

    {"format": "cadre-programme/1", "title": "...", "summary": "...", "session_minutes": 60,
     "weeks": [{"week": 1, "theme": "...",
                "blocks": [{"kind": "check_in", "title": "...", "minutes": 10, "notes": ""}],
                "prompts": ["..."],
                "experiment": {"title": "...", "hypothesis": "...", "measure": "..."},
                "reading": [{"title": "...", "link": "https://..."},
                            {"title": "...", "library": "<a library item's title>"}]}]}

`parse` checks a whole file and gives every problem with where it is ("week 3, block 2:
minutes must be a whole number"), so nothing is half saved; `dump` writes what `parse`
reads, so an exported programme imports as it was."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from cadre.lib.rules import Refused
from cadre.schedule.models import AgendaKind

FORMAT = "cadre-programme/1"
LIBRARY = Path(__file__).parent / "library"
MAX_WEEKS = 52
MAX_BLOCKS = 12
MAX_PROMPTS = 6
MAX_READINGS = 5
MAX_BYTES = 500_000
KINDS = ", ".join(AgendaKind.values)


@dataclass
class WeekData:
    number: int
    theme: str
    blocks: list[dict[str, Any]]
    prompts: list[str]
    experiment: dict[str, str]
    readings: list[dict[str, str]]


@dataclass
class ProgrammeData:
    title: str
    summary: str
    session_minutes: int
    weeks: list[WeekData] = field(default_factory=list)


class ProgrammeFileRefused(Refused):
    """A programme file with problems: `problems` lists each with where it is."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:20]
        listed = "; ".join(shown)
        if len(problems) > len(shown):
            message = _("The programme file has problems: %(problems)s (and %(more)s more).") % {
                "problems": listed,
                "more": len(problems) - len(shown),
            }
        else:
            message = _("The programme file has problems: %(problems)s.") % {"problems": listed}
        super().__init__(
            message,
            field="file",
            detail={"problems": problems},
        )
        self.problems = problems


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def text(self, where: str, value: Any, name: str, limit: int, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{where}{name} must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.problems.append(f"{where}{name} is missing")
        elif len(value) > limit:
            self.problems.append(f"{where}{name} is longer than {limit} characters")
        return value

    def block(self, where: str, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}must be an object with kind, title and minutes")
            return {}
        kind = raw.get("kind", AgendaKind.OTHER.value)
        if kind not in AgendaKind.values:
            self.problems.append(f"{where}kind must be one of {KINDS}")
        given = raw.get("minutes")
        minutes = given if isinstance(given, int) and _whole(given) else 0
        if not _whole(given):
            self.problems.append(f"{where}minutes must be a whole number")
        elif minutes < 1:
            self.problems.append(f"{where}minutes must be at least 1")
        return {
            "kind": kind,
            "title": self.text(where, raw.get("title"), "title", 120),
            "minutes": minutes,
            "notes": self.text(where, raw.get("notes"), "notes", 300, required=False),
        }

    def week(self, position: int, raw: Any, session_minutes: int) -> WeekData | None:
        where = f"week {position}: "
        if not isinstance(raw, dict):
            self.problems.append(f"{where}must be an object with a theme and blocks")
            return None
        number = raw.get("week", position)
        if number != position:
            self.problems.append(
                f"{where}its number must be {position} (weeks run 1, 2, 3… in order)"
            )
        theme = self.text(where, raw.get("theme"), "theme", 120)
        raw_blocks = raw.get("blocks")
        blocks: list[dict[str, Any]] = []
        if not isinstance(raw_blocks, list) or not raw_blocks:
            self.problems.append(f"{where}blocks must be a list of at least one block")
        elif len(raw_blocks) > MAX_BLOCKS:
            self.problems.append(f"{where}has more than {MAX_BLOCKS} blocks")
        else:
            blocks = [
                self.block(f"week {position}, block {i}: ", b) for i, b in enumerate(raw_blocks, 1)
            ]
            total = sum(b.get("minutes", 0) for b in blocks)
            whole = all(isinstance(b, dict) and _whole(b.get("minutes")) for b in raw_blocks)
            if whole and total != session_minutes:
                self.problems.append(
                    f"{where}the blocks add up to {total} minutes, "
                    f"not the programme's {session_minutes}"
                )
        raw_prompts = raw.get("prompts", [])
        prompts: list[str] = []
        if not isinstance(raw_prompts, list) or len(raw_prompts) > MAX_PROMPTS:
            self.problems.append(
                f"{where}prompts must be a list of at most {MAX_PROMPTS} questions"
            )
        else:
            prompts = [
                self.text(f"week {position}, prompt {i}: ", p, "the question", 300)
                for i, p in enumerate(raw_prompts, 1)
            ]
        experiment: dict[str, str] = {}
        raw_experiment = raw.get("experiment")
        if raw_experiment is not None:
            at = f"week {position}, experiment: "
            if not isinstance(raw_experiment, dict):
                self.problems.append(f"{at}must be an object with title, hypothesis and measure")
            else:
                experiment = {
                    "title": self.text(at, raw_experiment.get("title"), "title", 120),
                    "hypothesis": self.text(
                        at, raw_experiment.get("hypothesis"), "hypothesis", 1000
                    ),
                    "measure": self.text(at, raw_experiment.get("measure"), "measure", 200),
                }
        raw_reading = raw.get("reading", [])
        readings: list[dict[str, str]] = []
        if not isinstance(raw_reading, list) or len(raw_reading) > MAX_READINGS:
            self.problems.append(f"{where}reading must be a list of at most {MAX_READINGS} items")
        else:
            for i, r in enumerate(raw_reading, 1):
                readings.append(self.reading(f"week {position}, reading {i}: ", r))
        return WeekData(position, theme, blocks, prompts, experiment, readings)

    def reading(self, where: str, raw: Any) -> dict[str, str]:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}must be an object with a title and a link or library")
            return {}
        title = self.text(where, raw.get("title"), "title", 200)
        link, library = raw.get("link"), raw.get("library")
        if (link is None) == (library is None):
            self.problems.append(f"{where}give either a link or a library item's title")
            return {"title": title}
        if link is not None:
            link = self.text(where, link, "link", 500)
            if link and not link.startswith(("https://", "http://")):
                self.problems.append(f"{where}link must start with https:// or http://")
            return {"title": title, "link": link}
        return {"title": title, "library": self.text(where, library, "library", 200)}


def parse(content: bytes | str) -> ProgrammeData:
    """Check a programme file and return what it holds, or raise ProgrammeFileRefused with
    every problem found."""
    if isinstance(content, bytes):
        if len(content) > MAX_BYTES:
            raise ProgrammeFileRefused([f"the file is larger than {MAX_BYTES // 1000} kB"])
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ProgrammeFileRefused(["the file is not UTF-8 text"]) from None
    try:
        raw = json.loads(content)
    except json.JSONDecodeError as error:
        raise ProgrammeFileRefused(
            [f"the file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"]
        ) from None
    if not isinstance(raw, dict):
        raise ProgrammeFileRefused(["the file must hold one programme: a JSON object"])
    check = _Checker()
    if raw.get("format", FORMAT) != FORMAT:
        check.problems.append(f"format must be {FORMAT!r}")
    title = check.text("", raw.get("title"), "title", 120)
    summary = check.text("", raw.get("summary"), "summary", 2000, required=False)
    minutes = raw.get("session_minutes", 60)
    if not _whole(minutes) or not 15 <= minutes <= 480:
        check.problems.append("session_minutes must be a whole number from 15 to 480")
        minutes = 60
    raw_weeks = raw.get("weeks")
    weeks: list[WeekData] = []
    if not isinstance(raw_weeks, list) or not raw_weeks:
        check.problems.append("weeks must be a list of at least one week")
    elif len(raw_weeks) > MAX_WEEKS:
        check.problems.append(f"a programme has at most {MAX_WEEKS} weeks")
    else:
        for position, w in enumerate(raw_weeks, 1):
            week = check.week(position, w, minutes)
            if week is not None:
                weeks.append(week)
    if check.problems:
        raise ProgrammeFileRefused(check.problems)
    return ProgrammeData(title, summary, minutes, weeks)


def as_dict(data: ProgrammeData) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "title": data.title,
        "summary": data.summary,
        "session_minutes": data.session_minutes,
        "weeks": [
            {
                "week": w.number,
                "theme": w.theme,
                "blocks": w.blocks,
                "prompts": w.prompts,
                "experiment": w.experiment or None,
                "reading": w.readings,
            }
            for w in data.weeks
        ],
    }


def dump(data: ProgrammeData) -> str:
    return json.dumps(as_dict(data), indent=2, ensure_ascii=False) + "\n"


def shipped() -> dict[str, Path]:
    """The programmes that come with Cadre: slug -> file (cadre/programmes/library)."""
    return {p.stem: p for p in sorted(LIBRARY.glob("*.json"))}
