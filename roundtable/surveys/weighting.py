"""Weights for a period's responses: raking to the reference population's margins.

What is raked to:

- the variables: `survey.weighting_variables`, or when it is empty every one
  of area, age_band and race_ethnicity that the survey asks (a question with
  that characteristic; area: an area-pick question) and the population has.
  Income band and tenure are household counts in the census (CMAP's INC_* and
  *_OCC_HU columns count households, not residents), so raking respondents to
  them would treat a household of five like a person living alone; they are
  raked to only when a survey names them;
- the targets: each variable's margins summed over the areas the survey
  covers (its own area, or every area of the population), as shares; the
  area variable's target for an area is that area's adult total;
- the population: `survey.population`, else the agency's newest.

A variable whose census counts are not adults (race or ethnicity in the CMAP
profiles counts residents of all ages; income and tenure count households)
is raked to all the same, since its shares are the best there are, and a
note says so: the weights make adult respondents match shares that include
children (or households), which differ where the age mix differs.

A respondent who skipped a demographic item (or gave a category the
population has no count for) is coded −1 and left out of that variable's
adjustment (anesrake's rule). A category nobody answered in the period cannot
be weighted up from nothing: it is dropped from the targets (the other shares
renormalised) and a note names it; a variable left with fewer than two
categories is dropped with a note. Without a population (or a variable) the
weights are all 1 and a note says the figures are not weighted.

Weights that do not reach the census shares within the rounds allowed keep
what they reached, marked not converged, with a note: a material gap (0.05
points or more) names itself and, under a cap, the cap as the likely reason;
a smaller one says it is too small to change the figures.

The maths is `roundtable.analytics.raking`; this module turns responses into
its arrays and its outcome into notes. No queries are made per period:
`weighting_plan` reads the population once for all of a survey's periods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roundtable.agencies.models import Area
from roundtable.analytics import raking, survey_estimates
from roundtable.surveys.categories import category_label, category_values
from roundtable.surveys.models import (
    Characteristic,
    PopulationMargin,
    Question,
    ReferencePopulation,
    Survey,
)
from roundtable.surveys.services_population import AREA_TOTAL, newest_population

DEFAULT_VARIABLES = (Characteristic.AREA, Characteristic.AGE_BAND, Characteristic.RACE_ETHNICITY)
MISSING = -1
# Weighted shares within a millionth of their census shares (0.0001 points):
# far below any margin of error. The analytics default (1e-10) is for
# comparisons with reference implementations.
WEIGHTING_TOLERANCE = 1e-6
# Capped raking converges only linearly, and slowly when the cap binds near the
# edge of what the margins allow: the demo's August 2025 (one respondent of
# another race, whose weight the cap holds back) needs 1,464 rounds, at a gap of
# 0.0016 points after 1,000. An unreachable cap instead stalls at a material
# gap within a few hundred rounds. So a period still short of the tolerance
# after WEIGHTING_ROUNDS but already within IMMATERIAL_GAP is raked again with
# room to finish (an iteration costs about 0.1 ms: the work is on at most a few
# hundred cells, whatever the number of respondents), and a stalled one is not.
WEIGHTING_ROUNDS = 1000
WEIGHTING_MORE_ROUNDS = 10_000
# Under 0.05 points, which rounds to 0.0 on the page: too little to move a figure.
IMMATERIAL_GAP = 0.0005


class Answered(Protocol):
    """What weighting needs of a response (a Response, or a row read with .only())."""

    @property
    def area_id(self) -> int | None: ...

    @property
    def answers(self) -> Any: ...


@dataclass
class WeightingSummary:
    respondents: int
    variables: list[str]
    iterations: int
    converged: bool
    design_effect: float
    effective_n: float
    max_margin_error: float
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Margins:
    """Every margin of a population: {characteristic: {(area id, category): count}}."""

    population: ReferencePopulation | None
    counts: Mapping[str, Mapping[tuple[int, str], float]]
    universes: Mapping[str, str] = field(default_factory=dict)  # characteristic → universe

    def of(self, characteristic: str) -> Mapping[tuple[int, str], float]:
        return self.counts.get(characteristic, {})

    def characteristics(self) -> set[str]:
        return set(self.counts)


@dataclass(frozen=True)
class Variable:
    characteristic: str
    question_key: str  # "" for the area: responses carry it in area_id
    categories: tuple[str, ...]  # area ids as strings for the area
    labels: tuple[str, ...]
    counts: tuple[float, ...]


@dataclass(frozen=True)
class WeightingPlan:
    variables: tuple[Variable, ...]
    notes: tuple[str, ...]
    cap: float | None


def population_for(survey: Survey) -> ReferencePopulation | None:
    if survey.population_id is not None:
        return survey.population
    return newest_population(survey.agency_id)


def margins_of(population: ReferencePopulation | None) -> Margins:
    """All of a population's margins in one query."""
    counts: dict[str, dict[tuple[int, str], float]] = {}
    universes: dict[str, str] = {}
    if population is not None:
        for characteristic, area_id, category, count, universe in PopulationMargin.objects.filter(
            population=population
        ).values_list("characteristic", "area_id", "category", "count", "universe"):
            counts.setdefault(characteristic, {})[(area_id, category)] = count
            universes.setdefault(characteristic, universe)
    return Margins(population, counts, universes)


def asked_characteristics(questions: Sequence[Question]) -> dict[str, str]:
    """{characteristic: question key} of the demographic items a survey asks."""
    asked: dict[str, str] = {}
    for question in questions:
        if question.kind == Question.Kind.AREA:
            asked.setdefault(Characteristic.AREA, question.key)
        elif question.characteristic and question.kind == Question.Kind.SINGLE:
            asked.setdefault(question.characteristic, question.key)
    return asked


def covered_areas(
    survey: Survey, margins: Margins, area_names: Mapping[int, str]
) -> tuple[list[int], list[str]]:
    """The areas whose margins the targets sum, and a note when the survey's own area has none."""
    with_totals = sorted({area_id for area_id, _c in margins.of(Characteristic.AREA)})
    everywhere = with_totals or sorted(
        {area_id for cells in margins.counts.values() for area_id, _c in cells}
    )
    if survey.area_id is None:
        return everywhere, []
    if any(area_id == survey.area_id for cells in margins.counts.values() for area_id, _c in cells):
        return [survey.area_id], []
    return everywhere, [
        _(
            "The reference population has no figures for %(area)s: the survey is weighted "
            "to the whole jurisdiction's."
        )
        % {"area": area_names.get(survey.area_id, "")}
    ]


def weighting_plan(
    *,
    survey: Survey,
    questions: Sequence[Question],
    margins: Margins,
    area_names: Mapping[int, str],
) -> WeightingPlan:
    """The variables and their population counts, fixed for every period of a survey."""
    cap = survey.weight_cap if survey.weight_cap and survey.weight_cap > 1 else None
    if margins.population is None:
        return WeightingPlan(
            (), (_("There is no reference population: the figures are not weighted."),), cap
        )
    asked = asked_characteristics(questions)
    if survey.area_id is not None:
        asked.pop(Characteristic.AREA, None)  # one area: nothing to weight between
    wanted = list(survey.weighting_variables) or [
        c for c in DEFAULT_VARIABLES if c in asked and c in margins.characteristics()
    ]
    notes: list[str] = []
    areas, area_notes = covered_areas(survey, margins, area_names)
    notes += area_notes
    variables: list[Variable] = []
    for characteristic in wanted:
        if characteristic not in asked or characteristic not in margins.characteristics():
            notes.append(
                _("%(characteristic)s is not weighted on: %(why)s.")
                % {
                    "characteristic": _characteristic_label(characteristic),
                    "why": _("the survey does not ask it")
                    if characteristic not in asked
                    else _("the reference population has no figures for it"),
                }
            )
            continue
        variables.append(_variable(characteristic, asked, margins, areas, area_names))
    if not variables:
        notes.append(
            _(
                "None of the survey's questions matches the reference population's figures: "
                "the figures are not weighted."
            )
        )
    notes += [_universe_note(v.characteristic, margins) for v in variables]
    return WeightingPlan(tuple(variables), tuple(n for n in notes if n), cap)


def _universe_note(characteristic: str, margins: Margins) -> str:
    """A note for a variable whose census counts are not adults ("" for adults)."""
    universe = margins.universes.get(characteristic, PopulationMargin.Universe.ADULTS)
    label = {"characteristic": _characteristic_label(characteristic)}
    if universe == PopulationMargin.Universe.PEOPLE:
        return (
            _(
                "%(characteristic)s is weighted to census counts of residents of all ages, "
                "children included: the respondents, adults, are matched to those shares."
            )
            % label
        )
    if universe == PopulationMargin.Universe.HOUSEHOLDS:
        return (
            _(
                "%(characteristic)s is weighted to census counts of households, not residents: "
                "each respondent stands for their household."
            )
            % label
        )
    return ""


def _variable(
    characteristic: str,
    asked: Mapping[str, str],
    margins: Margins,
    areas: Sequence[int],
    area_names: Mapping[int, str],
) -> Variable:
    cells = margins.of(characteristic)
    language = get_language() or "en"
    if characteristic == Characteristic.AREA:
        ordered = sorted(areas, key=lambda pk: (area_names.get(pk, ""), pk))
        rows = [
            (str(pk), area_names.get(pk, str(pk)), cells.get((pk, AREA_TOTAL), 0.0))
            for pk in ordered
        ]
        key = ""
    else:
        known = category_values(characteristic)
        found = {category for _a, category in cells}
        ordered_categories = [c for c in known if c in found] + sorted(found - set(known))
        rows = [
            (
                category,
                category_label(characteristic, category, language),
                sum(cells.get((pk, category), 0.0) for pk in areas),
            )
            for category in ordered_categories
        ]
        key = asked[characteristic]
    rows = [row for row in rows if row[2] > 0]
    return Variable(
        characteristic,
        key,
        tuple(r[0] for r in rows),
        tuple(r[1] for r in rows),
        tuple(r[2] for r in rows),
    )


def _characteristic_label(characteristic: str) -> str:
    try:
        return str(Characteristic(characteristic).label)
    except ValueError:
        return characteristic


def _codes(variable: Variable, responses: Sequence[Answered]) -> np.ndarray:
    index = {category: position for position, category in enumerate(variable.categories)}
    codes = np.full(len(responses), MISSING, dtype=np.int64)
    for row, response in enumerate(responses):
        if variable.characteristic == Characteristic.AREA:
            value: Any = str(response.area_id) if response.area_id is not None else None
        else:
            value = (response.answers or {}).get(variable.question_key)
        if isinstance(value, str):
            codes[row] = index.get(value, MISSING)
    return codes


def _nobody_note(variable: Variable, label: str, period: str) -> str:
    values = {"group": label, "period": period}
    if variable.characteristic == Characteristic.AGE_BAND:
        text = _("Nobody aged %(group)s answered in %(period)s")
    elif variable.characteristic == Characteristic.AREA:
        text = _("Nobody from %(group)s answered in %(period)s")
    else:
        text = _("Nobody in the group “%(group)s” (%(characteristic)s) answered in %(period)s")
        values["characteristic"] = _characteristic_label(variable.characteristic).lower()
    return (text % values) + _(": the weights cannot make up for them.")


def plan_codes(plan: WeightingPlan, responses: Sequence[Answered]) -> list[np.ndarray]:
    """Each plan variable's category index per response (−1: missing), to slice per period."""
    return [_codes(variable, responses) for variable in plan.variables]


def _period_arrays(
    plan: WeightingPlan, codes_per_variable: Sequence[np.ndarray], period: str
) -> tuple[list[str], list[np.ndarray], list[np.ndarray], list[str]]:
    names: list[str] = []
    all_codes: list[np.ndarray] = []
    all_targets: list[np.ndarray] = []
    notes: list[str] = []
    for variable, codes in zip(plan.variables, codes_per_variable, strict=True):
        present = np.bincount(codes[codes >= 0], minlength=len(variable.categories)) > 0
        for position in np.flatnonzero(~present):
            notes.append(_nobody_note(variable, variable.labels[position], period))
        kept = np.flatnonzero(present)
        if len(kept) < 2:
            notes.append(
                _("%(characteristic)s is left out of the weighting in %(period)s: %(why)s.")
                % {
                    "characteristic": _characteristic_label(variable.characteristic),
                    "period": period,
                    "why": _("nobody answered it")
                    if len(kept) == 0
                    else _("only one of its groups answered"),
                }
            )
            continue
        remap = np.full(len(variable.categories), MISSING, dtype=np.int64)
        remap[kept] = np.arange(len(kept))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], MISSING)
        counts = np.asarray(variable.counts, dtype=np.float64)[kept]
        names.append(variable.characteristic)
        all_codes.append(codes)
        all_targets.append(counts / counts.sum())
    return names, all_codes, all_targets, notes


def weigh(
    plan: WeightingPlan,
    responses: Sequence[Answered],
    *,
    period: str,
    codes: Sequence[np.ndarray] | None = None,
) -> tuple[np.ndarray, WeightingSummary]:
    """Weights of mean 1 for one period's responses, and what was done to get them.

    `codes`: the responses' `plan_codes`, when the caller has them already."""
    n = len(responses)
    notes = list(plan.notes)
    if codes is None:
        codes = plan_codes(plan, responses)
    names, codes, targets, period_notes = _period_arrays(plan, codes, period)
    notes += period_notes
    unweighted = np.ones(n)
    if n == 0 or not names:
        return unweighted, _summary(n, [], unweighted, 0, True, 0.0, notes)
    try:
        result = _rake(codes, targets, plan.cap)
    except raking.NotConverged as error:
        result = error.result
        notes.append(_not_settled_note(result, period, plan.cap))
        return result.weights, _summary(
            n, names, result.weights, result.iterations, False, result.max_margin_gap, notes
        )
    except raking.RakingError as error:
        notes.append(
            _("The responses of %(period)s could not be weighted (%(error)s): shown unweighted.")
            % {"period": period, "error": error}
        )
        return unweighted, _summary(n, [], unweighted, 0, True, 0.0, notes)
    return result.weights, _summary(
        n, names, result.weights, result.iterations, result.converged, result.max_margin_gap, notes
    )


def _rake(
    codes: Sequence[np.ndarray], targets: Sequence[np.ndarray], cap: float | None
) -> raking.RakeResult:
    """The app's raking: WEIGHTING_ROUNDS, then more when the margins are nearly reached."""
    try:
        return raking.rake(
            codes, targets, cap=cap, tolerance=WEIGHTING_TOLERANCE, max_iterations=WEIGHTING_ROUNDS
        )
    except raking.NotConverged as error:
        if error.result.max_margin_gap > IMMATERIAL_GAP:
            raise
    return raking.rake(
        codes, targets, cap=cap, tolerance=WEIGHTING_TOLERANCE,
        max_iterations=WEIGHTING_MORE_ROUNDS,
    )  # fmt: skip


def _not_settled_note(result: raking.RakeResult, period: str, cap: float | None) -> str:
    values = {
        "period": period,
        "iterations": result.iterations,
        "gap": result.max_margin_gap * 100,
        "cap": f"{cap:g}" if cap is not None else "",
    }
    if result.max_margin_gap <= IMMATERIAL_GAP:
        return (
            _(
                "The weights for %(period)s were still moving slightly after %(iterations)s "
                "rounds, but every weighted group is within 0.05 points of its census share: "
                "too little to change the figures."
            )
            % values
        )
    note = (
        _(
            "The weights for %(period)s did not settle within %(iterations)s rounds: the "
            "weighted groups are up to %(gap).1f points from their census shares."
        )
        % values
    )
    if cap is None:
        return note
    return (
        note
        + " "
        + _(
            "The cap on the weights (%(cap)s times the average) probably keeps them from "
            "getting closer: a higher cap in the survey's settings lets them, at the price of "
            "a larger design effect."
        )
        % values
    )


def _summary(
    n: int,
    names: list[str],
    weights: np.ndarray,
    iterations: int,
    converged: bool,
    gap: float,
    notes: list[str],
) -> WeightingSummary:
    return WeightingSummary(
        respondents=n,
        variables=names,
        iterations=iterations,
        converged=converged,
        design_effect=survey_estimates.design_effect(weights) if n else 1.0,
        effective_n=survey_estimates.effective_n(weights) if n else 0.0,
        max_margin_error=gap,
        notes=notes,
    )


def period_weights(
    *, survey: Survey, responses: Sequence[Answered], period: str
) -> tuple[np.ndarray, WeightingSummary]:
    """Weights for one set of a survey's responses (reads the population; for one-off use —
    results weigh many periods with one `weighting_plan`)."""
    questions = list(survey.questions.order_by("position", "pk"))
    names = dict(Area.objects.filter(agency_id=survey.agency_id).values_list("pk", "name"))
    plan = weighting_plan(
        survey=survey,
        questions=questions,
        margins=margins_of(population_for(survey)),
        area_names=names,
    )
    return weigh(plan, responses, period=period)
