from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .events import CATALOGUE


def _choices() -> list[tuple[str, str]]:
    return [(e.name, f"{e.name}: {e.meaning}") for e in CATALOGUE if e.name != "webhook.test"]


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Receiver address"),
        max_length=500,
        help_text=_(
            "Where Cadre POSTs each event: https://, or http:// for localhost and 127.0.0.1."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What it is for, e.g. “CRM sync”."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to receive every event, including those added later."),
    )


class EndpointEditForm(EndpointForm):
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Nothing is queued or sent while it is off."),
    )
