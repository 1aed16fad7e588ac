"""Reading boundary files: GeoJSON, shapefiles (plain, zipped, projected), repairs, errors."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import shapefile
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon, box, shape

from roundtable.incidents.boundaries import BoundaryError, area_km2, read_boundaries

FIXTURES = Path(__file__).parent.parent / "fixtures" / "incidents"
BEATS = FIXTURES / "chicago-beats.shp"
BOSTON = FIXTURES / "boston-districts.geojson"


def write_geojson(path: Path, features: list[dict[str, Any]], crs: str | None = None) -> Path:
    data: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data))
    return path


def feature(name, geometry, **extra) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, **extra},
        "geometry": shapely.geometry.mapping(geometry),
    }


def test_real_chicago_beats_shapefile_reads_with_names_and_districts():
    boundaries = read_boundaries(BEATS, name_field="BEAT_NUM", group_field="DISTRICT")

    assert boundaries.format == "shapefile"
    assert boundaries.crs == "EPSG:4326"
    assert not boundaries.reprojected
    names = sorted(f.name for f in boundaries.features)
    assert names == ["1411", "1412", "1413", "1932", "1933"]
    assert {f.name: f.group for f in boundaries.features}["1932"] == "19"
    for item in boundaries.features:
        assert item.geometry.is_valid
        west, south, east, north = item.geometry.bounds
        assert -88 < west < east < -87.5 and 41.6 < south < north < 42.1
        assert item.properties["BEAT_NUM"] == item.name


def test_real_boston_districts_geojson():
    boundaries = read_boundaries(BOSTON, name_field="DISTRICT")

    assert boundaries.format == "geojson"
    assert sorted(f.name for f in boundaries.features) == ["B2", "B3", "E13"]
    b3 = next(f for f in boundaries.features if f.name == "B3")
    # Mattapan is about 12 km² (the city's ShapeSTArea is in square feet).
    assert area_km2(b3.geometry) == pytest.approx(
        b3.properties["ShapeSTArea"] * 0.09290304e-6, rel=0.01
    )


def test_area_km2_is_geodesic():
    # One degree of longitude is ~cos(latitude) times shorter: a lon/lat square is not square.
    equator = area_km2(box(0, 0, 0.1, 0.1))
    chicago = area_km2(box(-87.7, 41.8, -87.6, 41.9))
    assert equator == pytest.approx(123.1, rel=0.01)
    assert chicago == pytest.approx(equator * 0.745, rel=0.01)


def test_projected_state_plane_shapefile_comes_back_in_wgs84(tmp_path):
    source = read_boundaries(BEATS, name_field="BEAT_NUM")
    to_state_plane = Transformer.from_crs(4326, 3435, always_xy=True)
    out = tmp_path / "beats-3435"
    with shapefile.Writer(str(out), shapeType=shapefile.POLYGON) as writer:
        writer.field("BEAT_NUM", "C", 10)
        for item in source.features:
            polygon = (
                item.geometry if isinstance(item.geometry, Polygon) else item.geometry.geoms[0]
            )
            ring = [to_state_plane.transform(x, y) for x, y in polygon.exterior.coords]
            writer.poly([ring])
            writer.record(item.name)
    (tmp_path / "beats-3435.prj").write_text(CRS.from_epsg(3435).to_wkt("WKT1_ESRI"))

    projected = read_boundaries(tmp_path / "beats-3435.shp", name_field="BEAT_NUM")

    assert projected.reprojected
    assert projected.crs == "EPSG:3435"
    for back in projected.features:
        original = next(f for f in source.features if f.name == back.name)
        first = (
            original.geometry
            if isinstance(original.geometry, Polygon)
            else original.geometry.geoms[0]
        )
        # Round trip through US survey feet: within a millimetre-ish.
        assert shapely.hausdorff_distance(back.geometry, Polygon(first.exterior)) < 1e-7
        assert -88 < back.geometry.bounds[0] < -87.5


def test_zipped_shapefile(tmp_path):
    archive = tmp_path / "beats.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            out.write(BEATS.with_suffix(suffix), f"CPD_beats/police beats{suffix}")

    boundaries = read_boundaries(archive, name_field="BEAT_NUM")

    assert len(boundaries.features) == 5


def test_geojson_crs_member_is_honoured(tmp_path):
    to_utm = Transformer.from_crs(4326, 32616, always_xy=True)
    corners = [to_utm.transform(x, y) for x, y in [(-87.7, 41.8), (-87.6, 41.8), (-87.6, 41.9)]]
    path = write_geojson(
        tmp_path / "utm.geojson",
        [feature("T", Polygon(corners))],
        crs="urn:ogc:def:crs:EPSG::32616",
    )

    boundaries = read_boundaries(path, name_field="name")

    assert boundaries.reprojected
    assert boundaries.features[0].geometry.bounds == pytest.approx(
        (-87.7, 41.8, -87.6, 41.9), abs=1e-6
    )


def test_unknown_name_field_lists_the_fields():
    with pytest.raises(BoundaryError) as error:
        read_boundaries(BEATS, name_field="beat_no")
    assert "beat_no" in str(error.value)
    assert "BEAT_NUM" in str(error.value) and "DISTRICT" in str(error.value)


def test_a_field_named_in_another_case_is_found():
    """The shapefile says BEAT_NUM and DISTRICT; the portal's GeoJSON says beat_num."""
    found = read_boundaries(BEATS, name_field="beat_num", group_field="district")
    exact = read_boundaries(BEATS, name_field="BEAT_NUM", group_field="DISTRICT")
    assert [f.name for f in found.features] == [f.name for f in exact.features]
    assert [f.group for f in found.features] == [f.group for f in exact.features]


def test_empty_names_are_an_error_with_feature_numbers(tmp_path):
    path = write_geojson(
        tmp_path / "a.geojson",
        [
            feature("A", box(0, 0, 1, 1)),
            feature("  ", box(1, 0, 2, 1)),
            feature(None, box(2, 0, 3, 1)),
        ],
    )
    with pytest.raises(BoundaryError, match=r"2 feature\(s\) have no 'name' \(features 2, 3\)"):
        read_boundaries(path, name_field="name")


def test_duplicate_names_merge_into_one_multipolygon_and_are_reported(tmp_path):
    path = write_geojson(
        tmp_path / "a.geojson",
        [
            feature("A", box(0, 0, 1, 1)),
            feature("B", box(5, 5, 6, 6)),
            feature("A", box(3, 0, 4, 1)),
        ],
    )

    boundaries = read_boundaries(path, name_field="name")

    assert boundaries.merged == ["A"]
    assert boundaries.read == 3
    a = next(f for f in boundaries.features if f.name == "A")
    assert isinstance(a.geometry, MultiPolygon)
    assert a.geometry.area == pytest.approx(2.0)


def test_invalid_bow_tie_is_repaired_and_reported(tmp_path):
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    path = write_geojson(
        tmp_path / "a.geojson",
        [{"type": "Feature", "properties": {"name": "X"}, "geometry": bow_tie}],
    )

    boundaries = read_boundaries(path, name_field="name")

    assert boundaries.repaired == ["X"]
    geometry = boundaries.features[0].geometry
    assert geometry.is_valid and isinstance(geometry, MultiPolygon)
    assert geometry.area == pytest.approx(0.5)


def test_numeric_names_read_as_integers(tmp_path):
    path = write_geojson(tmp_path / "a.geojson", [feature(35.0, box(0, 0, 1, 1))])
    assert read_boundaries(path, name_field="name").features[0].name == "35"


def test_shapefile_without_prj_in_projected_metres_is_refused(tmp_path):
    with shapefile.Writer(str(tmp_path / "x"), shapeType=shapefile.POLYGON) as writer:
        writer.field("name", "C", 10)
        writer.poly([[(1_100_000, 1_900_000), (1_100_100, 1_900_000), (1_100_100, 1_900_100)]])
        writer.record("A")
    with pytest.raises(BoundaryError, match=r"no \.prj"):
        read_boundaries(tmp_path / "x.shp", name_field="name")


def test_missing_sidecar_and_wrong_suffix(tmp_path):
    (tmp_path / "lonely.shp").write_bytes(BEATS.read_bytes())
    with pytest.raises(BoundaryError, match=r"\.shx and \.dbf"):
        read_boundaries(tmp_path / "lonely.shp", name_field="BEAT_NUM")
    (tmp_path / "a.kml").write_text("<kml/>")
    with pytest.raises(BoundaryError, match=r"expected a \.geojson"):
        read_boundaries(tmp_path / "a.kml", name_field="name")
    (tmp_path / "bad.geojson").write_text("{not json")
    with pytest.raises(BoundaryError, match="not valid GeoJSON"):
        read_boundaries(tmp_path / "bad.geojson", name_field="name")


def test_geometry_is_shapely():
    boundaries = read_boundaries(BOSTON, name_field="DISTRICT")
    assert all(
        shape(shapely.geometry.mapping(f.geometry)).equals(f.geometry) for f in boundaries.features
    )
