"""Web benchmark, CPU per request against the floor: what each member page and dashboard costs
in one process, as a multiple of the floor page (benchmarks/web/floor.py: same middleware,
eight indexed queries, a template extending the base), on demo networks of different sizes and
lengths of history; writes CPU.md here.

    .venv/bin/python benchmarks/web/cpu.py [--sizes 1000x1 10000x1 10000x3] [--rounds 30]
                                           [--database sqlite|postgres]

A size is PEOPLExYEARS: `cadre demo --people PEOPLE` into a database of its own (reused when it
is there), then `benchmarks/web/history.py --weeks 52*YEARS`. Each database is measured in a
fresh process with DJANGO_SETTINGS_MODULE=benchmarks.web.settings: first the worker's job that
writes the figures' weekly counts (cadre.metrics.weekly.refresh_due) runs once, as a running
worker would have done (the database is migrated first, so a database built by an older
version is brought up to date); then the member and the organizer
are signed in with Django's test client; after three warm-up rounds, every round requests every
page once, in a shuffled order, timing each with `time.process_time()` (CPU of this process:
the view, the ORM, the database driver and, on SQLite, the database engine itself); the figure
is the median over the rounds. Interleaving the pages within each round spreads the machine's
noise over all of them alike, so the ratios hold on a shared machine where absolute times do
not.

Targets (issue 17): every member page at most 1.5 times the floor, every dashboard at most 2
times, and no page's cost growing by more than 20% from one to three years of history or from
1,000 to 10,000 people.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# `python -m cadre` rather than .venv/bin/cadre: the interpreter running this script, from
# any worktree (PYTHONPATH is this checkout, so its code is what runs).
CADRE = [sys.executable, "-m", "cadre"]
MEMBER, ORGANIZER = "member@demo.cadre.test", "organizer@demo.cadre.test"
PG = "postgres://postgres@127.0.0.1:5432/"

# label -> (path template, who, kind); {net} and {cohort} are filled in from the demo.
PAGES = {
    "floor": ("/_bench/floor/", "member", "floor"),
    "member home (network home)": ("{net}", "member", "member page"),
    "cohort board": ("{cohort}board/", "member", "member page"),
    "cohort page": ("{cohort}", "member", "member page"),
    "cohort metrics dashboard": ("{cohort}metrics/", "member", "dashboard"),
    "skills gap map": ("{cohort}skills/", "member", "dashboard"),
    "impact report": ("{cohort}impact/", "member", "dashboard"),
    "floor (organizer)": ("/_bench/floor/", "organizer", "floor"),
    "network health view": ("{net}health/", "organizer", "dashboard"),
    "network metrics (across cohorts)": ("{net}metrics/", "organizer", "dashboard"),
    "cohort health": ("{net}health/c/{slug}/", "organizer", "dashboard"),
}
LIMITS = {"member page": 1.5, "dashboard": 2.0}
GROWTH_LIMIT = 0.20


def database_url(database: str, people: int, years: int) -> str:
    if database == "postgres":
        return f"{PG}cadre_bench_{people}_{years}y"
    return f"sqlite:////tmp/cadre-bench-cpu-{people}-{years}y.sqlite3"


def environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "1",
        # The debug toolbar records every template's context on every request, a cost no
        # production server pays that grows with the page; it is off here.
        "CADRE_DEBUG_TOOLBAR": "0",
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.web.settings",
        "PYTHONPATH": str(ROOT),
    }


def run(cmd: list[str], env: dict[str, str]) -> str:
    print("$", "DATABASE_URL=" + env["DATABASE_URL"], shlex.join(cmd), flush=True)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=7200)
    if done.returncode:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"failed: {shlex.join(cmd)}")
    return done.stdout


def ensure_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    done = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(
            "PostgreSQL is not reachable at 127.0.0.1:5432 as postgres: " + done.stderr
        )
    if done.stdout.strip() != "1":
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f'CREATE DATABASE "{name}"'],
            check=True,
            capture_output=True,
        )


def build(database: str, people: int, years: int) -> tuple[str, str]:
    """The database for one size, built once: the demo, then the history."""
    url = database_url(database, people, years)
    env = environment(url)
    if database == "postgres":
        ensure_postgres_database(url)
    built = Path(f"/tmp/cadre-bench-cpu-{database}-{people}-{years}y.built")
    if not built.exists():
        started = time.perf_counter()
        run([*CADRE, "demo", "--people", str(people)], env)
        history = (
            run([sys.executable, str(HERE / "history.py"), "--weeks", str(52 * years)], env)
            .strip()
            .splitlines()[-1]
        )
        built.write_text(f"{history}; built in {time.perf_counter() - started:.0f} s")
    return url, built.read_text()


def measure_here(rounds: int) -> dict[str, dict[str, float]]:
    """Runs inside the measuring process (--measure): prints nothing, returns the figures."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cadre.accounts.models import User
    from cadre.cohorts.models import CohortMembership

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.core.management import call_command

    from cadre.metrics import weekly

    call_command("migrate", verbosity=0, interactive=False)
    weekly.refresh_due()  # what the worker keeps current
    member = User.objects.get(email=MEMBER)
    place = (
        CohortMembership.objects.filter(user=member, left_on__isnull=True)
        .select_related("cohort__network")
        .order_by("pk")
        .first()
    )
    if place is None:
        raise SystemExit("the demo's member is in no cohort")
    net = f"/n/{place.cohort.network.slug}/"
    cohort = f"{net}c/{place.cohort.slug}/"
    clients = {}
    for who, email in (("member", MEMBER), ("organizer", ORGANIZER)):
        client = Client()
        client.force_login(User.objects.get(email=email))
        clients[who] = client
    paths = {
        label: (path.format(net=net, cohort=cohort, slug=place.cohort.slug), who)
        for label, (path, who, _) in PAGES.items()
    }
    queries = {}
    for label, (path, who) in paths.items():
        with CaptureQueriesContext(connection) as captured:
            response = clients[who].get(path)
        if response.status_code != 200:
            raise SystemExit(f"{label} ({path}) answered {response.status_code}")
        queries[label] = len(captured.captured_queries)
    times: dict[str, list[float]] = {label: [] for label in paths}
    rng = random.Random(17)
    labels = list(paths)
    for n in range(rounds + 3):
        rng.shuffle(labels)
        for label in labels:
            path, who = paths[label]
            started = time.process_time()
            clients[who].get(path)
            if n >= 3:  # three warm-up rounds
                times[label].append(time.process_time() - started)
    return {
        label: {
            "path": paths[label][0],  # type: ignore[dict-item]
            "ms": statistics.median(times[label]) * 1000,
            "queries": queries[label],
        }
        for label in paths
    }


def measure(url: str, rounds: int) -> dict[str, dict[str, float]]:
    out = run([sys.executable, __file__, "--measure", "--rounds", str(rounds)], environment(url))
    return json.loads(out.strip().splitlines()[-1])


def floor_of(label: str) -> str:
    return "floor (organizer)" if PAGES[label][1] == "organizer" else "floor"


def report(
    database: str,
    sizes: list[tuple[int, int]],
    figures: dict[str, dict],
    notes: dict[str, str],
    rounds: int,
    command: str,
) -> list[str]:
    names = [
        f"{people:,} people, {years} year{'s' if years > 1 else ''}" for people, years in sizes
    ]
    load = os.getloadavg()
    lines = [
        f"## {database}",
        "",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average before the run "
        f"{load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"- Command: `{command}`",
        f"- Rounds: {rounds} after 3 warm-up rounds; median CPU milliseconds per request",
        "",
        "Each cell: CPU ms per request (queries), then the ratio to the floor of the same",
        "person in the same database.",
        "",
        "| Page | Kind | " + " | ".join(names) + " | Limit | Growth, people | Growth, years |",
        "|---|---|" + "---:|" * len(names) + "---:|---:|---:|",
    ]
    keys = [f"{p}x{y}" for p, y in sizes]
    failures = []
    for label, (_, _, kind) in PAGES.items():
        cells = []
        ratios = {}
        for key in keys:
            page = figures[key][label]
            ratio = page["ms"] / figures[key][floor_of(label)]["ms"]
            ratios[key] = ratio
            cells.append(f"{page['ms']:.1f} ({page['queries']}) · {ratio:.2f}×")
        limit = LIMITS.get(kind)
        growth_people = growth_years = ""
        small = next((k for k in keys if k.endswith("x1") and not k.startswith("10000")), None)
        big1 = "10000x1" if "10000x1" in keys else None
        big3 = "10000x3" if "10000x3" in keys else None
        if kind != "floor":
            if small and big1:
                g = ratios[big1] / ratios[small] - 1
                growth_people = f"{g:+.0%}"
                if g > GROWTH_LIMIT:
                    failures.append(f"{label}: {g:+.0%} from {small} to {big1}")
            if big1 and big3:
                g = ratios[big3] / ratios[big1] - 1
                growth_years = f"{g:+.0%}"
                if g > GROWTH_LIMIT:
                    failures.append(f"{label}: {g:+.0%} from one year to three")
            for key in keys:
                if limit and ratios[key] > limit:
                    failures.append(
                        f"{label}: {ratios[key]:.2f}× the floor at {key} (limit {limit}×)"
                    )
        lines.append(
            f"| {label} | {kind} | "
            + " | ".join(cells)
            + f" | {'' if limit is None else f'{limit}×'} | {growth_people} | {growth_years} |"
        )
    lines += ["", "Databases:", ""]
    lines += [f"- {name}: {notes[key]}" for name, key in zip(names, keys, strict=True)]
    lines += ["", f"Targets missed: {len(failures)}", ""]
    lines += [f"- {failure}" for failure in failures]
    lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["1000x1", "10000x1", "10000x3"])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_here(args.rounds)))
        return
    sizes = [tuple(int(x) for x in size.split("x")) for size in args.sizes]
    figures, notes = {}, {}
    for people, years in sizes:
        url, note = build(args.database, people, years)
        notes[f"{people}x{years}"] = f"`{url}`; {note}"
        figures[f"{people}x{years}"] = measure(url, args.rounds)
        for label, page in figures[f"{people}x{years}"].items():
            print(
                f"{people:>6}x{years} {label:34} {page['ms']:7.1f} ms  {page['queries']:3} queries"
            )
    command = (
        f".venv/bin/python benchmarks/web/cpu.py --sizes {' '.join(args.sizes)} "
        f"--rounds {args.rounds} --database {args.database}"
    )
    section = report(args.database, sizes, figures, notes, args.rounds, command)
    print("\n".join(section))
    if args.no_write:
        return
    path = HERE / "CPU.md"
    head = [
        "# Web benchmark: CPU per request against the floor",
        "",
        "Written by `benchmarks/web/cpu.py` (`make bench-web-cpu`), one section per database;",
        "do not edit by hand. What is measured and why: the script's docstring.",
        "",
    ]
    sections: dict[str, str] = {}
    if path.exists():
        text = path.read_text()
        for chunk in text.split("\n## ")[1:]:
            name = chunk.split("\n", 1)[0].strip()
            sections[name] = "## " + chunk.rstrip() + "\n"
    sections[args.database] = "\n".join(section)
    path.write_text("\n".join(head) + "\n".join(sections[k] for k in sorted(sections)))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
