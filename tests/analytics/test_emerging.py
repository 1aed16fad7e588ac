"""Mann-Kendall against pymannkendall, and Esri's emerging hot spot categories."""

from __future__ import annotations

import numpy as np
import pytest

from roundtable.analytics import emerging, hexgrid


def test_mann_kendall_matches_pymannkendall_with_and_without_ties():
    mk = pytest.importorskip("pymannkendall")
    rng = np.random.default_rng(0)
    series = np.vstack(
        [
            rng.integers(0, 4, (30, 12)),  # many ties
            rng.normal(0, 1, (30, 12)),  # no ties
            np.arange(12)[None, :] + rng.integers(0, 3, (10, 12)),  # rising
            np.full((2, 12), 5.0),  # constant
        ]
    ).astype(float)
    ours = emerging.mann_kendall(series)
    for i, row in enumerate(series):
        reference = mk.original_test(row)
        assert ours.s[i] == reference.s
        assert ours.variance[i] == pytest.approx(reference.var_s)
        assert ours.z[i] == pytest.approx(reference.z, nan_ok=True) or reference.var_s == 0
        assert ours.tau[i] == pytest.approx(reference.Tau)
        if reference.var_s > 0:
            assert ours.p[i] == pytest.approx(reference.p)


def test_a_constant_series_has_no_trend():
    result = emerging.mann_kendall(np.full((1, 8), 2.0))
    assert result.z[0] == 0.0
    assert result.p[0] == 1.0


def categories(hot_rows: list[str], cold_rows: list[str] | None = None, trend_z: float = 0.0):
    """One cell; hot/cold given as strings of 0/1 per bin, oldest first."""
    hot = np.array([[c == "1"] for c in hot_rows[0]])
    cold = np.array([[c == "1"] for c in (cold_rows or ["0" * len(hot_rows[0])])[0]])
    p = 0.01 if trend_z else 0.5
    trend = emerging.MannKendall(
        np.zeros(1), np.ones(1), np.array([trend_z]), np.array([p]), np.zeros(1)
    )
    return emerging.classify(hot, cold, trend)[0]


@pytest.mark.parametrize(
    ("hot", "cold", "trend", "expected"),
    [
        ("0000000001", None, 0.0, "new_hot"),
        ("0000000111", None, 0.0, "consecutive_hot"),
        ("0010000111", None, 0.0, "sporadic_hot"),
        ("1111111111", None, 3.0, "intensifying_hot"),
        ("1111111111", None, 0.0, "persistent_hot"),
        ("0111111111", None, -3.0, "diminishing_hot"),
        ("1111111110", None, 0.0, "historical_hot"),
        ("0000100101", None, 0.0, "sporadic_hot"),
        ("0000000101", "0110000000", 0.0, "oscillating_hot"),
        ("0000000000", "0000000001", 0.0, "new_cold"),
        ("0000000000", "1111111111", -3.0, "intensifying_cold"),
        ("0000000000", "0000011111", 0.0, "consecutive_cold"),
        ("1100000000", "0010000011", 0.0, "oscillating_cold"),
        # Esri: "never significant before the final run" speaks of the same side only.
        ("1100000000", "0000000011", 0.0, "consecutive_cold"),
        ("0000000000", "0000000000", 0.0, "no_pattern"),
        ("0000000100", None, 0.0, "no_pattern"),
    ],
)
def test_esri_categories(hot, cold, trend, expected):
    assert categories([hot], [cold] if cold else None, trend) == expected


def test_a_cluster_appearing_in_the_last_week_is_a_new_hot_spot():
    rng = np.random.default_rng(1)
    lat = 41.8 + rng.random(2000) * 0.05
    lon = -87.7 + rng.random(2000) * 0.05
    cells = hexgrid.cells_for_points(lat, lon, 9)
    grid = hexgrid.build_grid(cells, 1)
    where = np.searchsorted(grid.cells, cells)
    weeks = 8
    counts = np.zeros((weeks, grid.cells.size))
    np.add.at(counts, (rng.integers(0, weeks, cells.size), where), 1.0)
    target = where[0]
    counts[-1, grid.weights[target].indices] += 25
    result = emerging.emerging_hot_spots(counts, grid.weights)
    assert result.category[target] == "new_hot"
    assert result.z.shape == (weeks, grid.cells.size)
    assert set(result.category) <= set(emerging.ALL_CATEGORIES)
