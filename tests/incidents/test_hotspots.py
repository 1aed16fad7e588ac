"""Hot spots, emerging hot spots and density from files and from imported incidents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import shapely
import shapely.geometry
from django.test import override_settings

from roundtable.incidents import hotspots
from tests.incidents.helpers import incident

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "incidents"
CHICAGO_HEADER = (FIXTURES / "chicago.csv").read_text(encoding="utf-8-sig").splitlines()[0]


def chicago_file(folder: Path, points: list[tuple[float, float]], *, iucr: str = "0820") -> Path:
    """An export in the Chicago portal's layout, one theft (by default) per point."""
    lines = [CHICAGO_HEADER]
    for n, (lat, lon) in enumerate(points):
        lines.append(
            f"{9_000_000 + n},HX{n:06d},03/14/2014 11:40:00 PM,004XX E 111TH ST,{iucr},THEFT,"
            f"$500 AND UNDER,STREET,false,false,0513,005,9,49,06,1180915,1831488,2014,"
            f'03/17/2014 12:39:52 AM,{lat},{lon},"({lat}, {lon})"'
        )
    path = folder / "crimes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def clustered(n: int = 400, seed: int = 0) -> list[tuple[float, float]]:
    """Points spread over a few km of Chicago, a third of them on one corner."""
    rng = np.random.default_rng(seed)
    spread = [(41.85 + rng.random() * 0.06, -87.70 + rng.random() * 0.06) for _ in range(n)]
    corner = [
        (41.8801 + rng.normal(0, 0.0006), -87.6301 + rng.normal(0, 0.0006)) for _ in range(n // 2)
    ]
    return spread + corner


class TestPointsFromFile:
    def test_located_incidents_only(self):
        points = hotspots.points_from_file(FIXTURES / "chicago.csv")
        # Six rows; the first has no coordinates.
        assert len(points) == 5
        assert points.occurred_on.dtype == np.dtype("datetime64[D]")
        assert np.all((points.lat > 41) & (points.lat < 42))

    def test_an_incident_with_one_row_per_offence_counts_once(self):
        # Boston's I162000007 has two rows (an accident and a licence violation).
        everything = hotspots.points_from_file(FIXTURES / "boston.csv")
        crimes = hotspots.points_from_file(FIXTURES / "boston.csv", offence="crimes")
        assert len(everything) == 4
        # Its primary offence is the crime, so it is the one crime of the file.
        assert len(crimes) == 1

    def test_offence_filter_and_since(self):
        theft = hotspots.points_from_file(FIXTURES / "chicago.csv", offence="theft")
        later = hotspots.points_from_file(FIXTURES / "chicago.csv", since=dt.date(2014, 3, 15))
        assert len(theft) == 1
        assert len(later) == 2

    def test_unknown_filter_is_refused(self):
        with pytest.raises(ValueError, match="unknown offence filter"):
            hotspots.points_from_file(FIXTURES / "chicago.csv", offence="jaywalking")


class TestHotspotCells:
    def test_the_cluster_is_a_hot_spot(self, tmp_path):
        points = hotspots.points_from_file(chicago_file(tmp_path, clustered()))
        # With 999 permutations no p is under 2/1000, and BH over ~400 cells then
        # needs 8 cells that extreme: 9,999 permutations lower that floor.
        result = hotspots.hotspot_cells(points, resolution=9, k=1, permutations=9999)
        busiest = int(np.argmax(result.counts))
        assert result.bin[busiest] > 0
        assert result.counts.sum() == len(points) == 600
        assert result.seconds > 0

    def test_json_has_exactly_the_published_shape(self, tmp_path):
        points = hotspots.points_from_file(chicago_file(tmp_path, clustered(60)))
        data = hotspots.hotspot_json(
            hotspots.hotspot_cells(points, resolution=8, k=1, permutations=99)
        )
        assert set(data) == {"resolution", "k", "cells", "seconds"}
        assert (data["resolution"], data["k"]) == (8, 1)
        cell = data["cells"][0]
        assert set(cell) == {"h3", "count", "z", "p", "p_fdr", "bin"}
        assert isinstance(cell["h3"], str) and cell["h3"].startswith("88")
        assert sum(c["count"] for c in data["cells"]) == 90
        # Padding cells are in the grid with a count of 0.
        assert any(c["count"] == 0 for c in data["cells"])

    def test_the_same_seed_gives_the_same_result(self, tmp_path):
        points = hotspots.points_from_file(chicago_file(tmp_path, clustered(100)))
        first = hotspots.hotspot_cells(points, resolution=9, k=1, permutations=99, seed=3)
        again = hotspots.hotspot_cells(points, resolution=9, k=1, permutations=99, seed=3)
        assert np.array_equal(first.p, again.p)

    def test_no_points_no_cells(self, tmp_path):
        points = hotspots.points_from_file(chicago_file(tmp_path, []))
        data = hotspots.hotspot_json(
            hotspots.hotspot_cells(points, resolution=9, k=1, permutations=9)
        )
        assert data["cells"] == []


class TestGeojson:
    @pytest.fixture
    def result(self, tmp_path):
        points = hotspots.points_from_file(chicago_file(tmp_path, clustered()))
        return hotspots.hotspot_cells(points, resolution=9, k=1, permutations=9999)

    def test_staff_see_every_cell_with_an_incident(self, result):
        layer = hotspots.hotspot_geojson(result, public=False)
        features = layer["features"]
        assert layer["type"] == "FeatureCollection"
        assert sum(f["properties"]["count"] for f in features) == 600
        ring = features[0]["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) == 7

    @override_settings(ROUNDTABLE_SMALL_CELL=5)
    def test_the_public_sees_bands_never_counts(self, result):
        features = hotspots.hotspot_geojson(result, public=True)["features"]
        staff = {
            f["properties"]["h3"]: f["properties"]["count"]
            for f in hotspots.hotspot_geojson(result, public=False)["features"]
        }
        assert features
        for f in features:
            band, grade = f["properties"]["band"], f["properties"]["bin"]
            assert f["properties"]["count"] is None
            assert grade != 0 or band is not None
            count = staff[f["properties"]["h3"]]
            if band is None:
                assert count < 5
            else:
                assert band[0] <= count and (band[1] is None or count <= band[1])
        assert len(features) < len(staff)


@pytest.mark.parametrize(
    ("count", "band"),
    [(4, None), (5, [5, 9]), (9, [5, 9]), (10, [10, 24]), (49, [25, 49]), (100, [100, None])],
)
def test_count_bands(count, band):
    assert hotspots.count_band(count, 5) == band


@pytest.mark.django_db
class TestFromTheDatabase:
    def test_points_for_agency(self, agency, other_agency):
        day = dt.date(2024, 3, 1)
        incident(agency, day, latitude=41.9, longitude=-87.7)
        incident(agency, day, "sexual_assault", latitude=41.91, longitude=-87.7)
        incident(agency, day, latitude=None, longitude=None, location="missing")
        incident(agency, dt.date(2024, 1, 1), latitude=41.92, longitude=-87.7)
        incident(other_agency, day, latitude=41.9, longitude=-87.7)
        assert len(hotspots.points_for_agency(agency)) == 3
        assert len(hotspots.points_for_agency(agency, public=True)) == 2
        assert len(hotspots.points_for_agency(agency, since=day)) == 2
        assert len(hotspots.points_for_agency(agency, until=dt.date(2024, 2, 1))) == 1
        assert len(hotspots.points_for_agency(agency, offence="violent")) == 1

    def test_density_for_the_public_leaves_out_sensitive_and_thin_squares(self, agency):
        day = dt.date(2024, 3, 1)
        for i in range(8):
            incident(agency, day, latitude=41.9 + i * 1e-4, longitude=-87.7)
        incident(agency, day, latitude=41.95, longitude=-87.6)  # alone
        for i in range(8):
            incident(agency, day, "domestic_violence", latitude=41.8 + i * 1e-4, longitude=-87.6)
        staff = hotspots.density_for_agency(agency, offence="all", since=None, public=False)
        public = hotspots.density_for_agency(agency, offence="all", since=None, public=True)

        def near(features, lat, lon):
            spot = shapely.Point(lon, lat)
            return any(shapely.geometry.shape(f["geometry"]).contains(spot) for f in features)

        assert near(staff["features"], 41.8, -87.6) and near(staff["features"], 41.95, -87.6)
        assert not near(public["features"], 41.8, -87.6)  # sensitive
        assert not near(public["features"], 41.95, -87.6)  # under the small-cell count
        assert near(public["features"], 41.9, -87.7)

    def test_emerging_finds_a_cluster_new_in_the_last_week(self, agency):
        rng = np.random.default_rng(2)
        end = dt.date(2024, 3, 31)
        for _ in range(300):
            incident(
                agency,
                end - dt.timedelta(days=int(rng.integers(0, 56))),
                latitude=41.85 + rng.random() * 0.03,
                longitude=-87.70 + rng.random() * 0.03,
            )
        for _ in range(30):
            incident(agency, end, latitude=41.8650, longitude=-87.6850)
        layer = hotspots.emerging_for_agency(
            agency, offence="all", bins="week", periods=8, resolution=9, k=1
        )
        assert layer["properties"]["end"] == "2024-03-31"
        assert layer["properties"]["start"] == "2024-02-05"
        categories = {f["properties"]["category"] for f in layer["features"]}
        assert "new_hot" in categories
        assert all(f["properties"]["category"] != "no_pattern" for f in layer["features"])
        assert all("count" in f["properties"] for f in layer["features"])
        public = hotspots.emerging_for_agency(
            agency, offence="all", bins="month", periods=3, resolution=8, k=1, public=True
        )
        assert all("count" not in f["properties"] for f in public["features"])

    def test_emerging_without_incidents_is_empty(self, agency):
        layer = hotspots.emerging_for_agency(
            agency, offence="all", bins="week", periods=8, resolution=9, k=1
        )
        assert layer["features"] == []


def test_month_bins_run_to_the_end_of_the_last_month():
    edges = hotspots._bin_edges(dt.date(2024, 1, 15), "month", 3)
    assert edges == [
        dt.date(2023, 11, 1),
        dt.date(2023, 12, 1),
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 1),
    ]
