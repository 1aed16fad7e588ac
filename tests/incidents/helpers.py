"""Shared makers for the incident page tests: incidents with consistent derived
fields, placed in areas without running point-in-polygon."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.incidents import offences
from roundtable.incidents.models import Incident, IncidentArea
from tests.factories import IncidentFactory

# A Thursday; CompStat's week to date then holds Monday..Thursday.
AS_OF = dt.date(2024, 3, 14)


def incident(
    agency: Agency,
    day: dt.date,
    offence: str = "theft",
    *,
    areas: tuple[Area, ...] = (),
    sensitive: bool | None = None,
    **extra: object,
) -> Incident:
    common = offences.offence(offence)
    made = IncidentFactory.create(
        agency=agency,
        occurred_on=day,
        occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
        offence=offence,
        against=common.against.value,
        crime_group=common.group.value,
        sensitive=common.sensitive if sensitive is None else sensitive,
        **extra,
    )
    for area in areas:
        IncidentArea.objects.create(incident=made, area=area)
    return made


def many(
    agency: Agency, day: dt.date, n: int, offence: str = "theft", **kwargs: object
) -> list[Incident]:
    return [incident(agency, day, offence, **kwargs) for _i in range(n)]  # type: ignore[arg-type]
