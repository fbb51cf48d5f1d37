"""Forms for target skills, rounds, the self-assessment and peer assessments: the input, each
error naming its field. What may be saved is cadre.diagnostics.services' to decide; each form
hands its input over in the service's terms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cohort
from cadre.cohorts.services import NOT_A_PEER
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Skill
from cadre.people.models import SkillLevel

from .models import NOT_A_TARGET, Assessment, AssessmentRound, TargetSkill

LEVEL_CHOICES = [(str(v), label) for v, label in SkillLevel.choices]
TARGET_CHOICES = [("", _("Not a target"))] + [
    (str(v), label) for v, label in SkillLevel.choices if v >= 1
]
LEVEL_ERROR = _("Choose a level from 0 (can’t do it yet) to 4 (can teach it).")


def level_field(label: Any, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[*([("", "—")] if not required else []), *LEVEL_CHOICES],
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
        current = {t.skill_id: t.target_level for t in cohort.target_skills.all()}
        self.skills = list(cohort.network.skills.offered(current))
        for skill in self.skills:
            self.fields[self.key(skill)] = forms.TypedChoiceField(
                label=skill.name,
                choices=TARGET_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.get(skill.pk),
                help_text=escape(skill.category),  # help text is written as HTML
                error_messages={"invalid_choice": _("Choose a target from 1 to 4, or none.")},
            )

    @staticmethod
    def key(skill: Any) -> str:
        return f"target_{skill.slug}"

    def bound_skills(self) -> list[tuple[Any, Any]]:
        return [(skill, self[self.key(skill)]) for skill in self.skills]

    def targets(self) -> list[tuple[str, int]]:
        """(skill slug, target level) for each skill chosen."""
        return [
            (s.slug, self.cleaned_data[self.key(s)])
            for s in self.skills
            if self.cleaned_data[self.key(s)]
        ]


class RoundForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=60,
        help_text=AssessmentRound._meta.get_field("label").help_text,
    )
    opens_on = forms.DateField(
        label=_("Opens on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    peer_assessments_enabled = forms.BooleanField(
        required=False, label=_("Members may also assess each other in this round")
    )


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
                label=format_lazy(_("Note on {skill} (optional)"), skill=t.skill.name),
                max_length=500,
                required=False,
                help_text=_("An example of what you can do now, or what you want to learn."),
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

    def levels(self) -> list[tuple[str, int, str]]:
        """(skill slug, level, note) for every target skill."""
        return [
            (
                t.skill.slug,
                self.cleaned_data[self.level_key(t)],
                self.cleaned_data[self.note_key(t)],
            )
            for t in self.targets
        ]


class PersonChoiceField(forms.ModelChoiceField):
    """People, each named by their name or, without one, their email."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or obj.email)


class PeerAssessmentForm(forms.Form):
    """One peer's level in one target skill. Who gave it is never shown to the subject or
    the cohort: they see only a mean of at least two assessors."""

    subject = PersonChoiceField(
        queryset=None,
        label=_("Who"),
        error_messages={"invalid_choice": _(NOT_A_PEER)},
    )
    skill: forms.ModelChoiceField[Skill] = forms.ModelChoiceField(
        queryset=None, label=_("Skill"), error_messages={"invalid_choice": _(NOT_A_TARGET)}
    )
    level = level_field(_("Level you have seen them work at"))
    note = forms.CharField(
        max_length=500,
        required=False,
        label=_("What you saw (optional)"),
        help_text=_(
            "Describe what they did, not who they are. They read it without your "
            "name, once at least two peers have assessed the skill."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, round: AssessmentRound, peers: Any, targets: list[TargetSkill], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.round = round
        subject, skill = self.fields["subject"], self.fields["skill"]
        assert isinstance(subject, PersonChoiceField) and isinstance(skill, forms.ModelChoiceField)
        subject.queryset = peers
        skill.queryset = Skill.objects.filter(pk__in=[t.skill_id for t in targets]).order_by("name")

    def assessment(self) -> dict[str, Any]:
        """The input in cadre.diagnostics.services.assess_peer's terms."""
        data = self.cleaned_data
        return {
            "subject_id": data["subject"].pk,
            "skill": data["skill"].slug,
            "level": data["level"],
            "note": data["note"],
        }
