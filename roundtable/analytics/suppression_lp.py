"""The linear and integer programs of the suppression rule (analytics/suppression.py):
the reader's program that bounds a withheld cell, and the cheapest change to a
table that frees one. SciPy's HiGHS solvers; no Django."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

# Integer programs' answers are integral up to the solver's tolerance.
_EPS = 1e-6


class ReaderProgram:
    """The reader's integer program for a linked group: A x = b, lower ≤ x ≤ upper."""

    def __init__(
        self,
        rows: np.ndarray,
        rhs: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
    ) -> None:
        self.rows = rows
        self.rhs = rhs
        self.constraint = LinearConstraint(rows, rhs, rhs)
        self.lower = lower
        self.upper = upper
        self.n = len(lower)

    def _solve(
        self, objective: np.ndarray, lower: np.ndarray, upper: np.ndarray
    ) -> np.ndarray | None:
        """An integer solution minimising `objective`, or None if there is none.

        The linear relaxation first: tables of sums are nearly always totally
        unimodular, so its vertex is integral and is the answer; otherwise the
        integer program (branch and bound in HiGHS)."""
        relaxed = linprog(
            objective,
            A_eq=self.rows,
            b_eq=self.rhs,
            bounds=np.column_stack([lower, upper]),
            method="highs-ds",
        )
        if relaxed.x is None:
            return None
        if np.all(np.abs(relaxed.x - np.round(relaxed.x)) < _EPS):
            return np.asarray(relaxed.x)
        result = milp(
            objective,
            constraints=self.constraint,
            bounds=Bounds(lower, upper),
            integrality=np.ones(self.n),
        )
        return None if result.x is None else np.asarray(result.x)

    def spans(self, positions: list[int], values: list[float], widths: list[float]) -> list[bool]:
        """For each position, whether the cell's feasible interval is at least
        `widths` wide (its own value is feasible: the other end is searched for,
        up to `widths` away on each side).

        One program settles many cells at once: every unsettled cell pushed up
        together (each capped at value + width, so that one overshooting buys
        nothing), then down; every solution's values are feasible, so they
        stretch each cell's known interval. Cells still too narrow are tried
        again, and one by one when a joint round settles none.
        """
        count = len(positions)
        low = list(values)
        high = list(values)

        def settled(j: int) -> bool:
            return high[j] - low[j] >= widths[j] - _EPS

        pending = [j for j in range(count) if not settled(j)]
        joint = True
        while pending:
            groups = [pending] if joint else [[j] for j in pending]
            progress = False
            for group in groups:
                for up in (True, False):
                    objective = np.zeros(self.n)
                    lower = self.lower.copy()
                    upper = self.upper.copy()
                    for j in group:
                        at = positions[j]
                        objective[at] = -1.0 if up else 1.0
                        if up:
                            upper[at] = min(upper[at], values[j] + widths[j])
                        else:
                            lower[at] = max(lower[at], values[j] - widths[j])
                    x = self._solve(objective, lower, upper)
                    if x is None:
                        continue
                    for j in group:
                        value = float(np.round(x[positions[j]]))
                        if value > high[j] or value < low[j]:
                            progress = True
                        high[j] = max(high[j], value)
                        low[j] = min(low[j], value)
            if not joint:
                break
            joint = progress
            pending = [j for j in pending if not settled(j)]
        return [settled(j) for j in range(count)]


def cheapest_change(
    matrix: sparse.csr_matrix,
    rise: np.ndarray,
    fall: np.ndarray,
    cost: np.ndarray,
    at: int,
    amount: float,
    *,
    upward: bool,
) -> np.ndarray | None:
    """Which cells the cheapest change to a table touches, when cell `at` must
    move by `amount` (up or down) while every relation (the rows of `matrix`,
    total −1 and parts +1) still holds and each cell moves at most `rise` up
    and `fall` down; moving a cell by one costs `cost` (0 for hidden cells,
    a shown cell's value otherwise). A boolean per cell, or None when no
    change exists.

    The classic linear-programming heuristic for secondary suppression (Kelly,
    Golden & Assad, "Cell suppression: disclosure protection for sensitive
    tabular data", *Networks* 22, 1992; Hundepool §5.2.3): once every shown
    cell the change touches is hidden, the reader cannot rule the changed
    table out, so the exposed cell's interval holds both values.
    """
    n = len(rise)
    lower = np.zeros(2 * n)
    upper = np.concatenate([rise, fall])
    upper[at], upper[n + at] = (amount, 0.0) if upward else (0.0, amount)
    lower[at if upward else n + at] = amount
    result = linprog(
        np.concatenate([cost, cost]),
        A_eq=sparse.hstack([matrix, -matrix]).tocsr(),
        b_eq=np.zeros(matrix.shape[0]),
        bounds=np.column_stack([lower, upper]),
        method="highs",
    )
    if result.x is None:
        return None
    moved: np.ndarray = (result.x[:n] + result.x[n:]) > _EPS
    return moved
