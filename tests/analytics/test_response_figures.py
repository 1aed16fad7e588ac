"""Share answered, median days to answer, and small-cell suppression."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from roundtable.analytics.response_figures import (
    SUPPRESSED,
    breakdown,
    cell,
    median,
    share,
    to_suppress,
)

NAN = float("nan")


@pytest.mark.parametrize(
    "values",
    [[3.0], [1.0, 9.0], [5.0, 1.0, 2.5], [4.0, 2.0, 8.0, 6.0], [0.5, 30.0, 2.25, 7.0, 11.0]],
)
def test_median_agrees_with_the_standard_library(values):
    assert median(np.array(values)) == pytest.approx(statistics.median(values))


def test_median_ignores_unanswered_and_is_none_when_nothing_is_left():
    assert median(np.array([NAN, 4.0, NAN, 2.0])) == 3.0
    assert median(np.array([NAN])) is None
    assert median(np.array([], dtype=float)) is None


def test_share_is_none_for_nothing_received():
    assert share(3, 4) == 0.75
    assert share(0, 0) is None


def test_a_cell_counts_answered_by_answer_date_and_takes_the_median_of_those():
    answered = np.array([True, False, True, True])
    days = np.array([2.0, NAN, 10.0, 4.0])
    result = cell(answered, days, small_cell=3)
    assert (result.received, result.answered, result.share) == (4, 3, 0.75)
    assert result.median_days == 4.0
    assert not result.suppressed and not result.median_withheld


def test_the_median_of_fewer_answered_than_the_small_cell_is_withheld_but_the_share_stays():
    answered = np.array([True, False, True] + [False] * 7)
    days = np.where(answered, np.array([2.0, 0, 9.0] + [0] * 7), NAN)
    result = cell(answered, days, small_cell=5)
    assert (result.received, result.answered, result.share) == (10, 2, 0.2)
    assert result.median_days is None and result.median_withheld
    assert cell(answered, days, small_cell=2).median_days == 5.5


def test_nothing_answered_is_no_median_and_nothing_withheld():
    result = cell(np.array([False] * 6), np.full(6, NAN), small_cell=5)
    assert result.share == 0.0 and result.median_days is None and not result.median_withheld


def test_a_breakdown_withholds_each_median_of_too_few_answered_including_the_total():
    # group 0: 6 received, 5 answered; group 1: 6 received, 1 answered.
    groups = np.array([0] * 6 + [1] * 6)
    answered = np.array([True] * 5 + [False] + [True] + [False] * 5)
    days = np.where(answered, np.arange(12, dtype=float), NAN)
    result = breakdown(groups, answered, days, n_groups=2, small_cell=5)
    assert result.groups[0].median_days == 2.0 and not result.groups[0].median_withheld
    assert result.groups[1].median_withheld and result.groups[1].share == pytest.approx(1 / 6)
    assert result.overall.median_days == 2.5  # 6 answered: 0, 1, 2, 3, 4 and 6
    few = breakdown(groups, answered & (groups == 1), days, n_groups=2, small_cell=5)
    assert few.overall.median_withheld and few.overall.received == 12


def test_a_single_small_cell_takes_the_next_smallest_with_it():
    hidden, withhold = to_suppress(np.array([20, 3, 0, 8, 12]), 5)
    assert hidden.tolist() == [False, True, False, True, False]
    assert not withhold


def test_two_small_cells_protect_each_other():
    hidden, withhold = to_suppress(np.array([20, 3, 2, 8]), 5)
    assert hidden.tolist() == [False, True, True, False]
    assert not withhold


def test_empty_cells_are_neither_suppressed_nor_used_as_cover():
    hidden, withhold = to_suppress(np.array([0, 4, 0]), 5)
    assert hidden.tolist() == [False, True, False]
    assert withhold  # no other group to hide: the total would reveal it


def test_nothing_is_suppressed_when_every_cell_is_large_enough():
    hidden, withhold = to_suppress(np.array([5, 6, 0]), 5)
    assert not hidden.any() and not withhold


def test_a_breakdown_never_lets_a_suppressed_cell_be_recovered_by_subtraction():
    groups = np.array([0] * 10 + [1] * 2 + [2] * 6)
    answered = np.array([True] * 5 + [False] * 5 + [True, True] + [True] * 6)
    days = np.where(answered, 3.0, NAN)
    result = breakdown(groups, answered, days, n_groups=3, small_cell=5)
    assert result.groups[1] is SUPPRESSED
    assert result.groups[2] is SUPPRESSED  # the smallest other group covers it
    assert result.groups[0].received == 10 and result.groups[0].share == 0.5
    assert result.overall.received == 18 and result.overall.answered == 13
    visible = sum(c.received or 0 for c in result.groups)
    assert result.overall.received - visible == 8  # only the pair, never the 2 alone


def test_a_small_total_is_withheld():
    result = breakdown(
        np.array([0, 0]), np.array([True, False]), np.array([1.0, NAN]), n_groups=1, small_cell=5
    )
    assert result.overall is SUPPRESSED and result.groups[0] is SUPPRESSED


def test_no_inputs_gives_zeroes_not_errors():
    result = breakdown(
        np.array([], dtype=int),
        np.array([], dtype=bool),
        np.array([], dtype=float),
        n_groups=2,
        small_cell=5,
    )
    assert result.overall.received == 0 and result.overall.share is None
    assert [c.received for c in result.groups] == [0, 0]
