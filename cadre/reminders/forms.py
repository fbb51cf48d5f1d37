from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = [
            "session_reminders",
            "hours_before_session",
            "commitment_reminders",
            "blocker_alerts",
            "charter_review",
            "weekly_digest",
            "calendar_invitations",
        ]
        labels = {"hours_before_session": _("Hours before a session to remind me")}
        widgets = {"hours_before_session": forms.NumberInput(attrs={"min": 1, "max": 168})}

    def clean_hours_before_session(self) -> int:
        hours = self.cleaned_data["hours_before_session"]
        if not 1 <= hours <= 168:
            raise forms.ValidationError(_("Between 1 and 168 hours (a week)."))
        return hours
