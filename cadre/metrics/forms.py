"""Forms for defining metrics, recording one observation, uploading a CSV of them and
naming data reporters. Values, dates and people are checked by the same functions as the
CSV upload and the API (cadre.metrics.importing)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cadre.cohorts.models import Cohort
from cadre.lib import markdown
from cadre.networks.models import Network

from . import importing
from .models import Metric


class MetricForm(forms.ModelForm):
    class Meta:
        model = Metric
        fields = ["name", "kind", "unit", "direction", "target", "baseline", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "description": format_lazy(
                "{} {}", gettext_lazy("How it is measured."), markdown.HELP_TEXT
            )
        }
        labels = {
            "name": gettext_lazy("Name"),
            "direction": gettext_lazy("Which way is better"),
            "kind": gettext_lazy("Kind of metric"),
            "unit": gettext_lazy("Unit"),
            "target": gettext_lazy("Target"),
            "baseline": gettext_lazy("Baseline"),
            "description": gettext_lazy("Description"),
        }

    def __init__(self, *args: Any, network: Network, cohort: Cohort | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.instance.cohort = cohort


class ObservationForm(forms.Form):
    observed_on = forms.CharField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The day the value was measured (YYYY-MM-DD)."),
    )
    value = forms.CharField(
        label=gettext_lazy("Value"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    person_email = forms.EmailField(
        label=gettext_lazy("About (e-mail)"),
        required=False,
        help_text=gettext_lazy("Only if the value is about one person."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=importing.NOTE_LENGTH
    )

    def __init__(self, *args: Any, metric: Metric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metric = metric
        self.fields["value"].label = _("Value (%(unit)s)") % {"unit": metric.unit}
        self.person: Any = None

    def clean_observed_on(self) -> Any:
        try:
            return importing.parse_date(self.cleaned_data["observed_on"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_value(self) -> Any:
        try:
            return importing.parse_value(self.cleaned_data["value"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_person_email(self) -> str:
        email = self.cleaned_data["person_email"].strip()
        if email:
            self.person = importing.people_for(self.metric, [email]).get(email.lower())
            if self.person is None:
                raise forms.ValidationError(importing.person_error(self.metric, email))
        return email

    def observation_fields(self) -> dict[str, Any]:
        """The cleaned input, named as cadre.metrics.services' observation functions take it."""
        return {
            "day": self.cleaned_data["observed_on"],
            "value": self.cleaned_data["value"],
            "person_email": self.cleaned_data["person_email"],
            "note": self.cleaned_data["note"],
        }


# The record form's fields on the metrics page, once written (the last RECORD_FIELDS_KEPT, per
# process): an empty form's HTML is a function of the metric's id and unit and the language.
RECORD_FIELDS_KEPT = 512


def record_fields(metric: Metric) -> SafeString:
    """The date, value and note fields of an empty `ObservationForm` of `metric` with their
    labels, one paragraph each, with ids of the metric's own (`id_m<pk>_...`): the metrics
    page's record form on each metric's card."""
    return _record_fields(metric.pk, metric.unit, get_language())


@lru_cache(maxsize=RECORD_FIELDS_KEPT)
def _record_fields(pk: int, unit: str, language: str | None) -> SafeString:
    metric = Metric(pk=pk, unit=unit)
    form = ObservationForm(metric=metric, auto_id=f"id_m{pk}_%s")
    return mark_safe(
        "\n        ".join(
            f"<p>{form[name].label_tag()} {form[name]}</p>"
            for name in ("observed_on", "value", "note")
        )
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=format_lazy(
            gettext_lazy(
                "Columns date,value,person_email,note (date and value required); at most "
                "{rows} rows and {size} KB."
            ),
            rows=f"{importing.MAX_ROWS:,}",
            size=importing.MAX_BYTES // 1024,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ReporterForm(forms.Form):
    """Whom to name: whether they may be named is cadre.metrics.services.name_reporter's."""

    email = forms.EmailField(label=gettext_lazy("Their e-mail"))
