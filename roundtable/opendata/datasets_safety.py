"""Open data of incidents: the public period report by area, the public hot-spot
grid, and the boundaries of the areas they are counted in.

Each is the public page's own selector (`incidents.selectors_public.public_report`,
`selectors_layers.hotspot_layer(public=True)`, `selectors_geo.areas_geojson` for
the kind of area the public report uses), so the file holds what the safety
pages show: sensitive offences never counted, small counts withheld with
complementary suppression, hot-spot cells on the coarse public grid with count
bands rather than counts, and no point, block or address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.incidents import selectors_geo, selectors_public
from roundtable.incidents.models import AreaBoundary, Incident
from roundtable.incidents.selectors_layers import hotspot_layer
from roundtable.incidents.selectors_report import default_as_of
from roundtable.opendata.dataset import (
    ALL_AREAS,
    BOOLEAN,
    DATE,
    GEOMETRY,
    INTEGER,
    NUMBER,
    STRING,
    Dataset,
    Field,
    Row,
    iso,
)

# The public map's default: every crime (sensitive offences left out) over the
# year up to the latest incident, so this file and the map share one cached layer.
HOTSPOT_OFFENCE = "crimes"
HOTSPOT_DAYS = 364

PERIOD_NAMES: dict[str, Promise] = {"28d": _("Last 28 days"), "ytd": _("Year to date")}
FINDINGS: dict[int, Promise] = {
    # xgettext:no-python-format
    3: _("Hot spot, 99 % confidence"),
    # xgettext:no-python-format
    2: _("Hot spot, 95 % confidence"),
    # xgettext:no-python-format
    1: _("Hot spot, 90 % confidence"),
    0: _("Not significant"),
    # xgettext:no-python-format
    -1: _("Cold spot, 90 % confidence"),
    # xgettext:no-python-format
    -2: _("Cold spot, 95 % confidence"),
    # xgettext:no-python-format
    -3: _("Cold spot, 99 % confidence"),
}


def incident_rows(agency: Agency) -> list[Row]:
    report = selectors_public.public_report(agency=agency)
    periods = {p.key: p for p in report.periods}
    rows = []
    for unit in report.units:
        area_id = unit.area.slug if unit.area is not None else ALL_AREAS
        for row in unit.rows:
            for cell in row.cells:
                period = periods[cell.period]
                change = cell.change
                rows.append(
                    {
                        "id": f"{area_id}/{row.key}/{cell.period}",
                        "area": "" if unit.area is None else unit.area.slug,
                        "area_name": unit.name,
                        "offence": row.key,
                        "offence_label": row.label,
                        "is_group": row.is_group,
                        "period": cell.period,
                        "period_name": str(PERIOD_NAMES.get(cell.period, cell.period)),
                        "start": iso(period.start),
                        "end": iso(period.end),
                        "prior_start": iso(period.prior_start),
                        "prior_end": iso(period.prior_end),
                        "current": cell.current,
                        "prior": cell.prior,
                        "change_percent": None
                        if change is None or change.percent is None
                        else round(change.percent, 1),
                        "significant": None if change is None else change.significant,
                        "direction": None if change is None else change.direction,
                    }
                )
    return rows


def incidents_updated(agency: Agency) -> dt.date | None:
    found = Incident.objects.filter(agency=agency).aggregate(latest=Max("updated_at"))["latest"]
    return None if found is None else timezone.localdate(found)


def hotspot_since(agency: Agency) -> dt.date:
    return default_as_of(agency, public=True) - dt.timedelta(days=HOTSPOT_DAYS)


def public_hotspots(agency: Agency) -> dict[str, Any]:
    """The public hot-spot layer as the public map shows it by default (cached there)."""
    return hotspot_layer(agency, offence=HOTSPOT_OFFENCE, since=hotspot_since(agency), public=True)


def hotspot_rows(agency: Agency) -> list[Row]:
    since = hotspot_since(agency)
    rows = []
    for feature in public_hotspots(agency).get("features", []):
        properties = feature["properties"]
        band = properties.get("band")
        rows.append(
            {
                "id": str(properties["h3"]),
                "bin": int(properties["bin"]),
                "finding": str(FINDINGS.get(int(properties["bin"]), "")),
                "incidents_at_least": None if band is None else band[0],
                "incidents_at_most": None if band is None else band[1],
                "since": iso(since),
                GEOMETRY: feature["geometry"],
            }
        )
    return rows


def area_rows(agency: Agency) -> list[Row]:
    kind = selectors_public.public_kind(agency)
    if kind is None:
        return []
    collection = selectors_geo.areas_geojson(agency, kinds=[kind])
    return [
        {
            "id": str(feature["properties"]["slug"]),
            "name": feature["properties"]["name"],
            "kind": feature["properties"]["kind"],
            "kind_label": str(Area.Kind(feature["properties"]["kind"]).label),
            "square_km": feature["properties"]["square_km"],
            GEOMETRY: feature["geometry"],
        }
        for feature in collection["features"]
    ]


def areas_updated(agency: Agency) -> dt.date | None:
    found = AreaBoundary.objects.filter(area__agency=agency).aggregate(latest=Max("updated_at"))[
        "latest"
    ]
    return None if found is None else timezone.localdate(found)


AREA = _("Short name of the area (empty: the whole jurisdiction); see the areas dataset.")

INCIDENTS = Dataset(
    key="incidents-by-area",
    title=_("Incidents by area"),
    description=_(
        "Incidents in the last 28 days and the year to date against the same periods a "
        "year earlier, for the whole jurisdiction and each public area, by group and offence. "
        "Sexual offences, domestic violence and offences against children are never counted "
        "here; small counts are withheld, and so are the figures that would give them away."
    ),
    fields=(
        Field("id", STRING, _("Stable identifier: <area short name, or all>/<offence>/<period>.")),
        Field("area", STRING, AREA),
        Field("area_name", STRING, _("Name of the area, or of the agency for the whole.")),
        Field("offence", STRING, _("Key of the offence or group of offences.")),
        Field("offence_label", STRING, _("The offence or group in words.")),
        Field("is_group", BOOLEAN, _("True for a group of offences (all crimes, property …).")),
        Field("period", STRING, _("28d (the last 28 days) or ytd (the year to date).")),
        Field("period_name", STRING, _("The period in words.")),
        Field("start", DATE, _("First day of the period.")),
        Field("end", DATE, _("Last day of the period: the latest day with incident data.")),
        Field("prior_start", DATE, _("First day of the same period a year earlier.")),
        Field("prior_end", DATE, _("Last day of the same period a year earlier.")),
        Field(
            "current",
            INTEGER,
            _("Incidents in the period (empty: withheld)."),
            unit=_("incidents"),
            count="count",
        ),
        Field(
            "prior",
            INTEGER,
            _("Incidents in the same period a year earlier (empty: withheld)."),
            unit=_("incidents"),
            count="count",
        ),
        Field(
            "change_percent",
            NUMBER,
            _("Change from a year earlier, in percent (empty: withheld or no prior incidents)."),
            unit=_("percent"),
        ),
        Field(
            "significant",
            BOOLEAN,
            _("Whether the change is more than chance, by the exact Poisson test at 5 %."),
        ),
        Field("direction", STRING, _("up, down or flat.")),
    ),
    build=incident_rows,
    updated=incidents_updated,
)

HOTSPOTS = Dataset(
    key="hotspots",
    title=_("Hot spots"),
    description=_(
        "Hexagon cells of the public map (H3, the coarse public resolution) where crimes "
        "over the last year cluster more or less than chance would explain (Getis–Ord Gi*), "
        "or that hold at least the minimum number of incidents. Counts are given as bands, "
        "and cells with few incidents as no band at all."
    ),
    fields=(
        Field("id", STRING, _("The H3 cell index: stable, and itself a place on the globe.")),
        Field(
            "bin",
            INTEGER,
            _("From 3 (hot spot, 99 % confidence) to −3 (cold spot, 99 %); 0: not significant."),
        ),
        Field("finding", STRING, _("The bin in words.")),
        Field(
            "incidents_at_least",
            INTEGER,
            _("Lower end of the band of incidents in the cell (empty: fewer than the minimum)."),
            unit=_("incidents"),
            count="count",
        ),
        Field(
            "incidents_at_most",
            INTEGER,
            _("Upper end of the band (empty: no upper end, or no band)."),
            unit=_("incidents"),
            count="count",
        ),
        Field("since", DATE, _("First day of the incidents counted.")),
    ),
    build=hotspot_rows,
    updated=incidents_updated,
    geometry=True,
)

AREAS = Dataset(
    key="areas",
    title=_("Areas"),
    description=_(
        "The boundaries of the areas the public figures are given for (districts when the "
        "agency has them), simplified for display."
    ),
    fields=(
        Field("id", STRING, _("The area's short name: stable, and used by the other datasets.")),
        Field("name", STRING, _("Name of the area.")),
        Field("kind", STRING, _("district, beat, neighbourhood, campus or other.")),
        Field("kind_label", STRING, _("The kind of area in words.")),
        Field("square_km", NUMBER, _("Surface of the area."), unit=_("km²")),
    ),
    build=area_rows,
    updated=areas_updated,
    geometry=True,
)
