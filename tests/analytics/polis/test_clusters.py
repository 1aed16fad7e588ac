"""Polis's k-means, its stopping rule, its ties, and the silhouette."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import silhouette_score

from roundtable.analytics.polis.clusters import (
    distance_matrix,
    group_clusters,
    init_clusters,
    kmeans,
    max_k,
    nearest_center,
    same_clustering,
    silhouette,
)


def on_a_line(*xs):
    return np.array([[x, 0.0] for x in xs])


def test_init_takes_the_first_k_distinct_points_in_order():
    points = on_a_line(3, 3, 1, 3, 2, 5)
    assert init_clusters(points, 3).tolist() == [[3, 0], [1, 0], [2, 0]]


def test_a_tie_goes_to_the_last_centre():
    # 1 is as far from 0 as from 2: `apply min-key` keeps the last minimum.
    assert nearest_center(on_a_line(1), on_a_line(0, 2)).tolist() == [1]
    many_points = np.tile(on_a_line(1), (1_000_001, 1))
    # The k-d tree path (many points, several centres) breaks ties the same way.
    assert set(nearest_center(many_points, on_a_line(0, 2, 9)).tolist()) == {1}


def test_kmeans_runs_max_iters_plus_one_steps_at_most():
    points = on_a_line(0, 1, 10, 11, 12)
    # Start at 0 and 1. Step 1: {0}, {1, 10, 11, 12} → centres 0 and 8.5.
    one_step = kmeans(points, 2, max_iters=0)
    assert one_step.centers.tolist() == [[0, 0], [8.5, 0]]
    # Step 2 moves 1 across: centres 0.5 and 11; step 3 changes nothing and stops.
    converged = kmeans(points, 2, max_iters=20)
    assert converged.centers.tolist() == [[0.5, 0], [11, 0]]
    assert converged.labels.tolist() == [0, 0, 1, 1, 1]


def test_weights_move_the_centre():
    points = on_a_line(0, 1, 10)
    clustering = kmeans(points, 1, weights=np.array([1.0, 3.0, 1.0]))
    assert clustering.centers[0, 0] == pytest.approx(13 / 5)


def test_same_clustering_compares_sorted_centres_within_0_01():
    a = np.array([[0.0, 0.0], [5.0, 5.0]])
    assert same_clustering(a, a[::-1] + 0.005)
    assert not same_clustering(a, a + np.array([0.0, 0.011]))


def test_silhouette_by_hand():
    points = on_a_line(0, 1, 5, 6)
    labels = np.array([0, 0, 1, 1])
    # Point 0: a = 1, b = 5.5 → 4.5/5.5; point 1: a = 1, b = 4.5 → 3.5/4.5; symmetric.
    expected = (4.5 / 5.5 + 3.5 / 4.5) / 2
    assert silhouette(distance_matrix(points), labels) == pytest.approx(expected)
    assert silhouette(distance_matrix(points), labels) == pytest.approx(
        silhouette_score(points, labels)
    )


def test_a_member_alone_in_its_cluster_scores_zero():
    points = on_a_line(0, 1, 5, 6)
    labels = np.array([0, 1, 1, 1])
    # Point 0 scores 0; point 1: a = 4.5, b = 1 → −3.5/4.5; points 5 and 6: 0.5 each.
    expected = (0 - 3.5 / 4.5 + 0.5 + 0.5) / 4
    assert silhouette(distance_matrix(points), labels) == pytest.approx(expected)
    assert silhouette(distance_matrix(points), labels) == pytest.approx(
        silhouette_score(points, labels)
    )


def test_max_k_grows_with_the_number_of_base_clusters():
    assert [max_k(n, 5) for n in (2, 11, 12, 24, 36, 100)] == [2, 2, 3, 4, 5, 5]


def test_group_clusters_picks_the_k_with_the_best_silhouette():
    rng = np.random.default_rng(0)
    blobs = [rng.normal(loc=c, scale=0.2, size=(40, 2)) for c in ((0, 0), (6, 0), (3, 6))]
    # Interleaved, so the first base clusters (the group k-means' start) come
    # from different blobs; k-means from Polis's start is a local search.
    points = np.stack(blobs, axis=1).reshape(-1, 2)
    blob = np.tile([0, 1, 2], 40)
    result = group_clusters(points)
    assert result is not None
    assert result.k == 3
    assert result.silhouettes[3] == max(result.silhouettes.values())
    labels = result.groups.labels[result.base.labels]
    # Each blob is one group.
    assert [len(set(labels[blob == b])) for b in range(3)] == [1, 1, 1]
    assert len(set(labels)) == 3


def test_fewer_than_two_distinct_points_make_no_groups():
    assert group_clusters(np.zeros((5, 2))) is None
    assert group_clusters(np.zeros((0, 2))) is None
