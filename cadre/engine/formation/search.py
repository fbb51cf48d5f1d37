"""Construction, baselines and the anytime search for attribute-mode formation.

Method: must-together people are merged into units and pinned units are placed first. When
meeting counts (someone gave their availability and the schedule part has weight, or the
common slot is required), a meeting plan comes first (meeting.plan_meetings: an integer
programme that gives every unit a start hour so that as few cohorts as possible cannot
meet), and each unit may then only go to a cohort of its hour. The units (largest first) go
one by one to the open cohort where they raise the objective most, with every cohort filled
to its ideal size (n // k or one more; with a plan, the people of an hour shared evenly among
its cohorts). Then simulated annealing over unit moves and unit swaps between two cohorts,
each evaluated from the two cohorts' counts (see score.State), with geometric cooling. When
meeting counts, no step takes a cohort's last common start hour away; three steps in four
go to a cohort whose members all share one of the moved unit's start hours (kept per hour,
`hosts`), and most of the rest to the cohort of someone who shares a start hour with it.
Every _REGROUP_EVERY steps in the cooler half of a run, a few cohorts linked by start hours
have their people shared out again in the best way in which each of them can meet (every
way tried), which can give cohorts other hours than single steps reach. The budget (time,
or iterations) is split into ten runs: the first starts from the construction, the others
restart cooler from the best assignment so far (one long run on very large instances). The
best assignment seen is kept, so the search can stop at any time.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from .meeting import MeetingPlan, meeting_report, plan_meetings, unit_masks
from .model import FormationProblem, FormationResult, validate_problem
from .score import FULL_WEEK, Encoded, State, bits, score_members, search_value

Progress = Callable[[float, float], None]

_CANDIDATES = 48  # cohorts tried per unit during construction (a random sample)
_CANDIDATES_LARGE = 12  # the same above _LARGE people, to leave time for the search
_LARGE = 2000
_BATCH = 4096  # random numbers drawn from the generator at a time
_CHECK_EVERY = 256  # iterations between looks at the clock
_PROGRESS_EVERY = 0.25  # seconds between progress reports
_CYCLES = 10  # annealing runs in the budget: the first from the construction, then restarts
_REHEAT = 0.3  # restarts begin at this share of the first run's starting temperature
_RESTART_LIMIT = 2000  # above this many movable units the budget goes to one long run
_PLAN_SHARE = 0.6  # at most this share of the budget goes to the meeting plan
_ANSWER_SHARE = 0.1  # at most this share is kept back for scoring the answer
_REGROUP_EVERY = 512  # annealing steps between two regroupings (when meeting counts)
_REGROUP_COHORTS = 3  # cohorts whose people a regrouping shares out again
_REGROUP_SETS = 1500  # a regrouping tries at most this many possible cohorts, or none


def _ideal_caps(enc: Encoded) -> list[int]:
    base, extra = divmod(enc.n, enc.k)
    return [base + (1 if g < extra else 0) for g in range(enc.k)]


def _planned_caps(enc: Encoded, plan: MeetingPlan) -> list[int]:
    """Cohort sizes for a meeting plan: the people given each hour shared as evenly as
    possible among that hour's cohorts, a pinned cohort taking at least its pinned people."""
    caps = [0] * enc.k
    load: dict[int, int] = {}
    for u, members in enumerate(enc.units):
        b = plan.hour_of_unit[u]
        load[b] = load.get(b, 0) + len(members)
    pinned = [0] * enc.k
    for u, g in enumerate(enc.unit_pin):
        if g is not None:
            pinned[g] += len(enc.units[u])
    by_hour: dict[int, list[int]] = {}
    for g, b in enumerate(plan.hour_of_group):
        by_hour.setdefault(b, []).append(g)
    for b, groups in by_hour.items():
        base, extra = divmod(load.get(b, 0), len(groups))
        for j, g in enumerate(groups):
            caps[g] = base + (1 if j < extra else 0)
        for g in groups:
            while caps[g] < pinned[g]:
                others = [h for h in groups if caps[h] > max(enc.min_size, pinned[h])]
                if not others:
                    break
                caps[g] += 1
                caps[max(others, key=lambda h: caps[h])] -= 1
    return caps


def _construct(
    enc: Encoded,
    rng: np.random.Generator,
    *,
    greedy: bool,
    plan: MeetingPlan | None = None,
    progress: Callable[[], None] | None = None,
    out_of_time: Callable[[], bool] | None = None,
) -> list[int] | None:
    """A person -> cohort list honouring sizes, units and pins (and, when greedy, placing
    each unit where it adds most to the search value); None if the units cannot be packed.
    With a meeting plan, each unit goes to a cohort of the start hour the plan gave it
    (while one has room), so every cohort the plan lets meet can meet.
    Once out_of_time() says so, the remaining units are placed at random."""
    k = enc.k
    caps = _ideal_caps(enc) if plan is None else _planned_caps(enc, plan)
    at_hour: dict[int, list[int]] = {}
    if plan is not None:
        for g, b in enumerate(plan.hour_of_group):
            at_hour.setdefault(b, []).append(g)
    state = State(enc, [-1] * enc.n)
    units = enc.units
    order = [u for u in range(len(units)) if enc.unit_pin[u] is None]
    for u in range(len(units)):
        pin = enc.unit_pin[u]
        if pin is not None:
            for i in units[u]:
                state.add(i, pin)
    # Largest units first so that they still find room; ties in random (or input) order.
    shuffle = rng.permutation(len(order)).tolist() if not greedy else list(range(len(order)))
    keyed = sorted(range(len(order)), key=lambda j: (-len(units[order[j]]), shuffle[j]))
    order = [order[j] for j in keyed]
    candidates = _CANDIDATES if enc.n <= _LARGE else _CANDIDATES_LARGE
    # Cohorts below their ideal size, kept in index order; values cached per cohort.
    open_list = [g for g in range(k) if state.size[g] < caps[g]]
    value = [state.group_value(g) for g in range(k)] if greedy else []
    for step, u in enumerate(order):
        if step % 200 == 0:
            if progress is not None:
                progress()
            if greedy and out_of_time is not None and out_of_time():
                greedy = False
        members = units[u]
        need = len(members)
        if plan is not None:
            mine = at_hour.get(plan.hour_of_unit[u], [])
            choices = [g for g in mine if state.size[g] + need <= caps[g]]
            if not choices:
                choices = [g for g in mine if state.size[g] + need <= enc.max_size]
        elif need == 1:
            choices = open_list
        else:
            choices = [g for g in open_list if state.size[g] + need <= caps[g]]
        if not choices:
            choices = [g for g in range(k) if state.size[g] + need <= enc.max_size]
        if not choices:
            return None
        if not greedy:
            g = choices[int(rng.integers(len(choices)))]
        else:
            if len(choices) > candidates:
                picks = rng.choice(len(choices), size=candidates, replace=False)
                choices = [choices[j] for j in sorted(picks.tolist())]
            best_g, best_gain = choices[0], -math.inf
            for g in choices:
                for i in members:
                    state.add(i, g)
                gain = state.group_value(g) - value[g]
                for i in members:
                    state.remove(i, g)
                if gain > best_gain + 1e-12:
                    best_g, best_gain = g, gain
            g = best_g
        for i in members:
            state.add(i, g)
        if greedy:
            value[g] = state.group_value(g)
        if state.size[g] >= caps[g] and g in open_list:
            open_list.remove(g)
    if not _repair_sizes(enc, state):
        return None
    return list(state.group_of)


def _repair_sizes(enc: Encoded, state: State) -> bool:
    """Move movable units from cohorts above the minimum into cohorts below it."""
    for g in range(enc.k):
        while state.size[g] < enc.min_size:
            moved = False
            for h in range(enc.k):
                if h == g or state.size[h] <= enc.min_size:
                    continue
                for u in sorted({enc.unit_of[i] for i in state.members(h)}):
                    need = len(enc.units[u])
                    if (
                        enc.unit_pin[u] is None
                        and state.size[h] - need >= enc.min_size
                        and state.size[g] + need <= enc.max_size
                    ):
                        for i in enc.units[u]:
                            state.remove(i, h)
                            state.add(i, g)
                        moved = True
                        break
                if moved:
                    break
            if not moved:
                return False
    return True


def _to_keys(enc: Encoded, group_of: Sequence[int]) -> list[list[str]]:
    groups: list[list[str]] = [[] for _ in range(enc.k)]
    for i, g in enumerate(group_of):
        groups[g].append(enc.keys[i])
    return groups


_UNPACKABLE = "The must-together groups cannot be packed into cohorts of these sizes."


def random_assignment(problem: FormationProblem, seed: int) -> list[list[str]]:
    """Baseline: units (must-together people) dealt at random into cohorts of the ideal
    sizes, pins honoured; ignores everything else. Raises ValueError on an invalid problem."""
    _check(problem)
    enc = Encoded(problem)
    group_of = _construct(enc, np.random.default_rng(seed), greedy=False)
    if group_of is None:
        raise ValueError(_UNPACKABLE)
    return _to_keys(enc, group_of)


def greedy_assignment(problem: FormationProblem, *, seconds: float = 30.0) -> list[list[str]]:
    """Baseline: the deterministic greedy construction the search starts from (each unit, in
    input order, to the open cohort it improves most; when meeting counts, among the cohorts
    of the start hour the meeting plan gave it, the plan taking up to `seconds`). Raises
    ValueError on an invalid problem."""
    _check(problem)
    enc = Encoded(problem)
    plan = None
    if enc.meet_penalty > 0:
        plan = plan_meetings(enc, choose_k=problem.groups is None, seconds=seconds)
        if plan is not None and plan.k != enc.k:
            enc = Encoded(replace(problem, groups=plan.k))
    group_of = _construct(enc, np.random.default_rng(0), greedy=True, plan=plan)
    if group_of is None and plan is not None:
        group_of = _construct(enc, np.random.default_rng(0), greedy=True)
    if group_of is None:
        raise ValueError(_UNPACKABLE)
    return _to_keys(enc, group_of)


def _check(problem: FormationProblem) -> None:
    errors = validate_problem(problem)
    if errors:
        raise ValueError("\n".join(errors))


class _Annealer:
    """Simulated annealing over unit moves and swaps on a State."""

    def __init__(self, enc: Encoded, state: State, rng: np.random.Generator) -> None:
        self.enc = enc
        self.state = state
        self.rng = rng
        self.movable = [u for u in range(len(enc.units)) if enc.unit_pin[u] is None]
        self.unit_group = [state.group_of[enc.units[u][0]] for u in range(len(enc.units))]
        # Movable units per cohort, with positions for O(1) removal.
        self.in_group: list[list[int]] = [[] for _ in range(enc.k)]
        self.pos = [0] * len(enc.units)
        for u in self.movable:
            g = self.unit_group[u]
            self.pos[u] = len(self.in_group[g])
            self.in_group[g].append(u)
        self.last = (0, 0, -1, 0)
        self._ints: list[int] = []
        self._floats: list[float] = []
        # When meeting counts, no step takes away a cohort's last common start hour: each
        # cohort's shared start hours (`common`, a bit mask; 0 = it cannot meet) are kept, and
        # half the steps go to a cohort of someone who shares a start hour with the unit.
        self.keep_meeting = enc.meet_penalty > 0
        if self.keep_meeting:
            self.unit_mask = unit_masks(enc)
            self.unit_hours = [bits(m) for m in self.unit_mask]
            self.units_at: list[list[int]] = [[] for _ in range(FULL_WEEK.bit_length())]
            for u in self.movable:
                for h in self.unit_hours[u]:
                    self.units_at[h].append(u)
            self.pinned_mask = [FULL_WEEK] * enc.k
            for u, pin in enumerate(enc.unit_pin):
                if pin is not None:
                    self.pinned_mask[pin] &= self.unit_mask[u]
            self.common = [self._shared(g) for g in range(enc.k)]
            # Per start hour, the cohorts whose members all share it (`hosts`), with each
            # cohort's place in those lists, so that a step can go straight to a cohort that
            # would still meet with the unit in it.
            self.hosts: list[list[int]] = [[] for _ in range(FULL_WEEK.bit_length())]
            self.host_pos: list[dict[int, int]] = [{} for _ in range(enc.k)]
            for g in range(enc.k):
                self._host(g, 0, self.common[g])

    def _shared(self, g: int, without: int = -1) -> int:
        """The start hours every member of cohort g shares, leaving out unit `without`."""
        mask = self.pinned_mask[g]
        unit_mask = self.unit_mask
        for u in self.in_group[g]:
            if u != without:
                mask &= unit_mask[u]
        return mask

    def _host(self, g: int, before: int, after: int) -> None:
        """Cohort g's common start hours changed from `before` to `after`: update `hosts`."""
        pos = self.host_pos[g]
        for h in bits(before & ~after):
            lst = self.hosts[h]
            last = lst[-1]
            lst[pos[h]] = last
            self.host_pos[last][h] = pos[h]
            lst.pop()
            del pos[h]
        for h in bits(after & ~before):
            pos[h] = len(self.hosts[h])
            self.hosts[h].append(g)

    def _draw(self) -> int:
        # Uniform 31-bit integers, batched: one generator call per _BATCH draws.
        if not self._ints:
            self._ints = self.rng.integers(0, 1 << 31, size=_BATCH).tolist()
        return self._ints.pop()

    def _uniform(self) -> float:
        if not self._floats:
            self._floats = self.rng.random(_BATCH).tolist()
        return self._floats.pop()

    def _relocate(self, u: int, a: int, b: int) -> None:
        lst = self.in_group[a]
        last = lst[-1]
        lst[self.pos[u]] = last
        self.pos[last] = self.pos[u]
        lst.pop()
        self.pos[u] = len(self.in_group[b])
        self.in_group[b].append(u)
        self.unit_group[u] = b

    def propose(self) -> tuple[int, int, int, int] | None:
        """A random feasible move (v = -1) or swap: (u, a, v, b). When meeting counts, None
        for a step that would leave a cohort that can meet unable to."""
        enc, st = self.enc, self.state
        u = self.movable[self._draw() % len(self.movable)]
        a = self.unit_group[u]
        if self.keep_meeting and self.unit_hours[u] and self._draw() % 4:
            return self._propose_hosted(u, a)
        partner = -1
        if self.keep_meeting and self.unit_hours[u] and self._draw() & 1:
            hours = self.unit_hours[u]
            near = self.units_at[hours[self._draw() % len(hours)]]
            partner = near[self._draw() % len(near)]
            b = self.unit_group[partner]
            if b == a:
                return None
        else:
            b = self._draw() % (enc.k - 1)
            if b >= a:
                b += 1
        need = len(enc.units[u])
        can_move = st.size[a] - need >= enc.min_size and st.size[b] + need <= enc.max_size
        if can_move and (self._draw() & 1 or not self.in_group[b]):
            if self.keep_meeting:
                common = self.common[b]
                if common and not common & self.unit_mask[u]:
                    return None
            return u, a, -1, b
        if not self.in_group[b]:
            return None
        if partner < 0:
            partner = self.in_group[b][self._draw() % len(self.in_group[b])]
        v = partner
        diff = len(enc.units[v]) - need
        if diff and not (
            enc.min_size <= st.size[a] + diff <= enc.max_size
            and enc.min_size <= st.size[b] - diff <= enc.max_size
        ):
            return None
        if self.keep_meeting:
            if self.common[a] and not self._shared(a, u) & self.unit_mask[v]:
                return None
            if self.common[b] and not self._shared(b, v) & self.unit_mask[u]:
                return None
        return u, a, v, b

    def _propose_hosted(self, u: int, a: int) -> tuple[int, int, int, int] | None:
        """A move or swap of unit u (in cohort a) to a cohort b whose members all share one
        of u's start hours, so that b still meets with u; in a swap, the unit v that leaves
        b for a is drawn among those that keep a able to meet. Most steps are these: on
        people free at a few hours a week, almost every step drawn at random breaks a
        cohort's meeting and is refused."""
        enc, st = self.enc, self.state
        hours = self.unit_hours[u]
        hosts = self.hosts[hours[self._draw() % len(hours)]]
        if not hosts:
            return None
        b = hosts[self._draw() % len(hosts)]
        if b == a:
            return None
        need = len(enc.units[u])
        if (
            st.size[a] - need >= enc.min_size
            and st.size[b] + need <= enc.max_size
            and (self._draw() & 1 or not self.in_group[b])
        ):
            return u, a, -1, b
        left = self._shared(a, u) if self.common[a] else 0
        unit_mask = self.unit_mask
        options = [v for v in self.in_group[b] if not left or unit_mask[v] & left]
        if not options:
            return None
        v = options[self._draw() % len(options)]
        diff = len(enc.units[v]) - need
        if diff and not (
            enc.min_size <= st.size[a] + diff <= enc.max_size
            and enc.min_size <= st.size[b] - diff <= enc.max_size
        ):
            return None
        return u, a, v, b

    def apply(self, u: int, a: int, v: int, b: int) -> None:
        st, units = self.state, self.enc.units
        for i in units[u]:
            st.remove(i, a)
        if v >= 0:
            for i in units[v]:
                st.remove(i, b)
        for i in units[u]:
            st.add(i, b)
        if v >= 0:
            for i in units[v]:
                st.add(i, a)

    def try_step(self, temperature: float) -> float | None:
        """Propose, evaluate incrementally, accept (returning the change of the search
        value) or undo (returning None)."""
        move = self.propose()
        if move is None:
            return None
        u, a, v, b = move
        st = self.state
        self.apply(u, a, v, b)
        va, pa = st.evaluate(a)
        vb, pb = st.evaluate(b)
        delta = va + vb - st.value[a] - st.value[b]
        if delta >= 0 or (temperature > 0 and self._uniform() < math.exp(delta / temperature)):
            sums, oa, ob = st.part_sums, st.parts[a], st.parts[b]
            for j in range(5):
                sums[j] += pa[j] + pb[j] - oa[j] - ob[j]
            st.value[a], st.value[b] = va, vb
            st.parts[a], st.parts[b] = pa, pb
            st.objective += delta
            self._relocate(u, a, b)
            if v >= 0:
                self._relocate(v, b, a)
            if self.keep_meeting:
                for g in (a, b):
                    before, self.common[g] = self.common[g], self._shared(g)
                    if before != self.common[g]:
                        self._host(g, before, self.common[g])
            self.last = move
            return delta
        self.apply(u, b, v, a)  # undo: the same exchange in the other direction
        return None

    def regroup(self) -> list[tuple[int, int, int, int]]:
        """A larger step, for when meeting counts: a few cohorts linked by start hours (one
        drawn at random, then the cohorts of people who share a start hour with someone
        already drawn) have
        their people shared out again in the best way among all ways in which each of these
        cohorts can meet, found by trying them all. This can give the cohorts other meeting
        hours, which moves and swaps, each keeping every cohort's meeting, cannot. Applied
        only when it raises the search value; returns the unit moves made ([] if none)."""
        enc, st = self.enc, self.state
        if not self.keep_meeting:
            return []
        first = self._draw() % enc.k
        chosen = [first]
        for _ in range(4 * _REGROUP_COHORTS):
            if len(chosen) == _REGROUP_COHORTS:
                break
            g = chosen[self._draw() % len(chosen)]
            if not self.in_group[g]:
                continue
            u = self.in_group[g][self._draw() % len(self.in_group[g])]
            hours = self.unit_hours[u]
            if not hours:
                continue
            near = self.units_at[hours[self._draw() % len(hours)]]
            h = self.unit_group[near[self._draw() % len(near)]]
            if h not in chosen:
                chosen.append(h)
        if len(chosen) < 2:
            return []
        units = [u for g in chosen for u in self.in_group[g]]
        sizes = [len(enc.units[u]) for u in units]
        if sum(sizes) != sum(st.size[g] for g in chosen):
            return []  # a pinned unit is among them: those cohorts keep their people
        # Every set of these units that fills a cohort that can meet, as a bit mask over
        # `units`, with its search value.
        lo, hi = enc.min_size, enc.max_size
        hours_any = 0
        for u in units:
            hours_any |= self.unit_mask[u]
        fewest = -(-lo // max(sizes))  # units in a cohort, at least
        at_hour = []
        sets = 0
        for h in bits(hours_any):
            free = [j for j, u in enumerate(units) if self.unit_mask[u] >> h & 1]
            if sum(sizes[j] for j in free) >= lo:
                at_hour.append(free)
                sets += sum(math.comb(len(free), c) for c in range(fewest, hi + 1))
        if sets > _REGROUP_SETS:
            # People free at many of the same hours: moves and swaps have room enough.
            return []
        found: dict[int, float] = {}
        for free in at_hour:
            for count in range(fewest, min(hi, len(free)) + 1):
                for combo in itertools.combinations(free, count):
                    if not lo <= sum(sizes[j] for j in combo) <= hi:
                        continue
                    mask = 0
                    for j in combo:
                        mask |= 1 << j
                    if mask not in found:
                        people = [i for j in combo for i in enc.units[units[j]]]
                        found[mask] = search_value(enc, people)
        best, best_value = self._best_split(found, len(units), len(chosen))
        current = sum(st.value[g] for g in chosen)
        if best is None or best_value <= current + 1e-9:
            return []
        # Each new cohort goes to the old cohort index it shares most units with.
        steps: list[tuple[int, int, int, int]] = []
        left = list(chosen)
        target = [0] * len(units)
        for mask in sorted(best, key=lambda m: -m.bit_count()):
            where = [self.unit_group[units[j]] for j in range(len(units)) if mask >> j & 1]
            g = max(left, key=lambda x: (where.count(x), -chosen.index(x)))
            left.remove(g)
            for j in range(len(units)):
                if mask >> j & 1:
                    target[j] = g
        for j, u in enumerate(units):
            a, b = self.unit_group[u], target[j]
            if a != b:
                for i in enc.units[u]:
                    st.remove(i, a)
                    st.add(i, b)
                self._relocate(u, a, b)
                steps.append((u, a, -1, b))
        sums = st.part_sums
        for g in chosen:
            value, parts = st.evaluate(g)
            for j in range(5):
                sums[j] += parts[j] - st.parts[g][j]
            st.objective += value - st.value[g]
            st.value[g], st.parts[g] = value, parts
            before, self.common[g] = self.common[g], self._shared(g)
            if before != self.common[g]:
                self._host(g, before, self.common[g])
        return steps

    @staticmethod
    def _best_split(
        found: dict[int, float], count: int, parts: int
    ) -> tuple[list[int] | None, float]:
        """The best way to cover `count` units with exactly `parts` disjoint masks of
        `found` (mask -> value): (the masks, their summed value), or (None, -inf)."""
        full = (1 << count) - 1
        by_low: dict[int, list[int]] = {}
        for mask in found:
            by_low.setdefault((mask & -mask).bit_length() - 1, []).append(mask)
        best: list[int] | None = None
        best_value = -math.inf

        def walk(covered: int, taken: list[int], value: float) -> None:
            nonlocal best, best_value
            if len(taken) == parts - 1:
                rest = full & ~covered
                if rest in found and value + found[rest] > best_value:
                    best, best_value = [*taken, rest], value + found[rest]
                return
            low = ((~covered) & -(~covered)).bit_length() - 1
            for mask in by_low.get(low, ()):
                if not mask & covered:
                    taken.append(mask)
                    walk(covered | mask, taken, value + found[mask])
                    taken.pop()

        walk(0, [], 0.0)
        return best, best_value

    def snapshot(self) -> list[int]:
        return list(self.state.group_of)


def solve_formation(
    problem: FormationProblem,
    *,
    seconds: float = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    progress: Progress | None = None,
) -> FormationResult:
    """Form cohorts: the best assignment found within `seconds` (wall clock, construction
    included) or `max_iterations` search steps, whichever comes first. With max_iterations
    the cooling schedule follows iterations, not the clock, so the result depends only on
    the seed (as long as the time limit is not reached first). progress(fraction of the
    budget used, best objective so far) is called at least every 0.25 s."""
    started = time.monotonic()
    errors = validate_problem(problem)
    if errors:
        return FormationResult("invalid", 0.0, [], [], "\n".join(errors))
    enc = Encoded(problem)
    usual_k = enc.k if problem.groups is None else None
    rng = np.random.default_rng(seed)
    last_report = [started]

    limit = [seconds]  # when the search stops: the budget less the time kept for the answer

    def fraction(iterations: int) -> float:
        if max_iterations is not None:
            return min(1.0, iterations / max(1, max_iterations))
        return min(1.0, (time.monotonic() - started) / limit[0]) if limit[0] > 0 else 1.0

    def report(value: float, iterations: int = 0) -> None:
        if progress is not None and time.monotonic() - last_report[0] >= _PROGRESS_EVERY:
            last_report[0] = time.monotonic()
            progress(fraction(iterations), value)

    plan = None
    if enc.meet_penalty > 0:
        plan = _plan_in_background(
            enc,
            choose_k=problem.groups is None,
            seconds=seconds * _PLAN_SHARE,
            report=lambda: report(0.0),
        )
        if plan is not None and plan.k != enc.k:
            enc = Encoded(replace(problem, groups=plan.k))
    group_of = _construct(
        enc,
        rng,
        greedy=True,
        plan=plan,
        progress=lambda: report(0.0),
        # Under an iteration budget the construction never looks at the clock.
        out_of_time=None if max_iterations is not None else lambda: fraction(0) >= 0.5,
    )
    if group_of is None and plan is not None:
        group_of = _construct(enc, rng, greedy=True, progress=lambda: report(0.0))
    if group_of is None:
        return FormationResult(
            "infeasible",
            0.0,
            [],
            [],
            "The must-together groups cannot be packed into cohorts of "
            f"{enc.min_size}–{enc.max_size} people.",
        )
    counted = time.monotonic()
    state = State(enc, group_of)
    # Scoring the answer from scratch at the end costs about as much as these counts did;
    # three times that is kept back so that the answer comes within the budget.
    limit[0] = seconds - min(3 * (time.monotonic() - counted), _ANSWER_SHARE * seconds)
    search = _Annealer(enc, state, rng)
    keeper = _BestKeeper(enc, search.snapshot())
    best_value = state.objective
    # The answer is never worse than the greedy start on any part (summed over cohorts),
    # unless the start breaks a hard constraint; the walk itself may go anywhere. Not so
    # from a start planned for meeting: that start is already good on schedule and balance,
    # and on 10,000 people the guard then kept every better answer out (the answer was the
    # start itself); the best search value wins.
    guard = None
    if state.violations() == 0 and plan is None:
        guard = [x - 1e-9 for x in state.part_sums]
    iterations = 0
    if search.movable and enc.k > 1:
        t_start, t_end = _temperatures(search)
        cycles = 1 if len(search.movable) > _RESTART_LIMIT else _CYCLES
        if plan is not None and cycles == 1:
            # A start planned for meeting is already good: in one long run on a large
            # instance, a walk as hot as from the greedy start spends the whole budget
            # climbing back to it (measured on 10,000 people: no better answer at all).
            t_start *= _REHEAT
        state.objective = math.fsum(state.value)  # calibration left the state unchanged
        temperature = t_start
        cycle = 0
        local = 0.0
        while True:
            if iterations % _CHECK_EVERY == 0:
                frac = fraction(iterations)
                if frac >= 1.0 or (
                    max_iterations is not None and time.monotonic() - started >= limit[0]
                ):
                    break
                if min(cycles - 1, int(frac * cycles)) > cycle:
                    # Restart, cooler, from the best assignment so far.
                    cycle += 1
                    state = State(enc, keeper.best())
                    search = _Annealer(enc, state, rng)
                    keeper = _BestKeeper(enc, search.snapshot())
                hot = t_start if cycle == 0 else t_start * _REHEAT
                local = frac * cycles - cycle
                temperature = hot * (t_end / hot) ** local
                report(best_value, iterations)
            iterations += 1
            # Regroupings only climb, so they go to the cooler half of each run.
            if iterations % _REGROUP_EVERY == 0 and local >= 0.5:
                steps = search.regroup()
                for step in steps:
                    keeper.record(step, search)
                if steps and state.objective > best_value + 1e-12 and _dominates(state, guard):
                    best_value = state.objective
                    keeper.mark_best()
            delta = search.try_step(temperature)
            if delta is None:
                continue
            keeper.record(search.last, search)
            if state.objective > best_value + 1e-12 and _dominates(state, guard):
                best_value = state.objective
                keeper.mark_best()
    final = keeper.best()
    return _result(
        enc, final, iterations, time.monotonic() - started, seed, progress, plan, usual_k
    )


class _BestKeeper:
    """The best assignment seen, kept without copying the assignment at every new best:
    a base copy plus the log of accepted steps since, the best being the base with the
    first `best_len` steps replayed. When the log grows past the number of people, the best
    is materialised and the base moved to the current state, so the work stays O(1) per
    step on average."""

    def __init__(self, enc: Encoded, current: list[int]) -> None:
        self.enc = enc
        self.base = current
        self.log: list[tuple[int, int, int, int]] = []
        self.best_len: int | None = 0  # None: the best is self.materialised
        self.materialised: list[int] = current
        self.limit = max(1000, enc.n)

    def record(self, step: tuple[int, int, int, int], search: _Annealer) -> None:
        self.log.append(step)
        if len(self.log) > self.limit:
            if self.best_len is not None:
                self.materialised = self._replay(self.best_len)
                self.best_len = None
            self.base = search.snapshot()
            self.log = []

    def mark_best(self) -> None:
        self.best_len = len(self.log)

    def best(self) -> list[int]:
        if self.best_len is None:
            return list(self.materialised)
        return self._replay(self.best_len)

    def _replay(self, steps: int) -> list[int]:
        out = list(self.base)
        units = self.enc.units
        for u, a, v, b in self.log[:steps]:
            for i in units[u]:
                out[i] = b
            if v >= 0:
                for i in units[v]:
                    out[i] = a
        return out


def _dominates(state: State, guard: Sequence[float] | None) -> bool:
    if guard is None:
        return True
    sums = state.part_sums
    return (
        sums[0] >= guard[0]
        and sums[1] >= guard[1]
        and sums[2] >= guard[2]
        and sums[3] >= guard[3]
        and sums[4] >= guard[4]
    )


def _temperatures(search: _Annealer) -> tuple[float, float]:
    """Start hot enough to accept a typical worsening step half the time, end 1000x colder."""
    losses = []
    for _ in range(200):
        move = search.propose()
        if move is None:
            continue
        u, a, v, b = move
        st = search.state
        search.apply(u, a, v, b)
        delta = st.group_value(a) + st.group_value(b) - st.value[a] - st.value[b]
        search.apply(u, b, v, a)
        if delta < 0 and delta > -1.0:  # ignore hard-constraint penalties
            losses.append(-delta)
    typical = float(np.median(losses)) if losses else 0.01
    start = typical / math.log(2)
    return start, start / 1000


def _plan_in_background(
    enc: Encoded, *, choose_k: bool, seconds: float, report: Callable[[], None]
) -> MeetingPlan | None:
    """plan_meetings in a thread, so that progress is still reported while HiGHS works
    (it lets other threads run)."""
    found: list[MeetingPlan | None] = [None]

    def work() -> None:
        found[0] = plan_meetings(enc, choose_k=choose_k, seconds=seconds)

    worker = threading.Thread(target=work, name="formation-meeting-plan", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(_PROGRESS_EVERY)
        report()
    return found[0]


def _result(
    enc: Encoded,
    group_of: Sequence[int],
    iterations: int,
    elapsed: float,
    seed: int,
    progress: Progress | None,
    plan: MeetingPlan | None = None,
    usual_k: int | None = None,
) -> FormationResult:
    groups = [[] for _ in range(enc.k)]  # type: list[list[int]]
    for i, g in enumerate(group_of):
        groups[g].append(i)
    scores = [score_members(enc, members) for members in groups]
    objective = math.fsum(s.total for s in scores)
    where = list(group_of)
    conflicts = sum(
        1 for i in range(enc.n) for j in enc.cannot[i] if j > i and where[j] == where[i]
    )
    meeting = meeting_report(enc, [s.common_slots for s in scores], plan)
    unable = len(meeting.cannot_meet)
    if progress is not None:
        progress(1.0, objective)
    sizes = [len(m) for m in groups]
    spread = f"{min(sizes)}" if min(sizes) == max(sizes) else f"{min(sizes)}–{max(sizes)}"
    summary = (
        f"{enc.k} cohorts of {spread} people; objective {objective:.4f} "
        f"(mean total {objective / enc.k:.3f} per cohort) after {iterations} search steps "
        f"in {elapsed:.1f} s, seed {seed}."
    )
    if usual_k is not None and usual_k != enc.k:
        summary += (
            f" {enc.k} cohorts rather than the usual {usual_k}: the meeting plan found lets "
            "more cohorts meet that way."
        )
    if unable:
        summary += " " + " ".join(meeting.explanation)
    if conflicts or (enc.hard_slot and unable):
        status = "infeasible"
        broken = []
        if conflicts:
            broken.append(f"{conflicts} cannot-together pair(s) share a cohort")
        if enc.hard_slot and unable:
            broken.append(f"{unable} cohort(s) have no common slot")
        message = (
            "No assignment meeting every hard constraint was found: "
            + " and ".join(broken)
            + ". "
            + summary
        )
    elif enc.k == 1 or not any(enc.unit_pin[u] is None for u in range(len(enc.units))):
        status, message = "optimal", "Only one assignment is possible. " + summary
    else:
        status, message = "feasible", summary
    return FormationResult(
        status=status,
        objective=objective,
        groups=[[enc.keys[i] for i in members] for members in groups],
        scores=scores,
        message=message,
        iterations=iterations,
        seconds=elapsed,
        meeting=meeting,
    )
