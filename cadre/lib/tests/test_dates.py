"""The one range of dates Cadre accepts (cadre.lib.dates), and the gates that keep every date a
person enters under it: each model DateField, each form date field. (The API's gate is in
cadre/api/tests/test_input.py.)"""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime
from typing import Any, TypeAlias

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from cadre.lib.dates import EARLIEST, LATEST, RANGE_MESSAGE, in_range, validate_date_in_range

# Model fields that hold a moment Cadre records itself (a DateTimeField); they are never typed
# by a person, so the rule is not theirs. Every DateField, and these typed moments, carry it:
TYPED_MOMENTS = {"schedule.Session.starts_at"}


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (date(1900, 1, 1), True),
        (date(2200, 12, 31), True),
        (date(2027, 3, 1), True),
        (date(1899, 12, 31), False),
        (date(2201, 1, 1), False),
        (date(1, 1, 1), False),
        (date(9999, 12, 31), False),
        (datetime(2200, 12, 31, 23, 59, tzinfo=UTC), True),
        (datetime(9999, 12, 31, 23, 30, tzinfo=UTC), False),
    ],
)
def test_the_range_holds_both_ends(value: date, accepted: bool) -> None:
    assert in_range(value) is accepted
    if accepted:
        validate_date_in_range(value)
    else:
        with pytest.raises(ValidationError) as refused:
            validate_date_in_range(value)
        assert refused.value.messages == [RANGE_MESSAGE]


def test_the_message_states_the_range() -> None:
    assert RANGE_MESSAGE == "Enter a date from 1900-01-01 to 2200-12-31."
    assert (date(1900, 1, 1), date(2200, 12, 31)) == (EARLIEST, LATEST)
    validate_date_in_range(None)  # an empty date is the field's business


def _cadre_models() -> list[Any]:
    return [m for m in apps.get_models() if m.__module__.startswith("cadre.")]


def test_every_date_a_model_holds_carries_the_rule() -> None:
    missing, found = [], []
    for model in _cadre_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.DateField):
                continue
            name = f"{model._meta.label}.{field.name}"
            typed = not isinstance(field, models.DateTimeField) or name in TYPED_MOMENTS
            if typed:
                found.append(name)
                if validate_date_in_range not in field.validators:
                    missing.append(name)
    assert "accountability.Commitment.due_on" in found
    assert "metrics.Observation.observed_on" in found
    assert missing == []


# A form class with its declared fields (Form and ModelForm have them; BaseForm does not).
FormClass: TypeAlias = "type[forms.Form] | type[forms.ModelForm[Any]]"


def _cadre_forms() -> list[FormClass]:
    for config in apps.get_app_configs():
        if config.name.startswith("cadre."):
            try:
                importlib.import_module(f"{config.name}.forms")
            except ModuleNotFoundError:
                continue
    found: list[FormClass] = []
    todo: list[FormClass] = [forms.Form, forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("cadre."):
                found.append(sub)
    return found


def test_every_date_a_form_takes_carries_the_rule() -> None:
    # A ModelForm's field checks the model field's validators when the form is cleaned.
    missing, found = [], []
    for form in _cadre_forms():
        model = getattr(getattr(form, "_meta", None), "model", None)
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.DateField | forms.DateTimeField):
                continue
            found.append(f"{form.__module__}.{form.__name__}.{name}")
            if validate_date_in_range in field.validators:
                continue
            try:
                model_field = model._meta.get_field(name) if model else None
            except Exception:
                model_field = None
            if model_field is None or validate_date_in_range not in model_field.validators:
                missing.append(found[-1])
    assert len(found) >= 8
    assert missing == []
