"""The suppression rule, and a differencing attacker that tries to beat it.

The attacker knows every published figure exactly, every relation (total and
parts, with any known difference such as incidents in no area), and the
a-priori bounds a page gives away: a hidden cell is not empty (empty cells are
shown as 0) or, on a page that tells "fewer than N" from "withheld", a small
cell is 1..N−1 and a withheld one at least N. For every hidden small cell it
computes, by integer programming over all relations at once
(`scipy.optimize.linprog` with integrality), the least and greatest value
consistent with all of that.

The criterion (docs/disclosure.md): the attacker's interval must be at least as
wide as the small range itself, from the cell's a-priori lower bound to N − 1
(N − 2 wide when hidden cells are known to be at least 1, N − 1 when they may
be 0). Publishing then says no more about a small cell than "a small number"
does: never one value, and on a labelled page the whole of 1..N−1. The old
rule ("never exactly one hidden cell per sum") fails it on a crafted table, so
the attacker can and does win against a weaker rule.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from scipy.optimize import linprog

from roundtable.analytics.suppression import order_key, protect, rounded, suppress

BIG = 10**6  # "no upper bound" for the attacker's integer program
Relation = tuple[Any, Sequence[Any]]


def attack(
    values: Mapping[Any, int],
    relations: Sequence[Relation],
    hidden: Collection[Any],
    minimum: int,
    *,
    labelled: bool = False,
    hide_zeros: bool = False,
    unpublished: Collection[Any] = (),
) -> dict[Hashable, tuple[int, int]]:
    """{hidden small cell: (least, greatest) value consistent with what is published}."""
    keys = list(values)
    at = {k: i for i, k in enumerate(keys)}
    rows, rhs = [], []
    for total, parts in relations:
        row = np.zeros(len(keys))
        row[at[total]] -= 1
        for p in parts:
            row[at[p]] += 1
        rows.append(row)
        # total − parts, which the reader knows (it may be non-zero: incidents in no area).
        rhs.append(sum(values[p] for p in parts) - values[total])
    bounds = []
    for k in keys:
        v = values[k]
        if k in unpublished:
            bounds.append((0, BIG))
        elif k not in hidden:
            bounds.append((v, v))
        elif labelled and v >= minimum:
            bounds.append((minimum, BIG))
        else:
            floor = 0 if hide_zeros or v == 0 else 1
            bounds.append((floor, minimum - 1 if labelled else BIG))
    found = {}
    for k in keys:
        if k in hidden and 0 < values[k] < minimum and k not in unpublished:
            c = np.zeros(len(keys))
            c[at[k]] = 1
            ends = []
            for sign in (1, -1):
                result = linprog(
                    sign * c,
                    A_eq=np.array(rows) if rows else None,
                    b_eq=np.array(rhs) if rows else None,
                    bounds=bounds,
                    integrality=np.ones(len(keys)),
                )
                assert result.status == 0, result.message
                ends.append(round(sign * result.fun))
            found[k] = (ends[0], ends[1])
    return found


def pinned(
    values: Mapping[Any, int],
    relations: Sequence[Relation],
    hidden: Collection[Any],
    minimum: int,
    **page: object,
) -> dict[Hashable, tuple[int, int]]:
    """The hidden small cells whose interval is narrower than the small range."""
    floor = 0 if page.get("hide_zeros") else 1
    ranges = attack(values, relations, hidden, minimum, **page)  # type: ignore[arg-type]
    return {k: r for k, r in ranges.items() if r[1] - r[0] < minimum - 1 - floor}


def shown_union_is_small(
    values: Mapping[Any, int],
    relations: Sequence[Relation],
    hidden: Collection[Any],
    minimum: int,
) -> list[Relation]:
    """Relations with a shown total whose hidden parts together are a small count."""
    return [
        (total, parts)
        for total, parts in relations
        if total not in hidden
        and any(p in hidden and 0 < values[p] < minimum for p in parts)
        and 0 < sum(values[p] for p in parts if p in hidden) < minimum
    ]


def old_rule(values: Mapping[Any, int], relations: Sequence[Relation], small: int) -> set[Hashable]:
    """The rule the public pages used before: no sum with exactly one hidden cell."""
    hidden = {k for k, v in values.items() if 0 < v < small}
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            if sum(1 for c in (total, *parts) if c in hidden) != 1:
                continue
            candidates = [c for c in parts if c not in hidden and values[c] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda c: values[c]))
            elif total not in hidden:
                hidden.add(total)
            else:
                continue
            changed = True
    return hidden


# ---------------------------------------------------------------- table makers


def one_way(counts: Sequence[int]) -> tuple[dict[Hashable, int], list[Relation]]:
    values: dict[Hashable, int] = {f"c{i}": n for i, n in enumerate(counts)}
    values["total"] = sum(counts)
    return values, [("total", [f"c{i}" for i in range(len(counts))])]


def two_way(grid: Sequence[Sequence[int]]) -> tuple[dict[Hashable, int], list[Relation]]:
    """A table with row and column totals and a grand total."""
    rows, cols = len(grid), len(grid[0])
    values: dict[Hashable, int] = {}
    for r in range(rows):
        for c in range(cols):
            values[(r, c)] = grid[r][c]
        values[(r, "all")] = sum(grid[r])
    for c in range(cols):
        values[("all", c)] = sum(grid[r][c] for r in range(rows))
    values[("all", "all")] = sum(map(sum, grid))
    relations: list[Relation] = [((r, "all"), [(r, c) for c in range(cols)]) for r in range(rows)]
    relations += [(("all", c), [(r, c) for r in range(rows)]) for c in range(cols)]
    relations.append((("all", "all"), [(r, "all") for r in range(rows)]))
    relations.append((("all", "all"), [("all", c) for c in range(cols)]))
    return values, relations


def linked(
    rng: np.random.Generator, *, known_offset: bool = False
) -> tuple[dict[Any, int], list[Relation], list[Any]]:
    """The public incident report's shape: areas × offences, offences grouped,
    groups summed, and the agency = its areas + the incidents in no area.
    Those are an unpublished pseudo-area (the reader knows only that each is
    at least 0), or, with `known_offset`, a difference the reader is assumed
    to know. Returns the values, the relations and the unpublished cells."""
    units = int(rng.integers(2, 7))
    groups = int(rng.integers(2, 4))
    per = int(rng.integers(2, 5))
    offences = [f"g{g}o{o}" for g in range(groups) for o in range(per)]
    values: dict[tuple[Any, str], int] = {}
    relations: list[Relation] = []
    for u in ["none", *range(1, units + 1)]:
        for o in offences:
            mean = rng.choice([0.4, 2.5, 12.0]) if u != "none" else 0.7
            values[(u, o)] = int(rng.poisson(mean))
    areas: list[Hashable] = list(range(1, units + 1))
    for o in offences:
        values[(0, o)] = sum(values[(u, o)] for u in ["none", *areas])
    if not known_offset:
        areas.append("none")
    for u in [0, *areas]:
        for g in range(groups):
            parts = [(u, f"g{g}o{o}") for o in range(per)]
            values[(u, f"g{g}")] = sum(values[p] for p in parts)
            relations.append(((u, f"g{g}"), parts))
        values[(u, "all")] = sum(values[(u, f"g{g}")] for g in range(groups))
        relations.append(((u, "all"), [(u, f"g{g}") for g in range(groups)]))
    for row in [*offences, *(f"g{g}" for g in range(groups)), "all"]:
        relations.append(((0, row), [(u, row) for u in areas]))
    if known_offset:
        values = {k: v for k, v in values.items() if k[0] != "none"}
        return values, relations, []
    return values, relations, [k for k in values if k[0] == "none"]


def random_counts(rng: random.Random, size: int) -> list[int]:
    return [rng.choice([0, *range(1, 5), *range(5, 30), rng.randint(30, 300)]) for _ in range(size)]


# ---------------------------------------------------------------- the rule itself


def test_a_small_cell_and_the_smallest_other_are_hidden():
    values, relations = one_way([2, 40, 58])
    assert protect(values, relations, minimum=5) == {"c0", "c1"}


def test_zero_is_shown_and_gives_no_cover():
    values, relations = one_way([0, 3, 30, 50])
    assert protect(values, relations, minimum=5) == {"c1", "c2"}


def test_without_relations_only_the_small_cells_go():
    assert protect({"a": 0, "b": 4, "c": 5}, minimum=5) == {"b"}


def test_a_table_of_large_cells_hides_nothing():
    values, relations = two_way([[10, 20], [30, 40]])
    assert protect(values, relations, minimum=5) == frozenset()


def test_two_ones_under_a_shown_total_need_more_cover():
    # 1 + 1 = 2 with the total and the rest shown: each is pinned at 1 (both ≥ 1).
    values, relations = one_way([1, 1, 40, 50])
    hidden = protect(values, relations, minimum=5)
    assert {"c0", "c1", "c2"} <= hidden
    assert not pinned(values, relations, hidden, 5)


def test_the_hidden_total_of_a_small_group_is_protected_too():
    values, relations = one_way([1, 1, 1, 0])
    hidden = protect(values, relations, minimum=5)
    assert hidden == {"c0", "c1", "c2", "total"}


def test_the_cover_is_the_smallest_shown_cell_ties_by_key():
    values, relations = one_way([3, 20, 20, 30])
    assert protect(values, relations, minimum=5) == {"c0", "c1"}
    assert order_key(("35_49",)) == order_key("35_49") == "35_49"


def test_the_outcome_does_not_depend_on_the_order_of_the_cells():
    values, relations = two_way([[1, 7, 9], [8, 2, 30], [12, 15, 4]])
    shuffled = dict(reversed(list(values.items())))
    assert protect(values, relations, minimum=5) == protect(shuffled, relations, minimum=5)


def test_fixed_cells_are_never_hidden_and_say_what_they_leave_unprotected():
    values, relations = one_way([1, 10])
    result = suppress(values, relations, minimum=5, fixed=["total", "c1"])
    assert result.hidden == {"c0"} and result.unprotected == {"c0"}


def test_unpublished_cells_are_not_returned_but_count_as_unknown():
    # participants = not grouped + groups; 'loose' is never shown (0 here).
    values = {"all": 50, "loose": 0, "a": 30, "b": 17, "c": 3}
    relations = [("all", ["loose", "a", "b", "c"])]
    hidden = protect(values, relations, minimum=5, unpublished=["loose"])
    assert hidden == {"b", "c"}
    assert not pinned(values, relations, hidden, 5, unpublished=["loose"])


def test_forced_cells_are_not_left_alone():
    values, relations = one_way([12, 40, 45])
    assert protect(values, relations, minimum=10, labelled=True, forced=["c0"]) == {"c0", "c1"}


def test_relations_must_name_known_cells():
    with pytest.raises(KeyError):
        protect({"a": 1}, [("t", ["a"])], minimum=5)


def test_counts_are_whole_and_not_negative():
    with pytest.raises(ValueError, match="negative"):
        protect({"a": -1}, minimum=5)
    with pytest.raises(ValueError, match="minimum"):
        protect({"a": 1}, minimum=0)


@pytest.mark.parametrize(
    ("value", "shown"), [(0, 0), (2, 0), (3, 5), (12, 10), (13, 15), (1002, 1000)]
)
def test_rounding_to_five(value, shown):
    assert rounded(value) == shown


# ---------------------------------------------------------------- the attacker


def test_the_attacker_beats_the_old_rule():
    """Two 1s in a row of a shown total: the old rule hides both and stops, and
    the attacker pins each at exactly 1. The new rule survives the same table."""
    values, relations = one_way([1, 1, 40, 55])
    old = old_rule(values, relations, 5)
    assert old == {"c0", "c1"}
    assert attack(values, relations, old, 5) == {"c0": (1, 1), "c1": (1, 1)}
    assert not pinned(values, relations, protect(values, relations, minimum=5), 5)


def test_the_attacker_beats_the_old_rule_on_a_linked_table():
    """Every row and column of this two-way table hides none or at least two
    cells under the old rule, yet a column whose only non-empty cell is a 1
    hides that 1 with its own total, which is the same number: with the empty
    cells shown, the attacker pins both at 1."""
    values, relations = two_way([[41, 0, 0], [1, 1, 1]])
    old = old_rule(values, relations, 5)
    assert attack(values, relations, old, 5)[(1, 1)] == (1, 1)
    assert not pinned(values, relations, protect(values, relations, minimum=5), 5)


def test_random_one_way_tables_resist_the_attacker():
    rng = random.Random(8)
    checked = 0
    for _ in range(300):
        values, relations = one_way(random_counts(rng, rng.randint(2, 8)))
        result = suppress(values, relations, minimum=5)
        assert not result.unprotected
        assert not pinned(values, relations, result.hidden, 5), values
        checked += bool(result.primary)
    assert checked > 150


def test_random_two_way_tables_with_margins_resist_the_attacker():
    rng = random.Random(9)
    checked = 0
    for _ in range(40):
        rows, cols = rng.randint(2, 5), rng.randint(2, 5)
        grid = [random_counts(rng, cols) for _ in range(rows)]
        values, relations = two_way(grid)
        hidden = protect(values, relations, minimum=5)
        assert not pinned(values, relations, hidden, 5), grid
        checked += any(0 < v < 5 for v in values.values())
    assert checked > 25


def test_random_linked_tables_resist_the_attacker():
    rng = np.random.default_rng(10)
    for _ in range(12):
        values, relations, unpublished = linked(rng)
        result = suppress(values, relations, minimum=5, unpublished=unpublished)
        assert not result.unprotected
        assert not pinned(values, relations, result.hidden, 5, unpublished=unpublished)
        assert all(k in result.hidden for k in result.primary)


def test_what_cannot_be_protected_is_said():
    """With the incidents in no area taken as known, an offence that happened
    only outside every area (each area shows 0) is its own difference: nothing
    can be hidden to cover it. The rule says so instead of claiming it."""
    rng = np.random.default_rng(12)
    said = 0
    for _ in range(10):
        values, relations, _none = linked(rng, known_offset=True)
        result = suppress(values, relations, minimum=5)
        assert set(pinned(values, relations, result.hidden, 5)) <= result.unprotected
        said += len(result.unprotected)
    assert said


@pytest.mark.parametrize("minimum", [3, 5, 10])
def test_adversarial_tables_of_ones_resist_the_attacker(minimum):
    """Every cell 1, or 1s beside one large cell: the worst case for covers."""
    for grid in (
        [[1, 1], [1, 1]],
        [[1, 1, 1], [1, 1, 1]],
        [[1, 1, 1], [1, 1, 1], [1, 1, 200]],
        [[minimum - 1, 1], [1, 500]],
        [[minimum, minimum], [minimum, 1]],
    ):
        values, relations = two_way(grid)
        result = suppress(values, relations, minimum=minimum)
        assert not result.unprotected
        assert not pinned(values, relations, result.hidden, minimum), grid


def test_labelled_pages_keep_the_whole_small_range_and_no_small_union():
    """Surveys' page: "fewer than 10" (0..9, empty cells hidden as few) differs
    from "withheld" (10 or more); the attacker uses both."""
    rng = random.Random(11)
    page: dict[str, Any] = {"labelled": True, "hide_zeros": True}
    checked = 0
    for _ in range(200):
        counts = [
            rng.choice([0, *range(1, 10), *range(10, 40), rng.randint(40, 200)])
            for _ in range(rng.randint(2, 7))
        ]
        values, relations = one_way(counts)
        if values["total"] < 10:
            continue
        result = suppress(values, relations, minimum=10, fixed=["total"], **page)
        if result.unprotected:
            continue  # every cell hidden: only the total is left, the known limit
        assert not pinned(values, relations, result.hidden, 10, **page), counts
        assert not shown_union_is_small(values, relations, result.hidden, 10), counts
        checked += any(0 < n < 10 for n in counts)
    assert checked > 60


def test_every_pair_of_small_cells_in_a_two_way_labelled_table():
    for first, second in itertools.product(range(1, 5), repeat=2):
        values, relations = two_way([[first, 20, 30], [40, second, 50], [60, 70, 80]])
        page: dict[str, Any] = {"labelled": True}
        hidden = protect(values, relations, minimum=5, **page)
        assert not pinned(values, relations, hidden, 5, **page), (first, second)
