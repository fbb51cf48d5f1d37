"""The metrics charts, for the pages and the API alike: a metric's weekly means against its
target, the built-in series, follow-through by week, the cohort's composition, and the
network's cohorts side by side (with the same numbers as CSV).

Titles, axes and series are written in the active language; a CSV file keeps one format, so
its columns are English whatever the page's language (`english`)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.engine import safecsv
from cadre.lib import charts
from cadre.lib.numbers import number
from cadre.lib.rules import Refused
from cadre.people.models import Seniority

from . import builtins, figures
from .models import Metric

CHART_WEEKS = 52
FOLLOW_THROUGH_WEEKS = 12
FOLLOW_THROUGH_BY_WEEK = "follow-through-by-week"
COMPOSITION = "composition"


def english(build: Any, *args: Any) -> charts.Chart:
    """`build(*args)` in English: the chart a CSV file is written from."""
    with translation.override("en"):
        return build(*args)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def metric_chart(
    metric: Metric, weekly: list[tuple[date, Any, int]], *, small: bool = False
) -> charts.Chart:
    """The metric's weekly means against its target (and baseline)."""
    unit = metric.unit
    return charts.line_chart(
        [charts.Series(metric.name, [(w, float(v)) for w, v, _n in weekly])],
        title=_("%(metric)s: weekly mean in %(unit)s") % {"metric": metric.name, "unit": unit},
        y_label=unit,
        x_label=_("Week starting"),
        per="week",
        unit=unit,
        target=float(metric.target),
        baseline=_number(metric.baseline),
        width=560 if small else 720,
        height=240 if small else 300,
    )


def chart_since(today: date | None = None) -> date:
    return builtins.monday(today or timezone.localdate()) - timedelta(weeks=CHART_WEEKS - 1)


def follow_through_chart(cohort: Cohort, today: date | None = None) -> charts.Chart:
    """Commitments due each week, stacked: done, and not done (missed or still open): the
    parts of follow-through (cadre.metrics.figures.FOLLOW_THROUGH)."""
    weeks = builtins.week_range(today, FOLLOW_THROUGH_WEEKS)
    return follow_through_chart_of(builtins.follow_through_counts(cohort, weeks, today), today)


def follow_through_chart_of(
    counts: dict[date, tuple[int, int]], today: date | None = None
) -> charts.Chart:
    """`follow_through_chart` from counts already read (`builtins.follow_through_counts` over
    any weeks that include its FOLLOW_THROUGH_WEEKS)."""
    weeks = builtins.week_range(today, FOLLOW_THROUGH_WEEKS)
    done = [counts.get(w, (0, 0))[0] for w in weeks]
    not_done = [counts.get(w, (0, 0))[1] - counts.get(w, (0, 0))[0] for w in weeks]
    return charts.bar_chart(
        [date_format(w, "j M") for w in weeks],
        [
            charts.BarSeries(_("Done"), done),
            charts.BarSeries(_("Missed or still open"), not_done),
        ],
        title=_("Commitments due by week, the last %(weeks)s weeks")
        % {"weeks": FOLLOW_THROUGH_WEEKS},
        y_label=_("commitments"),
        x_label=_("Week starting"),
        stacked=True,
        width=720,
    )


def builtin_chart(series: builtins.BuiltinSeries) -> charts.Chart:
    return charts.line_chart(
        [charts.Series(series.name, series.points)],
        title=_("%(series)s by week (%(unit)s)")
        % {"series": series.name, "unit": builtins.unit_name(series.unit)},
        y_label=builtins.unit_name(series.unit),
        x_label=_("Week starting"),
        per="week",
        unit=series.unit,
        width=560,
        height=240,
    )


def composition_chart(cohort: Cohort) -> charts.Chart:
    """Active members by function, stacked by seniority (one grouped query)."""
    rows = (
        CohortMembership.objects.active()
        .filter(cohort=cohort)
        .values("user__profile__function", "user__profile__seniority")
        .annotate(n=Count("pk"))
    )
    not_given = _("Not given")
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        key = ((r["user__profile__function"] or not_given), (r["user__profile__seniority"] or ""))
        counts[key] = counts.get(key, 0) + r["n"]
    functions = sorted({f for f, _level in counts}, key=lambda f: (f == not_given, f.lower()))
    levels = [(value, str(label)) for value, label in Seniority.choices] + [("", not_given)]
    series = [
        charts.BarSeries(label, [counts.get((f, value), 0) for f in functions])
        for value, label in levels
        if any(counts.get((f, value)) for f in functions)
    ]
    return charts.bar_chart(
        functions,
        series,
        title=_("Members by function and seniority"),
        y_label=_("members"),
        x_label=_("Function"),
        stacked=True,
        width=720,
    )


ACROSS_CHART = 10
Across = list[tuple[Cohort, figures.CohortFigures]]


def across_chart(rows: Across) -> charts.Chart:
    """The cohorts with the lowest follow-through, with their attendance beside it."""
    shown = [(c, f) for c, f in rows if f.follow_through.value is not None][:ACROSS_CHART]
    window = figures.RECENT.name
    return charts.bar_chart(
        [c.name for c, _f in shown],
        [
            charts.BarSeries(
                _("%(figure)s (%%)") % {"figure": figures.FOLLOW_THROUGH.name},
                [f.follow_through.value or 0 for _c, f in shown],
            ),
            charts.BarSeries(
                _("%(figure)s (%%)") % {"figure": figures.ATTENDANCE.name},
                [f.attendance.value or 0 for _c, f in shown],
            ),
        ],
        title=_("Lowest follow-through, %(window)s") % {"window": window},
        y_label="%",
        x_label=_("Cohort"),
        width=720,
    )


def across_csv(rows: Across) -> str:
    """Every cohort's figures over the window, printed as everywhere else (rates in per cent
    with the unit in the column's name). The columns are English whatever the page's language."""
    with translation.override("en"):
        return _across_csv(rows)


def _across_csv(rows: Across) -> str:
    window = figures.RECENT.name
    out = io.StringIO()
    writer = safecsv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "Cohort",
            f"Commitments due, {window}",
            f"{figures.FOLLOW_THROUGH.name}, {window} (%)",
            f"{figures.ATTENDANCE.name}, {window} (%)",
            f"{figures.HELP_OFFERED.name}, {window}",
            f"{figures.ACTIVE_MEMBERS.name}, today",
        ]
    )
    writer.writerows(
        [
            c.name,
            number(f.follow_through.whole or 0),
            "" if f.follow_through.value is None else number(f.follow_through.value),
            "" if f.attendance.value is None else number(f.attendance.value),
            number(f.help_offered),
            number(f.active_members),
        ]
        for c, f in rows
    )
    return out.getvalue()


def cohort_chart(cohort: Cohort, key: str) -> charts.Chart:
    """A cohort's chart by its key: `follow-through-by-week`, `composition`, or a built-in
    metric's key. Who may see it is `policy.can_view_builtin_metrics`."""
    if key == FOLLOW_THROUGH_BY_WEEK:
        return follow_through_chart(cohort)
    if key == COMPOSITION:
        return composition_chart(cohort)
    if key in builtins.BUILTINS:
        return builtin_chart(builtins.BUILTINS[key](cohort, builtins.week_range()))
    raise Refused(_("No such chart."), kind="not_found")
