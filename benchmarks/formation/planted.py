"""People files with a hidden answer: a partition into cohorts that can all meet is known to
exist, because it was planted. Used by run.py; runnable on its own:

    .venv/bin/python benchmarks/formation/planted.py --people 120 --size 5-7 --seed 1 --out people.csv

How an instance is made, all from one seeded generator:

- 3 to 6 time zones from a fixed list spanning the world (whole-hour offsets only, so that a
  local hour is one UTC hour).
- The people are dealt into cohorts of the given sizes (as many as `cadre form` would choose
  for that many people). Each planted cohort gets a hidden weekly hour: a weekday and a UTC
  hour that falls between 08:00 and 20:00 for at least two of the zones, and its members live
  in those zones.
- Each person is free at the hidden hour of their cohort (written in their local time) and
  at 3 to 6 other whole hours of the working week (Monday to Friday, 08:00 to 20:00 local),
  drawn at random, so nothing in the file tells the hidden hour from the others.
- Function, organization (with its industry), seniority, skills and learning goals are drawn
  the way `cadre demo` draws them (cadre.demo.data), so the score parts behave as on the
  demo.
- The rows are shuffled: the planted cohorts are not in file order.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cadre.demo import data  # noqa: E402
from cadre.engine import safecsv  # noqa: E402
from cadre.engine.formation import choose_group_count  # noqa: E402
from cadre.engine.formation.csvio import COLUMNS  # noqa: E402

ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WORK_START, WORK_END = 8, 20  # the local working day: planted and other free hours lie in it
MONDAY = datetime(2024, 1, 1, tzinfo=UTC)  # the reference week of docs/formation-csv.md


def local_hour(utc_hour: int, zone: str) -> int:
    """UTC hour of the reference week -> the same moment as a local hour of the week."""
    t = (MONDAY + timedelta(hours=utc_hour)).astimezone(zoneinfo.ZoneInfo(zone))
    return t.weekday() * 24 + t.hour


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def planted_sizes(rng: random.Random, n: int, low: int, high: int) -> list[int]:
    k = choose_group_count(n, low, high)
    if k is None:
        raise SystemExit(f"no number of cohorts of {low}-{high} holds {n} people")
    sizes = [low] * k
    for _ in range(n - low * k):
        sizes[rng.choice([j for j in range(k) if sizes[j] < high])] += 1
    return sizes


def person_attributes(rng: random.Random) -> dict[str, str]:
    functions = list(data.FUNCTIONS)
    function = rng.choices(functions, weights=[data.FUNCTIONS[f][0] for f in functions])[0]
    organization = rng.choices(data.ORGANIZATIONS, weights=[o.weight for o in data.ORGANIZATIONS])[
        0
    ]
    seniorities = list(data.SENIORITIES)
    seniority = rng.choices(seniorities, weights=[data.SENIORITIES[s][0] for s in seniorities])[0]
    names = [name for entries in data.SKILLS.values() for name, _ in entries]
    strengths = data.FUNCTION_STRENGTHS.get(function, ())
    bump = {"early": -0.6, "mid": 0.0, "senior": 0.4, "lead": 0.6, "executive": 0.6}
    rated = set(strengths) | set(rng.sample(names, rng.randint(3, 6)))
    skills = {}
    for name in sorted(rated):
        mean = (2.6 if name in strengths else 1.3) + bump[seniority]
        skills[slug(name)] = max(0, min(4, round(rng.gauss(mean, 0.9))))
    own = list(data.FUNCTION_GOALS.get(function, ()))
    goals = rng.sample(own, min(len(own), rng.randint(1, 3)))
    for goal in rng.sample(data.LEARNING_GOALS, rng.randint(0, 2)):
        if goal not in goals:
            goals.append(goal)
    return {
        "function": function,
        "industry": organization.industry,
        "organization": organization.name,
        "seniority": seniority,
        "skills": "; ".join(f"{s}:{lv}" for s, lv in sorted(skills.items())),
        "goals": "; ".join(goals),
    }


def availability_text(hours: set[int]) -> str:
    """Local hours of the week -> "Mon 09-11; Wed 14-15" (runs within a day)."""
    runs: list[list[int]] = []
    for h in sorted(hours):
        day, hour = divmod(h, 24)
        if runs and runs[-1][0] == day and runs[-1][2] == hour:
            runs[-1][2] = hour + 1
        else:
            runs.append([day, hour, hour + 1])
    return "; ".join(f"{DAYS[d]} {a:02d}-{b:02d}" for d, a, b in runs)


def planted_people(n: int, low: int, high: int, seed: int) -> list[dict[str, str]]:
    """n people (rows of a people CSV) hiding a partition into cohorts of low..high people
    that can all meet for one hour."""
    rng = random.Random(seed)
    zones = rng.sample(ZONES, rng.randint(3, 6))
    rows = []
    for cohort, size in enumerate(planted_sizes(rng, n, low, high)):
        while True:
            utc = rng.randrange(5) * 24 + rng.randrange(24)
            fits = [z for z in zones if WORK_START <= local_hour(utc, z) % 24 < WORK_END]
            if len(fits) >= 2:
                break
        for _ in range(size):
            zone = rng.choice(fits)
            hidden = local_hour(utc, zone)
            hours: set[int] = set()
            extra = rng.randint(3, 6)
            while len(hours) < extra:
                # People give time ranges: runs of one to three hours in the working day.
                run = min(rng.randint(1, 3), extra - len(hours))
                day = rng.randrange(5) * 24
                start = rng.randrange(WORK_START, WORK_END - run + 1)
                hours.update(h for h in range(day + start, day + start + run) if h != hidden)
            hours.add(hidden)
            number = len(rows) + 1
            rows.append(
                {
                    "name": f"Person {number}",
                    "email": f"p{number}@planted.test",
                    "time_zone": zone,
                    "availability": availability_text(hours),
                    "must_with": "",
                    "not_with": "",
                    "planted": str(cohort),
                    **person_attributes(rng),
                }
            )
    rng.shuffle(rows)
    return rows


def write_people(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = safecsv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows([row[c] for c in COLUMNS] for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--size", default="5-7", help="cohort sizes MIN-MAX (default 5-7)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    low, high = (int(x) for x in args.size.split("-"))
    write_people(args.out, planted_people(args.people, low, high, args.seed))


if __name__ == "__main__":
    main()
