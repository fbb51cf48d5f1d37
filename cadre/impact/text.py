"""Numbers in words the same way on the page, in the PDF and in the tests."""

from __future__ import annotations

from decimal import Decimal

from cadre.lib.charts import format_number

NOTHING = "—"


def number(value: Decimal | float | int | None) -> str:
    """3, 2.5, 1,200; a dash for nothing."""
    return NOTHING if value is None else format_number(float(value))


def rate(percent: float | None, part: int, whole: int) -> str:
    """ "75% (3 of 4)", or a dash when there was nothing to count."""
    if percent is None:
        return f"{NOTHING} (none yet)"
    return f"{format_number(percent)}% ({part} of {whole})"


def metric_value(value: Decimal | float | None, unit: str) -> str:
    """A value with its unit: "28 minutes", "92%"."""
    if value is None:
        return NOTHING
    shown = number(value)
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}".rstrip()
