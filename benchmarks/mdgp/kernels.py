"""What numba buys the MDGP solver: tabu iterations (moves) per second of the compiled kernel
and of the NumPy kernel that runs when numba is not installed (`cadre[fast]` left out), on the
same instances, seeds and time limits. Writes benchmarks/mdgp/KERNELS.md.

    python benchmarks/mdgp/kernels.py [--data DIR] [--seconds 10] [--seed 1]

Each kernel runs in its own process, chosen with CADRE_MDGP_KERNEL (numba or numpy), after
the numba kernel is compiled into its cache. One run per instance and kernel: the ratio is
what to read, and it is stable because both count the same iterations of the same search.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from benchmarks.mdgp.run import DEFAULT_DATA, machine  # noqa: E402

INSTANCES = ["instances/RanReal/RanReal_n120_ss_01.txt", "instances/RanReal/RanReal_n480_ss_01.txt"]

ONE_RUN = """
import json, sys, time
from cadre.engine.grouping import _kernels, read_mdgp, solve_mdgp
instance = read_mdgp(sys.argv[1])
started = time.monotonic()
result = solve_mdgp(instance, seconds=float(sys.argv[2]), seed=int(sys.argv[3]))
print(json.dumps({"kernel": "numba" if _kernels.HAVE_NUMBA else "numpy",
                  "iterations": result.iterations, "seconds": time.monotonic() - started,
                  "objective": result.objective, "n": instance.n}))
"""


def run(kernel: str, path: Path, seconds: float, seed: int) -> dict[str, float]:
    env = {**os.environ, "CADRE_MDGP_KERNEL": kernel}
    out = subprocess.run(
        [sys.executable, "-c", ONE_RUN, str(path), str(seconds), str(seed)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    answer: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    assert answer["kernel"] == kernel, f"asked for {kernel}, ran {answer['kernel']}"
    return answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("CADRE_MDGP_DATA", DEFAULT_DATA))
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "mdgp" / "KERNELS.md")
    args = parser.parse_args()

    from cadre.engine.grouping import warm_up

    if not warm_up():
        print("numba is not installed: run `make install-fast` first", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    rows = []
    for name in INSTANCES:
        path = args.data / name
        compiled = run("numba", path, args.seconds, args.seed)
        plain = run("numpy", path, args.seconds, args.seed)
        fast = compiled["iterations"] / compiled["seconds"]
        slow = plain["iterations"] / plain["seconds"]
        rows.append(
            f"| {Path(name).stem} | {compiled['n']} | {fast:,.0f} | {slow:,.0f} "
            f"| {fast / slow:.1f}x | {compiled['objective']:.2f} | {plain['objective']:.2f} |"
        )
        print(rows[-1], flush=True)
    load_after = os.getloadavg()
    blas = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    text = "\n".join(
        [
            "# MDGP solver: the numba kernel against the NumPy kernel",
            "",
            "Written by `make bench-mdgp-kernels` (`python benchmarks/mdgp/kernels.py`): tabu "
            "iterations (moves) per second, one run of each kernel per instance, "
            f"{args.seconds:g} s, seed {args.seed}.",
            "",
            f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {machine()}",
            f"- Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
            f"after: {', '.join(f'{x:.2f}' for x in load_after)}",
            f"- OpenBLAS settings in the environment: {blas or 'none'}",
            "",
            "| instance | n | numba moves/s | NumPy moves/s | ratio | numba objective "
            "| NumPy objective |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    args.out.write_text(text)
    print(f"wrote {args.out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
