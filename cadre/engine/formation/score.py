"""The objective: each group's parts from per-group counts and sums, never a pairwise matrix.

`Encoded` turns a FormationProblem into small integer codes once. `GroupStats` holds the
counts of one group; `State` keeps them for every group under moves and swaps, so a move is
evaluated from the two groups it touches in time proportional to the moved people's
attributes, skills, goals and possible meeting start hours.
`score_groups` recomputes everything from scratch with the same formulas.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .model import (
    ATTRIBUTES,
    HOURS_PER_WEEK,
    MAX_LEVEL,
    FormationProblem,
    GroupScore,
    choose_group_count,
    must_units,
    session_hours,
)

FULL_WEEK = (1 << HOURS_PER_WEEK) - 1
SLOT_TARGET = 3  # common start hours that count as "enough choice" (schedule part = 1)
COVERED_LEVEL = 3  # a target skill is covered when a member can do it on their own
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def hour_label(hour: int) -> str:
    return f"{DAY_NAMES[hour // 24]} {hour % 24:02d}:00 UTC"


def slot_mask(mask: int, hours: int) -> int:
    """Bit h set when every hour h, h+1, ..., h+hours-1 (around the week) is set in mask."""
    result = mask
    for k in range(1, hours):
        result &= ((mask >> k) | (mask << (HOURS_PER_WEEK - k))) & FULL_WEEK
    return result


def bits(mask: int) -> list[int]:
    return [h for h in range(HOURS_PER_WEEK) if mask >> h & 1]


class Encoded:
    """The problem as integer codes, plus the constants of the objective."""

    def __init__(self, problem: FormationProblem) -> None:
        people = list(problem.people)
        self.problem = problem
        self.n = n = len(people)
        self.keys = [p.key for p in people]
        self.index = {k: i for i, k in enumerate(self.keys)}
        k = problem.groups if problem.groups is not None else None
        if k is None:
            k = choose_group_count(n, problem.min_size, problem.max_size) or 1
        self.k = k
        self.min_size = problem.min_size
        self.max_size = problem.max_size

        # Attributes: one code per distinct value; attributes nobody filled in are dropped.
        self.attr_names: list[str] = []
        self.attr_weights: list[float] = []
        self.codes: list[list[int]] = []  # codes[f][i]
        self.values: list[list[str]] = []  # values[f][code]
        for name in ATTRIBUTES:
            raw = [getattr(p, name).strip() for p in people]
            weight = float(problem.weights.attributes.get(name, 0.0))
            if weight <= 0 or not any(raw):
                continue
            table: dict[str, int] = {}
            self.codes.append([table.setdefault(v.casefold(), len(table)) for v in raw])
            self.values.append(list(table))
            self.attr_names.append(name)
            self.attr_weights.append(weight)
        self.attr_weight_sum = sum(self.attr_weights)
        self.person_codes = [tuple(col[i] for col in self.codes) for i in range(n)]

        # Skills: the target skills, and each person's positive levels in them.
        if problem.target_skills:
            targets = list(dict.fromkeys(problem.target_skills))
        else:
            targets = sorted({s for p in people for s, level in p.skills.items() if level > 0})
        self.targets = targets
        skill_index = {s: j for j, s in enumerate(targets)}
        self.skills: list[tuple[tuple[int, int], ...]] = [
            tuple(
                sorted(
                    (skill_index[s], lv)
                    for s, lv in p.skills.items()
                    if s in skill_index and lv > 0
                )
            )
            for p in people
        ]
        # Experience: a person's mean level over the target skills (for balance).
        s_count = len(targets)
        self.experience = [
            sum(lv for _, lv in sk) / s_count if s_count else 0.0 for sk in self.skills
        ]
        mean = sum(self.experience) / n if n else 0.0
        self.mean_experience = mean
        var = sum((e - mean) ** 2 for e in self.experience) / n if n else 0.0
        self.experience_scale = 2 * math.sqrt(var)  # 0: balance ignores experience

        tag_table: dict[str, int] = {}
        self.goals: list[tuple[int, ...]] = [
            tuple(
                sorted(
                    {
                        tag_table.setdefault(g.strip().lower(), len(tag_table))
                        for g in p.goals
                        if g.strip()
                    }
                )
            )
            for p in people
        ]
        self.tags = list(tag_table)

        self.masks = [
            sum(1 << h for h in p.availability_utc) if p.availability_utc else FULL_WEEK
            for p in people
        ]
        self.hours = session_hours(problem.session_minutes)
        # The start hours at which each person could attend a whole session.
        self.starts = [bits(slot_mask(m, self.hours)) for m in self.masks]
        # The same as one integer with a byte per hour, so that adding a person to a
        # cohort's per-hour counts is one addition (counts stay below 256: see model.MAX_GROUP).
        self.start_bytes = [sum(1 << (8 * h) for h in st) for st in self.starts]
        # The same as a bit mask (bit h: can start at h), to test in one AND whether people
        # share a start.
        self.start_masks = [slot_mask(m, self.hours) for m in self.masks]
        self.hard_slot = bool(problem.require_common_slot and problem.session_minutes)

        self.cannot: list[list[int]] = [[] for _ in range(n)]
        for a, b in problem.cannot_together:
            ia, ib = self.index[a], self.index[b]
            self.cannot[ia].append(ib)
            self.cannot[ib].append(ia)

        self.units = must_units(self.keys, problem.must_together)
        self.unit_of = [0] * n
        for u, members in enumerate(self.units):
            for i in members:
                self.unit_of[i] = u
        self.unit_pin: list[int | None] = [None] * len(self.units)
        for key, g in problem.pinned.items():
            self.unit_pin[self.unit_of[self.index[key]]] = g

        w = problem.weights
        self.w = (w.diversity, w.complementarity, w.curiosity, w.schedule, w.balance)
        self.mean_size = n / self.k if self.k else 0.0
        self.size_scale = max(1, self.max_size - self.min_size)
        # A violated hard constraint costs more than any group can gain.
        self.hard_penalty = 10.0 * (sum(self.w) + 1.0)
        # A cohort without a common slot costs more than any cohort's total (sum(w)), so a
        # cohort that can meet outranks every cohort that cannot, whatever their other parts.
        # Hard when the slot is required; nothing when meeting time is ignored (weight 0) or
        # nobody gave their availability.
        self.slots_matter = w.schedule > 0 and any(m != FULL_WEEK for m in self.masks)
        if self.hard_slot:
            self.meet_penalty = self.hard_penalty
        elif self.slots_matter:
            self.meet_penalty = sum(self.w) + 1.0
        else:
            self.meet_penalty = 0.0

    def parts(
        self,
        size: int,
        same: Sequence[int],
        max_sum: int,
        shared: int,
        slots: int,
        reach: int,
        experience_sum: float,
    ) -> tuple[float, float, float, float, float]:
        """The five parts of one group from its counts (see the package docstring)."""
        pairs = size * (size - 1) // 2
        if pairs and self.attr_weight_sum:
            mismatch = 0.0
            for wf, sf in zip(self.attr_weights, same, strict=True):
                mismatch += wf * (pairs - sf)
            diversity = mismatch / (self.attr_weight_sum * pairs)
        else:
            diversity = 0.0
        s_count = len(self.targets)
        complementarity = max_sum / (MAX_LEVEL * s_count) if s_count else 1.0
        curiosity = min(1.0, shared / pairs) if pairs else 0.0
        schedule = 0.5 * reach / size + 0.5 * min(1.0, slots / SLOT_TARGET) if size else 0.0
        off_size = min(1.0, abs(size - self.mean_size) / self.size_scale)
        if self.experience_scale > 0 and size:
            off_exp = min(
                1.0, abs(experience_sum / size - self.mean_experience) / self.experience_scale
            )
        else:
            off_exp = 0.0
        balance = 1.0 - 0.5 * off_size - 0.5 * off_exp
        return diversity, complementarity, curiosity, schedule, balance

    def total(self, parts: Sequence[float]) -> float:
        w = self.w
        return (
            w[0] * parts[0] + w[1] * parts[1] + w[2] * parts[2] + w[3] * parts[3] + w[4] * parts[4]
        )


@dataclass
class _Scratch:
    size: int
    same: list[int]
    max_sum: int
    shared: int
    slot_counts: list[int]
    experience_sum: float
    conflicts: int


def _scratch(enc: Encoded, members: Sequence[int]) -> _Scratch:
    same = []
    for col in enc.codes:
        counts = Counter(col[i] for i in members)
        same.append(sum(c * (c - 1) // 2 for c in counts.values()))
    best: dict[int, int] = {}
    for i in members:
        for s, lv in enc.skills[i]:
            best[s] = max(best.get(s, 0), lv)
    tags = Counter(t for i in members for t in enc.goals[i])
    slot_counts = [0] * HOURS_PER_WEEK
    for i in members:
        for h in enc.starts[i]:
            slot_counts[h] += 1
    inside = set(members)
    conflicts = sum(1 for i in members for j in enc.cannot[i] if j in inside) // 2
    return _Scratch(
        size=len(members),
        same=same,
        max_sum=sum(best.values()),
        shared=sum(c * (c - 1) // 2 for c in tags.values()),
        slot_counts=slot_counts,
        experience_sum=math.fsum(enc.experience[i] for i in members),
        conflicts=conflicts,
    )


def search_value(enc: Encoded, members: Sequence[int]) -> float:
    """A group's total minus the penalties for violated hard constraints and for having no
    common slot (Encoded.meet_penalty), from scratch."""
    st = _scratch(enc, members)
    slots = st.slot_counts.count(st.size) if st.size else 0
    reach = max(st.slot_counts)
    parts = enc.parts(st.size, st.same, st.max_sum, st.shared, slots, reach, st.experience_sum)
    missing = enc.meet_penalty if slots == 0 and st.size else 0.0
    return enc.total(parts) - enc.hard_penalty * st.conflicts - missing


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _reasons(enc: Encoded, members: Sequence[int], st: _Scratch, slots: list[int]) -> list[str]:
    p = enc.problem
    reasons: list[str] = []
    mix = []
    for name, col in zip(enc.attr_names, enc.codes, strict=True):
        if name in ("function", "industry", "organization"):
            distinct = len({col[i] for i in members})
            word = {"function": "function", "industry": "industry", "organization": "organization"}[
                name
            ]
            label = _plural(distinct, word).replace("industrys", "industries")
            mix.append(label)
    if mix:
        reasons.append(f"{len(members)} people from " + ", ".join(mix) + ".")
    if enc.targets:
        best: dict[int, int] = {}
        for i in members:
            for s, lv in enc.skills[i]:
                best[s] = max(best.get(s, 0), lv)
        covered = [s for s in range(len(enc.targets)) if best.get(s, 0) >= COVERED_LEVEL]
        text = (
            f"Covers {len(covered)} of {len(enc.targets)} target skills at level "
            f"{COVERED_LEVEL} or more"
        )
        missing = [enc.targets[s] for s in range(len(enc.targets)) if s not in set(covered)]
        if missing and len(missing) <= 3:
            text += " (missing " + ", ".join(missing) + ")"
        reasons.append(text + ".")
    tags = Counter(t for i in members for t in enc.goals[i])
    common = [(c, enc.tags[t]) for t, c in tags.items() if c >= 2]
    common.sort(key=lambda x: (-x[0], x[1]))
    if common:
        reasons.append(
            "Shared goals: " + ", ".join(f"{tag} ({c} people)" for c, tag in common[:3]) + "."
        )
    else:
        reasons.append("No learning goal is shared by two members.")
    length = f"{p.session_minutes}-minute" if p.session_minutes else "one-hour"
    if slots:
        shown = ", ".join(hour_label(h) for h in slots[:2])
        extra = len(slots) - 2
        more = f" and {_plural(extra, 'more start time')}" if extra > 0 else ""
        reasons.append(f"Everyone can meet for a {length} session at {shown}{more}.")
    else:
        reach = max(st.slot_counts)
        text = f"No {length} slot fits everyone"
        if reach:
            at = hour_label(st.slot_counts.index(reach))
            text += f"; at best {reach} of {len(members)} can meet ({at})"
        reasons.append(text + ".")
    if st.conflicts:
        reasons.append(f"{_plural(st.conflicts, 'cannot-together pair')} in this cohort.")
    return reasons


def score_members(enc: Encoded, members: Sequence[int]) -> GroupScore:
    st = _scratch(enc, members)
    slots = [h for h, c in enumerate(st.slot_counts) if c == st.size] if st.size else []
    reach = max(st.slot_counts)
    parts = enc.parts(st.size, st.same, st.max_sum, st.shared, len(slots), reach, st.experience_sum)
    names = ("diversity", "complementarity", "curiosity", "schedule", "balance")
    return GroupScore(
        parts=dict(zip(names, parts, strict=True)),
        total=enc.total(parts),
        reasons=_reasons(enc, members, st, slots),
        common_slots=slots,
    )


def score_groups(problem: FormationProblem, groups: Sequence[Sequence[str]]) -> list[GroupScore]:
    """Score any assignment (people's keys per group) from scratch, one GroupScore per group.
    Keys not among the people raise KeyError."""
    enc = Encoded(problem)
    if problem.groups is None:
        enc.k = max(1, len(groups))
        enc.mean_size = enc.n / enc.k
    return [score_members(enc, [enc.index[key] for key in group]) for group in groups]


class State:
    """Per-group counts and sums for an assignment, updated person by person.

    For group g: size, same[f] = sum over values c of C(count_c, 2) for attribute f,
    the level counts of each target skill (to keep the maximum under removals), shared =
    sum over goal tags of C(count_t, 2), per start hour the members who could attend,
    the sum of experience, and the number of cannot-together pairs inside.
    """

    def __init__(self, enc: Encoded, group_of: Sequence[int]) -> None:
        self.enc = enc
        k = enc.k
        f = len(enc.codes)
        self.group_of = [-1] * enc.n
        self.size = [0] * k
        self.counts: list[list[dict[int, int]]] = [[{} for _ in range(f)] for _ in range(k)]
        self.same = [[0] * f for _ in range(k)]
        # levels[g][s * 5 + l]: members at level l in target skill s; top[g][s]: the highest.
        width = len(enc.targets) * (MAX_LEVEL + 1)
        self.levels = [[0] * width for _ in range(k)]
        self.top = [[0] * len(enc.targets) for _ in range(k)]
        self.max_sum = [0] * k
        self.tags: list[dict[int, int]] = [{} for _ in range(k)]
        self.shared = [0] * k
        self.slot_counts = [0] * k  # byte h: members who could start a session at hour h
        self.experience = [0.0] * k
        self.conflicts = [0] * k
        for i, g in enumerate(group_of):
            if g >= 0:
                self.add(i, g)
        evaluated = [self.evaluate(g) for g in range(k)]
        self.value = [v for v, _ in evaluated]
        self.parts = [p for _, p in evaluated]
        self.objective = math.fsum(self.value)
        # Per part, the sum over groups (the search keeps these for the baseline guard).
        self.part_sums = [math.fsum(p[j] for p in self.parts) for j in range(5)]

    def add(self, i: int, g: int) -> None:
        enc = self.enc
        self.size[g] += 1
        counts = self.counts[g]
        same = self.same[g]
        for f, c in enumerate(enc.person_codes[i]):
            cf = counts[f]
            have = cf.get(c, 0)
            same[f] += have
            cf[c] = have + 1
        levels = self.levels[g]
        top = self.top[g]
        for s, lv in enc.skills[i]:
            levels[s * 5 + lv] += 1
            best = top[s]
            if lv > best:
                self.max_sum[g] += lv - best
                top[s] = lv
        tags = self.tags[g]
        for t in enc.goals[i]:
            have = tags.get(t, 0)
            self.shared[g] += have
            tags[t] = have + 1
        self.slot_counts[g] += enc.start_bytes[i]
        self.experience[g] += enc.experience[i]
        group_of = self.group_of
        for j in enc.cannot[i]:
            if group_of[j] == g:
                self.conflicts[g] += 1
        group_of[i] = g

    def remove(self, i: int, g: int) -> None:
        enc = self.enc
        group_of = self.group_of
        group_of[i] = -1
        self.size[g] -= 1
        counts = self.counts[g]
        same = self.same[g]
        for f, c in enumerate(enc.person_codes[i]):
            cf = counts[f]
            have = cf[c] - 1
            same[f] -= have
            cf[c] = have  # zero counts stay: cheaper than deleting and adding again
        levels = self.levels[g]
        top = self.top[g]
        for s, lv in enc.skills[i]:
            at = s * 5 + lv
            levels[at] -= 1
            if lv == top[s] and not levels[at]:
                best = lv - 1
                while best and not levels[s * 5 + best]:
                    best -= 1
                self.max_sum[g] -= lv - best
                top[s] = best
        tags = self.tags[g]
        for t in enc.goals[i]:
            have = tags[t] - 1
            self.shared[g] -= have
            tags[t] = have
        self.slot_counts[g] -= enc.start_bytes[i]
        self.experience[g] -= enc.experience[i]
        for j in enc.cannot[i]:
            if group_of[j] == g:
                self.conflicts[g] -= 1

    def slots(self, g: int) -> tuple[int, int]:
        """(start hours where everyone can meet, most members who can meet at one start)."""
        row = self.slot_counts[g].to_bytes(HOURS_PER_WEEK, "little")
        size = self.size[g]
        reach = max(row)
        return (row.count(size) if reach == size and size else 0), reach

    def group_value(self, g: int) -> float:
        """The group's total minus the penalties for hard constraints and for having no
        common slot, from the counts."""
        return self.evaluate(g)[0]

    def evaluate(self, g: int) -> tuple[float, tuple[float, float, float, float, float]]:
        """(group_value(g), the group's five parts)."""
        enc = self.enc
        slots, reach = self.slots(g)
        parts = enc.parts(
            self.size[g],
            self.same[g],
            self.max_sum[g],
            self.shared[g],
            slots,
            reach,
            self.experience[g],
        )
        missing = enc.meet_penalty if slots == 0 and self.size[g] else 0.0
        return enc.total(parts) - enc.hard_penalty * self.conflicts[g] - missing, parts

    def violations(self) -> int:
        enc = self.enc
        total = sum(self.conflicts)
        if enc.hard_slot:
            total += sum(1 for g in range(enc.k) if self.size[g] and self.slots(g)[0] == 0)
        return total

    def members(self, g: int) -> list[int]:
        return [i for i, h in enumerate(self.group_of) if h == g]

    def groups(self) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in range(self.enc.k)]
        for i, g in enumerate(self.group_of):
            out[g].append(i)
        return out
