"""How Cadre prints a number, everywhere: on pages (`{{ value|number }}`, `{{ value|number:"%" }}`,
the filter of cadre.lib.number_filter), in the impact PDF, in charts and their CSV files, in
drift signals and in the API's ready-made text. Plain Python: the Django-free health signals
use it too.

- No trailing zeros: a value stored as 6.9000 prints as 6.9, 50.0 as 50.
- At most three decimals (0.125 stays 0.125; 46.42857 becomes 46.429); Cadre's own rates
  are rounded to one decimal where they are computed (`percent`).
- Thousands separated by commas: 10,000.
- The unit after the number: "46.4%" for per cent, "3.5 hours" otherwise; a dash for
  nothing.

`{{ figure|number }}` also takes anything with a `value` and a `unit` (the cohort figures of
cadre.metrics.figures), so a figure is printed with its own unit."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Protocol, runtime_checkable

NOTHING = "—"
PLACES = 3


@runtime_checkable
class Quantity(Protocol):
    """A number that knows its unit (a cohort figure)."""

    @property
    def value(self) -> float | int | Decimal | None: ...

    @property
    def unit(self) -> str: ...


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent, one decimal; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def _digits(value: float | int | Decimal, places: int) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    try:
        exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    except InvalidOperation:
        return str(value)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def number(value: float | int | Decimal | Quantity | None, unit: str = "") -> str:
    """`value` as Cadre prints numbers (see the module's docstring), with `unit` after it;
    a figure brings its own unit."""
    if not isinstance(value, int | float | Decimal) and isinstance(value, Quantity):
        unit = unit or value.unit
        value = value.value
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        value = int(value)
    text = _digits(value, PLACES)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"
