from datetime import date
from typing import Any

from django import forms

from cadre.engine.linting import LintResult, check_commitment
from cadre.engine.linting.dates import find_deadlines
from cadre.lib import markdown
from cadre.networks.models import Skill

from .models import Commitment, CommitmentStatus, Experiment

NOT_YET = (
    "This commitment is not yet specific, observable and time-bound. Use the rewrite, change "
    "it yourself, or tick “keep it anyway”."
)


def lint(text: str, due: date | None, today: date, next_session: date | None) -> LintResult:
    return check_commitment(text, due=due, today=today, next_session=next_session)


def deadline_in(text: str, today: date, next_session: date | None) -> date | None:
    """The first dated deadline written in the text ("by Friday 27 November"), if any."""
    for deadline in find_deadlines(text, today, next_session):
        if deadline.when is not None:
            return deadline.when
    return None


class CommitmentForm(forms.ModelForm):
    """A new commitment, checked by the engine: one with problems is saved only when
    `keep_anyway` is ticked. `self.lint` holds what the check said."""

    keep_anyway = forms.BooleanField(required=False, label="Keep it anyway, as I wrote it")

    class Meta:
        model = Commitment
        fields = ["text", "deliverable", "due_on", "visibility"]
        labels = {"text": "I commit to", "due_on": "Due on"}
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, today: date, next_session: date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.next_session = next_session
        self.lint: LintResult | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = data.get("text")
        if not text:
            return data
        if not data.get("due_on"):
            data["due_on"] = deadline_in(text, self.today, self.next_session)
        self.lint = lint(text, data.get("due_on"), self.today, self.next_session)
        if not self.lint.ok and not data.get("keep_anyway"):
            self.add_error("text", NOT_YET)
        return data

    def save(self, commit: bool = True) -> Commitment:
        commitment = super().save(commit=False)
        commitment.due_on = self.cleaned_data.get("due_on")
        assert self.lint is not None
        commitment.lint_problems = [
            {"code": p.code, "message": p.message} for p in self.lint.problems
        ]
        commitment.kept_anyway = not self.lint.ok
        if commit:
            commitment.save()
        return commitment


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CommitmentStatus.choices)
    evidence = forms.CharField(
        max_length=500, required=False, label="Evidence (a link or a sentence)"
    )


class ProgressUpdateForm(forms.Form):
    commitment = forms.ModelChoiceField(
        queryset=Commitment.objects.none(), required=False, label="About", empty_label="—"
    )
    done = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    remaining = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    blocker = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Blocker",
        help_text="What is in your way? Peers who know the skills below will see it first.",
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Skills that would help",
    )

    def __init__(self, *args: Any, commitments: Any, skills: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = commitments
        self.fields["skills"].queryset = skills

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any((data.get(f) or "").strip() for f in ("done", "remaining", "blocker")):
            raise forms.ValidationError("Say what you did, what remains, or what blocks you.")
        if data.get("skills") and not (data.get("blocker") or "").strip():
            self.add_error("blocker", "Describe the blocker the skills would help with.")
        return data


class HelpOfferForm(forms.Form):
    message = forms.CharField(max_length=500, required=False, label="How you could help")


class ExperimentForm(forms.ModelForm):
    class Meta:
        model = Experiment
        fields = [
            "title",
            "skill",
            "capability",
            "hypothesis",
            "plan",
            "starts_on",
            "ends_on",
            "measure",
            "baseline",
            "result_data",
            "outcome",
            "learnings",
            "next_steps",
            "visibility",
        ]
        labels = {"skill": "Skill it builds", "result_data": "Result data"}
        help_texts = {"plan": markdown.HELP_TEXT}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "hypothesis": forms.Textarea(attrs={"rows": 2}),
            "plan": forms.Textarea(attrs={"rows": 3}),
            "result_data": forms.Textarea(attrs={"rows": 2}),
            "learnings": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, skills: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = skills
