"""Raking to margins, anesrake's missing-answer and cap rules, and the documented example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from roundtable.analytics import raking
from roundtable.analytics.raking import EmptyCell, NotConverged, RakingError, rake
from roundtable.analytics.survey_estimates import design_effect, effective_n, margin_of_error

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "analytics" / "survey-weighting.md"


def weighted_shares(codes: np.ndarray, k: int, weights: np.ndarray) -> np.ndarray:
    answered = codes >= 0
    totals = np.bincount(codes[answered], weights=weights[answered], minlength=k)
    shares: np.ndarray = totals / totals.sum()
    return shares


def skewed_sample(seed: int, n: int, sizes: tuple[int, ...], missing: float = 0.0):
    rng = np.random.default_rng(seed)
    codes, targets = [], []
    for k in sizes:
        sample_p = rng.dirichlet(np.full(k, 3.0))
        code = rng.choice(k, size=n, p=sample_p)
        if missing:
            code[rng.random(n) < missing] = -1
        codes.append(code)
        targets.append(rng.dirichlet(np.full(k, 3.0)))
    return codes, targets


# anesrake 0.80, R/rakelist.R and R/rakeonvar.default.R, transcribed line by line
# (numeric codes 0 … k−1 here, −1 for NA; targets as proportions).
def anesrake_rakeonvar(code: np.ndarray, target: np.ndarray, w: np.ndarray) -> np.ndarray:
    weightto = target * w.sum()  # sum(weightto) < 1.5: proportions of the weight total
    if (code == -1).any():  # the "(Missing)" level keeps its own weight total
        mis = w[code == -1].sum()
        weightto = weightto * ((w.sum() - mis) / weightto.sum())
    w = w.copy()
    for level in range(target.size):
        members = code == level
        w[members] = w[members] * (weightto[level] / w[members].sum())
    return w


def anesrake_rakelist(codes, targets, *, cap=999999.0, maxit=1000, convcrit=0.01,
                      cap_slack=1e-4):  # fmt: skip
    w = np.ones(codes[0].size)
    diferr, diferrold = 9999999.0, 99999999999.0
    g = 0
    while diferr < (1 - convcrit) * diferrold:
        g += 1
        wvold = w
        for code, target in zip(codes, targets, strict=True):
            w = anesrake_rakeonvar(code, target, w)
        while w.max() > cap + cap_slack:
            w = np.where(w > cap, cap, w)
            w = w / w.mean()
        diferrold = diferr
        diferr = float(np.abs(w - wvold).sum())
        if g > maxit:
            diferrold = 0.0
    return w, g


def test_weights_meet_every_margin_and_have_mean_one() -> None:
    codes, targets = skewed_sample(1, 3000, (2, 4, 6))
    result = rake(codes, targets)
    assert result.converged
    assert result.weights.shape == (3000,)
    assert result.weights.mean() == pytest.approx(1.0, abs=1e-12)
    assert result.max_margin_gap <= 1e-10
    for code, target in zip(codes, targets, strict=True):
        np.testing.assert_allclose(weighted_shares(code, target.size, result.weights), target,
                                   atol=1e-10)  # fmt: skip


def test_one_variable_is_post_stratification() -> None:
    code = np.array([0, 0, 0, 1])
    result = rake([code], [np.array([0.5, 0.5])])
    # Each group's weight = target share ÷ sample share.
    np.testing.assert_allclose(result.weights, [2 / 3, 2 / 3, 2 / 3, 2.0])
    assert result.iterations == 2  # the first pass lands, the second confirms nothing moves


def test_a_sample_that_already_matches_needs_no_weighting() -> None:
    code_a = np.array([0, 1, 0, 1])
    code_b = np.array([0, 0, 1, 1])
    result = rake([code_a, code_b], [np.array([0.5, 0.5]), np.array([0.5, 0.5])])
    np.testing.assert_array_equal(result.weights, np.ones(4))
    assert result.iterations == 1


def test_same_weights_whichever_way_the_cells_are_found(monkeypatch) -> None:
    codes, targets = skewed_sample(2, 2000, (3, 5, 2, 4), missing=0.05)
    dense = rake(codes, targets)
    monkeypatch.setattr(raking, "DENSE_COMBINATIONS", 0)  # force np.unique
    codes_big = [c.copy() for c in codes]
    sparse = rake(codes_big, targets)
    np.testing.assert_allclose(sparse.weights, dense.weights, rtol=1e-13)


def test_respondents_always_share_a_weight_with_their_cell() -> None:
    codes, targets = skewed_sample(3, 500, (2, 3))
    weights = rake(codes, targets).weights
    for a in range(2):
        for b in range(3):
            cell = weights[(codes[0] == a) & (codes[1] == b)]
            assert np.ptp(cell) == 0


def test_missing_answers_follow_anesrake() -> None:
    codes, targets = skewed_sample(4, 1500, (3, 4, 2), missing=0.1)
    ours = rake(codes, targets)
    theirs, _ = anesrake_rakelist(codes, targets, convcrit=0.0, maxit=5000)
    np.testing.assert_allclose(ours.weights, theirs, rtol=1e-9)
    # Among those who answered, each variable meets its targets.
    for code, target in zip(codes, targets, strict=True):
        np.testing.assert_allclose(weighted_shares(code, target.size, ours.weights), target,
                                   atol=1e-10)  # fmt: skip


def test_someone_who_answered_nothing_keeps_weight_one_before_normalising() -> None:
    codes = [np.array([0, 0, 0, 1, 1, -1]), np.array([0, 1, 1, 0, 1, -1])]
    result = rake(codes, [np.array([0.5, 0.5]), np.array([0.5, 0.5])])
    # Raking keeps the total, so the person nobody could adjust stays at the mean.
    assert result.weights[5] == pytest.approx(1.0)
    assert result.weights[:5].sum() == pytest.approx(5.0)


def test_cap_follows_anesrakes_rakelist() -> None:
    codes, targets = skewed_sample(8, 2000, (2, 4, 5), missing=0.03)
    uncapped = rake(codes, targets)
    assert uncapped.weights.max() > 6  # so a cap of 4.5 binds
    ours = rake(codes, targets, cap=4.5)
    assert ours.converged
    assert ours.weights.max() == pytest.approx(4.5)
    # anesrake's loop, run to its end point (no 1e-4 slack, no early stop) …
    exact, _ = anesrake_rakelist(codes, targets, cap=4.5, convcrit=0.0, maxit=20000,
                                 cap_slack=1e-13)  # fmt: skip
    np.testing.assert_allclose(ours.weights, exact, rtol=1e-8)
    # … and as anesrake ships it (convcrit 0.01, cap slack 1e-4): the same weights,
    # to the precision anesrake stops at.
    shipped, _ = anesrake_rakelist(codes, targets, cap=4.5)
    np.testing.assert_allclose(ours.weights, shipped, rtol=2e-4)
    for code, target in zip(codes, targets, strict=True):
        np.testing.assert_allclose(weighted_shares(code, target.size, ours.weights), target,
                                   atol=1e-10)  # fmt: skip


def test_cap_step_is_the_end_of_anesrakes_capping_loop() -> None:
    rng = np.random.default_rng(6)
    weights = rng.lognormal(0, 1, 300)
    counts = rng.integers(1, 5, 300).astype(float)
    weights = weights / (np.dot(weights, counts) / counts.sum())
    capped = raking._cap(weights, counts, 2.5)
    assert np.dot(capped, counts) / counts.sum() == pytest.approx(1.0, abs=1e-12)
    assert capped.max() == pytest.approx(2.5)
    loop = np.repeat(weights, counts.astype(int))
    while loop.max() > 2.5 + 1e-14:
        loop = np.where(loop > 2.5, 2.5, loop)
        loop = loop / loop.mean()
    np.testing.assert_allclose(np.repeat(capped, counts.astype(int)), loop, rtol=1e-10)


def test_a_cap_the_margins_cannot_meet_is_not_converged() -> None:
    # 1 young person of 10 must carry half the weight: 5 × the mean, above a cap of 2.
    age = np.array([0] + [1] * 9)
    tenure = np.array([0, 1] * 5)
    targets = [np.array([0.5, 0.5]), np.array([0.5, 0.5])]
    with pytest.raises(
        NotConverged, match=r"did not converge in 50 iterations.*cap of 2"
    ) as failed:
        rake([age, tenure], targets, cap=2.0, max_iterations=50)
    result = failed.value.result
    assert not result.converged
    assert result.iterations == 50
    assert result.max_margin_gap > 0.1
    assert result.weights.max() <= 2.0 + 1e-12
    quiet = rake([age, tenure], targets, cap=2.0, max_iterations=50, raise_on_failure=False)
    assert not quiet.converged
    np.testing.assert_array_equal(quiet.weights, result.weights)


def test_an_empty_cell_names_the_variable_and_category() -> None:
    codes = [np.array([0, 0, 1, 1]), np.array([0, 1, 0, 0])]
    targets = [np.array([0.5, 0.5]), np.array([0.3, 0.5, 0.2])]
    labels = [["young", "old"], ["own", "rent", "other"]]
    with pytest.raises(EmptyCell, match=r"tenure = other: the target share is 0\.2"):
        rake(codes, targets, names=["age", "tenure"], labels=labels)
    with pytest.raises(EmptyCell, match="variable 2 = category 2"):
        rake(codes, targets)


def test_nobody_answering_a_variable_is_an_empty_cell() -> None:
    with pytest.raises(EmptyCell, match="no respondent has a value"):
        rake([np.array([0, 1]), np.array([-1, -1])], [np.array([0.5, 0.5]), np.array([1.0])])


def test_a_zero_share_with_respondents_is_refused() -> None:
    with pytest.raises(RakingError, match="1 respondents but a target share of 0"):
        rake([np.array([0, 1, 2])], [np.array([0.5, 0.5, 0.0])])
    # A zero share nobody is in is fine.
    result = rake([np.array([0, 1])], [np.array([0.5, 0.5, 0.0])])
    np.testing.assert_allclose(result.weights, [1.0, 1.0])


@pytest.mark.parametrize(
    ("codes", "targets", "kwargs", "message"),
    [
        ([], [], {}, "no variable"),
        ([np.array([0, 1])], [], {}, "1 code arrays but 0 target arrays"),
        ([np.array([0, 1]), np.array([0])], [np.ones(2) / 2, np.ones(1)], {},
         r"one value per respondent \(2\)"),
        ([np.array([0.0, 1.0])], [np.ones(2) / 2], {}, "must be integers"),
        ([np.array([0, 2])], [np.ones(2) / 2], {}, "code 2 is not a category"),
        ([np.array([0, -3])], [np.ones(2) / 2], {}, "code -3 is not a category"),
        ([np.array([0, 1])], [np.array([0.5, 0.6])], {}, "sum to 1.1, not 1"),
        ([np.array([0, 1])], [np.array([1.5, -0.5])], {}, "not negative"),
        ([np.array([], dtype=int)], [np.ones(2) / 2], {}, "no respondents"),
        ([np.array([0, 1])], [np.ones(2) / 2], {"cap": 1.0}, "greater than 1"),
        ([np.array([0, 1])], [np.ones(2) / 2], {"tolerance": 0.0}, "tolerance"),
        ([np.array([0, 1])], [np.ones(2) / 2], {"max_iterations": 0}, "max_iterations"),
    ],
)  # fmt: skip
def test_bad_inputs_say_what_is_wrong(codes, targets, kwargs, message) -> None:
    with pytest.raises(RakingError, match=message):
        rake(codes, targets, **kwargs)


def test_shares_a_rounding_away_from_one_are_rescaled() -> None:
    result = rake([np.array([0, 1, 1])], [np.array([0.5, 0.5000004])])
    assert weighted_shares(np.array([0, 1, 1]), 2, result.weights)[0] == pytest.approx(
        0.5 / 1.0000004, abs=1e-12
    )


# The worked example of docs/analytics/survey-weighting.md: the tables there are
# these strings; if the maths changes, the test prints the new tables to paste.
EXAMPLE_CELLS = (("young", "rent", 1), ("young", "own", 2), ("old", "rent", 1),
                 ("old", "own", 6))  # fmt: skip
EXAMPLE_AGE = {"young": 0.4, "old": 0.6}
EXAMPLE_TENURE = {"own": 0.6, "rent": 0.4}
EXAMPLE_CAP = 2.0


def example_codes() -> tuple[list[np.ndarray], list[np.ndarray]]:
    ages, tenures = list(EXAMPLE_AGE), list(EXAMPLE_TENURE)
    age = np.repeat([ages.index(a) for a, _t, _n in EXAMPLE_CELLS], [n for *_, n in EXAMPLE_CELLS])
    tenure = np.repeat([tenures.index(t) for _a, t, _n in EXAMPLE_CELLS],
                       [n for *_, n in EXAMPLE_CELLS])  # fmt: skip
    return [age, tenure], [np.array(list(EXAMPLE_AGE.values())),
                           np.array(list(EXAMPLE_TENURE.values()))]  # fmt: skip


def example_tables() -> list[str]:
    """The first pass by hand (per cell), then the final weights with and without the cap."""
    codes, targets = example_codes()
    age, tenure = codes
    n = age.size
    first = [f"{cell[0]}, {cell[1]}" for cell in EXAMPLE_CELLS]
    rows = np.cumsum([0] + [c[2] for c in EXAMPLE_CELLS])[:-1]  # one respondent per cell

    # Iteration 1, by hand: age step, tenure step, then the cap.
    w = np.ones(n)
    age_factor = targets[0] * n / np.bincount(age, weights=w)
    after_age = w * age_factor[age]
    tenure_factor = targets[1] * n / np.bincount(tenure, weights=after_age)
    after_tenure = after_age * tenure_factor[tenure]
    above = after_tenure > EXAMPLE_CAP
    scale = (n - EXAMPLE_CAP * above.sum()) / after_tenure[~above].sum()
    after_cap = np.minimum(after_tenure * scale, EXAMPLE_CAP)
    assert (after_cap[~above] <= EXAMPLE_CAP).all()  # one round of capping was enough here
    engine = rake(codes, targets, cap=EXAMPLE_CAP, max_iterations=1, raise_on_failure=False)
    np.testing.assert_allclose(engine.weights, after_cap, rtol=1e-12)

    lines = [
        "| Cell (age, tenure) | Respondents | Age factor | After the age step | Tenure factor "
        "| After the tenure step | After the cap |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, (_a, _t, count), i in zip(first, EXAMPLE_CELLS, rows, strict=True):
        lines.append(
            f"| {label} | {count} | {age_factor[age[i]]:.4f} | {after_age[i]:.4f} | "
            f"{tenure_factor[tenure[i]]:.4f} | {after_tenure[i]:.4f} | {after_cap[i]:.4f} |"
        )
    first_pass = "\n".join(lines) + "\n"
    uncapped = rake(codes, targets)
    capped = rake(codes, targets, cap=EXAMPLE_CAP)
    lines = [
        "| Cell (age, tenure) | Respondents | Weight, no cap | Weight, cap 2 |",
        "|---|---|---|---|",
    ]
    for label, (_a, _t, count), i in zip(first, EXAMPLE_CELLS, rows, strict=True):
        lines.append(f"| {label} | {count} | {uncapped.weights[i]:.4f} | {capped.weights[i]:.4f} |")

    def moe(r: raking.RakeResult) -> str:
        return f"±{margin_of_error(0.5, effective_n(r.weights)):.4f}"

    for name, figure in (
        ("Iterations", lambda r: f"{r.iterations}"),
        ("Largest weighted share − target", lambda r: f"{r.max_margin_gap:.1e}"),
        ("Design effect", lambda r: f"{design_effect(r.weights):.4f}"),
        ("Effective sample size", lambda r: f"{effective_n(r.weights):.4f}"),
        ("Worst-case margin of error", moe),
    ):  # fmt: skip
        lines.append(f"| {name} | | {figure(uncapped)} | {figure(capped)} |")
    return [first_pass, "\n".join(lines) + "\n"]


def test_the_worked_example_in_the_docs() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for table in example_tables():
        assert table in doc, (
            "docs/analytics/survey-weighting.md's worked example is out of date; this table "
            f"is now:\n\n{table}"
        )


def test_the_worked_example_ends_on_round_numbers() -> None:
    # Young renter and old renter at the cap, young owners at 1, old owners at 2/3:
    # young 2 + 1 + 1 = 4 of 10 (40 %), renters 2 + 2 = 4 of 10 (40 %).
    codes, targets = example_codes()
    capped = rake(codes, targets, cap=EXAMPLE_CAP)
    np.testing.assert_allclose(capped.weights, [2, 1, 1, 2] + [2 / 3] * 6, rtol=1e-9)
