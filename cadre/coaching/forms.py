from typing import Any

from django import forms

from cadre.engine.linting import PROMPTS, FeedbackResult, LintResult, check_feedback

from .models import (
    CoachingSession,
    CoachPrompt,
    FeedbackVisibility,
    HelpKind,
    PromptStage,
    compose_feedback,
)

NOT_YET = (
    "This feedback is not yet about a behaviour and its impact. Use the rewrite, change it "
    "yourself, or tick “Give it as written”."
)


def check(situation: str, behaviour: str, impact: str, suggestion: str) -> FeedbackResult:
    """The engine's feedback check over the four parts read as one text."""
    return check_feedback(compose_feedback(situation, behaviour, impact, suggestion))


def problem_list(result: LintResult) -> list[dict[str, str]]:
    return [{"code": p.code, "message": p.message} for p in result.problems]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or obj.email)


class SessionForm(forms.Form):
    """The coachee opens a session. `coach` is offered only for an ad-hoc session (the
    cohort has no rotation round running); otherwise the seat decides who coaches."""

    coach = PersonChoiceField(queryset=None, required=False, label="Coach", empty_label="—")
    focus = forms.CharField(
        max_length=300,
        label="What do you want to work on?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_wanted = forms.ChoiceField(
        choices=HelpKind.choices, label="What kind of help do you want?", widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, coaches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if coaches is None:
            del self.fields["coach"]
        else:
            self.fields["coach"].queryset = coaches
            self.fields["coach"].required = True

    def clean_focus(self) -> str:
        focus = self.cleaned_data["focus"].strip()
        if not focus:
            raise forms.ValidationError("Say what you want to work on.")
        return focus


class SessionUpdateForm(forms.ModelForm):
    """Only the fields the signed-in participant may write are kept (see the view)."""

    class Meta:
        model = CoachingSession
        fields = ["focus", "help_wanted", "notes", "observer_notes", "next_step"]
        labels = {
            "focus": "What the coachee wants to work on",
            "help_wanted": "Kind of help wanted",
            "notes": "Notes",
            "observer_notes": "What I saw (observer)",
            "next_step": "My next step",
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
            self.fields["focus"].required = True


class FeedbackForm(forms.Form):
    """Situation, behaviour, impact, suggestion, checked by the engine. Feedback with
    problems is given only with `give_anyway` ticked; `self.lint` holds what the check
    said."""

    receiver = PersonChoiceField(queryset=None, label="Feedback for", empty_label="—")
    situation = forms.CharField(
        max_length=500,
        required=False,
        label="Situation",
        help_text=PROMPTS["situation"],
        widget=forms.TextInput(attrs={"placeholder": "In Tuesday’s stand-up"}),
    )
    behaviour = forms.CharField(
        max_length=2000,
        label="Behaviour",
        help_text=PROMPTS["behaviour"],
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "you interrupted Maya twice"}),
    )
    impact = forms.CharField(
        max_length=2000,
        required=False,
        label="Impact",
        help_text=PROMPTS["impact"],
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "she stopped sharing her update"}),
    )
    suggestion = forms.CharField(
        max_length=2000,
        required=False,
        label="Suggestion",
        help_text=PROMPTS["suggestion"],
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "Next time, could you let her finish first?"}
        ),
    )
    give_anyway = forms.BooleanField(required=False, label="Give it as written")

    def __init__(
        self, *args: Any, receivers: Any, missing: tuple[str, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = receivers
        self.lint: FeedbackResult | None = None
        # Parts a rewrite could not take from the text: left empty, with what to write.
        self.missing = missing
        for name in missing:
            field = self.fields[name]
            field.help_text = f"Still to write: {PROMPTS[name][:1].lower()}{PROMPTS[name][1:]}"
            field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"
            field.widget.attrs["autofocus"] = name == missing[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parts = [(data.get(f) or "").strip() for f in ("situation", "behaviour", "impact")]
        suggestion = (data.get("suggestion") or "").strip()
        if not parts[1]:
            return data
        self.lint = check(*parts, suggestion)
        if not self.lint.ok and not data.get("give_anyway"):
            self.add_error("behaviour", NOT_YET)
        return data


class VisibilityForm(forms.Form):
    """Who reads feedback about me. `people` is a plain list, so a page with many pieces
    of feedback works out the candidates once (see the view)."""

    visibility = forms.ChoiceField(
        choices=FeedbackVisibility.choices, label="Who can read it", widget=forms.RadioSelect
    )
    shared_with = forms.MultipleChoiceField(
        required=False,
        label="People I name",
        widget=forms.CheckboxSelectMultiple,
        help_text="They read it only when “Also the people I name” is chosen.",
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["shared_with"].choices = [(str(p.pk), str(p.name or p.email)) for p in people]

    def clean_shared_with(self) -> list[Any]:
        return [self.people[pk] for pk in self.cleaned_data["shared_with"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("visibility") == FeedbackVisibility.SHARED and not data.get("shared_with"):
            self.add_error("shared_with", "Name at least one person to share it with.")
        return data


class PromptForm(forms.ModelForm):
    class Meta:
        model = CoachPrompt
        fields = ["text", "stage", "position", "active"]
        labels = {"text": "Question", "active": "In use"}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the question.")
        return text


STAGE_LABELS = dict(PromptStage.choices)
