"""Web benchmark, processes per core: how many gunicorn worker processes to run on a machine's
cores (docs/operating.md, "Scaling out"); writes PROCESSES.md here.

    .venv/bin/python benchmarks/web/processes.py [--people 1000] [--workers 1 2 3 5]
                                                 [--clients 8] [--requests 300]

1. The demo network and its year of history in a SQLite file, as benchmarks/web/run.py builds
   them (/tmp/cadre-bench-web.sqlite3, reused when it is there).
2. For each number of worker processes: docs/operating.md's gunicorn command, as written there
   but for `--workers` and `--bind`, serves that file (DEBUG=1, as in run.py: production
   settings insist on HTTPS, which a loopback benchmark cannot use).
3. The member signs in through the real login form; then ApacheBench (`ab`, Debian's
   apache2-utils: a load generator written in C, so that the clients take little of the
   cores the server is measured on) sends --requests GETs of each page from --clients
   concurrent connections with the member's session cookie, after a warm-up. Any failed
   connection or answer other than 200 stops the benchmark.

The figure that matters is each row's requests per second against the row with one process,
in the same run: the gain from another process, and where it stops paying.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import run as web  # noqa: E402  (benchmarks/web/run.py: the demo, the sign-in, the pages)

PAGES = ("member home (network home)", "cohort page", "cohort board")


def gunicorn_command(workers: int, port: int) -> list[str]:
    """docs/operating.md's gunicorn command with `workers` processes on `port`."""
    guide = (ROOT / "docs" / "operating.md").read_text()
    found = re.search(r"^\.venv/bin/gunicorn (.*)$", guide, re.M)
    if found is None:
        raise SystemExit("docs/operating.md has no `.venv/bin/gunicorn ...` command line")
    args = shlex.split(found.group(1))
    for option, value in (("--workers", str(workers)), ("--bind", f"127.0.0.1:{port}")):
        if option not in args:
            raise SystemExit(f"docs/operating.md's gunicorn command has no {option}")
        args[args.index(option) + 1] = value
    return [str(Path(sys.executable).parent / "gunicorn"), *args]


def ab(url: str, cookie: str, requests: int, clients: int) -> dict[str, float]:
    """One ApacheBench run; requests/s and the 50th and 95th percentile in ms."""
    cmd = ["ab", "-q", "-n", str(requests), "-c", str(clients), "-C", cookie, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    out = done.stdout
    if done.returncode:
        raise SystemExit(f"ab failed on {url}:\n{out}\n{done.stderr}")
    # ab counts an answer whose length differs from the first as "failed (Length)"; a page
    # that shows a changing figure differs in length, so only the other kinds count here.
    failed = re.search(
        r"Failed requests:\s+\d+\s+\(Connect: (\d+), Receive: (\d+), Length: \d+, "
        r"Exceptions: (\d+)\)",
        out,
    )
    if failed and any(int(n) for n in failed.groups()):
        raise SystemExit(f"connections failed on {url}:\n{out}")
    if re.search(r"Non-2xx responses:\s+[1-9]", out):
        raise SystemExit(f"answers other than 200 from {url}:\n{out}")
    rps = re.search(r"Requests per second:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\d+)", out, re.M)
    p95 = re.search(r"^\s+95%\s+(\d+)", out, re.M)
    if not (rps and p50 and p95):
        raise SystemExit(f"could not read ab's report:\n{out}")
    return {"rps": float(rps.group(1)), "p50": float(p50.group(1)), "p95": float(p95.group(1))}


def measure(workers: int, requests: int, clients: int) -> dict[str, dict[str, float]]:
    port = web.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**web.environment(), "CADRE_DEBUG_TOOLBAR": "0"}
    server = subprocess.Popen(
        gunicorn_command(workers, port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        web.wait_until_up(base, server)
        opener = web.signed_in_opener(base)
        session = next(
            cookie.value
            for handler in opener.handlers
            if hasattr(handler, "cookiejar")
            for cookie in handler.cookiejar
            if cookie.name == "sessionid"
        )
        pages = web.find_pages(base, opener)
        results = {}
        for label in PAGES:
            path, _ = pages[label]
            ab(base + path, f"sessionid={session}", max(clients * 4, 20), clients)  # warm-up
            results[label] = ab(base + path, f"sessionid={session}", requests, clients)
            r = results[label]
            print(
                f"{workers} processes  {label:28} {r['rps']:7.1f} req/s  "
                f"p50 {r['p50']:5.0f} ms  p95 {r['p95']:5.0f} ms",
                flush=True,
            )
        return results
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3, 5])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    if shutil.which("ab") is None:
        raise SystemExit(
            "ApacheBench (`ab`) is not installed: `apt-get install apache2-utils` (as root)."
        )
    people = web.build_demo(args.people)
    web.add_history()
    load_before = os.getloadavg()
    figures = {n: measure(n, args.requests, args.clients) for n in args.workers}
    load_after = os.getloadavg()
    first = args.workers[0]
    command = (
        f".venv/bin/python benchmarks/web/processes.py --people {args.people} --workers "
        f"{' '.join(map(str, args.workers))} --clients {args.clients} --requests {args.requests}"
    )
    lines = [
        "# Web benchmark: gunicorn processes per core",
        "",
        "Written by `benchmarks/web/processes.py` (`make bench-web-processes`); do not edit by",
        "hand. What is measured and why: the script's docstring.",
        "",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
        f"- Load average before {load_before[0]:.2f}, {load_before[1]:.2f}, "
        f"{load_before[2]:.2f}; after {load_after[0]:.2f}, {load_after[1]:.2f}, "
        f"{load_after[2]:.2f}",
        f"- Command: `{command}`",
        f"- Data: the demo network ({people} people, a year of history) in SQLite "
        f"({web.DB}), signed in as {web.EMAIL}",
        f"- Load: ApacheBench, {args.requests} GETs per page from {args.clients} concurrent "
        "connections over loopback, after a warm-up",
        "",
        "| Processes | Page | Requests/s | Against 1 process | p50 ms | p95 ms |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for n in args.workers:
        for label in PAGES:
            r = figures[n][label]
            gain = r["rps"] / figures[first][label]["rps"]
            lines.append(
                f"| {n} | {label} | {r['rps']:.1f} | {gain:.2f}× | {r['p50']:.0f} | "
                f"{r['p95']:.0f} |"
            )
    lines.append("")
    (HERE / "PROCESSES.md").write_text("\n".join(lines))
    print(f"wrote {HERE / 'PROCESSES.md'}")


if __name__ == "__main__":
    main()
