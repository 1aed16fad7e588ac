"""Periods as files and forms write them: 2026-10, 2026-Q4, 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable.measures.periods import (
    PeriodError,
    add_months,
    format_period,
    parse_period,
    period_start,
    periods_between,
)


@pytest.mark.parametrize(
    ("text", "frequency", "start"),
    [
        ("2026-10", "monthly", dt.date(2026, 10, 1)),
        ("2026-3", "monthly", dt.date(2026, 3, 1)),
        ("2026-10-01", "monthly", dt.date(2026, 10, 1)),
        ("2026-Q4", "quarterly", dt.date(2026, 10, 1)),
        ("2026q1", "quarterly", dt.date(2026, 1, 1)),
        ("2026-07", "quarterly", dt.date(2026, 7, 1)),
        ("2026", "annual", dt.date(2026, 1, 1)),
        ("2026-01", "annual", dt.date(2026, 1, 1)),
    ],
)
def test_periods_are_read_for_the_measures_frequency(text, frequency, start):
    assert parse_period(text, frequency) == start
    assert parse_period(format_period(start, frequency), frequency) == start


@pytest.mark.parametrize(
    ("text", "frequency", "says"),
    [
        ("", "monthly", "The period is missing. Write the period as 2026-10."),
        ("2026-13", "monthly", "There is no month 13."),
        ("2026-Q4", "monthly", "This measure is not quarterly."),
        ("2026-08", "quarterly", "not a quarter's first month. Write the period as 2026-Q4."),
        ("2026-03", "annual", "is not January"),
        ("2026", "monthly", "A year alone is a period of a yearly measure only."),
        ("October", "monthly", "October is not a period."),
    ],
)
def test_a_wrong_period_says_how_to_write_it(text, frequency, says):
    with pytest.raises(PeriodError) as error:
        parse_period(text, frequency)
    assert says in str(error.value)


def test_period_arithmetic():
    assert add_months(dt.date(2026, 11, 22), 2) == dt.date(2027, 1, 1)
    assert add_months(dt.date(2026, 1, 5), -1) == dt.date(2025, 12, 1)
    assert period_start(dt.date(2026, 11, 22), "quarterly") == dt.date(2026, 10, 1)
    assert periods_between(dt.date(2026, 2, 1), dt.date(2026, 11, 1), "quarterly") == [
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 10, 1),
    ]
