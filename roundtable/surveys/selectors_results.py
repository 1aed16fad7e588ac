"""A survey's weighted results: scores and answers per month or quarter, overall and per area.

Each period's responses are weighted together across the jurisdiction
(`weighting.py`); the per-area figures use those same weights on the area's
respondents. Every figure is an `Estimate`: a weighted mean (scores and
scale items on 0–100) or a weighted share (×100, choice items) with its
margin of error from the effective sample size of the weights in that cell
(`analytics.survey_estimates`).

Suppression, everywhere (staff pages and the API too), by the rules of
`disclosure.py`:
- fewer than the respondents' minimum (`disclosure.minimum()`) in the cell: no value
  and no count ("few");
- an effective sample size under ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N: no value,
  the count still shown unless its table also hides a smaller cell ("thin");
- the areas of a period, for each score, are one table whose total is the
  period's overall figure: when it hides an area (few or thin), the smallest
  other areas are withheld too until "overall − the areas shown" cannot give
  the hidden one back ("withheld": no value, no count);
- a choice question's options likewise (an option's count, or what is left of
  the question without it, under the minimum: "few"; the ones hidden to cover
  it: "withheld"); a multiple-choice option is a table of two, chosen or not;
- every published count (the survey's, a period's, a figure's respondents) is
  rounded to the nearest 5, effective sample sizes too, and values and margins
  of error to whole points — the pages show no more, and the decimals of an
  unweighted mean would give back the count behind it. A month and its
  quarter, or the survey and its periods, are kept apart by that rounding
  alone (see disclosure.py).

So nothing exact leaves this module that the rules round or hide:
`Estimate.respondents` and `effective_n`, and a period's `Weighting`, are the
published figures.

Internal surveys (officer wellness) are never public and never per area:
`public=True` raises PermissionDenied for them (and for a survey whose
results are not published), and `by_area` is always empty.

Beside the survey's own scores, `history` carries the agency's imported
perception series (`incidents.SentimentScore`, e.g. the Chicago Police
Sentiment Scores) over the same months, per area and agency-wide.

Queries: a fixed number (questions and options, responses, population,
margins, areas, the series), whatever the number of responses, periods and
areas; the work per period is NumPy on arrays built once.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from roundtable.agencies.models import Area
from roundtable.analytics import survey_estimates
from roundtable.incidents.models import SentimentScore
from roundtable.incidents.selectors import AGENCY_WIDE_UNIT
from roundtable.surveys.disclosure import (
    FEW,
    THIN,
    minimum,
    shown_count,
    shown_effective_n,
    suppress_table,
)
from roundtable.surveys.models import Audience, Question, ReferencePopulation, Survey
from roundtable.surveys.scores import item_arrays, score_arrays, score_keys
from roundtable.surveys.texts import Texts
from roundtable.surveys.weighting import (
    WeightingSummary,
    margins_of,
    plan_codes,
    population_for,
    weigh,
    weighting_plan,
)

GROUPINGS = ("month", "quarter")
MEAN = "mean"  # the row key of a scale item's mean


@dataclass
class Estimate:
    value: float | None
    moe: float | None
    respondents: int | None  # published: rounded to 5; None when fewer than 10 or withheld
    effective_n: float | None  # published like the count
    shown: bool
    reason: str  # "" | "few" | "thin" | "withheld"


@dataclass(frozen=True)
class Weighting:
    """A period's weighting diagnostics as they may be shown: `weighting.WeightingSummary`
    with its counts published (with weights of 1 the effective n is the count, and the
    count is the effective n × the design effect, hence two decimals)."""

    respondents: int | None  # rounded to 5; None: fewer than 10
    effective_n: int | None  # rounded like the count
    variables: list[str]
    iterations: int
    converged: bool
    design_effect: float
    max_margin_error: float
    notes: list[str]

    @classmethod
    def of(cls, summary: WeightingSummary) -> Weighting:
        respondents = shown_count(summary.respondents)
        return cls(
            respondents=respondents,
            effective_n=shown_effective_n(summary.effective_n) if respondents else None,
            variables=list(summary.variables),
            iterations=summary.iterations,
            converged=summary.converged,
            design_effect=round(summary.design_effect, 2),
            max_margin_error=summary.max_margin_error,
            notes=list(summary.notes),
        )


@dataclass
class PeriodResults:
    start: dt.date
    end: dt.date
    label: str
    weighting: Weighting | None
    overall: dict[str, Estimate]
    by_area: list[tuple[Area, dict[str, Estimate]]]


@dataclass
class QuestionResult:
    """A SCALE/AGREE item's mean (row "mean", 0–100) or a choice item's shares per option."""

    key: str
    kind: str
    text: Texts
    rows: list[tuple[str, Texts]]  # (option value or "mean", label)
    by_period: list[dict[str, Estimate]]  # aligned with SurveyResults.periods


@dataclass
class HistoryRow:
    area: Area | None  # None: the series' agency-wide ("city") figure
    month: dt.date
    safety: float | None
    trust: float | None
    source: str


@dataclass
class SurveyResults:
    survey: Survey
    grouping: str
    score_keys: list[tuple[str, str]]
    periods: list[PeriodResults]
    question_results: list[QuestionResult]
    history: list[HistoryRow]
    population: ReferencePopulation | None
    respondents: int | None  # published: rounded to 5; None when fewer than 10
    notes: list[str] = field(default_factory=list)


class _Row(NamedTuple):
    period: dt.date
    area_id: int | None
    answers: Any


def estimate_of(values: np.ndarray, weights: np.ndarray) -> Estimate:
    """A weighted mean (values NaN = not answered), judged but not yet published: its
    count and effective n exact, for the tables' suppression (`published` next)."""
    answered = ~np.isnan(values)
    n = int(answered.sum())
    if n < minimum():
        return Estimate(None, None, n, None, False, FEW)
    found = survey_estimates.weighted_mean(values[answered], weights[answered])
    return _judged(found.value, found.moe, n, found.effective_n)


def _judged(value: float, moe: float, n: int, effective_n: float) -> Estimate:
    if n < minimum():
        return Estimate(None, None, n, None, False, FEW)
    # The tolerance: 30 equal weights of 1.8 give an effective n of 29.999999999999996.
    if effective_n < settings.ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N - 1e-9:
        return Estimate(None, None, n, effective_n, False, THIN)
    return Estimate(value, moe, n, effective_n, True, "")


def shares_of(codes: np.ndarray, k: int, weights: np.ndarray) -> list[Estimate]:
    """Weighted shares (×100) of k categories among those who answered (code −1: did not),
    judged, not yet published."""
    answered = codes >= 0
    n = int(answered.sum())
    if n < minimum():
        return [Estimate(None, None, n, None, False, FEW) for _ in range(k)]
    found = survey_estimates.weighted_shares(codes[answered], k, weights[answered])
    return [_judged(share.value, share.moe, n, share.effective_n) for share in found]


def published(estimate: Estimate, *, reason: str = "", hide_count: bool = False) -> Estimate:
    """A judged estimate as it may be shown: `reason`, a table's suppression, overrides its
    own; the count rounded (or hidden), the value and margin in whole points."""
    reason = reason or estimate.reason
    count = None if hide_count else shown_count(estimate.respondents)
    effective_n = shown_effective_n(estimate.effective_n) if count is not None else None
    if reason or estimate.value is None or estimate.moe is None:
        return Estimate(None, None, count, effective_n, False, reason or FEW)
    value, moe = float(round(estimate.value)), float(round(estimate.moe))
    return Estimate(value, moe, count, effective_n, True, "")


def period_of(month: dt.date, grouping: str) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the month or quarter `month` falls in."""
    if grouping == "quarter":
        first = dt.date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)
        last_month = first.month + 2
    else:
        first = month.replace(day=1)
        last_month = first.month
    last_day = calendar.monthrange(first.year, last_month)[1]
    return first, dt.date(first.year, last_month, last_day)


def period_label(start: dt.date, end: dt.date) -> str:
    if start.month == end.month:
        return date_format(start, "YEAR_MONTH_FORMAT")
    return _("%(first)s–%(last)s %(year)s") % {
        "first": date_format(start, "F"),
        "last": date_format(end, "F"),
        "year": start.year,
    }


def _questions(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("options").order_by("position", "pk"))


def _choice_codes(answer_sets: Sequence[Any], key: str, values: list[str]) -> np.ndarray:
    index = {value: position for position, value in enumerate(values)}
    codes = np.full(len(answer_sets), -1, dtype=np.int64)
    for position, answers in enumerate(answer_sets):
        answer = answers.get(key)
        if isinstance(answer, str):
            codes[position] = index.get(answer, -1)
    return codes


def _chosen(answer_sets: Sequence[Any], key: str, value: str) -> np.ndarray:
    """100 if a MULTIPLE item's answer includes `value`, 0 if not, NaN if unanswered."""
    out = np.full(len(answer_sets), np.nan)
    for position, answers in enumerate(answer_sets):
        answer = answers.get(key)
        if isinstance(answer, list):
            out[position] = 100.0 if value in answer else 0.0
    return out


@dataclass(frozen=True)
class _QuestionArrays:
    """A question's answers for every respondent, read once for all periods."""

    values: list[str]  # option values (choice questions)
    means: np.ndarray | None = None  # SCALE/AGREE on 0–100
    codes: np.ndarray | None = None  # SINGLE: option index, −1 unanswered
    chosen: tuple[np.ndarray, ...] = ()  # MULTIPLE: one 0/100/NaN array per option


def _question_arrays(
    question: Question, answer_sets: Sequence[Any], items: Mapping[str, np.ndarray]
) -> _QuestionArrays:
    if question.kind in (Question.Kind.SCALE, Question.Kind.AGREE):
        return _QuestionArrays([MEAN], means=items[question.key])
    values = [option.value for option in question.options.all()]
    if question.kind == Question.Kind.SINGLE:
        return _QuestionArrays(values, codes=_choice_codes(answer_sets, question.key, values))
    return _QuestionArrays(
        values, chosen=tuple(_chosen(answer_sets, question.key, v) for v in values)
    )


def _question_figures(
    arrays: _QuestionArrays, index: np.ndarray, weights: np.ndarray
) -> dict[str, Estimate]:
    """A question's published figures in one period: an option whose count, or the rest of
    the question's, is under the minimum is hidden, with the options covering it."""
    if arrays.means is not None:
        return {MEAN: published(estimate_of(arrays.means[index], weights))}
    if arrays.codes is not None:
        codes = arrays.codes[index]
        shares = shares_of(codes, len(arrays.values), weights)
        counts = np.bincount(codes[codes >= 0], minlength=len(arrays.values))
        table = suppress_table(
            dict(zip(arrays.values, (int(c) for c in counts), strict=True)),
            unreliable={v for v, s in zip(arrays.values, shares, strict=True) if s.reason == THIN},
        )
        return {
            value: published(share, reason=table.reason(value))
            for value, share in zip(arrays.values, shares, strict=True)
        }
    figures = {}
    for value, chosen in zip(arrays.values, arrays.chosen, strict=True):
        picked = chosen[index]
        share = estimate_of(picked, weights)
        yes = int((picked == 100.0).sum())
        pair = suppress_table(
            {"yes": yes, "no": int((picked == 0.0).sum())},
            unreliable={"yes"} if share.reason == THIN else (),
        )
        figures[value] = published(share, reason=pair.reason("yes"))
    return figures


def _question_shells(questions: Sequence[Question]) -> list[QuestionResult]:
    shells = []
    for question in questions:
        if question.kind in (Question.Kind.SCALE, Question.Kind.AGREE):
            rows: list[tuple[str, Texts]] = [(MEAN, {})]
        elif question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            rows = [(option.value, option.label) for option in question.options.all()]
        else:
            continue  # free text and the area pick have no figure of their own
        shells.append(QuestionResult(question.key, question.kind, question.text, rows, []))
    return shells


def _history(
    survey: Survey, start: dt.date, end: dt.date, areas: Mapping[int, Area]
) -> list[HistoryRow]:
    """The agency's imported series, averaged per area (or agency-wide) and month."""
    sums: dict[tuple[int | None, dt.date, str], list[list[float]]] = defaultdict(lambda: [[], []])
    found = SentimentScore.objects.filter(
        agency_id=survey.agency_id, period_start__gte=start, period_start__lte=end
    ).values_list("area_id", "unit", "period_start", "safety", "trust", "source")
    for area_id, unit, period_start, safety, trust, source in found:
        if area_id is None and unit != AGENCY_WIDE_UNIT:
            continue  # a unit no area matched: not the agency's whole jurisdiction either
        if survey.area_id is not None and area_id not in (None, survey.area_id):
            continue
        cell = sums[(area_id, period_start.replace(day=1), source)]
        if safety is not None:
            cell[0].append(safety)
        if trust is not None:
            cell[1].append(trust)
    rows = [
        HistoryRow(
            area=areas.get(area_id) if area_id is not None else None,
            month=month,
            safety=sum(safety) / len(safety) if safety else None,
            trust=sum(trust) / len(trust) if trust else None,
            source=source,
        )
        for (area_id, month, source), (safety, trust) in sums.items()
        if area_id is None or area_id in areas
    ]
    rows.sort(key=lambda r: (r.area is not None, r.area.name if r.area else "", r.month, r.source))
    return rows


def _published_period(
    overall: dict[str, Estimate],
    by_area: list[tuple[Area, dict[str, Estimate]]],
    keys: Sequence[str],
) -> tuple[dict[str, Estimate], list[tuple[Area, dict[str, Estimate]]]]:
    """A period's figures as they may be shown. For each score, the areas are one table
    whose total is the overall figure: hiding one area (few or thin) hides the smallest
    others needed to keep "overall − the areas shown" from giving it back."""
    shown_by_area: list[tuple[Area, dict[str, Estimate]]] = [(area, {}) for area, _f in by_area]
    for key in keys:
        cells = {area.pk: figures[key] for area, figures in by_area}
        table = suppress_table(
            {pk: e.respondents or 0 for pk, e in cells.items()},
            unreliable={pk for pk, e in cells.items() if e.reason == THIN},
        )
        for (area, figures), (_area, out) in zip(by_area, shown_by_area, strict=True):
            out[key] = published(
                figures[key],
                reason=table.reason(area.pk),
                hide_count=table.count(area.pk) is None,
            )
    return {key: published(e) for key, e in overall.items()}, shown_by_area


def survey_results(
    *, survey: Survey, grouping: str = "quarter", public: bool = False
) -> SurveyResults:
    """Weighted results per period (see the module); PermissionDenied for a public view of
    an internal or unpublished survey."""
    internal = survey.audience == Audience.INTERNAL
    if public and (internal or not survey.publish_results):
        raise PermissionDenied("This survey's results are not public.")
    if grouping not in GROUPINGS:
        raise ValueError(f"grouping must be one of {', '.join(GROUPINGS)}, not {grouping!r}")
    questions = _questions(survey)
    keys = score_keys(questions)
    rows = [
        _Row(*values)
        for values in survey.responses.order_by("period", "pk").values_list(
            "period", "area_id", "answers"
        )
    ]
    areas = {area.pk: area for area in Area.objects.filter(agency_id=survey.agency_id)}
    population = population_for(survey)
    plan = weighting_plan(
        survey=survey,
        questions=questions,
        margins=margins_of(population),
        area_names={pk: area.name for pk, area in areas.items()},
    )
    answer_sets = [row.answers or {} for row in rows]
    items = item_arrays(answer_sets, questions)
    scores = score_arrays(answer_sets, questions, items)
    shells = _question_shells(questions)
    by_question = {question.key: question for question in questions}
    arrays = {
        shell.key: _question_arrays(by_question[shell.key], answer_sets, items) for shell in shells
    }
    shown_areas = (
        []
        if internal or survey.area_id is not None
        else sorted(
            (areas[pk] for pk in {row.area_id for row in rows} if pk in areas),
            key=lambda area: (area.name, area.pk),
        )
    )
    codes = plan_codes(plan, rows)
    area_of_row = np.array([row.area_id or 0 for row in rows], dtype=np.int64)

    grouped: dict[tuple[dt.date, dt.date], list[int]] = defaultdict(list)
    spans: dict[dt.date, tuple[dt.date, dt.date]] = {}
    for position, row in enumerate(rows):
        if row.period not in spans:
            spans[row.period] = period_of(row.period, grouping)
        grouped[spans[row.period]].append(position)
    periods = []
    for (start, end), positions in sorted(grouped.items()):
        label = period_label(start, end)
        index = np.asarray(positions, dtype=np.int64)
        period_rows = [rows[p] for p in positions]
        weights, summary = weigh(plan, period_rows, period=label, codes=[c[index] for c in codes])
        overall = {key: estimate_of(scores[key][index], weights) for key, _label in keys}
        by_area = []
        for area in shown_areas:
            inside = area_of_row[index] == area.pk
            by_area.append(
                (
                    area,
                    {
                        key: estimate_of(scores[key][index][inside], weights[inside])
                        for key, _label in keys
                    },
                )
            )
        for shell in shells:
            shell.by_period.append(_question_figures(arrays[shell.key], index, weights))
        overall, by_area = _published_period(overall, by_area, [key for key, _label in keys])
        periods.append(PeriodResults(start, end, label, Weighting.of(summary), overall, by_area))

    history = (
        []
        if internal or not periods
        else _history(survey, periods[0].start, periods[-1].end, areas)
    )
    total = len(rows)
    return SurveyResults(
        survey=survey,
        grouping=grouping,
        score_keys=keys,
        periods=periods,
        question_results=shells,
        history=history,
        population=population,
        respondents=shown_count(total),
        notes=list(plan.notes),
    )
