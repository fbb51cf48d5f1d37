"""Small line charts of skill levels across rounds, as geometry for an inline SVG drawn by
the template `diagnostics/_chart.html`. No JavaScript and no chart library: the server works
out where everything goes.

Readable without colour: each series has its own marker shape and line style, every point
carries its value as text, the target is a labelled dashed line, and the chart has a
`<title>` and a written description. The numbers are also in an HTML table beside it."""

from __future__ import annotations

from dataclasses import dataclass

from .models import MAX_LEVEL

WIDTH = 340
HEIGHT = 180
# The right margin holds the target's label and half of the last round's name.
LEFT, RIGHT, TOP, BOTTOM = 40, 56, 16, 30
MARKERS = ("circle", "square")
DASHES = ("", "4 3")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    round_label: str

    @property
    def text(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True)
class Series:
    name: str
    points: list[Point]
    marker: str
    dash: str

    @property
    def path(self) -> str:
        """The line through the rounds that have a value."""
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    series: list[Series]
    target_y: float | None
    target: int | None
    plot_left: int
    plot_right: int
    plot_bottom: int


def _x(i: int, n: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner / 2 if n == 1 else inner * i / (n - 1))


def _y(level: float) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (1 - level / MAX_LEVEL)


def level_chart(
    chart_id: str,
    title: str,
    round_labels: list[str],
    series: list[tuple[str, list[float | None]]],
    target: int | None,
) -> Chart:
    """A chart of levels 0–4 (y) across rounds (x), one line per named series, with the
    target as a dashed line. The description says the same in words."""
    n = len(round_labels)
    drawn = []
    words = []
    for k, (name, values) in enumerate(series):
        points = [
            Point(_x(i, n), _y(v), v, round_labels[i])
            for i, v in enumerate(values)
            if v is not None
        ]
        drawn.append(Series(name, points, MARKERS[k % len(MARKERS)], DASHES[k % len(DASHES)]))
        said = ", ".join(f"{p.text} in {p.round_label}" for p in points) or "no answers yet"
        words.append(f"{name}: {said}")
    if target is not None:
        words.append(f"target {target}")
    return Chart(
        id=chart_id,
        title=title,
        description=f"{title}. " + "; ".join(words) + ".",
        width=WIDTH,
        height=HEIGHT,
        x_ticks=[(_x(i, n), label) for i, label in enumerate(round_labels)],
        y_ticks=[(_y(level), level) for level in range(MAX_LEVEL + 1)],
        series=drawn,
        target_y=_y(target) if target is not None else None,
        target=target,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=HEIGHT - BOTTOM,
    )
