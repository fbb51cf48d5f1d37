from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.html import escape

from cadre.lib import markdown
from cadre.networks.models import Network, Skill
from cadre.people.models import (
    DAYS,
    HOURS_PER_WEEK,
    Profile,
    ProfileSkill,
    SkillLevel,
    time_zone_names,
    validate_goals,
)

MAX_GOALS = 20


class ProfileForm(forms.ModelForm):
    """The person's name (kept on the user) and their profile: work context, goals as
    comma-separated tags, and the hours of the week they can meet."""

    name = forms.CharField(label="Name", max_length=150, help_text="How others see you.")
    time_zone = forms.ChoiceField(label="Time zone")
    goals = forms.CharField(
        label="Learning goals",
        required=False,
        max_length=1000,
        help_text="Comma-separated, e.g. “facilitation, data storytelling”.",
    )
    availability = forms.TypedMultipleChoiceField(
        label="When you can meet",
        required=False,
        coerce=int,
        choices=[(str(h), str(h)) for h in range(HOURS_PER_WEEK)],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = [
            "headline",
            "function",
            "industry",
            "organization",
            "seniority",
            "time_zone",
            "bio",
            "availability",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"bio": markdown.HELP_TEXT}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].initial = user.name
        self.fields["time_zone"].choices = [(n, n) for n in time_zone_names()]
        self.fields["goals"].initial = ", ".join(self.instance.learning_goals or [])
        self.order_fields(["name"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Please give your name.")
        return name

    def clean_goals(self) -> list[str]:
        goals: list[str] = []
        seen: set[str] = set()
        for tag in self.cleaned_data["goals"].split(","):
            tag = " ".join(tag.split())
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                goals.append(tag)
        if len(goals) > MAX_GOALS:
            raise forms.ValidationError(f"At most {MAX_GOALS} learning goals, please.")
        validate_goals(goals)
        return goals

    def clean_availability(self) -> list[int]:
        return sorted(set(self.cleaned_data["availability"]))

    def save(self, commit: bool = True) -> Profile:
        profile: Profile = super().save(commit=False)
        profile.user = self.user
        profile.learning_goals = self.cleaned_data["goals"]
        profile.availability = self.cleaned_data["availability"]
        self.user.name = self.cleaned_data["name"]
        if commit:
            self.user.save(update_fields=["name"])
            profile.save()
        return profile


@dataclass
class SkillGroup:
    network: Network
    fields: list[forms.BoundField] = field(default_factory=list)


def skill_field_name(skill: Skill) -> str:
    return f"skill_{skill.pk}"


class SkillRatingsForm(forms.Form):
    """One level select per skill in the taxonomies of the person's networks; blank means
    not rated."""

    def __init__(
        self, *args: Any, networks: Iterable[Network], ratings: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.networks = list(networks)
        self.skills: list[Skill] = []
        choices = [("", "not rated")] + [(str(v), label) for v, label in SkillLevel.choices]
        for network in self.networks:
            for skill in network.skills.all():
                self.skills.append(skill)
                self.fields[skill_field_name(skill)] = forms.TypedChoiceField(
                    label=skill.name,
                    required=False,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    initial=ratings.get(skill.pk),
                    # Django writes help text into the page as HTML: stored text is escaped.
                    help_text=escape(skill.description),
                )

    def groups(self) -> list[SkillGroup]:
        """The fields grouped by network, for the template."""
        groups = []
        for network in self.networks:
            group = SkillGroup(network)
            for skill in network.skills.all():
                group.fields.append(self[skill_field_name(skill)])
            groups.append(group)
        return groups

    def save(self, profile: Profile) -> None:
        existing = {r.skill_id: r for r in ProfileSkill.objects.filter(profile=profile)}
        to_create, to_update, to_delete = [], [], []
        for skill in self.skills:
            level = self.cleaned_data.get(skill_field_name(skill))
            rating = existing.get(skill.pk)
            if level is None:
                if rating is not None:
                    to_delete.append(rating.pk)
            elif rating is None:
                to_create.append(ProfileSkill(profile=profile, skill=skill, level=level))
            elif rating.level != level:
                rating.level = level
                to_update.append(rating)
        ProfileSkill.objects.filter(pk__in=to_delete).delete()
        ProfileSkill.objects.bulk_create(to_create)
        ProfileSkill.objects.bulk_update(to_update, ["level"])


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="What the token is for, e.g. “spreadsheet sync”.",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the token a name so you can recognise it later.")
        return name


def availability_rows(selected: Iterable[object]) -> list[dict[str, Any]]:
    """The weekly grid for the template: one row per hour, one cell per day."""
    chosen = {str(h) for h in selected}
    rows = []
    for hour in range(24):
        cells = []
        for day, day_name in enumerate(DAYS):
            value = day * 24 + hour
            cells.append(
                {
                    "value": value,
                    "label": f"{day_name} {hour:02d}:00",
                    "checked": str(value) in chosen,
                }
            )
        rows.append({"hour": f"{hour:02d}:00", "cells": cells})
    return rows
