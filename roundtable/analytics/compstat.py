"""CompStat-style periods and the Poisson test of a change between two counts.

Pure Python and SciPy, no Django.

Periods (as CompStat reports lay them out; NYPD's weekly CompStat report
shows "week to date", "28 day" and "year to date" each against the same
period a year earlier):

- week: Monday of the as-of date's week .. as_of;
- 28d:  as_of − 27 days .. as_of;
- ytd:  1 January .. as_of.

The prior period of week and 28d is 364 days earlier (52 weeks), so weekdays
line up — a week-to-date Monday-Wednesday compares with a Monday-Wednesday.
The prior year to date is the same calendar span a year earlier, with 29
February mapped to 28 February.

Change test: the conditional test for two Poisson counts (Przyborowski &
Wilenski 1940, "Homogeneity of results in testing samples from Poisson
series", Biometrika 31:313-323). Given counts c and p over exposures t1 and
t2 (days), under equal rates c | c + p ~ Binomial(c + p, t1 / (t1 + t2));
the two-sided p-value is `scipy.stats.binomtest`'s (the sum of probabilities
no more likely than the observed count). A change is coloured "up" or "down"
only when p < alpha; otherwise "flat", so that noise is not shown as a trend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from scipy import stats


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date
    prior_start: date
    prior_end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def prior_days(self) -> int:
        return (self.prior_end - self.prior_start).days + 1


def _year_earlier(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def periods(as_of: date) -> tuple[Period, ...]:
    """Week to date, last 28 days and year to date, each with its prior period."""
    year = timedelta(days=364)
    week_start = as_of - timedelta(days=as_of.weekday())
    d28_start = as_of - timedelta(days=27)
    ytd_start = date(as_of.year, 1, 1)
    return (
        Period("week", week_start, as_of, week_start - year, as_of - year),
        Period("28d", d28_start, as_of, d28_start - year, as_of - year),
        Period("ytd", ytd_start, as_of, _year_earlier(ytd_start), _year_earlier(as_of)),
    )


@dataclass(frozen=True)
class Change:
    current: int
    prior: int
    difference: int
    percent: float | None  # None when the prior count is 0
    p: float
    significant: bool
    direction: str  # "up", "down" or "flat"


def compare(
    current: int, prior: int, *, current_days: int, prior_days: int, alpha: float = 0.05
) -> Change:
    """The change from `prior` to `current` and whether it is beyond Poisson noise."""
    if current < 0 or prior < 0:
        raise ValueError("counts cannot be negative")
    if current_days <= 0 or prior_days <= 0:
        raise ValueError("periods must last at least a day")
    total = current + prior
    if total == 0:
        p_value = 1.0
    else:
        share = current_days / (current_days + prior_days)
        p_value = float(stats.binomtest(current, total, share, alternative="two-sided").pvalue)
    significant = p_value < alpha
    # Compare rates, so that periods of unequal length (a leap-year YTD) are fair.
    rate_up = current * prior_days > prior * current_days
    direction = ("up" if rate_up else "down") if significant else "flat"
    percent = None if prior == 0 else 100.0 * (current - prior) / prior
    return Change(current, prior, current - prior, percent, p_value, significant, direction)


def weekly_bins(days: list[date], counts: list[int], *, start: date, weeks: int) -> list[int]:
    """Counts per week: bin w covers start + 7w .. start + 7w + 6; other days ignored."""
    if len(days) != len(counts):
        raise ValueError("days and counts differ in length")
    bins = [0] * weeks
    for day, count in zip(days, counts, strict=True):
        w = (day - start).days // 7
        if 0 <= w < weeks:
            bins[w] += count
    return bins
