"""Upper bounds on the score parts of cohorts that can all meet, on the planted instances of
120 people (cohorts of 5-7); writes BOUND.md here.

    .venv/bin/python benchmarks/formation/bound.py [--seeds 2]

Every cohort that can meet is a set of 5-7 people who share a start hour; on these files
few people share any one hour, so all of them can be listed (about 165,000 per file).
Choosing k of them that hold everyone once is a set-partitioning programme, and its linear
relaxation (HiGHS through scipy.optimize.milp, no variable kept integer) bounds from above what any assignment with k cohorts that all meet can reach:

- the engine's objective (the sum of the cohorts' totals), with the parts of that optimum;
- each part alone;
- curiosity when the other three parts stay within 5% of today's engine (the "today" rows
  of RESULTS.md, means over the seeds), over the seeds at once, as the benchmark compares.

When that last bound is below 95% of today's curiosity, no engine whose cohorts all meet
can come within 5% of today's on every part. The 240-person files have 10 to 60 million
such cohorts, too many to list this way.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from planted import planted_people, write_people  # noqa: E402
from scipy.optimize import LinearConstraint, milp  # noqa: E402
from scipy.sparse import block_diag, coo_array, vstack  # noqa: E402

from cadre.engine.formation import FormationProblem, Person  # noqa: E402
from cadre.engine.formation.csvio import read_people  # noqa: E402
from cadre.engine.formation.score import HOURS_PER_WEEK, Encoded, score_members  # noqa: E402

PARTS = ("diversity", "complementarity", "curiosity", "schedule", "balance")
OTHERS = ("diversity", "complementarity", "balance")
N, LOW, HIGH = 120, 5, 7


def people_of(seed: int, work: Path) -> list[Person]:
    path = work / f"planted-{N}-{seed}.csv"
    write_people(path, planted_people(N, LOW, HIGH, seed))
    found = read_people(path)
    if found.errors:
        raise SystemExit("\n".join(found.errors))
    return list(found.people)


def meeting_cohorts(enc: Encoded) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Every set of LOW..HIGH people who share a start hour, and its five parts."""
    free: list[list[int]] = [[] for _ in range(HOURS_PER_WEEK)]
    for i, starts in enumerate(enc.starts):
        for h in starts:
            free[h].append(i)
    found: set[tuple[int, ...]] = set()
    for people in free:
        for size in range(LOW, HIGH + 1):
            found.update(itertools.combinations(people, size))
    cohorts = sorted(found)
    parts = np.array([[score_members(enc, c).parts[p] for p in PARTS] for c in cohorts])
    return cohorts, parts


def cover_matrix(n: int, cohorts: list[tuple[int, ...]]) -> coo_array:
    rows = [i for c in cohorts for i in c]
    cols = [j for j, c in enumerate(cohorts) for _ in c]
    return coo_array((np.ones(len(rows)), (rows, cols)), shape=(n, len(cohorts)))


def relaxation(
    blocks: list[tuple[int, int, list[tuple[int, ...]], np.ndarray]],
    gain: np.ndarray,
    floors: dict[int, float] | None = None,
) -> tuple[float, np.ndarray] | None:
    """Maximise gain . x over the relaxed set partitioning of every block (n people, k
    cohorts each); floors: part index -> least mean over all cohorts of all blocks. Returns
    (the bound, the parts' means at the relaxed optimum), or None when infeasible."""
    cover = block_diag([cover_matrix(n, c) for n, _, c, _ in blocks]).tocsr()
    parts = np.vstack([p for _, _, _, p in blocks])
    counts = block_diag([np.ones((1, len(c))) for _, _, c, _ in blocks]).tocsr()
    need = np.concatenate([np.ones(n) for n, _, _, _ in blocks])
    ks = np.array([float(k) for _, k, _, _ in blocks])
    rows, low, high = [cover, counts], [need, ks], [need, ks]
    total = ks.sum()
    for j, floor in (floors or {}).items():
        rows.append(coo_array(parts[:, j][None, :]))
        low.append(np.array([floor * total]))
        high.append(np.array([np.inf]))
    solved = milp(
        c=-gain,
        integrality=np.zeros(len(gain)),
        bounds=(0, 1),
        constraints=LinearConstraint(
            vstack(rows).tocsr(), np.concatenate(low), np.concatenate(high)
        ),
    )
    if solved.x is None:
        return None
    return -solved.fun, (solved.x @ parts) / total


def today(results: Path, label: str) -> dict[str, float]:
    """The means of today's engine on the 120-person planted files, from RESULTS.md."""
    text = results.read_text(encoding="utf-8")
    section = text.split(f"### {N} people", 1)[1].split("###", 1)[0]
    row = re.search(rf"^\| {re.escape(label)} \|(.*)$", section, re.M)
    if row is None:
        raise SystemExit(f"no row {label!r} in {results}")
    cells = [c.strip() for c in row[1].split("|")]
    # can meet, share, wall, then the four other parts in OTHER_PARTS order of run.py.
    values = [float(c) for c in cells[3:7]]
    return dict(zip(("diversity", "complementarity", "curiosity", "balance"), values, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2, help="planted seeds 1..SEEDS")
    args = parser.parse_args()
    started = time.monotonic()
    blocks = []
    with tempfile.TemporaryDirectory(prefix="cadre-formation-bound-") as tmp:
        for seed in range(1, args.seeds + 1):
            problem = FormationProblem(
                people_of(seed, Path(tmp)), min_size=LOW, max_size=HIGH, session_minutes=60
            )
            enc = Encoded(problem)
            cohorts, parts = meeting_cohorts(enc)
            print(f"seed {seed}: {len(cohorts)} cohorts that can meet", flush=True)
            blocks.append((enc.n, enc.k, cohorts, parts))
    weights = np.array(Encoded(problem).w)
    parts = np.vstack([p for _, _, _, p in blocks])
    k_total = sum(k for _, k, _, _ in blocks)
    lines = [
        "# Formation: bounds for cohorts that can all meet",
        "",
        "Written by `benchmarks/formation/bound.py`; do not edit by hand. Planted files of "
        f"{N} people, cohorts of {LOW}–{HIGH}, seeds 1–{args.seeds} (the files of RESULTS.md), "
        "60-minute sessions, the usual number of cohorts. Each row is the linear relaxation "
        "of choosing cohorts that can meet and hold everyone once: no assignment whose "
        "cohorts all meet does better than its bound. Means over all cohorts of all seeds.",
        "",
        "| maximised | bound (mean per cohort) | " + " | ".join(PARTS) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in PARTS) + " |",
    ]

    def row(label: str, gain: np.ndarray, floors: dict[int, float] | None = None) -> None:
        found = relaxation(blocks, gain, floors)
        if found is None:
            lines.append(f"| {label} | infeasible | " + " | ".join("–" for _ in PARTS) + " |")
        else:
            bound, means = found
            shown = " | ".join(f"{m:.3f}" for m in means)
            lines.append(f"| {label} | {bound / k_total:.3f} | {shown} |")
        print(lines[-1], flush=True)

    row("objective (sum of totals)", parts @ weights)
    for j, part in enumerate(PARTS):
        if part != "schedule":
            row(f"{part} alone", parts[:, j])
    results = HERE / "RESULTS.md"
    for label in ("today, default", "today, --require-slot"):
        old = today(results, label)
        floors = {PARTS.index(p): 0.95 * old[p] for p in OTHERS}
        row(
            f"curiosity, the others >= 95% of {label} (needs >= {0.95 * old['curiosity']:.3f})",
            parts[:, PARTS.index("curiosity")],
            floors,
        )
    lines += ["", f"{time.monotonic() - started:.0f} s.", ""]
    (HERE / "BOUND.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
