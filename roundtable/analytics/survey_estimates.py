"""Weighted survey estimates and their margins of error from the effective sample size.

Pure NumPy, no Django. Formulas (docs/analytics/survey-weighting.md):

- Kish's design effect due to unequal weights (Kish 1965, *Survey Sampling*,
  §11.7; Kish 1992, "Weighting for unequal P_i", J. Official Statistics 8(2)):
  deff = n·Σw² / (Σw)², and the effective sample size n_eff = n / deff =
  (Σw)² / Σw² — the number of unweighted respondents that would give the
  same precision.
- A weighted mean x̄_w = Σw·x / Σw, with the weighted standard deviation
  sd_w = √(Σw·(x − x̄_w)² / Σw), has the margin of error z·sd_w / √n_eff
  (z = 1.96 for 95 %): the simple-random-sample formula with n replaced by
  n_eff, which is how Kish's deff is meant to be used (and what Pew Research
  Center and AAPOR report as the "margin of error adjusted for the design
  effect"). It ignores stratification and clustering, which a self-selected
  survey has none of.
- A weighted share p has sd √(p(1 − p)), so its margin of error is
  z·√(p(1 − p) / n_eff); the weighted mean of a 0/1 answer gives exactly the
  same figure. The worst case, p = ½, is z·√(0.25 / n_eff).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

Z_95 = 1.96


def _weights(weights: ArrayLike) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError("weights must be one value per respondent")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights must be finite and not negative")
    return w


def effective_n(weights: ArrayLike) -> float:
    """Kish's effective sample size (Σw)² / Σw²; 0 for no weight at all."""
    w = _weights(weights)
    squares = float(np.dot(w, w))
    return 0.0 if squares == 0 else float(w.sum()) ** 2 / squares


def design_effect(weights: ArrayLike) -> float:
    """Kish's design effect due to weighting, n·Σw² / (Σw)² (1 for equal weights)."""
    w = _weights(weights)
    total = float(w.sum())
    if total == 0:
        return math.nan
    return w.size * float(np.dot(w, w)) / total**2


def proportion_sd(p: float) -> float:
    """The standard deviation √(p(1 − p)) of a 0/1 answer whose share is p."""
    return math.sqrt(max(p * (1.0 - p), 0.0))


def margin_of_error(sd: float, n_eff: float, *, z: float = Z_95) -> float:
    """z·sd / √n_eff: half the width of the confidence interval; NaN without any sample.

    For a share p pass `proportion_sd(p)`; the worst case is sd = 0.5.
    """
    if not n_eff > 0:
        return math.nan
    return z * sd / math.sqrt(n_eff)


@dataclass(frozen=True)
class WeightedMean:
    value: float  # NaN when nobody answered
    moe: float  # margin of error (95 %) in the value's units
    n: int  # respondents counted (those who answered)
    effective_n: float


def weighted_mean(values: ArrayLike, weights: ArrayLike, *, z: float = Z_95) -> WeightedMean:
    """Σw·x / Σw over the respondents with a value (NaN = no answer, skipped), with its MoE.

    MoE = z·sd_w / √n_eff with sd_w = √(Σw·(x − x̄)² / Σw), the weighted
    population standard deviation, and n_eff Kish's over the same respondents.
    """
    x = np.asarray(values, dtype=np.float64)
    w = _weights(weights)
    if x.shape != w.shape:
        raise ValueError("values and weights must have the same length")
    keep = ~np.isnan(x)
    x, w = x[keep], w[keep]
    total = float(w.sum())
    if total == 0:
        return WeightedMean(math.nan, math.nan, int(x.size), 0.0)
    mean = float(np.dot(w, x)) / total
    sd = math.sqrt(max(float(np.dot(w, (x - mean) ** 2)) / total, 0.0))
    n_eff = effective_n(w)
    return WeightedMean(mean, margin_of_error(sd, n_eff, z=z), int(x.size), n_eff)


def weighted_shares(
    codes: ArrayLike, k: int, weights: ArrayLike, *, z: float = Z_95
) -> list[WeightedMean]:
    """The weighted share (×100) of each of k categories among those who answered, with MoEs.

    codes: category index 0 … k − 1 per respondent, −1 = no answer (left out).
    MoE = 100·z·√(p(1 − p) / n_eff). `n` and `effective_n` are those of the
    respondents who answered (the base of the shares), the same for every
    category; a category's own count is np.bincount(codes[codes >= 0]).
    """
    c = np.asarray(codes)
    w = _weights(weights)
    if c.shape != w.shape:
        raise ValueError("codes and weights must have the same length")
    if c.size and (c.min() < -1 or c.max() >= k):
        raise ValueError(f"codes must be −1 or 0 … {k - 1}")
    answered = c >= 0
    base = w[answered]
    total = float(base.sum())
    n, n_eff = int(answered.sum()), effective_n(base)
    if total == 0:
        return [WeightedMean(math.nan, math.nan, n, 0.0) for _ in range(k)]
    totals = np.bincount(c[answered].astype(np.int64), weights=base, minlength=k)
    shares = []
    for share in (totals / total).tolist():
        moe = margin_of_error(proportion_sd(share), n_eff, z=z)
        shares.append(WeightedMean(100.0 * share, 100.0 * moe, n, n_eff))
    return shares
