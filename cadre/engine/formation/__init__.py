"""Cohort formation in attribute mode: people with attributes, skills, goals and weekly
availability into k cohorts of min..max people.

    result = solve_formation(FormationProblem(people, min_size=6, max_size=8), seconds=10)
    result.status, result.groups, result.scores[0].parts, result.scores[0].reasons

Objective (maximised): the sum over cohorts of the cohort's total,

    total_g = Σ_p W_p · part_p(g)      (W = Weights; defaults sum to 1, so total_g ∈ 0..1)

with five parts, each in 0..1 (1 = best), computed from per-cohort counts and sums only
(never an n×n matrix). For a cohort g of n people with P = C(n, 2) pairs:

(a) diversity = Σ_f a_f · (P − Σ_c C(count_{f,c}, 2)) / (P · Σ_f a_f): the weighted share of
    member pairs that differ in each attribute f (function, industry, organization,
    seniority, region; weights a_f = Weights.attributes, values compared case-insensitively,
    attributes nobody filled in left out). It is the MDGP sum of pairwise distances inside the
    cohort divided by its number of pairs. 0 for a cohort of one.
(b) complementarity = Σ_s max_{i∈g} level_i(s) / (4 · S) over the S target skills: how far
    the cohort's strongest member in each skill reaches level 4. 1 when there are no target
    skills. A skill counts as "covered" in the reasons at level 3 or more.
(c) curiosity = min(1, Σ_t C(count_t, 2) / P) over goal tags t: shared goals per member
    pair, saturating at one shared goal per pair.
(d) schedule = ½ · reach / n + ½ · min(1, slots / 3): slots = the number of whole-hour
    start times in the UTC week (cyclic) where every member is available for
    ceil(session_minutes / 60) hours (one hour when no session length is given), reach =
    the most members available for a whole session at any one start. So a cohort with three
    or more common slots scores 1, one with a single slot 2/3, and one without any at most
    ½ · (n − 1)/n, more the more of its members could meet. An empty availability means
    "any time". With require_common_slot, a cohort without a slot breaks a hard constraint.
(e) balance = 1 − ½·min(1, |n − N/k| / (max_size − min_size)) − ½·min(1, |ē_g − ē| / 2σ):
    the cohort's size against the average size, and its members' mean experience ē_g
    (a person's mean level over the target skills) against everyone's (ē, std σ), so that
    no cohort is much larger or much more junior than the rest.

Cohorts that can meet come first. The search value (what the search maximises) is the
objective minus, for each cohort with members but no common slot, ΣW + 1: more than any
cohort's total, so a cohort that can meet outranks any cohort that cannot, whatever their
other parts. This term counts when someone gave their availability and the schedule weight
is above 0; with require_common_slot it is a hard constraint instead.

Hard constraints: size bounds, must-together (merged into units), cannot-together, pinned
people, and the common slot when required. The search never breaks size, unit or pin
constraints; it may pass through cannot-together or slot violations, each costing
10·(ΣW + 1) in the search value, and reports "infeasible" if its best assignment keeps any.

Search (search.py): when meeting counts, a meeting plan first (meeting.py: an integer
programme, solved by HiGHS, that gives every unit a start hour so that as few cohorts as
possible cannot meet, and may pick another feasible number of cohorts when the problem does
not fix it); then a greedy construction that keeps each unit among the cohorts of its
hour, then simulated annealing with restarts over moves and swaps that never take a
cohort's last common start hour away. From the greedy start, the answer is the best
assignment seen that is no worse than the start on any part (each part summed over
cohorts), so it never trades one part below that baseline for the others; from a start
planned for meeting, or one that breaks a hard constraint, the best search value wins. result.meeting says which cohorts can meet and, when some cannot, why:
who shares no slot with enough others, and the fewest cohorts that cannot meet in any
assignment (a bound proven by the plan or by those people).

Move evaluation is incremental (score.State): moving or swapping people touches two
cohorts' counts, so a step costs time in the moved people's attributes, skills and goals.
"""

from .model import (
    FormationProblem,
    FormationResult,
    GroupScore,
    MeetingReport,
    Person,
    Weights,
    choose_group_count,
    feasible_group_counts,
    validate_problem,
)
from .score import score_groups
from .search import greedy_assignment, random_assignment, solve_formation

__all__ = [
    "FormationProblem",
    "FormationResult",
    "GroupScore",
    "MeetingReport",
    "Person",
    "Weights",
    "choose_group_count",
    "feasible_group_counts",
    "greedy_assignment",
    "random_assignment",
    "score_groups",
    "solve_formation",
    "validate_problem",
]
