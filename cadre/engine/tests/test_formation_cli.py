"""`cadre form` and its CSV files: every bad-input reason with its line number (and nothing
written), time-zone conversion, and the command end to end on a small file."""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cadre.engine.formation.cli import form_main
from cadre.engine.formation.csvio import parse_availability, read_people, to_utc

HEADER = "name,email,function,industry,organization,seniority,time_zone,availability,skills,goals,must_with,not_with\n"
EXAMPLE = Path(__file__).parents[1] / "formation" / "example_people.csv"


def good_rows(n: int = 8) -> str:
    functions = ["Engineering", "Design", "Sales", "Operations"]
    return "".join(
        f"Person {i},p{i}@example.org,{functions[i % 4]},Retail,Org {i % 3},mid,Europe/Berlin,"
        f"Mon-Fri 09-12,facilitation:{i % 5}; data-analysis:2,experimentation,,\n"
        for i in range(n)
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run_form(tmp_path: Path, text: str, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "cohorts.csv"
    argv = [str(write(tmp_path, text)), "--size", "4-4", "--seconds", "2", "--out", str(out)]
    code = form_main([*argv, *extra], started=time.monotonic())
    return code, out


BAD_ROWS = [
    ("Ann,ann@x.org,,,,,Mars/Base,,,,,\n", "line 10: unknown time zone 'Mars/Base'"),
    ("Ann,ann@x.org,,,,,,,facilitation:7,,,\n", "line 10: skill 'facilitation' has level 7"),
    ("Ann,ann@x.org,,,,,,,facilitation,,,\n", "line 10: skill 'facilitation' needs a level"),
    ("Ann,p3@example.org,,,,,,,,,,\n", "line 10: e-mail p3@example.org is already used on line 5"),
    ("Ann,ann@x.org,,,,,,,,,nobody@x.org,\n", "line 10: must_with names nobody@x.org"),
    ("Ann,ann@x.org,,,,,,,,,,nobody@x.org\n", "line 10: not_with names nobody@x.org"),
    (
        "Ann,ann@x.org,,,,,,,,,p1@example.org,p1@example.org\n",
        "line 10: p1@example.org is in both must_with and not_with",
    ),
    ("Ann,ann@x.org,,,,,,Mon 9am,,,,\n", "line 10: cannot read availability 'Mon 9am'"),
    ("Ann,ann@x.org,,,,,,Mon 12-09,,,,\n", "line 10: availability 'Mon 12-09' must run forwards"),
    ("Ann,not-an-address,,,,,,,,,,\n", "line 10: 'not-an-address' is not an e-mail address"),
    (",ann@x.org,,,,,,,,,,\n", "line 10: name is empty"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_bad_row_stops_the_run_with_its_line_and_reason_and_writes_nothing(
    tmp_path: Path, row: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_form(tmp_path, HEADER + good_rows(8) + row)
    assert code == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert reason in err
    assert "nothing was formed" in err
    assert "forming [" not in err  # no search started


def test_every_bad_row_is_listed_not_just_the_first(tmp_path: Path) -> None:
    text = HEADER + good_rows(4) + BAD_ROWS[0][0] + BAD_ROWS[1][0].replace("ann@", "bob@")
    people = read_people(write(tmp_path, text))
    assert [e.split(":")[0] for e in people.errors] == ["line 6", "line 7"]


def test_a_not_with_contradicting_another_rows_must_with_names_both_lines(tmp_path: Path) -> None:
    text = (
        HEADER
        + "A,a@x.org,,,,,,,,,b@x.org,\n"
        + "B,b@x.org,,,,,,,,,,a@x.org\n"
        + "C,c@x.org,,,,,,,,,,\nD,d@x.org,,,,,,,,,,\n"
    )
    assert read_people(write(tmp_path, text)).errors == [
        "line 3: not_with keeps a@x.org and b@x.org apart, but line 2 puts them in must_with."
    ]


def test_an_unknown_column_and_a_missing_email_column_are_header_errors(tmp_path: Path) -> None:
    errors = read_people(write(tmp_path, "name,mail\nAnn,ann@x.org\n")).errors
    assert errors == [
        "line 1: unknown column 'mail'; the columns are " + HEADER.strip().replace(",", ", ") + ".",
        "line 1: the header has no 'email' column.",
    ]


def test_sizes_that_cannot_hold_everyone_stop_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_form(tmp_path, HEADER + good_rows(9))
    assert code == 2
    assert not out.exists()
    assert "No number of cohorts of 4–4 people holds exactly 9 people." in capsys.readouterr().err


def test_availability_is_read_in_local_time_and_shifted_to_utc() -> None:
    assert parse_availability("Mon 09-11; Sun-Mon 23-24") == [9, 10, 23, 167]
    berlin = to_utc(parse_availability("Mon 09-11"), "Europe/Berlin")  # UTC+1 in January
    assert berlin == {8, 9}
    tokyo = to_utc(parse_availability("Mon 02-03"), "Asia/Tokyo")  # UTC+9: Sunday 17:00
    assert tokyo == {6 * 24 + 17}


def test_the_command_forms_cohorts_and_writes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_form(
        tmp_path,
        HEADER + good_rows(8),
        "--session-minutes",
        "90",
        "--seed",
        "3",
        "--max-iterations",
        "3000",
    )
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    assert sorted(r["email"] for r in rows) == sorted(f"p{i}@example.org" for i in range(8))
    assert {r["cohort"] for r in rows} == {"1", "2"}
    assert {r["cohort_size"] for r in rows} == {"4"}
    first = rows[0]
    for column in ("total", "diversity", "complementarity", "curiosity", "schedule", "balance"):
        assert 0.0 <= float(first[column]) <= 1.0
    assert first["common_slots"].startswith("Mon 08:00 UTC")  # 09:00 in Berlin
    captured = capsys.readouterr()
    assert "forming [" in captured.err and "100%" in captured.err
    for label in ("Cohort 1", "functions", "industries", "organizations", "skill coverage"):
        assert label in captured.out
    assert "common slots" in captured.out and "score parts" in captured.out


def test_the_example_file_runs_through_the_cadre_command_without_django(tmp_path: Path) -> None:
    out = tmp_path / "cohorts.csv"
    argv = ["form", str(EXAMPLE), "--size", "4-5", "--seconds", "5", "--quiet"]
    argv += ["--max-iterations", "2000", "--out", str(out)]
    script = (
        "import sys; from cadre.cli import main; code = main(['cadre', *sys.argv[1:]]); "
        "assert 'django' not in sys.modules, 'Django was imported'; raise SystemExit(code)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no settings, no database
    done = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 16
    together = {r["email"]: r["cohort"] for r in rows}
    assert together["sofia@example.org"] == together["lucas@example.org"]  # must_with
    assert together["farid@example.org"] != together["grace@example.org"]  # not_with
    assert done.stdout.startswith("feasible: ")


def test_the_cohorts_file_neutralises_formula_text_from_the_people_file(tmp_path: Path) -> None:
    hostile = good_rows(8).replace("Person 0,", '"=HYPERLINK(""http://evil.example"",""x"")",', 1)
    hostile = hostile.replace("Org 1", "@SUM(A1:A9)").replace("Retail", "-2+3")
    code, out = run_form(tmp_path, HEADER + hostile, "--max-iterations", "500")
    assert code == 0
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    names = {r["email"]: r["name"] for r in rows}
    assert names["p0@example.org"] == '\'=HYPERLINK("http://evil.example","x")'
    assert "'@SUM(A1:A9)" in {r["organization"] for r in rows}
    assert {r["industry"] for r in rows} == {"'-2+3"}
    text = out.read_text(encoding="utf-8")
    assert ",=" not in text and ",@" not in text and ",-2+3" not in text


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "Ann,ann@x.org," + "x" * 200_000 + ",,,,,,,,,\n",
            "line 10: a cell is longer than 131,072 characters",
        ),
        (
            'Ann,ann@x.org,"Engineering,,,,,,,,,\n' + "x" * 140_000 + "\n",
            "line 10: a cell is longer than 131,072 characters; is a quotation mark left open?",
        ),
        ("Ann,ann@x.org,Engi\0neering,,,,,,,,,\n", "line 10: the file holds a NUL character"),
    ],
)
def test_a_file_the_csv_reader_cannot_read_is_a_reason_not_a_traceback(
    tmp_path: Path, row: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell over the csv module's field limit (often a quotation mark left open) or a NUL
    character (which the csv module reads, but no database stores) stops the run as bad input (exit code 2, not 1, which means "no feasible
    assignment"), with the line and a reason a person can act on."""
    code, out = run_form(tmp_path, HEADER + good_rows(8) + row)
    err = capsys.readouterr().err
    assert (code, out.exists()) == (2, False), err
    assert reason in err
    assert "Traceback" not in err and "Error" not in err
