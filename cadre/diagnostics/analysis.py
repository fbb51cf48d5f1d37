"""What the assessments add up to: the cohort's gap map (who needs what, who can teach
what), each member's growth, the cohort's average per round, and skill-share and mentor
suggestions.

Everything is read in a fixed number of queries (`CohortData.load`: four, plus three for
mentor suggestions) however many members, skills, rounds and assessments there are, and
worked out in Python from there. Peer scores leave this module only as means of at least
PEER_MEAN_MIN assessors, never with who gave them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from django.utils.translation import gettext

from cadre.cohorts.models import Cohort
from cadre.networks.models import Role

from . import policy
from .models import PEER_MEAN_MIN, AssessmentRound, TargetSkill, learners
from .pairing import Need, Offer, Pairing, suggest_pairings

NEEDS_GAP = 2  # a gap this big or bigger puts someone on "who needs what"
TEACHES_LEVEL = 3  # "can do it on my own" or better: can share the skill
MAX_PEER_PAIRINGS_PER_TEACHER = 2
DEFAULT_MENTOR_CAPACITY = 2


@dataclass
class Cell:
    """One member's standing in one target skill."""

    target: TargetSkill
    level: int | None = None  # latest self level
    round_number: int | None = None  # the round it was given in
    peer_mean: float | None = None
    peer_count: int = 0

    @property
    def gap(self) -> int | None:
        """Levels still to go to the target (0 at or above it); None before any answer."""
        return None if self.level is None else max(self.target.target_level - self.level, 0)

    @property
    def needs(self) -> bool:
        return self.gap is not None and self.gap >= NEEDS_GAP

    @property
    def teaches(self) -> bool:
        return self.level is not None and self.level >= TEACHES_LEVEL

    @property
    def status(self) -> str:
        """The cell in words, so the grid never relies on colour."""
        if self.level is None:
            return gettext("no answer yet")
        if self.gap == 0:
            if self.level == self.target.target_level:
                return gettext("at target")
            return gettext("above target")
        return gettext("%(gap)s to go") % {"gap": self.gap}


@dataclass
class Row:
    user: Any
    role: str
    cells: list[Cell]


@dataclass
class SkillSeries:
    """Levels of one skill per round (None where there is nothing to show)."""

    target: TargetSkill
    values: list[float | None]
    peer_values: list[float | None] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)


@dataclass
class Suggestions:
    peer: list[dict[str, Any]]
    mentors: list[dict[str, Any]]

    def involving(self, user_id: int | None) -> Suggestions:
        """Only the suggestions `user_id` is part of (none for None: a visitor's)."""
        return Suggestions(
            peer=[p for p in self.peer if user_id in (p["learner"].pk, p["teacher"].pk)],
            mentors=[m for m in self.mentors if user_id in (m["learner"].pk, m["mentor"].pk)],
        )


class CohortData:
    """The cohort's targets, rounds, learners and every assessment, loaded once."""

    def __init__(
        self,
        cohort: Cohort,
        targets: list[TargetSkill],
        rounds: list[AssessmentRound],
        members: list[Any],
        rows: list[tuple[int, int, int, int, int]],
    ) -> None:
        self.cohort = cohort
        self.targets = targets
        self.rounds = rounds
        self.members = members
        # (round number, skill id, subject id) -> self level / peer levels
        self.self_levels: dict[tuple[int, int, int], int] = {}
        self.peer_levels: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for number, skill_id, subject_id, assessor_id, level in rows:
            key = (number, skill_id, subject_id)
            if subject_id == assessor_id:
                self.self_levels[key] = level
            else:
                self.peer_levels[key].append(level)

    @classmethod
    def load(cls, cohort: Cohort) -> CohortData:
        from .models import Assessment

        targets = list(TargetSkill.objects.filter(cohort=cohort).select_related("skill"))
        rounds = list(AssessmentRound.objects.filter(cohort=cohort).order_by("number"))
        members = list(learners(cohort))
        rows = list(
            Assessment.objects.filter(round__cohort=cohort).values_list(
                "round__number", "skill_id", "subject_id", "assessor_id", "level"
            )
        )
        return cls(cohort, targets, rounds, members, rows)

    # --- one member ---------------------------------------------------------------------

    def growth_subject(self, user: Any, subject_id: int) -> Any:
        """The learner whose growth `user` asks for, or None when there is no such learner
        or `user` may not read it: the rule behind a member's growth page, CSV and API."""
        member = next((m for m in self.members if m.user_id == subject_id), None)
        if member is None or not policy.can_view_growth_of(user, self.cohort, subject_id):
            return None
        return member.user

    def peer_mean(self, number: int, skill_id: int, subject_id: int) -> float | None:
        levels = self.peer_levels.get((number, skill_id, subject_id), [])
        return round(mean(levels), 1) if len(levels) >= PEER_MEAN_MIN else None

    def cell(self, target: TargetSkill, subject_id: int) -> Cell:
        cell = Cell(target=target)
        for r in reversed(self.rounds):
            level = self.self_levels.get((r.number, target.skill_id, subject_id))
            if level is not None:
                cell.level, cell.round_number = level, r.number
                break
        for r in reversed(self.rounds):
            peers = self.peer_levels.get((r.number, target.skill_id, subject_id), [])
            if peers:
                cell.peer_count = len(peers)
                cell.peer_mean = self.peer_mean(r.number, target.skill_id, subject_id)
                break
        return cell

    def growth_of(self, subject_id: int) -> list[SkillSeries]:
        """Per target skill, the member's self level and peer mean in each round."""
        numbers = [r.number for r in self.rounds]
        result = []
        for t in self.targets:
            values: list[float | None] = [
                self.self_levels.get((n, t.skill_id, subject_id)) for n in numbers
            ]
            peers = [self.peer_mean(n, t.skill_id, subject_id) for n in numbers]
            result.append(SkillSeries(target=t, values=values, peer_values=peers))
        return result

    # --- the cohort ---------------------------------------------------------------------

    def rows(self) -> list[Row]:
        return [
            Row(user=m.user, role=m.role, cells=[self.cell(t, m.user_id) for t in self.targets])
            for m in self.members
        ]

    def cohort_growth(self) -> list[SkillSeries]:
        """Per target skill, the mean self level of the cohort's learners in each round and
        how many answered."""
        ids = {m.user_id for m in self.members}
        by_round_skill: dict[tuple[int, int], list[int]] = defaultdict(list)
        for (n, skill_id, subject_id), level in self.self_levels.items():
            if subject_id in ids:
                by_round_skill[(n, skill_id)].append(level)
        result = []
        for t in self.targets:
            values: list[float | None] = []
            counts = []
            for r in self.rounds:
                levels = by_round_skill.get((r.number, t.skill_id), [])
                values.append(round(mean(levels), 1) if levels else None)
                counts.append(len(levels))
            result.append(SkillSeries(target=t, values=values, counts=counts))
        return result

    def needs_and_teachers(self, rows: list[Row]) -> list[dict[str, Any]]:
        """Per target skill: who needs it (gap of NEEDS_GAP or more), who can teach it."""
        result = []
        for i, t in enumerate(self.targets):
            result.append(
                {
                    "target": t,
                    "needs": [(r.user, r.cells[i]) for r in rows if r.cells[i].needs],
                    "teachers": [(r.user, r.cells[i]) for r in rows if r.cells[i].teaches],
                }
            )
        return result

    def suggestions(self, rows: list[Row]) -> Suggestions:
        """Skill shares between peers first; needs left over go to the network's mentors who
        rate themselves TEACHES_LEVEL or more in the skill, within their capacity."""
        skills = {t.skill_id: t for t in self.targets}
        users = {r.user.pk: r.user for r in rows}
        needs = [
            Need(r.user.pk, c.target.skill_id, c.gap or 0) for r in rows for c in r.cells if c.needs
        ]
        offers = [
            Offer(r.user.pk, c.target.skill_id, c.level or 0)
            for r in rows
            for c in r.cells
            if c.teaches
        ]
        peer = suggest_pairings(needs, offers, max_per_teacher=MAX_PEER_PAIRINGS_PER_TEACHER)
        served = {(p.learner, p.skill) for p in peer}
        left = [n for n in needs if (n.learner, n.skill) not in served]
        mentor_pairs, mentors = self._mentor_pairings(left, set(users))
        return Suggestions(
            peer=[self._pairing(p, users, users, skills, "teacher") for p in peer],
            mentors=[self._pairing(p, users, mentors, skills, "mentor") for p in mentor_pairs],
        )

    @staticmethod
    def _pairing(
        p: Pairing, learners: dict[int, Any], teachers: dict[int, Any], skills: dict, key: str
    ) -> dict[str, Any]:
        return {
            "learner": learners[p.learner],
            key: teachers[p.teacher],
            "target": skills[p.skill],
            "gap": p.gap,
            "level": p.teacher_level,
        }

    def _mentor_pairings(
        self, needs: list[Need], cohort_people: set[int]
    ) -> tuple[list[Pairing], dict[int, Any]]:
        if not needs:
            return [], {}
        from cadre.accounts.models import User
        from cadre.people.models import ProfileSkill
        from cadre.schedule.models import MentorSettings

        network = self.cohort.network_id
        rated = ProfileSkill.objects.filter(
            skill_id__in={n.skill for n in needs},
            level__gte=TEACHES_LEVEL,
            profile__user__network_memberships__network_id=network,
            profile__user__network_memberships__role=Role.MENTOR,
        ).values_list("profile__user_id", "skill_id", "level")
        offers = [Offer(u, s, lv) for u, s, lv in rated if u not in cohort_people]
        if not offers:
            return [], {}
        capacity = {
            user_id: (cap if accepting else 0)
            for user_id, cap, accepting in MentorSettings.objects.filter(
                membership__network_id=network, membership__role=Role.MENTOR
            ).values_list("membership__user_id", "capacity", "accepting")
        }
        pairs = suggest_pairings(
            needs, offers, max_per_teacher=DEFAULT_MENTOR_CAPACITY, capacity=capacity
        )
        mentors = User.objects.in_bulk({p.teacher for p in pairs})
        return pairs, mentors


def growth_table(user: Any, cohort: Cohort) -> list[dict[str, Any]]:
    """The member growth pages `user` may open, as rows for the cohort's data export: per
    learner, target skill and round, the self-assessed level and the peer mean (only where
    at least PEER_MEAN_MIN peers gave a score). Never who gave a peer score, never a note;
    rows with neither number are left out."""
    if not policy.can_view_diagnostics(user, cohort):
        return []
    data = CohortData.load(cohort)
    rows: list[dict[str, Any]] = []
    for member in data.members:
        if data.growth_subject(user, member.user_id) is None:
            continue
        for series in data.growth_of(member.user_id):
            for r, level, peer_mean in zip(
                data.rounds, series.values, series.peer_values, strict=True
            ):
                if level is None and peer_mean is None:
                    continue
                rows.append(
                    {
                        "subject": member.user_id,
                        "skill": series.target.skill_id,
                        "round": r.pk,
                        "self_level": level,
                        "peer_mean": peer_mean,
                    }
                )
    return rows
