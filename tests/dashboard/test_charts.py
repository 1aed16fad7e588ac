"""A measure's chart: the surveys' line chart on the measure's own scale."""

from __future__ import annotations

import pytest

from roundtable.dashboard.charts import axis_top, measure_chart


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 1), (0.3, 0.5), (1, 1), (7, 10), (12, 20), (20, 20), (41, 50), (180, 200), (501, 1000)],
)
def test_the_axis_ends_on_a_round_number(value, top):
    assert axis_top(value) == pytest.approx(top)


def test_counts_are_drawn_up_to_a_round_number_with_their_own_ticks():
    chart = measure_chart(["Jan", "Feb", "Mar"], [4, None, 12], unit="count", name="Volunteers")
    assert chart is not None
    assert [t.label for t in chart.y_ticks] == ["0", "5", "10", "15", "20"]
    (line,) = chart.lines
    # A gap where the figure is missing: two lone dots, no segment across it.
    assert line.segments == () and len(line.dots) == 2
    # 12 of 20 sits at 60 % of the plot's height from its bottom.
    y12 = line.dots[1][1]
    assert y12 == pytest.approx(chart.plot_bottom - 0.6 * (chart.plot_bottom - chart.plot_top))


def test_percentages_keep_the_0_to_100_axis_and_the_target_is_a_second_line():
    chart = measure_chart(
        ["Q1", "Q2"], [55.0, 61.0], unit="percent", name="Answered", target=70, target_label="T"
    )
    assert chart is not None
    assert [t.label for t in chart.y_ticks] == ["0", "25", "50", "75", "100"]
    assert [line.key for line in chart.lines] == ["value", "target"]
    (target,) = chart.lines[1].segments
    assert len({point.split(",")[1] for point in target.split()}) == 1  # flat


def test_nothing_to_draw_or_a_negative_figure_leaves_the_table_alone():
    assert measure_chart(["Jan"], [None], unit="count", name="x") is None
    assert measure_chart(["Jan", "Feb"], [-3, 4], unit="count", name="x") is None
