from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cadre.engine.linting.commitments import DELIVERABLE, DUE
from cadre.lib import markdown
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Skill

from .models import Commitment, CommitmentStatus, Experiment, Visibility
from .services import DUE_ON, CommitmentCheck, check_commitment


class CommitmentForm(forms.Form):
    """What a member writes to make a commitment. Checking and saving it is
    services.make_commitment's; its refusal comes back onto the form with
    cadre.lib.rules.show_on_form, and `prompt` asks for what a rewrite is still missing (the due date, what people will see)."""

    text = forms.CharField(max_length=300, label=_("I commit to"))
    deliverable = forms.CharField(
        max_length=200,
        required=False,
        label=_("Deliverable"),
        help_text=Commitment._meta.get_field("deliverable").help_text,
    )
    due_on = forms.DateField(
        required=False,
        validators=[validate_date_in_range],
        label=_("Due on"),
        help_text=_("Or write the date in the commitment (“by Friday”)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.COHORT, label=_("Visibility")
    )
    keep_anyway = forms.BooleanField(required=False, label=_("Keep it anyway, as I wrote it"))

    def commitment(self) -> dict[str, Any]:
        """The cleaned fields, as make_commitment takes them."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "deliverable": data.get("deliverable") or "",
            "due_on": data.get("due_on"),
            "visibility": data.get("visibility") or Visibility.COHORT,
            "keep_anyway": bool(data.get("keep_anyway")),
        }

    def prompt(self, check: CommitmentCheck) -> None:
        """Ask, on the fields themselves, for the parts the rewrite could not fill in."""
        rewrite = check.lint.rewrite
        if rewrite is None:
            return
        if DUE in rewrite.missing:
            self.fields[DUE_ON].help_text = rewrite.prompt(DUE)
            self.fields[DUE_ON].widget.attrs.update({"required": True, "autofocus": True})
        if DELIVERABLE in rewrite.missing:
            self.fields["deliverable"].help_text = rewrite.prompt(DELIVERABLE)


def rewrite_form(cohort: Any, data: Any) -> CommitmentForm:
    """ "Use this rewrite": the form again, not saved, with the rewrite of what was written in
    place of it, the due date emptied when the rewrite needs another, and a question on each
    field the rewrite could not fill in."""
    posted = CommitmentForm(data)
    posted.is_valid()
    fields = posted.cleaned_data
    check = check_commitment(
        cohort,
        fields.get("text") or "",
        due_on=fields.get("due_on"),
        deliverable=fields.get("deliverable") or "",
    )
    rewrite = check.lint.rewrite
    missing = rewrite.missing if rewrite is not None else ()
    form = CommitmentForm(
        initial={
            "text": (rewrite.text if rewrite is not None else "") or data.get("use_rewrite", ""),
            "deliverable": fields.get("deliverable") or "",
            "due_on": None if DUE in missing else fields.get("due_on"),
            "visibility": fields.get("visibility") or Visibility.COHORT,
        }
    )
    form.prompt(check)
    return form


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CommitmentStatus.choices)
    evidence = forms.CharField(
        max_length=500, required=False, label=_("Evidence (a link or a sentence)")
    )


class ProgressUpdateForm(forms.Form):
    commitment = forms.ModelChoiceField(
        queryset=Commitment.objects.none(), required=False, label=_("About"), empty_label="—"
    )
    done = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Done")
    )
    remaining = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Remaining")
    )
    blocker = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Blocker"),
        help_text=_("What is in your way? Peers who know the skills below will see it first."),
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Skills that would help"),
    )

    def __init__(self, *args: Any, commitments: Any, skills: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commitment, skill_field = self.fields["commitment"], self.fields["skills"]
        assert isinstance(commitment, forms.ModelChoiceField)
        assert isinstance(skill_field, forms.ModelMultipleChoiceField)
        commitment.queryset = commitments
        skill_field.queryset = skills

    def update(self) -> dict[str, Any]:
        """The cleaned fields, as services.post_update takes them (it holds the rules)."""
        data = self.cleaned_data
        return {
            "commitment": data.get("commitment"),
            "done": data.get("done") or "",
            "remaining": data.get("remaining") or "",
            "blocker": data.get("blocker") or "",
            "skills": list(data.get("skills") or ()),
        }


class HelpOfferForm(forms.Form):
    message = forms.CharField(max_length=500, required=False, label=_("How you could help"))


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
        labels = {
            "title": _("Title"),
            "skill": _("Skill it builds"),
            "capability": _("Capability"),
            "hypothesis": _("Hypothesis"),
            "plan": _("Plan"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "measure": _("Measure"),
            "baseline": _("Baseline"),
            "result_data": _("Result data"),
            "outcome": _("Outcome"),
            "learnings": _("Learnings"),
            "next_steps": _("Next steps"),
            "visibility": _("Visibility"),
        }
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
        skill = self.fields["skill"]
        assert isinstance(skill, forms.ModelChoiceField)
        skill.queryset = skills
