"""Which figures of one measure and period the public may not see.

The rules themselves live in `roundtable.disclosure` (the one disclosure layer);
this module only says what they apply to for measures:

- every figure: its count (`numerator`) or its base (`denominator`) from 1 to
  the minimum − 1 withholds it; for a percentage, so does the complement
  (base − count): "2 of 30 were not answered on time" reveals as much as "2
  were". A score from a survey has no count, only an effective sample size,
  which is held to the respondents' minimum;
- COUNT measures: the figure is itself a count (the numerator when recorded,
  else the value). They add up: the overall figure is the sum of the areas of
  each kind (districts, beats, neighbourhoods … each cover the jurisdiction
  once) and an area is the sum of its children. Every such relation goes to
  `protect_counts`, which withholds further cells (the overall figure too)
  until no withheld count can be recovered by subtraction. Areas without a
  figure take no part: nothing is published for them.

Other units (rates, shares, scores) are not additive across areas, so they
need no complementary suppression.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from roundtable.agencies.models import Area
from roundtable.disclosure import protect_counts, public_count
from roundtable.measures.models import Unit

OVERALL = None


@dataclass(frozen=True)
class Cell:
    value: float
    numerator: int | None
    denominator: int | None


def _small(count: int | None, kind: str = "count") -> bool:
    return count is not None and public_count(count, kind=kind) is None


def figure_withheld(unit: str, cell: Cell) -> bool:
    """Whether one figure, on its own, must not be published."""
    if unit == Unit.COUNT:
        return _small(count_of(cell))
    if unit == Unit.SCORE and cell.numerator is None:
        return _small(cell.denominator, "respondents")
    if _small(cell.numerator) or _small(cell.denominator):
        return True
    if unit == Unit.PERCENT and cell.numerator is not None and cell.denominator is not None:
        return _small(max(cell.denominator - cell.numerator, 0))
    return False


def count_of(cell: Cell) -> int:
    if cell.numerator is not None:
        return cell.numerator
    return max(round(cell.value), 0)


def withheld_cells(
    unit: str, cells: Mapping[int | None, Cell], areas: Mapping[int, Area]
) -> set[int | None]:
    """The keys (area ids, None for the whole jurisdiction) of `cells` — one
    measure's figures for one period — that must be withheld."""
    if unit != Unit.COUNT:
        return {key for key, cell in cells.items() if figure_withheld(unit, cell)}
    counts = {key: count_of(cell) for key, cell in cells.items()}
    relations: list[tuple[int | None, list[int | None]]] = []
    by_kind: dict[str, list[int | None]] = defaultdict(list)
    children: dict[int, list[int | None]] = defaultdict(list)
    for key in counts:
        if key is None or key not in areas:
            continue
        area = areas[key]
        by_kind[area.kind].append(key)
        if area.parent_id is not None and area.parent_id in counts:
            children[area.parent_id].append(key)
    if OVERALL in counts:
        relations += [(OVERALL, parts) for _kind, parts in sorted(by_kind.items()) if parts]
    relations += [(parent, parts) for parent, parts in sorted(children.items())]
    return set(protect_counts(counts, relations))
