from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReactionKind
from .services import MAX_BODY


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_BODY,
        help_text=_("Markdown works. Mention someone in the cohort with @ and their name."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)
