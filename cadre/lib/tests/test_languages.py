"""What people read in a chart (its summary, "No data yet.", the reference lines, a point's
date) follows the active language; class names stay English, and a chart drawn in English
(the one a CSV file is written from) says what it always said."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from cadre.lib.charts import BarSeries, Series, StepSeries, bar_chart, line_chart, step_chart

WEEKS = [date(2026, 3, 2) + timedelta(weeks=i) for i in range(3)]


def _weekly(**kwargs):
    return line_chart(
        [Series("Lead time", list(zip(WEEKS, [8.5, 7.0, 6.5], strict=True)))],
        title="Lead time",
        per="week",
        target=6,
        baseline=9,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("language", "summary", "words"),
    [
        (
            "es",
            "Lead time: 3 semanas, de 8.5 el 2 Mar 2026 a 6.5 el 16 Mar 2026. "
            "Objetivo 6. Punto de partida 9.",
            ["Objetivo 6", "Punto de partida 9", "el 2 Mar 2026", "Fecha"],
        ),
        (
            "de",
            "Lead time: 3 Wochen, von 8.5 am 2 Mär 2026 bis 6.5 am 16 Mär 2026. "
            "Ziel 6. Ausgangswert 9.",
            ["Ziel 6", "Ausgangswert 9", "am 2 Mär 2026", "Datum"],
        ),
    ],
)
def test_a_line_chart_is_described_in_the_active_language(language, summary, words):
    with translation.override(language):
        chart = _weekly()
    assert chart.summary == summary
    text = chart.svg + " ".join(chart.headers)
    for word in words:
        assert word in text
    assert "Target" not in chart.svg and "Baseline" not in chart.svg
    assert 'class="ref ref-target"' in chart.svg and 'class="ref ref-baseline"' in chart.svg


def test_a_chart_drawn_in_english_keeps_its_english_words_and_columns():
    with translation.override("de"), translation.override("en"):
        chart = _weekly()
    assert chart.summary == (
        "Lead time: 3 weeks from 8.5 on 2 Mar 2026 to 6.5 on 16 Mar 2026. Target 6. Baseline 9."
    )
    assert chart.headers == ["Date", "Lead time"]
    assert chart.to_csv().splitlines()[1] == "2026-03-02,8.5"


def test_an_empty_chart_says_so_in_the_active_language():
    with translation.override("es"):
        assert line_chart([Series("x", [])], title="T").summary == "Todavía no hay datos."
        assert bar_chart([], [], title="T").summary == "Todavía no hay datos."
    with translation.override("de"):
        chart = step_chart(["Start"], [StepSeries("Self", [None])], title="T")
    assert chart.summary == "Noch keine Daten."
    assert 'class="chart-empty"' in chart.svg and chart.headers[0] == "Schritt"


def test_step_and_bar_summaries_are_translated():
    with translation.override("de"):
        steps = step_chart(
            ["Start", "Ende"], [StepSeries("Selbst", [1, None])], title="T", target=3
        )
        bars = bar_chart(["a", "b"], [BarSeries("Leute", [1, 2])], title="T")
        one = bar_chart(["a"], [BarSeries("Leute", [1])], title="T", stacked=True)
    assert steps.summary == "Selbst: 1 in Start. Ziel 3."
    assert "Selbst: 1 in Start" in steps.svg
    assert bars.summary == "2 Balken für Leute: a: 1; b: 2."
    assert one.summary == "1 Balken, gestapelt nach Leute. Summen: a: 1."
    assert bars.headers[0] == "Kategorie"
