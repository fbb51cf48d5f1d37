"""The coaching pages' forms: input only. What the input must satisfy beyond its type and
length (who may be coached by whom, the feedback check, whom feedback may be shared with) is
checked by cadre.coaching.services, whose refusals the views put on these forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cadre.engine.linting import PROMPTS

from .models import CoachingSession, CoachPrompt, FeedbackVisibility, HelpKind


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or obj.email)


class SessionForm(forms.Form):
    """The coachee opens a session. `coach` is offered only for an ad-hoc session (the
    cohort has no rotation round running); otherwise the seat decides who coaches."""

    coach = PersonChoiceField(queryset=None, required=False, label=_("Coach"), empty_label="—")
    # Required all the same: services.open_session says so, in the same words on the API.
    focus = forms.CharField(
        max_length=300,
        required=False,
        label=_("What do you want to work on?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_wanted = forms.ChoiceField(
        choices=HelpKind.choices,
        label=_("What kind of help do you want?"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, coaches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if coaches is None:
            del self.fields["coach"]
        else:
            coach = self.fields["coach"]
            assert isinstance(coach, forms.ModelChoiceField)
            coach.queryset = coaches
            coach.required = True


class SessionUpdateForm(forms.ModelForm):
    """Only the fields the signed-in participant may write are kept (see the view)."""

    class Meta:
        model = CoachingSession
        fields = ["focus", "help_wanted", "notes", "observer_notes", "next_step"]
        labels = {
            "focus": _("What the coachee wants to work on"),
            "help_wanted": _("Kind of help wanted"),
            "notes": _("Notes"),
            "observer_notes": _("What I saw (observer)"),
            "next_step": _("My next step"),
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "observer_notes": forms.Textarea(attrs={"rows": 4}),
            "focus": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, editable: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in editable:
                del self.fields[name]
        if "focus" in self.fields:
            # An empty focus is refused by services.write_in_session, in its own words.
            self.fields["focus"].required = False


class FeedbackForm(forms.Form):
    """Situation, behaviour, impact, suggestion; the service runs the feedback check, and
    feedback with problems is given only with `give_anyway` ticked."""

    receiver = PersonChoiceField(queryset=None, label=_("Feedback for"), empty_label="—")
    situation = forms.CharField(
        max_length=500,
        required=False,
        label=_("Situation"),
        help_text=PROMPTS["situation"],
        widget=forms.TextInput(attrs={"placeholder": _("In Tuesday’s stand-up")}),
    )
    behaviour = forms.CharField(
        max_length=2000,
        label=_("Behaviour"),
        help_text=PROMPTS["behaviour"],
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("you interrupted Maya twice")}),
    )
    impact = forms.CharField(
        max_length=2000,
        required=False,
        label=_("Impact"),
        help_text=PROMPTS["impact"],
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("she stopped sharing her update")}
        ),
    )
    suggestion = forms.CharField(
        max_length=2000,
        required=False,
        label=_("Suggestion"),
        help_text=PROMPTS["suggestion"],
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("Next time, could you let her finish first?")}
        ),
    )
    give_anyway = forms.BooleanField(required=False, label=_("Give it as written"))

    def __init__(
        self, *args: Any, receivers: Any, missing: tuple[str, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        receiver = self.fields["receiver"]
        assert isinstance(receiver, forms.ModelChoiceField)
        receiver.queryset = receivers
        # Parts a rewrite could not take from the text: left empty, with what to write.
        self.missing = missing
        for name in missing:
            field = self.fields[name]
            field.help_text = f"Still to write: {PROMPTS[name][:1].lower()}{PROMPTS[name][1:]}"
            field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"
            field.widget.attrs["autofocus"] = name == missing[0]


class VisibilityForm(forms.Form):
    """Who reads feedback about me. `people` is a plain list, so a page with many pieces
    of feedback works out the candidates once (see the view)."""

    visibility = forms.ChoiceField(
        choices=FeedbackVisibility.choices, label=_("Who can read it"), widget=forms.RadioSelect
    )
    shared_with = forms.MultipleChoiceField(
        required=False,
        label=_("People I name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They read it only when “Also the people I name” is chosen."),
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        shared_with = self.fields["shared_with"]
        assert isinstance(shared_with, forms.MultipleChoiceField)
        shared_with.choices = [(str(p.pk), str(p.name or p.email)) for p in people]

    def clean_shared_with(self) -> list[int]:
        return [self.people[pk].pk for pk in self.cleaned_data["shared_with"]]


class PromptForm(forms.ModelForm):
    class Meta:
        model = CoachPrompt
        fields = ["text", "stage", "position", "active"]
        labels = {
            "text": _("Question"),
            "stage": _("Stage"),
            "position": _("Position"),
            "active": _("In use"),
        }
