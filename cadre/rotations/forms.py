from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cadre.accounts.models import User
from cadre.lib import markdown
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Network

from .models import MAX_PLANNED_ROUNDS, Attribute, CoachingFormat, Ritual
from .planning import network_people


class CoachingPlanForm(forms.Form):
    """Plan the next coaching rounds of a cohort."""

    rounds = forms.IntegerField(
        label=_("How many rounds to plan"),
        min_value=1,
        max_value=MAX_PLANNED_ROUNDS,
        initial=4,
        help_text=format_lazy(
            _("1 to {count}. Rounds that have started stay as they are."), count=MAX_PLANNED_ROUNDS
        ),
    )
    format = forms.ChoiceField(
        label=_("Groups"), choices=CoachingFormat.choices, initial=CoachingFormat.PAIR
    )
    starts_on = forms.DateField(
        label=_("First new round starts on"),
        required=False,
        validators=[validate_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty: one cadence after the last round that has started, or today."),
    )


class RitualForm(forms.ModelForm):
    prefer_different = forms.MultipleChoiceField(
        label=_("Mix people by"),
        choices=Attribute.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Prefer groups whose people differ in these profile fields."),
    )

    class Meta:
        model = Ritual
        fields = [
            "name",
            "description",
            "cadence",
            "group_size",
            "prefer_cross_cohort",
            "prefer_close_time_zones",
            "prefer_different",
            "active",
        ]
        labels = {
            "name": _("Name"),
            "description": _("Description"),
            "cadence": _("Cadence"),
            "group_size": _("People per coffee"),
            "prefer_cross_cohort": _("Prefer people from different cohorts"),
            "prefer_close_time_zones": _("Prefer close time zones"),
            "active": _("Active (members can join and rounds can be generated)"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": markdown.HELP_TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group_size"].widget.attrs.update(min=2, max=4)


class SnoozeForm(forms.Form):
    """Snooze a ritual: the rule (how far ahead) is the service's, snooze_ritual."""

    until = forms.DateField(
        label=_("Snooze until"),
        required=False,
        validators=[validate_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("You are left out of rounds up to and including this day. Empty: wake up."),
    )


class PersonChoiceField(forms.ModelChoiceField):
    """A person, shown by name (or e-mail when they have no name)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.email


class ExclusionForm(forms.Form):
    """Add someone to my private "please don't pair me with" list (add_exclusion)."""

    user = PersonChoiceField(
        label=_("Person to keep apart from"),
        queryset=None,
        empty_label=_("Choose a person…"),
        help_text=_("Only you see this list. Nobody is told, organizers included."),
    )

    def __init__(self, *args: Any, network: Network, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = network_people(network, exclude=owner)
