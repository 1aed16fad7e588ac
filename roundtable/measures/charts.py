"""A measure's chart: the surveys' line chart (`surveys.charts.score_chart`) on
the measure's own scale, with its target as a second line.

`score_chart` draws on a fixed 0–100 axis and leaves gaps where a figure is
missing or withheld; a measure's values are put on that axis by dividing by a
round top (`incidents.charts._nice_max`, 100 for percentages and scores) and the
tick labels are written back in the measure's unit. The table beside the chart
carries the same figures.
"""

from __future__ import annotations

import dataclasses
import math

from django.utils.translation import gettext as _

from roundtable.incidents.charts import Tick, _nice_max
from roundtable.measures.models import Unit
from roundtable.measures.periods import period_label
from roundtable.measures.selectors import MeasureSeries
from roundtable.surveys.charts import ScoreChart, score_chart


def axis_top(series: MeasureSeries) -> float:
    """A round top for the y axis: 100 for scores, at most 100 for percentages."""
    if series.unit == Unit.SCORE:
        return 100.0
    highest = max([p.value for p in series.points if p.value is not None] + [series.target or 0])
    if highest <= 0:
        return 1.0
    if highest < 1:
        top = _nice_max(math.ceil(highest * 100)) / 100
    else:
        top = float(_nice_max(math.ceil(highest)))
    return min(top, 100.0) if series.unit == Unit.PERCENT else top


def sparkline_chart(series: MeasureSeries) -> ScoreChart | None:
    """The series alone, stretched between its lowest and highest figure: a
    small trend beside the figures, which say the levels."""
    values = [p.value for p in series.points if p.value is not None]
    if not values:
        return None
    low, high = min(values), max(values)
    span = high - low

    def scaled(value: float | None) -> float | None:
        if value is None:
            return None
        return 50.0 if span == 0 else 100.0 * (value - low) / span

    labels = [str(i) for i in range(len(series.points))]
    return score_chart(labels, [("value", series.name, [scaled(p.value) for p in series.points])])


def measure_chart(series: MeasureSeries, *, with_target: bool = True) -> ScoreChart | None:
    """The series (and its target) as a chart, or None when it has no figure."""
    top = axis_top(series)

    def scaled(value: float | None) -> float | None:
        return None if value is None else 100.0 * value / top

    labels = [period_label(p.period_start, series.frequency) for p in series.points]
    lines: list[tuple[str, str, list[float | None]]] = [
        ("value", series.name, [scaled(p.value) for p in series.points])
    ]
    if with_target and series.target is not None and series.points:
        lines.append(("target", _("Target"), [scaled(series.target)] * len(series.points)))
    chart = score_chart(labels, lines)
    if chart is None:
        return None
    # score_chart's ticks are 0, 25, 50, 75 and 100: the same quarters of `top`.
    ticks = tuple(Tick(tick.y, f"{top * k / 4:g}") for k, tick in enumerate(chart.y_ticks))
    return dataclasses.replace(chart, y_ticks=ticks)
