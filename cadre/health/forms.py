from typing import Any

from django import forms
from django.core.validators import BaseValidator
from django.db import models
from django.utils.translation import gettext as _

from .models import HealthSettings


class HealthSettingsForm(forms.ModelForm):
    """A network's thresholds; each field's range is checked with a message that names it."""

    class Meta:
        model = HealthSettings
        fields = list(HealthSettings.FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = {"label": field.label}
            field.error_messages["required"] = _("Enter a number for “%(label)s”.") % label
            field.error_messages["invalid"] = _("“%(label)s” must be a whole number.") % label
            field.widget.attrs.setdefault("inputmode", "numeric")
        for name in HealthSettings.FIELDS:
            # The model's range message, also for values the form field refuses itself.
            model_field = HealthSettings._meta.get_field(name)
            assert isinstance(model_field, models.Field)
            validator = model_field.validators[0]
            assert isinstance(validator, BaseValidator)
            message = str(validator.message)
            self.fields[name].error_messages.update(min_value=message, max_value=message)
