"""Search benchmark: latency of the library's full-text search on the 10,000-person demo
network with 100,000 more repository items and journal entries; writes RESULTS.md here.

    .venv/bin/python benchmarks/search/run.py [--people 10000] [--documents 100000]
        [--repeat 2] [--database-url postgres://…] [--reuse]

1. Builds the demo into a fresh SQLite file (or the PostgreSQL database given, which is
   emptied first): `cadre demo --people N`.
2. Adds --documents items and entries (40 % items, 60 % journal entries) with bulk_create,
   their text drawn from a vocabulary made up by a seeded random generator (domain words
   plus invented ones, Zipf-distributed), with skills, tags, partner groups, cohorts and
   every visibility; then rebuilds the search index (timed).
3. Runs a fixed set of 30 queries (common, middling and rare words, two words, prefixes,
   operator soup) as three people (a member, an organizer, a partner): through the search
   function itself and through the search page with Django's test Client, --repeat times
   each, and reports p50, p95 and max.

With --reuse, steps 1 and 2 are skipped and the database the previous full run built (for
the same --database-url) is measured again: minutes instead of a quarter of an hour.
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
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CADRE = str(ROOT / ".venv" / "bin" / "cadre")
DB = "/tmp/cadre-bench-search.sqlite3"
SEED = 20261125
TARGET_MS = 200.0

# Words of the domain, written for this benchmark; the rest of the vocabulary is invented.
DOMAIN = """
incident review retro runbook pairing mentoring coaching facilitation agenda charter
experiment hypothesis metric outage pager rotation onboarding checklist postmortem
dashboard alert latency deploy rollback feature flag design critique workshop interview
roadmap discovery prototype usability backlog estimate sprint kanban standup demo
feedback kudos commitment blocker learning template case study session cohort skill
observability capacity budget migration database cache queue schema contract review
accessibility research survey persona journey story mapping facilitator timebox
""".split()  # noqa: SIM905 - a paragraph of words reads better than a list
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ar", "en", "ol", "is"]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Most frequent first: 30 short invented function words (the "the" and "of" of this
    language), then the domain words, then invented content words."""
    seen: set[str] = set()
    function_words: list[str] = []
    while len(function_words) < 30:
        word = rng.choice(SYLLABLES) + rng.choice(["", "n", "s", "r"])
        if word not in seen:
            seen.add(word)
            function_words.append(word)
    words = function_words + [w for w in dict.fromkeys(DOMAIN) if w not in seen]
    seen.update(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Text:
    """Zipf-distributed words: the first words of the vocabulary are the most common."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        weights = [1.0 / (rank + 1) for rank in range(len(words))]
        total = 0.0
        self.cumulative = []
        for w in weights:
            total += w
            self.cumulative.append(total)

    def words_(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def sentence(self, low: int, high: int) -> str:
        words = self.words_(self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def paragraph(self, low: int, high: int) -> str:
        target = self.rng.randint(low, high)
        sentences, count = [], 0
        while count < target:
            s = self.sentence(6, 18)
            sentences.append(s)
            count += s.count(" ") + 1
        return " ".join(sentences)

    def body(self, low: int, high: int) -> str:
        parts = [self.paragraph(low // 2, high // 2), self.paragraph(low // 2, high // 2)]
        if self.rng.random() < 0.3:
            parts.insert(1, "- " + "\n- ".join(self.sentence(3, 8) for _ in range(3)))
        return "\n\n".join(parts)


def queries(words: list[str]) -> list[tuple[str, str]]:
    """30 fixed queries, each with its frequency band (rank 0 is the most common word)."""
    bands = {
        "function-like word (in most documents)": [words[0], words[12]],
        "domain word": [words[i] for i in (30, 34, 40, 50, 62, 75, 90)],
        "middling word": [words[i] for i in (150, 300, 500, 700, 1200, 2000, 3000, 4000)],
        "rare word": [words[5000], words[5900]],
        "several words": [
            f"{words[31]} {words[45]}",
            f"{words[35]} {words[800]}",
            f"{words[60]} {words[2500]}",
            f"{words[32]} {words[41]} {words[70]}",
            f"{words[100]} {words[4500]}",
        ],
        "prefix": [words[33][:4], words[1500][:5], words[3500][:4]],
        "operators as text": [
            '"incident" AND review*',
            "NEAR(runbook rotation, 2)",
            "-pager OR (outage",
        ],
    }
    found = [(band, q) for band, qs in bands.items() for q in qs]
    assert len(found) == 30, len(found)
    return found


def environment(database_url: str) -> dict[str, str]:
    # The debug toolbar (on with DEBUG where installed) would be measured with the page.
    return {**os.environ, "DEBUG": "1", "CADRE_DEBUG_TOOLBAR": "0", "DATABASE_URL": database_url}


def build_demo(database_url: str, people: int) -> float:
    if database_url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(DB + suffix).unlink(missing_ok=True)
    cmd = [CADRE, "demo", "--people", str(people)]
    if not database_url.startswith("sqlite"):
        cmd.append("--reset")
    print("$", f"DATABASE_URL={database_url}", shlex.join(cmd), flush=True)
    started = time.perf_counter()
    done = subprocess.run(
        cmd, env=environment(database_url), capture_output=True, text=True, timeout=3600
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("cadre demo failed")
    return time.perf_counter() - started


def add_documents(total: int, rng: random.Random, text: Text) -> dict[str, Any]:
    """Bulk-create items and entries with every visibility; return the people to search as."""
    from cadre.cohorts.models import CohortMembership
    from cadre.journal.models import JournalEntry, JournalTag
    from cadre.networks.models import Network, NetworkMembership, Role
    from cadre.repository.models import PartnerGroup, RepositoryItem

    network = Network.objects.get(slug="northwind")
    skills = list(network.skills.all())
    cohorts = list(network.cohorts.all())
    memberships = list(
        CohortMembership.objects.filter(cohort__network=network, left_on__isnull=True).values_list(
            "user_id", "cohort_id"
        )
    )
    insiders = list(
        NetworkMembership.objects.filter(network=network)
        .exclude(role=Role.PARTNER)
        .values_list("user_id", flat=True)
    )
    partners = list(
        NetworkMembership.objects.filter(network=network, role=Role.PARTNER)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    groups = [
        PartnerGroup.objects.create(
            network=network,
            name=f"Bench partners {n}",
            organization=f"Partner org {n}",
            shares=["case_study", "template", "learning"],
        )
        for n in range(3)
    ]
    for n, user_id in enumerate(partners):
        groups[n % 3].members.add(user_id)

    n_items = total * 4 // 10
    n_entries = total - n_items
    now = dt.datetime.now(dt.UTC)
    kinds = ["case_study", "template", "learning"]
    items = []
    for _ in range(n_items):
        kind = rng.choice(kinds)
        items.append(
            RepositoryItem(
                network=network,
                kind=kind,
                template_kind="agenda" if kind == "template" else "",
                title=text.sentence(3, 8).rstrip("."),
                summary=text.sentence(10, 25),
                body=text.body(60, 200),
                author_id=rng.choice(insiders),
                origin_cohort=rng.choice(cohorts) if rng.random() < 0.7 else None,
                visibility=rng.choices(["network", "partners", "public"], [6, 2, 2])[0],
                reuse_count=rng.randint(0, 12),
                created_at=now - dt.timedelta(minutes=rng.randint(0, 500_000)),
            )
        )
    RepositoryItem.objects.bulk_create(items, batch_size=2000)
    through = RepositoryItem.skills.through
    links = {
        (i.pk, s.pk) for i in items for s in rng.sample(skills, rng.randint(0, min(3, len(skills))))
    }
    through.objects.bulk_create(
        [through(repositoryitem_id=i, skill_id=s) for i, s in links], batch_size=5000
    )
    group_through = RepositoryItem.partner_groups.through
    group_through.objects.bulk_create(
        [
            group_through(repositoryitem_id=i.pk, partnergroup_id=rng.choice(groups).pk)
            for i in items
            if i.visibility == "partners"
        ],
        batch_size=5000,
    )

    entries = []
    for _ in range(n_entries):
        user_id, cohort_id = rng.choice(memberships)
        entries.append(
            JournalEntry(
                network=network,
                author_id=user_id,
                cohort_id=cohort_id,
                title=text.sentence(3, 8).rstrip("."),
                body=text.body(40, 150),
                visibility=rng.choices(["private", "cohort", "network"], [4, 35, 25])[0],
                created_at=now - dt.timedelta(minutes=rng.randint(0, 500_000)),
            )
        )
    JournalEntry.objects.bulk_create(entries, batch_size=2000)
    tags = {(e.pk, rng.choice(DOMAIN)) for e in entries for _ in range(rng.randint(0, 3))}
    JournalTag.objects.bulk_create(
        [JournalTag(entry_id=e, name=name) for e, name in tags], batch_size=5000
    )
    shared = JournalEntry.shared_with.through
    shared.objects.bulk_create(
        [
            shared(journalentry_id=e.pk, user_id=rng.choice(insiders))
            for e in entries
            if rng.random() < 0.1
        ],
        batch_size=5000,
    )
    return {"network": network, "items": n_items, "entries": n_entries, "partner": partners[0]}


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, int(round(len(ordered) * 0.95)) - 1)],
        "max": ordered[-1],
        "n": len(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--database-url", default=f"sqlite:///{DB}")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a previous run built (skips building; for trying changes)",
    )
    args = parser.parse_args()

    # What the full run built, for --reuse; one file per database, so a PostgreSQL run never
    # hands its people's ids to a later SQLite --reuse run (or the other way round).
    stats_file = Path(DB + ".json")
    if not args.database_url.startswith("sqlite"):
        name = urlparse(args.database_url).path.strip("/") or "postgres"
        stats_file = Path(f"/tmp/cadre-bench-search-{name}.json")
    reuse = args.reuse and stats_file.exists()
    demo_seconds = 0.0 if reuse else build_demo(args.database_url, args.people)
    os.environ.update(environment(args.database_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from cadre.accounts.models import User
    from cadre.networks import policy as permissions
    from cadre.networks.models import Network
    from cadre.repository import search

    settings.CADRE_SEARCH_RATE = "1000000/m"  # measure search, not the rate limit
    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(SEED)
    words = vocabulary(rng)
    text = Text(rng, words)

    if reuse:
        built = json.loads(stats_file.read_text())
        demo_seconds, add_seconds, index_seconds, indexed = (
            built["demo_seconds"],
            built["add_seconds"],
            built["index_seconds"],
            built["indexed"],
        )
        made = {**built["made"], "network": Network.objects.get(slug="northwind")}
    else:
        started = time.perf_counter()
        with transaction.atomic():
            made = add_documents(args.documents, rng, text)
        add_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with transaction.atomic():
            indexed = search.rebuild_index()
        index_seconds = time.perf_counter() - started
        stats_file.write_text(
            json.dumps(
                {
                    "demo_seconds": demo_seconds,
                    "add_seconds": add_seconds,
                    "index_seconds": index_seconds,
                    "indexed": indexed,
                    "made": {k: v for k, v in made.items() if k != "network"},
                }
            )
        )
    with connection.cursor() as cursor:  # fresh statistics after the bulk inserts
        cursor.execute("ANALYZE")
    print(
        f"demo {demo_seconds:.1f} s; added {made['items']} items and {made['entries']} entries "
        f"in {add_seconds:.1f} s; indexed {indexed} documents in {index_seconds:.1f} s",
        flush=True,
    )

    network = made["network"]
    people = {
        "member": User.objects.get(email="member@demo.cadre.test"),
        "organizer": User.objects.get(email="organizer@demo.cadre.test"),
        "partner": User.objects.get(pk=made["partner"]),
    }
    from cadre.networks.models import CodeOfConductAcceptance

    code = network.current_code_of_conduct()
    if code is not None:  # the partner picked may not have accepted the latest version
        CodeOfConductAcceptance.objects.get_or_create(code=code, user=people["partner"])
    qs = queries(words)
    url = f"/n/{network.slug}/library/search/"

    load_before = os.getloadavg()[0]
    function_ms: dict[str, list[float]] = {who: [] for who in people}
    page_ms: dict[str, list[float]] = {who: [] for who in people}
    counts: dict[str, list[int]] = {who: [] for who in people}
    slowest: list[tuple[float, str, str]] = []
    by_band: dict[str, list[float]] = {}
    band_matches: dict[str, list[int]] = {}
    rank_by_band: dict[str, list[float]] = {}  # the engine's ranking alone, for comparison
    for who, user in people.items():
        client = Client()
        client.force_login(user)
        for _ in range(3):  # warm-up: templates, URL resolvers, the session
            client.get(url, {"q": qs[0][1]})
        for _ in range(args.repeat):
            for band, q in qs:
                # Each request starts with an empty permission cache, as a real one does.
                permissions.forget(user)
                t0 = time.perf_counter()
                page = search.search(user, network, q, limit=20)
                elapsed = (time.perf_counter() - t0) * 1000
                function_ms[who].append(elapsed)
                by_band.setdefault(band, []).append(elapsed)
                band_matches.setdefault(band, []).append(page.count)
                counts[who].append(page.count)
                slowest.append((elapsed, who, q))
                rank_by_band.setdefault(band, []).append(ranking_ms(search, connection, q))
                t0 = time.perf_counter()
                response = client.get(url, {"q": q})
                page_ms[who].append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url}?q={q} as {who}: HTTP {response.status_code}")
        f, p = percentiles(function_ms[who]), percentiles(page_ms[who])
        print(
            f"{who:10} function p50 {f['p50']:6.1f} p95 {f['p95']:6.1f} max {f['max']:6.1f} ms | "
            f"page p50 {p['p50']:6.1f} p95 {p['p95']:6.1f} max {p['max']:6.1f} ms",
            flush=True,
        )

    load_after = os.getloadavg()[0]
    all_function = percentiles([v for vs in function_ms.values() for v in vs])
    all_page = percentiles([v for vs in page_ms.values() for v in vs])
    vendor = connection.vendor
    db_label = f"SQLite {DB}" if vendor == "sqlite" else "PostgreSQL"
    command = (
        f".venv/bin/python benchmarks/search/run.py --people {args.people} "
        f"--documents {args.documents} --repeat {args.repeat}"
    )
    if vendor != "sqlite":
        command += " --database-url postgres://…"
    if reuse:
        command += " --reuse"
    met = all_function["p95"] < TARGET_MS and all_page["p95"] < TARGET_MS
    lines = [
        "# Search benchmark",
        "",
        "Generated by `make bench-search`; do not edit by hand.",
        "",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"- Load average (1 min) when measuring: {load_before:.1f} before, {load_after:.1f} "
        "after (other work on the machine slows every figure below)",
        f"- Database: {db_label} ({vendor}, {search_backend_label(vendor)})",
        f"- Command: `{command}`",
        f"- Data: the demo network ({args.people} people, built in {demo_seconds:.0f} s) plus "
        f"{made['items']:,} repository items and {made['entries']:,} journal entries "
        f"(bulk-created in {add_seconds:.0f} s); index rebuilt from scratch in "
        f"{index_seconds:.1f} s ({indexed:,} documents)",
        f"- Load: {len(qs)} fixed queries × {args.repeat} repeats × 3 people, one at a time; "
        "the function is `cadre.repository.search.search(user, network, q, limit=20)` (ranking, "
        f"counting up to {search.COUNT_LIMIT:,}, and loading the 20 results with snippets); the page is "
        f"`GET {url}?q=…` through Django's test Client (session, middleware, form, template)",
        "",
        "| Who | Path | p50 ms | p95 ms | max ms | median matches |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for who in people:
        f, p = percentiles(function_ms[who]), percentiles(page_ms[who])
        matches = statistics.median(counts[who])
        lines.append(
            f"| {who} | function | {f['p50']:.1f} | {f['p95']:.1f} | {f['max']:.1f} | {matches:,.0f} |"
        )
        lines.append(f"| {who} | page | {p['p50']:.1f} | {p['p95']:.1f} | {p['max']:.1f} | |")
    lines.append(
        f"| everyone | function | {all_function['p50']:.1f} | {all_function['p95']:.1f} "
        f"| {all_function['max']:.1f} | |"
    )
    lines.append(
        f"| everyone | page | {all_page['p50']:.1f} | {all_page['p95']:.1f} | {all_page['max']:.1f} | |"
    )
    slowest.sort(reverse=True)
    lines += [
        "",
        f"Target: p95 under {TARGET_MS:.0f} ms on SQLite. "
        + (
            "Met in this run, by the function and by the page."
            if met
            else "**Not met in this run** (see the figures above and the slowest queries below)."
        ),
        "",
        above_target(by_band, rank_by_band),
        "",
        "Slowest function calls: "
        + "; ".join(f"`{q}` as {who} {ms:.0f} ms" for ms, who, q in slowest[:5])
        + ".",
        "",
        "By kind of query (the function, all three people):",
        "",
        "| Query band | Queries | p50 ms | p95 ms | max ms | median matches "
        "| ranking alone p50 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
        *[
            f"| {band} | {', '.join(f'`{q}`' for b, q in qs if b == band)} "
            f"| {percentiles(ms)['p50']:.1f} | {percentiles(ms)['p95']:.1f} "
            f"| {percentiles(ms)['max']:.1f} | {statistics.median(band_matches[band]):,.0f} "
            f"| {percentiles(rank_by_band[band])['p50']:.1f} |"
            for band, ms in by_band.items()
        ],
        "",
        "The last column is the full-text engine's part alone (the query's plan, then the "
        "first window of matches ranked, up to its first row), timed right after each call: "
        "the part of a search that no permission rule or page rendering adds to.",
        "",
        "Each query is run as typed: each word (or its compound with a neighbour) must appear, "
        "stop words aside, and the last may be a prefix. The full-text engine ranks the "
        f"matches (the same ranking for everyone) {search.RANK_WINDOW:,} at a time, newest "
        "window first, so a word found in most documents costs one window's ranking, not "
        "all of its matches'; the ranked ids are checked against the permission rules in "
        f"growing batches until the page is full and the count passes {search.COUNT_LIMIT:,}.",
        "",
    ]
    out = HERE / ("RESULTS.md" if vendor == "sqlite" else f"RESULTS-{vendor}.md")
    out.write_text("\n".join(lines))
    print(f"wrote {out}")


def above_target(by_band: dict[str, list[float]], rank_by_band: dict[str, list[float]]) -> str:
    """A sentence naming the kinds of query whose p95 is over the target, whatever the
    overall figures say: a met overall p95 can hide a band that stays slow."""
    slow = [
        f"{band} (p95 {percentiles(ms)['p95']:.0f} ms, of which the engine's ranking alone "
        f"takes {percentiles(rank_by_band[band])['p50']:.0f} ms at p50)"
        for band, ms in by_band.items()
        if percentiles(ms)["p95"] >= TARGET_MS
    ]
    if not slow:
        return f"Every kind of query is under {TARGET_MS:.0f} ms at p95 in this run."
    return f"Over {TARGET_MS:.0f} ms at p95 in this run, by kind of query: " + "; ".join(slow) + "."


def ranking_ms(search: Any, connection: Any, text: str) -> float:
    """Milliseconds for the engine to hand over the best match of `text`: the query's plan
    (compounds, stop words), then the first window of matches ranked (all of them when there
    are no more than search.RANK_WINDOW)."""
    words = search.query_words(text)
    if not words:
        return 0.0
    started = time.perf_counter()
    conjuncts = search.plan(words)
    if conjuncts:
        with connection.cursor() as cursor:
            next(search.ranked_ids(cursor, search.engine_query(conjuncts)), None)
    return (time.perf_counter() - started) * 1000


def search_backend_label(vendor: str) -> str:
    return "FTS5, bm25" if vendor == "sqlite" else "tsvector under GIN, ts_rank"


if __name__ == "__main__":
    main()
