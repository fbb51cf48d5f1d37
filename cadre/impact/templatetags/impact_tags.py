"""Tags for the impact report page, the same wording as its PDF (cadre.impact.text). Plain
numbers use the `number` filter every page uses (cadre.lib.numbers)."""

from __future__ import annotations

from typing import Any

from django import template

from cadre.impact import text
from cadre.metrics.figures import Value

register = template.Library()


@register.simple_tag
def rate(percent: float | None, part: int, whole: int) -> str:
    return text.rate(percent, part, whole)


@register.filter
def figure(value: Value) -> str:
    return text.figure(value)


@register.simple_tag
def no_metrics() -> str:
    return text.no_metrics()


@register.simple_tag
def counts_note() -> str:
    return text.counts_note()


@register.filter
def signed(value: Any) -> str:
    """A change with its sign: "+1.5", "-0.5", "0"."""
    return text.NOTHING if value is None else ("+" if value > 0 else "") + text.number(value)
