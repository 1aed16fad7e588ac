"""Months as the meeting pack names them: "2026-10" in URLs, the first day in the database.

Pure date arithmetic (no Django): a pack covers one calendar month and is
computed as of the month's last day, or as of today while the month is still
running.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse(text: str) -> dt.date | None:
    """The first day of the month "YYYY-MM", or None when the text is not one."""
    found = _MONTH.match(text)
    if found is None:
        return None
    year, month = int(found[1]), int(found[2])
    if not (1 <= month <= 12 and year >= 1900):
        return None
    return dt.date(year, month, 1)


def key(month: dt.date) -> str:
    """ "YYYY-MM", the month's part of its permanent address."""
    return f"{month.year:04d}-{month.month:02d}"


def first_day(day: dt.date) -> dt.date:
    return day.replace(day=1)


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def shift(month: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or, negative, before) `month`."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def as_of(month: dt.date, today: dt.date) -> dt.date:
    """The day the pack's figures run to: the month's last day, or today within it."""
    return min(last_day(month), today)


def has_ended(month: dt.date, today: dt.date) -> bool:
    return last_day(month) < today


def is_future(month: dt.date, today: dt.date) -> bool:
    return month > first_day(today)
