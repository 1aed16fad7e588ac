"""Which figures of one measure and period the public may not see.

The rules themselves live in `roundtable.disclosure` (the one disclosure layer);
this module only says what they apply to for measures.

Only figures about people are protected: counts of people or of what people
did or suffered (inputs, crimes, complaints, attendance, survey respondents),
and rates, shares and scores built on them. A measure that counts no people
(`texts.counts_people`: meetings held, oversight-board meetings, inspections
completed, problem-solving goals and actions) discloses nobody, so its figures
are published as they are, small ones too: "3 oversight meetings" is not
withheld. For the others:

- every figure: its count (`numerator`) or its base (`denominator`) from 1 to
  the minimum − 1 withholds it; for a percentage, so does the complement
  (base − count): "2 of 30 were not answered on time" reveals as much as "2
  were". A score from a survey has no count, only an effective sample size,
  which is held to the respondents' minimum;
- COUNT measures: the figure is itself a count (the numerator when recorded,
  else the value). They add up: the overall figure is the sum of the areas of
  each kind (districts, beats, neighbourhoods … each cover the jurisdiction
  once) and an area is the sum of its children. A sum may leave something
  over — the inputs given to a district itself rather than to one of its
  neighbourhoods, those given no area at all — and that remainder is a count
  too, which subtraction would give back: it takes part as a cell of its own,
  never published, withheld and protected like any other when small. Every
  such relation goes to `protect_counts`, which withholds further cells (the
  overall figure too) until no withheld count can be recovered by
  subtraction. Areas without a figure take no part: nothing is published for
  them.

Other units (rates, shares, scores) are not additive across areas, so they
need no complementary suppression.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from roundtable.agencies.models import Area
from roundtable.disclosure import protect_counts, public_count
from roundtable.measures.models import Unit

OVERALL = None
REST = "rest"  # key of a sum's remainder: ("rest", the sum's number)


@dataclass(frozen=True)
class Cell:
    value: float
    numerator: int | None
    denominator: int | None


def _small(count: int | None, kind: str = "count") -> bool:
    return count is not None and public_count(count, kind=kind) is None


def figure_withheld(unit: str, cell: Cell, *, counts_people: bool) -> bool:
    """Whether one figure, on its own, must not be published."""
    if not counts_people:
        return False
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
    unit: str,
    cells: Mapping[int | None, Cell],
    areas: Mapping[int, Area],
    *,
    counts_people: bool,
) -> set[int | None]:
    """The keys (area ids, None for the whole jurisdiction) of `cells` — one
    measure's figures for one period — that must be withheld. Nothing, for a
    measure that counts no people."""
    if not counts_people:
        return set()
    if unit != Unit.COUNT:
        return {
            key
            for key, cell in cells.items()
            if figure_withheld(unit, cell, counts_people=counts_people)
        }
    counts: dict[Hashable, int] = {key: count_of(cell) for key, cell in cells.items()}
    sums: list[tuple[Hashable, list[Hashable]]] = []
    by_kind: dict[str, list[Hashable]] = defaultdict(list)
    children: dict[int, list[Hashable]] = defaultdict(list)
    for key in cells:
        if key is None or key not in areas:
            continue
        area = areas[key]
        by_kind[area.kind].append(key)
        if area.parent_id is not None and area.parent_id in cells:
            children[area.parent_id].append(key)
    if OVERALL in cells:
        sums += [(OVERALL, parts) for _kind, parts in sorted(by_kind.items()) if parts]
    sums += [(parent, parts) for parent, parts in sorted(children.items())]
    relations: list[tuple[Hashable, Sequence[Hashable]]] = []
    for index, (total, parts) in enumerate(sums):
        rest = counts[total] - sum(counts[part] for part in parts)
        if rest > 0:
            # What the parts leave over: a count nobody publishes, but that the
            # total minus the parts would give back.
            counts[(REST, index)] = rest
            parts = [*parts, (REST, index)]
        relations.append((total, parts))
    hidden = protect_counts(counts, relations)
    return {key for key in cells if key in hidden}
