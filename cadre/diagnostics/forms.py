"""Forms for target skills, rounds, the self-assessment and peer assessments. Each form saves
all it holds in one transaction or nothing, and every error names its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from cadre.cohorts.models import Cohort
from cadre.lib.dates import validate_date_in_range
from cadre.people.models import SkillLevel

from .models import Assessment, AssessmentRound, TargetSkill

LEVEL_CHOICES = [(str(v), label) for v, label in SkillLevel.choices]
TARGET_CHOICES = [("", "Not a target")] + [
    (str(v), label) for v, label in SkillLevel.choices if v >= 1
]
LEVEL_ERROR = "Choose a level from 0 (can’t do it yet) to 4 (can teach it)."
NOT_A_TARGET = "Choose one of this cohort’s target skills."


def level_field(label: str, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=([("", "—")] if not required else []) + LEVEL_CHOICES,
        coerce=int,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": LEVEL_ERROR, "required": LEVEL_ERROR},
    )


class TargetSkillsForm(forms.Form):
    """One select per skill of the network's taxonomy: not a target, or the level the cohort
    aims for. Saving replaces the cohort's targets (assessments of a skill that stops being a
    target are kept, and come back if it becomes one again)."""

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.skills = list(cohort.network.skills.all())
        current = {t.skill_id: t.target_level for t in cohort.target_skills.all()}
        for skill in self.skills:
            self.fields[self.key(skill)] = forms.TypedChoiceField(
                label=skill.name,
                choices=TARGET_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.get(skill.pk),
                help_text=escape(skill.category),  # help text is written as HTML
                error_messages={"invalid_choice": "Choose a target from 1 to 4, or none."},
            )

    @staticmethod
    def key(skill: Any) -> str:
        return f"target_{skill.slug}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not any(data.get(self.key(s)) for s in self.skills):
            raise forms.ValidationError("Choose at least one target skill.")
        return data

    def bound_skills(self) -> list[tuple[Any, Any]]:
        return [(skill, self[self.key(skill)]) for skill in self.skills]

    def save(self) -> list[TargetSkill]:
        wanted = {
            s.pk: self.cleaned_data[self.key(s)]
            for s in self.skills
            if self.cleaned_data[self.key(s)]
        }
        return set_targets(self.cohort, wanted)


def set_targets(cohort: Cohort, wanted: dict[int, int]) -> list[TargetSkill]:
    """Make the cohort's targets exactly `wanted` (skill id -> level), in one transaction."""
    with transaction.atomic():
        TargetSkill.objects.filter(cohort=cohort).exclude(skill_id__in=wanted).delete()
        existing = {t.skill_id: t for t in TargetSkill.objects.filter(cohort=cohort)}
        for skill_id, level in wanted.items():
            target = existing.get(skill_id)
            if target is None:
                TargetSkill.objects.create(cohort=cohort, skill_id=skill_id, target_level=level)
            elif target.target_level != level:
                target.target_level = level
                target.save(update_fields=["target_level"])
    return list(TargetSkill.objects.filter(cohort=cohort).select_related("skill"))


class RoundForm(forms.Form):
    label = forms.CharField(max_length=60, help_text="For example Start, Midpoint or End.")
    opens_on = forms.DateField(
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    peer_assessments_enabled = forms.BooleanField(
        required=False, label="Members may also assess each other in this round"
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError("Give the round a name, for example Start.")
        return label

    def clean_opens_on(self) -> Any:
        opens_on = self.cleaned_data["opens_on"]
        last = self.cohort.assessment_rounds.order_by("-number").first()
        if last is not None and opens_on < last.opens_on:
            raise forms.ValidationError(
                f"A new round opens on or after the last one ({last.opens_on:%-d %B %Y})."
            )
        return opens_on

    def save(self, opened_by: Any) -> AssessmentRound:
        return AssessmentRound.open_next(self.cohort, opened_by=opened_by, **self.cleaned_data)


class SelfAssessmentForm(forms.Form):
    """The whole self-assessment of one round: a level (and an optional note) for every
    target skill, saved together. Submitting again updates the answers."""

    def __init__(
        self, *args: Any, round: AssessmentRound, targets: list[TargetSkill], user: Any, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.round = round
        self.targets = targets
        self.user = user
        mine = {
            a.skill_id: a
            for a in Assessment.objects.filter(round=round, subject=user, assessor=user)
        }
        # What the person said in the round before, shown beside each skill as a reminder.
        self.previous = dict(
            Assessment.objects.filter(
                round__cohort_id=round.cohort_id,
                round__number=round.number - 1,
                subject=user,
                assessor=user,
            ).values_list("skill_id", "level")
        )
        for t in targets:
            done = mine.get(t.skill_id)
            self.fields[self.level_key(t)] = level_field(t.skill.name)
            self.fields[self.note_key(t)] = forms.CharField(
                label=f"Note on {t.skill.name} (optional)",
                max_length=500,
                required=False,
                help_text="An example of what you can do now, or what you want to learn.",
            )
            if done is not None:
                self.initial[self.level_key(t)] = str(done.level)
                self.initial[self.note_key(t)] = done.note

    @staticmethod
    def level_key(target: TargetSkill) -> str:
        return f"level_{target.skill.slug}"

    @staticmethod
    def note_key(target: TargetSkill) -> str:
        return f"note_{target.skill.slug}"

    def rows(self) -> list[tuple[TargetSkill, Any, Any, int | None]]:
        return [
            (t, self[self.level_key(t)], self[self.note_key(t)], self.previous.get(t.skill_id))
            for t in self.targets
        ]

    def save(self) -> list[Assessment]:
        levels = {
            t.skill_id: (self.cleaned_data[self.level_key(t)], self.cleaned_data[self.note_key(t)])
            for t in self.targets
        }
        return save_self_assessment(self.round, self.user, levels)


def save_self_assessment(
    round: AssessmentRound, user: Any, levels: dict[int, tuple[int, str]]
) -> list[Assessment]:
    """Create or update `user`'s self-assessment in `round`: skill id -> (level, note)."""
    with transaction.atomic():
        return [
            save_assessment(round, skill_id, user, user, level, note)
            for skill_id, (level, note) in levels.items()
        ]


def save_assessment(
    round: AssessmentRound, skill_id: int, subject: Any, assessor: Any, level: int, note: str
) -> Assessment:
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            round=round,
            skill_id=skill_id,
            subject=subject,
            assessor=assessor,
            defaults={"level": level, "note": note.strip()},
        )
        if not created and (assessment.level, assessment.note) != (level, note.strip()):
            assessment.level = level
            assessment.note = note.strip()
            assessment.updated_at = timezone.now()
            assessment.save(update_fields=["level", "note", "updated_at"])
    return assessment


class PeerAssessmentForm(forms.Form):
    """One peer's level in one target skill. Who gave it is never shown to the subject or
    the cohort: they see only a mean of at least two assessors."""

    subject = forms.ModelChoiceField(
        queryset=None,
        label="Who",
        error_messages={"invalid_choice": "Choose another active member of this cohort."},
    )
    skill = forms.ModelChoiceField(
        queryset=None, label="Skill", error_messages={"invalid_choice": NOT_A_TARGET}
    )
    level = level_field("Level you have seen them work at")
    note = forms.CharField(
        max_length=500,
        required=False,
        label="What you saw (optional)",
        help_text="Describe what they did, not who they are. They read it without your "
        "name, once at least two peers have assessed the skill.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, round: AssessmentRound, peers: Any, targets: list[TargetSkill], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        from cadre.networks.models import Skill

        self.round = round
        self.fields["subject"].queryset = peers
        self.fields["subject"].label_from_instance = lambda u: u.name or u.email
        self.fields["skill"].queryset = Skill.objects.filter(
            pk__in=[t.skill_id for t in targets]
        ).order_by("name")

    def save(self, assessor: Any) -> Assessment:
        data = self.cleaned_data
        return save_assessment(
            self.round, data["skill"].pk, data["subject"], assessor, data["level"], data["note"]
        )
