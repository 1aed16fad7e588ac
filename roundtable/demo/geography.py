"""The demo's boundaries: Riverside's districts, beats and neighbourhoods, and the campus.

The city is a box around the real Riverside's centre cut into three east-west
bands (the districts). Beats cut each band with straight north-south lines;
neighbourhoods cut it with slanted ones at other places, so a beat and a
neighbourhood overlap in part, as real layers do. Pieces of a band share their
edges exactly, so the city has no gaps and no overlaps within a layer.

Each layer is written as a GeoJSON file and imported through
`boundaries_import`, the path a real agency's files take; the areas exist
already (the builder makes them), and the import finds them by name.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.incidents.models import ImportRun
from roundtable.incidents.services_areas import boundaries_import

Ring = list[tuple[float, float]]  # (longitude, latitude), closed

WEST, EAST = -117.455, -117.315
# District bands, south to north: (name, south edge, north edge).
BANDS = {
    "South District": (33.915, 33.943),
    "Central District": (33.943, 33.978),
    "North District": (33.978, 34.005),
}
# Beat lines: longitudes of the north-south cuts inside each district.
BEATS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "North District": (("Beat 11", "Beat 12"), (-117.385,)),
    "Central District": (("Beat 21", "Beat 22", "Beat 23"), (-117.385, -117.352)),
    "South District": (("Beat 31", "Beat 32"), (-117.390,)),
}
# Neighbourhood lines: (longitude at the band's south edge, at its north edge).
NEIGHBOURHOODS: dict[str, tuple[tuple[str, ...], tuple[tuple[float, float], ...]]] = {
    "North District": (
        ("Millbrook", "Cedar Heights", "Harlow Park"),
        ((-117.414, -117.404), (-117.357, -117.366)),
    ),
    "Central District": (
        ("Old Town", "Eastgate", "University Hill"),
        ((-117.372, -117.366), (-117.333, -117.337)),
    ),
    "South District": (
        ("Southbank", "Linden Grove", "Fairview"),
        ((-117.408, -117.400), (-117.362, -117.356)),
    ),
}
# Campus areas: (centre latitude, centre longitude, half height, half width) in degrees.
CAMPUS = {
    "Main Campus": (33.9736, -117.3281, 0.0022, 0.0030),
    "Student Village": (33.9690, -117.3222, 0.0012, 0.0016),
    "Medical Campus": (33.9655, -117.3420, 0.0012, 0.0016),
}
SOURCE = "Roundtable demo (fictional boundaries)"


def _pieces(
    south: float, north: float, cuts: tuple[tuple[float, float], ...], names: tuple[str, ...]
) -> dict[str, Ring]:
    """The band from WEST to EAST cut at each (south x, north x) line, one ring per name."""
    lines = [(WEST, WEST), *cuts, (EAST, EAST)]
    rings: dict[str, Ring] = {}
    for name, (left, right) in zip(names, itertools.pairwise(lines), strict=True):
        rings[name] = [
            (left[0], south),
            (right[0], south),
            (right[1], north),
            (left[1], north),
            (left[0], south),
        ]
    return rings


def city_rings() -> dict[str, dict[str, Ring]]:
    """Rings by layer ("district", "beat", "neighbourhood") and area name."""
    layers: dict[str, dict[str, Ring]] = {"district": {}, "beat": {}, "neighbourhood": {}}
    for district, (south, north) in BANDS.items():
        layers["district"] |= _pieces(south, north, (), (district,))
        beats, lines = BEATS[district]
        layers["beat"] |= _pieces(south, north, tuple((x, x) for x in lines), beats)
        names, slants = NEIGHBOURHOODS[district]
        layers["neighbourhood"] |= _pieces(south, north, slants, names)
    return layers


def campus_rings() -> dict[str, Ring]:
    rings: dict[str, Ring] = {}
    for name, (lat, lon, dy, dx) in CAMPUS.items():
        rings[name] = [
            (lon - dx, lat - dy),
            (lon + dx, lat - dy),
            (lon + dx, lat + dy),
            (lon - dx, lat + dy),
            (lon - dx, lat - dy),
        ]
    return rings


def _geojson(rings: dict[str, Ring]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
            }
            for name, ring in rings.items()
        ],
    }


def boundaries_build(agencies: dict[str, Agency], users: dict[str, User]) -> list[ImportRun]:
    """Import every demo boundary layer, as an analyst of each agency would."""
    city = city_rings()
    layers = [
        ("riverside", Area.Kind.DISTRICT, "riverside-districts", city["district"]),
        ("riverside", Area.Kind.BEAT, "riverside-beats", city["beat"]),
        ("riverside", Area.Kind.NEIGHBOURHOOD, "riverside-neighbourhoods", city["neighbourhood"]),
        ("rsu", Area.Kind.CAMPUS, "rsu-campus", campus_rings()),
    ]
    actors = {"riverside": users["analyst"], "rsu": users["admin"]}
    runs = []
    with tempfile.TemporaryDirectory(prefix="roundtable-demo-") as folder:
        for slug, kind, stem, rings in layers:
            path = Path(folder) / f"{stem}.geojson"
            path.write_text(json.dumps(_geojson(rings)), encoding="utf-8")
            run = boundaries_import(
                agency=agencies[slug],
                path=path,
                kind=kind,
                name_field="name",
                actor=actors[slug],
                source=SOURCE,
            )
            if run.status != ImportRun.Status.DONE:
                raise RuntimeError(f"The demo's {stem} did not import: {run.message}")
            runs.append(run)
    return runs
