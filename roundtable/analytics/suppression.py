"""Small-count suppression for tables that add up: which cells to withhold.

Pure Python with SciPy's HiGHS solver, no Django. `roundtable.disclosure` is
the Django-aware door to it (thresholds from settings); docs/disclosure.md
says where each public page uses it.

The problem
-----------
A published table holds counts (cells) tied by additive *relations*: a total
and its parts (crimes = persons + property + society; the agency = its areas;
all inputs = each topic's). A count from 1 to `minimum` − 1 is *sensitive*:
it could point to a person, so it is withheld (primary suppression). A
relation whose total and other parts are shown would give it back by
subtraction, so more cells are withheld (secondary, or complementary,
suppression). This is the classic cell-suppression problem of statistical
disclosure control (Hundepool et al., *Statistical Disclosure Control*, Wiley
2012, §4.2 "frequency rule" and §5.2 "secondary cell suppression"; Cox,
"Linear sensitivity measures in statistical disclosure control", *Journal of
Statistical Planning and Inference* 5, 1981; Fischetti & Salazar-González,
"Models and algorithms for optimizing cell suppression in tabular data with
linear constraints", *JASA* 95, 2000).

What the reader (the "attacker") is assumed to know
--------------------------------------------------
Every shown cell exactly, every relation (including a known offset, such as
the incidents that fall in no area: relations need not be exact sums, the
difference is treated as known), and *a priori bounds* on each hidden cell
(Hundepool §5.2.1):

- unlabelled pages (`labelled=False`, the default: every hidden figure reads
  the same, "not shown"): a hidden cell is at least 1, because empty cells
  are shown as 0 (at least 0 when `hide_zeros`);
- labelled pages (`labelled=True`, surveys: "fewer than 10" differs from
  "withheld"): a hidden small cell lies in 1..minimum − 1 (0..minimum − 1 when
  `hide_zeros`, since zero is then hidden as "few"), any other hidden cell is
  at least `minimum`;
- `unpublished` cells, which the page never shows (the participants of an
  opinion map who are in no group), are at least 0.

The protection rule (the protection interval)
---------------------------------------------
Hundepool §5.2 asks that the set of values of a sensitive cell consistent with
everything published (its *feasibility interval*, found by linear
programming) cover a *protection interval*; with a *sliding* protection level
only the interval's width is prescribed. Here the width is that of the small
range itself, from the cell's a-priori lower bound to `minimum` − 1 (3 for a
minimum of 5 when hidden cells are known to be at least 1): the published
figures then say no more about a withheld cell than "a small number" does,
and never pin it to one value. On a labelled page, whose a-priori bounds
already confine a small cell to the small range, this is the whole range:
the figures are as consistent with 0 as with 9. (The whole range cannot be
asked for on unlabelled pages: a withheld total of three withheld 1s is at
least 3 whatever else is published, since each part is at least 1.) Two
further rules:

- *unions*: when a relation's total is shown, its hidden parts together are
  known exactly; that sum is itself a count of people and must not be small
  (0 < sum < minimum). This is what makes surveys insist on a "withheld" cell
  beside two small ones (1 + 8 = 9 leaves each anywhere in 0..9, but the
  pair together is known). On unlabelled pages it follows from the width rule.
- *forced* cells (hidden for another reason, e.g. a survey estimate that is
  too unreliable) must not come back as "total − the others": a relation that
  hides one must hide another non-empty cell too.

The method
----------
1. Primary: hide every sensitive cell (and every forced one).
2. Relation by relation, to a fixpoint (linked tables: a cell may sit in
   several relations, and hiding it there re-opens those): when a relation
   fails the rules above, judged with the relation alone and interval
   arithmetic (exact for a single relation), hide its smallest shown non-empty
   part (ties broken by the key's text, so the outcome is deterministic),
   or its total when no part is left. This generalises surveys' "at least one
   withheld cell and enough hidden mass" rule and the older "never exactly
   one hidden cell per sum" rule, which fails on a relation hiding two 1s.
3. Audit (linked tables only): relation-by-relation checks are not enough
   when relations share cells (in a two-way table a hidden cell on no cycle
   of hidden cells is determined exactly, Cox 1981). For each connected group
   of hidden cells the width is checked exactly, by integer programming over
   all relations at once (HiGHS through SciPy; the linear relaxation first,
   whose vertex is integral for tables of sums in practice). A cell still too
   narrow gets covers from the linear-programming heuristic of Kelly, Golden
   & Assad (1992): the cheapest change to the table that moves it by its
   width, keeping every relation and bound, where changing a shown cell costs
   its value; the shown cells that change are hidden. Step 2 runs again, and
   so on; each round hides at least one more cell, so it ends. A cell that
   nothing can protect (everything around it is empty or fixed) is reported
   in `Suppression.unprotected` rather than claimed safe.

Independent parts of a table (no shared relation) are solved separately.

What it does not do: it is a heuristic, not the optimal (least-information-
lost) suppression; it protects one table (set of relations) at a time, so
tables published separately must be passed together to be protected
together; and it assumes exact shown counts (rounding, as surveys also do,
only widens the intervals).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from roundtable.analytics.suppression_table import Table, order_key

__all__ = ["Suppression", "order_key", "protect", "rounded", "suppress"]

K = TypeVar("K", bound=Hashable)


# ---------------------------------------------------------------- rounding


def rounded(value: float, base: int = 5) -> int:
    """`value` to the nearest multiple of `base`, halves up (which whole counts
    with an odd base never are). Surveys publish respondent counts this way."""
    return int(base * ((value + base / 2) // base))


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Suppression(Generic[K]):
    """What `suppress` decided: the cells to withhold and why."""

    hidden: frozenset[K]  # everything withheld (primary, forced and complementary)
    primary: frozenset[K]  # the sensitive cells: 0 < value < minimum (and zeros if hidden)
    # Sensitive cells the rule could not protect: everything that could be hidden
    # beside them is empty, fixed (shown whatever happens) or a known offset.
    unprotected: frozenset[K]


def suppress(
    values: Mapping[K, int],
    relations: Sequence[tuple[K, Sequence[K]]] = (),
    *,
    minimum: int,
    labelled: bool = False,
    hide_zeros: bool = False,
    fixed: Collection[K] = (),
    forced: Collection[K] = (),
    unpublished: Collection[K] = (),
) -> Suppression[K]:
    """The cells of a table to withhold, as the module docstring explains.

    values: every cell's count (totals included); relations: (total, parts)
    pairs over those cells, exact sums or sums up to a difference the reader
    knows. fixed: cells always shown (never chosen to hide); forced: cells
    hidden whatever their value (and protected against "total − the others");
    unpublished: cells the page never shows (not returned as hidden).
    """
    hidden: set[K] = set()
    primary: set[K] = set()
    unprotected: set[K] = set()
    # Tables that share no cell are independent: each is solved on its own.
    for part_values, part_relations in _independent(values, relations):
        table = Table(
            part_values,
            part_relations,
            minimum=minimum,
            labelled=labelled,
            hide_zeros=hide_zeros,
            fixed=fixed,
            forced=forced,
            unpublished=unpublished,
        )
        table.settle()
        table.audit()
        hidden |= table.hidden - table.unpublished
        primary |= table.primary
        unprotected |= table.unprotected
    return Suppression(
        hidden=frozenset(hidden), primary=frozenset(primary), unprotected=frozenset(unprotected)
    )


def _independent(
    values: Mapping[K, int], relations: Sequence[tuple[K, Sequence[K]]]
) -> list[tuple[dict[K, int], list[tuple[K, Sequence[K]]]]]:
    """The table split into parts that share no relation, in a stable order."""
    for total, parts in relations:
        missing = [c for c in (total, *parts) if c not in values]
        if missing:
            raise KeyError(f"relation names cells without a value: {missing!r}")
    parent: dict[K, K] = {k: k for k in values}

    def find(x: K) -> K:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for total, parts in relations:
        root = find(total)
        for p in parts:
            other = find(p)
            if other != root:
                parent[other] = root
    groups: dict[K, tuple[dict[K, int], list[tuple[K, Sequence[K]]]]] = {}
    for key, value in values.items():
        groups.setdefault(find(key), ({}, []))[0][key] = value
    for total, parts in relations:
        groups[find(total)][1].append((total, parts))
    return list(groups.values())


def protect(
    values: Mapping[K, int],
    relations: Sequence[tuple[K, Sequence[K]]] = (),
    *,
    minimum: int,
    labelled: bool = False,
    hide_zeros: bool = False,
    fixed: Collection[K] = (),
    forced: Collection[K] = (),
    unpublished: Collection[K] = (),
) -> frozenset[K]:
    """`suppress(...).hidden`: the cells to withhold."""
    return suppress(
        values,
        relations,
        minimum=minimum,
        labelled=labelled,
        hide_zeros=hide_zeros,
        fixed=fixed,
        forced=forced,
        unpublished=unpublished,
    ).hidden
