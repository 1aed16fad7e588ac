"""Emerging hot spots: Gi* per time bin, Mann-Kendall trend, Esri's categories.

Pure NumPy/SciPy, no Django.

Mann-Kendall trend test (Mann 1945, "Nonparametric tests against trend",
Econometrica 13:245-259; Kendall 1975, *Rank Correlation Methods*, 4th ed.),
vectorised over rows, as `pymannkendall.original_test`:

    S      = sum_{i<j} sign(x_j − x_i)
    Var(S) = [n(n−1)(2n+5) − sum_t t(t−1)(2t+5)] / 18   (t: sizes of tied groups)
    z      = (S − 1)/sqrt(Var S) if S > 0, (S + 1)/sqrt(Var S) if S < 0, else 0
    p      = 2 (1 − Φ(|z|)),   tau = S / (n(n−1)/2)

Emerging hot spot analysis (Esri, ArcGIS Pro "How Emerging Hot Spot Analysis
works", learnmoreemerging.htm): Gi* is computed for each time bin on the same
grid and weights; a bin is a significant hot (cold) spot when its
Benjamini-Hochberg adjusted p-value is below `alpha` and z > 0 (z < 0). Here
the per-bin p-values are the *analytical* two-sided normal ones (no
permutations: dozens of bins times 999 permutations buy little for a map
category), adjusted by BH within each bin. Esri uses a space-time Gi* whose
neighbourhood also spans adjacent time steps; we use the purely spatial Gi*
per bin and say so. The trend is the Mann-Kendall test on each cell's series
of Gi* z-scores, significant when its p < alpha.

Categories (hot; the cold ones mirror them with hot and cold swapped), as
Esri defines them; "90 %" means at least 90 % of the bins:

    new           hot in the final bin only, never before
    consecutive   a single uninterrupted run of >= 2 hot bins ending with the
                  final bin, never hot before the run, under 90 % hot
    intensifying  hot in >= 90 % of bins including the final one, significant
                  upward trend of z
    persistent    hot in >= 90 % of bins including the final one, no
                  significant trend
    diminishing   hot in >= 90 % of bins including the final one, significant
                  downward trend
    sporadic      hot in the final bin, under 90 % hot, on and off, never cold
    oscillating   hot in the final bin, under 90 % hot, cold in some earlier bin
    historical    not hot in the final bin, but hot in >= 90 % of bins
    no_pattern    none of these
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse, stats

from roundtable.analytics.gistar import gi_star

F64 = npt.NDArray[np.float64]

CATEGORIES: tuple[str, ...] = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
)
ALL_CATEGORIES: tuple[str, ...] = (
    *(f"{c}_hot" for c in CATEGORIES),
    *(f"{c}_cold" for c in CATEGORIES),
    "no_pattern",
)


@dataclass(frozen=True)
class MannKendall:
    s: F64
    variance: F64
    z: F64
    p: F64
    tau: F64


def _tie_term(series: F64) -> F64:
    """sum over tied groups of t(t−1)(2t+5), per row."""
    rows, n = series.shape
    ordered = np.sort(series, axis=1)
    starts = np.ones((rows, n), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    run_id = np.cumsum(starts.ravel()) - 1
    sizes = np.bincount(run_id).astype(np.float64)
    run_row = np.repeat(np.arange(rows), n)[starts.ravel()]
    terms = sizes * (sizes - 1) * (2 * sizes + 5)
    return np.bincount(run_row, weights=terms, minlength=rows).astype(np.float64)


def mann_kendall(series: npt.ArrayLike) -> MannKendall:
    """The Mann-Kendall test of every row of `series` (cells × bins)."""
    x = np.atleast_2d(np.asarray(series, dtype=np.float64))
    rows, n = x.shape
    s = np.zeros(rows, dtype=np.float64)
    for i in range(n - 1):
        s += np.sign(x[:, i + 1 :] - x[:, i : i + 1]).sum(axis=1)
    variance = (n * (n - 1) * (2 * n + 5) - _tie_term(x)) / 18.0 if rows else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(
            s > 0, (s - 1) / np.sqrt(variance), np.where(s < 0, (s + 1) / np.sqrt(variance), 0.0)
        )
    z = np.where(np.isfinite(z), z, 0.0)
    p = 2 * stats.norm.sf(np.abs(z))
    tau = s / (0.5 * n * (n - 1)) if n > 1 else np.zeros(rows)
    return MannKendall(s, variance, z, p, tau)


@dataclass(frozen=True)
class EmergingResult:
    category: npt.NDArray[np.str_]
    z: F64  # bins × cells Gi* z-scores
    hot: npt.NDArray[np.bool_]  # bins × cells significant hot
    cold: npt.NDArray[np.bool_]
    trend: MannKendall  # per cell, on the z series


def _classify_side(
    sig: npt.NDArray[np.bool_],
    opposite: npt.NDArray[np.bool_],
    rising: npt.NDArray[np.bool_],
    falling: npt.NDArray[np.bool_],
    side: str,
) -> npt.NDArray[np.str_]:
    """Esri's categories for one side; `sig` and `opposite` are bins × cells."""
    bins, cells = sig.shape
    out = np.full(cells, "", dtype=object)
    count = sig.sum(axis=0)
    mostly = count / bins >= 0.9
    final = sig[-1]
    # Length of the run of significant bins that ends with the final bin.
    run = np.zeros(cells, dtype=np.int64)
    still = np.ones(cells, dtype=bool)
    for b in range(bins - 1, -1, -1):
        still &= sig[b]
        run += still
    ever_opposite = opposite.any(axis=0)
    trend = rising | falling
    # Checked in this order; the first that holds names the cell.
    rules = [
        ("historical", ~final & mostly),
        ("intensifying", final & mostly & rising),
        ("diminishing", final & mostly & falling),
        ("persistent", final & mostly & ~trend),
        ("new", final & (count == 1)),
        ("consecutive", final & ~mostly & (run >= 2) & (run == count)),
        ("oscillating", final & ~mostly & ever_opposite),
        ("sporadic", final & ~mostly & ~ever_opposite),
    ]
    for name, mask in rules:
        out[(out == "") & mask] = f"{name}_{side}"
    return out.astype(str)


def classify(
    hot: npt.ArrayLike, cold: npt.ArrayLike, trend: MannKendall, *, alpha: float = 0.10
) -> npt.NDArray[np.str_]:
    """Each cell's category from its significant hot/cold bins (bins × cells) and z trend.

    A hot category wins over a cold one; the cold ones mirror the hot ones
    (an intensifying cold spot grows colder: its z-scores fall).
    """
    hot_a = np.atleast_2d(np.asarray(hot, dtype=bool))
    cold_a = np.atleast_2d(np.asarray(cold, dtype=bool))
    up = (trend.p < alpha) & (trend.z > 0)
    down = (trend.p < alpha) & (trend.z < 0)
    hot_category = _classify_side(hot_a, cold_a, up, down, "hot")
    cold_category = _classify_side(cold_a, hot_a, down, up, "cold")
    named = np.where(hot_category != "", hot_category, cold_category)
    return np.where(named != "", named, "no_pattern").astype(str)


def emerging_hot_spots(
    counts: npt.ArrayLike, weights: sparse.csr_matrix, *, alpha: float = 0.10, seed: int = 0
) -> EmergingResult:
    """Esri's emerging hot spot category of each cell from counts (bins × cells)."""
    y = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    bins, cells = y.shape
    z = np.zeros((bins, cells))
    hot = np.zeros((bins, cells), dtype=bool)
    cold = np.zeros((bins, cells), dtype=bool)
    for b in range(bins):
        result = gi_star(y[b], weights, permutations=0, seed=seed)
        z[b] = result.z
        significant = result.p_fdr < alpha
        hot[b] = significant & (result.z > 0)
        cold[b] = significant & (result.z < 0)
    trend = mann_kendall(z.T)
    return EmergingResult(classify(hot, cold, trend, alpha=alpha), z, hot, cold, trend)
