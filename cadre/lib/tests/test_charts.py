"""The SVG chart module: valid markup, points where they belong, and the edge cases (no
data, one point, negative values, a target outside the data's range)."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from cadre.lib.charts import (
    BarSeries,
    Series,
    StepSeries,
    bar_chart,
    line_chart,
    nice_ticks,
    step_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart):
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label").startswith(chart.title)
    assert root.find(f"{SVG}title").text == chart.title
    return root


def axis_texts(root, axis):
    """The tick labels of one axis ("x" or "y"), in order."""
    return [
        t.text
        for g in root.iter(f"{SVG}g")
        if g.get("class") == f"axis axis-{axis}"
        for t in g.iter(f"{SVG}text")
    ]


def markers(root):
    return [e for e in root.iter() if "marker" in (e.get("class") or "")]


def marker_xy(element):
    if element.tag == f"{SVG}circle":
        return float(element.get("cx")), float(element.get("cy"))
    raise AssertionError("expected circles for the first series")


WEEKS = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(4)]


def test_a_line_chart_draws_one_marker_per_point_in_order():
    chart = line_chart(
        [Series("Cycle time", list(zip(WEEKS, [5, 4, 3, 2], strict=True)))],
        title="Cycle time",
        target=3,
    )
    root = parse(chart)
    points = [marker_xy(m) for m in markers(root)]
    assert len(points) == 4
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    assert xs == sorted(xs) and len(set(xs)) == 4
    # falling values are drawn higher on the page as they fall: SVG y grows downwards
    assert ys == sorted(ys)


def test_the_target_line_sits_at_the_height_of_a_point_with_the_same_value():
    chart = line_chart(
        [Series("Cycle time", list(zip(WEEKS, [5, 4, 3, 2], strict=True)))], title="T", target=3
    )
    root = parse(chart)
    target = next(e for e in root.iter(f"{SVG}g") if e.get("class") == "ref ref-target")
    line = target.find(f"{SVG}line")
    third = marker_xy(markers(root)[2])
    assert float(line.get("y1")) == pytest.approx(third[1], abs=0.1)
    assert "Target 3" in "".join(target.itertext())


def test_a_target_outside_the_data_stays_on_the_chart():
    chart = line_chart(
        [Series("Score", list(zip(WEEKS, [1, 2, 2, 3], strict=True)))],
        title="T",
        target=50,
        baseline=-10,
    )
    root = parse(chart)
    for kind in ("target", "baseline"):
        group = next(e for e in root.iter(f"{SVG}g") if e.get("class") == f"ref ref-{kind}")
        y = float(group.find(f"{SVG}line").get("y1"))
        assert 0 <= y <= 280
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "Target 50" in labels and "Baseline -10" in labels


def test_negative_values_get_axis_ticks_below_zero():
    chart = line_chart(
        [Series("Delta", list(zip(WEEKS, [-4, -1, 2, 5], strict=True)))], title="Delta"
    )
    root = parse(chart)
    ticks = [
        float(t.text.replace(",", ""))
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "axis axis-y"
        for t in g.iter(f"{SVG}text")
    ]
    assert min(ticks) <= -4 and max(ticks) >= 5
    assert chart.rows[0] == ["2026-01-05", "-4"]


def test_an_empty_chart_says_there_is_no_data():
    chart = line_chart([Series("Nothing", [])], title="Empty")
    root = parse(chart)
    assert not markers(root)
    assert "No data yet." in "".join(root.itertext())
    assert chart.rows == []


def test_one_point_is_drawn_in_the_middle():
    chart = line_chart([Series("Once", [(WEEKS[0], 7)])], title="One")
    root = parse(chart)
    (point,) = markers(root)
    x, _ = marker_xy(point)
    assert 56 < x < 640 - 120
    assert "7 on 5 Jan 2026" in chart.summary


def test_gaps_are_skipped_and_each_series_has_its_own_marker_and_dash():
    chart = line_chart(
        [
            Series("A", [(WEEKS[0], 1), (WEEKS[1], None), (WEEKS[2], 3)]),
            Series("B", [(WEEKS[0], 2), (WEEKS[1], 2)]),
        ],
        title="Two",
    )
    root = parse(chart)
    shapes = {m.get("class") for m in markers(root)}
    assert shapes == {"marker marker-circle", "marker marker-square"}
    dashes = [p.get("stroke-dasharray") for p in root.iter(f"{SVG}polyline")]
    assert dashes == [None, "6 3"]
    assert len(markers(root)) == 4
    assert chart.headers == ["Date", "A", "B"]
    assert chart.rows == [
        ["2026-01-05", "1", "2"],
        ["2026-01-12", "", "2"],
        ["2026-01-19", "3", ""],
    ]
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "direct-label"]
    assert labels == ["A", "B"]


def test_text_from_users_is_escaped():
    chart = line_chart([Series("<script>x</script>", [(WEEKS[0], 1)])], title="a & <b>")
    root = parse(chart)
    assert "<script>" not in chart.svg
    assert root.find(f"{SVG}title").text == "a & <b>"


def test_csv_has_the_headers_and_rows():
    chart = line_chart([Series("Score", [(WEEKS[0], 1.5)])], title="T")
    assert chart.to_csv() == "Date,Score\n2026-01-05,1.5\n"


def test_csv_neutralises_formula_text_and_keeps_negative_numbers():
    chart = bar_chart(
        ['=HYPERLINK("http://evil.example","x")', "-1+cmd|' /c calc'!A0"],
        [BarSeries("@SUM(A1)", [-3, 1200])],
        title="T",
    )
    rows = chart.to_csv().splitlines()
    assert rows[0] == "Category,'@SUM(A1)"
    assert rows[1] == '"\'=HYPERLINK(""http://evil.example"",""x"")",-3'
    assert rows[2] == "'-1+cmd|' /c calc'!A0,\"1,200\""


def test_a_stacked_bar_chart_stacks_layers_on_each_other():
    chart = bar_chart(
        ["Engineering", "Design"],
        [BarSeries("Senior", [2, 1]), BarSeries("Early career", [3, 0])],
        title="Composition",
        stacked=True,
    )
    root = parse(chart)
    bars = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "bar"]
    assert len(bars) == 4
    senior_eng, early_eng = bars[0], bars[1]
    # the second layer sits right on top of the first
    assert float(early_eng.get("y")) + float(early_eng.get("height")) == pytest.approx(
        float(senior_eng.get("y")), abs=0.2
    )
    assert float(early_eng.get("height")) == pytest.approx(
        1.5 * float(senior_eng.get("height")), rel=0.02
    )
    assert chart.rows == [["Engineering", "2", "3"], ["Design", "1", "0"]]
    assert "Engineering: 5" in chart.summary
    assert {e.get("fill") for e in bars} == {"url(#pattern-0)", "url(#pattern-1)"}


def test_a_grouped_bar_chart_handles_negative_values():
    chart = bar_chart(["Q1", "Q2"], [BarSeries("Change", [-3, 4])], title="Change")
    root = parse(chart)
    neg, pos = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "bar"]
    zero = next(e for e in root.iter(f"{SVG}line") if e.get("stroke") == "#333")
    assert float(neg.get("y")) == pytest.approx(float(zero.get("y1")), abs=0.2)
    assert float(pos.get("y")) + float(pos.get("height")) == pytest.approx(
        float(zero.get("y1")), abs=0.2
    )


def test_an_empty_bar_chart_and_mismatched_series():
    root = parse(bar_chart([], [], title="None"))
    assert "No data yet." in "".join(root.itertext())
    with pytest.raises(ValueError, match="has 1 values for 2 categories"):
        bar_chart(["a", "b"], [BarSeries("s", [1])], title="Bad")


@pytest.mark.parametrize(("low", "high"), [(0, 1), (-7, 3), (5, 5), (0.001, 0.004), (120, 9800)])
def test_ticks_cover_the_range_evenly(low, high):
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1


def test_counts_get_whole_number_ticks():
    assert nice_ticks(0, 1, integer=True) == [0, 1]
    assert nice_ticks(0, 3, integer=True) == [0, 1, 2, 3]
    chart = bar_chart(["a", "b"], [BarSeries("People", [1, 0])], title="Few")
    root = parse(chart)
    ticks = axis_texts(root, "y")
    assert ticks and all("." not in t for t in ticks)


def test_a_grouped_bar_chart_summarizes_each_group_without_adding_it_up():
    chart = bar_chart(
        ["Facilitation", "Data analysis"],
        [BarSeries("Round 1", [2, 1.5]), BarSeries("Round 3", [2, 3]), BarSeries("Target", [3, 4])],
        title="Skills",
    )
    assert "Totals" not in chart.summary and "Facilitation: 7" not in chart.summary
    assert "Facilitation: Round 1 2, Round 3 2, Target 3" in chart.summary
    assert "Data analysis: Round 1 1.5, Round 3 3, Target 4" in chart.summary
    single = bar_chart(["a", "b"], [BarSeries("People", [4, 0])], title="One series")
    assert "a: 4; b: 0" in single.summary and "Totals" not in single.summary


ROUNDS = ["Start", "Midpoint", "End"]


def test_a_step_chart_spreads_named_steps_evenly_and_writes_each_value():
    chart = step_chart(
        ROUNDS,
        [StepSeries("Self", [1, 2, None]), StepSeries("Peer mean", [None, 2.5, None])],
        title="Facilitation",
        target=3,
        y_bounds=(0, 4),
    )
    root = parse(chart)
    ticks = axis_texts(root, "x")
    assert ticks == ROUNDS  # every step is on the axis, even one without values
    circles = [e for e in markers(root) if e.tag == f"{SVG}circle"]
    squares = [e for e in markers(root) if e.tag == f"{SVG}rect"]
    assert len(circles) == 2 and len(squares) == 1  # each series its own shape
    start, mid = (marker_xy(c) for c in circles)
    assert start[0] < mid[0] and start[1] > mid[1]  # higher level, higher on the chart
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "point-value"]
    assert sorted(values) == ["1", "2", "2.5"]
    y_ticks = axis_texts(root, "y")
    assert y_ticks[0] == "0" and y_ticks[-1] == "4"  # the fixed scale, not the data's range
    assert chart.summary == (
        "Self: 1 in Start, 2 in Midpoint. Peer mean: 2.5 in Midpoint. Target 3."
    )
    assert any(g.get("class") == "ref ref-target" for g in root.iter(f"{SVG}g"))


def test_a_step_chart_table_has_every_step_and_the_extra_columns():
    chart = step_chart(
        ROUNDS,
        [StepSeries("Average", [2.5, None, None])],
        title="T",
        x_label="Round",
        extra_columns=[StepSeries("Answers", [2, 0, 0])],
    )
    assert chart.headers == ["Round", "Average", "Answers"]
    assert chart.rows == [["Start", "2.5", "2"], ["Midpoint", "", "0"], ["End", "", "0"]]
    assert chart.to_csv().splitlines()[2] == "Midpoint,,0"


def test_a_step_chart_without_values_still_lists_its_steps():
    chart = step_chart(["Start"], [StepSeries("Self", [None])], title="Nothing yet")
    root = parse(chart)
    assert "No data yet." in "".join(root.itertext())
    assert chart.rows == [["Start", ""]]
    with pytest.raises(ValueError, match="has 1 values for 2 steps"):
        step_chart(["a", "b"], [StepSeries("s", [1])], title="Bad")


def test_a_weekly_summary_counts_weeks_and_prints_values_with_their_unit():
    weeks = [date(2025, 12, 1) + timedelta(weeks=i) for i in range(52)]
    values = [8.8 - i * (8.8 - 6.9) / 51 for i in range(52)]
    chart = line_chart(
        [Series("Lead time", list(zip(weeks, values, strict=True)))],
        title="Lead time",
        per="week",
        unit="days",
        target=6.5,
    )
    assert chart.summary == (
        "Lead time: 52 weeks from 8.8 days on 1 Dec 2025 to 6.9 days on 23 Nov 2026."
        " Target 6.5 days."
    )
    assert "points" not in chart.summary
    plain = line_chart([Series("Score", [(WEEKS[0], 1.0), (WEEKS[1], 2.5)])], title="T")
    assert plain.summary == "Score: 2 values from 1 on 5 Jan 2026 to 2.5 on 12 Jan 2026."


def test_the_numbers_table_is_written_as_the_template_wrote_it():
    """Chart.table_rows replaces the template's loops: the same HTML, escaped, a dash for an
    empty cell, the first cell a row header."""
    from django.template import Context, Template

    from cadre.lib.charts import Chart

    chart = Chart("<svg/>", "t", "s", ["Date", "A", "B"], [["1 Mar", "4.5", ""], ["<b>", "0", "7"]])
    loops = Template(
        "{% for row in chart.rows %}<tr>{% for cell in row %}{% if forloop.first %}"
        '<th scope="row">{{ cell }}</th>{% else %}<td>{{ cell|default:"–" }}</td>{% endif %}'
        "{% endfor %}</tr>{% endfor %}"
    ).render(Context({"chart": chart}))
    assert chart.table_rows == loops
    assert "&lt;b&gt;" in chart.table_rows and "<td>–</td>" in chart.table_rows


def test_a_chart_drawn_again_from_the_same_inputs_is_the_one_kept():
    points = [(WEEKS[0], 1.0), (WEEKS[1], 2.5)]
    first = line_chart([Series("Score", list(points))], title="T", target=2.0)
    assert line_chart([Series("Score", list(points))], title="T", target=2.0) is first
    # Any input that differs draws anew: a value, a name, the target, the size.
    assert (
        line_chart([Series("Score", [(WEEKS[0], 1.0), (WEEKS[1], 2.4)])], title="T", target=2.0)
        is not first
    )
    assert line_chart([Series("Scores", list(points))], title="T", target=2.0) is not first
    assert line_chart([Series("Score", list(points))], title="T", target=3.0) is not first
    assert (
        line_chart([Series("Score", list(points))], title="T", target=2.0, width=300) is not first
    )
    bars = bar_chart(["a", "b"], [BarSeries("n", [1, 2])], title="B")
    assert bar_chart(["a", "b"], [BarSeries("n", [1, 2])], title="B") is bars
    assert bar_chart(["a", "b"], [BarSeries("n", [1, 3])], title="B") is not bars


def test_equal_values_of_different_types_are_kept_apart():
    """1 and 1.0 are equal in Python but need not be written alike; 0.0 and -0.0 likewise."""
    as_int = bar_chart(["a"], [BarSeries("n", [1])], title="B")
    as_float = bar_chart(["a"], [BarSeries("n", [1.0])], title="B")
    assert as_float is not as_int
    zero = line_chart([Series("S", [(WEEKS[0], 0.0)])], title="Z")
    assert line_chart([Series("S", [(WEEKS[0], -0.0)])], title="Z") is not zero


def test_a_chart_is_kept_per_language_and_not_for_a_lazy_text():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    points = [(WEEKS[0], 1.0), (WEEKS[1], 2.5)]
    with translation.override("en"):
        english = line_chart([Series("Score", points)], title="T")
    with translation.override("de"):
        german = line_chart([Series("Score", points)], title="T")
    assert german is not english
    assert german.headers[0] == "Datum" and english.headers[0] == "Date"
    with translation.override("en"):
        lazy = line_chart([Series("Score", points)], title=gettext_lazy("Date"))
        assert line_chart([Series("Score", points)], title=gettext_lazy("Date")) is not lazy


def test_changing_a_setting_forgets_the_charts_kept(settings):
    chart = bar_chart(["a", "b"], [BarSeries("n", [1000, 2])], title="Kept")
    settings.USE_THOUSAND_SEPARATOR = not settings.USE_THOUSAND_SEPARATOR
    assert bar_chart(["a", "b"], [BarSeries("n", [1000, 2])], title="Kept") is not chart


def test_a_figure_is_the_include_written_once_per_language_and_link():
    from django.template import Context, Template
    from django.utils import translation

    chart = bar_chart(["<a>", "b"], [BarSeries("n", [1, 2])], title="Figure <b>")
    include = Template('{% include "charts/figure.html" with chart=chart csv_url=url %}')
    for language in ("en", "es"):
        with translation.override(language):
            for url in ("", "/x/csv/"):
                expected = include.render(Context({"chart": chart, "url": url}))
                assert chart.figure(url) == expected
                assert chart.figure(url) is chart.figure(url)
    with translation.override("es"):
        assert "Las cifras" in chart.figure()
    assert 'href="/x/csv/"' in chart.figure("/x/csv/") and "href" not in chart.figure()
    empty = bar_chart([], [], title="Empty")
    assert empty.figure() == include.render(Context({"chart": empty, "url": ""}))
