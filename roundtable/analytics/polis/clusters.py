"""k-means as Polis runs it, the silhouette, and the two-level clustering.

Source: compdemocracy/polis math/src/polismath/math/clusters.clj
(`init-clusters`, `cluster-step`, `add-to-closest`, `same-clustering?`,
`kmeans`, `silhouette`) and conversation.clj (`:base-clusters`,
`:group-clusterings`, `:group-clusterings-silhouettes`, `max-k-fn`,
`:group-k-smoother`); Small et al. 2021 §3.3.

Polis first cuts the in-conversation participants' 2-D points into up to
100 "base clusters", then groups the base-cluster centres (weighted by
their sizes) with k = 2…5 and keeps the k with the best silhouette. The
k-means here is Polis's, not a textbook one: the start is the first k
distinct points in order (no random restarts), empty clusters are dropped
rather than re-seeded, and it stops when the sorted centres all moved less
than 0.01, or after max-iters + 1 steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

# clusters.clj `same-clustering?` threshold.
SAME_CLUSTERING_THRESHOLD = 0.01
# conversation.clj opts: `:base-iters` 100. The group clustering passes
# `:cluster-iters`, a key `kmeans` does not read, so its default 20 applies.
BASE_ITERS = 100
GROUP_ITERS = 20
# Above this many point × centre pairs the nearest centre comes from a k-d tree.
_DENSE_PAIRS = 2_000_000


@dataclass(frozen=True)
class Clustering:
    ids: NDArray[np.int64]  # id of each surviving cluster, ascending
    centers: NDArray[np.float64]  # one row per cluster
    labels: NDArray[np.int64]  # per point: index into ids/centers


def init_clusters(points: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    """clusters.clj `init-clusters`: the first k distinct points, in order."""
    if len(points) == 0:
        return np.zeros((0, points.shape[1] if points.ndim == 2 else 2))
    _, first = np.unique(points, axis=0, return_index=True)
    return np.asarray(points[np.sort(first)[:k]])


def nearest_center(points: NDArray[np.float64], centers: NDArray[np.float64]) -> NDArray[np.int64]:
    """clusters.clj `add-to-closest`: index of the nearest centre, the LAST one on ties.

    (`apply min-key` returns the last of equal minima; the centres are
    visited in id order, as Clojure's array map keeps them for k ≤ 8.)
    Distances are compared squared, dx² + dy², as `matrix/distance` before
    its square root.
    """
    m = len(centers)
    if len(points) * m <= _DENSE_PAIRS or m < 3:
        d2 = np.zeros((len(points), m))
        for axis in range(points.shape[1]):
            diff = points[:, axis, None] - centers[None, :, axis]
            d2 += diff * diff
        reversed_first = np.argmin(d2[:, ::-1], axis=1)
        return np.asarray(m - 1 - reversed_first, dtype=np.int64)
    # Many points: a k-d tree proposes the two nearest centres, and the
    # exact squared distances (as above) decide between them, ties to the
    # higher index.
    _, candidates = cKDTree(centers).query(points, k=2, workers=-1)
    first, second = candidates[:, 0], candidates[:, 1]
    d_first = _squared_distance(points, centers[first])
    d_second = _squared_distance(points, centers[second])
    take_second = (d_second < d_first) | ((d_second == d_first) & (second > first))
    return np.asarray(np.where(take_second, second, first), dtype=np.int64)


def _squared_distance(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise dx² + dy², summed in the same order as the dense path above."""
    total = np.zeros(len(a))
    for axis in range(a.shape[1]):
        diff = a[:, axis] - b[:, axis]
        total += diff * diff
    return total


def same_clustering(a: NDArray[np.float64], b: NDArray[np.float64]) -> bool:
    """clusters.clj `same-clustering?`: sort both sets of centres, pair them, all moved < 0.01.

    Vectors sort lexicographically; pairs are zipped, so when a cluster was
    dropped the longer list's tail is not compared.
    """
    n = min(len(a), len(b))
    sa = a[np.lexsort(a.T[::-1])][:n]
    sb = b[np.lexsort(b.T[::-1])][:n]
    return bool(np.all(np.sqrt(((sa - sb) ** 2).sum(axis=1)) < SAME_CLUSTERING_THRESHOLD))


def kmeans(
    points: NDArray[np.float64],
    k: int,
    *,
    weights: NDArray[np.float64] | None = None,
    max_iters: int = GROUP_ITERS,
) -> Clustering:
    """clusters.clj `kmeans` from a fresh start (no `:last-clusters`).

    Each `cluster-step` assigns every point to its nearest centre, drops
    clusters left empty, and moves each centre to its members' (weighted)
    mean. The loop runs until `same-clustering?` or max_iters + 1 steps.
    """
    points = np.asarray(points, dtype=np.float64)
    n = len(points)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    centers = init_clusters(points, k)
    ids = np.arange(len(centers), dtype=np.int64)
    labels = np.zeros(n, dtype=np.int64)
    if len(centers) == 0:
        return Clustering(ids=ids, centers=centers, labels=labels)
    for step in range(max_iters + 1):
        labels = nearest_center(points, centers)
        m = len(centers)
        members = np.bincount(labels, minlength=m)
        total = np.bincount(labels, weights=w, minlength=m)
        alive = members > 0
        new_centers = np.empty((m, points.shape[1]))
        for axis in range(points.shape[1]):
            sums = np.bincount(labels, weights=w * points[:, axis], minlength=m)
            new_centers[:, axis] = np.divide(sums, total, out=np.zeros(m), where=total > 0)
        remap = np.cumsum(alive) - 1
        labels = remap[labels]
        new_centers = new_centers[alive]
        ids = ids[alive]
        done = step == max_iters or same_clustering(centers, new_centers)
        centers = new_centers
        if done:
            break
    return Clustering(ids=ids, centers=centers, labels=labels)


def silhouette(distances: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """clusters.clj `silhouette` over the base clusters (unweighted mean of members).

    For member i: a = mean distance to the other members of its cluster,
    b = the smallest mean distance to another cluster's members, s =
    (b − a)/max(a, b); a member alone in its cluster scores 0. When a = b =
    0 (coincident centres) the Clojure divides 0 by 0; here that member
    scores 0. A clustering with a single cluster has no b and scores 0.
    """
    n = len(labels)
    if n == 0:
        return 0.0
    k = int(labels.max()) + 1
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    sizes = onehot.sum(axis=0)
    if np.count_nonzero(sizes) < 2:
        return 0.0
    sums = distances @ onehot  # n × k: total distance from i to each cluster
    own = labels
    own_size = sizes[own]
    with np.errstate(divide="ignore", invalid="ignore"):
        a = sums[np.arange(n), own] / (own_size - 1)
        means = sums / sizes[None, :]
    means[np.arange(n), own] = np.inf
    means[:, sizes == 0] = np.inf
    b = means.min(axis=1)
    top = np.maximum(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where((own_size > 1) & (top > 0), (b - a) / top, 0.0)
    return float(s.mean())


def distance_matrix(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """clusters.clj `dist-matrix`: Euclidean distances between all pairs of rows."""
    diff = points[:, None, :] - points[None, :, :]
    return np.asarray(np.sqrt((diff**2).sum(axis=2)))


def max_k(n_base: int, limit: int) -> int:
    """conversation.clj `max-k-fn`: min(max-k, 2 + ⌊base clusters / 12⌋)."""
    return min(limit, 2 + n_base // 12)


@dataclass(frozen=True)
class GroupClustering:
    base: Clustering  # over the in-conv points
    groups: Clustering  # over the base-cluster centres
    silhouettes: dict[int, float]  # k -> silhouette
    k: int  # the k chosen


def group_clusters(
    points: NDArray[np.float64], *, base_k: int = 100, max_k_limit: int = 5
) -> GroupClustering | None:
    """Base clusters, then the group clustering with the best silhouette.

    Returns None when the points have fewer than two distinct positions:
    there is nothing to divide (Polis would return a single group; see
    docs/analytics/opinion-mapping.md). The best k is `apply max-key`
    over k = 2…max: the largest k among equal silhouettes. Polis then
    smooths k over successive updates (`:group-k-smoother`, a buffer of 4);
    a one-shot analysis has no earlier updates, so the best k is used.
    """
    if len(points) == 0 or len(np.unique(points, axis=0)) < 2:
        return None
    base = kmeans(points, base_k, max_iters=BASE_ITERS)
    weights = np.bincount(base.labels, minlength=len(base.ids)).astype(np.float64)
    distances = distance_matrix(base.centers)
    clusterings: dict[int, Clustering] = {}
    silhouettes: dict[int, float] = {}
    for k in range(2, max_k(len(base.ids), max_k_limit) + 1):
        clustering = kmeans(base.centers, k, weights=weights, max_iters=GROUP_ITERS)
        clusterings[k] = clustering
        silhouettes[k] = silhouette(distances, clustering.labels)
    best = max(silhouettes.values())
    chosen = max(k for k, s in silhouettes.items() if s == best)
    return GroupClustering(base=base, groups=clusterings[chosen], silhouettes=silhouettes, k=chosen)
