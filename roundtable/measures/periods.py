"""Periods of measures: a month, a quarter or a year, named by its first day.

Every period starts on the first day of a month, so figures of any frequency
can be built from monthly counts, and a figure is stored under its first day
(`MeasureValue.period_start`). Files and forms write periods as 2026-10
(monthly), 2026-Q4 (quarterly) or 2026 (yearly); `parse_period` reads them and
says precisely what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from roundtable.measures.models import Frequency

MONTHS_IN = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-01)?$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """A period written wrongly for the measure; the message says how to write it."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_start(day: dt.date, frequency: str) -> dt.date:
    """The first day of the period of `frequency` holding `day`."""
    if frequency == Frequency.ANNUAL:
        return dt.date(day.year, 1, 1)
    if frequency == Frequency.QUARTERLY:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def next_period(start: dt.date, frequency: str) -> dt.date:
    """The first day of the period after the one starting on `start`."""
    return add_months(start, MONTHS_IN[Frequency(frequency)])


def periods_between(first: dt.date, last: dt.date, frequency: str) -> list[dt.date]:
    """The starts of every period of `frequency` from the one holding `first` to
    the one holding `last`, oldest first."""
    out = []
    current = period_start(first, frequency)
    while current <= last:
        out.append(current)
        current = next_period(current, frequency)
    return out


def months_of(start: dt.date, frequency: str) -> list[dt.date]:
    """The first days of the months a period is made of."""
    return [add_months(start, k) for k in range(MONTHS_IN[Frequency(frequency)])]


def format_period(start: dt.date, frequency: str) -> str:
    """The period as files write it: 2026-10, 2026-Q4 or 2026."""
    if frequency == Frequency.ANNUAL:
        return f"{start.year}"
    if frequency == Frequency.QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def period_label(start: dt.date, frequency: str) -> str:
    """The period in words, in the reader's language: October 2026, Q4 2026, 2026."""
    if frequency == Frequency.ANNUAL:
        return str(start.year)
    if frequency == Frequency.QUARTERLY:
        return _("Q%(quarter)d %(year)d") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    return date_format(start, "YEAR_MONTH_FORMAT")


def example(frequency: str) -> str:
    return {Frequency.MONTHLY: "2026-10", Frequency.QUARTERLY: "2026-Q4"}.get(
        Frequency(frequency), "2026"
    )


def parse_period(text: str, frequency: str) -> dt.date:
    """The first day of the period `text` names, for a measure of `frequency`.

    Monthly measures take 2026-10 (or 2026-10-01); quarterly ones 2026-Q4 (or
    the first month of the quarter, 2026-10); yearly ones 2026 (or 2026-01).
    Raises PeriodError with a message that shows the expected form.
    """
    value = text.strip()
    frequency = Frequency(frequency)
    wanted = _("Write the period as %(example)s.") % {"example": example(frequency)}
    if not value:
        raise PeriodError(_("The period is missing.") + " " + wanted)
    start: dt.date | None = None
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(_("There is no month %(month)d.") % {"month": month} + " " + wanted)
        start = dt.date(year, month, 1)
        if period_start(start, frequency) != start:
            if frequency == Frequency.QUARTERLY:
                reason = _(
                    "This measure is quarterly and %(value)s is not a quarter's first month."
                )
            else:
                reason = _("This measure is yearly and %(value)s is not January.")
            raise PeriodError(reason % {"value": value} + " " + wanted)
    elif match := _QUARTER.match(value):
        if frequency != Frequency.QUARTERLY:
            raise PeriodError(_("This measure is not quarterly.") + " " + wanted)
        start = dt.date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
    elif match := _YEAR.match(value):
        if frequency != Frequency.ANNUAL:
            raise PeriodError(
                _("A year alone is a period of a yearly measure only.") + " " + wanted
            )
        start = dt.date(int(match[1]), 1, 1)
    else:
        raise PeriodError(_("%(value)s is not a period.") % {"value": value} + " " + wanted)
    if start.year < 1900:
        raise PeriodError(_("%(value)s is too long ago.") % {"value": value})
    return start
