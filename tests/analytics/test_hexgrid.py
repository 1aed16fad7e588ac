"""H3 grids: cells of points, k-ring padding and binary contiguity weights."""

from __future__ import annotations

import h3
import numpy as np
import pytest

from roundtable.analytics import hexgrid

# Around the Chicago Loop.
LAT, LON = 41.8781, -87.6298


def test_cells_for_points_agree_with_h3():
    lat = np.array([LAT, 41.93193, 41.70074])
    lon = np.array([LON, -87.70464, -87.64400])
    cells = hexgrid.cells_for_points(lat, lon, 9)
    assert cells.dtype == np.uint64
    expected = [h3.latlng_to_cell(a, b, 9) for a, b in zip(lat, lon, strict=True)]
    assert [hexgrid.h3_string(c) for c in cells] == expected


def test_one_occupied_cell_with_k1_makes_seven_cells():
    cell = hexgrid.cells_for_points([LAT], [LON], 9)
    grid = hexgrid.build_grid(np.repeat(cell, 3), 1)
    assert grid.cells.size == 7
    assert np.all(np.diff(grid.cells.astype(np.float64)) > 0)  # sorted, unique
    assert grid.counts.sum() == 3
    assert grid.counts[np.searchsorted(grid.cells, cell[0])] == 3
    degrees = np.asarray(grid.weights.sum(axis=1)).ravel()
    centre = np.searchsorted(grid.cells, cell[0])
    # The centre sees all 7; each ring cell itself, the centre and its two ring neighbours.
    assert degrees[centre] == 7
    assert sorted(np.delete(degrees, centre)) == [4] * 6


def test_weights_are_k_ring_contiguity_inside_the_grid():
    rng = np.random.default_rng(3)
    lat = LAT + rng.normal(0, 0.01, 60)
    lon = LON + rng.normal(0, 0.01, 60)
    for k in (1, 2):
        grid = hexgrid.build_grid(hexgrid.cells_for_points(lat, lon, 9), k)
        dense = grid.weights.toarray()
        assert np.array_equal(dense, dense.T)
        assert np.all(np.diag(dense) == 1)
        assert set(np.unique(dense)) <= {0.0, 1.0}
        names = [hexgrid.h3_string(c) for c in grid.cells]
        for i in rng.choice(len(names), 15, replace=False):
            for j in rng.choice(len(names), 15, replace=False):
                near = h3.grid_distance(names[i], names[j]) <= k
                assert dense[i, j] == near


def test_every_grid_cell_is_occupied_or_within_k_of_an_occupied_one():
    rng = np.random.default_rng(4)
    cells = hexgrid.cells_for_points(
        LAT + rng.normal(0, 0.02, 40), LON + rng.normal(0, 0.02, 40), 9
    )
    grid = hexgrid.build_grid(cells, 2)
    occupied = {hexgrid.h3_string(c) for c in np.unique(cells)}
    expected = set().union(*(h3.grid_disk(c, 2) for c in occupied))
    assert {hexgrid.h3_string(c) for c in grid.cells} == expected
    assert grid.counts.sum() == 40


def test_k0_gives_the_occupied_cells_and_the_identity():
    cells = hexgrid.cells_for_points([LAT, LAT + 0.05], [LON, LON], 9)
    grid = hexgrid.build_grid(cells, 0)
    assert grid.cells.size == 2
    assert np.array_equal(grid.weights.toarray(), np.eye(2))


def test_no_points_no_grid():
    grid = hexgrid.build_grid(np.empty(0, np.uint64), 1)
    assert grid.cells.size == 0
    assert grid.weights.shape == (0, 0)


def test_negative_k_is_refused():
    with pytest.raises(ValueError, match="k must"):
        hexgrid.build_grid(np.empty(0, np.uint64), -1)


def test_cell_polygons_are_closed_lon_lat_rings_around_the_cell():
    cell = hexgrid.cells_for_points([LAT], [LON], 9)
    (ring,) = hexgrid.cell_polygons(cell)
    assert len(ring) == 7
    assert ring[0] == ring[-1]
    lons, lats = zip(*ring, strict=True)
    assert min(lons) < LON < max(lons)
    assert min(lats) < LAT < max(lats)
