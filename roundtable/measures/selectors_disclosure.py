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

Measures computed from incidents add up over time too, and the public safety
report publishes their year to date (to its as-of date, overall and per
area): that total minus the months shown would give a withheld month back.
The months before the as-of date's month, this year and last, are therefore
one more relation per area, with their total taken as shown
(`withheld_in_table`'s `known_sums`; `selectors.year_to_date_runs`).

Other units (rates, shares, scores) are not additive across areas, so they
need no complementary suppression.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from roundtable.agencies.models import Area
from roundtable.disclosure import protect_counts, public_count
from roundtable.measures.models import Unit

P = TypeVar("P", bound=Hashable)  # a period's key

OVERALL = None
REST = "rest"  # key of a sum's remainder: ("rest", the period, the sum's number)
KNOWN = "known"  # key of a total published elsewhere: ("known", the run's number, area)


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


def _period_relations(
    cells: Mapping[int | None, Cell],
    areas: Mapping[int, Area],
    tag: Hashable,
    counts: dict[Hashable, int],
    relations: list[tuple[Hashable, Sequence[Hashable]]],
) -> None:
    """Add one period's COUNT cells, keyed (tag, area id), and their sums (the
    areas of each kind to the overall figure, children to their parent, with
    what a sum leaves over as a cell of its own) to `counts` and `relations`."""
    for key, cell in cells.items():
        counts[(tag, key)] = count_of(cell)
    sums: list[tuple[int | None, list[int | None]]] = []
    by_kind: dict[str, list[int | None]] = defaultdict(list)
    children: dict[int, list[int | None]] = defaultdict(list)
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
    for index, (total, parts) in enumerate(sums):
        keys: list[Hashable] = [(tag, part) for part in parts]
        rest = counts[(tag, total)] - sum(counts[key] for key in keys)
        if rest > 0:
            # What the parts leave over: a count nobody publishes, but that the
            # total minus the parts would give back.
            counts[(REST, tag, index)] = rest
            keys.append((REST, tag, index))
        relations.append(((tag, total), keys))


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
    return withheld_in_table(unit, {PERIOD: cells}, areas, counts_people=counts_people)[PERIOD]


PERIOD = "period"  # the tag of the one period `withheld_cells` is asked about


def withheld_in_table(
    unit: str,
    cells: Mapping[P, Mapping[int | None, Cell]],
    areas: Mapping[int, Area],
    *,
    counts_people: bool,
    known_sums: Sequence[Sequence[P]] = (),
    unpublished: Collection[P] = (),
) -> dict[P, set[int | None]]:
    """The keys of the cells to withhold, per period: `cells` holds one
    measure's figures, {period: {area id or None: cell}}.

    `known_sums` (COUNT measures) are runs of periods whose total, for the
    whole jurisdiction and for each area, the public can read elsewhere (the
    public safety report's year to date holds the months before its last
    one): each becomes a relation whose total is shown, so that complementary
    suppression keeps a withheld month from coming back as that total minus
    the other months. Periods in `unpublished` are never shown (outside the
    page's window) but take part in those sums."""
    if not counts_people:
        return {period: set() for period in cells}
    if unit != Unit.COUNT:
        return {
            period: {
                key
                for key, cell in period_cells.items()
                if figure_withheld(unit, cell, counts_people=counts_people)
            }
            for period, period_cells in cells.items()
        }
    counts: dict[Hashable, int] = {}
    relations: list[tuple[Hashable, Sequence[Hashable]]] = []
    for period, period_cells in cells.items():
        _period_relations(period_cells, areas, period, counts, relations)
    fixed: list[Hashable] = []
    for index, run in enumerate(known_sums):
        for key in sorted({k for p in run for k in cells.get(p, {})}, key=str):
            parts = [(p, key) for p in run if (p, key) in counts]
            if not parts:
                continue
            total = (KNOWN, index, key)
            counts[total] = sum(counts[part] for part in parts)
            relations.append((total, parts))
            fixed.append(total)
    never = [(p, key) for p in unpublished for key in cells.get(p, {})]
    hidden = protect_counts(counts, relations, fixed=fixed, unpublished=never)
    return {
        period: {key for key in period_cells if (period, key) in hidden}
        for period, period_cells in cells.items()
    }
