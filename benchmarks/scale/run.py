"""Scale benchmark: Cadre with a hundred thousand people on one PostgreSQL database; writes
RESULTS.md here.

    .venv/bin/python benchmarks/scale/run.py [--people 100000]
        [--database-url postgres://postgres@127.0.0.1:5432/cadre_scale] [--reuse]
        [--only build,size,documents,formation,coffee,search,pages,reminders]

Phases, each selectable with --only and recorded with its own date, load average and command,
so a phase can be run again on its own (the figures of the others are kept in a JSON file
beside the database's name in /tmp and RESULTS.md is written from all of them):

- build: empties the database (its name must begin with `cadre_scale`), migrates it
  (`cadre migrate`) and builds the demo network (`cadre demo --people N`), both timed.
  With --reuse the database is kept and this phase is skipped.
- size: pg_database_size and the five largest tables (with their indexes).
- documents: adds --documents repository items and journal entries, as the search benchmark
  does (benchmarks/search/run.py's `add_documents`, same seed), and rebuilds the search index.
- formation: a 5,000-person intake (--intake) made of the network's members, formed as the
  worker forms an organizer's run (`proposals.start_run`, then `execute_run`); the time, and
  how many of the proposed cohorts have a common hour to meet. Rolled back afterwards.
- coffee: a virtual-coffee ritual with every member of the network (not partners) and one
  round planned over all of them (`planning.plan_coffee_round`). Rolled back afterwards.
- search: p50/p95 of `cadre.repository.search.search` for a common and a rare word of the
  search benchmark's vocabulary, as a member and an organizer (--repeat each).
- pages: the member pages and dashboards' CPU per request as a multiple of the floor page,
  measured by benchmarks/web/cpu.py's own code on this database (--rounds).
- reminders: the worker's reminder scan (`cadre.reminders.tasks.queue_due_reminders`, queued
  every five minutes) twice: the first queues what is due, the second finds it all queued
  (a beat in the steady state). Rolled back afterwards.

PostgreSQL must be reachable; the script says so and stops (exit status 2) when it is not.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from benchmarks.search import run as search_bench  # noqa: E402
from benchmarks.web import cpu as cpu_bench  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cadre_scale"
PHASES = ("build", "size", "documents", "formation", "coffee", "search", "pages", "reminders")
FORMATION_SECONDS = 10.0  # the organizer's form starts with this (formation.forms)
SEARCH_TARGET_MS = 200.0


def environment(url: str) -> dict[str, str]:
    """The search benchmark's environment (DEBUG on for plain HTTP, no debug toolbar)."""
    return search_bench.environment(url)


def build_environment(url: str) -> dict[str, str]:
    # The build runs with DEBUG off, as an operator would run it: with DEBUG on, Django keeps
    # the text of every query it sends.
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    env.setdefault("SECRET_KEY", "cadre-bench-scale-not-secret")
    return env


def server_url(url: str) -> str:
    """The same server's `postgres` database, to create and drop the benchmark's one."""
    return urlparse(url)._replace(path="/postgres").geturl()


def database_name(url: str) -> str:
    return urlparse(url).path.strip("/")


def check_reachable(url: str) -> str:
    """PostgreSQL's version, or a clear message and exit status 2."""
    import psycopg

    try:
        with psycopg.connect(server_url(url), connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.stderr.write(
            f"PostgreSQL is not reachable at {urlparse(url).hostname}:{urlparse(url).port or 5432}"
            f" ({first}).\nStart it, or pass --database-url postgres://USER@HOST:PORT/cadre_scale.\n"
        )
        raise SystemExit(2) from None
    return str(row[0]) if row else "?"


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if not name.startswith("cadre_scale"):
        raise SystemExit(
            f"The build phase empties the database; its name must begin with cadre_scale "
            f"(got {name!r}). Pass --reuse to measure a database as it is."
        )
    with psycopg.connect(server_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_cadre(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "cadre", *args]
    print("$", f"DATABASE_URL={env['DATABASE_URL']}", shlex.join(["cadre", *args]), flush=True)
    started = time.perf_counter()
    out = []
    with subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:  # shown as it comes: a build takes minutes
            print(line, end="", flush=True)
            out.append(line)
    if process.returncode:
        raise SystemExit(f"failed: cadre {shlex.join(args)}")
    return time.perf_counter() - started, "".join(out)


# --- the phases -----------------------------------------------------------------------------


def phase_build(args: argparse.Namespace) -> dict[str, Any]:
    recreate_database(args.database_url)
    env = build_environment(args.database_url)
    migrate_s, _ = run_cadre(["migrate", "-v", "0"], env)
    demo_s, out = run_cadre(["demo", "--people", str(args.people)], env)
    steps = [line.strip() for line in out.splitlines() if line.startswith("  ") and " s " in line]
    built = next((line for line in out.splitlines() if line.startswith("Built ")), "")
    print(built, flush=True)
    return {"people": args.people, "migrate_s": migrate_s, "demo_s": demo_s, "steps": steps}


def phase_size(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh row estimates after the bulk writes
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' "
            "ORDER BY 2 DESC LIMIT 5"
        )
        tables = [[name, size, rows] for name, size, rows in cursor.fetchall()]
        cursor.execute(
            "SELECT (SELECT count(*) FROM repository_repositoryitem)"
            " + (SELECT count(*) FROM journal_journalentry)"
        )
        documents = cursor.fetchone()[0]
    return {"bytes": total, "tables": tables, "documents": documents}


def vocabulary() -> tuple[random.Random, list[str], Any]:
    """The search benchmark's generator, words and text, in its order (same documents)."""
    rng = random.Random(search_bench.SEED)
    words = search_bench.vocabulary(rng)
    return rng, words, search_bench.Text(rng, words)


def phase_documents(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection, transaction

    from cadre.repository import search

    rng, _, text = vocabulary()
    started = time.perf_counter()
    with transaction.atomic():
        made = search_bench.add_documents(args.documents, rng, text)
    added_s = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        indexed = search.rebuild_index()
    index_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "items": made["items"],
        "entries": made["entries"],
        "added_s": added_s,
        "indexed": indexed,
        "index_s": index_s,
    }


class Rollback(Exception):
    """Raised to leave a phase's transaction without keeping what it wrote."""


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction whose writes are measured and then never kept."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def phase_formation(args: argparse.Namespace) -> dict[str, Any]:
    from django.utils import timezone
    from django.utils.text import slugify

    from cadre.accounts.models import User
    from cadre.formation import proposals
    from cadre.formation.models import Application, FormationRun, Intake, IntakeStatus
    from cadre.networks.models import Network, NetworkMembership, Role
    from cadre.people.models import Profile, ProfileSkill

    network = Network.objects.get(slug="northwind")
    organizer = User.objects.get(email=cpu_bench.ORGANIZER)
    figures: dict[str, Any] = {}
    with rolled_back():
        today = timezone.localdate()
        intake = Intake.objects.create(
            network=network,
            title="Scale benchmark intake",
            slug="scale-benchmark",
            questions=[],
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=10),
            min_size=5,
            max_size=7,
            session_minutes=60,
            status=IntakeStatus.OPEN,
            created_by=organizer,
        )
        members = list(
            NetworkMembership.objects.filter(network=network, role=Role.MEMBER)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        chosen = sorted(random.Random(5000).sample(members, min(args.intake, len(members))))
        profiles = Profile.objects.in_bulk(chosen, field_name="user_id")
        skills: dict[int, dict[str, int]] = {pk: {} for pk in chosen}
        for user_id, slug, level in ProfileSkill.objects.filter(
            profile__user_id__in=chosen, skill__network=network
        ).values_list("profile__user_id", "skill__slug", "level"):
            skills[user_id][slug] = level
        Application.objects.bulk_create(
            [
                Application(
                    intake=intake,
                    user_id=pk,
                    goals=list(profiles[pk].learning_goals),
                    time_zone=profiles[pk].time_zone,
                    availability=list(profiles[pk].availability),
                    skills=skills[pk],
                    statement=f"Applying as {slugify(profiles[pk].function)}.",
                )
                for pk in chosen
            ],
            batch_size=2000,
        )
        run = proposals.start_run(
            intake, organizer, seconds=args.formation_seconds, seed=0
        )  # queued on commit, which never comes: it is run here as the worker runs it
        started = time.perf_counter()
        status = proposals.execute_run(run.pk)
        figures["seconds"] = time.perf_counter() - started
        run = FormationRun.objects.get(pk=run.pk)
        cohorts = proposals.proposed_cohorts(run)
        figures.update(
            status=status,
            applicants=len(chosen),
            solver_seconds=args.formation_seconds,
            cohorts=len(cohorts),
            can_meet=sum(1 for c in cohorts if c.common_slots),
            error=run.error,
        )
    return figures


def phase_coffee(args: argparse.Namespace) -> dict[str, Any]:

    from cadre.accounts.models import User
    from cadre.networks.models import Network, NetworkMembership, Role
    from cadre.rotations import planning
    from cadre.rotations.models import CoffeeGroupMember, Ritual, RitualParticipant

    network = Network.objects.get(slug="northwind")
    organizer = User.objects.get(email=cpu_bench.ORGANIZER)
    figures: dict[str, Any] = {}
    with rolled_back():
        ritual = Ritual.objects.create(
            network=network,
            name="Scale benchmark coffee",
            cadence="weekly",
            group_size=2,
            prefer_cross_cohort=True,
            prefer_close_time_zones=True,
            prefer_different=["function", "organization"],
            created_by=organizer,
        )
        everyone = (
            NetworkMembership.objects.filter(network=network)
            .exclude(role=Role.PARTNER)
            .values_list("user_id", flat=True)
        )
        RitualParticipant.objects.bulk_create(
            [RitualParticipant(ritual=ritual, user_id=pk) for pk in everyone],
            batch_size=5000,
        )
        started = time.perf_counter()
        coffee = planning.plan_coffee_round(ritual, by=organizer)
        figures["seconds"] = time.perf_counter() - started
        figures.update(
            people=CoffeeGroupMember.objects.filter(group__round=coffee).count(),
            groups=coffee.groups.count(),
            solver_seconds=planning.COFFEE_SECONDS,
        )
    return figures


def phase_search(args: argparse.Namespace) -> dict[str, Any]:
    from django.conf import settings

    from cadre.accounts.models import User
    from cadre.networks import policy as permissions
    from cadre.networks.models import Network
    from cadre.repository import search

    settings.CADRE_SEARCH_RATE = "1000000/m"
    _, words, _ = vocabulary()
    network = Network.objects.get(slug="northwind")
    people = {
        "member": User.objects.get(email=cpu_bench.MEMBER),
        "organizer": User.objects.get(email=cpu_bench.ORGANIZER),
    }
    # The search benchmark's bands: its most common word and its rarer "rare word".
    chosen = {"common word": words[0], "rare word": words[5000]}
    figures: dict[str, Any] = {}
    for band, word in chosen.items():
        timings: list[float] = []
        matches = 0
        for user in people.values():
            search.search(user, network, word, limit=20)  # warm-up
            for _ in range(args.repeat):
                permissions.forget(user)  # each request starts with an empty cache
                started = time.perf_counter()
                page = search.search(user, network, word, limit=20)
                timings.append((time.perf_counter() - started) * 1000)
                matches = max(matches, page.count)
        figures[band] = {"word": word, "matches": matches, **search_bench.percentiles(timings)}
    return figures


def phase_pages(args: argparse.Namespace) -> dict[str, Any]:
    pages = cpu_bench.measure(args.database_url, args.rounds)
    for label, page in pages.items():
        page["ratio"] = page["ms"] / pages[cpu_bench.floor_of(label)]["ms"]
        page["kind"] = cpu_bench.PAGES[label][2]
    return pages


def phase_reminders(args: argparse.Namespace) -> dict[str, Any]:
    from django.utils import timezone

    from cadre.reminders import sending
    from cadre.reminders.tasks import queue_due_reminders

    # What every beat reads to find the reminders due and never queued (the task's first
    # step; each source leaves out what was queued before).
    started = time.perf_counter()
    items = list(sending.due(timezone.now()))
    figures: dict[str, Any] = {
        "find": {"seconds": time.perf_counter() - started, "due": len(items)}
    }
    print(f"finding {len(items)} due reminders took {figures['find']['seconds']:.1f} s", flush=True)
    with rolled_back():
        for scan in ("first", "second"):
            started = time.perf_counter()
            queued = queue_due_reminders.call()
            figures[scan] = {"seconds": time.perf_counter() - started, "queued": queued}
    return figures


RUNNERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "build": phase_build,
    "size": phase_size,
    "documents": phase_documents,
    "formation": phase_formation,
    "coffee": phase_coffee,
    "search": phase_search,
    "pages": phase_pages,
    "reminders": phase_reminders,
}


# --- the report -----------------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def report(done: dict[str, dict[str, Any]], machine: str) -> list[str]:
    lines = [
        "# Scale benchmark: one PostgreSQL database, a hundred thousand people",
        "",
        "Written by `benchmarks/scale/run.py` (`make bench-scale`); do not edit by hand. What each",
        "phase does: the script's docstring. Each phase was run with the command under it; the",
        "load average (1, 5, 15 min) is printed before and after it (2 CPUs shared with other",
        "work: absolute times are slower than on a quiet machine).",
        "",
        f"- Machine: {machine}",
        "",
    ]

    def head(name: str, title: str) -> list[str]:
        d = done[name]
        return [
            f"## {title}",
            "",
            f"- {d['date']} UTC; load average {d['load_before']} before, {d['load_after']} after",
            f"- Command: `{d['command']}`",
            "",
        ]

    if "build" in done:
        f = done["build"]["figures"]
        lines += head("build", "Build")
        lines += [
            f"{f['people']:,} people: `cadre migrate` {f['migrate_s']:.0f} s, then "
            f"`cadre demo --people {f['people']}` **{f['demo_s']:.0f} s** "
            f"({f['demo_s'] / 60:.1f} min; target: under 15 min). The builder's steps:",
            "",
            "```",
            *f["steps"],
            "```",
            "",
        ]
    if "size" in done:
        f = done["size"]["figures"]
        lines += head("size", "Database size")
        lines += [
            f"pg_database_size: **{mb(f['bytes'])}**, with {f.get('documents', 0):,} library "
            "items and journal entries. The five largest tables (with their indexes):",
            "",
            "| Table | Size | Rows (estimate) |",
            "|---|---:|---:|",
            *[f"| {name} | {mb(size)} | {rows:,} |" for name, size, rows in f["tables"]],
            "",
        ]
    if "documents" in done:
        f = done["documents"]["figures"]
        lines += head("documents", "Documents for search")
        lines += [
            f"{f['items']:,} repository items and {f['entries']:,} journal entries added in "
            f"{f['added_s']:.0f} s; search index rebuilt in {f['index_s']:.0f} s "
            f"({f['indexed']:,} documents).",
            "",
        ]
    if "formation" in done:
        f = done["formation"]["figures"]
        lines += head("formation", "Formation of an intake")
        lines += [
            f"{f['applicants']:,} applicants, cohorts of 5 to 7, a {f['solver_seconds']:.0f} s "
            f"search (the organizer's default): the run took **{f['seconds']:.1f} s** from "
            f"start to saved proposal ({f['status']}); {f['cohorts']:,} cohorts proposed, "
            f"**{f['can_meet']:,}** of them with a common hour to meet."
            + (f" Error: {f['error']}" if f.get("error") else ""),
            "",
        ]
    if "coffee" in done:
        f = done["coffee"]["figures"]
        lines += head("coffee", "A coffee round over everyone")
        lines += [
            f"{f['people']:,} participants in pairs (cross-cohort, close time zones, different "
            f"function and organization; the engine's {f['solver_seconds']:.0f} s limit): "
            f"**{f['seconds']:.1f} s** to plan and save the round, {f['groups']:,} groups.",
            "",
        ]
    if "search" in done:
        f = done["search"]["figures"]
        lines += head("search", "Search")
        lines += [
            "`cadre.repository.search.search(user, network, q, limit=20)` as the member and "
            "the organizer, the permission cache emptied before each call:",
            "",
            "| Query | Word | Matches | p50 ms | p95 ms | max ms | Calls |",
            "|---|---|---:|---:|---:|---:|---:|",
            *[
                f"| {band} | `{v['word']}` | {v['matches']:,} | {v['p50']:.1f} | "
                f"{v['p95']:.1f} | {v['max']:.1f} | {v['n']} |"
                for band, v in f.items()
            ],
            "",
            f"Target: p95 under {SEARCH_TARGET_MS:.0f} ms: "
            + (
                "met."
                if all(v["p95"] < SEARCH_TARGET_MS for v in f.values())
                else "**not met** in this run."
            ),
            "",
        ]
    if "pages" in done:
        f = done["pages"]["figures"]
        lines += head("pages", "Member pages and dashboards against the floor")
        lines += [
            "CPU per request (median of the rounds, benchmarks/web/cpu.py's measurement) and "
            "its ratio to the floor page of the same person:",
            "",
            "| Page | Kind | CPU ms | Queries | × floor | Limit |",
            "|---|---|---:|---:|---:|---:|",
        ]
        missed = []
        for label, page in f.items():
            limit = cpu_bench.LIMITS.get(page["kind"])
            lines.append(
                f"| {label} | {page['kind']} | {page['ms']:.1f} | {page['queries']} | "
                f"{page['ratio']:.2f}× | {'' if limit is None else f'{limit}×'} |"
            )
            if limit and page["ratio"] > limit:
                missed.append(f"{label} ({page['ratio']:.2f}×, limit {limit}×)")
        lines += [
            "",
            "Limits missed: " + ("; ".join(missed) if missed else "none") + ".",
            "",
        ]
    if "reminders" in done:
        f = done["reminders"]["figures"]
        lines += head("reminders", "The worker's reminder scan")
        lines += [
            "`queue_due_reminders` (each beat of `cadre worker`, every five minutes). Finding "
            f"the {f['find']['due']:,} reminders due and never queued (the "
            "task's first step, timed alone before the two scans) takes "
            f"**{f['find']['seconds']:.1f} s**. On this fresh network nothing was queued "
            "before, so the "
            f"first scan queued {f['first']['queued']:,} reminders in "
            f"**{f['first']['seconds']:.1f} s**; the next, with everything due already "
            f"queued, took **{f['second']['seconds']:.1f} s** ({f['second']['queued']} queued).",
            "",
        ]
    return lines


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true", help="keep the database: skip build")
    parser.add_argument("--only", default=",".join(PHASES), help="phases, comma-separated")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--intake", type=int, default=5000)
    parser.add_argument("--formation-seconds", type=float, default=FORMATION_SECONDS)
    parser.add_argument("--repeat", type=int, default=20, help="search calls per word and person")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the pages")
    parser.add_argument("--no-write", action="store_true", help="print, write no RESULTS.md")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL (postgres://USER@HOST:PORT/NAME)")
    phases = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in phases if p not in PHASES]
    if unknown:
        parser.error(f"unknown phase {', '.join(unknown)}; choose from {', '.join(PHASES)}")
    if args.reuse and "build" in phases:
        phases.remove("build")

    version = check_reachable(args.database_url)
    state = Path(f"/tmp/cadre-bench-scale-{database_name(args.database_url)}.json")
    done: dict[str, dict[str, Any]] = json.loads(state.read_text()) if state.exists() else {}
    if "build" in phases:
        done = {}  # a new database: earlier figures were of another one
    machine = (
        f"{platform.platform()}, {os.cpu_count()} CPUs, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3:.0f} GB RAM, "
        f"Python {platform.python_version()}, PostgreSQL {version}"
    )
    command = ".venv/bin/python benchmarks/scale/run.py " + shlex.join(sys.argv[1:])

    django_ready = False
    for phase in phases:
        if phase != "build" and not django_ready:
            os.environ.update(environment(args.database_url))
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
            import django

            django.setup()
            django_ready = True
        print(f"== {phase} (load average {load()})", flush=True)
        before = load()
        figures = RUNNERS[phase](args)
        done[phase] = {
            "figures": figures,
            "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}",
            "load_before": before,
            "load_after": load(),
            "command": command,
        }
        print(json.dumps(figures, default=str)[:2000], flush=True)
        state.write_text(json.dumps(done, default=str))

    lines = report(done, machine)
    print("\n".join(lines))
    if not args.no_write:
        (HERE / "RESULTS.md").write_text("\n".join(lines))
        print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
