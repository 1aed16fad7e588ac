"""Scores for the pairwise "wiki survey": a Bradley–Terry model of who beats whom.

Pure NumPy/SciPy, no Django. The survey app hands over every decided vote as a
(winner, loser) pair of item indices; "can't decide" votes carry no preference
and are not passed in.

Model
-----
Bradley & Terry (1952): item i beats item j with probability
σ(θi − θj) = 1 / (1 + exp(θj − θi)), where θ are log-strengths. `fit_strengths`
maximises the log-likelihood by Newton's method with step halving (it is
concave), and returns θ centred to mean 0.

The plain maximum-likelihood estimate exists only when the "who beat whom"
graph is strongly connected: every item must have beaten, directly or through
others, every other item (Zermelo 1929; Ford 1957; Hunter 2004, "MM algorithms
for generalized Bradley–Terry models", Ann. Statist. 32:384–406). A new
candidate that has only ever won would otherwise get an infinite strength. So
by default every item also gets `prior` virtual wins and `prior` virtual losses
against a fixed average item (θ = 0): a weak, symmetric regulariser in the
spirit of the smoothing used by All Our Ideas (Salganik & Levy 2015, "Wiki
surveys: open and quantifiable social data collection", PLoS ONE 10(5)), which
keeps every strength finite and pulls items with few votes towards the middle.
`prior=0` is the plain MLE and raises ValueError when it does not exist.

Checked against the published BradleyTerry2 fit of Stigler's journal
citations (Turner & Firth 2012, J. Stat. Softw. 48(9); the package's
tests/BTabilities.Rout.save): abilities Comm Statist −2.949, JASA −0.480,
JRSS-B 0.269 with Biometrika = 0.

Score and interval
------------------
score_i = 100 × mean over j ≠ i of σ(θi − θj): the estimated chance that item
i beats a randomly chosen *other* item, the quantity Salganik & Levy (2015)
report.

The interval comes from the normal (Laplace) approximation to the
distribution of θ: θ ~ N(θ̂, H⁻¹), with H the negative Hessian of the
regularised log-likelihood at θ̂: the observed information plus the
prior's, as in any maximum-likelihood (or posterior-mode) fit. With prior = 0
the reference item θ0 is held fixed, the parametrisation in which
BradleyTerry2 reports its standard errors. `bootstrap` seeded draws of θ are
turned into scores, and low/high are their (1 − level)/2 and (1 + level)/2
quantiles, widened if need be to contain the point score. We chose this over
resampling the votes because a resample can never contain an outcome that was
not observed: a new candidate that won its only two votes would get a narrow
interval near the top, whereas here the prior's virtual win and loss keep it
honestly wide until votes accumulate. Votes are treated as independent, which
they are not quite (one person's votes are alike), so intervals are if
anything too narrow for surveys with few participants.

Edge cases: an item nobody has voted on scores 50 with interval (0, 100): we
know nothing about it. No items gives []; a single item scores 50 with
interval (0, 100), having no "other" to beat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components
from scipy.special import expit

_MAX_ITERATIONS = 100
_TOLERANCE = 1e-10


@dataclass(frozen=True)
class ItemScore:
    item: int  # index 0..n_items-1
    score: float  # 0–100: chance (×100) of beating a randomly chosen other item
    low: float  # lower end of the uncertainty interval (same scale)
    high: float  # upper end
    wins: int
    losses: int


def win_matrix(n_items: int, winners: Sequence[int], losers: Sequence[int]) -> NDArray[np.float64]:
    """W[i, j] = how many times item i beat item j; validates the votes."""
    if n_items < 0:
        raise ValueError("n_items cannot be negative")
    w = np.asarray(winners, dtype=np.int64)
    loss = np.asarray(losers, dtype=np.int64)
    if w.shape != loss.shape or w.ndim != 1:
        raise ValueError("winners and losers must be sequences of the same length")
    if w.size and (min(w.min(), loss.min()) < 0 or max(w.max(), loss.max()) >= n_items):
        raise ValueError("an item index is out of range")
    if np.any(w == loss):
        raise ValueError("an item cannot be compared with itself")
    counts = np.bincount(w * n_items + loss, minlength=n_items * n_items)
    return counts.reshape(n_items, n_items).astype(np.float64)


def mle_exists(wins: NDArray[np.float64]) -> bool:
    """True when the directed "i beat j" graph is strongly connected."""
    n = wins.shape[0]
    if n < 2:
        return True
    n_components, _ = connected_components(wins > 0, directed=True, connection="strong")
    return bool(n_components == 1)


def _gradient_and_information(
    theta: NDArray[np.float64], wins: NDArray[np.float64], prior: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gradient of the regularised log-likelihood and its negative Hessian."""
    games = wins + wins.T
    p = expit(theta[:, None] - theta[None, :])
    gradient = wins.sum(axis=1) - np.sum(games * p, axis=1)
    weight = games * p * (1.0 - p)
    information = np.diag(weight.sum(axis=1)) - weight
    if prior > 0:
        s = expit(theta)
        gradient += prior * (1.0 - 2.0 * s)
        information += np.diag(2.0 * prior * s * (1.0 - s))
    return gradient, information


def _log_likelihood(theta: NDArray[np.float64], wins: NDArray[np.float64], prior: float) -> float:
    diff = theta[:, None] - theta[None, :]
    # log σ(x) = −log(1 + e^(−x)), computed stably.
    value = -float(np.sum(wins * np.logaddexp(0.0, -diff)))
    if prior > 0:
        value -= prior * float(np.sum(np.logaddexp(0.0, -theta) + np.logaddexp(0.0, theta)))
    return value


def _free(n: int, prior: float) -> slice:
    """The parameters that move: all with a prior, all but the reference item 0 without."""
    return slice(0, n) if prior > 0 else slice(1, n)


def _fit(wins: NDArray[np.float64], prior: float) -> NDArray[np.float64]:
    """Newton–Raphson with step halving; θ not yet centred.

    With prior = 0 the likelihood only sees differences, so θ[0] is held at 0
    (the reference item, as in BradleyTerry2).
    """
    n = wins.shape[0]
    theta = np.zeros(n)
    if n < 2:
        return theta
    free = _free(n, prior)
    current = _log_likelihood(theta, wins, prior)
    for _ in range(_MAX_ITERATIONS):
        gradient, information = _gradient_and_information(theta, wins, prior)
        step = np.zeros(n)
        step[free] = np.linalg.solve(information[free, free], gradient[free])
        # Step halving keeps every move uphill; the log-likelihood is concave.
        scale = 1.0
        while True:
            candidate = theta + scale * step
            value = _log_likelihood(candidate, wins, prior)
            if value >= current - 1e-12 or scale < 1e-8:
                break
            scale /= 2.0
        theta, previous, current = candidate, current, value
        if float(np.max(np.abs(scale * step))) < _TOLERANCE or abs(current - previous) < 1e-14:
            break
    return theta


def _fitted(
    n_items: int, winners: Sequence[int], losers: Sequence[int], prior: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(θ as fitted, not centred, and the win matrix). With a prior, θ is
    measured from the virtual average item, so the information must be taken
    at this θ, not at the centred one."""
    if prior < 0:
        raise ValueError("prior cannot be negative")
    wins = win_matrix(n_items, winners, losers)
    if prior == 0 and not mle_exists(wins):
        raise ValueError(
            "the maximum-likelihood strengths do not exist: some item never beat, "
            "even indirectly, some other item"
        )
    return _fit(wins, prior), wins


def fit_strengths(
    n_items: int, winners: Sequence[int], losers: Sequence[int], *, prior: float = 1.0
) -> NDArray[np.float64]:
    """Log-strengths θ (mean 0) from (winner, loser) votes.

    `prior` virtual wins and losses against an average item regularise the
    fit (see the module docstring); prior=0 gives the plain MLE and raises
    ValueError when the comparison graph is not strongly connected.
    """
    theta, _ = _fitted(n_items, winners, losers, prior)
    return theta - theta.mean() if n_items else theta


def reference_standard_errors(
    n_items: int, winners: Sequence[int], losers: Sequence[int], *, prior: float = 1.0
) -> NDArray[np.float64]:
    """Standard errors of θi − θ0 (item 0 as reference; its own is 0), from the
    inverse information: what BradleyTerry2's BTabilities reports as s.e."""
    theta, wins = _fitted(n_items, winners, losers, prior)
    errors = np.zeros(n_items)
    if n_items < 2:
        return errors
    _, information = _gradient_and_information(theta, wins, prior)
    if prior == 0:
        errors[1:] = np.sqrt(np.diag(np.linalg.inv(information[1:, 1:])))
    else:
        # Every θ is free here: Var(θi − θ0) = Σii + Σ00 − 2Σi0.
        cov = np.linalg.inv(information)
        errors[1:] = np.sqrt(np.diag(cov)[1:] + cov[0, 0] - 2.0 * cov[0, 1:])
    return errors


def chance_of_beating_another(theta: NDArray[np.float64]) -> NDArray[np.float64]:
    """100 × mean over j ≠ i of σ(θi − θj), for every i."""
    n = theta.size
    if n < 2:
        return np.full(n, 50.0)
    p = expit(theta[:, None] - theta[None, :])
    np.fill_diagonal(p, 0.0)
    return np.asarray(100.0 * p.sum(axis=1) / (n - 1), dtype=np.float64)


def _draw_scores(
    theta: NDArray[np.float64],
    wins: NDArray[np.float64],
    prior: float,
    draws: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Scores for `draws` samples of θ from N(θ̂, information⁻¹) (draws × n)."""
    n = theta.size
    free = _free(n, prior)
    _, information = _gradient_and_information(theta, wins, prior)
    covariance = np.linalg.inv(information[free, free])
    # Symmetrise against rounding before the factorisation.
    factor = np.linalg.cholesky((covariance + covariance.T) / 2.0)
    samples = np.tile(theta, (draws, 1))
    samples[:, free] += rng.standard_normal((draws, factor.shape[0])) @ factor.T
    return np.vstack([chance_of_beating_another(row) for row in samples])


def score_items(
    n_items: int,
    winners: Sequence[int],
    losers: Sequence[int],
    *,
    level: float = 0.9,
    bootstrap: int = 200,
    seed: int = 0,
    prior: float = 1.0,
) -> list[ItemScore]:
    """One ItemScore per item, in item order (sort by score to rank).

    `bootstrap` is the number of seeded draws behind the interval (see the
    module docstring); 0 gives low = high = score for voted items.
    """
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    if bootstrap < 0:
        raise ValueError("bootstrap cannot be negative")
    theta, wins = _fitted(n_items, winners, losers, prior)
    scores = chance_of_beating_another(theta)
    won = wins.sum(axis=1).astype(int)
    lost = wins.sum(axis=0).astype(int)
    low, high = scores.copy(), scores.copy()
    if n_items >= 2 and bootstrap > 0 and wins.sum() > 0:
        draws = _draw_scores(theta, wins, prior, bootstrap, np.random.default_rng(seed))
        tail = (1.0 - level) / 2.0
        low = np.minimum(np.quantile(draws, tail, axis=0), scores)
        high = np.maximum(np.quantile(draws, 1.0 - tail, axis=0), scores)

    results = []
    for i in range(n_items):
        unseen = won[i] + lost[i] == 0
        results.append(
            ItemScore(
                item=i,
                score=50.0 if unseen else float(scores[i]),
                low=0.0 if unseen else float(low[i]),
                high=100.0 if unseen else float(high[i]),
                wins=int(won[i]),
                losses=int(lost[i]),
            )
        )
    return results
