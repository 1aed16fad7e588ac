"""The rotation check in words and tables, and its suggestion as a link.

The counting is `analytics.rotation`'s; this module only names things (weekday
names, "evening", area names, language names) in the active language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.analytics.rotation import AFTERNOON, EVENING, MORNING, Dimension
from roundtable.engagement.languages import language_label
from roundtable.engagement.selectors import RotationReport

TIME_LABELS = {
    MORNING: gettext_lazy("morning (before noon)"),
    AFTERNOON: gettext_lazy("afternoon (noon to 5 pm)"),
    EVENING: gettext_lazy("evening (from 5 pm)"),
}
TIME_WORDS = {
    MORNING: gettext_lazy("morning"),
    AFTERNOON: gettext_lazy("afternoon"),
    EVENING: gettext_lazy("evening"),
}
# Where a suggested meeting starts and how long it lasts.
SUGGESTED_START = {MORNING: dt.time(10, 0), AFTERNOON: dt.time(14, 0), EVENING: dt.time(18, 30)}
SUGGESTED_LENGTH = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    missing: bool


@dataclass(frozen=True)
class Table:
    title: str
    heading: str
    rows: list[Row]


def _rows(dimension: Dimension, label: Mapping[Any, str]) -> list[Row]:
    missing = set(dimension.missing)
    return [
        Row(label=label.get(key, str(key)), count=count, missing=key in missing)
        for key, count in dimension.counts
    ]


def rotation_rows(report: RotationReport) -> list[Table]:
    result = report.result
    languages = {key: language_label(str(key)) for key, _count in result.languages.counts}
    return [
        Table(
            _("Weekdays"),
            _("Weekday"),
            _rows(result.weekdays, {k: str(v) for k, v in WEEKDAYS.items()}),
        ),
        Table(
            _("Times of day"),
            _("Time of day"),
            _rows(result.times, {k: str(v) for k, v in TIME_LABELS.items()}),
        ),
        Table(
            _("Areas"),
            _("Area"),
            _rows(result.areas, report.area_names),
        ),
        Table(_("Languages"), _("Language"), _rows(result.languages, languages)),
    ]


def suggestion_words(report: RotationReport) -> str:
    """ "Next: a Tuesday evening meeting in Eastbank, in Spanish"."""
    suggestion = report.result.suggestion
    words = {
        "weekday": str(WEEKDAYS[suggestion.weekday]),
        "time": str(TIME_WORDS[suggestion.time_of_day]),
    }
    if suggestion.area is not None:
        words["area"] = report.area_names.get(suggestion.area, suggestion.area)
    if suggestion.language is not None:
        words["language"] = language_label(suggestion.language)
    if "area" in words and "language" in words:
        return _("Next: a %(weekday)s %(time)s meeting in %(area)s, in %(language)s") % words
    if "area" in words:
        return _("Next: a %(weekday)s %(time)s meeting in %(area)s") % words
    if "language" in words:
        return _("Next: a %(weekday)s %(time)s meeting, in %(language)s") % words
    return _("Next: a %(weekday)s %(time)s meeting") % words


def next_weekday(today: dt.date, weekday: int) -> dt.date:
    """The first `weekday` after today (a week on when today is that day)."""
    return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def suggestion_query(report: RotationReport, *, today: dt.date) -> str:
    """GET parameters that prefill the event form with the suggestion."""
    suggestion = report.result.suggestion
    day = next_weekday(today, suggestion.weekday)
    starts = dt.datetime.combine(day, SUGGESTED_START[suggestion.time_of_day])
    ends = starts + SUGGESTED_LENGTH
    params: list[tuple[str, str]] = [
        ("starts_at", starts.strftime("%Y-%m-%dT%H:%M")),
        ("ends_at", ends.strftime("%Y-%m-%dT%H:%M")),
    ]
    if suggestion.area is not None:
        params.append(("area", suggestion.area))
    if suggestion.language is not None:
        params.append(("languages", suggestion.language))
    return urlencode(params)
