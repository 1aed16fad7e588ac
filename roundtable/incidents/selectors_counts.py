"""Counting incidents by offence filter, area and dates: the one ORM translation of
`offences.matches`, shared by the reports, the worksheet and assessments.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from roundtable.agencies.models import Agency, Area
from roundtable.incidents import offences
from roundtable.incidents.models import Incident


def offence_q(filter_name: str) -> Q:
    """The filter on an incident's primary offence, as `offences.matches` reads it."""
    offences.check_filter(filter_name)
    if filter_name == "all":
        return Q()
    if filter_name == "crimes":
        return ~Q(against=offences.Against.NONE)
    if filter_name.startswith("against-"):
        return Q(against=filter_name.removeprefix("against-"))
    if filter_name == "violent":
        return Q(crime_group=offences.Group.VIOLENT)
    if filter_name == "property-crime":
        return Q(crime_group=offences.Group.PROPERTY)
    return Q(offence=filter_name)


def incidents_in(
    agency: Agency,
    *,
    offence: str = "all",
    area: Area | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    public: bool = False,
) -> QuerySet[Incident]:
    """The agency's incidents under a filter, in an area, between two dates (inclusive).

    `public` leaves out sensitive incidents (sexual offences, domestic violence,
    offences against children), which no public figure counts.
    """
    qs = Incident.objects.filter(offence_q(offence), agency=agency)
    if area is not None:
        qs = qs.filter(areas=area)
    if start is not None:
        qs = qs.filter(occurred_on__gte=start)
    if end is not None:
        qs = qs.filter(occurred_on__lte=end)
    if public:
        qs = qs.filter(sensitive=False)
    return qs


def count_incidents(
    agency: Agency,
    *,
    offence: str = "all",
    area: Area | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    public: bool = False,
) -> int:
    return incidents_in(
        agency, offence=offence, area=area, start=start, end=end, public=public
    ).count()


def has_incidents(agency: Agency) -> bool:
    return Incident.objects.filter(agency=agency).exists()
