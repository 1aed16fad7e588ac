"""Coverage of the Community Map: which cells of a row × column grid are empty,
and how supporters and critics are balanced per row.

Pure NumPy, no Django: the selectors turn database counts into arrays, this
module decides what is a gap and how urgent it is.

The gap ranking follows the CompStat360 Community Map worksheet's intent
(Police Executive Research Forum / BJA, "CompStat360 Community Map"): every
area should have community, NGO and government partners, and both supporters
and critics. A gap in a row that is thin overall matters more than a gap in a
row that is already well covered, so gaps are ordered by the row's total,
then by the column's total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Gap:
    row: int
    column: int
    row_total: int
    column_total: int


@dataclass(frozen=True)
class StanceBalance:
    supporters: int
    neutral: int
    critics: int
    unknown: int

    @property
    def total(self) -> int:
        return self.supporters + self.neutral + self.critics + self.unknown

    @property
    def critic_share(self) -> float | None:
        """Critics among those whose stance is known; None when nobody's is."""
        known = self.supporters + self.neutral + self.critics
        return None if known == 0 else self.critics / known

    @property
    def lacks_critics(self) -> bool:
        return self.total > 0 and self.critics == 0

    @property
    def lacks_supporters(self) -> bool:
        return self.total > 0 and self.supporters == 0


def find_gaps(counts: NDArray[np.int_]) -> list[Gap]:
    """Empty cells of `counts` (rows × columns), thinnest rows first.

    >>> find_gaps(np.array([[1, 0], [0, 0]]))[0]
    Gap(row=1, column=0, row_total=0, column_total=1)
    """
    matrix = np.asarray(counts, dtype=np.int64)
    if matrix.ndim != 2:
        raise ValueError("counts must be a 2-D array")
    if (matrix < 0).any():
        raise ValueError("counts cannot be negative")
    row_totals = matrix.sum(axis=1)
    column_totals = matrix.sum(axis=0)
    rows, columns = np.nonzero(matrix == 0)
    gaps = [
        Gap(int(r), int(c), int(row_totals[r]), int(column_totals[c]))
        for r, c in zip(rows, columns, strict=True)
    ]
    gaps.sort(key=lambda g: (g.row_total, g.column_total, g.row, g.column))
    return gaps


def stance_balance(stance_counts: NDArray[np.int_]) -> list[StanceBalance]:
    """One StanceBalance per row of a rows × 4 array (supporter, neutral, critic, unknown)."""
    matrix = np.asarray(stance_counts, dtype=np.int64)
    if matrix.ndim != 2 or matrix.shape[1] != 4:
        raise ValueError("stance_counts must have four columns")
    return [StanceBalance(*(int(v) for v in row)) for row in matrix]
