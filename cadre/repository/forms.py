"""Forms of the library: an item (also when it is promoted from an experiment or a report),
"I used this", the choice of where a template goes, and partner groups."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from cadre.cohorts.models import Cohort
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network, Role
from cadre.schedule.models import Session

from .models import (
    MAX_BODY_CHARS,
    ItemKind,
    PartnerGroup,
    RepositoryItem,
)
from .services import check_group_name, check_item


class PrettyJSONField(forms.JSONField):
    """A JSON field whose textarea shows the data indented, so people can edit it."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False)


class ItemForm(forms.ModelForm):
    """An item of the library. With `kind` given (a promotion), the kind and the structured
    data are not the author's to change: they come from the source."""

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
            "kind": gettext_lazy("Kind"),
            "template_kind": gettext_lazy("Kind of template"),
            "title": gettext_lazy("Title"),
            "summary": gettext_lazy("Summary"),
            "body": gettext_lazy("Body (Markdown)"),
            "skills": gettext_lazy("Skills"),
            "partner_groups": gettext_lazy("Partner groups it is shared with"),
            "visibility": gettext_lazy("Who may read it"),
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
        # Made here, not declared on the class: a class attribute `data` would stand, to the
        # type checker, where the form keeps its submitted data (BaseForm.data).
        self.fields["data"] = PrettyJSONField(
            required=False,
            label=gettext_lazy("Structured data (JSON)"),
            widget=forms.Textarea(attrs={"rows": 8, "class": "mono"}),
            help_text=gettext_lazy(
                'Agenda templates: {"blocks": [{"kind": "check_in", "title": "Check-in", '
                '"minutes": 10}, ...]}. Charter templates: mission, weekly_hours, '
                "learning_formats, project_kinds, norms. Experiment plans: title, capability, "
                "hypothesis, plan, measure, baseline."
            ),
        )
        skills = self.fields["skills"]
        assert isinstance(skills, forms.ModelMultipleChoiceField)
        kept = self.instance.skills.values("pk") if self.instance.pk else ()
        skills.queryset = network.skills.offered(kept).order_by("name")
        partner_groups = self.fields["partner_groups"]
        assert isinstance(partner_groups, forms.ModelMultipleChoiceField)
        partner_groups.queryset = network.partner_groups.order_by("name")
        partner_groups.help_text = gettext_lazy(
            "Only for “the network and the partner groups I name”. A group sees only the "
            "kinds of item it is offered."
        )
        body = self.fields["body"]
        assert isinstance(body, forms.CharField)
        body.max_length = MAX_BODY_CHARS
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
            raise ValidationError(
                gettext("Keep the body under %(count)s characters.")
                % {"count": f"{MAX_BODY_CHARS:,}"}
            )
        return body.replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        kind, template_kind = self._kind(cleaned)
        if not kind:
            return cleaned
        # The rules are the service's (check_item); the form shows its sentence.
        try:
            template_kind, data, groups = check_item(
                kind=kind,
                template_kind=template_kind,
                visibility=cleaned.get("visibility") or "",
                partner_groups=list(cleaned.get("partner_groups") or []),
                data=cleaned.get("data"),
                check_the_data="data" in self.fields and "data" not in self.errors,
            )
        except Refused as refusal:
            show_on_form(self, refusal)
            return cleaned
        if "template_kind" in self.fields:
            cleaned["template_kind"] = template_kind
        if "data" in self.fields and "data" not in self.errors:
            cleaned["data"] = data
        cleaned["partner_groups"] = groups
        return cleaned


class ReuseForm(forms.Form):
    cohort: forms.ModelChoiceField[Cohort] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("In my cohort"),
        empty_label=gettext_lazy("Not in a cohort"),
    )
    note = forms.CharField(
        max_length=300, required=False, label=gettext_lazy("How you used it (optional)")
    )

    def __init__(self, *args: Any, cohorts: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ModelChoiceField)
        cohort.queryset = cohorts


class SessionChoiceField(forms.ModelChoiceField):
    """An upcoming session, named with its cohort, time (UTC) and length."""

    def label_from_instance(self, obj: Session) -> str:
        return (
            f"{obj.cohort.name} · {obj.label} · {date_format(obj.starts_at, 'D d M Y H:i')} UTC "
            f"({obj.minutes} min)"
        )


class SessionChoiceForm(forms.Form):
    session = SessionChoiceField(
        queryset=None,
        label=gettext_lazy("Upcoming session"),
        empty_label=None,
        help_text=gettext_lazy(
            "Its agenda is replaced by the template's blocks, fitted to its length."
        ),
    )

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        assert isinstance(session, SessionChoiceField)
        session.queryset = sessions


class CohortChoiceForm(forms.Form):
    cohort: forms.ModelChoiceField[Cohort] = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Cohort"), empty_label=None
    )

    def __init__(self, *args: Any, cohorts: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ModelChoiceField)
        cohort.queryset = cohorts


class PartnerGroupForm(forms.ModelForm):
    shares = forms.MultipleChoiceField(
        choices=ItemKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=gettext_lazy("Kinds of item it is offered"),
    )

    class Meta:
        model = PartnerGroup
        fields = ["name", "organization", "shares", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}
        labels = {
            "name": gettext_lazy("Name"),
            "organization": gettext_lazy("Organization"),
            "members": gettext_lazy("Members"),
        }
        help_texts = {"members": gettext_lazy("People of the network whose role is partner.")}

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.instance.network = network
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = (
            get_user_model()
            .objects.filter(
                network_memberships__network=network, network_memberships__role=Role.PARTNER
            )
            .order_by("name")
        )

    def clean_name(self) -> str:
        # The rule is the service's (check_group_name); the form shows it beside the others.
        try:
            return check_group_name(self.instance, self.cleaned_data["name"])
        except Refused as refusal:
            raise ValidationError(refusal.message) from None
