"""Run `cadre golfer` on every row of the shared best-known table and write RESULTS.md.

Each row runs the exact command line as a subprocess (so the CLI is what is measured), and
the schedule it writes is checked here independently: every week a partition of 0..g*s-1
into g groups of s, no pair meeting twice. Only the counted weeks are reported; no answers
are stored.

    .venv/bin/python benchmarks/golfer/run.py [--seconds 60] [--rows 8-4-10,6-3-8] [--data CSV]
"""

from __future__ import annotations

import argparse
import csv
import datetime
import itertools
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "benchmarks" / "golfer" / "best_known.csv"


@dataclass
class Row:
    g: int
    s: int
    best: int
    bound: int
    reached: int = 0
    seconds: float = 0.0
    exit_code: int = -1
    method: str = ""
    command: str = ""
    problem: str = ""


def verify(text: str, g: int, s: int) -> tuple[int, str]:
    """Weeks in the file that are valid and repeat-free from the start (and a complaint)."""
    seen: set[tuple[int, int]] = set()
    everyone = list(range(g * s))
    weeks = 0
    for number, line in enumerate(text.splitlines(), 1):
        try:
            groups = [[int(p) for p in part.split()] for part in line.split(" | ")]
        except ValueError:
            return weeks, f"week {number}: not numbers"
        if len(groups) != g or any(len(group) != s for group in groups):
            return weeks, f"week {number}: not {g} groups of {s}"
        if sorted(p for group in groups for p in group) != everyone:
            return weeks, f"week {number}: not a partition of 0..{g * s - 1}"
        pairs = [pair for group in groups for pair in itertools.combinations(sorted(group), 2)]
        if seen.intersection(pairs):
            return weeks, f"week {number}: a pair meets again"
        seen.update(pairs)
        weeks += 1
    return weeks, ""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import numpy

        numpy_version = numpy.__version__
    except ImportError:
        numpy_version = "not installed"
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"NumPy {numpy_version}; {platform.system()} {platform.release()}"
    )


def run_row(row: Row, seconds: float, cadre: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{row.g}-{row.s}-{row.best}.txt"
        args = [cadre, "golfer", "--groups", str(row.g), "--size", str(row.s)]
        args += ["--weeks", str(row.best), "--seconds", f"{seconds:g}", "--out", str(out)]
        row.command = " ".join(["cadre", *args[1:-1], f"{row.g}-{row.s}-{row.best}.txt"])
        started = time.monotonic()
        done = subprocess.run(args, capture_output=True, text=True, timeout=seconds * 3 + 60)
        row.seconds = time.monotonic() - started
        row.exit_code = done.returncode
        match = re.search(r"method: (.*)", done.stderr)
        row.method = match.group(1).strip() if match else done.stderr.strip()[-200:]
        text = out.read_text() if out.exists() else ""
        row.reached, row.problem = verify(text, row.g, row.s)
        claimed = done.returncode == 0
        if claimed != (row.reached >= row.best):
            row.problem += f" exit code {done.returncode} disagrees with the file"


def targets(rows: list[Row], complete: bool) -> list[tuple[str, str]]:
    by = {(r.g, r.s): r for r in rows}

    def state(ok: bool, cells: list[Row]) -> str:
        if not cells:
            return "not run"
        return ("met" if ok else "NOT met") + ("" if complete else " (on the rows run)")

    out = []
    pairs = [r for r in rows if r.s == 2]
    out.append(
        (
            "every s = 2 row at best known in <= 1 s",
            state(all(r.reached >= r.best and r.seconds <= 1.0 for r in pairs), pairs),
        )
    )
    named = [by[k] for k in ((5, 3), (6, 3), (7, 3), (7, 4)) if k in by]
    out.append(
        (
            "best known within 60 s on 5-3-7, 6-3-8, 7-3-10, 7-4-9",
            state(all(r.reached >= r.best and r.seconds <= 61 for r in named), named),
        )
    )
    near = [r for r in rows if r.s in (3, 4) and r.g <= 8]
    out.append(
        (
            "within one week of best known on every s in {3, 4}, g <= 8 row",
            state(all(r.reached >= r.best - 1 for r in near), near),
        )
    )
    total_best = sum(r.best for r in rows)
    total = sum(min(r.reached, r.best) for r in rows)
    share = total / total_best if total_best else 0.0
    out.append(
        (
            f">= 90% of best-known weeks in total ({total}/{total_best} = {share:.1%})",
            state(share >= 0.9, rows),
        )
    )
    small = [r for r in rows if r.s <= 4]
    missed = ", ".join(f"{r.g}-{r.s}" for r in small if r.reached < r.best) or "none"
    out.append(
        (
            f"stretch: best known on every s <= 4 row (missed: {missed})",
            state(all(r.reached >= r.best for r in small), small),
        )
    )
    return out


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def write_results(
    rows: list[Row],
    seconds: float,
    argv: list[str],
    path: Path,
    complete: bool,
    load_before: str = "",
) -> None:
    lines = [
        "# Social Golfer benchmark results",
        "",
        f"Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}  ",
        f"Machine: {machine()}  ",
        f"Time limit per row: {seconds:g} s  ",
        f"Load average (1, 5, 15 min) when it started: {load_before}; when it ended:"
        f" {load_average()} (2 cores, shared: times depend on it)  ",
        "Reproduce: `make bench-golfer` (or `.venv/bin/python benchmarks/golfer/run.py"
        + (" " + " ".join(argv) if argv else "")
        + "`)",
        "",
        "Each row ran `cadre golfer` as a subprocess; weeks reached were counted by run.py's own",
        "check of the written file (a partition every week, no pair twice). Best known values",
        "come from ../shared/benchmarks/golfer/best_known.csv.",
        "",
        "## Targets",
        "",
    ]
    lines += [f"- {name}: **{state}**" for name, state in targets(rows, complete)]
    lines += [
        "",
        "## Rows",
        "",
        "| g | s | best known | weeks reached | time (s) | method | command |",
        "| ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        reached = f"{r.reached}" + ("" if r.reached >= r.best else " (short)")
        note = f" — {r.problem.strip()}" if r.problem else ""
        lines.append(
            f"| {r.g} | {r.s} | {r.best} | {reached} | {r.seconds:.2f} | {r.method}{note} "
            f"| `{r.command}` |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="best_known.csv")
    parser.add_argument("--seconds", type=float, default=60.0, help="limit per row (60)")
    parser.add_argument("--rows", default="", help="comma-separated g-s filters, e.g. 8-4,6-3")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="report file")
    args = parser.parse_args(argv)
    load_before = load_average()
    if not args.data.is_file():
        print(
            f"run.py: the best-known table {args.data} is missing; "
            "pass --data PATH to the g,s,best_known_weeks CSV",
            file=sys.stderr,
        )
        return 2
    wanted = {tuple(int(x) for x in item.split("-")[:2]) for item in args.rows.split(",") if item}
    rows = []
    with args.data.open(newline="", encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            g, s = int(rec["g"]), int(rec["s"])
            if wanted and (g, s) not in wanted:
                continue
            rows.append(Row(g, s, int(rec["best_known_weeks"]), int(rec["upper_bound"])))
    cadre = str(Path(sys.executable).with_name("cadre"))
    for row in rows:
        run_row(row, args.seconds, cadre)
        flag = "" if row.reached >= row.best else "  SHORT"
        print(
            f"{row.g}-{row.s}: {row.reached}/{row.best} weeks in {row.seconds:.2f} s "
            f"[{row.method}]{flag} {row.problem}",
            flush=True,
        )
    write_results(rows, args.seconds, argv, args.out, complete=not wanted, load_before=load_before)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
