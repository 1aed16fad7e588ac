"""The dashboard's hot-spot map as inline SVG: the public areas' outlines and the
public grid's cells, drawn on the server, no script and no tiles.

Input is GeoJSON as the public pages already make it: the public hot-spot layer
(`incidents.selectors_layers.hotspot_layer(public=True)`: coarse H3 cells, no
counts, never points) and the public areas (`selectors_geo.areas_geojson`). Each
public cell is shaded by its band of incidents (cells under the minimum carry
no band and are not public unless significant); hot and cold spots get a heavy
outline. The tables under the map give the same in words (the cells per band,
and the hot and cold spots), so the picture is never the only way to read it.

Projection: longitude scaled by the cosine of the middle latitude
(equirectangular), which keeps shapes true enough at a city's scale. Hot and
cold outlines differ by colour and by dash (cold ones dashed), and bands by
lightness, so colour is never the only cue. No `style` attribute: the Content
Security Policy admits styles from our own files only; classes carry the look
(dashboard.css).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from roundtable.incidents.hotspots import BAND_EDGES

WIDTH = 600.0
MARGIN = 8.0
MAX_HEIGHT = 600.0
# Cells drawn at most (a city's public grid may hold a thousand): the page stays light.
MAX_CELLS = 400

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Shape:
    path: str  # SVG path data
    css: str  # class names
    title: str  # the shape's name, as an SVG <title>


@dataclass(frozen=True)
class SpotMap:
    width: float
    height: float
    areas: tuple[Shape, ...]
    cells: tuple[Shape, ...]


def _rings(geometry: dict[str, Any] | None) -> list[Ring]:
    """The outer and inner rings of a Polygon or MultiPolygon as (lon, lat) lists."""
    if not geometry:
        return []
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [
        [(float(x), float(y)) for x, y, *_rest in ring] for polygon in polygons for ring in polygon
    ]


@dataclass(frozen=True)
class _Frame:
    min_lon: float
    max_lat: float
    x_scale: float
    y_scale: float

    def place(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            round(MARGIN + (lon - self.min_lon) * self.x_scale, 1),
            round(MARGIN + (self.max_lat - lat) * self.y_scale, 1),
        )


def _frame(rings: Iterable[Ring]) -> tuple[_Frame, float, float] | None:
    """The projection fitting `rings`, with the picture's width and height: WIDTH
    wide, unless that would make it taller than MAX_HEIGHT."""
    points = [p for ring in rings for p in ring]
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    shrink = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * shrink, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = (WIDTH - 2 * MARGIN) / span_x
    if span_y * scale > MAX_HEIGHT - 2 * MARGIN:
        scale = (MAX_HEIGHT - 2 * MARGIN) / span_y
    width = round(span_x * scale + 2 * MARGIN, 1)
    height = round(span_y * scale + 2 * MARGIN, 1)
    return _Frame(min_lon, max_lat, scale * shrink, scale), width, height


def _path(frame: _Frame, rings: Sequence[Ring]) -> str:
    parts = []
    for ring in rings:
        placed = [frame.place(lon, lat) for lon, lat in ring]
        if len(placed) < 3:
            continue
        parts.append("M" + " L".join(f"{x},{y}" for x, y in placed) + " Z")
    return " ".join(parts)


def band_index(band: Sequence[int | None] | None) -> int | None:
    """Which of the public map's count bands (0 the lowest) holds a cell; None: no band."""
    if not band or band[0] is None:
        return None
    return sum(1 for edge in BAND_EDGES if band[0] >= edge)


def cell_class(bin_: int, band: int | None) -> str:
    parts = ["rt-db-cell", "rt-db-band-none" if band is None else f"rt-db-band-{band}"]
    if bin_ > 0:
        parts.append(f"rt-db-hot rt-db-hot-{min(bin_, 3)}")
    elif bin_ < 0:
        parts.append(f"rt-db-cold rt-db-cold-{min(-bin_, 3)}")
    return " ".join(parts)


def _weight(properties: dict[str, Any]) -> tuple[int, int]:
    """Cells drawn later sit on top: significant ones last, then by band."""
    band = band_index(properties.get("band"))
    return (int(properties.get("bin", 0)) != 0, -1 if band is None else band)


def spot_map(
    hotspots: dict[str, Any],
    areas: dict[str, Any],
    *,
    cell_title: Callable[[int, Sequence[int | None] | None], str],
) -> SpotMap | None:
    """The map of `areas` and the public cells of `hotspots` (shaded by their count
    band, outlined when hot or cold), or None when there is nothing to draw.
    `cell_title(bin, band)` words a cell. At most MAX_CELLS cells: the significant
    ones and the fullest first."""
    area_shapes = [
        (str(f.get("properties", {}).get("name", "")), _rings(f.get("geometry")))
        for f in areas.get("features", [])
    ]
    features = sorted(hotspots.get("features", []), key=lambda f: _weight(f.get("properties", {})))[
        -MAX_CELLS:
    ]
    cells = [(f.get("properties", {}), _rings(f.get("geometry"))) for f in features]
    found = _frame(
        [ring for _n, rings in area_shapes for ring in rings]
        + [ring for _p, rings in cells for ring in rings]
    )
    if found is None:
        return None
    frame, width, height = found
    return SpotMap(
        width=width,
        height=height,
        areas=tuple(
            Shape(path=_path(frame, rings), css="rt-db-area", title=name)
            for name, rings in area_shapes
            if rings
        ),
        cells=tuple(
            Shape(
                path=_path(frame, rings),
                css=cell_class(int(p.get("bin", 0)), band_index(p.get("band"))),
                title=cell_title(int(p.get("bin", 0)), p.get("band")),
            )
            for p, rings in cells
            if rings
        ),
    )
