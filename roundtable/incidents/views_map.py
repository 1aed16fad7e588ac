"""The staff incident map: areas, hot spots, emerging hot spots, density and points.

The page is a filter form, a Leaflet map (static/incidents/incident-map.js reads
the layer addresses from data- attributes) and, as the way without JavaScript,
a table of the strongest hot-spot cells. Each layer is its own GeoJSON address.
Hot spots, emerging hot spots and density take seconds on a large agency, so
their GeoJSON is cached per (agency, layer, filter, latest import run): a new
import makes a new key, and nothing is computed twice for the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roundtable.accounts.access import INCIDENT_VIEWERS, agency_view
from roundtable.agencies.models import Agency
from roundtable.incidents import selectors, selectors_geo, selectors_report
from roundtable.incidents.forms import MapForm
from roundtable.incidents.labels import offence_filter_label
from roundtable.incidents.selectors_counts import incidents_in

# Incident points sent to the browser at most: newest first.
POINTS_CAP = 5000
# Hot-spot cells in the table under the map.
TABLE_CELLS = 20
LAYER_TIMEOUT = 24 * 3600
EMERGING_BINS = "week"
EMERGING_PERIODS = 26
STAFF_LAYERS = ("areas", "hotspots", "emerging", "density", "points")


def map_filter(
    request: HttpRequest, agency: Agency, *, public: bool
) -> tuple[MapForm, str, dt.date]:
    """The offence filter and start day: a year of data up to the latest incident by
    default, and always for the public (see MapForm)."""
    form = MapForm(request.GET or None, public=public)
    offence, since = "crimes", None
    if form.is_bound and form.is_valid():
        offence = form.cleaned_data["offence"]
        since = form.cleaned_data.get("since")  # the public form has none
    if since is None:
        since = selectors_report.default_as_of(agency, public=public) - dt.timedelta(days=364)
    return form, offence, since


def cached_layer(
    agency: Agency,
    layer: str,
    *,
    offence: str,
    since: dt.date,
    public: bool,
    compute: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    run_id = selectors.latest_import_id(agency=agency)
    key = (
        f"incidents:layer:{agency.pk}:{layer}:{offence}:{since.isoformat()}:{int(public)}:{run_id}"
    )
    value: dict[str, Any] | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, LAYER_TIMEOUT)
    return value


def hotspot_layer(agency: Agency, *, offence: str, since: dt.date, public: bool) -> dict[str, Any]:
    from roundtable.incidents import hotspots

    def compute() -> dict[str, Any]:
        points = hotspots.points_for_agency(agency, offence=offence, since=since, public=public)
        result = hotspots.hotspot_cells(
            points,
            resolution=(
                settings.ROUNDTABLE_HOTSPOT_PUBLIC_RESOLUTION
                if public
                else settings.ROUNDTABLE_HOTSPOT_RESOLUTION
            ),
            k=settings.ROUNDTABLE_HOTSPOT_K,
            permutations=settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS,
        )
        return hotspots.hotspot_geojson(result, public=public)

    return cached_layer(
        agency, "hotspots", offence=offence, since=since, public=public, compute=compute
    )


def density_layer(agency: Agency, *, offence: str, since: dt.date, public: bool) -> dict[str, Any]:
    from roundtable.incidents import hotspots

    return cached_layer(
        agency,
        "density",
        offence=offence,
        since=since,
        public=public,
        compute=lambda: hotspots.density_for_agency(
            agency, offence=offence, since=since, public=public
        ),
    )


def emerging_layer(agency: Agency, *, offence: str, since: dt.date) -> dict[str, Any]:
    from roundtable.incidents import hotspots

    return cached_layer(
        agency,
        "emerging",
        offence=offence,
        since=since,
        public=False,
        compute=lambda: hotspots.emerging_for_agency(
            agency,
            offence=offence,
            bins=EMERGING_BINS,
            periods=EMERGING_PERIODS,
            resolution=settings.ROUNDTABLE_HOTSPOT_RESOLUTION,
            k=settings.ROUNDTABLE_HOTSPOT_K,
        ),
    )


def points_layer(agency: Agency, *, offence: str, since: dt.date) -> dict[str, Any]:
    """Staff only: located incidents (sensitive ones included and marked), newest first, capped."""
    rows = (
        incidents_in(agency, offence=offence, start=since)
        .filter(location="ok")
        .order_by("-occurred_at", "-pk")
        .values_list(
            "pk", "source_id", "occurred_on", "offence", "sensitive", "latitude", "longitude"
        )[:POINTS_CAP]
    )
    features = [
        {
            "type": "Feature",
            "id": pk,
            "properties": {
                "source_id": source_id,
                "date": day.isoformat(),
                "offence": offence_filter_label(code),
                "sensitive": sensitive,
            },
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
        for pk, source_id, day, code, sensitive, lat, lon in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def top_cells(geojson: dict[str, Any], *, limit: int = TABLE_CELLS) -> list[dict[str, Any]]:
    """The hot-spot cells with a confidence bin, hottest first, then the coldest."""
    cells = [f["properties"] for f in geojson.get("features", []) if f["properties"].get("bin")]
    # The public layer has no z (see hotspots.hotspot_geojson): its cells rank by bin alone.
    hot = sorted((c for c in cells if c["bin"] > 0), key=lambda c: (-c["bin"], -c.get("z", 0.0)))
    cold = sorted((c for c in cells if c["bin"] < 0), key=lambda c: (c["bin"], c.get("z", 0.0)))
    return (hot + cold)[:limit]


def hot_cells_table(
    agency: Agency, hot: dict[str, Any], *, offence: str, since: dt.date, public: bool
) -> list[dict[str, Any]]:
    """The table under the map, cached with the layer: naming the areas of each
    cell reads every boundary, which takes a second on a city's 300 beats."""
    kind = None
    if public:
        from roundtable.incidents.selectors_public import public_kind

        kind = public_kind(agency)

    def compute() -> dict[str, Any]:
        cells = top_cells(hot)
        import h3

        names = selectors.area_names_at(
            agency, [h3.cell_to_latlng(str(c["h3"])) for c in cells], kind=kind
        )
        return {"cells": [{**c, "areas": n} for c, n in zip(cells, names, strict=True)]}

    table = cached_layer(
        agency,
        f"hotspot-table-{kind}",
        offence=offence,
        since=since,
        public=public,
        compute=compute,
    )
    cells: list[dict[str, Any]] = table["cells"]
    return cells


@require_GET
@agency_view(INCIDENT_VIEWERS)
def incident_map(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Staff map with every layer, and the table of hot-spot cells without JavaScript."""
    form, offence, since = map_filter(request, agency, public=False)
    hot = hotspot_layer(agency, offence=offence, since=since, public=False)
    context = {
        "agency": agency,
        "form": form,
        "offence": offence,
        "offence_label": offence_filter_label(offence),
        "since": since,
        "cells": hot_cells_table(agency, hot, offence=offence, since=since, public=False),
        "points_cap": POINTS_CAP,
        "query": f"offence={offence}&since={since.isoformat()}",
        "kinds": selectors_geo.boundary_kinds(agency),
    }
    return render(request, "incidents/map.html", context)


@require_GET
@agency_view(INCIDENT_VIEWERS)
def map_layer(request: HttpRequest, agency: Agency, layer: str) -> JsonResponse:
    """One layer of the staff map as GeoJSON."""
    if layer not in STAFF_LAYERS:
        raise Http404
    _form, offence, since = map_filter(request, agency, public=False)
    if layer == "areas":
        data = selectors_geo.areas_geojson(agency)
    elif layer == "hotspots":
        data = hotspot_layer(agency, offence=offence, since=since, public=False)
    elif layer == "emerging":
        data = emerging_layer(agency, offence=offence, since=since)
    elif layer == "density":
        data = density_layer(agency, offence=offence, since=since, public=False)
    else:
        data = points_layer(agency, offence=offence, since=since)
    return JsonResponse(data)
