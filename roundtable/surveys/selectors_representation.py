"""Whom a survey's respondents represent: participation per group against the census.

For every characteristic the survey asks and the reference population has
(and the area itself, for a jurisdiction-wide survey that asks it), per area
and for the whole jurisdiction: each group's share of the population and of
the respondents who answered the item, its participation rate (respondents ÷
population), its rate relative to everyone's in the same table, and the
table's score — the lowest group rate ÷ the highest
(`analytics.representativeness`). The survey's score is the lowest of the
jurisdiction-wide tables'.

Pairs of characteristics (race or ethnicity × age band …) are shown per area
too. Their population comes from a cross-tabulated margin when the
population has one ("race_ethnicity+age_band"); otherwise it is estimated as
if the two were independent within the area — count of the group in the
adult characteristic × the other characteristic's share — and the table is
flagged `estimated`.

What is shown of the counts follows `disclosure.py`, table by table:

- a group with fewer than ROUNDTABLE_SURVEY_MIN_COUNT respondents shows no
  respondents, respondent share, rate or relative rate (each gives the count
  back): `hidden` "few", "fewer than 10";
- the table's total is shown, so hiding one group would leave it as "total −
  the others": the smallest other groups are hidden too (`hidden`
  "withheld"), until the hidden ones together cannot pin a small one;
- every count shown is rounded to the nearest 5, and the shares, rates and
  relative rates of the groups shown are computed from the rounded counts (and
  the census), so that they tell no more than the counts: an area's table and
  the jurisdiction's, or a pair's and its two characteristics', differ only by
  rounded amounts.

The score, lowest rate ÷ highest, is computed over the groups shown. When a
group with a population is hidden, its rate may be lower than every rate
shown (and a withheld one higher), so the score shown is an upper bound:
`score_bound`, "at most". A table that shows fewer than two groups beside a
hidden one has no score. The survey's score is the lowest table score, "at
most" when any of the jurisdiction-wide tables hides a group.

A table whose census counts are not adults (race or ethnicity in the CMAP
profiles counts people of all ages, children included; income and tenure
count households) keeps its `universe`, which the page shows beside the
table, so that its rates are not read as adults'.

The suggestions, sentences for the biggest gaps, are made in `suggestions.py`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roundtable.agencies.models import Area
from roundtable.analytics import representativeness as rep
from roundtable.surveys.categories import CATEGORIES, category_label, category_values
from roundtable.surveys.disclosure import shown_count, suppress_table
from roundtable.surveys.models import (
    Audience,
    Characteristic,
    PopulationMargin,
    ReferencePopulation,
    Survey,
)
from roundtable.surveys.services_population import AREA_TOTAL
from roundtable.surveys.suggestions import suggestions
from roundtable.surveys.weighting import (
    Margins,
    asked_characteristics,
    covered_areas,
    margins_of,
    population_for,
)

Key = tuple[str, ...]


@dataclass
class GroupRow:
    key: Key  # the group's categories (area id as text in the area table)
    label: str
    population: float
    population_share: float
    respondents: int | None  # None: fewer than the minimum count
    respondent_share: float | None
    rate: float | None  # respondents per resident (or household)
    relative: float | None  # rate ÷ the table's overall rate
    expected: float  # respondents expected at the table's overall rate (from rounded counts)
    hidden: str = ""  # "" | "few" (fewer than 10) | "withheld" (10 or more, covering another)


@dataclass
class Table:
    characteristics: tuple[str, ...]
    label: str
    area: Area | None  # None: the whole jurisdiction
    universe: str
    estimated: bool  # a pair's population estimated under independence
    respondents: int | None  # who answered the item(s), rounded; None: fewer than 10
    groups: list[GroupRow]
    score: float | None  # over the groups shown
    score_bound: bool = False  # a group with a population is hidden: the score is "at most"


@dataclass
class Representation:
    survey: Survey
    start: dt.date | None
    end: dt.date | None
    population: ReferencePopulation | None
    respondents: int | None
    score: float | None
    tables: list[Table]
    pairs: list[Table]
    suggestions: list[str]
    notes: list[str] = field(default_factory=list)
    score_bound: bool = False  # "at most": a jurisdiction-wide table hides a group


@dataclass(frozen=True)
class _Answer:
    area_id: int | None
    values: dict[str, str]  # characteristic → category answered


def _table(
    characteristics: tuple[str, ...],
    area: Area | None,
    universe: str,
    estimated: bool,
    counts: Mapping[Key, int],
    population: Mapping[Key, float],
    labels: Mapping[Key, str],
) -> Table:
    rates = rep.participation(counts, {k: v for k, v in population.items() if v > 0})
    listed = [r for r in rates if r.population > 0 or r.respondents > 0]
    people = sum(r.population for r in rates)
    answered = shown_count(sum(r.respondents for r in rates))
    counted = shown_count(sum(r.respondents for r in rates if r.population > 0)) or 0
    overall = counted / people if people > 0 else 0.0
    table = suppress_table({r.key: r.respondents for r in listed})
    groups = []
    for found in listed:
        hidden = table.reason(found.key)
        shown = None if hidden else shown_count(found.respondents)
        rate = shown / found.population if shown is not None and found.population > 0 else None
        groups.append(
            GroupRow(
                key=found.key,
                label=labels.get(found.key, "+".join(found.key)),
                population=found.population,
                population_share=found.population / people if people > 0 else 0.0,
                respondents=shown,
                respondent_share=shown / answered if shown is not None and answered else None,
                rate=rate,
                relative=rate / overall if rate is not None and overall > 0 else None,
                expected=found.population * overall,
                hidden=hidden,
            )
        )
    score, bound = _score(groups)
    return Table(
        characteristics=characteristics,
        label=" × ".join(_characteristic_label(c) for c in characteristics),
        area=area,
        universe=universe,
        estimated=estimated,
        respondents=answered,
        groups=groups,
        score=score,
        score_bound=bound,
    )


def _score(groups: Sequence[GroupRow]) -> tuple[float | None, bool]:
    """Lowest rate ÷ highest over the groups shown, and whether a hidden group makes it an
    upper bound (see the module)."""
    counted = [g for g in groups if g.population > 0]
    rates = [g.rate for g in counted if g.rate is not None]
    bound = len(rates) < len(counted)
    if not rates or (bound and len(rates) < 2):
        return None, bound
    return min(rates) / max(rates), bound


def _characteristic_label(characteristic: str) -> str:
    try:
        return str(Characteristic(characteristic).label)
    except ValueError:
        return characteristic


def _group_label(characteristics: Sequence[str], key: Key, language: str) -> str:
    return ", ".join(
        category_label(c, v, language) for c, v in zip(characteristics, key, strict=True)
    )


def _position(characteristic: str, category: str) -> int:
    known = category_values(characteristic)
    return known.index(category) if category in known else len(known)


def _single_population(
    margins: Margins, characteristic: str, areas: Sequence[int]
) -> dict[int, dict[Key, float]]:
    """{area id: {(category,): count}} for the areas in scope."""
    out: dict[int, dict[Key, float]] = {pk: {} for pk in areas}
    for (area_id, category), count in margins.of(characteristic).items():
        if area_id in out:
            out[area_id][(category,)] = count
    return out


def _pair_population(
    margins: Margins, a: str, b: str, area_id: int
) -> tuple[dict[Key, float], bool, str]:
    """The area's population per (category of a, category of b), whether it is estimated,
    and its universe."""
    for name, swap in ((f"{a}+{b}", False), (f"{b}+{a}", True)):
        cells = {
            tuple(category.split("+")): count
            for (pk, category), count in margins.of(name).items()
            if pk == area_id
        }
        if cells:
            if swap:
                cells = {(key[1], key[0]): count for key, count in cells.items()}
            universe = margins.universes.get(name, PopulationMargin.Universe.ADULTS)
            return cells, False, universe
    # Independence within the area: count of the (adult, if either is) characteristic's
    # group × the other's share.
    ua = margins.universes.get(a, PopulationMargin.Universe.ADULTS)
    ub = margins.universes.get(b, PopulationMargin.Universe.ADULTS)
    base_is_a = ua == PopulationMargin.Universe.ADULTS or ub != PopulationMargin.Universe.ADULTS
    pa = {c: n for (pk, c), n in margins.of(a).items() if pk == area_id}
    pb = {c: n for (pk, c), n in margins.of(b).items() if pk == area_id}
    base, other = (pa, pb) if base_is_a else (pb, pa)
    other_total = sum(other.values())
    cells = {}
    if other_total > 0:
        for x, y in itertools.product(base, other):
            count = base[x] * other[y] / other_total
            cells[(x, y) if base_is_a else (y, x)] = count
    return cells, True, ua if base_is_a else ub


def _answers(survey: Survey, start: dt.date | None, end: dt.date | None) -> list[Any]:
    found = survey.responses.all()
    if start is not None:
        found = found.filter(period__gte=start)
    if end is not None:
        found = found.filter(period__lte=end)
    return list(found.order_by().values_list("area_id", "answers"))


@dataclass(frozen=True)
class _Context:
    language: str
    margins: Margins
    areas: Mapping[int, Area]
    scope: list[int]  # the areas compared (ids)
    top: Area | None  # a one-area survey's area: its overall tables are that area's
    answers: list[_Answer]


def _count(keys: Iterable[Key]) -> Counter[Key]:
    return Counter(keys)


def _count_by_area(pairs: Iterable[tuple[int | None, Key]]) -> dict[int | None, Counter[Key]]:
    """{area id: Counter of keys}, in one pass over the answers."""
    out: dict[int | None, Counter[Key]] = defaultdict(Counter)
    for area_id, key in pairs:
        out[area_id][key] += 1
    return out


def _area_table(ctx: _Context) -> Table:
    """The areas themselves, for a survey of the whole jurisdiction that asks where people live."""
    totals = ctx.margins.of(Characteristic.AREA)
    return _table(
        (Characteristic.AREA,),
        None,
        PopulationMargin.Universe.ADULTS,
        False,
        _count((str(a.area_id),) for a in ctx.answers if a.area_id in ctx.scope),
        {(str(pk),): totals.get((pk, AREA_TOTAL), 0.0) for pk in ctx.scope},
        {(str(pk),): ctx.areas[pk].name for pk in ctx.scope},
    )


def _single_tables(ctx: _Context, characteristic: str) -> tuple[Table, list[Table]]:
    """A characteristic's jurisdiction-wide table and its per-area tables."""
    universe = ctx.margins.universes.get(characteristic, PopulationMargin.Universe.ADULTS)
    per_area = _single_population(ctx.margins, characteristic, ctx.scope)
    everywhere: Counter[Key] = Counter()
    for cells in per_area.values():
        everywhere.update(cells)
    answered = [a for a in ctx.answers if characteristic in a.values]
    categories = {key[0] for key in everywhere} | {a.values[characteristic] for a in answered}
    labels: dict[Key, str] = {
        (c,): category_label(characteristic, c, ctx.language) for c in categories
    }
    overall = _table(
        (characteristic,),
        ctx.top,
        universe,
        False,
        _count((a.values[characteristic],) for a in answered),
        dict(everywhere),
        labels,
    )
    counts = _count_by_area((a.area_id, (a.values[characteristic],)) for a in answered)
    by_area = [
        _table(
            (characteristic,),
            ctx.areas[pk],
            universe,
            False,
            counts.get(pk, Counter()),
            per_area[pk],
            labels,
        )
        for pk in (ctx.scope if len(ctx.scope) > 1 else [])
    ]
    return overall, by_area


def _pair_tables(ctx: _Context, a: str, b: str) -> list[Table]:
    tables = []
    by_area = _count_by_area(
        (ans.area_id, (ans.values[a], ans.values[b]))
        for ans in ctx.answers
        if a in ans.values and b in ans.values
    )
    for pk in ctx.scope:
        cells, estimated, universe = _pair_population(ctx.margins, a, b, pk)
        counts = by_area.get(pk, Counter())
        labels = {key: _group_label((a, b), key, ctx.language) for key in set(cells) | set(counts)}
        table = _table((a, b), ctx.areas[pk], universe, estimated, counts, cells, labels)
        table.groups.sort(key=lambda g: (_position(a, g.key[0]), _position(b, g.key[1])))
        tables.append(table)
    return tables


def representativeness(
    *, survey: Survey, start: dt.date | None = None, end: dt.date | None = None
) -> Representation:
    """Participation per group, per area and overall, its score and the outreach suggestions.

    Not for internal surveys: staff are not the census's residents, and groups of
    officers per area would come close to single people."""
    if survey.audience == Audience.INTERNAL:
        return Representation(
            survey, start, end, None, None, None, [], [], [],
            [_("An internal survey is not compared with the census.")],
        )  # fmt: skip
    questions = list(survey.questions.order_by("position", "pk"))
    asked = asked_characteristics(questions)
    rows = _answers(survey, start, end)
    areas = {area.pk: area for area in Area.objects.filter(agency_id=survey.agency_id)}
    population = population_for(survey)
    margins = margins_of(population)
    result = Representation(
        survey, start, end, population, shown_count(len(rows)), None, [], [], []
    )
    if population is None:
        result.notes.append(_("There is no reference population to compare the respondents with."))
        return result
    scope, notes = covered_areas(survey, margins, {pk: a.name for pk, a in areas.items()})
    scope = [pk for pk in scope if pk in areas]
    demographics = [c for c in CATEGORIES if c in asked and c in margins.characteristics()]
    ctx = _Context(
        language=get_language() or "en",
        margins=margins,
        areas=areas,
        scope=scope,
        top=areas[scope[0]] if survey.area_id is not None and len(scope) == 1 else None,
        answers=[
            _Answer(
                area_id,
                {
                    c: value
                    for c in demographics
                    if isinstance(value := (raw or {}).get(asked[c]), str)
                },
            )
            for area_id, raw in rows
        ],
    )
    top_tables: list[Table] = []
    if Characteristic.AREA in asked and survey.area_id is None and len(scope) > 1:
        top_tables.append(_area_table(ctx))
    area_tables: list[Table] = []
    for characteristic in demographics:
        overall, by_area = _single_tables(ctx, characteristic)
        top_tables.append(overall)
        area_tables += by_area
    result.tables = top_tables + area_tables
    for a, b in itertools.combinations(demographics, 2):
        result.pairs += _pair_tables(ctx, a, b)

    scores = [t.score for t in top_tables if t.score is not None]
    result.score = min(scores) if scores else None
    result.score_bound = result.score is not None and any(t.score_bound for t in top_tables)
    result.suggestions = suggestions(result.tables + result.pairs)
    result.notes = notes + _universe_notes(margins, demographics)
    return result


def _universe_notes(margins: Margins, demographics: Sequence[str]) -> list[str]:
    notes = []
    people = [
        c for c in demographics if margins.universes.get(c) == PopulationMargin.Universe.PEOPLE
    ]
    households = [
        c for c in demographics if margins.universes.get(c) == PopulationMargin.Universe.HOUSEHOLDS
    ]
    if people:
        notes.append(
            _(
                "%(characteristics)s: the census counts residents of all ages, children "
                "included, so the rates are lower than for adults; compare the groups with "
                "each other."
            )
            % {"characteristics": ", ".join(_characteristic_label(c) for c in people)}
        )
    if households:
        notes.append(
            _(
                "%(characteristics)s: the census counts households, not residents; a "
                "respondent stands for their household here."
            )
            % {"characteristics": ", ".join(_characteristic_label(c) for c in households)}
        )
    return notes
