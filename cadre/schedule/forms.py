import zoneinfo
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from cadre.lib import markdown
from cadre.lib.dates import validate_date_in_range

from .models import (
    MAX_ROLES,
    AgendaBlock,
    AttendanceStatus,
    CohortSchedule,
    NoteKind,
    Session,
    SessionReport,
)


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
        # Help text is written into the page as HTML, so the stored zone is escaped.
        self.fields["local_time"].help_text = format_html(
            "In the cohort’s time zone, {}.", self.instance.cohort.time_zone
        )
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
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_in_range],
    )
    start = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(min_value=15, max_value=480, initial=60)

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(time_zone)
        self.fields["start"].help_text = format_html("In the cohort’s time zone, {}.", time_zone)

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


# --- running a session ----------------------------------------------------------------------


class AgendaBlockForm(forms.ModelForm):
    class Meta:
        model = AgendaBlock
        fields = ["kind", "title", "minutes", "presenter", "notes"]
        labels = {"notes": "Technique or what is shown"}
        widgets = {"minutes": forms.NumberInput(attrs={"min": 1, "max": 480})}

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = members
        self.fields["presenter"].required = False


class BaseAgendaFormSet(forms.BaseModelFormSet):
    """The blocks of one session's agenda; together they must fill the session exactly."""

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        self.session = session
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError("An agenda needs at least one block.")
        total = sum(f.cleaned_data["minutes"] for f in kept)
        if total != self.session.minutes:
            diff = total - self.session.minutes
            more_or_less = f"{diff} minutes too many" if diff > 0 else f"{-diff} minutes short"
            raise forms.ValidationError(
                f"The blocks add up to {total} minutes but the session is "
                f"{self.session.minutes} minutes long ({more_or_less})."
            )


AgendaFormSet = forms.modelformset_factory(
    AgendaBlock, form=AgendaBlockForm, formset=BaseAgendaFormSet, extra=1, can_delete=True
)


class AttendanceForm(forms.Form):
    user = forms.IntegerField()
    status = forms.ChoiceField(choices=AttendanceStatus.choices)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=NoteKind.choices, initial=NoteKind.NOTE)
    text = forms.CharField(max_length=1000, label="Note or insight")


class CommitmentCaptureForm(forms.Form):
    owner = forms.IntegerField(label="Who commits")
    text = forms.CharField(max_length=300, label="Commitment")
    due_on = forms.DateField(
        required=False,
        label="Due",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )


class ReportForm(forms.ModelForm):
    class Meta:
        model = SessionReport
        fields = ["body", "what_worked", "what_did_not"]
        labels = {"body": "Report", "what_did_not": "What did not work, and why"}
        help_texts = {"body": markdown.HELP_TEXT}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "what_worked": forms.Textarea(attrs={"rows": 4}),
            "what_did_not": forms.Textarea(attrs={"rows": 4}),
        }


class PublishForm(forms.Form):
    share_with_network = forms.BooleanField(
        required=False, label="Also share with the whole network"
    )
