"""Reading area boundaries from GeoJSON and shapefiles (pure: no Django).

Agencies publish beats, districts and neighbourhoods as GeoJSON (usually WGS 84
longitude/latitude, RFC 7946) or as ESRI shapefiles (a .shp with its .shx, .dbf
and .prj sidecars, often zipped, often in a projected system such as Illinois
State Plane East, EPSG:3435). `read_boundaries` turns either into polygons in
WGS 84 with a name per feature:

- the coordinate system comes from the .prj (or the legacy GeoJSON "crs"
  member); anything other than WGS 84 is reprojected with pyproj
  (`Transformer(..., always_xy=True)`, so x is always longitude);
- invalid rings (self-intersections, bow ties) are repaired with
  `shapely.make_valid` and only the polygonal part is kept; the repair is
  reported;
- features sharing a name are merged into one MultiPolygon (open-data beats
  files split a beat into several records) and reported;
- an unknown name field is a `BoundaryError` listing the fields the file has;
  features without a name are an error too, with their numbers.

`area_km2` is the geodesic area on the WGS 84 ellipsoid (pyproj.Geod, Karney
2013, "Algorithms for geodesics", J. Geodesy 87:43-55), so it is right at any
latitude without choosing an equal-area projection.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapefile
import shapely
from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

WGS84 = CRS.from_epsg(4326)
_GEOD = Geod(ellps="WGS84")


class BoundaryError(ValueError):
    """The file cannot be read as boundaries; the message says why."""


@dataclass(frozen=True)
class Feature:
    name: str
    geometry: BaseGeometry  # Polygon or MultiPolygon, WGS 84 lon/lat
    properties: dict[str, Any]
    # The group_field's value (e.g. the district of a beat), when asked for.
    group: str | None = None


@dataclass
class BoundarySet:
    features: list[Feature]
    fields: list[str]
    format: str  # "geojson" or "shapefile"
    crs: str  # the source coordinate system, as named in the file
    reprojected: bool = False
    # Names whose several features were merged into one MultiPolygon.
    merged: list[str] = field(default_factory=list)
    # Names whose geometry was invalid and repaired with make_valid.
    repaired: list[str] = field(default_factory=list)
    # Features read from the file (before merging duplicates).
    read: int = 0


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area of a lon/lat polygon on the WGS 84 ellipsoid, in km²."""
    area, _perimeter = _GEOD.geometry_area_perimeter(geometry)
    return abs(float(area)) / 1_000_000


def _field(path: Path, fields: list[str], wanted: str) -> str:
    """The file's own spelling of a field: exact, else the one field equal but for case
    (shapefiles often say BEAT_NUM where a portal's GeoJSON says beat_num)."""
    if wanted in fields:
        return wanted
    folded = [f for f in fields if f.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise BoundaryError(
        f"{path.name} has no field {wanted!r}; its fields are: {', '.join(fields)}."
    )


def read_boundaries(path: Path, *, name_field: str, group_field: str | None = None) -> BoundarySet:
    """Polygons with names from a .geojson/.json, a .shp (with sidecars) or a .zip of one."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise BoundaryError(f"{path} does not exist.")
    if suffix in (".geojson", ".json"):
        raw, fields, crs_text = _read_geojson(path)
        fmt = "geojson"
    elif suffix == ".shp":
        raw, fields, crs_text = _read_shapefile(path)
        fmt = "shapefile"
    elif suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="roundtable-boundaries-") as folder:
            raw, fields, crs_text = _read_shapefile(_unzip_shapefile(path, Path(folder)))
        fmt = "shapefile"
    else:
        raise BoundaryError(
            f"{path.name}: expected a .geojson, .json, .shp or .zip file, not {suffix or 'none'}."
        )
    name_field = _field(path, fields, name_field)
    group_field = _field(path, fields, group_field) if group_field is not None else None
    crs = _crs(crs_text, raw)
    transformer = None
    if not crs.equals(WGS84, ignore_axis_order=True):
        transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
    result = BoundarySet(
        features=[],
        fields=fields,
        format=fmt,
        crs=_crs_name(crs),
        reprojected=transformer is not None,
        read=len(raw),
    )
    nameless: list[int] = []
    by_name: dict[str, list[tuple[BaseGeometry, dict[str, Any]]]] = {}
    for number, (geometry, properties) in enumerate(raw, start=1):
        name = _text(properties.get(name_field))
        if not name:
            nameless.append(number)
            continue
        if geometry is None or geometry.is_empty:
            continue
        if transformer is not None:
            geometry = _reproject(geometry, transformer)
        by_name.setdefault(name, []).append((geometry, properties))
    if nameless:
        shown = ", ".join(str(n) for n in nameless[:20]) + (" …" if len(nameless) > 20 else "")
        raise BoundaryError(
            f"{path.name}: {len(nameless)} feature(s) have no {name_field!r} (features {shown})."
        )
    for name, parts in by_name.items():
        geometries = [g for g, _p in parts]
        repaired = False
        cleaned = []
        for geometry in geometries:
            polygonal, was_repaired = _polygonal(geometry)
            repaired = repaired or was_repaired
            if polygonal is not None:
                cleaned.append(polygonal)
        if not cleaned:
            raise BoundaryError(f"{path.name}: {name!r} has no polygon (points or lines only).")
        if len(cleaned) > 1:
            result.merged.append(name)
            merged, was_repaired = _polygonal(shapely.union_all(cleaned))
            repaired = repaired or was_repaired
            assert merged is not None
            geometry = merged
        else:
            geometry = cleaned[0]
        if repaired:
            result.repaired.append(name)
        properties = parts[0][1]
        group = _text(properties.get(group_field)) if group_field else None
        result.features.append(
            Feature(name=name, geometry=geometry, properties=properties, group=group or None)
        )
    return result


def _text(value: Any) -> str:
    # DBF and GeoJSON numbers come back as 35.0 or 35: either way the name is "35".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _read_geojson(
    path: Path,
) -> tuple[list[tuple[BaseGeometry | None, dict[str, Any]]], list[str], str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryError(f"{path.name} is not valid GeoJSON: {error}.") from None
    if not isinstance(data, dict):
        raise BoundaryError(f"{path.name} is not a GeoJSON object.")
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif data.get("type") == "Feature":
        features = [data]
    else:
        raise BoundaryError(f"{path.name}: expected a GeoJSON FeatureCollection or Feature.")
    raw: list[tuple[BaseGeometry | None, dict[str, Any]]] = []
    fields: dict[str, None] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        fields.update(dict.fromkeys(properties))
        try:
            geometry = shape(feature["geometry"]) if feature.get("geometry") else None
        except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as error:
            raise BoundaryError(
                f"{path.name}: feature {number} has a bad geometry: {error}."
            ) from None
        raw.append((geometry, properties))
    crs = data.get("crs")
    crs_text = None
    if isinstance(crs, dict):
        crs_text = (crs.get("properties") or {}).get("name")
    return raw, list(fields), crs_text


def _read_shapefile(
    path: Path,
) -> tuple[list[tuple[BaseGeometry | None, dict[str, Any]]], list[str], str | None]:
    missing = [s for s in (".shx", ".dbf") if not _sidecar(path, s)]
    if missing:
        raise BoundaryError(f"{path.name} needs its {' and '.join(missing)} file beside it.")
    try:
        reader = shapefile.Reader(str(path))
    except shapefile.ShapefileException as error:
        raise BoundaryError(f"{path.name} cannot be read as a shapefile: {error}.") from None
    with reader:
        fields = [f[0] for f in reader.fields[1:]]
        raw: list[tuple[BaseGeometry | None, dict[str, Any]]] = []
        for item in reader.iterShapeRecords():
            interface = item.shape.__geo_interface__
            geometry = shape(interface) if interface.get("coordinates") else None
            raw.append((geometry, dict(zip(fields, list(item.record), strict=False))))
    prj = _sidecar(path, ".prj")
    return raw, fields, prj.read_text(encoding="utf-8", errors="replace") if prj else None


def _sidecar(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def _unzip_shapefile(path: Path, folder: Path) -> Path:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BoundaryError(f"{path.name} is not a zip file.") from None
    with archive:
        shps = [n for n in archive.namelist() if n.lower().endswith(".shp")]
        if len(shps) != 1:
            raise BoundaryError(
                f"{path.name} should hold exactly one .shp file; it holds {len(shps)}."
            )
        stem = shps[0][:-4]
        for member in archive.namelist():
            if member[: len(stem)] == stem and len(member) == len(stem) + 4:
                # Flat names only: a member path never decides where a file is written.
                (folder / ("boundaries" + member[-4:].lower())).write_bytes(archive.read(member))
    return folder / "boundaries.shp"


def _crs(text: str | None, raw: list[tuple[BaseGeometry | None, dict[str, Any]]]) -> CRS:
    if text:
        try:
            return CRS.from_user_input(text)
        except CRSError as error:
            raise BoundaryError(f"Unknown coordinate system {text[:80]!r}: {error}.") from None
    # No .prj: RFC 7946 says GeoJSON is WGS 84; a shapefile without one must look like it.
    bounds = [g.bounds for g, _p in raw if g is not None and not g.is_empty]
    if bounds:
        box = np.array(bounds)
        if (
            box[:, [0, 2]].min() < -180
            or box[:, [0, 2]].max() > 180
            or np.abs(box[:, [1, 3]]).max() > 90
        ):
            raise BoundaryError(
                "The file does not say its coordinate system (no .prj) and its coordinates "
                "are not longitude/latitude; add the .prj file."
            )
    return WGS84


def _crs_name(crs: CRS) -> str:
    epsg = crs.to_epsg(min_confidence=25)
    return f"EPSG:{epsg}" if epsg else str(crs.name)


def _reproject(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    def move(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, move)


def _polygonal(geometry: BaseGeometry) -> tuple[BaseGeometry | None, bool]:
    """The polygonal part of a geometry, repaired when invalid; and whether it was."""
    repaired = False
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
        repaired = True
    if isinstance(geometry, Polygon | MultiPolygon):
        return (geometry if not geometry.is_empty else None), repaired
    polygons: list[Polygon] = []
    for part in getattr(geometry, "geoms", []):
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    if not polygons:
        return None, repaired
    return (polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)), repaired
