"""Reads for map layers: the agency's area boundaries as display-ready GeoJSON."""

from __future__ import annotations

import json
from typing import Any

import shapely
from shapely.geometry import shape

from roundtable.agencies.models import Agency, Area
from roundtable.incidents.models import AreaBoundary

# About 10 m at city latitudes: invisible on a city map at street zoom, and it
# cuts the vertices of the real Chicago beats by roughly a factor of five.
DISPLAY_TOLERANCE = 0.0001
# Six decimals of a degree is ~0.1 m: more is only bytes.
PRECISION = 1e-6


def boundary_kinds(agency: Agency) -> list[str]:
    """The kinds of area the agency has boundaries for, in Area.Kind order."""
    present = set(
        AreaBoundary.objects.filter(area__agency=agency).values_list("area__kind", flat=True)
    )
    return [kind for kind in Area.Kind.values if kind in present]


def areas_geojson(
    agency: Agency, *, kinds: list[str] | None = None, tolerance: float = DISPLAY_TOLERANCE
) -> dict[str, Any]:
    """A FeatureCollection of the agency's areas with boundaries, simplified for display."""
    boundaries = AreaBoundary.objects.filter(area__agency=agency).select_related("area")
    if kinds is not None:
        boundaries = boundaries.filter(area__kind__in=kinds)
    features = []
    for boundary in boundaries.order_by("area__kind", "area__name"):
        area = boundary.area
        geometry = shape(boundary.geometry)
        # preserve_topology keeps rings valid; shared borders may drift apart by
        # up to the tolerance, which a city-scale map does not show.
        simplified = shapely.set_precision(
            geometry.simplify(tolerance, preserve_topology=True), PRECISION
        )
        features.append(
            {
                "type": "Feature",
                "id": area.pk,
                "properties": {
                    "id": area.pk,
                    "name": area.name,
                    "slug": area.slug,
                    "kind": area.kind,
                    "parent": area.parent_id,
                    "square_km": round(boundary.square_km, 2),
                },
                "geometry": json.loads(shapely.to_geojson(simplified)),
            }
        )
    return {"type": "FeatureCollection", "features": features}
