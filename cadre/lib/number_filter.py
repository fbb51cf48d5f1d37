"""`{{ value|number }}` in every template (a builtin, see TEMPLATES in settings): numbers
printed by cadre.lib.numbers, with the page language's decimal and thousands separators
(10,000.5 in English, 10.000,5 in German and Spanish)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import get_format
from django.utils.translation import get_language

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
    return _localized(number(value, unit))


_LEADING_NUMBER = re.compile(r"^-?[\d,]+(?:\.\d+)?")


def _localized(text: str) -> str:
    """The number at the start of `text` with the active language's separators."""
    lang = get_language()  # read once: a table prints hundreds of numbers
    decimal = get_format("DECIMAL_SEPARATOR", lang)
    thousands = get_format("THOUSAND_SEPARATOR", lang)
    if (decimal, thousands) == (".", ","):
        return text
    match = _LEADING_NUMBER.match(text)
    if match is None:
        return text
    digits = match.group().translate({ord(","): "\x00", ord("."): "\x01"})
    digits = digits.replace("\x00", thousands).replace("\x01", decimal)
    return digits + text[match.end() :]
