from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from cadre.lib import markdown
from cadre.networks.models import Network, Skill
from cadre.people.models import (
    DAYS,
    GOALS_HELP,
    HOURS_PER_WEEK,
    Profile,
    SkillLevel,
    parse_goals,
    time_zone_names,
    validate_goals,
)
from cadre.people.services import Rating


class ProfileForm(forms.ModelForm):
    """The person's name (kept on the user) and their profile: work context, goals as
    comma-separated tags, and the hours of the week they can meet."""

    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("How others see you."))
    time_zone = forms.ChoiceField(label=_("Time zone"))
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Follow my browser")), *settings.LANGUAGES],
        help_text=_("Pages and the e-mails Cadre sends you come in this language."),
    )
    goals = forms.CharField(
        label=_("Learning goals"),
        required=False,
        max_length=1000,
        help_text=GOALS_HELP,
    )
    availability = forms.TypedMultipleChoiceField(
        label=_("When you can meet"),
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
            "language",
            "bio",
            "availability",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "headline": _("Headline"),
            "function": _("Function"),
            "industry": _("Industry"),
            "organization": _("Organization"),
            "seniority": _("Seniority"),
            "bio": _("Bio"),
        }
        help_texts = {
            "bio": markdown.HELP_TEXT,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].initial = user.name
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = [
            (n, n) for n in time_zone_names()
        ]
        self.fields["goals"].initial = ", ".join(self.instance.learning_goals or [])
        self.order_fields(["name"])

    def clean_goals(self) -> list[str]:
        goals = parse_goals(self.cleaned_data["goals"])
        validate_goals(goals)
        return goals

    def clean_availability(self) -> list[int]:
        return sorted(set(self.cleaned_data["availability"]))

    def profile_fields(self) -> dict[str, Any]:
        """The profile's fields as the service takes them (cadre.people.services)."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["learning_goals"] = self.cleaned_data["goals"]
        return fields


@dataclass
class SkillGroup:
    network: Network
    fields: list[forms.BoundField] = field(default_factory=list)


def skill_field_name(skill: Skill) -> str:
    return f"skill_{skill.pk}"


def _offered(network: Network, ratings: dict[int, int]) -> list[Skill]:
    """The skills a person rates themselves in: the network's active ones, and a retired one
    they had rated, so their rating is kept and can still be changed."""
    return [s for s in network.skills.all() if s.retired_at is None or s.pk in ratings]


class SkillRatingsForm(forms.Form):
    """One level select per skill in the taxonomies of the person's networks; blank means
    not rated."""

    def __init__(
        self, *args: Any, networks: Iterable[Network], ratings: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.networks = list(networks)
        self.skills: list[Skill] = []
        choices = [("", _("not rated"))] + [(str(v), label) for v, label in SkillLevel.choices]
        for network in self.networks:
            for skill in _offered(network, ratings):
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
                if skill_field_name(skill) not in self.fields:
                    continue
                group.fields.append(self[skill_field_name(skill)])
            groups.append(group)
        return groups

    def ratings(self) -> list[Rating]:
        """The levels chosen, as the service takes them; a skill left blank is not rated."""
        by_network = {n.pk: n.slug for n in self.networks}
        return [
            Rating(by_network[skill.network_id], skill.slug, level)
            for skill in self.skills
            if (level := self.cleaned_data.get(skill_field_name(skill))) is not None
        ]


def availability_rows(selected: Iterable[object]) -> list[dict[str, Any]]:
    """The weekly grid for the template: one row per hour, one cell per day."""
    chosen = {str(h) for h in selected}
    rows = []
    for hour in range(24):
        cells = []
        for day in range(len(DAYS)):
            day_name = WEEKDAYS_ABBR[day]
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


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("Picture"),
        help_text=_(
            "A JPEG, PNG or WebP image up to 5 MB. It is cropped to a square and its "
            "metadata (camera, place) is removed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
