"""A measure's trend as a chart: the surveys' line chart, on the measure's own scale.

`surveys.charts.score_chart` draws lines with gaps on a 0–100 axis. A measure
in percent or on a 0–100 score uses it as it is; any other unit (counts, rates,
days) is drawn on an axis from 0 to a round number above its largest figure
(and target), by scaling the figures into 0–100 and labelling the ticks with
the measure's own values. The target, when there is one, is a second, flat
line. Pure: no database, and the table beside the chart carries the figures.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from django.utils.formats import number_format

from roundtable.incidents.charts import Tick
from roundtable.surveys.charts import ScoreChart, score_chart

FIXED_SCALE_UNITS = frozenset({"percent", "score"})


def axis_top(value: float) -> float:
    """1, 2 or 5 times a power of ten at or above `value` (1 for nothing above zero)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 5.0, 10.0):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10.0 * power


def _tick_label(value: float) -> str:
    places = 0 if value == int(value) else (1 if value * 10 == int(value * 10) else 2)
    return number_format(round(value, places), decimal_pos=places, use_l10n=True)


def measure_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str,
    name: str,
    target: float | None = None,
    target_label: str = "",
) -> ScoreChart | None:
    """The chart of a measure's figures over `labels` (None: a gap), or None when
    there is nothing to draw or a figure is negative (the table says it all)."""
    shown = [v for v in values if v is not None]
    if not shown or min(shown) < 0 or (target is not None and target < 0):
        return None
    top = 100.0 if unit in FIXED_SCALE_UNITS else axis_top(max([*shown, target or 0.0]))
    factor = 100.0 / top

    def scaled(items: Sequence[float | None]) -> list[float | None]:
        return [None if v is None else v * factor for v in items]

    series: list[tuple[str, str, Sequence[float | None]]] = [("value", name, scaled(values))]
    if target is not None:
        series.append(("target", target_label, scaled([target] * len(labels))))
    chart = score_chart(labels, series)
    if chart is None:
        return None
    ticks = tuple(
        Tick(y=tick.y, label=_tick_label(top * i / 4)) for i, tick in enumerate(chart.y_ticks)
    )
    return dataclasses.replace(chart, y_ticks=ticks)
