"""CompStat windows and the conditional Poisson test of a change."""

from __future__ import annotations

from datetime import date

import pytest
from scipy import stats

from roundtable.analytics import compstat


def test_periods_of_a_thursday():
    week, d28, ytd = compstat.periods(date(2024, 3, 14))
    assert (week.key, week.start, week.end) == ("week", date(2024, 3, 11), date(2024, 3, 14))
    assert (week.prior_start, week.prior_end) == (date(2023, 3, 13), date(2023, 3, 16))
    # 364 days back keeps the weekday: the prior week to date also starts on a Monday.
    assert week.prior_start.weekday() == 0
    assert (d28.start, d28.end, d28.days) == (date(2024, 2, 16), date(2024, 3, 14), 28)
    assert d28.prior_days == 28
    assert (ytd.start, ytd.prior_start, ytd.prior_end) == (
        date(2024, 1, 1),
        date(2023, 1, 1),
        date(2023, 3, 14),
    )


def test_year_to_date_on_29_february_compares_with_28_february():
    ytd = compstat.periods(date(2024, 2, 29))[2]
    assert ytd.prior_end == date(2023, 2, 28)
    assert (ytd.days, ytd.prior_days) == (60, 59)


def test_week_to_date_on_a_monday_is_one_day():
    week = compstat.periods(date(2024, 3, 11))[0]
    assert week.days == 1 and week.start == week.end


def test_equal_counts_are_flat():
    change = compstat.compare(20, 20, current_days=28, prior_days=28)
    assert change == compstat.Change(20, 20, 0, 0.0, 1.0, False, "flat")


def test_a_rise_beyond_noise_is_up():
    change = compstat.compare(40, 15, current_days=28, prior_days=28)
    assert change.significant and change.direction == "up"
    assert change.difference == 25
    assert change.percent == pytest.approx(166.666, rel=1e-4)
    assert change.p == pytest.approx(stats.binomtest(40, 55, 0.5).pvalue)


def test_a_small_fall_is_flat_and_a_large_fall_is_down():
    assert compstat.compare(8, 12, current_days=7, prior_days=7).direction == "flat"
    assert compstat.compare(2, 25, current_days=7, prior_days=7).direction == "down"


def test_the_conditional_test_weighs_unequal_periods():
    # 60 in 60 days against 59 in 59 days: the same rate, no change.
    same_rate = compstat.compare(60, 59, current_days=60, prior_days=59)
    assert same_rate.p == pytest.approx(stats.binomtest(60, 119, 60 / 119).pvalue)
    assert not same_rate.significant


def test_two_sided_p_sums_outcomes_no_more_likely_than_the_observed():
    # Przyborowski & Wilenski: c | c + p ~ Binomial(n, 1/2) for equal periods.
    n, c = 30, 22
    pmf = stats.binom.pmf(range(n + 1), n, 0.5)
    expected = pmf[pmf <= pmf[c] * (1 + 1e-7)].sum()
    assert compstat.compare(c, n - c, current_days=7, prior_days=7).p == pytest.approx(expected)


def test_no_prior_incidents_has_no_percentage():
    change = compstat.compare(3, 0, current_days=7, prior_days=7)
    assert change.percent is None
    assert compstat.compare(0, 0, current_days=7, prior_days=7).p == 1.0


def test_counts_and_days_are_checked():
    with pytest.raises(ValueError, match="negative"):
        compstat.compare(-1, 0, current_days=7, prior_days=7)
    with pytest.raises(ValueError, match="at least a day"):
        compstat.compare(1, 0, current_days=0, prior_days=7)


def test_weekly_bins():
    start = date(2024, 3, 4)
    days = [
        date(2024, 3, 4),
        date(2024, 3, 10),
        date(2024, 3, 11),
        date(2024, 3, 3),
        date(2024, 3, 25),
    ]
    assert compstat.weekly_bins(days, [1, 2, 3, 4, 5], start=start, weeks=3) == [3, 3, 0]
