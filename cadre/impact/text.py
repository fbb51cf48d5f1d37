"""Numbers in words the same way on the page, in the PDF and in the tests: every number is
printed by cadre.lib.numbers."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.lib.numbers import NOTHING, number
from cadre.metrics.builtins import UNIT_WORDS
from cadre.metrics.figures import Value

__all__ = [
    "COUNTS_NOTE",
    "NO_METRICS",
    "NOTHING",
    "figure",
    "hours",
    "metric_value",
    "counts_note",
    "no_metrics",
    "number",
    "rate",
]

# Said on the page and in the PDF alike; translated where it is shown (no_metrics()).
NO_METRICS = gettext_noop("The cohort has no metrics yet.")
COUNTS_NOTE = gettext_noop(
    "Counts include only what the cohort shares with itself: private commitments and "
    "experiments stay out. Coaching sessions are counted, never described."
)


def rate(percent: float | None, part: int, whole: int) -> str:
    """ "75% (3 of 4)", or a dash when there was nothing to count."""
    if percent is None:
        return _("%(nothing)s (none yet)") % {"nothing": NOTHING}
    return _("%(rate)s (%(part)s of %(whole)s)") % {
        "rate": number(percent, "%"),
        "part": number(part),
        "whole": number(whole),
    }


def figure(value: Value) -> str:
    """A cohort figure with what it counted: "46.4% (13 of 28 marks present)", "12"."""
    if value.value is None:
        return _("%(nothing)s (none yet)") % {"nothing": NOTHING}
    return f"{number(value)} ({value.parts})" if value.parts else number(value)


def metric_value(value: Decimal | float | None, unit: str) -> str:
    """A value with its unit: "28 minutes", "92%"."""
    return number(value, unit)


def hours(value: float | int | Decimal | None) -> str:
    """ "3 hours", "1 hour" in the active language; the number printed as the PDF prints them."""
    if value is None:
        return UNIT_WORDS["hours"](2) % {"amount": NOTHING}
    count = int(value) if float(value).is_integer() else 2  # 1.5 hours: plural
    return UNIT_WORDS["hours"](count) % {"amount": number(value)}


def no_metrics() -> str:
    """ "The cohort has no metrics yet." in the active language."""
    return _(NO_METRICS)


def counts_note() -> str:
    """What the counts leave out, in the active language (the page and the PDF)."""
    return _(COUNTS_NOTE)
