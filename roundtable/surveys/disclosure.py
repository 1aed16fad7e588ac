"""Which respondent counts a survey may publish, and how: the rules in one place.

"Counts under 10 are never published" (the respondents' threshold of
`roundtable.disclosure`, `minimum()` here) holds on staff pages and in the API as well as on public
pages, and it has to hold against arithmetic too: a hidden count must not
come back as a total minus the counts shown beside it. Three rules:

1. Rounding (`shown_count`). Every respondent count that is published (a
   table's total, a group's respondents, a period's, an area's, the survey's
   own) is rounded to the nearest ROUNDING (5); a count under the minimum is
   not published at all ("fewer than 10"). A difference of rounded counts is
   then only an interval (each count ± 2), which is how differencing between
   tables that are published separately (a month and its quarter, an area's
   table and the jurisdiction's, a pair of characteristics and each of them)
   is kept from giving back a hidden count. Effective sample sizes, which equal
   the count when the weights are all 1, are rounded the same way
   (`shown_effective_n`). Figures derived from counts (shares of respondents,
   participation rates) are computed from the rounded counts, so that they say
   no more than the counts shown.

2. Complementary suppression within a table (`suppress_table`, a thin wrapper
   over the one rule for every public table, `roundtable.disclosure` and
   analytics/suppression.py, on a page that tells "few" from "withheld" and
   hides empty cells as "few"). Inside one
   table — the groups of a participation table, the areas of a period for one
   score, the options of a question — whose total is shown, rounding alone is
   not enough: rates and shares computed from exact counts, or an unlucky run
   of roundings, could still let "total − the others" pin a hidden cell. So
   when a table hides a cell with 1 to 9 respondents, more cells are hidden,
   the smallest first, until the hidden cells are safe *even if every other
   count were known exactly*: each small one could still be anything from 0
   to 9 (with the withheld cells known to be at least 10 each, a small cell is
   at most the hidden cells' sum − 10 × the withheld cells, which must stay at
   least 9), and the hidden cells together are not themselves fewer than 10
   (which is why two small cells still need a withheld one beside them). Then
   "fewer than 10" is all anyone can tell. A cell hidden only because its
   estimate is unreliable (too small an effective sample, "thin") is not a
   count to protect, but its figure must not come back as "overall − the
   others" either: a table that hides one such cell and no small one hides
   the next smallest too.

3. What a hidden cell shows. A cell with fewer than the minimum says so
   ("few"); a cell hidden to protect another says it is withheld (it has 10 or
   more: saying "fewer than 10" would be false). A thin cell keeps its
   (rounded) count unless the table also hides a small cell, whose sum it
   would then help pin.

What this does not cover: a table whose every cell is hidden still shows its
total (rounded), and counts published in different tables are protected only
by rule 1 — at the edge of a rounding interval (every rounding the same way)
the interval for a hidden cell can be narrower than 0–9. Suppressing across
tables (areas × groups × months) would hide far more; the rounding is the
standard trade-off. docs/disclosure.md has the rules of every public page.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from roundtable.analytics import suppression
from roundtable.disclosure import RESPONDENTS, minimum_count

ROUNDING = 5
FEW = "few"  # fewer than the minimum count
THIN = "thin"  # too small an effective sample size for an estimate
WITHHELD = "withheld"  # 10 or more, hidden so that a smaller cell cannot be worked out

K = TypeVar("K", bound=Hashable)


class _Total:
    """The key of a table's total in the relation handed to the suppression rule."""

    def __repr__(self) -> str:
        return "<total>"


TOTAL = _Total()


def minimum() -> int:
    return minimum_count(RESPONDENTS)


def rounded(value: float) -> int:
    """To the nearest ROUNDING (halves up, which whole counts never are)."""
    return suppression.rounded(value, ROUNDING)


def shown_count(count: int | None) -> int | None:
    """A count as published: rounded to the nearest 5, None (fewer than the minimum) under it."""
    if count is None or count < minimum():
        return None
    return max(rounded(count), minimum())


def shown_effective_n(value: float | None) -> int | None:
    """An effective sample size as published: like a count (it is one when weights are 1)."""
    if value is None or value < minimum():
        return None
    return max(rounded(value), minimum())


@dataclass(frozen=True)
class Suppression(Generic[K]):
    """The outcome of `suppress_table`: which cells are hidden, why, and their counts."""

    counts: Mapping[K, int]
    hidden: frozenset[K]
    unreliable: frozenset[K] = field(default_factory=frozenset)

    def reason(self, key: K) -> str:
        """ "" (shown), FEW, THIN or WITHHELD."""
        if key not in self.hidden:
            return ""
        if self.counts[key] < minimum():
            return FEW
        return THIN if key in self.unreliable else WITHHELD

    @property
    def hides_small(self) -> bool:
        return any(0 < self.counts[k] < minimum() for k in self.hidden)

    def count(self, key: K) -> int | None:
        """The cell's count as published (None: not published)."""
        reason = self.reason(key)
        if reason in (FEW, WITHHELD) or (reason == THIN and self.hides_small):
            return None
        return shown_count(self.counts[key])


def suppress_table(counts: Mapping[K, int], *, unreliable: Collection[K] = ()) -> Suppression[K]:
    """The cells of a table (whose total is shown) to hide: those under the minimum,
    the `unreliable` ones, and the smallest others needed to protect them (rule 2)."""
    thin = frozenset(k for k in unreliable if k in counts)
    total = sum(counts.values())
    values: dict[object, int] = dict(counts.items())
    values[TOTAL] = total
    hidden = suppression.protect(
        values,
        [(TOTAL, list(counts))],
        minimum=minimum(),
        labelled=True,
        hide_zeros=True,
        # The total is published (rounded) whenever it may be: the cautious
        # assumption is that the reader knows it exactly.
        fixed=[TOTAL] if total >= minimum() else [],
        forced=thin,
    )
    return Suppression(counts, frozenset(k for k in counts if k in hidden), thin)
