"""Small server-side SVG charts: a time-series line chart with a target line, and a bar chart
(grouped or stacked). No JavaScript library: the page gets finished SVG markup.

Charts must be readable without colour: every series has its own marker shape and dash
pattern and is labelled directly at its last point; the target and baseline lines carry
their own text. Each chart has a `<title>`, `role="img"` and an `aria-label` with a one-line
summary, and returns the rows it drew (`Chart.headers`, `Chart.rows`) so the page can show
them as a table and offer them as CSV.

Every piece of text that reaches the SVG is escaped here, which is why `Chart.html` may be
marked safe for templates.

What people read (the summary, "No data yet.", "Target", a point's "on 4 Mar 2026", the
default column names) is written in the active language; a chart built inside
`translation.override("en")` is the one a CSV file is written from. Class names stay English.

A chart is a function of what it is given, the active language and time zone: the last
CHARTS_KEPT charts drawn are kept per process and given again for the same inputs (a page draws
the same charts on every request until its numbers change), so what is kept can be neither
stale nor anyone else's. A `Chart` is therefore never changed once it is drawn."""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ParamSpec
from xml.sax.saxutils import escape, quoteattr

from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cadre.engine import safecsv
from cadre.lib.numbers import number

WIDTH = 640
HEIGHT = 280
MARGIN_LEFT = 56
MARGIN_RIGHT = 120  # room for direct labels at the end of each line
MARGIN_TOP = 28
MARGIN_BOTTOM = 44

# Dark enough on white for text-level contrast; the shapes and dashes carry the meaning.
COLOURS = ["#1f4e79", "#8a3b12", "#2e6b30", "#6b2e6b", "#5a5a5a"]
MARKERS = ["circle", "square", "triangle", "diamond", "cross"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2"]
TARGET_COLOUR = "#b00020"
BASELINE_COLOUR = "#555555"


@dataclass
class Series:
    """One line: (x, y) points, x a date or a number. None values are gaps and not drawn."""

    name: str
    points: Sequence[tuple[date | float, float | None]]


@dataclass
class StepSeries:
    """One line over named steps: a value per step, None where there is none yet."""

    name: str
    values: Sequence[float | None]


@dataclass
class BarSeries:
    """One bar per category (grouped) or one layer of each bar (stacked)."""

    name: str
    values: Sequence[float]


@dataclass
class Chart:
    svg: str
    title: str
    summary: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    # What pages wrote from this chart, by language and name (`written`)
    _written: dict[tuple[str | None, str], SafeString] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def written(self, name: str, write: Callable[[], SafeString]) -> SafeString:
        """`write()`, HTML a page makes of this chart, written once per `name` and language:
        a chart is never changed once drawn, so neither is what is written from it."""
        key = (get_language(), name)
        found = self._written.get(key)
        if found is None:
            found = self._written[key] = write()
        return found

    def figure(self, csv_url: str = "") -> SafeString:
        """The chart with its summary and the numbers behind it (charts/figure.html, with a
        link to `csv_url` when there is one)."""
        return self.written(
            "figure " + csv_url,
            lambda: render_to_string("charts/figure.html", {"chart": self, "csv_url": csv_url}),
        )

    @property
    def html(self) -> SafeString:
        """The SVG for a template; all text inside was escaped when it was built."""
        return mark_safe(self.svg)

    @functools.cached_property
    def table_rows(self) -> SafeString:
        """The rows of "The numbers" table (charts/figure.html), written here rather than by
        the template's loops, which cost more than the chart itself: the first cell a row
        header, an empty cell a dash, every cell escaped."""
        return mark_safe(
            "".join(
                "<tr>"
                + "".join(
                    f'<th scope="row">{_cell_html(cell)}</th>'
                    if i == 0
                    else f"<td>{_cell_html(cell or '–')}</td>"
                    for i, cell in enumerate(row)
                )
                + "</tr>"
                for row in self.rows
            )
        )

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = safecsv.writer(out, lineterminator="\n")
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return out.getvalue()


def _cell_html(value: object) -> str:
    """A value as a template prints it: localized, then escaped."""
    return str(conditional_escape(str(localize(value))))


# --- charts kept once drawn -------------------------------------------------------------------

CHARTS_KEPT = 256  # per process; a chart with its table is some tens of kilobytes


class _NotKeyable(Exception):
    """An argument whose exact value a key cannot capture: the chart is drawn, not kept."""


# Values a chart may be given, keyed by their type as well as their value: 1 and 1.0 are equal
# but need not be written alike, nor are a str and a SafeString escaped alike.
_PLAIN = (str, int, bool, date, type(None))  # a datetime (its own zone) is not among them


def _key(value: Any) -> Hashable:
    """`value` as an exact, hashable key: two values with one key draw the same chart."""
    kind = type(value)
    if kind in _PLAIN:
        return (kind, value)
    if kind is float:
        return (kind, value.hex())  # tells 0.0 from -0.0, and NaN equals itself
    if kind is Decimal:
        return (kind, str(value))
    if kind is list or kind is tuple:
        return (kind, tuple(_key(v) for v in value))
    if kind is Series:
        return (kind, _key(value.name), _key(value.points))
    if kind is StepSeries or kind is BarSeries:
        return (kind, _key(value.name), _key(value.values))
    # A lazy translation, a subclass or anything else: its text or fields could change
    # under one key.
    raise _NotKeyable(kind)


class _Call:
    """The arguments of one call, compared by their key."""

    __slots__ = ("args", "kwargs", "key")

    def __init__(self, key: Hashable, args: Any, kwargs: Any) -> None:
        self.key, self.args, self.kwargs = key, args, kwargs

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Call) and self.key == other.key


_P = ParamSpec("_P")
_kept_caches: list[Any] = []


def _kept(draw: Callable[_P, Chart]) -> Callable[_P, Chart]:
    """`draw`, keeping the last CHARTS_KEPT charts it drew by their exact inputs, the active
    language and the time zone (what the words, numbers and dates are written in)."""

    @functools.lru_cache(maxsize=CHARTS_KEPT)
    def drawn(call: _Call) -> Chart:
        return draw(*call.args, **call.kwargs)

    _kept_caches.append(drawn)

    @functools.wraps(draw)
    def kept(*args: _P.args, **kwargs: _P.kwargs) -> Chart:
        try:
            key = (
                get_language(),
                get_current_timezone_name(),
                _key(args),
                _key(sorted(kwargs.items())),
            )
        except _NotKeyable:
            return draw(*args, **kwargs)
        return drawn(_Call(key, args, kwargs))

    return kept


def forget_charts(**_kwargs: Any) -> None:
    """Drop every chart kept: a test changed a setting that says how charts are written."""
    for cache in _kept_caches:
        cache.cache_clear()
    _date_text.cache_clear()


setting_changed.connect(forget_charts, dispatch_uid="cadre.lib.charts.forget_charts")


# --- scales ----------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high] (1, 2 or 5 times a power of ten apart); whole
    numbers only when `integer` (counts of people are never 0.5)."""
    if not math.isfinite(low) or not math.isfinite(high):
        raise ValueError("Tick bounds must be finite numbers.")
    if high < low:
        low, high = high, low
    if high == low:
        pad = 1.0 if integer else abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integer:
        step = max(step, 1.0)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _x_value(x: date | float) -> float:
    return float(x.toordinal()) if isinstance(x, date) else float(x)


def _x_label(x: date | float) -> str:
    return _date_text(x, "j M Y", get_language()) if isinstance(x, date) else number(float(x))


def _x_tick_label(x: date | float) -> str:
    return _date_text(x, "j M", get_language()) if isinstance(x, date) else number(float(x))


@functools.lru_cache(maxsize=4096)
def _date_text(day: date, fmt: str, language: str | None) -> str:
    """A date as the charts write it in `language` (the active one): the same weeks recur on
    every chart of a page and every page, and formatting one costs more than drawing it."""
    return date_format(day, fmt)


def _no_data() -> str:
    return _("No data yet.")


def _marker(shape: str, cx: float, cy: float, colour: str, tip: str) -> str:
    r = 4.0
    title = f"<title>{escape(tip)}</title>"
    attrs = f'fill="{colour}" stroke="{colour}" class="marker marker-{shape}"'
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" {attrs}>{title}</circle>'
    if shape == "square":
        return (
            f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f"{attrs}>{title}</rect>"
        )
    if shape == "triangle":
        pts = (
            f"{cx:.1f},{cy - r - 1:.1f} {cx - r - 1:.1f},{cy + r:.1f} {cx + r + 1:.1f},{cy + r:.1f}"
        )
        return f'<polygon points="{pts}" {attrs}>{title}</polygon>'
    if shape == "diamond":
        pts = f"{cx:.1f},{cy - r - 1:.1f} {cx + r + 1:.1f},{cy:.1f} {cx:.1f},{cy + r + 1:.1f} {cx - r - 1:.1f},{cy:.1f}"
        return f'<polygon points="{pts}" {attrs}>{title}</polygon>'
    # cross: two strokes, hollow
    return (
        f'<path d="M{cx - r:.1f},{cy - r:.1f}L{cx + r:.1f},{cy + r:.1f}'
        f'M{cx - r:.1f},{cy + r:.1f}L{cx + r:.1f},{cy - r:.1f}" stroke="{colour}" '
        f'stroke-width="2" fill="none" class="marker marker-cross">{title}</path>'
    )


def _y_grid(ticks: list[float], sy: Callable[[float], float], left: float, right: float) -> str:
    """Horizontal grid lines with their values at the left."""
    lines = [
        f'<line x1="{left}" x2="{right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#ddd"/>'
        f'<text x="{left - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{number(t)}</text>'
        for t in ticks
    ]
    return '<g class="axis axis-y">' + "".join(lines) + "</g>"


def _axis_labels(
    y_label: str, x_label: str, left: float, right: float, top: float, bottom: float, height: int
) -> list[str]:
    """The axes' names: y's turned up the left side, x's centred under the ticks."""
    parts = []
    if y_label:
        middle = (top + bottom) / 2
        parts.append(
            f'<text x="12" y="{middle:.0f}" text-anchor="middle" '
            f'transform="rotate(-90 12 {middle:.0f})" class="axis-label">{escape(y_label)}</text>'
        )
    if x_label:
        parts.append(
            f'<text x="{(left + right) / 2:.0f}" y="{height - 6}" text-anchor="middle" '
            f'class="axis-label">{escape(x_label)}</text>'
        )
    return parts


def _open(title: str, summary: str, width: int, height: int) -> list[str]:
    label = f"{title}. {summary}"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(label)} '
        f'class="chart" font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(summary)}</desc>",
    ]


def _empty(
    title: str,
    headers: list[str],
    width: int,
    height: int,
    message: str,
    rows: list[list[str]] | None = None,
) -> Chart:
    summary = message
    parts = _open(title, summary, width, height)
    parts.append(
        f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" '
        f'class="chart-empty">{escape(message)}</text>'
    )
    parts.append("</svg>")
    return Chart("".join(parts), title, summary, headers, rows or [])


# --- line charts -----------------------------------------------------------------------------


@_kept
def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    y_label: str = "",
    x_label: str = "",
    target: float | None = None,
    baseline: float | None = None,
    per: str = "",
    unit: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """Lines over time (or any numeric x), with optional horizontal target and baseline lines.
    The y range always includes the target and baseline so they are never drawn off the
    chart. Rows are one per x value, one column per series. `per` names what one point
    stands for ("week": the summary says "52 weeks from 8.8 to 6.9"), `unit` is the values'
    unit, written after them in the summary."""
    headers = [_("Date") if _is_dated(series) else (x_label or "x")] + [s.name for s in series]
    drawn = [[(x, float(y)) for x, y in s.points if y is not None] for s in series]
    if not any(drawn):
        return _empty(title, headers, width, height, _no_data())

    originals = {_x_value(x): x for pts in drawn for x, _ in pts}
    xs = sorted(originals)
    on = _("on %(date)s")
    # at most six x ticks, spread over the data's own x values
    step = max(1, math.ceil(len(xs) / 6))
    parts = _plot_lines(
        [s.name for s in series],
        [[(_x_value(x), y) for x, y in pts] for pts in drawn],
        x_domain=(xs[0], xs[-1]),
        x_ticks=[(xv, _x_tick_label(originals[xv])) for xv in xs[::step]],
        point_text=lambda xv: on % {"date": _x_label(originals[xv])},
        y_label=y_label,
        x_label=x_label,
        target=target,
        baseline=baseline,
        width=width,
        height=height,
    )
    summary = _line_summary(series, drawn, target, baseline, per, unit)
    svg = "".join(_open(title, summary, width, height) + parts + ["</svg>"])
    rows = _line_rows(series, drawn)
    return Chart(svg, title, summary, headers, rows)


@_kept
def step_chart(
    steps: Sequence[str],
    series: Sequence[StepSeries],
    *,
    title: str,
    y_label: str = "",
    x_label: str = "",
    target: float | None = None,
    y_bounds: tuple[float, float] | None = None,
    extra_columns: Sequence[StepSeries] = (),
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """Lines over named steps (assessment rounds, phases) evenly spaced along x, each point
    with its value written beside it, and an optional target line.

    Every step is on the axis and in the table, even one no series has a value for yet.
    `y_bounds` keeps a fixed scale (levels 0 to 4, say) so charts side by side compare;
    `extra_columns` are numbers that belong in the table and CSV (answer counts, the target)
    but not on the chart."""
    x_label = x_label or _("Step")
    headers = [x_label, *(s.name for s in series), *(c.name for c in extra_columns)]
    for s in [*series, *extra_columns]:
        if len(s.values) != len(steps):
            raise ValueError(
                f"Series “{s.name}” has {len(s.values)} values for {len(steps)} steps."
            )
    rows = [
        [label, *(_cell(s.values[i]) for s in [*series, *extra_columns])]
        for i, label in enumerate(steps)
    ]
    drawn = [
        [(float(i), float(v)) for i, v in enumerate(s.values) if v is not None] for s in series
    ]
    if not any(drawn):
        return _empty(title, headers, width, height, _no_data(), rows)

    parts = _plot_lines(
        [s.name for s in series],
        drawn,
        x_domain=(0.0, float(len(steps) - 1)),
        x_ticks=[(float(i), label) for i, label in enumerate(steps)],
        point_text=lambda xv: _("in %(step)s") % {"step": steps[int(xv)]},
        y_label=y_label,
        x_label=x_label,
        target=target,
        y_bounds=y_bounds,
        value_labels=True,
        width=width,
        height=height,
    )
    sentences = []
    for s, pts in zip(series, drawn, strict=True):
        said = ", ".join(
            _("%(value)s in %(step)s") % {"value": number(y), "step": steps[int(x)]} for x, y in pts
        )
        sentences.append(
            _("%(series)s: %(values)s.") % {"series": s.name, "values": said or _("no values yet")}
        )
    if target is not None:
        sentences.append(_reference("target", number(target)) + ".")
    summary = " ".join(sentences)
    svg = "".join(_open(title, summary, width, height) + parts + ["</svg>"])
    return Chart(svg, title, summary, headers, rows)


def _cell(value: float | None) -> str:
    return "" if value is None else number(float(value))


def _plot_lines(
    names: Sequence[str],
    drawn: Sequence[Sequence[tuple[float, float]]],
    *,
    x_domain: tuple[float, float],
    x_ticks: Sequence[tuple[float, str]],
    point_text: Callable[[float], str],
    y_label: str,
    x_label: str,
    target: float | None = None,
    baseline: float | None = None,
    y_bounds: tuple[float, float] | None = None,
    value_labels: bool = False,
    width: int,
    height: int,
) -> list[str]:
    """The SVG body shared by every line chart: grid, axes, reference lines, one polyline
    with its own marker shape and dash per series, and direct labels. x values are numbers
    here; `point_text` says where a point is in words ("on 5 Jan 2026", "in Midpoint")."""
    ys = [y for pts in drawn for _, y in pts]
    ys += [v for v in (target, baseline) if v is not None]
    ys += list(y_bounds or ())
    ticks = nice_ticks(min(ys), max(ys))
    y_low, y_high = ticks[0], ticks[-1]
    x_low, x_high = x_domain
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM

    def sx(x: float) -> float:
        if x_high == x_low:
            return (left + right) / 2
        return left + (x - x_low) / (x_high - x_low) * (right - left)

    def sy(y: float) -> float:
        return bottom - (y - y_low) / (y_high - y_low) * (bottom - top)

    parts: list[str] = []
    parts.append(_y_grid(ticks, sy, left, right))
    parts.append('<g class="axis axis-x">')
    parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#333"/>')
    room = (right - left) / max(len(x_ticks) - 1, 1)
    for xv, text in x_ticks:
        x = sx(xv)
        short = _shorten(text, max(room, 60))
        full = f"<title>{escape(text)}</title>" if short != text else ""
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="#333"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{escape(short)}{full}</text>"
        )
    parts.append("</g>")
    parts += _axis_labels(y_label, x_label, left, right, top, bottom, height)
    # reference lines, labelled in words at the right; series labels keep clear of them
    taken: list[float] = []
    for kind, value, colour, dash in (
        ("target", target, TARGET_COLOUR, "8 4"),
        ("baseline", baseline, BASELINE_COLOUR, "2 4"),
    ):
        if value is None:
            continue
        y = sy(value)
        taken.append(y + 4)
        text = escape(_reference(kind, number(value)))
        parts.append(
            f'<g class="ref ref-{kind}"><line x1="{left}" x2="{right}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}">'
            f"<title>{text}</title></line>"
            f'<text x="{right + 4}" y="{y + 4:.1f}" fill="{colour}">{text}</text></g>'
        )
    # where several series have a point at one x, the highest writes its value above and the
    # others below, so the numbers do not print over each other's markers
    below: set[tuple[int, float]] = set()
    if value_labels:
        at: dict[float, list[tuple[float, int]]] = {}
        for i, pts in enumerate(drawn):
            for x, y in pts:
                at.setdefault(x, []).append((-y, i))
        below = {(i, x) for x, found in at.items() for _, i in sorted(found)[1:]}
    # the series
    for i, (name, pts) in enumerate(zip(names, drawn, strict=True)):
        if not pts:
            continue
        colour, shape, dash = (
            COLOURS[i % len(COLOURS)],
            MARKERS[i % len(MARKERS)],
            DASHES[i % len(DASHES)],
        )
        pts = sorted(pts)
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series" data-series="{i}">')
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        for px, py in pts:
            tip = f"{name}: {number(py)} {point_text(px)}"
            parts.append(_marker(shape, sx(px), sy(py), colour, tip))
            if value_labels:
                dy = 16 if (i, px) in below else -8
                parts.append(
                    f'<text x="{sx(px):.1f}" y="{sy(py) + dy:.1f}" text-anchor="middle" '
                    f'fill="{colour}" class="point-value" paint-order="stroke" stroke="#fff" '
                    f'stroke-width="3">{number(py)}</text>'
                )
        _, last_y = pts[-1]
        label_y = _free_spot(sy(last_y) + 4, taken)
        taken.append(label_y)
        parts.append(
            f'<text x="{right + 4}" y="{label_y:.1f}" '
            f'fill="{colour}" class="direct-label">{escape(_shorten(name, MARGIN_RIGHT - 8))}'
            f"<title>{escape(name)}</title></text>"
        )
        parts.append("</g>")
    return parts


def _free_spot(y: float, taken: list[float], gap: float = 12) -> float:
    """The nearest height to `y` at least `gap` from every label already placed."""
    for step in range(40):
        for candidate in (y + step * 3, y - step * 3):
            if all(abs(candidate - t) >= gap for t in taken):
                return candidate
    return y


def _reference(kind: str, value: str) -> str:
    """A reference line's words, "Target 5" or "Baseline 8.8"; `kind` is also its class name."""
    if kind == "target":
        return _("Target %(value)s") % {"value": value}
    return _("Baseline %(value)s") % {"value": value}


def _points(count: int, per: str) -> str:
    """ "52 weeks", "3 values": how many points a line has, named by what one stands for."""
    if per == "week":
        return ngettext("%(count)s week", "%(count)s weeks", count) % {"count": count}
    if per:  # a caller's own word, which only English can put in the plural this way
        return f"{count} {per}{'' if count == 1 else 's'}"
    return ngettext("%(count)s value", "%(count)s values", count) % {"count": count}


def _is_dated(series: Sequence[Series]) -> bool:
    return any(isinstance(x, date) for s in series for x, _ in s.points)


def _line_summary(
    series: Sequence[Series],
    drawn: list[list[tuple[date | float, float]]],
    target: float | None,
    baseline: float | None,
    per: str = "",
    unit: str = "",
) -> str:
    """ "Lead time: 52 weeks from 8.8 days on 9 Dec 2025 to 6.9 days on 1 Dec 2026." The
    count is of the points drawn, named by what one point stands for (a week), so it is never
    mistaken for the values' own unit."""
    sentences = []
    for s, pts in zip(series, drawn, strict=True):
        if not pts:
            continue
        ordered = sorted(pts, key=lambda p: _x_value(p[0]))
        (x0, y0), (x1, y1) = ordered[0], ordered[-1]
        if len(ordered) == 1:
            sentences.append(
                _("%(series)s: %(value)s on %(date)s.")
                % {"series": s.name, "value": number(y1, unit), "date": _x_label(x1)}
            )
        else:
            sentences.append(
                _(
                    "%(series)s: %(points)s from %(first)s on %(first_date)s to %(last)s on %(last_date)s."
                )
                % {
                    "series": s.name,
                    "points": _points(len(ordered), per),
                    "first": number(y0, unit),
                    "first_date": _x_label(x0),
                    "last": number(y1, unit),
                    "last_date": _x_label(x1),
                }
            )
    if target is not None:
        sentences.append(_reference("target", number(target, unit)) + ".")
    if baseline is not None:
        sentences.append(_reference("baseline", number(baseline, unit)) + ".")
    return " ".join(sentences)


def _line_rows(
    series: Sequence[Series], drawn: list[list[tuple[date | float, float]]]
) -> list[list[str]]:
    table: dict[float, list[str]] = {}
    labels: dict[float, str] = {}
    for i, pts in enumerate(drawn):
        for x, y in pts:
            key = _x_value(x)
            labels[key] = x.isoformat() if isinstance(x, date) else number(float(x))
            table.setdefault(key, [""] * len(series))[i] = number(y)
    return [[labels[k], *table[k]] for k in sorted(table)]


# --- bar chart -------------------------------------------------------------------------------


@_kept
def bar_chart(
    categories: Sequence[str],
    series: Sequence[BarSeries],
    *,
    title: str,
    y_label: str = "",
    x_label: str = "",
    stacked: bool = False,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """Bars per category: side by side for several series, or stacked to show composition.
    Each series has its own fill pattern (solid, hatched, dotted...) and is named in a legend
    and in each bar's `<title>`; values are printed on the bars when they fit."""
    headers = [x_label or _("Category")] + [s.name for s in series]
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"Series “{s.name}” has {len(s.values)} values for {len(categories)} categories."
            )
    rows = [[c, *(number(float(s.values[i])) for s in series)] for i, c in enumerate(categories)]
    if not categories or not series:
        return _empty(title, headers, width, height, _no_data())

    whole = all(float(v).is_integer() for s in series for v in s.values)
    if stacked:
        pos = [sum(max(float(s.values[i]), 0) for s in series) for i in range(len(categories))]
        neg = [sum(min(float(s.values[i]), 0) for s in series) for i in range(len(categories))]
        ticks = nice_ticks(min(0.0, *neg), max(0.0, *pos), integer=whole)
    else:
        values = [float(v) for s in series for v in s.values]
        ticks = nice_ticks(min(0.0, *values), max(0.0, *values), integer=whole)
    y_low, y_high = ticks[0], ticks[-1]
    legend_h = 18 if len(series) > 1 else 0
    left, right = MARGIN_LEFT, width - 16
    top, bottom = MARGIN_TOP + legend_h, height - MARGIN_BOTTOM

    def sy(y: float) -> float:
        return bottom - (y - y_low) / (y_high - y_low) * (bottom - top)

    parts: list[str] = [_patterns(len(series)), _y_grid(ticks, sy, left, right)]
    zero = sy(0.0)
    parts.append(f'<line x1="{left}" x2="{right}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#333"/>')
    band = (right - left) / len(categories)
    bar_w = band * 0.7 if stacked else band * 0.7 / len(series)
    parts.append('<g class="bars">')
    for i, category in enumerate(categories):
        x0 = left + band * i + band * 0.15
        up, down = 0.0, 0.0
        for j, s in enumerate(series):
            v = float(s.values[i])
            if stacked:
                start = up if v >= 0 else down
                end = start + v
                if v >= 0:
                    up = end
                else:
                    down = end
                x = x0
            else:
                start, end = 0.0, v
                x = x0 + bar_w * j
            y_top, y_bottom = sorted((sy(start), sy(end)))
            h = y_bottom - y_top
            tip = f"{s.name}, {category}: {number(v)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="url(#pattern-{j})" stroke="{COLOURS[j % len(COLOURS)]}" '
                f'class="bar" data-series="{j}"><title>{escape(tip)}</title></rect>'
            )
            if v and h >= 14:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{(y_top + y_bottom) / 2 + 4:.1f}" '
                    f'text-anchor="middle" class="bar-value" paint-order="stroke" '
                    f'stroke="#fff" stroke-width="3">{number(v)}</text>'
                )
        parts.append(
            f'<text x="{left + band * (i + 0.5):.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{escape(_shorten(category, band))}<title>{escape(category)}</title></text>"
        )
    parts.append("</g>")
    if len(series) > 1:
        parts.append('<g class="legend">')
        x = left
        for j, s in enumerate(series):
            parts.append(
                f'<rect x="{x}" y="6" width="12" height="12" fill="url(#pattern-{j})" '
                f'stroke="{COLOURS[j % len(COLOURS)]}"/>'
                f'<text x="{x + 16}" y="16">{escape(s.name)}</text>'
            )
            x += 28 + 7 * len(s.name)
        parts.append("</g>")
    parts += _axis_labels(y_label, x_label, left, right, top, bottom, height)
    summary = _bar_summary(categories, series, stacked)
    svg = "".join(_open(title, summary, width, height) + parts + ["</svg>"])
    return Chart(svg, title, summary, headers, rows)


def _shorten(text: str, room: float) -> str:
    fits = max(3, int(room / 6.5))
    return text if len(text) <= fits else text[: fits - 1] + "…"


def _patterns(count: int) -> str:
    """Fill patterns so bars differ by texture as well as colour: solid, diagonal hatch,
    dots, cross-hatch, horizontal lines."""
    defs = ["<defs>"]
    for j in range(count):
        c = COLOURS[j % len(COLOURS)]
        kind = j % 5
        defs.append(
            f'<pattern id="pattern-{j}" patternUnits="userSpaceOnUse" width="6" height="6">'
            '<rect width="6" height="6" fill="#fff"/>'
        )
        if kind == 0:
            defs.append(f'<rect width="6" height="6" fill="{c}"/>')
        elif kind == 1:
            defs.append(f'<path d="M0,6L6,0M-1,1L1,-1M5,7L7,5" stroke="{c}" stroke-width="2"/>')
        elif kind == 2:
            defs.append(f'<circle cx="3" cy="3" r="1.6" fill="{c}"/>')
        elif kind == 3:
            defs.append(f'<path d="M0,0L6,6M6,0L0,6" stroke="{c}" stroke-width="1.2"/>')
        else:
            defs.append(f'<path d="M0,3L6,3" stroke="{c}" stroke-width="2"/>')
        defs.append("</pattern>")
    defs.append("</defs>")
    return "".join(defs)


def _bar_summary(categories: Sequence[str], series: Sequence[BarSeries], stacked: bool) -> str:
    """Stacked bars are parts of a whole, so their total is the point; grouped bars sit side
    by side to be compared (a round beside a target), where a sum would mean nothing, so
    each group lists its bars instead."""
    names = ", ".join(s.name for s in series)
    count = len(categories)
    if stacked:
        totals = [sum(float(s.values[i]) for s in series) for i in range(count)]
        parts = [f"{c}: {number(t)}" for c, t in zip(categories, totals, strict=True)]
        return ngettext(
            "%(count)s bar stacked by %(names)s. Totals: %(totals)s.",
            "%(count)s bars stacked by %(names)s. Totals: %(totals)s.",
            count,
        ) % {"count": count, "names": names, "totals": "; ".join(parts)}
    if len(series) == 1:
        values = series[0].values
        parts = [f"{c}: {number(float(v))}" for c, v in zip(categories, values, strict=True)]
        return ngettext(
            "%(count)s bar for %(names)s: %(values)s.",
            "%(count)s bars for %(names)s: %(values)s.",
            count,
        ) % {"count": count, "names": names, "values": "; ".join(parts)}
    parts = [
        f"{c}: " + ", ".join(f"{s.name} {number(float(s.values[i]))}" for s in series)
        for i, c in enumerate(categories)
    ]
    return ngettext(
        "%(count)s group of bars for %(names)s. %(groups)s.",
        "%(count)s groups of bars for %(names)s. %(groups)s.",
        count,
    ) % {"count": count, "names": names, "groups": "; ".join(parts)}
