from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadre.lib.dates import validate_date_in_range
from cadre.lib.markdown import HELP_TEXT

from .models import Answer


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        max_length=280,
        label=_("A short note (optional)"),
        widget=forms.TextInput(attrs={"placeholder": "For example: we talked about on-call"}),
    )


class AgreementForm(forms.Form):
    what = forms.CharField(
        required=False,
        max_length=2000,
        label=_("What we will work on"),
        help_text=HELP_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    how_often = forms.CharField(required=False, max_length=80, label=_("How often we meet"))
    until = forms.DateField(
        required=False,
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    meeting_url = forms.CharField(
        required=False,
        label=_("Our meeting link"),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("The online room you meet in, if you use one."),
    )
    place = forms.CharField(
        required=False, label=_("Where we meet"), help_text=_("A café, an office.")
    )


class MeetingForm(forms.Form):
    met_on = forms.DateField(
        label=_("We met on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    notes = forms.CharField(
        required=False,
        max_length=4000,
        label=_("Notes"),
        help_text=HELP_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RematchForm(forms.Form):
    mentor = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=_("New mentor"),
        help_text=_("Leave it on the suggestion to take the engine's next-best mentor."),
    )

    def __init__(self, *args: Any, mentors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext("The engine's next-best mentor")), *mentors]
