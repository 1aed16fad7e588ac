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

Counts under ROUNDTABLE_SURVEY_MIN_COUNT are never shown: such a group's
respondents, respondent share, rate and relative rate are None ("fewer than
10"), since each of them gives the count back.

The suggestions, sentences for the biggest gaps, are made in `suggestions.py`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roundtable.agencies.models import Area
from roundtable.analytics import representativeness as rep
from roundtable.surveys.categories import CATEGORIES, category_label, category_values
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
    expected: float  # respondents expected at the table's overall rate


@dataclass
class Table:
    characteristics: tuple[str, ...]
    label: str
    area: Area | None  # None: the whole jurisdiction
    universe: str
    estimated: bool  # a pair's population estimated under independence
    respondents: int | None  # who answered the item(s); None: fewer than the minimum count
    groups: list[GroupRow]
    score: float | None


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


@dataclass(frozen=True)
class _Answer:
    area_id: int | None
    values: dict[str, str]  # characteristic → category answered


def _shown(count: int) -> int | None:
    return count if count >= settings.ROUNDTABLE_SURVEY_MIN_COUNT else None


def _nan_none(value: float) -> float | None:
    return None if math.isnan(value) else value


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
    people = sum(r.population for r in rates)
    answered = sum(r.respondents for r in rates)
    counted = sum(r.respondents for r in rates if r.population > 0)
    overall = counted / people if people > 0 else 0.0
    groups = []
    for rate in rates:
        if rate.population <= 0 and rate.respondents == 0:
            continue
        visible = rate.respondents >= settings.ROUNDTABLE_SURVEY_MIN_COUNT
        groups.append(
            GroupRow(
                key=rate.key,
                label=labels.get(rate.key, "+".join(rate.key)),
                population=rate.population,
                population_share=rate.population / people if people > 0 else 0.0,
                respondents=rate.respondents if visible else None,
                respondent_share=rate.respondents / answered if visible and answered else None,
                rate=_nan_none(rate.rate) if visible else None,
                relative=_nan_none(rate.relative) if visible else None,
                expected=rate.population * overall,
            )
        )
    return Table(
        characteristics=characteristics,
        label=" × ".join(_characteristic_label(c) for c in characteristics),
        area=area,
        universe=universe,
        estimated=estimated,
        respondents=_shown(answered),
        groups=groups,
        score=rep.score(rates),
    )


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
    result = Representation(survey, start, end, population, _shown(len(rows)), None, [], [], [])
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
