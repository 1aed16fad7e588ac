"""Participation rates per group, relative to everyone, and the representativeness score."""

from __future__ import annotations

import math

import pytest

from roundtable.analytics.representativeness import participation, score


def test_rates_relative_rates_and_score() -> None:
    rates = participation(
        {("hispanic", "18_34"): 10, ("white", "65_plus"): 60},
        {("hispanic", "18_34"): 1000.0, ("white", "65_plus"): 2000.0},
    )
    young, old = rates
    assert young.key == ("hispanic", "18_34")
    assert young.rate == pytest.approx(0.01)
    assert old.rate == pytest.approx(0.03)
    overall = 70 / 3000
    assert young.relative == pytest.approx(0.01 / overall)
    assert old.relative == pytest.approx(0.03 / overall)
    # Young Hispanic residents are a third as likely to have answered.
    assert score(rates) == pytest.approx(1 / 3)


def test_everyone_answering_alike_scores_one() -> None:
    rates = participation({("a",): 5, ("b",): 10}, {("a",): 50.0, ("b",): 100.0})
    assert score(rates) == pytest.approx(1.0)
    assert all(r.relative == pytest.approx(1.0) for r in rates)


def test_a_group_nobody_answered_from_scores_zero() -> None:
    rates = participation({("a",): 5}, {("a",): 50.0, ("b",): 100.0})
    assert [r.key for r in rates] == [("a",), ("b",)]
    assert rates[1].respondents == 0 and rates[1].rate == 0.0
    assert score(rates) == 0.0


def test_groups_without_population_take_no_part() -> None:
    rates = participation({("a",): 5, ("unknown",): 7}, {("a",): 50.0})
    a, unknown = rates
    assert a.relative == pytest.approx(1.0)  # the 7 unmatched respondents are not counted
    assert unknown.respondents == 7
    assert math.isnan(unknown.rate) and math.isnan(unknown.relative)
    assert score(rates) == pytest.approx(1.0)


def test_no_score_without_population_or_respondents() -> None:
    assert score(participation({("a",): 3}, {})) is None
    assert score(participation({}, {("a",): 10.0})) is None
    assert score([]) is None


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        participation({("a",): -1}, {("a",): 10.0})
