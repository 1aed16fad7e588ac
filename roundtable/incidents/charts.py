"""Geometry of the server-rendered weekly trend chart (SVG, no script needed).

Pure: the template draws what this computes, so the chart works without
JavaScript and under the strict CSP, and the table below it carries the same
numbers for screen readers.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
LEFT = 44
RIGHT = 8
TOP = 10
BOTTOM = 28


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float
    day: dt.date  # formatted by the template, in the reader's language


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    current_points: str  # SVG polyline "x,y x,y …"
    prior_points: str
    y_ticks: tuple[Tick, ...]
    x_labels: tuple[XLabel, ...]
    plot_left: int
    plot_right: int
    plot_bottom: int


def _nice_max(value: int) -> int:
    """The axis top: 1, 2 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1
    power: int = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        top: int = step * power
        if value <= top:
            return top
    return 10 * power


def trend_chart(
    week_ends: tuple[dt.date, ...], current: tuple[int, ...], prior: tuple[int, ...]
) -> TrendChart:
    """Two polylines (this year, a year earlier) over the same weeks, with a y axis
    from 0 to a round number and a date label every 13 weeks."""
    top = _nice_max(max([*current, *prior, 0]))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    n = max(len(week_ends), 1)
    step = plot_w / max(n - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(v: int) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    def points(series: tuple[int, ...]) -> str:
        return " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(series))

    ticks = tuple(Tick(y=y(top * k // 4), label=str(top * k // 4)) for k in range(5))
    labels = tuple(XLabel(x=x(i), day=day) for i, day in enumerate(week_ends) if i % 13 == 0)
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        current_points=points(current),
        prior_points=points(prior),
        y_ticks=ticks,
        x_labels=labels,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=HEIGHT - BOTTOM,
    )
