"""Formation benchmark: `cadre form` against random assignment and the greedy baseline on
the demo network's applicants, planted instances against today's engine, and a 10,000-person
scale run; writes RESULTS.md here.

    .venv/bin/python benchmarks/formation/run.py [--seconds 30] [--scale-people 10000]

1. Builds the demo into a throw-away SQLite database (`cadre demo`) and exports the active
   applications of its open intake ("Autumn Intake") to CSV with export_demo.py run
   inside `cadre shell`.
2. Runs `cadre form` on that CSV with the intake's cohort sizes and session length (for
   --seeds seeds), and scores its cohorts, random assignments (mean over 20 seeds) and the
   greedy baseline with the same score_groups; and once with the engine of --old-ref
   ("today's engine", taken from git into a temporary folder, never committed) for the
   cohorts that can meet.
3. Planted instances (planted.py: 120 people in cohorts of 5-7 and 240 in cohorts of 6-8,
   --planted-seeds seeds each, where a partition into cohorts that can all meet is known to
   exist): `cadre form` with and without --require-slot, and today's engine the same way,
   for the share of cohorts that can meet, the wall time and the other score parts.
4. Builds a second demo database with --scale-people people, exports every profile, and
   runs `cadre form --size 6-8 --session-minutes 60 --require-slot --seconds 60` under
   /usr/bin/time -v for wall time and peak resident memory.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# `python -m cadre` from the checkout, so that a work tree runs its own code.
CADRE = [sys.executable, "-m", "cadre"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from planted import planted_people, write_people  # noqa: E402

from cadre.engine.formation import (  # noqa: E402
    FormationProblem,
    greedy_assignment,
    random_assignment,
    score_groups,
)
from cadre.engine.formation.csvio import read_people  # noqa: E402

PARTS = ("diversity", "complementarity", "curiosity", "schedule", "balance")
OTHER_PARTS = ("diversity", "complementarity", "curiosity", "balance")
RANDOM_SEEDS = 20
PLANTED = ((120, 5, 7), (240, 6, 8))  # people, smallest and largest cohort
# Today's engine: the last commit before cohorts that can meet came first (issue 13).
OLD_REF = "aae5658"
OLD_FORM = "import sys; from cadre.engine.formation.cli import form_main; sys.exit(form_main(sys.argv[1:]))"


def sh(cmd: list[str], env: dict[str, str] | None = None) -> str:
    print("$", " ".join(shlex.quote(c) for c in cmd), flush=True)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in (0,):
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed ({done.returncode}): {cmd[:3]}")
    return done.stdout


def demo_csv(work: Path, name: str, kind: str, people: int | None) -> Path:
    env = dict(os.environ, DEBUG="1", DATABASE_URL=f"sqlite:///{work / name}.sqlite3")
    cmd = [*CADRE, "demo"] + (["--people", str(people)] if people else [])
    sh(cmd, env)
    out = work / f"{name}.csv"
    env.update(FORMATION_EXPORT=kind, FORMATION_OUT=str(out))
    print(sh([*CADRE, "shell", "-c", (HERE / "export_demo.py").read_text()], env).strip())
    return out


def old_engine(work: Path, ref: str) -> Path:
    """Today's engine (cadre/engine at `ref`) unpacked from git into a temporary folder;
    returns the folder to put on PYTHONPATH."""
    where = work / "old-engine"
    where.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "cadre/__init__.py", "cadre/engine"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    return where


def timed_form(
    args: list[str], *, old: Path | None = None, infeasible_ok: bool = False
) -> tuple[dict[str, float], str]:
    """Run `cadre form` (or today's engine from `old`) under /usr/bin/time -v: wall seconds,
    peak RSS in MB, stdout. Exit code 1 (infeasible) is accepted when infeasible_ok."""
    engine = [sys.executable, "-c", OLD_FORM] if old else [*CADRE, "form"]
    cmd = ["/usr/bin/time", "-v", *engine, *args]
    shown = ["today's engine:" if old else "cadre", "form", *args]
    print("$", " ".join(shlex.quote(c) for c in shown), flush=True)
    env = dict(os.environ, PYTHONPATH=str(old)) if old else None
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=old or ROOT, env=env)
    if done.returncode not in ((0, 1) if infeasible_ok else (0,)):
        sys.stderr.write(done.stderr)
        raise SystemExit(f"cadre form failed ({done.returncode})")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and rss
    seconds = 0.0
    for piece in wall[1].split(":"):
        seconds = seconds * 60 + float(piece)
    return {"wall": seconds, "rss_mb": int(rss[1]) / 1024}, done.stdout


def cohorts_from(path: Path) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            groups.setdefault(row["cohort"], []).append(row["email"])
    return [groups[k] for k in sorted(groups, key=int)]


def summary(problem: FormationProblem, groups: list[list[str]]) -> dict[str, float]:
    scores = score_groups(problem, groups)
    out = {p: statistics.fmean(s.parts[p] for s in scores) for p in PARTS}
    out["objective"] = sum(s.total for s in scores)
    out["meet"] = sum(1 for s in scores if s.common_slots)
    out["cohorts"] = len(scores)
    out["cohorts with a common slot"] = out["meet"] / len(scores)
    return out


RUNS = (
    ("today, default", True, False),
    ("today, --require-slot", True, True),
    ("cadre form, default", False, False),
    ("cadre form, --require-slot", False, True),
)


def planted_runs(work: Path, old: Path, seeds: list[int], seconds: float) -> list[dict]:
    """Every planted instance formed by today's engine and this one, with and without
    --require-slot; also the planted answer's own scores."""
    found = []
    for n, low, high in PLANTED:
        for seed in seeds:
            rows = planted_people(n, low, high, seed)
            path = work / f"planted-{n}-{seed}.csv"
            write_people(path, rows)
            problem = problem_for(path, low, high, 60)
            answer: dict[str, list[str]] = {}
            for row in rows:
                answer.setdefault(row["planted"], []).append(row["email"])
            entry: dict = {"n": n, "size": f"{low}-{high}", "seed": seed}
            entry["planted answer"] = summary(problem, list(answer.values()))
            for label, today, required in RUNS:
                out = work / f"planted-{n}-{seed}-{len(entry)}.csv"
                form_args = [str(path), "--size", f"{low}-{high}", "--session-minutes", "60"]
                form_args += ["--seconds", f"{seconds:g}", "--seed", "0", "--quiet"]
                form_args += ["--out", str(out)] + (["--require-slot"] if required else [])
                run, _ = timed_form(form_args, old=old if today else None, infeasible_ok=True)
                entry[label] = {**summary(problem, cohorts_from(out)), "wall": run["wall"]}
            found.append(entry)
    return found


def planted_lines(found: list[dict], seconds: float) -> list[str]:
    labels = ["planted answer", *(label for label, _, _ in RUNS)]
    lines = [
        "## Planted instances: cohorts that can meet",
        "",
        "People files from `benchmarks/formation/planted.py` (fixed seeds; 3 to 6 time zones; "
        "everyone free at their planted cohort's hidden hour and at 3 to 6 other hours of the "
        "working week, in runs of one to three hours), so a partition into cohorts that can "
        "all meet for 60 minutes is known to exist. Each file is formed by today's engine "
        f"(commit {OLD_REF}, taken from git) and by this one, with and without "
        f"`--require-slot`, with `--session-minutes 60 --seconds {seconds:g} --seed 0`. "
        '"Can meet" counts cohorts over all seeds; the parts are means over the seeds of '
        "the mean over cohorts; wall is the whole command's.",
        "",
    ]
    for n, low, high in PLANTED:
        mine = [e for e in found if e["n"] == n]
        seeds = ", ".join(str(e["seed"]) for e in mine)
        lines += [
            f"### {n} people, cohorts of {low}–{high} (seeds {seeds})",
            "",
            "| run | can meet | share | wall s (max) | "
            + " | ".join(OTHER_PARTS)
            + " | schedule | objective |",
            "| --- | ---: | ---: | ---: | "
            + " | ".join("---:" for _ in OTHER_PARTS)
            + " | ---: | ---: |",
        ]
        for label in labels:
            runs = [e[label] for e in mine]
            meet = sum(int(r["meet"]) for r in runs)
            cohorts = sum(int(r["cohorts"]) for r in runs)
            wall = f"{max(r['wall'] for r in runs):.1f}" if "wall" in runs[0] else "–"
            parts = " | ".join(f"{statistics.fmean(r[p] for r in runs):.3f}" for p in OTHER_PARTS)
            schedule = statistics.fmean(r["schedule"] for r in runs)
            objective = statistics.fmean(r["objective"] for r in runs)
            lines.append(
                f"| {label} | {meet} of {cohorts} | {meet / cohorts:.0%} | {wall} | {parts} | "
                f"{schedule:.3f} | {objective:.2f} |"
            )
        lines += [
            "",
            "The other parts of this engine against today's (relative change of the mean):",
            "",
        ]
        lines += [
            "| this engine | against today's | " + " | ".join(OTHER_PARTS) + " |",
            "| --- | --- | " + " | ".join("---:" for _ in OTHER_PARTS) + " |",
        ]
        for mine_label, today_label in (
            ("cadre form, default", "today, default"),
            ("cadre form, --require-slot", "today, --require-slot"),
            ("cadre form, --require-slot", "today, default"),
        ):
            changes = []
            for part in OTHER_PARTS:
                new = statistics.fmean(e[mine_label][part] for e in mine)
                old = statistics.fmean(e[today_label][part] for e in mine)
                changes.append(f"{(new - old) / old:+.1%}")
            lines.append(f"| {mine_label} | {today_label} | " + " | ".join(changes) + " |")
        lines.append("")
    return lines


def compare(problem: FormationProblem, groups: list[list[str]], seeds: int) -> dict[str, dict]:
    t = time.monotonic()
    randoms = [summary(problem, random_assignment(problem, s)) for s in range(seeds)]
    rand = {k: statistics.fmean(r[k] for r in randoms) for k in randoms[0]}
    greedy = summary(problem, greedy_assignment(problem))
    print(f"baselines scored in {time.monotonic() - t:.1f} s", flush=True)
    return {"random": rand, "greedy": greedy, "cadre form": summary(problem, groups)}


def table(rows: dict[str, dict], random_label: str) -> list[str]:
    keys = [*PARTS, "cohorts with a common slot", "objective"]
    lines = [
        f"| measure | {random_label} | greedy | cadre form | beats both |",
        "| --- | ---: | ---: | ---: | :---: |",
    ]
    for k in keys:
        r, g, c = rows["random"][k], rows["greedy"][k], rows["cadre form"][k]
        fmt = "{:.2f}" if k == "objective" else "{:.3f}"
        beats = "yes" if c > r and c > g else "no"
        lines.append(f"| {k} | {fmt.format(r)} | {fmt.format(g)} | {fmt.format(c)} | {beats} |")
    return lines


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except OSError:
        mem = "unknown RAM"
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, {mem}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}"
    )


def problem_for(path: Path, low: int, high: int, minutes: int | None) -> FormationProblem:
    people = read_people(path)
    if people.errors:
        raise SystemExit("\n".join(people.errors))
    return FormationProblem(
        people.people,
        min_size=low,
        max_size=high,
        must_together=people.must_together,
        cannot_together=people.cannot_together,
        session_minutes=minutes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="budget on the applicants")
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--seeds", type=int, default=5, help="seeds run on the applicants")
    parser.add_argument("--scale-people", type=int, default=10000)
    parser.add_argument("--scale-seconds", type=float, default=60)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--planted-seeds", type=int, default=3, help="seeds per planted size")
    parser.add_argument("--planted-seconds", type=float, default=30)
    parser.add_argument("--skip-planted", action="store_true")
    parser.add_argument("--old-ref", default=OLD_REF, help="git commit of today's engine")
    args = parser.parse_args()
    started = dt.datetime.now(dt.UTC)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()

    with tempfile.TemporaryDirectory(prefix="cadre-formation-bench-") as tmp:
        work = Path(tmp)
        # 1-2. The demo network's applicants.
        applicants = demo_csv(work, "demo", "applicants", None)
        settings = json.loads(Path(f"{applicants}.json").read_text())
        low, high, minutes = settings["min_size"], settings["max_size"], settings["session_minutes"]
        problem = problem_for(applicants, low, high, minutes)
        n_applicants = len(problem.people)
        base = [str(applicants), "--size", f"{low}-{high}", "--session-minutes", str(minutes)]
        base += ["--seconds", f"{args.seconds:g}", "--quiet"]
        small_cmd = ["cadre", "form", "APPLICANTS.csv", *base[1:], "--seed", str(args.seed)]
        small_cmd += ["--out", "COHORTS.csv"]
        per_seed = []
        for seed in range(args.seed, args.seed + args.seeds):
            out = work / f"cohorts-{seed}.csv"
            run, stdout = timed_form([*base, "--seed", str(seed), "--out", str(out)])
            rows = compare(problem, cohorts_from(out), RANDOM_SEEDS)
            per_seed.append((seed, run, stdout, rows, len(cohorts_from(out))))
        _, small_run, small_out, small_rows, n_cohorts = per_seed[0]
        old = old_engine(work, args.old_ref)
        demo_meeting = {}
        for label, today, required in RUNS:
            out = work / f"demo-{len(demo_meeting)}.csv"
            form_args = [*base, "--seed", str(args.seed), "--out", str(out)]
            form_args += ["--require-slot"] if required else []
            run, _ = timed_form(form_args, old=old if today else None, infeasible_ok=True)
            demo_meeting[label] = {**summary(problem, cohorts_from(out)), "wall": run["wall"]}

        planted = []
        if not args.skip_planted:
            seeds = list(range(1, 1 + args.planted_seeds))
            planted = planted_runs(work, old, seeds, args.planted_seconds)

        # 3. Scale.
        scale = None
        if not args.skip_scale:
            people = demo_csv(work, "scale", "members", args.scale_people)
            out = work / "scale-cohorts.csv"
            scale_args = [str(people), "--size", "6-8", "--session-minutes", "60", "--require-slot"]
            scale_args += ["--seconds", f"{args.scale_seconds:g}", "--seed", str(args.seed)]
            scale_args += ["--quiet"]
            scale_cmd = ["cadre", "form", "PEOPLE.csv", *scale_args[1:], "--out", "COHORTS.csv"]
            run, stdout = timed_form([*scale_args, "--out", str(out)], infeasible_ok=True)
            big = problem_for(people, 6, 8, 60)
            rows = compare(big, cohorts_from(out), 1)
            scale = (run, stdout, rows, len(big.people), len(cohorts_from(out)), scale_cmd)

    lines = [
        "# Formation benchmark",
        "",
        "Written by `benchmarks/formation/run.py` (`make bench-formation`); do not edit by hand.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; commit {commit or 'unknown'} (plus local changes)",
        f"- Machine: {machine()}",
        "- Command: `"
        + " ".join([".venv/bin/python", "benchmarks/formation/run.py", *sys.argv[1:]])
        + "` (what `make bench-formation` runs)",
        f"- Load average when it started: {load} (the machine is shared; wall times and "
        "search steps depend on it)",
        "",
        "## The demo network's applicants",
        "",
        f"The {n_applicants} active applications of the demo's open intake (`cadre demo`, "
        f"seed 2025), cohorts of {low}–{high}, {minutes}-minute sessions:",
        "",
        f"    {' '.join(shlex.quote(c) for c in small_cmd)}",
        "",
        f"{n_cohorts} cohorts in {small_run['wall']:.1f} s wall, peak memory "
        f"{small_run['rss_mb']:.0f} MB. Each part is the mean over cohorts (0–1, higher is "
        "better); objective is the sum of the cohorts' totals; random is the mean of "
        f"{RANDOM_SEEDS} seeds.",
        "",
        *table(small_rows, f"random ({RANDOM_SEEDS} seeds)"),
        "",
        f"`cadre form` said: {small_out.strip()}",
        "",
        f"The same command with seeds {args.seed}–{args.seed + args.seeds - 1} "
        "(parts that do not beat both baselines are named):",
        "",
        "| seed | objective | wall s | beats random and greedy on every part |",
        "| ---: | ---: | ---: | --- |",
    ]
    for seed, run, _, rows, _ in per_seed:
        losing = [
            k
            for k in (*PARTS, "objective")
            if not rows["cadre form"][k] > max(rows["random"][k], rows["greedy"][k])
        ]
        verdict = "yes" if not losing else "no: " + ", ".join(losing)
        lines.append(
            f"| {seed} | {rows['cadre form']['objective']:.4f} | {run['wall']:.1f} | {verdict} |"
        )
    lines += [
        "",
        f"Cohorts that can meet on these applicants (seed {args.seed}, same budget), today's "
        f"engine (commit {args.old_ref}) against this one:",
        "",
        "| run | can meet | " + " | ".join(OTHER_PARTS) + " | objective |",
        "| --- | ---: | " + " | ".join("---:" for _ in OTHER_PARTS) + " | ---: |",
    ]
    for label, values in demo_meeting.items():
        parts = " | ".join(f"{values[p]:.3f}" for p in OTHER_PARTS)
        lines.append(
            f"| {label} | {values['meet']:.0f} of {values['cohorts']:.0f} | {parts} | "
            f"{values['objective']:.2f} |"
        )
    lines.append("")
    if planted:
        lines += planted_lines(planted, args.planted_seconds)
    if scale:
        run, stdout, rows, n, k, cmd = scale
        ok = "within" if run["wall"] <= 60 and run["rss_mb"] <= 2048 else "OUTSIDE"
        lines += [
            "## Scale",
            "",
            f"Every profile of a demo network built with `cadre demo --people "
            f"{args.scale_people}` ({n} people), cohorts of 6–8:",
            "",
            f"    /usr/bin/time -v {' '.join(shlex.quote(c) for c in cmd)}",
            "",
            f"- Wall time: {run['wall']:.1f} s (whole command, reading and writing included)",
            f"- Peak resident memory: {run['rss_mb']:.0f} MB",
            f"- {ok} the 60 s and 2 GB limits; {k} cohorts, "
            f"{rows['cadre form']['meet']:.0f} of them can meet",
            f"- `cadre form` said: {stdout.strip()}",
            "",
            *table(rows, "random (1 seed)"),
            "",
        ]
    end_load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines.insert(
        lines.index("## The demo network's applicants") - 1,
        f"- Load average when it ended: {end_load}",
    )
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
