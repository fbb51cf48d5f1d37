"""Benchmark `cadre mdgp` on the MDGPLIB instances in ../shared/benchmarks/mdgp and write
benchmarks/mdgp/RESULTS.md.

Each run is the exact command line `cadre mdgp INSTANCE --seconds S --seed K --out FILE` in a
subprocess, at the literature's time limits (3 s for n <= 120, 20 s for n <= 240, 120 s for
n <= 480, 600 s beyond). The objective is recomputed here from the written file, which must
be a feasible assignment; the printed value is only cross-checked. Random assignment and
the greedy construction run as baselines.

    python benchmarks/mdgp/run.py [--data DIR] [--seeds 5] [--instances SUBSTR,...] [--quick]
                                  [--jobs 1] [--out benchmarks/mdgp/RESULTS.md]

The data folder defaults to $CADRE_MDGP_DATA or ../shared/benchmarks/mdgp beside the repo.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cadre.engine.grouping import (  # noqa: E402
    InstanceError,
    check_assignment,
    greedy_assignment,
    objective,
    random_assignment,
    read_mdgp,
    warm_up,
)

DEFAULT_DATA = REPO.parent / "shared" / "benchmarks" / "mdgp"
# Targets from issue 3: mean gap to the best known value, by n.
TARGETS = {120: 0.3, 240: 0.3, 480: 0.4}
QUICK = ["RanReal_n010", "RanReal_n012", "RanReal_n120_ss_01", "RanReal_n120_ds_01"]


def time_limit(n: int) -> float:
    if n <= 120:
        return 3.0
    if n <= 240:
        return 20.0
    if n <= 480:
        return 120.0
    return 600.0


@dataclass
class Row:
    name: str
    n: int
    kind: str
    seconds: float
    reference: float | None  # bks or proven optimum
    reference_kind: str
    tpsdp_avg: float | None
    values: list[float] = field(default_factory=list)
    walls: list[float] = field(default_factory=list)
    random_value: float = 0.0
    greedy_value: float = 0.0

    def gap(self, value: float) -> float | None:
        if self.reference is None:
            return None
        return 100.0 * (self.reference - value) / abs(self.reference)


def read_csv(path: Path, key: str, value: str) -> dict[str, float]:
    if not path.exists():
        return {}
    with path.open() as f:
        return {r["instance"]: float(r[value]) for r in csv.DictReader(f) if r.get(value)}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import numba

        numba_version = numba.__version__
    except ImportError:
        numba_version = "not installed (NumPy kernel)"
    return (
        f"{cpu}, {os.cpu_count()} cores; Linux {platform.release()}; Python "
        f"{platform.python_version()}, NumPy {np.__version__}, numba {numba_version}"
    )


def run_once(
    cadre: str, instance_path: Path, seconds: float, seed: int
) -> tuple[str, float, float]:
    """Run the CLI; return (file contents, printed objective, wall seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "assignment.txt"
        cmd = [
            cadre,
            "mdgp",
            str(instance_path),
            "--seconds",
            f"{seconds:g}",
            "--seed",
            str(seed),
            "--out",
            str(out),
        ]
        t0 = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.monotonic() - t0
        if proc.returncode != 0:
            raise SystemExit(f"{shlex.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
        printed = float(proc.stdout.split()[-1])
        return out.read_text(), printed, wall


def fmt(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("CADRE_MDGP_DATA", DEFAULT_DATA))
    )
    parser.add_argument("--seeds", type=int, default=5, help="runs per instance (seeds 1..N)")
    parser.add_argument(
        "--instances", default="", help="comma-separated substrings of instance names"
    )
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}, 2 seeds")
    parser.add_argument(
        "--jobs", type=int, default=1, help="runs at a time (each is single-threaded)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "mdgp" / "RESULTS.md")
    args = parser.parse_args(argv)

    folder = args.data / "instances"
    if not folder.is_dir():
        print(
            f"benchmark data not found: {folder} is not a folder (set --data or CADRE_MDGP_DATA)",
            file=sys.stderr,
        )
        return 2
    paths = sorted(folder.rglob("*.txt"), key=lambda p: (int(p.stem.split("_")[1][1:]), p.stem))
    wanted = (
        QUICK if args.quick and not args.instances else [s for s in args.instances.split(",") if s]
    )
    if wanted:
        paths = [p for p in paths if any(w in p.stem for w in wanted)]
    seeds = list(range(1, (2 if args.quick else args.seeds) + 1))
    bks = read_csv(args.data / "bks.csv", "instance", "bks")
    optima = read_csv(args.data / "small_exact_optima.csv", "instance", "optimum")
    tpsdp = read_csv(args.data / "tpsdp_results_all.csv", "instance", "tpsdp_avg")
    cadre = str(Path(sys.executable).with_name("cadre"))

    warm_up()  # compile the numba kernel once, outside the timed runs
    rows: list[Row] = []
    for path in paths:
        instance = read_mdgp(path)
        name = path.stem
        ref, ref_kind = (optima[name], "optimum") if name in optima else (bks.get(name), "bks")
        row = Row(
            name,
            instance.n,
            "ss" if "_ss_" in name else "ds",
            time_limit(instance.n),
            ref,
            ref_kind if ref is not None else "",
            tpsdp.get(name),
        )
        rng = np.random.default_rng(0)
        row.random_value = float(
            np.mean(
                [objective(instance.distances, random_assignment(instance, rng)) for _ in range(10)]
            )
        )
        row.greedy_value = float(
            np.mean(
                [objective(instance.distances, greedy_assignment(instance, rng)) for _ in range(10)]
            )
        )

        def one(seed: int, path: Path = path, row: Row = row) -> tuple[float, float]:
            text, printed, wall = run_once(cadre, path, row.seconds, seed)
            instance = read_mdgp(path)
            try:
                assignment = np.array([int(x) for x in text.split()], dtype=np.int64)
                check_assignment(instance, assignment)
            except (ValueError, InstanceError) as exc:
                raise SystemExit(f"{row.name} seed {seed}: infeasible output: {exc}") from None
            value = objective(instance.distances, assignment)
            if abs(value - printed) > 1e-6 * max(1.0, abs(value)):
                raise SystemExit(f"{row.name} seed {seed}: printed {printed}, file gives {value}")
            return value, wall

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(one, seeds))
        row.values = [v for v, _ in results]
        row.walls = [w for _, w in results]
        rows.append(row)
        print(
            f"{name:24} best {max(row.values):14.3f} mean {np.mean(row.values):14.3f} "
            f"gap {fmt(row.gap(float(np.mean(row.values))))}% wall {max(row.walls):.2f}s",
            flush=True,
        )

    command = "python benchmarks/mdgp/run.py" + "".join(
        f" {shlex.quote(a)}" for a in (argv if argv is not None else sys.argv[1:])
    )
    args.out.write_text(report(rows, command, len(seeds), args.jobs))
    print(f"wrote {args.out}")
    return 0


def report(rows: list[Row], command: str, n_seeds: int, jobs: int) -> str:
    lines = [
        "# MDGP benchmark results",
        "",
        "Written by `benchmarks/mdgp/run.py`; do not edit by hand.",
        "",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {machine()}",
        f"- Reproduce: `make bench-mdgp` or `{command}` (from the repo root, with the venv's python)",
        f"- Protocol: {n_seeds} runs per instance (seeds 1..{n_seeds}), each the command line "
        "`cadre mdgp INSTANCE --seconds S --seed K --out FILE` with S the literature's limit "
        f"(3 s for n=120, 20 s for n=240, 120 s for n=480), {jobs} run(s) at a time. Objectives are "
        "recomputed from the written files, which are checked feasible. Wall = the longest "
        "run's wall-clock time, process start to exit.",
        "- Gap = 100 × (reference − value) / reference; negative means better than the reference. "
        "The reference is the proven optimum for n ≤ 12 and otherwise the best-known value of bks.csv "
        "(TPSDP's best of 20 runs). TPSDP avg gap is TPSDP's own mean over 20 runs, for comparison.",
        "- Baselines: mean of 10 random feasible assignments and of 10 greedy constructions.",
        "",
        "| instance | n | type | limit s | best | mean | gap best % | gap mean % | TPSDP avg gap % | random gap % | greedy gap % | wall s |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        mean = float(np.mean(r.values))
        lines.append(
            f"| {r.name} | {r.n} | {r.kind} | {r.seconds:g} | {max(r.values):.3f} | {mean:.3f} | "
            f"{fmt(r.gap(max(r.values)))} | {fmt(r.gap(mean))} | "
            f"{fmt(None if r.tpsdp_avg is None else r.gap(r.tpsdp_avg))} | "
            f"{fmt(r.gap(r.random_value), 2)} | {fmt(r.gap(r.greedy_value), 2)} | {max(r.walls):.2f} |"
        )
    lines += ["", "## Summary against the targets", ""]
    lines += [
        "| n | type | instances | mean gap % | TPSDP avg gap % | target % | met |",
        "| ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for n in sorted({r.n for r in rows}):
        for kind in ("ss", "ds"):
            group = [r for r in rows if r.n == n and r.kind == kind and r.reference is not None]
            if not group:
                continue
            gaps = [r.gap(v) for r in group for v in r.values]
            mean_gap = float(np.mean([g for g in gaps if g is not None]))
            tp = [r.gap(r.tpsdp_avg) for r in group if r.tpsdp_avg is not None]
            tp_text = fmt(float(np.mean([g for g in tp if g is not None]))) if tp else "–"
            if n <= 12:
                hit = all(
                    abs(v - r.reference) <= 1e-6 * abs(r.reference)
                    for r in group
                    for v in r.values
                    if r.reference
                )
                target, met = "optimum", "yes" if hit else "no"
            else:
                limit = TARGETS.get(n)
                target = "–" if limit is None else f"≤ {limit}"
                met = "–" if limit is None else ("yes" if mean_gap <= limit else "no")
            lines.append(
                f"| {n} | {kind} | {len(group)} | {mean_gap:.3f} | {tp_text} | {target} | {met} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
