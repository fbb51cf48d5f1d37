from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .files import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Programme file (.json)"),
        help_text=_("A file exported from Cadre, or written by hand in the same shape."),
    )

    def clean_file(self) -> bytes:
        # One byte more than a programme file may have: parse() says when it is too large.
        return bytes(self.cleaned_data["file"].read(MAX_BYTES + 1))


class ApplyForm(forms.Form):
    cohort = forms.ChoiceField(label=_("Cohort"))
    overwrite = forms.BooleanField(
        label=_("Replace the agendas that upcoming sessions already have"), required=False
    )

    def __init__(self, *args: Any, cohorts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cohort"]).choices = cohorts
