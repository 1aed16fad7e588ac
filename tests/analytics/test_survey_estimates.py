"""Kish's design effect and effective sample size; weighted means and shares with MoEs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from roundtable.analytics.survey_estimates import (
    design_effect,
    effective_n,
    margin_of_error,
    proportion_sd,
    weighted_mean,
    weighted_shares,
)


def test_equal_weights_have_no_design_effect() -> None:
    assert design_effect(np.ones(50)) == pytest.approx(1.0)
    assert effective_n(np.full(50, 3.0)) == pytest.approx(50.0)


def test_design_effect_matches_balances_published_examples() -> None:
    # balance.stats_and_plots.weights_stats.design_effect's docstring examples.
    assert design_effect([0, 1, 2, 3]) == pytest.approx(1.5555555555555556, rel=1e-15)
    assert design_effect([1, 1, 1000]) == pytest.approx(2.9880418803112336, rel=1e-15)


def test_kish_by_hand() -> None:
    weights = np.array([1.0, 1.0, 2.0, 4.0])  # Σw = 8, Σw² = 22
    assert effective_n(weights) == pytest.approx(64 / 22)
    assert design_effect(weights) == pytest.approx(4 * 22 / 64)
    assert effective_n(weights) * design_effect(weights) == pytest.approx(4)


def test_no_weight_at_all() -> None:
    assert effective_n(np.zeros(3)) == 0.0
    assert math.isnan(design_effect(np.zeros(3)))
    with pytest.raises(ValueError, match="not negative"):
        effective_n(np.array([1.0, -1.0]))


def test_margin_of_error_formulas() -> None:
    assert margin_of_error(0.5, 100) == pytest.approx(1.96 * 0.5 / 10)
    assert margin_of_error(2.0, 400, z=1.645) == pytest.approx(1.645 * 2 / 20)
    assert proportion_sd(0.3) == pytest.approx(math.sqrt(0.21))
    assert proportion_sd(1.0) == 0.0
    assert math.isnan(margin_of_error(0.5, 0))


def test_weighted_mean_by_hand() -> None:
    values = np.array([10.0, 0.0, np.nan, 5.0])
    weights = np.array([1.0, 3.0, 100.0, 1.0])
    estimate = weighted_mean(values, weights)
    # NaN skipped: Σw = 5, mean = (10 + 0 + 5) / 5 = 3.
    assert estimate.value == pytest.approx(3.0)
    assert estimate.n == 3
    assert estimate.effective_n == pytest.approx(25 / 11)
    variance = (1 * 49 + 3 * 9 + 1 * 4) / 5
    assert estimate.moe == pytest.approx(1.96 * math.sqrt(variance) / math.sqrt(25 / 11))


def test_a_yes_no_mean_and_its_share_have_the_same_margin() -> None:
    rng = np.random.default_rng(3)
    answers = rng.integers(0, 2, 400)
    weights = rng.lognormal(0, 0.5, 400)
    mean = weighted_mean(answers.astype(float), weights)
    _no, yes = weighted_shares(answers, 2, weights)
    assert yes.value == pytest.approx(100 * mean.value)
    assert yes.moe == pytest.approx(100 * mean.moe)
    assert yes.effective_n == pytest.approx(mean.effective_n)


def test_weighted_shares_leave_out_who_did_not_answer() -> None:
    codes = np.array([0, 0, 1, 2, -1])
    weights = np.array([1.0, 1.0, 2.0, 4.0, 50.0])
    shares = weighted_shares(codes, 4, weights)
    assert [s.value for s in shares] == pytest.approx([25.0, 25.0, 50.0, 0.0])
    assert sum(s.value for s in shares) == pytest.approx(100.0)
    assert all(s.n == 4 for s in shares)
    n_eff = 64 / 22
    assert shares[2].moe == pytest.approx(100 * 1.96 * math.sqrt(0.25 / n_eff))
    assert shares[3].moe == 0.0


def test_nobody_answered() -> None:
    assert math.isnan(weighted_mean(np.array([np.nan]), np.array([1.0])).value)
    shares = weighted_shares(np.array([-1, -1]), 2, np.ones(2))
    assert all(math.isnan(s.value) and s.n == 0 for s in shares)
    with pytest.raises(ValueError, match="codes must be"):
        weighted_shares(np.array([0, 3]), 3, np.ones(2))
