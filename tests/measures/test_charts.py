"""A measure's chart: the surveys' line chart on the measure's own scale."""

from __future__ import annotations

import datetime as dt

from roundtable.measures.charts import axis_top, measure_chart, sparkline_chart
from roundtable.measures.models import Measure, Unit
from roundtable.measures.selectors import build_series


def series(unit: str, values: list[float | None], target: float | None = None):
    measure = Measure(
        pk=1,
        catalogue_key="unemployment",
        goal="community_factors",
        indicator="economic_conditions",
        unit=unit,
        polarity="lower",
        frequency="monthly",
        source="imported",
        target=target,
    )
    starts = [dt.date(2026, m, 1) for m in range(1, len(values) + 1)]
    figures = {s: v for s, v in zip(starts, values, strict=True) if v is not None}
    return build_series(measure, None, starts, figures)


def test_the_axis_is_a_round_number_above_the_figures_and_target():
    assert axis_top(series(Unit.PERCENT, [4.1, 6.3], target=5)) == 10
    assert axis_top(series(Unit.COUNT, [120, 340])) == 500
    assert axis_top(series(Unit.SCORE, [61, 64])) == 100
    assert axis_top(series(Unit.PERCENT, [93.5])) == 100
    assert axis_top(series(Unit.OTHER, [0.4, 0.7])) == 1.0


def test_ticks_are_in_the_measures_unit_and_the_target_is_a_line():
    chart = measure_chart(series(Unit.COUNT, [120, None, 340], target=200))
    assert chart is not None
    assert [t.label for t in chart.y_ticks] == ["0", "125", "250", "375", "500"]
    value, target = chart.lines
    assert (value.key, target.key) == ("value", "target")
    # A missing month leaves two lone dots, not a line through it.
    assert value.segments == () and len(value.dots) == 2
    assert measure_chart(series(Unit.COUNT, [None, None])) is None


def test_the_sparkline_spans_the_figures():
    chart = sparkline_chart(series(Unit.PERCENT, [4.0, 5.0, 6.0]))
    assert chart is not None
    (line,) = chart.lines
    ys = [float(point.split(",")[1]) for point in line.segments[0].split()]
    assert ys[0] == chart.plot_bottom and ys[-1] == chart.plot_top
