"""Reads for the staff incident pages: data freshness, import runs, the perception table.

The period report and the weekly trend are in `selectors_report`, the public
report in `selectors_public`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import shapely
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from shapely.geometry import shape

from roundtable.agencies.models import Agency, Area
from roundtable.incidents.models import (
    AreaBoundary,
    ImportRun,
    Incident,
    IncidentArea,
    SentimentScore,
)
from roundtable.inputs.models import Input

RECENT_RUNS = 5
PERCEPTION_MONTHS = 12


@dataclass(frozen=True)
class Freshness:
    count: int
    first: dt.date | None
    latest: dt.date | None
    located: int
    sensitive: int
    last_import: ImportRun | None


def freshness(*, agency: Agency) -> Freshness:
    """How much incident data there is, how recent, and the last import that finished."""
    figures = Incident.objects.filter(agency=agency).aggregate(
        count=Count("pk"),
        first=Min("occurred_on"),
        latest=Max("occurred_on"),
        located=Count("pk", filter=Q(location=Incident.Location.OK)),
        sensitive=Count("pk", filter=Q(sensitive=True)),
    )
    last_import = (
        ImportRun.objects.filter(
            agency=agency, kind=ImportRun.Kind.INCIDENTS, status=ImportRun.Status.DONE
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return Freshness(
        count=figures["count"],
        first=figures["first"],
        latest=figures["latest"],
        located=figures["located"],
        sensitive=figures["sensitive"],
        last_import=last_import,
    )


def import_runs(*, agency: Agency, limit: int | None = None) -> QuerySet[ImportRun]:
    """The agency's imports of every kind, newest first, with who started them."""
    runs = ImportRun.objects.filter(agency=agency).select_related("started_by")
    return runs[:limit] if limit is not None else runs


def import_run(*, agency: Agency, pk: int) -> ImportRun:
    """One import run of this agency (DoesNotExist for another agency's)."""
    return ImportRun.objects.select_related("started_by").get(agency=agency, pk=pk)


def latest_import_id(*, agency: Agency) -> int:
    """The id of the agency's latest finished incident import (0 when none): a cache key part."""
    latest = (
        ImportRun.objects.filter(agency=agency, kind=ImportRun.Kind.INCIDENTS)
        .filter(status=ImportRun.Status.DONE)
        .aggregate(latest=Max("pk"))["latest"]
    )
    return int(latest or 0)


# --- perception ---------------------------------------------------------------


@dataclass(frozen=True)
class PerceptionRow:
    area: Area
    month: dt.date  # first day of the month
    incidents: int
    per_km2: float | None  # None when the area has no boundary
    safety: float | None
    trust: float | None
    # Whether the scores are the agency-wide ones, the area having none for that month.
    agency_wide_score: bool
    score_unit: str
    inputs: int


def _month_starts(as_of: dt.date, months: int) -> list[dt.date]:
    first = as_of.replace(day=1)
    starts = [first]
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        starts.append(first)
    return sorted(starts)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# The sentiment import's unit for the series' city level (services_sentiment).
AGENCY_WIDE_UNIT = "city"


def perception_table(
    *,
    agency: Agency,
    as_of: dt.date,
    months: int = PERCEPTION_MONTHS,
    kind: str | None = None,
) -> list[PerceptionRow]:
    """Per area and month: incidents and their rate per km², survey safety and
    trust, and inputs received. Four queries whatever the number of areas."""
    month_starts = _month_starts(as_of, months)
    start, end = month_starts[0], as_of
    areas_qs = (
        Area.objects.filter(agency=agency).select_related("boundary").order_by("kind", "name")
    )
    if kind:
        areas_qs = areas_qs.filter(kind=kind)
    areas = list(areas_qs)
    incident_counts = {
        (row["area_id"], _as_date(row["month"])): row["n"]
        for row in IncidentArea.objects.filter(
            area__agency=agency,
            incident__agency=agency,
            incident__occurred_on__gte=start,
            incident__occurred_on__lte=end,
        )
        .annotate(month=TruncMonth("incident__occurred_on"))
        .order_by()
        .values("area_id", "month")
        .annotate(n=Count("incident_id"))
    }
    input_counts = {
        (row["area_id"], _as_date(row["month"])): row["n"]
        for row in Input.objects.filter(
            agency=agency,
            area__isnull=False,
            received_at__date__gte=start,
            received_at__date__lte=end,
        )
        .annotate(month=TruncMonth("received_at"))
        .order_by()
        .values("area_id", "month")
        .annotate(n=Count("pk"))
    }
    by_area: dict[tuple[int, dt.date], SentimentScore] = {}
    agency_wide: dict[dt.date, SentimentScore] = {}
    for found in SentimentScore.objects.filter(
        agency=agency, period_start__gte=start, period_start__lte=end
    ).order_by("period_start", "pk"):
        month = found.period_start.replace(day=1)
        if found.area_id is not None:
            by_area.setdefault((found.area_id, month), found)
        elif found.unit == AGENCY_WIDE_UNIT:
            agency_wide.setdefault(month, found)

    rows = []
    for area in areas:
        boundary = getattr(area, "boundary", None)
        square_km = boundary.square_km if boundary is not None else None
        for month in month_starts:
            count = incident_counts.get((area.pk, month), 0)
            own = by_area.get((area.pk, month))
            score = own if own is not None else agency_wide.get(month)
            wide = own is None
            rows.append(
                PerceptionRow(
                    area=area,
                    month=month,
                    incidents=count,
                    per_km2=count / square_km if square_km else None,
                    safety=score.safety if score is not None else None,
                    trust=score.trust if score is not None else None,
                    agency_wide_score=wide and score is not None,
                    score_unit=score.unit if score is not None else "",
                    inputs=input_counts.get((area.pk, month), 0),
                )
            )
    return rows


def perception_kinds(agency: Agency) -> list[tuple[str, str]]:
    """The kinds of area the agency has, for the perception page's picker."""
    kinds = set(Area.objects.filter(agency=agency).values_list("kind", flat=True))
    return [(k.value, str(k.label)) for k in Area.Kind if k.value in kinds] or [
        ("", _("No areas yet"))
    ]


def area_names_at(
    agency: Agency, centres: list[tuple[float, float]], *, kind: str | None = None
) -> list[list[str]]:
    """For each (lat, lon), the names of the agency's areas (of `kind`, if given)
    that contain it: the words a table gives a map cell. One query."""
    if not centres:
        return []
    boundaries = AreaBoundary.objects.filter(area__agency=agency).select_related("area")
    if kind:
        boundaries = boundaries.filter(area__kind=kind)
    outlines = [(b.area.name, shape(b.geometry)) for b in boundaries.order_by("area__name")]
    points = shapely.points([(lon, lat) for lat, lon in centres])
    names: list[list[str]] = [[] for _c in centres]
    for name, outline in outlines:
        inside = shapely.contains(outline, points)
        for i in inside.nonzero()[0]:
            names[int(i)].append(name)
    return names
