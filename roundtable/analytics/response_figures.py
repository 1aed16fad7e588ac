""" "You said, we did" in figures: how many inputs were answered, and how fast.

Pure NumPy, no Django: the selector turns inputs into three arrays (a group
index per input, whether it was answered, days from receipt to answer) and
this module computes and suppresses.

Definitions
-----------
- **share answered** = answered / received, where an input counts as answered
  when it has an answer date (whatever its status now).
- **median days to answer** = the median, over answered inputs only, of the
  days from receipt to answer (fractional days). For an even count it is the
  mean of the two middle values, as `statistics.median` defines it.

Small cells (statistical disclosure control)
--------------------------------------------
A group with fewer than `small_cell` inputs (but more than none) is
*primarily suppressed*: neither its count, nor its share, nor its median is
published. Because the overall figure is published next to the groups, a
suppressed group could be recovered by subtraction (overall − the visible
groups), so other groups are *secondarily suppressed* (the smallest non-empty
ones first) until the suppressed groups could each be any small number for
all the published figures say; if no group is left to suppress, the overall
figure is withheld instead. The decisions come from the one suppression rule,
`analytics.suppression` ("complementary suppression", Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, §5.2; docs/disclosure.md).
Breakdowns of the same inputs that share the overall figure (by topic and by
area) are suppressed together (`linked_breakdowns`), so that no breakdown
shows what another hides. Empty groups disclose nothing and are shown as zero.

The median is computed over the *answered* inputs only, so it has its own,
smaller population: a group of 20 inputs of which 2 were answered would
publish the mean of those two people's waits. The median of a group (and of
the total) is therefore withheld whenever fewer than `small_cell` of its
inputs were answered, even when the group's count and share are shown
(`Cell.median_withheld`); the share may stay, since it is the count of
answered inputs over at least `small_cell` received. Medians do not add up,
so a withheld median is not worked out by subtraction from the total's; this
rule needs no complement, and the counts' rule above is unchanged by it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from roundtable.analytics import suppression


@dataclass(frozen=True)
class Cell:
    """One group's figures; all None when suppressed. The median is None too
    when nothing was answered, or when fewer than the small-cell threshold were
    (then `median_withheld`)."""

    received: int | None
    answered: int | None
    share: float | None
    median_days: float | None
    suppressed: bool = False
    median_withheld: bool = False


SUPPRESSED = Cell(received=None, answered=None, share=None, median_days=None, suppressed=True)


def median(values: NDArray[np.float64]) -> float | None:
    """The median of `values`, ignoring NaN; None when nothing is left."""
    finite = values[~np.isnan(values)]
    return None if finite.size == 0 else float(np.median(finite))


def share(part: int, whole: int) -> float | None:
    """part / whole, None when whole is 0."""
    return None if whole == 0 else part / whole


def cell(answered: NDArray[np.bool_], days: NDArray[np.float64], *, small_cell: int) -> Cell:
    """Figures for one group of inputs, not suppressed as a group; its median
    withheld when 0 < answered < small_cell (see the module docstring)."""
    received = int(answered.size)
    done = int(np.count_nonzero(answered))
    withheld = 0 < done < small_cell
    return Cell(
        received=received,
        answered=done,
        share=share(done, received),
        median_days=None if withheld else median(days[answered]),
        median_withheld=withheld,
    )


def to_suppress(counts: NDArray[np.int_], small_cell: int) -> tuple[NDArray[np.bool_], bool]:
    """Which groups to suppress, and whether the overall figure must go too.

    Primary: 0 < count < small_cell. Secondary: the smallest other non-empty
    groups, as the one suppression rule needs them; when there is none left,
    the total is withheld (second element True).
    """
    hidden, withhold_total = _suppressed([counts], small_cell)
    return hidden[0], withhold_total


OVERALL = "overall"


def _suppressed(
    counts: Sequence[NDArray[np.int_]], small_cell: int
) -> tuple[list[NDArray[np.bool_]], bool]:
    """Breakdowns of one total (each an array of group counts) suppressed together."""
    total = int(counts[0].sum()) if counts else 0
    values: dict[Hashable, int] = {OVERALL: total}
    relations: list[tuple[Hashable, list[Hashable]]] = []
    for b, groups in enumerate(counts):
        keys: list[Hashable] = [(b, g) for g in range(groups.size)]
        values.update({(b, g): int(n) for g, n in enumerate(groups.tolist())})
        relations.append((OVERALL, keys))
    hidden = suppression.protect(values, relations, minimum=small_cell)
    masks = [
        np.array([(b, g) in hidden for g in range(groups.size)], dtype=bool)
        for b, groups in enumerate(counts)
    ]
    return masks, OVERALL in hidden


@dataclass(frozen=True)
class Breakdown:
    groups: list[Cell]
    overall: Cell


def breakdown(
    groups: NDArray[np.int_],
    answered: NDArray[np.bool_],
    days: NDArray[np.float64],
    *,
    n_groups: int,
    small_cell: int,
) -> Breakdown:
    """Figures per group (`groups[i]` in range(n_groups) is input i's group)
    and overall, with small cells suppressed as the module docstring says.

    `days[i]` is NaN for an input that was not answered.
    """
    return linked_breakdowns([(groups, n_groups)], answered, days, small_cell=small_cell)[0]


def linked_breakdowns(
    groupings: Sequence[tuple[NDArray[np.int_], int]],
    answered: NDArray[np.bool_],
    days: NDArray[np.float64],
    *,
    small_cell: int,
) -> list[Breakdown]:
    """`breakdown` for several groupings of the same inputs (each a group index
    per input and the number of groups), suppressed together: they share the
    overall figure, which is withheld from all of them or from none."""
    counts = [
        np.bincount(groups, minlength=n) if groups.size else np.zeros(n, int)
        for groups, n in groupings
    ]
    hidden, withhold_total = _suppressed(counts, small_cell)
    total = int(answered.size)
    overall_hidden = withhold_total or 0 < total < small_cell
    overall = SUPPRESSED if overall_hidden else cell(answered, days, small_cell=small_cell)
    return [
        Breakdown(
            groups=[
                SUPPRESSED
                if mask[g]
                else cell(answered[groups == g], days[groups == g], small_cell=small_cell)
                for g in range(n)
            ],
            overall=overall,
        )
        for (groups, n), mask in zip(groupings, hidden, strict=True)
    ]
