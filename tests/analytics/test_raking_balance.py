"""Our uncapped raking weights against Meta's `balance` (0.23.0) `rake`, run for real.

balance cannot share the project's venv (it pins numpy<2), so it runs in
`.venv-reference/balance`, built on first use by bench/reference_venv.py
(about a minute on a clean machine, under a file lock so pytest-xdist workers
build it once). Both sides get the same codes and shares; balance gets its
IPF tolerances tightened (convergence_rate 1e-13, rate_tolerance 0) so that it
runs to the fixed point instead of stopping at its default 5e-4. Weights are
compared normalised to mean 1.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from bench.reference_venv import balance_rake
from roundtable.analytics.raking import rake
from roundtable.analytics.survey_estimates import design_effect, effective_n

# The real CMAP profiles, copied into the fixtures (source and terms in their README).
CENSUS = (
    Path(__file__).resolve().parents[1]
    / "fixtures" / "census" / "chicago-community-area-profiles-acs2016-2020.csv"
)  # fmt: skip
CENSUS_GROUPS = {
    "age": (("A20_34",), ("A35_49",), ("A50_64",), ("A65_74", "A75_84", "OV85")),
    "race": (("WHITE",), ("HISP",), ("BLACK",), ("ASIAN",), ("OTHER",)),
    "income": (("INC_LT_25K",), ("INC_25_50K",), ("INC_50_75K",), ("INC_75_100K",),
               ("INC_100_150K",), ("INC_GT_150",)),
    "tenure": (("OWN_OCC_HU",), ("RENT_OCC_HU",)),
}  # fmt: skip


def tilted(rng: np.random.Generator, shares: np.ndarray, strength: float) -> np.ndarray:
    """A sample distribution that over- and under-represents categories, like a real survey."""
    tilt = shares * rng.lognormal(0.0, strength, shares.size)
    distribution: np.ndarray = tilt / tilt.sum()
    return distribution


def synthetic(
    seed: int, n: int, targets: list[np.ndarray], strength: float = 0.6
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    codes = [rng.choice(t.size, size=n, p=tilted(rng, t, strength)) for t in targets]
    return codes, targets


def census_case() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """City-wide shares of the Chicago community-area profiles, plus the area itself."""
    with CENSUS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    targets = []
    for groups in CENSUS_GROUPS.values():
        counts = np.array([sum(float(r[c]) for r in rows for c in g) for g in groups])
        targets.append(counts / counts.sum())
    population = np.array([float(r["TOT_POP"]) for r in rows])
    targets.append(population / population.sum())  # 77 community areas
    return synthetic(11, 20_000, targets, strength=0.5)


def compare(codes: list[np.ndarray], targets: list[np.ndarray]) -> None:
    ours = rake(codes, targets, tolerance=1e-12)
    reference = balance_rake(codes, targets)
    assert reference.converged
    assert ours.converged
    assert ours.weights.max() > 1.5  # the case really reweights
    np.testing.assert_allclose(ours.weights, reference.weights, rtol=1e-6)
    # Tighter in practice: both reach the same fixed point to rounding.
    assert np.abs(ours.weights / reference.weights - 1).max() < 1e-9
    assert design_effect(ours.weights) == pytest.approx(reference.design_effect, rel=1e-9)
    assert effective_n(ours.weights) == pytest.approx(reference.effective_n, rel=1e-9)


def test_three_variables_match_balance() -> None:
    rng = np.random.default_rng(21)
    targets = [rng.dirichlet(np.full(k, 4.0)) for k in (2, 4, 6)]
    compare(*synthetic(1, 2_000, targets))


def test_five_variables_with_skewed_targets_match_balance() -> None:
    targets = [
        np.array([0.52, 0.48]),
        np.array([0.45, 0.50, 0.05]),
        np.array([0.02, 0.08, 0.20, 0.30, 0.40]),  # a 2 % category, much rarer in the target
        np.array([0.30, 0.30, 0.20, 0.10, 0.06, 0.04]),
        np.array([0.25, 0.20, 0.15, 0.12, 0.10, 0.08, 0.06, 0.04]),
    ]
    codes, _ = synthetic(2, 5_000, targets, strength=0.8)
    compare(codes, targets)


def test_chicago_census_margins_match_balance() -> None:
    compare(*census_case())
