"""Numbers in words the same way on the page, in the PDF and in the tests: every number is
printed by cadre.lib.numbers."""

from __future__ import annotations

from decimal import Decimal

from cadre.lib.numbers import NOTHING, number
from cadre.metrics.figures import Value

__all__ = ["NO_METRICS", "NOTHING", "figure", "metric_value", "number", "rate"]

NO_METRICS = "The cohort has no metrics yet."


def rate(percent: float | None, part: int, whole: int) -> str:
    """ "75% (3 of 4)", or a dash when there was nothing to count."""
    if percent is None:
        return f"{NOTHING} (none yet)"
    return f"{number(percent, '%')} ({number(part)} of {number(whole)})"


def figure(value: Value) -> str:
    """A cohort figure with what it counted: "46.4% (13 of 28 marks present)", "12"."""
    if value.value is None:
        return f"{NOTHING} (none yet)"
    return f"{number(value)} ({value.parts})" if value.parts else number(value)


def metric_value(value: Decimal | float | None, unit: str) -> str:
    """A value with its unit: "28 minutes", "92%"."""
    return number(value, unit)
