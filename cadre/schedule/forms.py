import zoneinfo
from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cadre.accounts.models import User
from cadre.lib import markdown
from cadre.lib.dates import validate_date_in_range
from cadre.lib.rules import Refused

from .models import (
    MAX_ROLES,
    MAX_SESSIONS,
    AgendaBlock,
    AttendanceStatus,
    CohortSchedule,
    NoteKind,
    Session,
    SessionReport,
    Weekday,
)
from .services import Block, check_agenda, room_links_on


def in_time_zone(zone: object) -> str:
    """A time field's help: the zone it is read in (escaped: help text is written as HTML)."""
    return format_html(str(_("In the cohort’s time zone, {zone}.")), zone=zone)


class ScheduleForm(forms.Form):
    """The weekday and local time the cohort meets, and the roles that rotate (one per line;
    the rules are the service's, update_schedule)."""

    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    local_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    session_count = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=MAX_SESSIONS,
        help_text=_(
            "How many regular sessions the series has in all, those already held included. "
            "Lowering it removes the last upcoming sessions."
        ),
    )
    skip_default_holidays = forms.BooleanField(
        required=False,
        label=_("No sessions on 25 December and 1 January"),
        help_text=_("A session that would fall on either day moves to the next meeting date."),
    )
    roles = forms.CharField(
        label=_("Roles that rotate"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(
            _("One role per line, 1 to {count} roles, e.g. facilitator."), count=MAX_ROLES
        ),
    )
    meeting_url = forms.CharField(
        label=_("Online meeting link"),
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Every session’s link unless a session has its own. Leave empty for none."),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        help_text=_("Where you meet in person, if you do (a room, an address)."),
    )
    generate_room_link = forms.BooleanField(
        label=_("Generate a room link"),
        required=False,
        help_text=_(
            "Cadre makes a new private room on this network’s video service and uses "
            "its link instead of the one above."
        ),
    )

    def __init__(self, *args: Any, schedule: CohortSchedule, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "weekday": schedule.weekday,
                "local_time": schedule.local_time,
                "session_count": schedule.session_count,
                "skip_default_holidays": schedule.skip_default_holidays,
                "roles": "\n".join(schedule.roles),
                "meeting_url": schedule.meeting_url,
                "place": schedule.place,
            },
        )
        super().__init__(*args, **kwargs)
        if not room_links_on():
            del self.fields["generate_room_link"]
        self.fields["local_time"].help_text = in_time_zone(schedule.cohort.time_zone)

    def clean_roles(self) -> list[str]:
        lines = self.cleaned_data["roles"].replace("\r", "\n").split("\n")
        return [line for line in lines if line.strip()]


class OneOffSessionForm(forms.Form):
    """An extra session outside the cadence (a demo day, a make-up session)."""

    title = forms.CharField(
        label=_("Title"), max_length=120, help_text=_("What the session is, e.g. “Demo day”.")
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_in_range],
    )
    start = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=15, max_value=480, initial=60)
    on_holiday = forms.BooleanField(
        required=False,
        label=_("Hold it even on a holiday"),
        help_text=_(
            "Without this, a session on a listed holiday, 25 December or 1 January is "
            "not added and you are told which holiday it is."
        ),
    )

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(time_zone)
        self.fields["start"].help_text = in_time_zone(time_zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and isinstance(data.get("start"), time):
            data["starts_at"] = datetime.combine(data["date"], data["start"], tzinfo=self.zone)
        return data


class HolidayForm(forms.Form):
    """A day the cohort (or, for organizers, the whole network) does not meet."""

    on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_in_range],
    )
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What the day is, e.g. “Spring bank holiday”.")
    )
    network_wide = forms.BooleanField(
        required=False,
        label=_("For the whole network"),
        help_text=_("Every cohort of the network skips it; otherwise only this cohort does."),
    )

    def __init__(self, *args: Any, network_wide: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not network_wide:
            del self.fields["network_wide"]


class WhereForm(forms.Form):
    """One session's own meeting link and place (empty: the schedule's)."""

    meeting_url = forms.CharField(
        label=_("Online meeting link"),
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Only for this session. Leave empty to use the schedule’s link."),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        help_text=_("Only for this session. Leave empty to use the schedule’s place."),
    )


class TitleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("Shown on the schedule, in reminders and in calendars. Leave empty for none."),
    )


class SwapForm(forms.Form):
    """Ask another member to take my role in a session."""

    role = forms.ChoiceField(label=_("Your role"))
    partner = forms.TypedChoiceField(label=_("Ask"), coerce=int)

    def __init__(
        self,
        *args: Any,
        roles: list[str],
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        partner = self.fields["partner"]
        assert isinstance(role, forms.ChoiceField) and isinstance(partner, forms.ChoiceField)
        role.choices = [(r, r) for r in roles]
        partner.choices = people


class SwapAnswerForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline"), ("withdraw", "Withdraw")]
    )


class SlotForm(forms.Form):
    start = forms.IntegerField(min_value=0, max_value=167)


class AbsenceForm(forms.Form):
    note = forms.CharField(max_length=200, required=False)


class CancelForm(forms.Form):
    cancelled = forms.BooleanField(required=False)


class MentorSettingsForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=10,
        help_text=_("How many newcomers at once, 0 to 10."),
    )
    accepting = forms.BooleanField(required=False, label=_("Taking new mentees"))


class ConfirmMatchForm(forms.Form):
    mentor = forms.IntegerField()
    newcomer = forms.IntegerField()
    explanation = forms.CharField(max_length=2000, required=False)


class NewcomerFilterForm(forms.Form):
    days = forms.IntegerField(
        min_value=1, max_value=730, required=False, label=_("Joined within (days)")
    )


# --- running a session ----------------------------------------------------------------------


class AgendaBlockForm(forms.ModelForm):
    class Meta:
        model = AgendaBlock
        fields = ["kind", "title", "minutes", "presenter", "notes"]
        labels = {
            "kind": _("Kind"),
            "title": _("Title"),
            "minutes": _("Minutes"),
            "presenter": _("Presenter"),
            "notes": _("Technique or what is shown"),
        }
        widgets = {"minutes": forms.NumberInput(attrs={"min": 1, "max": 480})}

    def __init__(self, *args: Any, members: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        presenter = self.fields["presenter"]
        assert isinstance(presenter, forms.ModelChoiceField)
        presenter.queryset = members
        presenter.required = False


class BaseAgendaFormSet(forms.BaseModelFormSet):
    """The blocks of one session's agenda; together they must fill the session exactly."""

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        self.session = session
        super().__init__(*args, **kwargs)

    def blocks(self) -> list[Block]:
        """The blocks kept, in their order, as the service takes them. The order is the
        blocks' "Order" numbers (the agenda editor sets them when a block is moved; without
        JavaScript they are typed); blocks without one keep their place after those with."""
        kept = [f for f in self.ordered_forms if f.cleaned_data]
        return [
            Block(
                kind=f.cleaned_data["kind"],
                title=f.cleaned_data["title"],
                minutes=f.cleaned_data["minutes"],
                presenter=f.cleaned_data["presenter"].pk if f.cleaned_data["presenter"] else None,
                notes=f.cleaned_data["notes"],
            )
            for f in kept
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        try:
            check_agenda(self.session, self.blocks())
        except Refused as refusal:
            raise forms.ValidationError(refusal.message) from None


# The factory makes a subclass of `formset`; its stub only promises a BaseModelFormSet.
AgendaFormSet = cast(
    "type[BaseAgendaFormSet]",
    forms.modelformset_factory(
        AgendaBlock,
        form=AgendaBlockForm,
        formset=BaseAgendaFormSet,
        extra=1,
        can_delete=True,
        can_order=True,
    ),
)


class AttendanceForm(forms.Form):
    user = forms.IntegerField()
    status = forms.ChoiceField(choices=AttendanceStatus.choices)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=NoteKind.choices, initial=NoteKind.NOTE)
    text = forms.CharField(max_length=1000, label=_("Note or insight"))


class CommitmentCaptureForm(forms.Form):
    owner = forms.IntegerField(label=_("Who commits"))
    text = forms.CharField(max_length=300, label=_("Commitment"))
    due_on = forms.DateField(
        required=False,
        label=_("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    keep = forms.BooleanField(required=False, label=_("Capture as said"))


class ReportForm(forms.ModelForm):
    class Meta:
        model = SessionReport
        fields = ["body", "what_worked", "what_did_not"]
        labels = {
            "body": _("Report"),
            "what_worked": _("What worked"),
            "what_did_not": _("What did not work, and why"),
        }
        help_texts = {"body": markdown.HELP_TEXT}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "what_worked": forms.Textarea(attrs={"rows": 4}),
            "what_did_not": forms.Textarea(attrs={"rows": 4}),
        }


class PublishForm(forms.Form):
    share_with_network = forms.BooleanField(
        required=False, label=_("Also share with the whole network")
    )
