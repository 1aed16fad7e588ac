"""The pack's month arithmetic (pure)."""

from __future__ import annotations

import datetime as dt

from roundtable.compstat import months


def test_months_parse_their_address_and_refuse_others():
    assert months.parse("2026-10") == dt.date(2026, 10, 1)
    assert months.parse("2026-13") is None
    assert months.parse("2026-1") is None
    assert months.key(dt.date(2026, 3, 1)) == "2026-03"


def test_months_shift_across_years_and_end_on_their_last_day():
    assert months.shift(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert months.shift(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)
    assert months.last_day(dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)


def test_a_months_figures_run_to_its_end_or_to_today():
    today = dt.date(2026, 11, 22)
    assert months.as_of(dt.date(2026, 10, 1), today) == dt.date(2026, 10, 31)
    assert months.as_of(dt.date(2026, 11, 1), today) == today
    assert months.has_ended(dt.date(2026, 10, 1), today)
    assert not months.has_ended(dt.date(2026, 11, 1), today)
    assert months.is_future(dt.date(2026, 12, 1), today)
    assert not months.is_future(dt.date(2026, 11, 1), today)
