"""Rotation check: do the agency's meetings reach people at different times and places?

Pure Python, no Django. The selector turns the last twelve months of held or
scheduled meetings (not cancelled ones, nor one-to-one scanning interviews,
which meet one person when it suits them) into `Meeting` values (weekday and
start hour in local time, area key, languages) and names the universe: every
area of the agency and every language it should reach. This module counts and
suggests.

Method
------
Meetings held always on the same weekday evening, in the same district and in
English, hear only from the people free and able to come then (the
self-selection the community-policing literature warns about; see the COPS
Office, "Community Policing Defined", 2014, on reaching all community
members). Rotation spreads meetings over four dimensions:

- weekday (Monday = 0 … Sunday = 6),
- time of day from the local start hour: morning (< 12), afternoon (12–16),
  evening (≥ 17),
- area (a meeting without an area — agency-wide or online only — counts for
  no area),
- language (a meeting counts once for each language offered).

For each dimension the coverage is the number of meetings per value of the
universe; a value with zero meetings is *missing*. Meetings whose area or
language is outside the universe are still counted and shown, but never
suggested.

The suggestion picks, independently in each dimension, the value of the
universe with the fewest meetings. A value never used has count zero, so
missing values are always preferred; when nothing is missing the least-covered
value is picked. Ties are broken deterministically by the order of the
universe as given: weekdays Monday to Sunday, times morning → afternoon →
evening, areas and languages in the order the caller passes them (the
selector sorts areas by name and lists the agency's interface languages first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WEEKDAYS = tuple(range(7))
MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
TIMES_OF_DAY = (MORNING, AFTERNOON, EVENING)
AFTERNOON_FROM = 12
EVENING_FROM = 17


@dataclass(frozen=True)
class Meeting:
    weekday: int
    hour: int
    area: str | None = None
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dimension:
    """Meetings per value, in the universe's order (values outside it last)."""

    counts: tuple[tuple[str | int, int], ...]
    missing: tuple[str | int, ...]
    least: str | int | None


@dataclass(frozen=True)
class Suggestion:
    weekday: int
    time_of_day: str
    area: str | None
    language: str | None


@dataclass(frozen=True)
class Rotation:
    meetings: int
    weekdays: Dimension
    times: Dimension
    areas: Dimension
    languages: Dimension
    suggestion: Suggestion


def time_of_day(hour: int) -> str:
    if not 0 <= hour <= 23:
        raise ValueError(f"hour out of range: {hour}")
    if hour < AFTERNOON_FROM:
        return MORNING
    if hour < EVENING_FROM:
        return AFTERNOON
    return EVENING


def _dimension(values: Iterable[str | int], universe: Sequence[str | int]) -> Dimension:
    counts: dict[str | int, int] = dict.fromkeys(universe, 0)
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    missing = tuple(value for value in universe if counts[value] == 0)
    # min() keeps the first of equal values: the universe's order breaks ties.
    least = min(universe, key=lambda value: counts[value]) if universe else None
    return Dimension(counts=tuple(counts.items()), missing=missing, least=least)


def rotation(
    meetings: Iterable[Meeting], *, areas: Sequence[str], languages: Sequence[str]
) -> Rotation:
    """Coverage of `meetings` over weekday, time of day, `areas` and `languages`,
    and a suggestion for the next meeting (see the module docstring)."""
    meetings = list(meetings)
    for meeting in meetings:
        if meeting.weekday not in WEEKDAYS:
            raise ValueError(f"weekday out of range: {meeting.weekday}")
    area_universe = list(dict.fromkeys(areas))
    language_universe = list(dict.fromkeys(languages))
    weekdays = _dimension((m.weekday for m in meetings), WEEKDAYS)
    times = _dimension((time_of_day(m.hour) for m in meetings), TIMES_OF_DAY)
    area_dim = _dimension((m.area for m in meetings if m.area is not None), area_universe)
    language_dim = _dimension(
        (code for m in meetings for code in dict.fromkeys(m.languages)), language_universe
    )
    assert isinstance(weekdays.least, int)
    assert isinstance(times.least, str)
    suggestion = Suggestion(
        weekday=weekdays.least,
        time_of_day=times.least,
        area=str(area_dim.least) if area_dim.least is not None else None,
        language=str(language_dim.least) if language_dim.least is not None else None,
    )
    return Rotation(
        meetings=len(meetings),
        weekdays=weekdays,
        times=times,
        areas=area_dim,
        languages=language_dim,
        suggestion=suggestion,
    )
