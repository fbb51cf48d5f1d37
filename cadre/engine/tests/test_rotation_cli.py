"""`cadre rotate`: CSV in, rounds out; validation before any work; history files."""

from __future__ import annotations

import csv
import importlib
import itertools
from pathlib import Path

import pytest

from cadre.engine.rotation.cli import read_pairs_csv, rotate_main, utc_offset


def people_csv(tmp_path: Path, n: int, extra: str = "") -> Path:
    path = tmp_path / "people.csv"
    lines = ["email,name,function,organization,time_zone"]
    zones = ["Europe/Paris", "+05:30", "UTC-8", "", "Asia/Tokyo"]
    for i in range(n):
        lines.append(
            f"p{i}@ex.org,Person {i},{'eng' if i % 2 else 'ops'},org{i % 3},{zones[i % 5]}"
        )
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def read_rounds(path: Path) -> dict[tuple[str, str], list[str]]:
    groups: dict[tuple[str, str], list[str]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            groups.setdefault((row["round"], row["group"]), []).append(row["email"])
    return groups


def test_rotate_is_registered() -> None:
    commands = importlib.import_module("cadre.cli").ENGINE_COMMANDS  # no Django imported
    assert commands["rotate"] == "cadre.engine.rotation.cli:rotate_main"


def test_rounds_are_written_and_history_is_avoided(tmp_path: Path) -> None:
    people = people_csv(tmp_path, 11)
    first, second = tmp_path / "r1.csv", tmp_path / "r2.csv"
    argv = [str(people), "--size", "2", "--rounds", "3", "--seconds", "2", "--quiet"]
    assert (
        rotate_main([*argv, "--prefer-different", "function,organization", "--out", str(first)])
        == 0
    )
    groups = read_rounds(first)
    assert {r for r, _ in groups} == {"1", "2", "3"}
    for r in ("1", "2", "3"):
        sizes = sorted(len(g) for (rr, _), g in groups.items() if rr == r)
        assert sizes == [2, 2, 2, 2, 3]
    met = {frozenset(p) for g in groups.values() for p in itertools.combinations(g, 2)}
    assert (
        rotate_main([*argv[:-1], "--rounds", "1", "--history", str(first), "--out", str(second)])
        == 0
    )
    again = {
        frozenset(p) for g in read_rounds(second).values() for p in itertools.combinations(g, 2)
    }
    assert not again & met


def test_bad_rows_are_listed_with_line_numbers_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = people_csv(
        tmp_path, 4, "not-an-email,X,,,\np1@ex.org,Again,,,\np9@ex.org,Z,,,Mars/Base\n"
    )
    met = tmp_path / "met.csv"
    met.write_text("a,b\np0@ex.org,p1@ex.org\np0@ex.org\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code = rotate_main(
        [str(people), "--history", str(met), "--prefer-different", "dept", "--out", str(out)]
    )
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "line 6: email 'not-an-email'" in err
    assert "line 7: p1@ex.org is already on line 3" in err
    assert "line 8: time_zone 'Mars/Base'" in err
    assert "met.csv line 3: expected two e-mail addresses" in err
    assert "no column 'dept'" in err


def test_pairs_files_accept_a_header_and_rounds_files(tmp_path: Path) -> None:
    path = tmp_path / "met.csv"
    path.write_text("email_a,email_b\nA@x.org,b@x.org\n", encoding="utf-8")
    errors: list[str] = []
    assert read_pairs_csv(path, errors) == [("a@x.org", "b@x.org")] and not errors


def test_time_zone_names_and_offsets() -> None:
    from datetime import UTC, datetime

    winter = datetime(2026, 1, 15, tzinfo=UTC)
    assert utc_offset("Europe/Paris", winter) == 1.0
    assert utc_offset("+05:30", winter) == 5.5
    assert utc_offset("UTC-8", winter) == -8.0
    assert utc_offset("Nowhere/City", winter) is None


def test_rounds_files_neutralise_formula_text_and_read_back_as_history(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "email,name\n"
        '-dash@ex.org,"=HYPERLINK(""http://evil.example"",""x"")"\n'
        "ann@ex.org,@SUM(A1:A9)\n"
        "bob@ex.org,Bob\n"
        "cat@ex.org,Cat\n",
        encoding="utf-8",
    )
    first, second = tmp_path / "r1.csv", tmp_path / "r2.csv"
    argv = [str(people), "--size", "2", "--rounds", "1", "--seconds", "1", "--quiet"]
    assert rotate_main([*argv, "--out", str(first)]) == 0
    with first.open(newline="", encoding="utf-8") as fh:
        rows = {r["email"]: r["name"] for r in csv.DictReader(fh)}
    assert rows["'-dash@ex.org"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows["ann@ex.org"] == "'@SUM(A1:A9)" and rows["bob@ex.org"] == "Bob"
    errors: list[str] = []
    met = read_pairs_csv(first, errors)
    assert not errors and any("-dash@ex.org" in pair for pair in met)
    assert rotate_main([*argv, "--history", str(first), "--out", str(second)]) == 0
    again = {
        frozenset(p) for g in read_rounds(second).values() for p in itertools.combinations(g, 2)
    }
    earlier = {frozenset(p) for p in met}
    assert not again & earlier


def test_a_cell_over_the_csv_field_limit_is_a_reason_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quotation mark left open on line 5 swallows the rest of the file into one cell; the
    command says so (exit 2, bad input) instead of printing the csv module's message."""
    people = people_csv(tmp_path, 3, 'p8@ex.org,"Eight\n' + "x" * 140_000 + "\n")
    out = tmp_path / "out.csv"
    assert rotate_main([str(people), "--out", str(out)]) == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "people.csv line 5: a cell is longer than 131,072 characters" in err
    assert "quotation mark left open" in err
    assert "field limit" not in err
