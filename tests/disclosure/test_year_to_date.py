"""A month the measures withhold must not come back from the public safety
report's year to date: the reader holds the incidents-by-area dataset (year to
date, overall and per area) and the measure-values dataset (monthly crimes,
overall and per area), and knows how they add up. January's 3 crimes stay
anywhere in a range at least as wide as the small range itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from roundtable.measures.services import measure_choose, measures_refresh
from tests.disclosure.attacker import feasible_range
from tests.factories import AreaFactory, IncidentFactory
from tests.opendata.helpers import api_rows

pytestmark = pytest.mark.django_db

YEAR = 2026  # the data end in March: the report's year to date is January to March
PLAN = {  # (area, month): crimes
    ("east", 1): 3,
    ("east", 2): 11,
    ("east", 3): 9,
    ("west", 1): 0,
    ("west", 2): 9,
    ("west", 3): 11,
}


def _crimes(agency: Any) -> None:
    areas = {
        "east": AreaFactory.create(agency=agency, name="Eastgate", slug="east"),
        "west": AreaFactory.create(agency=agency, name="Westbank", slug="west"),
    }
    for (area, month), n in PLAN.items():
        for i in range(n):
            day = dt.date(YEAR, month, 1 + i % 27)
            at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12))
            incident = IncidentFactory.create(agency=agency, occurred_at=at, occurred_on=day)
            incident.areas.add(areas[area])


def test_a_withheld_month_is_not_the_year_to_date_minus_the_others(client, agency, casey, settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    cache.clear()
    _crimes(agency)
    measure_choose(actor=casey, agency=agency, catalogue_key="all_crime", by_area=True)
    measures_refresh(agency=agency, today=dt.date(YEAR, 11, 22))

    published: dict[tuple[str, ...], int | None] = {}
    for row in api_rows(client, agency, "measure-values"):
        if row["measure"] == "all_crime" and row["period_start"].startswith(str(YEAR)):
            month = row["period_start"][:7]
            value = row["value"]
            published[("month", row["area"], month)] = None if value is None else round(value)
    ytd_rows = [
        r
        for r in api_rows(client, agency, "incidents-by-area")
        if r["offence"] == "crimes" and r["period"] == "ytd"
    ]
    assert ytd_rows and all(r["start"] == f"{YEAR}-01-01" for r in ytd_rows)
    relations: list[tuple[Any, list[Any]]] = []
    months = [f"{YEAR}-0{m}" for m in (1, 2, 3)]
    for row in ytd_rows:
        if row["current"] is None:
            continue
        published[("ytd", row["area"])] = row["current"]
        relations.append((("ytd", row["area"]), [("month", row["area"], m) for m in months]))
    for month in months:  # every crime lies in one of the two areas
        relations.append((("month", "", month), [("month", a, month) for a in ("east", "west")]))
    for key in [k for rel in relations for k in (rel[0], *rel[1])]:
        assert key in published, key

    assert published[("month", "", f"{YEAR}-01")] is None
    assert published[("month", "east", f"{YEAR}-01")] is None
    assert ("ytd", "") in published  # the report does publish the year to date
    for target in (("month", "", f"{YEAR}-01"), ("month", "east", f"{YEAR}-01")):
        low, high = feasible_range(published, relations, target)
        assert high - low >= 5 - 2, (target, low, high)
