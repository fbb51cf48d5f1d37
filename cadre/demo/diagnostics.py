"""The demo's skill diagnostics: in every active cohort, three or four target skills, a
"Start" round with a self-assessment from every learner, a "Midpoint" round (with peer
assessments) where most learners have grown, and a few peer assessments, two per person
assessed so their peer means show.

Start levels follow each person's profile rating where there is one. Randomness comes from
a local generator seeded per cohort, never from the builder's, so everything built before
stays the same for a given seed. All rows go in with a few bulk inserts."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.diagnostics.models import LEARNING_ROLES, Assessment, AssessmentRound, TargetSkill
from cadre.networks.models import Network
from cadre.people.models import ProfileSkill

if TYPE_CHECKING:
    from cadre.demo.builder import Builder

GROWN_SHARE = 0.8  # of learners who answered the midpoint round
PEER_SUBJECTS = 3  # people per cohort who get two peer assessments


class DiagnosticsBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network) -> int:
        cohorts = list(
            Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE).order_by("slug")
        )
        skills = list(network.skills.order_by("slug"))
        if not cohorts or len(skills) < 4:
            return 0
        learning = CohortMembership.objects.active().filter(
            cohort__in=cohorts, role__in=LEARNING_ROLES
        )
        members: dict[int, list[int]] = defaultdict(list)
        for cohort_id, user_id in learning.order_by("cohort_id", "user__email").values_list(
            "cohort_id", "user_id"
        ):
            members[cohort_id].append(user_id)
        rated = {
            (user_id, skill_id): level
            for user_id, skill_id, level in ProfileSkill.objects.filter(
                skill__network=network, profile__user_id__in=learning.values("user_id")
            ).values_list("profile__user_id", "skill_id", "level")
        }

        targets, rounds = [], []
        plans = []
        for cohort in cohorts:
            rng = random.Random(f"diagnostics:{cohort.slug}")
            chosen = rng.sample(skills, rng.choice((3, 4)))
            targets += [
                TargetSkill(cohort=cohort, skill=s, target_level=rng.choice((3, 3, 4)))
                for s in chosen
            ]
            # Opened at least twelve days ago, so the midpoint (a week later or five days
            # ago) has opened too.
            start_on = min(cohort.starts_on or self.b.day(42), self.b.day(12))
            mid_on = max(start_on + timedelta(days=7), self.b.day(5))
            start = AssessmentRound(cohort=cohort, number=1, label="Start", opens_on=start_on)
            mid = AssessmentRound(
                cohort=cohort,
                number=2,
                label="Midpoint",
                opens_on=mid_on,
                peer_assessments_enabled=True,
            )
            rounds += [start, mid]
            plans.append((rng, chosen, start, mid, members.get(cohort.pk, [])))
        self.b.bulk(TargetSkill, targets)
        self.b.bulk(AssessmentRound, rounds)

        assessments = []
        for rng, chosen, start, mid, people in plans:
            assessments += self._assessments(rng, chosen, start, mid, people, rated)
        self.b.bulk(Assessment, assessments)
        rows = len(targets) + len(rounds) + len(assessments)
        self.b.step("skill targets and assessments", rows)
        return rows

    def _assessments(
        self,
        rng: random.Random,
        chosen: list[Any],
        start: AssessmentRound,
        mid: AssessmentRound,
        people: list[int],
        rated: dict[tuple[int, int], int],
    ) -> list[Assessment]:
        result = []
        now = self.b.now
        midpoint: dict[tuple[int, int], int] = {}
        for user_id in people:
            grows = rng.random() < GROWN_SHARE
            for s in chosen:
                base = min(rated.get((user_id, s.pk), rng.randint(0, 2)), 3)
                result.append(self._one(start, s, user_id, user_id, base, now))
                if grows:
                    level = min(base + rng.choice((0, 1, 1, 2)), 4)
                    midpoint[(user_id, s.pk)] = level
                    result.append(self._one(mid, s, user_id, user_id, level, now))
        # A few peer assessments: two peers each for the first learners' first skill.
        for i, subject in enumerate(people[:PEER_SUBJECTS]):
            s = chosen[i % len(chosen)]
            others = [p for p in people if p != subject]
            for assessor in rng.sample(others, min(2, len(others))):
                own = midpoint.get((subject, s.pk), 1)
                level = max(0, min(4, own + rng.choice((-1, 0, 0, 1))))
                result.append(self._one(mid, s, subject, assessor, level, now))
        return result

    @staticmethod
    def _one(r: AssessmentRound, skill: Any, subject: int, assessor: int, level: int, now: Any):
        return Assessment(
            round=r,
            skill=skill,
            subject_id=subject,
            assessor_id=assessor,
            level=level,
            created_at=now,
            updated_at=now,
        )
