"""The translation catalogues Cadre ships (cadre/locale/<language>/LC_MESSAGES/django.po and
.mo), and what makes one complete: `cadre catalogues --check` (docs/languages.md).

A catalogue is complete when

- it holds every string the source marks for translation (a fresh `makemessages` run), and
  none the source no longer has;
- every string has a translation, none of them fuzzy;
- a translation keeps its original's placeholders (`%(name)s`, `%s`, `{name}`) and HTML tags,
  no more and no fewer;
- its compiled .mo says exactly what the .po says (the .mo files are committed, so a fresh
  machine needs no gettext tools to run Cadre).
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# What `cadre catalogues` passes to Django's makemessages, for the catalogues and the check.
MAKEMESSAGES_OPTIONS = {
    "domain": "django",
    "add_location": "file",
    "no_obsolete": True,
    "no_wrap": True,
    "ignore_patterns": ["tests", "benchmarks", "docs", "contrib", "var", "locale", "demo"],
}

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


@dataclass
class Entry:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line))


def parse_po(text: str) -> list[Entry]:
    """The live entries of a .po file (obsolete `#~` ones left out), header included."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which field a continuation line adds to
    flags: set[str] = set()

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            flags = set()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"A string outside an entry: {raw!r}")
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _unquote(line))
            continue
        if keyword == "msgctxt" or (keyword == "msgid" and current is not None and current.msgstr):
            finish()
        if current is None:
            current = Entry(msgid="", flags=flags)
        if keyword in {"msgctxt", "msgid", "msgid_plural"}:
            setattr(current, keyword, _unquote(rest))
            target = (keyword, 0)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            current.msgstr.append(_unquote(rest))
            target = ("msgstr", len(current.msgstr) - 1)
        else:
            raise ValueError(f"Not a line of a .po file: {raw!r}")
    finish()
    return entries


def marks(text: str) -> Counter[str]:
    """The placeholders and HTML tag names in a string, with how often each appears."""
    return Counter(PLACEHOLDER.findall(text)) + Counter(f"<{t}>" for t in TAG.findall(text))


def problems_of(entry: Entry) -> list[str]:
    """What is wrong with one translated entry ([] when nothing is)."""
    found: list[str] = []
    if "fuzzy" in entry.flags:
        found.append("is marked fuzzy")
    if not entry.msgstr or any(not s for s in entry.msgstr):
        found.append("has no translation")
        return found
    if entry.msgid_plural:
        allowed = marks(entry.msgid) | marks(entry.msgid_plural)
        for s in entry.msgstr:
            extra = marks(s) - allowed
            if extra:
                found.append(f"adds {sorted(extra)}")
        # The plural forms together keep every placeholder of the plural original.
        together = Counter[str]()
        for s in entry.msgstr:
            together |= marks(s)
        lost = marks(entry.msgid_plural) - together
        if lost:
            found.append(f"loses {sorted(lost)}")
    else:
        want, got = marks(entry.msgid), marks(entry.msgstr[0])
        if want != got:
            lost, extra = want - got, got - want
            if lost:
                found.append(f"loses {sorted(lost)}")
            if extra:
                found.append(f"adds {sorted(extra)}")
    return found


def check(po_path: Path, fresh_keys: set[tuple[str | None, str]]) -> list[str]:
    """Every way the catalogue at `po_path` (and its .mo beside it) falls short."""
    name = po_path.parent.parent.name
    entries = [e for e in parse_po(po_path.read_text(encoding="utf-8")) if e.msgid]
    shipped = {e.key: e for e in entries}
    out: list[str] = []
    for key in sorted(fresh_keys - set(shipped), key=str):
        out.append(f"{name}: missing {key[1]!r}")
    for key in sorted(set(shipped) - fresh_keys, key=str):
        out.append(f"{name}: {key[1]!r} is no longer in the source")
    for entry in entries:
        for problem in problems_of(entry):
            out.append(f"{name}: {entry.msgid!r} {problem}")
    out += _mo_differs(po_path, entries)
    return out


def _mo_differs(po_path: Path, entries: list[Entry]) -> list[str]:
    mo_path = po_path.with_suffix(".mo")
    name = po_path.parent.parent.name
    if not mo_path.exists():
        return [f"{name}: {mo_path.name} is missing: run `cadre catalogues`"]
    with mo_path.open("rb") as handle:
        # What the .mo holds: gettext keeps it in `_catalog` (plural forms keyed (msgid, n)).
        catalog: dict[object, str] = vars(gettext.GNUTranslations(handle))["_catalog"]
    compiled = {k: v for k, v in catalog.items() if k != ""}
    expected: dict[object, str] = {}
    for e in entries:
        if "fuzzy" in e.flags or not all(e.msgstr):
            continue
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural:
            for i, s in enumerate(e.msgstr):
                expected[(msgid, i)] = s
        else:
            expected[msgid] = e.msgstr[0]
    if compiled != expected:
        return [f"{name}: {mo_path.name} does not match {po_path.name}: run `cadre catalogues`"]
    return []
