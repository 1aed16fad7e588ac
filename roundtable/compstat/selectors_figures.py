"""The pack's figures from other apps: chosen measures against target and trend,
and survey scores with their margins of error.

Measures come from `measures.selectors.pack_series`, which already stops at the
pack's month and takes every active measure (internal ones too: the pack is for
staff); the template draws them with the measures app's own chart and figure
filters (`measures.templatetags.measure_tags`). Survey scores come from
`surveys.selectors_results.survey_results` with its suppression untouched: a
score the survey layer withholds (too few answers, too small an effective
sample, or hidden to protect a smaller area) is withheld here too, with its
reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import get_language

from roundtable.agencies.models import Agency, Area
from roundtable.measures import catalogue
from roundtable.measures.selectors import MeasureSeries, pack_series
from roundtable.surveys.models import Audience, Response, Survey
from roundtable.surveys.selectors_results import Estimate, Weighting, survey_results
from roundtable.surveys.texts import text_in

# The survey scores a meeting pack shows, in this order (those a survey has).
PACK_SCORES = ("trust", "safety", "satisfaction")


@dataclass(frozen=True)
class GoalGroup:
    key: str
    name: str
    measures: list[MeasureSeries]


@dataclass(frozen=True)
class DimensionGroup:
    key: str
    name: str
    goals: list[GoalGroup]


def _catalogue_order() -> tuple[dict[str, int], dict[str, int]]:
    dimensions = {key: i for i, key in enumerate(catalogue.DIMENSIONS)}
    goals = {key: i for i, key in enumerate(catalogue.GOALS)}
    return dimensions, goals


def measure_groups(series: list[MeasureSeries]) -> list[DimensionGroup]:
    """Series grouped by dimension, then goal, in the catalogue's order."""
    dimension_order, goal_order = _catalogue_order()
    by_dimension: dict[str, dict[str, list[MeasureSeries]]] = {}
    names: dict[str, str] = {}
    for one in series:
        by_dimension.setdefault(one.dimension, {}).setdefault(one.goal, []).append(one)
        names[f"d:{one.dimension}"] = one.dimension_name
        names[f"g:{one.goal}"] = one.goal_name
    groups = []
    for dimension in sorted(by_dimension, key=lambda k: (dimension_order.get(k, 99), k)):
        goals = by_dimension[dimension]
        groups.append(
            DimensionGroup(
                key=dimension,
                name=names[f"d:{dimension}"],
                goals=[
                    GoalGroup(key=goal, name=names[f"g:{goal}"], measures=goals[goal])
                    for goal in sorted(goals, key=lambda k: (goal_order.get(k, 99), k))
                ],
            )
        )
    return groups


def pack_measures(*, agency: Agency, month: dt.date, area: Area | None) -> list[DimensionGroup]:
    return measure_groups(pack_series(agency=agency, month=month, area=area))


@dataclass(frozen=True)
class SurveyScore:
    key: str
    label: str
    estimate: Estimate


@dataclass(frozen=True)
class SurveyMonth:
    """One survey's weighted scores for the pack's month (and area)."""

    survey: Survey
    title: str
    period_label: str
    scores: list[SurveyScore]
    weighting: Weighting | None
    # True: the survey's overall figures (the jurisdiction's pack, or a survey of
    # the pack's own area); False: the pack's area's part of a wider survey.
    whole_survey: bool


def surveys_in_month(*, agency: Agency, month: dt.date, area: Area | None) -> list[Survey]:
    """The agency's surveys of residents or contacts (never internal ones) with
    answers counted in `month`, for the area's pack those of the whole
    jurisdiction or of the area itself."""
    answered = Response.objects.filter(survey=OuterRef("pk"), period=month)
    qs = (
        Survey.objects.filter(agency=agency)
        .exclude(audience=Audience.INTERNAL)
        .exclude(status=Survey.Status.DRAFT)
        .filter(Exists(answered))
    )
    if area is not None:
        qs = qs.filter(area__isnull=True) | qs.filter(area=area)
    return list(qs.order_by("pk"))


def survey_month(survey: Survey, *, month: dt.date, area: Area | None) -> SurveyMonth | None:
    """The month's published scores of `survey` (None if it has no such period).

    Months, not quarters: a quarter would carry answers from after the pack's
    month into it. Each month is weighted on its own answers alone, so later
    answers never change an earlier month's figures.
    """
    found = survey_results(survey=survey, grouping="month")
    period = next((p for p in found.periods if p.start == month), None)
    if period is None:
        return None
    whole = area is None or survey.area_id is not None
    figures = (
        period.overall
        if area is None or whole
        else next((f for a, f in period.by_area if a.pk == area.pk), {})
    )
    labels = dict(found.score_keys)
    scores = [
        SurveyScore(key=key, label=labels[key], estimate=figures[key])
        for key in PACK_SCORES
        if key in labels and key in figures
    ]
    if not scores:
        return None
    return SurveyMonth(
        survey=survey,
        title=text_in(survey.title, get_language() or "en"),
        period_label=period.label,
        scores=scores,
        weighting=period.weighting if whole else None,
        whole_survey=whole,
    )


def pack_surveys(*, agency: Agency, month: dt.date, area: Area | None) -> list[SurveyMonth]:
    found = (
        survey_month(survey, month=month, area=area)
        for survey in surveys_in_month(agency=agency, month=month, area=area)
    )
    return [one for one in found if one is not None]
