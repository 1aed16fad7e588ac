"""PCA and projections against dense reference computations of pca.clj."""

from __future__ import annotations

import math

import numpy as np
import pytest

from roundtable.analytics.polis import VoteTable
from roundtable.analytics.polis.matrix import rating_matrix
from roundtable.analytics.polis.pca import pca, project_participants, project_statements


def random_votes(n_participants, n_statements, density, seed):
    rng = np.random.default_rng(seed)
    mask = rng.random((n_participants, n_statements)) < density
    mask[:, 0] = True  # every participant votes at least once
    mask[0, :] = True  # every statement has a vote
    taste = rng.normal(size=(n_participants, 1)) * rng.normal(size=(1, n_statements))
    values = np.where(taste + rng.normal(scale=0.5, size=taste.shape) > 0, 1, -1)
    values[rng.random(values.shape) < 0.15] = 0
    rows, cols = np.nonzero(mask)
    return rows, cols + 1, values[rows, cols]


def dense_rating_matrix(table, mod_out_cols):
    """pca.clj's input the slow way: nil (NaN) for missing, mod-out columns set to 0."""
    n_rows, n_cols = table.shape
    mat = np.full((n_rows, n_cols), np.nan)
    mat[table.rows, table.cols] = table.values
    mat[:, mod_out_cols] = 0.0
    return mat


@pytest.mark.parametrize("n_statements", [12, 60])
def test_components_match_the_svd_of_the_dense_imputed_centred_matrix(n_statements):
    rows, cols, values = random_votes(80, n_statements, 0.4, seed=n_statements)
    table = VoteTable.from_votes(rows, cols, values)
    rm = rating_matrix(table, moderated_out=[3])
    model, _ = pca(rm, seed=1)

    mat = dense_rating_matrix(table, [2])
    means = np.nanmean(mat, axis=0)
    imputed = np.where(np.isnan(mat), means, mat)
    centred = imputed - imputed.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)

    np.testing.assert_allclose(model.center, means, atol=1e-12)
    for i in range(2):
        assert abs(float(vt[i] @ model.components[i])) == pytest.approx(1.0, abs=1e-8)
        # The sign convention: the largest-magnitude entry is positive.
        assert model.components[i][np.argmax(np.abs(model.components[i]))] > 0


def test_projection_matches_a_direct_loop_of_sparsity_aware_project_ptpt():
    rows, cols, values = random_votes(40, 15, 0.3, seed=7)
    table = VoteTable.from_votes(rows, cols, values)
    rm = rating_matrix(table, moderated_out=[5])
    model, xc = pca(rm)
    proj = project_participants(rm, model, xc)

    mat = dense_rating_matrix(table, [4])
    pc1, pc2 = model.components
    for r in range(table.shape[0]):
        n_votes, p1, p2 = 0, 0.0, 0.0
        for x, c, a, b in zip(mat[r], model.center, pc1, pc2, strict=True):
            if not np.isnan(x):
                n_votes += 1
                p1 += (x - c) * a
                p2 += (x - c) * b
        scale = math.sqrt(len(mat[r]) / max(n_votes, 1))
        assert proj[r] == pytest.approx([p1 * scale, p2 * scale], abs=1e-10)


def test_statement_projection_is_a_lone_agree_scaled_by_root_n():
    rows, cols, values = random_votes(30, 10, 0.5, seed=3)
    rm = rating_matrix(VoteTable.from_votes(rows, cols, values))
    model, _ = pca(rm)
    points, extremity = project_statements(model)
    j = 4
    expected = (1 - model.center[j]) * model.components[:, j] * math.sqrt(10)
    assert points[j] == pytest.approx(expected)
    assert extremity[j] == pytest.approx(np.hypot(*expected))


def test_a_matrix_with_no_variation_projects_everyone_to_the_origin():
    table = VoteTable.from_votes([1, 2, 3], [1, 1, 1], [0, 0, 0])
    rm = rating_matrix(table)
    model, xc = pca(rm)
    assert not model.components.any()
    assert not project_participants(rm, model, xc).any()
