"""Gi*: esda's z-scores exactly, the permutation null exactly, FDR and bins."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import sparse, stats

from roundtable.analytics import gistar, hexgrid


def clustered_grid(seed: int = 1, points: int = 3000):
    rng = np.random.default_rng(seed)
    centres = rng.random((8, 2))
    pts = centres[rng.integers(0, 8, points)] * [0.1, 0.12] + rng.normal(0, 0.003, (points, 2))
    cells = hexgrid.cells_for_points(41.8 + pts[:, 0], -87.7 + pts[:, 1], 9)
    return hexgrid.build_grid(cells, 1)


def test_z_scores_match_esda_to_1e_9():
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    grid = clustered_grid()
    w = libpysal.weights.WSP(grid.weights).to_W(silence_warnings=True)
    reference = esda.G_Local(grid.counts, w, transform="B", star=True, permutations=0)
    ours = gistar.gi_star(grid.counts, grid.weights, permutations=0)
    assert grid.cells.size > 300
    np.testing.assert_allclose(ours.z, reference.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.g, reference.Gs, rtol=0, atol=1e-12)


def line_weights(n: int) -> sparse.csr_matrix:
    """Cells on a line, each with itself and its neighbours left and right."""
    return sparse.diags([1.0, 1.0, 1.0], [-1, 0, 1], shape=(n, n), format="csr")


def exact_directed_p(y: np.ndarray, weights: sparse.csr_matrix, i: int) -> tuple[float, float]:
    """P(perm >= observed) and P(perm <= observed) by enumerating every draw."""
    neighbours = weights[i].indices
    others = np.delete(y, i)
    observed = y[neighbours].sum()
    c = len(neighbours) - 1
    sums = np.array([y[i] + sum(s) for s in itertools.combinations(others, c)])
    return float((sums >= observed).mean()), float((sums <= observed).mean())


def test_permutation_p_follows_the_exact_conditional_null():
    y = np.array([9.0, 7.0, 8.0, 1.0, 0.0, 2.0, 0.0, 1.0, 3.0, 0.0])
    weights = line_weights(y.size)
    permutations = 40_000
    result = gistar.gi_star(y, weights, permutations=permutations, seed=5)
    for i in range(y.size):
        ge, le = exact_directed_p(y, weights, i)
        expected = min(1.0, 2 * min(ge, le))
        # Monte Carlo error of a proportion with 40,000 draws is under 0.005.
        assert result.p[i] == pytest.approx(expected, abs=0.012), i


def test_p_is_twice_esdas_directed_p_without_ties():
    rng = np.random.default_rng(2)
    y = rng.gamma(2.0, 3.0, 300)  # continuous: no ties
    weights = line_weights(y.size)
    result = gistar.gi_star(y, weights, permutations=99, seed=1)
    np.testing.assert_allclose(result.p, np.minimum(1.0, 2 * result.p_directed))


def test_the_same_seed_gives_the_same_p_and_another_seed_another():
    grid = clustered_grid()
    first = gistar.gi_star(grid.counts, grid.weights, seed=7)
    again = gistar.gi_star(grid.counts, grid.weights, seed=7)
    other = gistar.gi_star(grid.counts, grid.weights, seed=8)
    assert np.array_equal(first.p, again.p)
    assert not np.array_equal(first.p, other.p)


def test_clusters_are_hot_spots_after_fdr():
    grid = clustered_grid(points=6000)
    result = gistar.gi_star(grid.counts, grid.weights, permutations=999)
    busiest = np.argmax(grid.weights @ grid.counts)
    assert result.bin[busiest] > 0
    hot = result.bin > 0
    assert hot.any()
    assert np.all(result.z[hot] > 0)


def test_fdr_is_benjamini_hochberg_and_bins_follow_it():
    grid = clustered_grid()
    result = gistar.gi_star(grid.counts, grid.weights, permutations=199)
    np.testing.assert_allclose(result.p_fdr, stats.false_discovery_control(result.p, method="bh"))
    assert np.all(result.p_fdr >= result.p)
    expected = np.sign(result.z) * np.select(
        [result.p_fdr < 0.01, result.p_fdr < 0.05, result.p_fdr < 0.10], [3, 2, 1], 0
    )
    assert np.array_equal(result.bin, expected)


def test_confidence_bins():
    z = np.array([4.0, -4.0, 2.0, -2.0, 1.7, 0.5, 3.0])
    q = np.array([0.001, 0.005, 0.03, 0.04, 0.09, 0.5, 0.10])
    assert gistar.confidence_bins(z, q).tolist() == [3, -3, 2, -2, 1, 0, 0]


def test_without_permutations_p_is_the_normal_two_sided_p():
    grid = clustered_grid()
    result = gistar.gi_star(grid.counts, grid.weights, permutations=0)
    np.testing.assert_allclose(result.p, 2 * stats.norm.sf(np.abs(result.z)))


def test_no_incidents_means_no_hot_spots():
    weights = line_weights(5)
    result = gistar.gi_star(np.zeros(5), weights)
    assert result.z.tolist() == [0.0] * 5
    assert result.p.tolist() == [1.0] * 5
    assert result.bin.tolist() == [0] * 5


def test_weights_must_be_binary_with_the_cell_included():
    with pytest.raises(ValueError, match="binary"):
        gistar.gi_star(np.ones(3), sparse.csr_matrix(np.full((3, 3), 0.5)))
    without_self = sparse.csr_matrix(np.array([[0.0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    with pytest.raises(ValueError, match="binary"):
        gistar.gi_star(np.ones(3), without_self)
