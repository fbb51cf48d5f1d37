"""Filters for the impact report page, the same wording as its PDF (cadre.impact.text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from cadre.impact import text

register = template.Library()


@register.filter
def number(value: Decimal | float | int | None) -> str:
    return text.number(value)


@register.filter
def with_unit(value: Decimal | float | None, unit: str) -> str:
    return text.metric_value(value, unit)


@register.simple_tag
def rate(percent: float | None, part: int, whole: int) -> str:
    return text.rate(percent, part, whole)


@register.filter
def signed(value: Any) -> str:
    return text.NOTHING if value is None else f"{value:+.1f}"
