import zoneinfo
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from .models import MAX_ROLES, CohortSchedule


class ScheduleForm(forms.ModelForm):
    """The weekday and local time the cohort meets, and the roles that rotate."""

    roles_text = forms.CharField(
        label="Roles that rotate",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"One role per line, 1 to {MAX_ROLES} roles, e.g. facilitator.",
    )

    class Meta:
        model = CohortSchedule
        fields = ["weekday", "local_time"]
        labels = {"local_time": "Start time"}
        widgets = {"local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "local_time"
        ].help_text = f"In the cohort’s time zone, {self.instance.cohort.time_zone}."
        if not self.is_bound:
            self.initial["roles_text"] = "\n".join(self.instance.roles)

    def clean_roles_text(self) -> list[str]:
        lines = self.cleaned_data["roles_text"].replace("\r", "\n").split("\n")
        roles = [" ".join(line.split()) for line in lines if line.strip()]
        if not roles:
            raise forms.ValidationError("Name at least one role.")
        if len(roles) > MAX_ROLES:
            raise forms.ValidationError(f"Name at most {MAX_ROLES} roles.")
        if any(len(r) > 40 for r in roles):
            raise forms.ValidationError("A role name is at most 40 characters.")
        if len({r.lower() for r in roles}) != len(roles):
            raise forms.ValidationError("Each role may appear only once.")
        return roles

    def save(self, commit: bool = True) -> CohortSchedule:
        self.instance.roles = self.cleaned_data["roles_text"]
        return super().save(commit)


class OneOffSessionForm(forms.Form):
    """An extra session outside the cadence (a demo day, a make-up session)."""

    title = forms.CharField(max_length=120, help_text="What the session is, e.g. “Demo day”.")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(min_value=15, max_value=480, initial=60)

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(time_zone)
        self.fields["start"].help_text = f"In the cohort’s time zone, {time_zone}."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and isinstance(data.get("start"), time):
            starts_at = datetime.combine(data["date"], data["start"], tzinfo=self.zone)
            if starts_at <= timezone.now():
                self.add_error("date", "A new session must start in the future.")
            data["starts_at"] = starts_at
        return data


class SlotForm(forms.Form):
    start = forms.IntegerField(min_value=0, max_value=167)


class AbsenceForm(forms.Form):
    note = forms.CharField(max_length=200, required=False)


class CancelForm(forms.Form):
    cancelled = forms.BooleanField(required=False)


class MentorSettingsForm(forms.Form):
    capacity = forms.IntegerField(
        min_value=0, max_value=10, help_text="How many newcomers at once, 0 to 10."
    )
    accepting = forms.BooleanField(required=False, label="Taking new mentees")


class ConfirmMatchForm(forms.Form):
    mentor = forms.IntegerField()
    newcomer = forms.IntegerField()
    explanation = forms.CharField(max_length=2000, required=False)


class NewcomerFilterForm(forms.Form):
    days = forms.IntegerField(
        min_value=1, max_value=730, required=False, label="Joined within (days)"
    )
