"""Raking (iterative proportional fitting) of survey weights to population margins.

Pure NumPy, no Django. docs/analytics/survey-weighting.md has the formulas,
the sources and a worked example; in short:

- *Raking* (Deming & Stephan 1940), as balance's `rake` and anesrake's
  `rakelist` do it: one variable after another, every respondent in category
  j of variable v is multiplied by t_vj · T_v / W_vj, where t_vj is the
  target share, W_vj the weighted total of the category and T_v the weighted
  total of those who answered v. A full pass over the variables is one
  iteration.
- *Missing answers* (code −1), anesrake's rule (`rakeonvar`): a respondent
  who did not answer v is left out of v's step — weight unchanged — and the
  targets apply to the weight total of those who answered.
- *Trimming*, anesrake's rule (`rakelist`): after each pass, weights above
  `cap` (a multiple of the mean weight, which is 1) are set to the cap and
  all weights rescaled to mean 1, repeated until none exceeds it; then the
  next pass re-rakes. We compute the end point of that repetition exactly
  (`_cap`), where anesrake stops within 10⁻⁴ of the cap.
- *Convergence* is judged on the margins, after the cap step: the largest
  |weighted share − target| over all variables and categories must be at most
  `tolerance`, and the pass must have moved no weight by more than
  `tolerance` (relative), so the weights have settled as well. anesrake stops
  instead when the total change of the weights stops shrinking by 1 % a pass,
  which can end with margins that do not match ("results are stable, but do
  not perfectly match population marginals"); here that is a NotConverged.

Speed: respondents with the same categories on every variable always share
one weight, so the work happens on the distinct combinations ("cells") with
their counts — an iteration costs O(cells), not O(respondents). balance does
the same with its full cross-table of categories.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from roundtable.analytics.survey_estimates import design_effect, effective_n

__all__ = [
    "EmptyCell",
    "NotConverged",
    "RakeResult",
    "RakingError",
    "design_effect",
    "effective_n",
    "rake",
]

# Shares of a variable may miss 1 by this much (rounded census shares); they
# are then rescaled to sum to exactly 1.
SHARE_SUM_TOLERANCE = 1e-6
# Above this many possible code combinations the cells come from a sort
# (np.unique) rather than a counting array.
DENSE_COMBINATIONS = 1 << 22

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


class RakingError(ValueError):
    """The inputs cannot be raked; the message names the variable and category."""


class EmptyCell(RakingError):
    """A category with a positive target share has no respondent."""


@dataclass(frozen=True)
class RakeResult:
    weights: Floats  # float64, one per respondent, mean 1
    iterations: int
    converged: bool
    max_margin_gap: float  # largest |weighted share − target| at the end


class NotConverged(RakingError):
    def __init__(self, message: str, result: RakeResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class _Cells:
    """Distinct code combinations: their counts, codes and each respondent's cell."""

    counts: Floats  # respondents per cell
    codes: list[Ints]  # per variable, the cell's category (−1 = missing)
    of_respondent: Ints  # cell index of each respondent


def _cells(codes: Sequence[Ints], sizes: Sequence[int]) -> _Cells:
    n = codes[0].size
    radices = [k + 1 for k in sizes]  # code + 1: 0 = missing
    combinations = 1
    for radix in radices:
        combinations *= radix
    if combinations <= max(DENSE_COMBINATIONS, 4 * n):
        combined = np.zeros(n, dtype=np.int64)
        for code, radix in zip(codes, radices, strict=True):
            combined *= radix
            combined += code + 1
        counts = np.bincount(combined, minlength=combinations)
        occupied = np.flatnonzero(counts)
        index = np.zeros(combinations, dtype=np.int64)
        index[occupied] = np.arange(occupied.size)
        of_respondent = index[combined]
        rest = occupied.copy()
        cell_codes: list[Ints] = []
        for radix in reversed(radices):
            cell_codes.append(rest % radix - 1)
            rest //= radix
        cell_codes.reverse()
        return _Cells(counts[occupied].astype(np.float64), cell_codes, of_respondent)
    table = np.column_stack(codes)
    unique, inverse, counts = np.unique(table, axis=0, return_inverse=True, return_counts=True)
    return _Cells(
        counts.astype(np.float64),
        [np.ascontiguousarray(unique[:, v]) for v in range(unique.shape[1])],
        inverse.reshape(-1).astype(np.int64),
    )


def _name(names: Sequence[str] | None, v: int) -> str:
    return names[v] if names is not None else f"variable {v + 1}"


def _label(labels: Sequence[Sequence[str]] | None, v: int, j: int) -> str:
    return labels[v][j] if labels is not None else f"category {j}"


def _checked(
    codes: Sequence[np.ndarray],
    targets: Sequence[np.ndarray],
    names: Sequence[str] | None,
    labels: Sequence[Sequence[str]] | None,
) -> tuple[list[Ints], list[Floats]]:
    if len(codes) == 0:
        raise RakingError("There is no variable to rake on.")
    if len(codes) != len(targets):
        raise RakingError(f"{len(codes)} code arrays but {len(targets)} target arrays.")
    checked_codes: list[Ints] = []
    checked_targets: list[Floats] = []
    n = np.asarray(codes[0]).size
    for v, (raw_codes, raw_shares) in enumerate(zip(codes, targets, strict=True)):
        name = _name(names, v)
        code = np.asarray(raw_codes)
        shares = np.asarray(raw_shares, dtype=np.float64)
        if code.ndim != 1 or code.size != n:
            raise RakingError(f"{name}: codes must be one value per respondent ({n}).")
        if code.size and not np.issubdtype(code.dtype, np.integer):
            raise RakingError(f"{name}: codes must be integers (category index, −1 = missing).")
        if shares.ndim != 1 or shares.size == 0:
            raise RakingError(f"{name}: the targets must be one share per category.")
        if not np.isfinite(shares).all() or (shares < 0).any():
            raise RakingError(f"{name}: target shares must be finite and not negative.")
        total = float(shares.sum())
        if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
            raise RakingError(f"{name}: target shares sum to {total:.6g}, not 1.")
        code = code.astype(np.int64, copy=False)
        if code.size and (code.min() < -1 or code.max() >= shares.size):
            bad = int(code[(code < -1) | (code >= shares.size)][0])
            raise RakingError(
                f"{name}: code {bad} is not a category (0 to {shares.size - 1}, or −1 = missing)."
            )
        checked_codes.append(code)
        checked_targets.append(shares / total)
    if n == 0:
        raise RakingError("There are no respondents to weight.")
    if labels is not None:
        for v, shares in enumerate(checked_targets):
            if len(labels[v]) != shares.size:
                raise RakingError(f"{_name(names, v)}: {len(labels[v])} labels for "
                                  f"{shares.size} categories.")  # fmt: skip
    return checked_codes, checked_targets


def _check_cells(
    cells: _Cells,
    targets: Sequence[Floats],
    names: Sequence[str] | None,
    labels: Sequence[Sequence[str]] | None,
) -> None:
    for v, shares in enumerate(targets):
        answered = cells.codes[v] >= 0
        present = np.bincount(cells.codes[v][answered], weights=cells.counts[answered],
                              minlength=shares.size)  # fmt: skip
        name = _name(names, v)
        if not answered.any():
            raise EmptyCell(f"{name}: no respondent has a value, so it cannot be weighted.")
        for j in range(shares.size):
            if shares[j] > 0 and present[j] == 0:
                raise EmptyCell(
                    f"{name} = {_label(labels, v, j)}: the target share is {shares[j]:.4g} but "
                    "no respondent is in this category; merge it with a neighbouring category "
                    "or drop the variable."
                )
            if shares[j] == 0 and present[j] > 0:
                raise RakingError(
                    f"{name} = {_label(labels, v, j)}: {int(present[j])} respondents but a "
                    "target share of 0; raking cannot weight them to nothing (give the category "
                    "a share, merge it, or code these answers as missing)."
                )


def _cap(weights: Floats, counts: Floats, cap: float) -> Floats:
    """The end point of anesrake's cap loop: min(s·w, cap) with mean 1, s from sorting.

    anesrake repeats "set weights above the cap to the cap, divide by the mean"
    until none exceeds the cap; each round scales the uncapped weights up and
    may push more over. It converges to w' = min(s·w, cap) with s chosen so
    the mean is 1, which we solve directly: with the m largest cells capped,
    s_m = (n − cap·N_m) / U_m (N_m respondents capped, U_m the weight total of
    the rest), and m is the first for which the largest uncapped weight stays
    under the cap.
    """
    if weights.max() <= cap:
        return weights
    order = np.argsort(-weights, kind="stable")
    sorted_w = weights[order]
    sorted_n = counts[order]
    total_n = sorted_n.sum()
    capped_n = np.concatenate(([0.0], np.cumsum(sorted_n)[:-1]))  # N_m for m = 0 … C−1
    rest_mass = np.cumsum((sorted_n * sorted_w)[::-1])[::-1]  # U_m
    # Weights that raking has driven to 0 (an unreachable cap) give U_m = 0: no fit there.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = (total_n - cap * capped_n) / rest_mass
        fits = scale * sorted_w <= cap
    m = int(np.argmax(fits))  # at least one cell stays uncapped, since cap > 1 = the mean
    capped: Floats = np.minimum(weights * scale[m], cap)
    return capped


def rake(
    codes: Sequence[np.ndarray],
    targets: Sequence[np.ndarray],
    *,
    cap: float | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
    raise_on_failure: bool = True,
    names: Sequence[str] | None = None,
    labels: Sequence[Sequence[str]] | None = None,
) -> RakeResult:
    """Weights (mean 1) whose weighted shares match `targets` on every variable.

    codes[v]: int array, one per respondent, the category index 0 … k_v − 1 or
    −1 = did not answer. targets[v]: the k_v target shares (sum 1 within 1e-6).
    cap: the largest weight allowed, as a multiple of the mean weight (> 1);
    None = no trimming. names / labels (optional): the variables' and
    categories' names, for error messages.

    Raises RakingError (EmptyCell for a target category nobody is in), and
    NotConverged (carrying the result) when the margins are not within
    `tolerance` after `max_iterations` passes, unless raise_on_failure=False.
    """
    if cap is not None and not (np.isfinite(cap) and cap > 1):
        raise RakingError(f"The cap must be greater than 1 (the mean weight), not {cap}.")
    if not tolerance > 0:
        raise RakingError("The tolerance must be positive.")
    if max_iterations < 1:
        raise RakingError("max_iterations must be at least 1.")
    checked_codes, shares = _checked(codes, targets, names, labels)
    cells = _cells(checked_codes, [s.size for s in shares])
    _check_cells(cells, shares, names, labels)

    # Per variable: the cells that answered it (None = all of them) and their codes.
    answered: list[Ints | None] = []
    answered_codes: list[Ints] = []
    for v in range(len(shares)):
        mask = cells.codes[v] >= 0
        if mask.all():
            answered.append(None)
            answered_codes.append(cells.codes[v])
        else:
            positions = np.flatnonzero(mask)
            answered.append(positions)
            answered_codes.append(cells.codes[v][positions])

    def gap(w: Floats) -> float:
        worst = 0.0
        for v, target in enumerate(shares):
            rows, code = answered[v], answered_codes[v]
            mass = cells.counts * w if rows is None else (cells.counts * w)[rows]
            totals = np.bincount(code, weights=mass, minlength=target.size)
            worst = max(worst, float(np.abs(totals / totals.sum() - target).max()))
        return worst

    weights: Floats = np.ones(cells.counts.size)
    iterations = 0
    converged = False
    margin_gap = math.inf
    while iterations < max_iterations:
        iterations += 1
        before = weights.copy()
        for v, target in enumerate(shares):
            rows, code = answered[v], answered_codes[v]
            mass = cells.counts * weights if rows is None else cells.counts[rows] * weights[rows]
            totals = np.bincount(code, weights=mass, minlength=target.size)
            # Categories nobody is in have a share of 0 (checked above): factor 0, unused.
            factor = np.divide(target * totals.sum(), totals, out=np.zeros_like(totals),
                               where=totals > 0)  # fmt: skip
            if rows is None:
                weights *= factor[code]
            else:
                weights[rows] *= factor[code]
        if cap is not None:
            weights = _cap(weights, cells.counts, cap)
        margin_gap = gap(weights)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = float(np.nanmax(np.abs(weights / before - 1.0)))
        if margin_gap <= tolerance and change <= tolerance:
            converged = True
            break

    per_respondent = weights[cells.of_respondent]
    per_respondent = per_respondent / per_respondent.mean()
    result = RakeResult(per_respondent, iterations, converged, margin_gap)
    if not converged and raise_on_failure:
        why = (
            f" With a cap of {cap:g} the margins may be out of reach: try a higher cap."
            if cap is not None
            else ""
        )
        raise NotConverged(
            f"Raking did not converge in {iterations} iterations: a weighted share is still "
            f"{margin_gap:.3g} from its target (tolerance {tolerance:g}).{why}",
            result,
        )
    return result
