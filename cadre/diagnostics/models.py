"""Skill diagnostics: the skills a cohort is building (its targets, from the network's
taxonomy), assessment rounds opened by its hosts (the first is the baseline), and the levels
members give themselves and, when a round allows it, each other.

Levels use the profile's scale (cadre.people.models.SkillLevel): 0 "can't do it yet" to
4 "can teach it". Only the latest round takes new answers, so earlier rounds stay a faithful
record of where people stood; that is what makes growth visible.

Who sees what is decided in cadre.diagnostics.policy; every write goes through
cadre.diagnostics.services. A peer's score is
never shown with its author: the subject and the cohort see only a mean of at least
PEER_MEAN_MIN assessors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cohort, CohortRole
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Skill
from cadre.people.models import SkillLevel

MIN_LEVEL = 0
MAX_LEVEL = 4
DEFAULT_TARGET = SkillLevel.INDEPENDENT
# A peer mean is shown only when at least this many peers gave a score, so nobody can work
# out who gave which.
PEER_MEAN_MIN = 2

NOT_A_TARGET = gettext_noop("Choose one of this cohort’s target skills.")
# Cohort roles whose members assess themselves and appear on the gap map; mentors and
# observers inside a cohort see it but are not learners in it.
LEARNING_ROLES = (CohortRole.MEMBER, CohortRole.HOST)


def learners(cohort: Cohort) -> models.QuerySet[Any]:
    """The cohort's active memberships of people who learn in it, with their users."""
    return (
        cohort.memberships.active()
        .filter(role__in=LEARNING_ROLES)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


class TargetSkill(models.Model):
    """A skill the cohort is building, and the level it aims for."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="target_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="cohort_targets")
    # A target of 0 would mean nothing to learn, so targets run from 1.
    target_level = models.PositiveSmallIntegerField(
        choices=[c for c in SkillLevel.choices if c[0] >= 1], default=DEFAULT_TARGET
    )

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "skill"], name="one_target_per_skill"),
            models.CheckConstraint(
                condition=Q(target_level__gte=1) & Q(target_level__lte=MAX_LEVEL),
                name="target_level_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} → {self.target_level}"

    def clean(self) -> None:
        if self.skill_id and self.cohort_id and self.skill.network_id != self.cohort.network_id:
            raise ValidationError({"skill": [gettext("Choose a skill of this cohort's network.")]})


class AssessmentRoundQuerySet(models.QuerySet["AssessmentRound"]):
    def current(self, today: date | None = None) -> AssessmentRound | None:
        """The round that takes answers: the latest one that has opened (`current_among` is
        the same rule over rounds already loaded)."""
        return self.filter(opens_on__lte=today or timezone.localdate()).order_by("-number").first()


def current_among(
    rounds: Iterable[AssessmentRound], today: date | None = None
) -> AssessmentRound | None:
    """`AssessmentRoundQuerySet.current` over a cohort's rounds already loaded: the latest one
    that has opened, without another query."""
    today = today or timezone.localdate()
    return max((r for r in rounds if r.opens_on <= today), key=lambda r: r.number, default=None)


class AssessmentRound(models.Model):
    """One pass of assessments. Round 1 is the baseline; each later round shows growth."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assessment_rounds")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60, help_text=_("For example Start, Midpoint or End."))
    opens_on = models.DateField(default=timezone.localdate, validators=[validate_date_in_range])
    peer_assessments_enabled = models.BooleanField(
        default=False, help_text=_("Members may also assess each other in this round.")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentRoundQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="one_round_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    def open_sentence(self) -> str:
        """'Round 2, “Midpoint”, is open.' in the active language (the rounds page's message
        and the overview say it alike)."""
        return gettext("Round %(number)s, “%(label)s”, is open.") % {
            "number": self.number,
            "label": self.label,
        }

    @property
    def is_baseline(self) -> bool:
        return self.number == 1

    def is_current(self, today: date | None = None) -> bool:
        current = AssessmentRound.objects.filter(cohort_id=self.cohort_id).current(today)
        return current is not None and current.pk == self.pk

    @classmethod
    def open_next(
        cls,
        cohort: Cohort,
        *,
        label: str,
        opens_on: date | None = None,
        peer_assessments_enabled: bool = False,
        opened_by: Any = None,
    ) -> AssessmentRound:
        """Open the cohort's next round; its number follows the last one. Opening it closes
        the previous round to new answers."""
        last = cls.objects.filter(cohort=cohort).aggregate(n=Max("number"))["n"] or 0
        return cls.objects.create(
            cohort=cohort,
            number=last + 1,
            label=label.strip(),
            opens_on=opens_on or timezone.localdate(),
            peer_assessments_enabled=peer_assessments_enabled,
            opened_by=opened_by,
        )


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def self_assessments(self) -> AssessmentQuerySet:
        return self.filter(subject_id=models.F("assessor_id"))

    def peer_assessments(self) -> AssessmentQuerySet:
        return self.exclude(subject_id=models.F("assessor_id"))


class Assessment(models.Model):
    """One level for one skill of one person in one round. The assessor is the subject for a
    self-assessment, a cohort peer otherwise."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assessments")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="assessments")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_assessments_given"
    )
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["round__number", "skill__name"]
        indexes = [models.Index(fields=["subject", "skill"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "skill", "subject", "assessor"], name="one_assessment_each"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=MIN_LEVEL) & Q(level__lte=MAX_LEVEL),
                name="assessment_level_0_to_4",
                violation_error_message="A level runs from 0 (can't do it yet) to 4 (can teach it).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.skill}: {self.level}"

    @property
    def is_self(self) -> bool:
        return self.subject_id == self.assessor_id

    def clean(self) -> None:
        if (
            self.round_id
            and self.skill_id
            and not TargetSkill.objects.filter(
                cohort_id=self.round.cohort_id, skill_id=self.skill_id
            ).exists()
        ):
            raise ValidationError({"skill": [gettext(NOT_A_TARGET)]})
