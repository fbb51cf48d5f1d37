"""The report's charts, drawn by cadre.lib.charts: each metric against its target, and the
cohort's skill averages in the first and latest assessment rounds. Every chart carries its
numbers (`Chart.headers`, `Chart.rows`), which the page shows as a table beside it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadre.lib.charts import BarSeries, Chart, Series, bar_chart, line_chart

from .report import MetricChange, SkillGrowth

# A report is read at a glance: past this many metrics, the table alone tells the rest.
MAX_METRIC_CHARTS = 6


def metric_charts(metrics: list[MetricChange]) -> list[Chart]:
    """One line chart per metric that has observations: weekly means with the target line,
    and the baseline line when the metric has one."""
    charts = []
    for m in [m for m in metrics if m.weekly][:MAX_METRIC_CHARTS]:
        direction = _("higher is better") if m.higher_is_better else _("lower is better")
        charts.append(
            line_chart(
                [Series(_("Weekly mean"), [(w, float(v)) for w, v in m.weekly])],
                title=_("%(metric)s against its target (%(unit)s, %(direction)s)")
                % {"metric": m.name, "unit": m.unit, "direction": direction},
                y_label=m.unit,
                per="week",
                unit=m.unit,
                target=float(m.target),
                baseline=(
                    float(m.start) if m.start_source == "baseline" and m.start is not None else None
                ),
            )
        )
    return charts


def skill_chart(growth: SkillGrowth) -> Chart | None:
    """Grouped bars per target skill: first round, latest round and the target level. Only
    skills with an average in every round drawn appear (a hidden average is not a zero); the
    page's table lists them all."""
    rounds = [growth.first_round] + ([growth.latest_round] if growth.latest_round else [])
    if not growth.first_round:
        return None
    drawn = [
        s
        for s in growth.skills
        if s.first is not None and (not growth.latest_round or s.latest is not None)
    ]
    if not drawn:
        return None
    series = [
        BarSeries(_("Round %(round)s") % {"round": rounds[0]}, [s.first or 0.0 for s in drawn])
    ]
    if growth.latest_round:
        series.append(
            BarSeries(_("Round %(round)s") % {"round": rounds[1]}, [s.latest or 0.0 for s in drawn])
        )
    series.append(BarSeries(_("Target"), [float(s.target_level) for s in drawn]))
    return bar_chart(
        [s.skill for s in drawn],
        series,
        title=_("Skill growth: the cohort's average level, 0 to 4"),
        y_label=_("level"),
        x_label=_("Skill"),
    )
