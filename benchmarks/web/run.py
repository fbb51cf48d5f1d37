"""Web benchmark: requests per second of the member home, the cohort board, the cohort page
and the dashboards (a cohort's metrics, skills gap map and impact report as a member; the
network's health view, network metrics across cohorts and a cohort's health as an
organizer) on the 10,000-person demo network, next to a trivial page of the same app
(/readyz) served the same way in the same run; writes RESULTS.md here.

    .venv/bin/python benchmarks/web/run.py [--people 10000] [--requests 200] [--clients 4]

1. Builds the demo into a SQLite file (reused when it is already there):
   DATABASE_URL=sqlite:////tmp/cadre-bench-web.sqlite3 cadre demo --people 10000
   and gives its cohorts a year of history (benchmarks/web/history.py, once).
2. Starts `cadre serve` (waitress) on a free loopback port.
3. Signs in as member@demo.cadre.test and organizer@demo.cadre.test through the real login
   form (CSRF token and session cookie, urllib with a cookie jar), finds the member's network
   and cohort from the pages.
4. For each page: a warm-up, then --requests GETs spread over --clients threads; records
   requests/second, p50 and p95 latency, and the ratio to /readyz.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import platform
import re
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# `python -m cadre`, as in cpu.py: the interpreter running this script, from any worktree
# (PYTHONPATH is this checkout, so its code is what runs).
CADRE = [sys.executable, "-m", "cadre"]
DB = "/tmp/cadre-bench-web.sqlite3"
EMAIL, PASSWORD = "member@demo.cadre.test", "cadre-demo"
ORGANIZER = "organizer@demo.cadre.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment() -> dict[str, str]:
    # DEBUG=1: production settings insist on HTTPS and secure cookies, which a loopback
    # benchmark over plain HTTP cannot use. Templates are cached either way.
    return {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{DB}", "PYTHONPATH": str(ROOT)}


def build_demo(people: int) -> str:
    cmd = [*CADRE, "demo", "--people", str(people)]
    print("$", "DATABASE_URL=" + environment()["DATABASE_URL"], shlex.join(cmd), flush=True)
    done = subprocess.run(cmd, env=environment(), capture_output=True, text=True, timeout=3600)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("cadre demo failed")
    found = re.search(r"(\d+) people", done.stdout)
    return found.group(1) if found else "?"


def add_history() -> str:
    """A year of sessions, attendance, commitments and updates behind every active cohort
    (benchmarks/web/history.py; added once)."""
    cmd = [sys.executable, str(HERE / "history.py")]
    print("$", shlex.join(cmd), flush=True)
    done = subprocess.run(cmd, env=environment(), capture_output=True, text=True, timeout=3600)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("adding the year of history failed")
    lines = done.stdout.strip().splitlines()
    print(lines[-1] if lines else "", flush=True)
    return lines[-1] if lines else ""


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("cadre serve exited")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("cadre serve did not answer within 60 s")


def signed_in_opener(base: str, email: str = EMAIL) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=form, headers={"Referer": base + "/accounts/login/"}
    )
    opener.open(request, timeout=30).read()
    if not any(c.name == "sessionid" for c in jar):
        raise SystemExit(f"could not sign in as {email}")
    return opener


def find_pages(base: str, opener: urllib.request.OpenerDirector) -> dict[str, tuple[str, str]]:
    """label -> (path, who): the member's pages, then the organizer's dashboards."""
    home = opener.open(base + "/", timeout=30)
    html = home.read().decode()
    network = re.search(r'href="(/n/[\w-]+/)"', html) or re.search(r"(/n/[\w-]+/)", home.url)
    if network is None:
        raise SystemExit("no network link on the home page")
    net = network.group(1)
    html = opener.open(base + net, timeout=30).read().decode()
    cohort = re.search(r'href="(/n/[\w-]+/c/[\w-]+/)"', html)  # the first of "My cohorts"
    if cohort is None or "My week" not in html:
        raise SystemExit("the member home shows no week or no cohort")
    page = cohort.group(1)
    slug = page.rstrip("/").rsplit("/", 1)[-1]
    return {
        "trivial page (/readyz)": ("/readyz", "member"),
        "member home (network home)": (net, "member"),
        "cohort board": (page + "board/", "member"),
        "cohort page": (page, "member"),
        "cohort metrics dashboard": (page + "metrics/", "member"),
        "skills gap map": (page + "skills/", "member"),
        "impact report": (page + "impact/", "member"),
        "network health view": (net + "health/", "organizer"),
        "network metrics (across cohorts)": (net + "metrics/", "organizer"),
        "cohort health": (f"{net}health/c/{slug}/", "organizer"),
    }


def measure(
    base: str, opener: urllib.request.OpenerDirector, path: str, requests: int, clients: int
) -> dict[str, float]:
    for _ in range(5):  # warm-up
        opener.open(base + path, timeout=60).read()
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            started = time.perf_counter()
            with opener.open(base + path, timeout=60) as response:
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status}")
            with lock:
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    args = parser.parse_args()

    people = build_demo(args.people)
    history = add_history()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*CADRE, "serve", "--addr", f"127.0.0.1:{port}", "--threads", str(args.threads)],
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base, server)
        openers = {"member": signed_in_opener(base), "organizer": signed_in_opener(base, ORGANIZER)}
        pages = find_pages(base, openers["member"])
        results = {}
        for label, (path, who) in pages.items():
            results[label] = measure(base, openers[who], path, args.requests, args.clients)
            r = results[label]
            print(
                f"{label:30} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    trivial = results["trivial page (/readyz)"]["rps"]
    command = (
        f".venv/bin/python benchmarks/web/run.py --people {args.people} "
        f"--requests {args.requests} --clients {args.clients}"
    )
    lines = [
        "# Web benchmark",
        "",
        "Generated by `make bench-web`; do not edit by hand.",
        "",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"- Command: `{command}`",
        f"- Data: the demo network ({people} people) in SQLite ({DB}), `cadre serve` "
        f"(waitress, {args.threads} threads, DEBUG=1 for plain HTTP), signed in as {EMAIL} "
        f"or, for the network's dashboards, {ORGANIZER}",
        f"- Load: {args.requests} GETs per page from {args.clients} concurrent client threads "
        "over loopback, after 5 warm-up requests",
        "",
        "| Page | Path | As | Requests/s | p50 ms | p95 ms | Ratio to trivial |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for label, (path, who) in pages.items():
        r = results[label]
        lines.append(
            f"| {label} | `{path}` | {who} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} "
            f"| {r['rps'] / trivial:.3f} |"
        )
    lines += [
        "",
        "The ratio is the page's requests per second divided by /readyz's in the same run, so",
        "it compares the page's own work with the fixed cost of the server, middleware and",
        "session; the member home and the board issue a bounded number of queries whatever the",
        "network's size (cadre/reminders/tests/test_home.py).",
        "",
        "History: before measuring, benchmarks/web/history.py gives every active cohort a year",
        "of weekly sessions with attendance and roles, and a commitment and an update per member",
        "every other week (added once; the demo's metrics already have 52 weekly observations),",
        f"then recomputes the health snapshots. Its report: {history}.",
        "The network health view reads those precomputed snapshots (one row per cohort,",
        "refreshed by the worker), so its cost does not grow with the cohorts' history.",
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
