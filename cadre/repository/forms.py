"""Forms of the library: an item (also when it is promoted from an experiment or a report),
"I used this", the choice of where a template goes, and partner groups."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from cadre.networks.models import Network, Role

from .content import check_data
from .models import (
    MAX_BODY_CHARS,
    ItemKind,
    ItemVisibility,
    PartnerGroup,
    RepositoryItem,
    TemplateKind,
)


class PrettyJSONField(forms.JSONField):
    """A JSON field whose textarea shows the data indented, so people can edit it."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False)


def partner_problem(groups: list[PartnerGroup], kind: str) -> str | None:
    """Why these groups may not be offered an item of `kind`, or None."""
    refused = [g.name for g in groups if kind not in (g.shares or [])]
    if not refused:
        return None
    label = ItemKind(kind).label.lower()
    return (
        f"{', '.join(refused)} {'is' if len(refused) == 1 else 'are'} not offered "
        f"{label}s. Pick groups that share {label}s, or ask an organizer to change the group."
    )


class ItemForm(forms.ModelForm):
    """An item of the library. With `kind` given (a promotion), the kind and the structured
    data are not the author's to change: they come from the source."""

    data = PrettyJSONField(
        required=False,
        label="Structured data (JSON)",
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono"}),
        help_text=(
            'Agenda templates: {"blocks": [{"kind": "check_in", "title": "Check-in", '
            '"minutes": 10}, ...]}. Charter templates: mission, weekly_hours, '
            "learning_formats, project_kinds, norms. Experiment plans: title, capability, "
            "hypothesis, plan, measure, baseline."
        ),
    )

    class Meta:
        model = RepositoryItem
        fields = [
            "kind",
            "template_kind",
            "title",
            "summary",
            "body",
            "data",
            "skills",
            "visibility",
            "partner_groups",
        ]
        labels = {
            "template_kind": "Kind of template",
            "body": "Body (Markdown)",
            "partner_groups": "Partner groups it is shared with",
            "visibility": "Who may read it",
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "skills": forms.CheckboxSelectMultiple,
            "partner_groups": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
        }

    def __init__(
        self, *args: Any, network: Network, kind: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.fixed_kind = kind
        self.fields["skills"].queryset = network.skills.order_by("name")
        self.fields["partner_groups"].queryset = network.partner_groups.order_by("name")
        self.fields["partner_groups"].help_text = (
            "Only for “the network and the partner groups I name”. A group sees only the "
            "kinds of item it is offered."
        )
        self.fields["body"].max_length = MAX_BODY_CHARS
        self.fields["template_kind"].required = False
        if kind is not None:
            for name in ("kind", "template_kind", "data"):
                del self.fields[name]
        elif self.instance.pk:
            # The kind of an item stays what it was made as: its data depends on it.
            del self.fields["kind"]
            del self.fields["template_kind"]

    def _kind(self, cleaned: dict[str, Any]) -> tuple[str, str]:
        if self.fixed_kind is not None:
            return self.fixed_kind, ""
        if self.instance.pk:
            return self.instance.kind, self.instance.template_kind
        return cleaned.get("kind") or "", cleaned.get("template_kind") or ""

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if len(body) > MAX_BODY_CHARS:
            raise ValidationError(f"Keep the body under {MAX_BODY_CHARS:,} characters.")
        return body.replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, template_kind = self._kind(cleaned)
        if not kind:
            return cleaned
        if kind == ItemKind.TEMPLATE and template_kind not in TemplateKind.values:
            self.add_error("template_kind", "Say what kind of template this is.")
            return cleaned
        if kind != ItemKind.TEMPLATE and "template_kind" in self.fields:
            cleaned["template_kind"] = ""
        if "data" in self.fields and "data" not in self.errors:
            try:
                cleaned["data"] = check_data(kind, template_kind, cleaned.get("data"))
            except ValidationError as exc:
                self.add_error("data", exc)
        groups = list(cleaned.get("partner_groups") or [])
        if cleaned.get("visibility") == ItemVisibility.PARTNERS:
            if not groups:
                self.add_error("partner_groups", "Name at least one partner group to share with.")
            elif problem := partner_problem(groups, kind):
                self.add_error("partner_groups", problem)
        else:
            cleaned["partner_groups"] = []
        return cleaned


class ReuseForm(forms.Form):
    cohort = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="In my cohort",
        empty_label="Not in a cohort",
    )
    note = forms.CharField(max_length=300, required=False, label="How you used it (optional)")

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


class SessionChoiceForm(forms.Form):
    session = forms.ModelChoiceField(
        queryset=None,
        label="Upcoming session",
        empty_label=None,
        help_text="Its agenda is replaced by the template's blocks, fitted to its length.",
    )

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.cohort.name} · {s.label} · {s.starts_at:%a %d %b %Y %H:%M} UTC ({s.minutes} min)"
        )


class CohortChoiceForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=None, label="Cohort", empty_label=None)

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


class PartnerGroupForm(forms.ModelForm):
    shares = forms.MultipleChoiceField(
        choices=ItemKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Kinds of item it is offered",
    )

    class Meta:
        model = PartnerGroup
        fields = ["name", "organization", "shares", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}
        help_texts = {"members": "People of the network whose role is partner."}

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.instance.network = network
        self.fields["members"].queryset = (
            get_user_model()
            .objects.filter(
                network_memberships__network=network, network_memberships__role=Role.PARTNER
            )
            .order_by("name")
        )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = PartnerGroup.objects.filter(network=self.network, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"{self.network.name} already has a partner group “{name}”.")
        return name

    def clean_shares(self) -> list[str]:
        chosen = set(self.cleaned_data["shares"])
        return [value for value in ItemKind.values if value in chosen]
