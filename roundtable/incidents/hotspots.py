"""Hot spots, emerging hot spots and density for an agency's incidents or a bare file.

The bridge between incidents (a file read by `reading.open_export`, or the
database) and the pure maths in `roundtable/analytics/` (hexgrid, gistar,
emerging, density). Everything here reads; nothing writes. The file path never
touches the database, so `roundtable hotspots FILE` works without one.

Privacy (issue 5): public outputs (`public=True`) use only incidents that are
not sensitive, never show points, hide counts under the small-cell minimum
(`roundtable.disclosure.minimum_count()`, docs/disclosure.md) and leave out
cells that are neither significant nor above that count.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from roundtable import disclosure
from roundtable.agencies.models import Agency
from roundtable.analytics import density, emerging, gistar, hexgrid
from roundtable.incidents import offences
from roundtable.incidents.reading import Record, open_export
from roundtable.incidents.selectors_counts import incidents_in

F64 = npt.NDArray[np.float64]

EMERGING_LABELS: dict[str, Any] = {
    "new_hot": _("New hot spot"),
    "consecutive_hot": _("Consecutive hot spot"),
    "intensifying_hot": _("Intensifying hot spot"),
    "persistent_hot": _("Persistent hot spot"),
    "diminishing_hot": _("Diminishing hot spot"),
    "sporadic_hot": _("Sporadic hot spot"),
    "oscillating_hot": _("Oscillating hot spot"),
    "historical_hot": _("Historical hot spot"),
    "new_cold": _("New cold spot"),
    "consecutive_cold": _("Consecutive cold spot"),
    "intensifying_cold": _("Intensifying cold spot"),
    "persistent_cold": _("Persistent cold spot"),
    "diminishing_cold": _("Diminishing cold spot"),
    "sporadic_cold": _("Sporadic cold spot"),
    "oscillating_cold": _("Oscillating cold spot"),
    "historical_cold": _("Historical cold spot"),
    "no_pattern": pgettext_lazy("emerging hot spot", "No pattern"),
}


@dataclass(frozen=True)
class Points:
    """Located incidents, one per incident: latitude, longitude, local day."""

    lat: F64
    lon: F64
    occurred_on: npt.NDArray[np.datetime64]

    def __len__(self) -> int:
        return int(self.lat.size)


def _points(lat: list[float], lon: list[float], days: list[dt.date]) -> Points:
    return Points(
        np.asarray(lat, dtype=np.float64),
        np.asarray(lon, dtype=np.float64),
        np.asarray(days, dtype="datetime64[D]"),
    )


def points_from_file(
    path: Path, *, profile: str = "auto", offence: str = "all", since: dt.date | None = None
) -> Points:
    """Located incidents of an export file under an offence filter, one per source id.

    Exports with one row per offence repeat an incident: its offences are
    gathered and the incident counts once, under its primary offence (the
    hierarchy in `offences.primary`), at the first located row's coordinates.
    Rows the reader rejects are left out. No database access.
    """
    offences.check_filter(offence)
    codes: dict[str, list[str]] = {}
    located: dict[str, tuple[float, float, dt.date]] = {}
    with open_export(path, profile=profile) as export:
        for item in export:
            if not isinstance(item, Record):
                continue
            codes.setdefault(item.source_id, []).extend(o.category for o in item.offences)
            if (
                item.location == "ok"
                and item.latitude is not None
                and item.longitude is not None
                and item.source_id not in located
            ):
                located[item.source_id] = (item.latitude, item.longitude, item.occurred_on)
    lat: list[float] = []
    lon: list[float] = []
    days: list[dt.date] = []
    for source_id, (la, lo, day) in located.items():
        found = codes[source_id]
        if not found or (since is not None and day < since):
            continue
        if not offences.matches(offences.primary(found), offence):
            continue
        lat.append(la)
        lon.append(lo)
        days.append(day)
    return _points(lat, lon, days)


def points_for_agency(
    agency: Agency,
    *,
    offence: str = "all",
    since: dt.date | None = None,
    until: dt.date | None = None,
    public: bool = False,
) -> Points:
    """The agency's located incidents; `public` leaves out sensitive ones."""
    rows = (
        incidents_in(agency, offence=offence, start=since, end=until, public=public)
        .filter(location="ok", latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("latitude", "longitude", "occurred_on")
    )
    lat: list[float] = []
    lon: list[float] = []
    days: list[dt.date] = []
    for la, lo, day in rows.iterator(chunk_size=20_000):
        if la is not None and lo is not None:
            lat.append(la)
            lon.append(lo)
            days.append(day)
    return _points(lat, lon, days)


@dataclass(frozen=True)
class HotspotResult:
    resolution: int
    k: int
    permutations: int
    cells: npt.NDArray[np.uint64]
    counts: F64
    z: F64
    p: F64
    p_fdr: F64
    bin: npt.NDArray[np.int64]
    seconds: float  # grid and statistics; reading the points excluded


def hotspot_cells(
    points: Points, *, resolution: int, k: int, permutations: int, seed: int = 0
) -> HotspotResult:
    """Gi* on the H3 grid of the points: each incident's cell plus its k-ring padding."""
    started = time.perf_counter()
    grid = hexgrid.build_grid(hexgrid.cells_for_points(points.lat, points.lon, resolution), k)
    result = gistar.gi_star(grid.counts, grid.weights, permutations=permutations, seed=seed)
    seconds = time.perf_counter() - started
    return HotspotResult(
        resolution,
        k,
        permutations,
        grid.cells,
        grid.counts,
        result.z,
        result.p,
        result.p_fdr,
        result.bin,
        seconds,
    )


def hotspot_json(result: HotspotResult) -> dict[str, Any]:
    """The `roundtable hotspots --json` object: every grid cell with its figures."""
    cells = [
        {
            "h3": hexgrid.h3_string(cell),
            "count": int(count),
            "z": float(z),
            "p": float(p),
            "p_fdr": float(q),
            "bin": int(b),
        }
        for cell, count, z, p, q, b in zip(
            result.cells.tolist(),
            result.counts.tolist(),
            result.z.tolist(),
            result.p.tolist(),
            result.p_fdr.tolist(),
            result.bin.tolist(),
            strict=True,
        )
    ]
    return {
        "resolution": result.resolution,
        "k": result.k,
        "cells": cells,
        "seconds": round(result.seconds, 4),
    }


def _feature(
    cell: int, ring: list[tuple[float, float]], properties: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]],
        },
        "properties": {"h3": hexgrid.h3_string(cell), **properties},
    }


# Lower edges of the count bands the public map shows (the first is the small-cell
# threshold itself); the last band is open.
BAND_EDGES = (10, 25, 50, 100)


def count_band(count: int, small: int) -> list[int | None] | None:
    """[low, high] of the band holding `count` (high None: and more); None under `small`."""
    if count < small:
        return None
    edges = [small, *(e for e in BAND_EDGES if e > small)]
    for low, high in zip(edges, [*edges[1:], None], strict=True):
        if high is None or count < high:
            return [low, None if high is None else high - 1]
    raise AssertionError("unreachable")


def hotspot_geojson(result: HotspotResult, *, public: bool) -> dict[str, Any]:
    """Hexagons with count, z and bin as a GeoJSON FeatureCollection.

    Staff: every cell that holds an incident or is significant. Public: cells
    that are significant or hold at least the small-cell minimum of incidents,
    with a count band instead of the count (none under that threshold), and no z.
    """
    small = disclosure.minimum_count()
    counts = result.counts
    # Staff see every cell with an incident; the public only well-supported or significant ones.
    keep = (result.bin != 0) | (counts >= (small if public else 1))
    index = np.flatnonzero(keep)
    rings = hexgrid.cell_polygons(result.cells[index])
    features = []
    for i, ring in zip(index.tolist(), rings, strict=True):
        count = int(counts[i])
        properties: dict[str, Any] = {"count": count, "bin": int(result.bin[i])}
        if public:
            # Bands, not counts: exact counts of one cell under two offence
            # filters, or of the cells in an area beside the area's total in the
            # public report, would give a withheld small count back by subtraction.
            properties["count"] = None
            properties["band"] = count_band(count, small)
        else:
            # Not for the public: z is an affine function of the cell's
            # neighbourhood sum, so the z of neighbouring cells, with the counts
            # shown around them, give back the withheld small counts.
            properties["z"] = round(float(result.z[i]), 3)
        features.append(_feature(int(result.cells[i]), ring, properties))
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"resolution": result.resolution, "k": result.k, "public": public},
    }


def _bin_edges(end: dt.date, bins: str, periods: int) -> list[dt.date]:
    """First day of each of `periods` bins, the last holding `end`, then the day after."""
    if bins == "week":
        first = end - dt.timedelta(days=7 * periods - 1)
        return [first + dt.timedelta(days=7 * i) for i in range(periods + 1)]
    if bins == "month":
        year, month = end.year, end.month
        starts = []
        for _i in range(periods + 1):
            starts.append(dt.date(year, month, 1))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        starts.reverse()
        last = starts[-1]
        nxt = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        return [*starts[1:], nxt]
    raise ValueError(f"unknown bins {bins!r}; use week or month")


def emerging_for_agency(
    agency: Agency,
    *,
    offence: str,
    bins: str = "week",
    periods: int,
    resolution: int,
    k: int,
    public: bool = False,
) -> dict[str, Any]:
    """Esri's emerging hot spot category per H3 cell as GeoJSON.

    The bins end with the agency's latest incident day (its data may be
    historical): `periods` whole weeks ending that day, or calendar months
    ending with that day's month. Only cells with a pattern are returned.
    """
    qs = incidents_in(agency, offence=offence, public=public)
    end: dt.date | None = qs.aggregate(latest=Max("occurred_on"))["latest"]
    empty: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [],
        "properties": {"bins": bins, "periods": periods, "start": None, "end": None},
    }
    if end is None or periods < 2:
        return empty
    edges = _bin_edges(end, bins, periods)
    points = points_for_agency(
        agency,
        offence=offence,
        since=edges[0],
        until=edges[-1] - dt.timedelta(days=1),
        public=public,
    )
    empty["properties"].update(start=edges[0].isoformat(), end=end.isoformat())
    if len(points) == 0:
        return empty
    cells = hexgrid.cells_for_points(points.lat, points.lon, resolution)
    grid = hexgrid.build_grid(cells, k)
    where = np.searchsorted(grid.cells, cells)
    which_bin = (
        np.searchsorted(np.asarray(edges, dtype="datetime64[D]"), points.occurred_on, side="right")
        - 1
    )
    counts = np.zeros((periods, grid.cells.size))
    np.add.at(counts, (which_bin, where), 1.0)
    result = emerging.emerging_hot_spots(counts, grid.weights)
    index = np.flatnonzero(result.category != "no_pattern")
    rings = hexgrid.cell_polygons(grid.cells[index])
    features = []
    for i, ring in zip(index.tolist(), rings, strict=True):
        category = str(result.category[i])
        properties: dict[str, Any] = {
            "category": category,
            "label": str(EMERGING_LABELS[category]),
            "trend_z": round(float(result.trend.z[i]), 3),
            "trend_p": round(float(result.trend.p[i]), 4),
        }
        if not public:
            properties["count"] = int(counts[:, i].sum())
        features.append(_feature(int(grid.cells[i]), ring, properties))
    empty["features"] = features
    return empty


def density_for_agency(
    agency: Agency, *, offence: str, since: dt.date | None, public: bool
) -> dict[str, Any]:
    """Quartic kernel density of the agency's located incidents as GeoJSON squares.

    The public layer leaves out sensitive incidents and squares with fewer than
    the small-cell minimum of incidents within the bandwidth.
    """
    points = points_for_agency(agency, offence=offence, since=since, public=public)
    grid = density.kernel_density(
        points.lat,
        points.lon,
        bandwidth_m=settings.ROUNDTABLE_DENSITY_BANDWIDTH_M,
        cell_m=settings.ROUNDTABLE_DENSITY_CELL_M,
    )
    return density.density_geojson(grid, min_support=disclosure.minimum_count() if public else 0)
