"""The form of the API tokens page."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadre.api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=ApiToken._meta.get_field("name").help_text,
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(
                gettext("Give the token a name so you can recognise it later.")
            )
        return name
