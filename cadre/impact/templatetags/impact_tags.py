"""Tags for the impact report page, the same wording as its PDF (cadre.impact.text). Plain
numbers use the `number` filter every page uses (cadre.lib.numbers)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from cadre.impact import text
from cadre.lib.charts import Chart
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


@register.simple_tag
def chart_rows(chart: Chart) -> SafeString:
    """`table_rows` of the chart's rows, written once per chart and language."""
    return chart.written("impact table rows", lambda: table_rows(chart.rows))


def table_rows(rows: list[list[Any]]) -> SafeString:
    """The rows of a chart's numbers table, every cell `<td>{{ value }}</td>` as the template
    would print it (localized, escaped), written here: the template's two loops over every
    week of every metric cost more than drawing the charts."""
    return mark_safe(
        "".join(
            "<tr>" + "".join(f"<td>{conditional_escape(localize(v))}</td>" for v in row) + "</tr>"
            for row in rows
        )
    )
