"""The map layers as GeoJSON, and the table under the map: reads for the map views.

Hot spots, emerging hot spots and density take seconds on a large agency, so
their GeoJSON is cached per (agency, layer, filter, latest import run): a new
import makes a new key, and nothing is computed twice for the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import h3
from django.conf import settings
from django.core.cache import cache

from roundtable.agencies.models import Agency
from roundtable.incidents import hotspots, selectors
from roundtable.incidents.labels import offence_filter_label
from roundtable.incidents.selectors_counts import incidents_in
from roundtable.incidents.selectors_public import public_kind

# Incident points sent to the browser at most: newest first.
POINTS_CAP = 5000
# Hot-spot cells in the table under the map.
TABLE_CELLS = 20
LAYER_TIMEOUT = 24 * 3600
EMERGING_BINS = "week"
EMERGING_PERIODS = 26


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
    kind = public_kind(agency) if public else None

    def compute() -> dict[str, Any]:
        cells = top_cells(hot)
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
