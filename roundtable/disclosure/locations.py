"""Where a public figure may say something happened: never closer than a cell of
the public H3 grid (settings.ROUNDTABLE_HOTSPOT_PUBLIC_RESOLUTION; resolution 8
cells are about 0.7 km² across)."""

from __future__ import annotations

import h3
from django.conf import settings


def public_resolution() -> int:
    """The H3 resolution of every public location."""
    return int(settings.ROUNDTABLE_HOTSPOT_PUBLIC_RESOLUTION)


def public_cell(latitude: float, longitude: float) -> str:
    """The public H3 cell (its string id) holding the point."""
    return str(h3.latlng_to_cell(latitude, longitude, public_resolution()))


def generalise_point(latitude: float, longitude: float) -> tuple[float, float]:
    """The centre of the public H3 cell holding the point: every point in one cell
    is published as the same place."""
    lat, lng = h3.cell_to_latlng(public_cell(latitude, longitude))
    return float(lat), float(lng)
