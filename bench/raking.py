"""Raking 100,000 respondents × 5 variables: ours against Meta's balance, same data, same run.

The sample: 100,000 respondents, five variables with 2, 3, 6, 5 and 8
categories (gender, tenure, age band, race/ethnicity, area), drawn with a
deliberate skew against realistic targets (older, owning, white, women and
some areas over-represented, as self-selected surveys are), so raking has
real work to do (the largest uncapped weight is about 17).

- ours: `roundtable.analytics.raking.rake`, from the code arrays to the
  weights, best and median of RUNS_OURS runs;
- balance 0.23.0 (`balance.weighting_methods.rake.rake`), in its own venv
  (bench/reference_venv.py, built on first use), timed inside that process
  around the `rake` call only (building its DataFrames is not timed), best of
  RUNS_BALANCE runs.

Same convergence for both: balance stops when every margin is within a
relative 1e-10 of its target (convergence_rate 1e-10, rate_tolerance 0);
ours gets tolerance 1e-10 × the smallest target share, so its absolute test
is at least as strict. The weights are compared (max relative difference).

With a cap of 5: ours re-rakes after each cap (anesrake's rule); balance's
`weight_trimming_mean_ratio=5` clips once after raking without re-raking,
a cheaper and different rule, timed for the record only.
"""

from __future__ import annotations

import time

import numpy as np

from bench import timed
from bench.reference_venv import balance_rake, reference_python
from roundtable.analytics.raking import rake

N = 100_000
TARGETS = [
    np.array([0.52, 0.48]),
    np.array([0.45, 0.50, 0.05]),
    np.array([0.20, 0.19, 0.17, 0.17, 0.15, 0.12]),
    np.array([0.33, 0.29, 0.29, 0.07, 0.02]),
    np.array([0.16, 0.14, 0.13, 0.13, 0.12, 0.12, 0.11, 0.09]),
]
# How much more (or less) likely each category is to answer than its share says.
TILTS = [
    np.array([1.25, 0.75]),
    np.array([1.5, 0.6, 0.8]),
    np.array([0.4, 0.7, 1.0, 1.3, 1.6, 1.5]),
    np.array([1.6, 0.6, 0.7, 1.1, 0.8]),
    np.array([1.6, 1.3, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6]),
]
CAP = 5.0
RELATIVE_TOLERANCE = 1e-10
RUNS_OURS = 7
RUNS_BALANCE = 3
SEED = 2026


def sample() -> list[np.ndarray]:
    rng = np.random.default_rng(SEED)
    codes = []
    for target, tilt in zip(TARGETS, TILTS, strict=True):
        p = target * tilt
        codes.append(rng.choice(target.size, size=N, p=p / p.sum()))
    return codes


def margin_gap(codes: list[np.ndarray], weights: np.ndarray) -> float:
    """Largest |weighted share − target| over all variables and categories."""
    return max(
        float(np.abs(np.bincount(c, weights=weights, minlength=t.size) / weights.sum() - t).max())
        for c, t in zip(codes, TARGETS, strict=True)
    )


def run() -> dict[str, str]:
    results: dict[str, str] = {}
    started = time.perf_counter()
    reference_python()  # builds the reference venv if this machine has none yet
    results["reference venv"] = f"ready in {time.perf_counter() - started:.1f} s"
    codes = sample()
    tolerance = RELATIVE_TOLERANCE * min(float(t.min()) for t in TARGETS)

    ours, best, median = timed(lambda: rake(codes, TARGETS, tolerance=tolerance), RUNS_OURS)
    theirs = balance_rake(codes, TARGETS, convergence_rate=RELATIVE_TOLERANCE,
                          rate_tolerance=0.0, runs=RUNS_BALANCE)  # fmt: skip
    gap = float(np.abs(ours.weights / theirs.weights - 1).max())
    results["data"] = (
        f"{N:,} respondents × {len(TARGETS)} variables "
        f"({', '.join(str(t.size) for t in TARGETS)} categories); "
        f"largest weight {ours.weights.max():.2f}"
    )
    results["ours, no cap"] = (
        f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms; {ours.iterations} iterations"
    )
    results["balance, no cap"] = (
        f"best {theirs.seconds * 1000:.1f} ms; {theirs.iterations} iterations, "
        f"converged {theirs.converged}"
    )
    results["speed-up, no cap"] = f"{theirs.seconds / best:.1f}x (best against best)"
    results["max |ours ÷ balance − 1|"] = f"{gap:.1e}"

    capped, cap_best, cap_median = timed(
        lambda: rake(codes, TARGETS, cap=CAP, tolerance=tolerance), RUNS_OURS
    )
    trimmed = balance_rake(codes, TARGETS, convergence_rate=RELATIVE_TOLERANCE, rate_tolerance=0.0,
                           weight_trimming_mean_ratio=CAP, runs=RUNS_BALANCE)  # fmt: skip
    results[f"ours, cap {CAP:g} (anesrake)"] = (
        f"best {cap_best * 1000:.1f} ms, median {cap_median * 1000:.1f} ms; "
        f"{capped.iterations} iterations, converged {capped.converged}, "
        f"largest weight {capped.weights.max():.3f}, margins within "
        f"{margin_gap(codes, capped.weights):.1e}"
    )
    results[f"balance, trim {CAP:g} (once)"] = (
        f"best {trimmed.seconds * 1000:.1f} ms; largest weight {trimmed.weights.max():.3f} "
        f"(÷ mean), margins within {margin_gap(codes, trimmed.weights):.1e}"
    )
    results[f"speed-up, cap {CAP:g}"] = f"{trimmed.seconds / cap_best:.1f}x (best against best)"
    return results
