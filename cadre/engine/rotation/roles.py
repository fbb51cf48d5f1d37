"""Role rotas: who facilitates, takes notes, reports data... at each upcoming session.

Rules, in priority order: an absent person holds no role; nobody holds two roles in one
session; every role is filled while somebody is available; each person's count per role
(over past and upcoming sessions) stays within one of everybody else's; nobody holds the
same role at two sessions in a row while that can be avoided; spare turns go to whoever
has held fewest roles, and then least recently.

Method: the sessions are filled in order, each by an exact assignment
(scipy.optimize.linear_sum_assignment) of roles to the available members with the
lexicographic cost of those rules; several seeded tie-breaks are tried and the rota with the
fewest broken rules kept. Past sessions are read, never changed: they count toward the
evenness and the back-to-back rule of the first upcoming session. Fixed roles (a swap the
members agreed) are kept as given and counted like any other, so the later sessions
rebalance around them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_BEHIND = 1e6  # per count above the role's lowest among available members
_BACK_TO_BACK = 1e4
_TOTAL = 1e2  # per role held in total, above the lowest
_RECENT = 1.0  # per session since the person's last role (negative: longer ago is better)
_ATTEMPTS = 12


@dataclass(frozen=True)
class RotaResult:
    """status: "solved" (every role filled, counts within one, no back-to-back), "partial"
    (some rule could not be kept; message says which), "invalid" (bad input; assignments
    empty). assignments[i] maps each role to the person holding it at sessions[i], or None
    when nobody was available. counts[person][role] covers past and upcoming sessions."""

    status: str
    assignments: list[dict[str, str | None]]
    counts: dict[str, dict[str, int]]
    message: str


def _validate(members: Sequence[str], sessions: Sequence[str], roles: Sequence[str]) -> str | None:
    for what, values in (("members", members), ("sessions", sessions), ("roles", roles)):
        seen: set[str] = set()
        for value in values:
            if not isinstance(value, str) or not value:
                return f"{what} must be non-empty strings, got {value!r}"
            if value in seen:
                return f"{value!r} is listed twice in {what}"
            seen.add(value)
    return None


def _plan(
    members: list[str],
    sessions: Sequence[str],
    roles: list[str],
    absences: Mapping[str, Collection[str]],
    past: Sequence[Mapping[str, str]],
    rng: np.random.Generator | None,
    fixed: Mapping[str, Mapping[str, str]],
) -> list[dict[str, str | None]]:
    count = {p: dict.fromkeys(roles, 0) for p in members}
    total = dict.fromkeys(members, 0)
    last_any = dict.fromkeys(members, -(10**6))
    last_role: dict[str, str | None] = dict.fromkeys(members, None)
    clock = 0
    for held in past:
        for role, person in held.items():
            if person in count and role in count[person]:
                count[person][role] += 1
                total[person] += 1
                last_any[person] = clock
        clock += 1
    if past:
        last_role = dict.fromkeys(members)
        for role, person in past[-1].items():
            if person in last_role:
                last_role[person] = role
    plan: list[dict[str, str | None]] = []
    for session_id in sessions:
        present = [p for p in members if session_id not in absences.get(p, ())]
        chosen: dict[str, str | None] = dict.fromkeys(roles, None)
        for role, person in fixed.get(session_id, {}).items():
            if role in chosen and person in present and person not in chosen.values():
                chosen[role] = person
        here = [p for p in present if p not in chosen.values()]
        free = [r for r in roles if chosen[r] is None]
        if here and free:
            low = {r: min(count[p][r] for p in present) for r in free}
            low_total = min(total[p] for p in present)
            cost = np.empty((len(here), len(free)))
            for i, p in enumerate(here):
                for j, r in enumerate(free):
                    cost[i, j] = (
                        _BEHIND * (count[p][r] - low[r])
                        + _BACK_TO_BACK * (last_role[p] == r)
                        + _TOTAL * (total[p] - low_total)
                        - _RECENT * min(clock - last_any[p], 50)
                    )
            if rng is not None:
                cost += rng.random(cost.shape) * 0.5
            # scipy.optimize takes most of a second to load: not at every `cadre` start.
            from scipy.optimize import linear_sum_assignment

            rows, cols = linear_sum_assignment(cost)
            for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
                chosen[free[j]] = here[i]
        holders = {p: r for r, p in chosen.items() if p is not None}
        for member in members:
            last_role[member] = holders.get(member)
        for holder, r in holders.items():
            count[holder][r] += 1
            total[holder] += 1
            last_any[holder] = clock

        clock += 1
        plan.append(chosen)
    return plan


def _counts(
    members: Sequence[str],
    roles: Sequence[str],
    sessions: Sequence[Mapping[str, str | None]],
) -> dict[str, dict[str, int]]:
    counts = {p: dict.fromkeys(roles, 0) for p in members}
    for session in sessions:
        for role, person in session.items():
            if person is not None:
                counts.setdefault(person, dict.fromkeys(roles, 0))
                counts[person][role] = counts[person].get(role, 0) + 1
    return counts


def _faults(
    members: Sequence[str],
    roles: Sequence[str],
    past: Sequence[Mapping[str, str]],
    plan: Sequence[Mapping[str, str | None]],
) -> tuple[int, int, int]:
    """(roles left empty, counts more than one apart summed over roles, back-to-back repeats)."""
    empty = sum(1 for s in plan for p in s.values() if p is None)
    counts = _counts(members, roles, [*past, *plan])
    spread = 0
    if members:
        for r in roles:
            values = [counts[p][r] for p in members]
            spread += max(0, max(values) - min(values) - 1)
    back = 0
    previous: Mapping[str, str | None] = past[-1] if past else {}
    for session in plan:
        back += sum(1 for r, p in session.items() if p is not None and previous.get(r) == p)
        previous = session
    return empty, spread, back


def rotate_roles(
    members: Sequence[str],
    sessions: Sequence[str],
    roles: Sequence[str],
    *,
    absences: Mapping[str, Collection[str]] = {},
    past: Sequence[Mapping[str, str]] = (),
    seed: int = 0,
    fixed: Mapping[str, Mapping[str, str]] = {},
) -> RotaResult:
    """Assign `roles` at each of the upcoming `sessions` (in order) to `members`.

    `absences[person]` holds the session ids the person will miss; `past` lists role ->
    person of sessions already held, oldest first. `fixed[session][role]` is a person who
    holds that role there whatever the rest (ignored when they are absent, not a member, or
    already fixed to another role of the session). The objective is lexicographic: roles
    filled, then counts per role within one of each other (over past and upcoming), then no
    back-to-back repeat of a role, then total roles even and spread out in time."""
    members, roles = list(members), list(roles)
    error = _validate(members, sessions, roles)
    if error is not None:
        return RotaResult("invalid", [], {}, error)
    best: list[dict[str, str | None]] | None = None
    best_faults: tuple[int, int, int] | None = None
    for attempt in range(_ATTEMPTS):
        rng = None if attempt == 0 else np.random.default_rng([seed, attempt])
        plan = _plan(members, sessions, roles, absences, past, rng, fixed)
        faults = _faults(members, roles, past, plan)
        if best_faults is None or faults < best_faults:
            best, best_faults = plan, faults
        if faults == (0, 0, 0):
            break
    assert best is not None and best_faults is not None
    counts = _counts(members, roles, [*past, *best])
    empty, spread, back = best_faults
    if best_faults == (0, 0, 0):
        message = f"{len(roles)} role(s) over {len(sessions)} session(s), counts within one"
        return RotaResult("solved", best, counts, message)
    notes = []
    if empty:
        notes.append(f"{empty} role(s) left empty: too few people available")
    if spread:
        notes.append("some counts differ by more than one (absences or earlier sessions)")
    if back:
        notes.append(f"{back} back-to-back repeat(s) of a role")
    return RotaResult("partial", best, counts, "; ".join(notes))
