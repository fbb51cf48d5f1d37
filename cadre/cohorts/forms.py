from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from cadre.lib import markdown
from cadre.lib.dates import validate_date_in_range
from cadre.lib.rules import Refused, show_on_form

from .models import Charter, CohortMembership, LearningFormat
from .services import check_charter, check_next_review


class CharterForm(forms.Form):
    """A new version of a cohort's charter. Not a ModelForm: saving never edits the version it
    started from, it adds the next one."""

    mission = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the cohort exists and what it sets out to change, in a few sentences. "
        + markdown.HELP_TEXT,
    )
    weekly_hours = forms.DecimalField(
        label="Weekly time commitment (hours)",
        min_value=Decimal("0.5"),
        max_value=Decimal("40"),
        max_digits=3,
        decimal_places=1,
        help_text="From 0.5 to 40 hours a week.",
        error_messages={
            "min_value": "Ask for at least half an hour (0.5) a week.",
            "max_value": "Ask for at most 40 hours a week.",
        },
    )
    learning_formats = forms.MultipleChoiceField(
        label="Preferred learning formats",
        choices=LearningFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    project_kinds = forms.CharField(
        label="Kinds of projects",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What members work on between sessions.",
    )
    norms = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How the cohort works together, one norm per line.",
    )
    next_review_on = forms.DateField(
        label="Next review",
        validators=[validate_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When the cohort will reassess its mission; a date after today.",
    )
    change_note = forms.CharField(
        max_length=200,
        # Required once there is a version to change; the service says so (check_charter).
        required=False,
        help_text="What changed and why, in a line. Shown in the charter history.",
    )

    def __init__(self, *args: Any, previous: Charter | None, **kwargs: Any) -> None:
        self.previous = previous
        if previous is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(previous)
        super().__init__(*args, **kwargs)
        if previous is None:
            # The first version has nothing to explain a change against.
            del self.fields["change_note"]

    @staticmethod
    def initial_from(charter: Charter) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "mission": charter.mission,
            "weekly_hours": charter.weekly_hours,
            "learning_formats": list(charter.learning_formats),
            "project_kinds": charter.project_kinds,
            "norms": charter.norms,
            # A review that is due needs a new date; suggest one a quarter ahead.
            "next_review_on": charter.next_review_on
            if charter.next_review_on > today
            else today + timedelta(days=90),
        }

    def clean_next_review_on(self) -> date:
        value: date = self.cleaned_data["next_review_on"]
        try:
            check_next_review(value)
        except Refused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return value

    def clean(self) -> dict[str, Any]:
        """The charter's rules are the service's (cadre.cohorts.services.check_charter);
        the form shows its refusal and keeps the values as they will be stored."""
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        fields: dict[str, Any] = {name: cleaned.get(name) for name in self.charter_fields()}
        try:
            values = check_charter(
                self.previous, **fields, change_note=cleaned.get("change_note", "")
            )
        except Refused as refusal:
            show_on_form(self, refusal)
            return cleaned
        cleaned.update(values.as_fields())
        return cleaned

    @staticmethod
    def charter_fields() -> list[str]:
        return [
            "mission",
            "weekly_hours",
            "learning_formats",
            "project_kinds",
            "norms",
            "next_review_on",
        ]

    def charter_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.charter_fields()}
        values["change_note"] = self.cleaned_data.get("change_note", "")
        return values


class StatementForm(forms.ModelForm):
    """A member's own learning statement: how the cohort's learning shows up in their work."""

    learning_statement = forms.CharField(
        label="My learning statement",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How this learning will show up in your work, in a sentence or two "
        "(10 to 1,000 characters).",
        error_messages={
            "required": "Write a sentence or two on how this learning will show up in your work.",
            "min_length": "Write at least 10 characters (this has %(show_value)d): say how "
            "this learning will show up in your work.",
            "max_length": "Keep it to 1,000 characters or fewer (this has %(show_value)d).",
        },
    )

    class Meta:
        model = CohortMembership
        fields = ["learning_statement"]
