from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cadre.accounts.models import User
from cadre.lib import markdown
from cadre.lib.dates import validate_date_in_range
from cadre.lib.rules import Refused, show_on_form
from cadre.people.models import time_zone_names

from .closing import MAX_SURVEY_TEXT, SURVEY_JOIN_AGAIN, SURVEY_QUESTIONS, SURVEY_VALUE
from .models import (
    Cadence,
    Charter,
    Cohort,
    CohortMembership,
    CohortRole,
    JoinAgain,
    LearningFormat,
)
from .policy import HOST_EDITABLE
from .services import ROSTER_ROLES, check_charter, check_next_review


class CharterForm(forms.Form):
    """A new version of a cohort's charter. Not a ModelForm: saving never edits the version it
    started from, it adds the next one."""

    mission = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Mission"),
        help_text=format_lazy(
            "{} {}",
            _("Why the cohort exists and what it sets out to change, in a few sentences."),
            markdown.HELP_TEXT,
        ),
    )
    weekly_hours = forms.DecimalField(
        label=_("Weekly time commitment (hours)"),
        min_value=Decimal("0.5"),
        max_value=Decimal("40"),
        max_digits=3,
        decimal_places=1,
        help_text=_("From 0.5 to 40 hours a week."),
        error_messages={
            "min_value": _("Ask for at least half an hour (0.5) a week."),
            "max_value": _("Ask for at most 40 hours a week."),
        },
    )
    learning_formats = forms.MultipleChoiceField(
        label=_("Preferred learning formats"),
        choices=LearningFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    project_kinds = forms.CharField(
        label=_("Kinds of projects"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What members work on between sessions."),
    )
    norms = forms.CharField(
        label=_("Norms"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the cohort works together, one norm per line."),
    )
    next_review_on = forms.DateField(
        label=_("Next review"),
        validators=[validate_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When the cohort will reassess its mission; a date after today."),
    )
    change_note = forms.CharField(
        label=_("Change note"),
        max_length=200,
        # Required once there is a version to change; the service says so (check_charter).
        required=False,
        help_text=_("What changed and why, in a line. Shown in the charter history."),
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
        label=_("My learning statement"),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "How this learning will show up in your work, in a sentence or two "
            "(10 to 1,000 characters)."
        ),
        error_messages={
            "required": _(
                "Write a sentence or two on how this learning will show up in your work."
            ),
            "min_length": _(
                "Write at least 10 characters (this has %(show_value)d): say how "
                "this learning will show up in your work."
            ),
            "max_length": _("Keep it to 1,000 characters or fewer (this has %(show_value)d)."),
        },
    )

    class Meta:
        model = CohortMembership
        fields = ["learning_statement"]


def person_label(person: User) -> str:
    """A person in a picker, with their e-mail and, when the queryset brought them
    (services.network_people), their current cohorts, so namesakes can be told apart:
    "Sam Lee (sam@acme.test) · Platform Reliability"."""
    label = f"{person.name} ({person.email})"
    cohorts = [m.cohort.name for m in getattr(person, "cohorts_here", ())]
    return f"{label} · {', '.join(cohorts)}" if cohorts else label


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class CohortForm(forms.Form):
    """A cohort's settings, for the "New cohort" page and its settings page. The rules are
    the service's (cadre.cohorts.services.create_cohort / update_cohort); a host's form has
    only the fields a host may change (policy.HOST_EDITABLE)."""

    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("What members call the cohort.")
    )
    slug = forms.SlugField(
        max_length=60,
        label=_("Address"),
        help_text=_(
            "The last part of the cohort’s address: lower-case letters, digits and "
            "hyphens, e.g. data-guild."
        ),
    )
    objective = forms.CharField(
        label=_("Objective"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Cohort._meta.get_field("objective").help_text,
    )
    outcomes = forms.CharField(
        label=_("Outcomes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Cohort._meta.get_field("outcomes").help_text,
    )
    hosts = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label=_("Hosts"),
        help_text=_(
            "People of the network who look after the charter and the calendar. Someone not "
            "in the cohort yet joins it as a host; a host you leave out stays a member."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=(),
        help_text=_("Where the cohort meets: its sessions and due dates are on this calendar."),
    )
    cadence = forms.ChoiceField(label=_("Meets"), choices=Cadence.choices)
    starts_on = forms.DateField(
        label=_("Start date"),
        required=False,
        validators=[validate_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first session’s date, if it is known."),
    )
    session_minutes = forms.IntegerField(
        label=_("Session length (minutes)"), min_value=10, max_value=480, initial=60
    )
    shared_with_network = forms.BooleanField(
        label=_("Shared with the network"),
        required=False,
        help_text=_("Let every member of the network read the charter and the roster."),
    )

    def __init__(
        self,
        *args: Any,
        people: Any,
        cohort: Cohort | None = None,
        host_ids: list[int] | None = None,
        full: bool = True,
        **kwargs: Any,
    ) -> None:
        if cohort is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": cohort.name,
                "slug": cohort.slug,
                "objective": cohort.objective,
                "outcomes": cohort.outcomes,
                "hosts": host_ids or [],
                "time_zone": cohort.time_zone,
                "cadence": cohort.cadence,
                "starts_on": cohort.starts_on,
                "session_minutes": cohort.session_minutes,
                "shared_with_network": cohort.shared_with_network,
            }
        super().__init__(*args, **kwargs)
        hosts = self.fields["hosts"]
        assert isinstance(hosts, forms.ModelMultipleChoiceField)
        hosts.queryset = people
        zone = self.fields["time_zone"]
        assert isinstance(zone, forms.ChoiceField)
        zone.choices = [(name, name) for name in time_zone_names()]
        if cohort is None:
            zone.initial = "UTC"
        if not full:
            for name in list(self.fields):
                if name not in HOST_EDITABLE:
                    del self.fields[name]

    def values(self) -> dict[str, Any]:
        """The cleaned values as the service takes them."""
        values = dict(self.cleaned_data)
        if "outcomes" in values:
            values["outcomes"] = values["outcomes"].splitlines()
        if "hosts" in values:
            values["hosts"] = list(values["hosts"])
        return values


class AddMemberForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        help_text=_("Anyone in the network who is not in the cohort."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in ROSTER_ROLES],
        initial=CohortRole.MEMBER,
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = people


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in ROSTER_ROLES])


class MoveForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Move to"), queryset=Cohort.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ModelChoiceField)
        to.queryset = cohorts


class SurveyForm(forms.Form):
    """The end-of-cohort survey (cadre.cohorts.closing.SURVEY_QUESTIONS)."""

    value = forms.TypedChoiceField(
        label=SURVEY_QUESTIONS["value"],
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _(SURVEY_VALUE), "invalid_choice": _(SURVEY_VALUE)},
    )
    changed = forms.CharField(
        label=SURVEY_QUESTIONS["changed"],
        required=False,
        max_length=MAX_SURVEY_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    keep_or_change = forms.CharField(
        label=SURVEY_QUESTIONS["keep_or_change"],
        required=False,
        max_length=MAX_SURVEY_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    join_again = forms.ChoiceField(
        label=SURVEY_QUESTIONS["join_again"],
        choices=JoinAgain.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(SURVEY_JOIN_AGAIN),
            "invalid_choice": _(SURVEY_JOIN_AGAIN),
        },
    )


class RenewForm(forms.Form):
    """The new cohort's name and address; everything else is copied."""

    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(max_length=60, label=_("Address (slug)"))
