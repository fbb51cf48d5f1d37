"""The formation problem as plain data, and its validation with exact error messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

HOURS_PER_WEEK = 168
MAX_LEVEL = 4
MAX_GROUP = 255  # the search counts members per hour in one byte
PARTS = ("diversity", "complementarity", "curiosity", "schedule", "balance")
ATTRIBUTES = ("function", "industry", "organization", "seniority", "region")


@dataclass(frozen=True)
class Person:
    """One applicant. Blank attributes are unknown; an empty availability means "any time"."""

    key: str  # unique id (e-mail in the CSV, user id in the web app)
    name: str = ""
    function: str = ""
    industry: str = ""
    organization: str = ""
    seniority: str = ""
    region: str = ""  # e.g. the time zone
    availability_utc: frozenset[int] = frozenset()  # hours of the week in UTC, 0 = Mon 00:00
    skills: Mapping[str, int] = field(default_factory=dict)  # skill slug -> level 0..4
    goals: frozenset[str] = frozenset()  # learning-goal tags, lower-case


@dataclass(frozen=True)
class Weights:
    """How much each part counts. Every part of a group is a number in 0..1, so with weights
    summing to 1 a group's total is in 0..1 too. `attributes` weighs the mismatches inside
    the diversity part (only their ratios matter)."""

    diversity: float = 0.35
    complementarity: float = 0.25
    curiosity: float = 0.15
    schedule: float = 0.15
    balance: float = 0.10
    attributes: Mapping[str, float] = field(
        default_factory=lambda: {
            "function": 1.0,
            "industry": 1.0,
            "organization": 1.0,
            "seniority": 0.5,
            "region": 0.5,
        }
    )

    def of(self, part: str) -> float:
        value: float = getattr(self, part)
        return value


@dataclass(frozen=True)
class FormationProblem:
    people: Sequence[Person]
    min_size: int
    max_size: int
    groups: int | None = None  # None: choose a feasible count (sizes near the middle)
    must_together: Sequence[tuple[str, str]] = ()
    cannot_together: Sequence[tuple[str, str]] = ()
    pinned: Mapping[str, int] = field(default_factory=dict)  # person key -> group index
    session_minutes: int | None = None  # when set, a common weekly slot of this length
    require_common_slot: bool = False  # hard when True, soft (scored) otherwise
    target_skills: Sequence[str] = ()  # skills the cohorts should cover; default: all seen
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class GroupScore:
    parts: Mapping[str, float]  # the keys of PARTS, each in 0..1 (1 = best)
    total: float  # sum over parts of weight * part
    reasons: Sequence[str]  # why this group looks the way it does
    common_slots: Sequence[int]  # UTC hour-of-week starts where everyone can meet


@dataclass(frozen=True)
class MeetingReport:
    """Whether the cohorts can meet, and when some cannot, why."""

    cohorts: int
    can_meet: int  # cohorts of the answer with a common slot
    cannot_meet: Sequence[int]  # indexes of the answer's cohorts without one
    fewest_unable: int  # no assignment has fewer cohorts that cannot meet (a proven bound)
    isolated: Sequence[str]  # keys of people who share no slot with enough others for a cohort
    explanation: Sequence[str]  # all of the above in sentences, for people


@dataclass(frozen=True)
class FormationResult:
    status: str  # "optimal" | "feasible" | "infeasible" | "invalid"
    objective: float  # sum of the groups' totals
    groups: Sequence[Sequence[str]]  # person keys per group
    scores: Sequence[GroupScore]
    message: str
    iterations: int = 0
    seconds: float = 0.0
    meeting: MeetingReport | None = None  # None when the problem was invalid


def feasible_group_counts(n: int, min_size: int, max_size: int) -> range:
    """Every k with k * min_size <= n <= k * max_size."""
    if n <= 0 or min_size < 1 or max_size < min_size:
        return range(0)
    low = -(-n // max_size)
    high = n // min_size
    return range(low, high + 1) if low <= high else range(0)


def choose_group_count(n: int, min_size: int, max_size: int) -> int | None:
    """The feasible count whose average size is nearest the middle of the bounds."""
    counts = feasible_group_counts(n, min_size, max_size)
    if not counts:
        return None
    middle = (min_size + max_size) / 2
    return min(counts, key=lambda k: (abs(n / k - middle), k))


def session_hours(session_minutes: int | None) -> int:
    """Slots start on whole hours; a session of m minutes needs ceil(m / 60) whole hours."""
    return max(1, -(-(session_minutes or 60) // 60))


def must_units(keys: Sequence[str], pairs: Sequence[tuple[str, str]]) -> list[list[int]]:
    """People joined by must-together pairs (transitively), as lists of indexes in input
    order; people named in no pair form units of one. Unknown keys are ignored."""
    index = {k: i for i, k in enumerate(keys)}
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        if a in index and b in index:
            ra, rb = find(index[a]), find(index[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    units: dict[int, list[int]] = {}
    for i in range(len(keys)):
        units.setdefault(find(i), []).append(i)
    return list(units.values())


def _not_among_the_people(label: str, key: str) -> str:
    return f"{label} names {key!r}, who is not among the people."


def validate_problem(problem: FormationProblem) -> list[str]:
    """Every reason the problem cannot be solved as stated, as exact sentences; [] if none."""
    errors: list[str] = []
    people = list(problem.people)
    n = len(people)
    if n == 0:
        errors.append("There are no people to form cohorts from.")
    if problem.min_size < 1:
        errors.append(f"The minimum cohort size must be at least 1, got {problem.min_size}.")
    if problem.max_size > MAX_GROUP:
        errors.append(f"The maximum cohort size is at most {MAX_GROUP}, got {problem.max_size}.")
    if problem.max_size < problem.min_size:
        errors.append(
            f"The maximum cohort size ({problem.max_size}) is smaller than the minimum "
            f"({problem.min_size})."
        )
    keys = [p.key for p in people]
    seen: set[str] = set()
    for p in people:
        if not p.key:
            errors.append(f"A person has an empty key (name {p.name!r}).")
        elif p.key in seen:
            errors.append(f"The key {p.key!r} is used by more than one person.")
        seen.add(p.key)
        for skill, level in p.skills.items():
            if not 0 <= level <= MAX_LEVEL:
                errors.append(
                    f"{p.key}: skill {skill!r} has level {level}; levels run from 0 to {MAX_LEVEL}."
                )
        bad_hours = sorted(h for h in p.availability_utc if not 0 <= h < HOURS_PER_WEEK)
        if bad_hours:
            errors.append(
                f"{p.key}: availability hour {bad_hours[0]} is outside 0..{HOURS_PER_WEEK - 1}."
            )
    for label, pairs in (
        ("must_together", problem.must_together),
        ("cannot_together", problem.cannot_together),
    ):
        for a, b in pairs:
            for key in (a, b):
                if key not in seen:
                    errors.append(_not_among_the_people(label, key))
            if a == b:
                errors.append(f"{label} pairs {a!r} with themselves.")
    for key in problem.pinned:
        if key not in seen:
            errors.append(_not_among_the_people("pinned", key))
    if problem.session_minutes is not None and not (
        0 < problem.session_minutes <= HOURS_PER_WEEK * 60
    ):
        errors.append(
            f"The session length must be between 1 and {HOURS_PER_WEEK * 60} minutes, "
            f"got {problem.session_minutes}."
        )
    if problem.require_common_slot and problem.session_minutes is None:
        errors.append("A common slot is required but no session length is given.")
    for part in PARTS:
        if problem.weights.of(part) < 0:
            errors.append(f"The weight of {part} is negative.")
    for attr, w in problem.weights.attributes.items():
        if attr not in ATTRIBUTES:
            errors.append(f"Unknown attribute weight {attr!r}; use one of {', '.join(ATTRIBUTES)}.")
        elif w < 0:
            errors.append(f"The weight of the attribute {attr} is negative.")
    if errors:
        return errors

    # Sizes and group count.
    k = problem.groups
    if k is not None:
        if k < 1:
            errors.append(f"The number of cohorts must be at least 1, got {k}.")
        elif not k * problem.min_size <= n <= k * problem.max_size:
            errors.append(
                f"{n} people cannot form {k} cohorts of {problem.min_size}–{problem.max_size} "
                f"people (that takes {k * problem.min_size}–{k * problem.max_size} people)."
            )
    else:
        k = choose_group_count(n, problem.min_size, problem.max_size)
        if k is None:
            errors.append(
                f"No number of cohorts of {problem.min_size}–{problem.max_size} people "
                f"holds exactly {n} people."
            )

    # Must-together units against cannot-together pairs, sizes and pins.
    units = must_units(keys, problem.must_together)
    unit_of = {}
    for u, members in enumerate(units):
        for i in members:
            unit_of[keys[i]] = u
    for a, b in problem.cannot_together:
        if unit_of[a] == unit_of[b]:
            how = (
                "directly"
                if (a, b) in problem.must_together
                or (
                    b,
                    a,
                )
                in problem.must_together
                else "through a chain of must-together pairs"
            )
            errors.append(f"{a} and {b} cannot be together but must be together ({how}).")
    for members in units:
        if len(members) > problem.max_size:
            names = ", ".join(keys[i] for i in members[:4]) + (", …" if len(members) > 4 else "")
            errors.append(
                f"{len(members)} people must be together ({names}), more than the maximum "
                f"cohort size {problem.max_size}."
            )
        pins = {problem.pinned[keys[i]] for i in members if keys[i] in problem.pinned}
        if len(pins) > 1:
            names = ", ".join(keys[i] for i in members if keys[i] in problem.pinned)
            errors.append(f"{names} must be together but are pinned to different cohorts.")
    if k is not None and k >= 1:
        load: dict[int, int] = {}
        for key, g in problem.pinned.items():
            if not 0 <= g < k:
                errors.append(
                    f"{key} is pinned to cohort {g}, but cohorts are numbered 0..{k - 1}."
                )
        pinned_units: dict[int, int] = {}
        for key, g in problem.pinned.items():
            pinned_units[unit_of[key]] = g
        for u, g in pinned_units.items():
            load[g] = load.get(g, 0) + len(units[u])
        for g, size in sorted(load.items()):
            if size > problem.max_size:
                errors.append(
                    f"Cohort {g} has {size} pinned people (with their must-together partners), "
                    f"more than the maximum size {problem.max_size}."
                )
        for a, b in problem.cannot_together:
            ga, gb = pinned_units.get(unit_of[a]), pinned_units.get(unit_of[b])
            if ga is not None and ga == gb and unit_of[a] != unit_of[b]:
                errors.append(f"{a} and {b} cannot be together but are pinned to cohort {ga}.")
    return errors
