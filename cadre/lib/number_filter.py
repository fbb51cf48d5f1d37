"""`{{ value|number }}` in every template (a builtin, see TEMPLATES in settings): numbers
printed by cadre.lib.numbers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from .numbers import NOTHING, number

register = template.Library()


@register.filter(name="number")
def number_filter(value: Any, unit: str = "") -> str:
    """`{{ value|number }}`, `{{ rate|number:"%" }}`, `{{ hours|number:"hours" }}`."""
    if value == "" or value is None:
        return NOTHING
    if isinstance(value, str):
        text = value
        try:
            value = Decimal(text)
        except InvalidOperation:
            return text
    return number(value, unit)
