"""Virtual-coffee benchmark: `cadre rotate` on networks of 1,000 and 10,000 people, pairs
and trios, 5 consecutive weekly rounds, each run as its own `cadre rotate --rounds 1` with
every earlier round passed as --history; writes RESULTS.md here.

    .venv/bin/python benchmarks/rotation/run.py [--people 1000,10000] [--sizes 2,3]
        [--rounds 5] [--seconds 10]

Each run is timed (wall clock, peak resident memory) under /usr/bin/time -v, and its output
is checked here, independently of the engine: every person exactly once, no group smaller
than 2 or outside size..size+leftover, and repeats recounted against all earlier rounds and
compared with a lower bound (0 while everyone still has partners they have not met). The
soft preferences (different function and organization, close time zones) are reported
next to a random partition of the same people.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import os
import platform
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from cadre.engine import safecsv  # noqa: E402
from cadre.engine.rotation import plan_rounds  # noqa: E402
from cadre.engine.rotation.constructions import round_robin  # noqa: E402

HERE = Path(__file__).resolve().parent
CADRE = str(ROOT / ".venv" / "bin" / "cadre")
ZONES = [
    ("America/Los_Angeles", -8.0),
    ("America/New_York", -5.0),
    ("UTC", 0.0),
    ("Europe/Paris", 1.0),
    ("Africa/Nairobi", 3.0),
    ("Asia/Kolkata", 5.5),
    ("Asia/Singapore", 8.0),
    ("Asia/Tokyo", 9.0),
]
FUNCTIONS = ["engineering", "sales", "operations", "people", "finance", "data", "design"]


def make_people(path: Path, n: int, seed: int) -> dict[str, dict[str, str]]:
    rnd = random.Random(seed)
    rows: dict[str, dict[str, str]] = {}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = safecsv.writer(fh)
        writer.writerow(["email", "name", "function", "organization", "time_zone"])
        for i in range(n):
            zone = rnd.choice(ZONES)
            row = {
                "email": f"person{i:05d}@example.org",
                "name": f"Person {i}",
                "function": rnd.choice(FUNCTIONS),
                "organization": f"org{rnd.randrange(max(2, n // 40))}",
                "time_zone": zone[0],
                "offset": str(zone[1]),
            }
            writer.writerow(
                [row[k] for k in ("email", "name", "function", "organization", "time_zone")]
            )
            rows[row["email"]] = row
    return rows


def timed(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS (MB), stderr of a command run
    under /usr/bin/time -v."""
    print("$", " ".join(shlex.quote(c) for c in cmd), flush=True)
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed ({done.returncode})")
    wall = re.search(
        r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr
    )
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
    assert wall and rss and user and system
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    cpu = float(user.group(1)) + float(system.group(1))
    return seconds, cpu, int(rss.group(1)) / 1024, done.stderr


def read_round(path: Path) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert row["round"] == "1", "one round per run"
            groups.setdefault(row["group"], []).append(row["email"])
    return list(groups.values())


def check(groups: list[list[str]], people: list[str], size: int) -> None:
    """Independent checks of one round: a partition, sizes size..size+leftover, no singleton."""
    placed = [p for g in groups for p in g]
    assert sorted(placed) == sorted(people), "not a partition of the people"
    leftover = len(people) % size
    assert len(groups) == len(people) // size, "wrong number of groups"
    assert all(size <= len(g) <= size + leftover and len(g) >= 2 for g in groups), "bad group size"


def soft(groups: list[list[str]], rows: dict[str, dict[str, str]]) -> tuple[float, float, float]:
    """Share of pairs in a group with the same function, same organization; mean hours apart."""
    same_f = same_o = hours = pairs = 0.0
    for g in groups:
        for a, b in itertools.combinations(g, 2):
            pairs += 1
            same_f += rows[a]["function"] == rows[b]["function"]
            same_o += rows[a]["organization"] == rows[b]["organization"]
            hours += abs(float(rows[a]["offset"]) - float(rows[b]["offset"]))
    return same_f / pairs, same_o / pairs, hours / pairs


def lower_bound(people: list[str], met: dict[str, set[str]], size: int) -> int:
    """Repeats every partition must have: people who have met all but fewer than size-1
    others (half a repeat each, rounded up); 0 in all the runs here."""
    short = sum(max(0, size - 1 - (len(people) - 1 - len(met.get(p, ())))) for p in people)
    return (short + 1) // 2


def completion(sizes: tuple[int, ...] = (8, 10, 12, 16, 20), seeds: int = 3) -> list[str]:
    """Small networks with heavy history: the first k rounds of a shuffled round robin are
    history, and plan_rounds must plan the n-1-k remaining rounds (0 repeats is possible,
    the rest of the round robin). Rows: n, instances, with 0 repeats, most repeats, seconds."""
    rows = []
    for n in sizes:
        zero = worst = instances = 0
        start = time.monotonic()
        for k in range(1, n - 1):
            for seed in range(seeds):
                schedule = round_robin(n // 2)
                perm = list(range(n))
                random.Random(seed).shuffle(perm)
                history = [(f"p{perm[a]}", f"p{perm[b]}") for w in schedule[:k] for a, b in w]
                result = plan_rounds(
                    [f"p{i}" for i in range(n)],
                    rounds=n - 1 - k,
                    history=history,
                    seed=seed,
                    seconds=2,
                )
                instances += 1
                zero += result.repeats == 0
                worst = max(worst, result.repeats)
        rows.append(f"| {n} | {instances} | {zero} | {worst} | {time.monotonic() - start:.1f} |")
    return rows


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    mem = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GB RAM"
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, {mem}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", default="1000,10000")
    parser.add_argument("--sizes", default="2,3")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    counts = [int(x) for x in args.people.split(",")]
    sizes = [int(x) for x in args.sizes.split(",")]
    lines: list[str] = []
    summary: list[str] = []
    loads: list[float] = []
    work = Path(tempfile.mkdtemp(prefix="bench-rotation-"))
    try:
        for n in counts:
            people_path = work / f"people-{n}.csv"
            rows = make_people(people_path, n, seed=n)
            people = list(rows)
            for size in sizes:
                met: dict[str, set[str]] = {}
                earlier: list[Path] = []
                worst = 0.0
                for week in range(1, args.rounds + 1):
                    out = work / f"rounds-{n}-{size}-{week}.csv"
                    cmd = [CADRE, "rotate", str(people_path), "--size", str(size), "--rounds", "1"]
                    for path in earlier:
                        cmd += ["--history", str(path)]
                    cmd += [
                        "--prefer-different",
                        "function,organization",
                        "--seconds",
                        f"{args.seconds:g}",
                        "--seed",
                        str(week),
                        "--out",
                        str(out),
                        "--quiet",
                    ]
                    seconds, cpu, rss, _ = timed(cmd)
                    loads.append(os.getloadavg()[0])
                    worst = max(worst, seconds)
                    groups = read_round(out)
                    check(groups, people, size)
                    bound = lower_bound(people, met, size)
                    before = sum(len(m) for m in met.values()) // 2
                    repeats = 0
                    for g in groups:
                        for a, b in itertools.combinations(g, 2):
                            if b in met.get(a, ()):
                                repeats += 1
                    for g in groups:
                        for a, b in itertools.combinations(g, 2):
                            met.setdefault(a, set()).add(b)
                            met.setdefault(b, set()).add(a)
                    shuffled = people[:]
                    random.Random(week).shuffle(shuffled)
                    baseline = [shuffled[i : i + size] for i in range(0, n - n % size, size)]
                    for i, p in enumerate(shuffled[n - n % size :]):
                        baseline[i].append(p)
                    f, o, h = soft(groups, rows)
                    rf, ro, rh = soft(baseline, rows)
                    lines.append(
                        f"| {n:,} | {size} | {week} | {before:,} "
                        f"| {seconds:.2f} | {cpu:.2f} | {rss:.0f} | {repeats} | {bound} "
                        f"| {f:.3f} ({rf:.3f}) | {o:.3f} ({ro:.3f}) | {h:.2f} ({rh:.2f}) |"
                    )
                    earlier.append(out)
                summary.append(f"{n:,} people, groups of {size}: slowest round {worst:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("completing round robins from history (in-process)", flush=True)
    small = completion()
    command = "make bench-rotation  # = .venv/bin/python benchmarks/rotation/run.py"
    extra = " ".join(sys.argv[1:])
    if extra:
        command = f".venv/bin/python benchmarks/rotation/run.py {extra}"
    text = f"""# Rotation benchmark: virtual coffee rounds

Generated by `benchmarks/rotation/run.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; do
not edit by hand. Reproduce with:

    {command}

Machine: {machine()}.

The machine was shared: the 1-minute load average after each run ranged
{min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} CPUs, so wall seconds can exceed
CPU seconds; the search stops at --seconds of wall clock either way.

## Virtual coffee at scale

Each row is one `cadre rotate PEOPLE.csv --size S --rounds 1 --history ROUNDS-1.csv ...
--prefer-different function,organization --seconds {args.seconds:g}` run as a subprocess (the
people file has e-mail, name, function, organization and an IANA time zone; every earlier
round of the same series is passed with --history). Seconds and memory are wall clock and
peak resident set size of the whole process (start-up, reading, search, writing) from
/usr/bin/time -v (CPU s = user + system). Every output was checked here: each person exactly once, no group smaller
than 2, group sizes S..S+leftover. Repeats are recounted against all earlier rounds; the
lower bound is the counting bound (0 while everyone has partners not yet met). The last
three columns compare the pairs inside groups with a random partition (in brackets): share
with the same function, the same organization, and mean hours between UTC offsets.

{chr(10).join("- " + s for s in summary)}

| people | size | round | earlier meetings | seconds | CPU s | MB | repeats | lower bound | same function | same organization | hours apart |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(lines)}

## Small networks with heavy history

The hard case for "no repeat while avoidable": n people (even) have already met in the
first k rounds of a shuffled round robin (k = 1..n-2, 3 shuffles each) and `plan_rounds`
(called in-process, --seconds 2) plans the remaining n-1-k rounds. Zero repeats is always
possible (the rest of the round robin); the local search does not always find it.

| people | instances | with 0 repeats | most repeats | seconds (all instances) |
| --- | --- | --- | --- | --- |
{chr(10).join(small)}
"""
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
