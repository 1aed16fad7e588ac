"""Quartic kernel density: the kernel's peak, its integral, support and the GeoJSON."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import shapely.geometry

from roundtable.analytics import density


def test_one_incident_peaks_at_the_quartic_kernels_height():
    grid = density.kernel_density([41.9], [-87.7], bandwidth_m=400, cell_m=50)
    # K(0) = 3 / (π h²), h = 0.4 km.
    assert grid.density.max() == pytest.approx(3 / (math.pi * 0.4**2))
    assert grid.points == 1


def test_density_integrates_to_the_number_of_incidents():
    rng = np.random.default_rng(0)
    lat = 41.9 + rng.normal(0, 0.01, 500)
    lon = -87.7 + rng.normal(0, 0.01, 500)
    grid = density.kernel_density(lat, lon, bandwidth_m=400, cell_m=25)
    cell_km2 = (grid.cell_m / 1000) ** 2
    # The sampled kernel sums to 1 only up to the sampling error of 25 m cells.
    assert grid.density.sum() * cell_km2 == pytest.approx(500, rel=0.01)


def test_support_counts_incidents_within_the_bandwidth():
    # Two incidents 200 m apart (north-south); a third 5 km away.
    lat = [41.9, 41.9 + 200 / 111_195, 41.9 + 0.045]
    grid = density.kernel_density(lat, [-87.7] * 3, bandwidth_m=400, cell_m=50)
    assert grid.support.max() == 2
    assert set(np.unique(grid.support)) == {0.0, 1.0, 2.0}


def test_geojson_one_outline_per_class_and_the_public_threshold():
    rng = np.random.default_rng(1)
    lat = np.concatenate([41.9 + rng.normal(0, 0.002, 50), [41.95]])
    lon = np.concatenate([-87.7 + rng.normal(0, 0.002, 50), [-87.6]])
    grid = density.kernel_density(lat, lon, bandwidth_m=400, cell_m=100)
    everything = density.density_geojson(grid)
    public = density.density_geojson(grid, min_support=5)
    assert everything["type"] == "FeatureCollection"
    assert [f["properties"]["class"] for f in everything["features"]] == [1, 2, 3, 4, 5]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in everything["features"]]
    # The outlines tile exactly the squares kept: their total area is that many squares.
    kept = int(((grid.density > 0) & (grid.support >= 1)).sum())
    square = shapely.box(-87.7, 41.9, -87.7 + 100 / 82_900, 41.9 + 100 / 111_195)
    total = sum(s.area for s in shapes)
    assert total == pytest.approx(kept * square.area, rel=0.01)
    # Classes do not overlap.
    assert shapely.union_all(shapes).area == pytest.approx(total, rel=1e-6)
    # Each class holds the range of values it says.
    lows = [f["properties"]["low"] for f in everything["features"]]
    assert lows == sorted(lows)

    lone = shapely.Point(-87.6, 41.95)
    assert any(s.contains(lone) for s in shapes)
    public_shapes = [shapely.geometry.shape(f["geometry"]) for f in public["features"]]
    assert public_shapes and not any(s.contains(lone) for s in public_shapes)
    assert any(s.contains(shapely.Point(-87.7, 41.9)) for s in public_shapes)


def test_the_layer_is_small_for_a_city_of_incidents():
    """Thousands of squares merge into five outlines: at least three times fewer
    vertices than the five per square that sending squares would take (on
    uniform noise, the worst case: real incidents cluster and merge better)."""
    rng = np.random.default_rng(2)
    lat = 41.85 + rng.uniform(0, 0.1, 5000)
    lon = -87.75 + rng.uniform(0, 0.1, 5000)
    grid = density.kernel_density(lat, lon, bandwidth_m=400, cell_m=100)
    layer = density.density_geojson(grid)
    squares = int((grid.density > 0).sum())
    vertices = sum(
        len(shapely.get_coordinates(shapely.geometry.shape(f["geometry"])))
        for f in layer["features"]
    )
    assert squares > 10_000
    assert vertices * 3 < squares * 5


def test_no_incidents_no_squares():
    grid = density.kernel_density([], [], bandwidth_m=400, cell_m=100)
    assert density.density_geojson(grid)["features"] == []


def test_bandwidth_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        density.kernel_density([41.9], [-87.7], bandwidth_m=0, cell_m=100)
