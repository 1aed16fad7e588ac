"""Geometry of the results page's trend chart: one line per score over the
periods, on a fixed 0–100 axis (SVG drawn by the template, no script).

Pure: the template draws what this computes, and the table beside the chart
carries the same figures for screen readers. A suppressed figure (too few
answers) leaves a gap in its line rather than a guess; a figure with gaps on
both sides is drawn as a dot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roundtable.incidents.charts import Tick

WIDTH = 640
HEIGHT = 240
LEFT = 36
RIGHT = 12
TOP = 12
BOTTOM = 30


@dataclass(frozen=True)
class XLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    index: int  # the series' colour (CSS class rt-sv-series-<index>)
    segments: tuple[str, ...]  # SVG polyline points "x,y x,y …", one per unbroken run
    dots: tuple[tuple[float, float], ...]  # lone figures


@dataclass(frozen=True)
class ScoreChart:
    width: int
    height: int
    lines: tuple[Line, ...]
    y_ticks: tuple[Tick, ...]
    x_labels: tuple[XLabel, ...]
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int


def score_chart(
    period_labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]]
) -> ScoreChart | None:
    """The chart of `series` (key, label, a value 0–100 or None per period), or
    None when there is nothing to draw (no period, or no figure shown at all)."""
    n = len(period_labels)
    if n == 0 or not any(v is not None for _k, _l, values in series for v in values):
        return None
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(n - 1, 1)

    def x(i: int) -> float:
        # A single period sits in the middle rather than on the axis.
        return round(LEFT + (i * step if n > 1 else plot_w / 2), 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - max(0.0, min(100.0, value)) / 100), 1)

    lines = []
    for index, (key, label, values) in enumerate(series):
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(value)))
        segments = tuple(" ".join(f"{px},{py}" for px, py in run) for run in runs if len(run) > 1)
        dots = tuple(run[0] for run in runs if len(run) == 1)
        lines.append(Line(key, label, index, segments, dots))
    # Label at most about eight periods, counted back from the latest (always labelled).
    every = max(1, -(-n // 8))
    x_labels = tuple(
        XLabel(x(i), label) for i, label in enumerate(period_labels) if (n - 1 - i) % every == 0
    )
    return ScoreChart(
        width=WIDTH,
        height=HEIGHT,
        lines=tuple(lines),
        y_ticks=tuple(Tick(y(v), str(v)) for v in (0, 25, 50, 75, 100)),
        x_labels=x_labels,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
    )
