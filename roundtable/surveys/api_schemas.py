"""Response bodies of the surveys API (api.py).

Texts a respondent reads are given per language, as stored (`{"en": …,
"es": …}`). Counts and figures are those of the pages, with the results'
suppression (`disclosure.py`): a count under ROUNDTABLE_SURVEY_MIN_COUNT is
null, every other count and effective sample size is rounded to the nearest
5, values and margins of error are in whole points, and an estimate whose
effective sample size is under ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N, or that is
withheld to protect a smaller area or option, is null (`shown` false and
`reason` say which). Nothing here is exact that the pages round.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from roundtable.surveys.disclosure import shown_count
from roundtable.surveys.models import Audience, Question, Survey
from roundtable.surveys.selectors_results import (
    Estimate,
    PeriodResults,
    SurveyResults,
    Weighting,
)

Texts = dict[str, str]


class SurveyOut(Schema):
    id: int
    title: Texts
    status: Survey.Status
    audience: Audience
    languages: list[str]
    instrument: str = Field(description="The built-in instrument it started from, if any")
    area: str | None = Field(description="Short name of the area it is about; null: all")
    responses: int | None = Field(
        description="Rounded to the nearest 5; null: fewer than the minimum count (10)"
    )
    publish_results: bool
    created_at: dt.datetime
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def fields_of(survey: Survey, responses: int | None) -> dict[str, Any]:
        return {
            "id": survey.pk,
            "title": survey.title,
            "status": Survey.Status(survey.status),
            "audience": Audience(survey.audience),
            "languages": list(survey.languages),
            "instrument": survey.instrument,
            "area": survey.area.slug if survey.area else None,
            "responses": shown_count(responses),
            "publish_results": survey.publish_results,
            "created_at": survey.created_at,
            "opened_at": survey.opened_at,
            "closed_at": survey.closed_at,
        }

    @staticmethod
    def from_model(survey: Survey) -> SurveyOut:
        """From a row of `selectors.surveys_for` (which adds `response_count`)."""
        counts: Any = survey
        return SurveyOut(**SurveyOut.fields_of(survey, counts.response_count))


class OptionOut(Schema):
    value: str = Field(description="Stored in the answers")
    label: Texts


class QuestionOut(Schema):
    key: str = Field(description="The question's name in answers, exports and conditions")
    number: int = Field(description="Its place in the survey, from 1")
    kind: Question.Kind
    text: Texts
    help: Texts
    low_label: Texts = Field(description="0–10 scales: what 0 means")
    high_label: Texts = Field(description="0–10 scales: what 10 means")
    required: bool
    measure: str = Field(description="What it measures for the scores (safety, trust_respect …)")
    characteristic: str = Field(description="The respondent characteristic it asks, if any")
    show_if: str | None = Field(description="Key of the question whose answer shows this one")
    show_if_values: list[str] = Field(description="The answers of show_if that show it")
    options: list[OptionOut]

    @staticmethod
    def from_model(question: Question, number: int) -> QuestionOut:
        return QuestionOut(
            key=question.key,
            number=number,
            kind=Question.Kind(question.kind),
            text=question.text,
            help=question.help,
            low_label=question.low_label,
            high_label=question.high_label,
            required=question.required,
            measure=question.measure,
            characteristic=question.characteristic,
            show_if=question.show_if.key if question.show_if else None,
            show_if_values=list(question.show_if_values),
            options=[OptionOut(value=o.value, label=o.label) for o in question.options.all()],
        )


class SurveyDetailOut(SurveyOut):
    introduction: Texts
    thanks: Texts
    text_to_inputs: bool
    population: int | None = Field(description="Reference population weighted to; null: newest")
    weighting_variables: list[str]
    weight_cap: float
    questions: list[QuestionOut]


class EstimateOut(Schema):
    value: float | None = Field(description="0–100 in whole points; null when not shown")
    moe: float | None = Field(description="95% margin of error; null when not shown")
    respondents: int | None = Field(
        description="Rounded to the nearest 5; null: fewer than the minimum count, or withheld"
    )
    effective_n: float | None = Field(
        description="Kish effective sample size, rounded like the count; null with it"
    )
    shown: bool
    reason: Literal["", "few", "thin", "withheld"] = Field(
        description="few: fewer answers than the minimum count; thin: effective sample too "
        "small; withheld: hidden so that a smaller area's or option's figure cannot be "
        "worked out from the others"
    )

    @staticmethod
    def from_estimate(estimate: Estimate) -> EstimateOut:
        """From a published estimate (`selectors_results.published`)."""
        return EstimateOut(
            value=estimate.value if estimate.shown else None,
            moe=estimate.moe if estimate.shown else None,
            respondents=estimate.respondents,
            effective_n=estimate.effective_n,
            shown=estimate.shown,
            reason=estimate.reason,  # type: ignore[arg-type]
        )


class WeightingOut(Schema):
    respondents: int | None = Field(
        description="Rounded to the nearest 5; null: fewer than the minimum count"
    )
    variables: list[str]
    iterations: int
    converged: bool
    design_effect: float = Field(description="Kish's, to two decimals")
    effective_n: float | None = Field(description="Rounded like the count; null with it")
    max_margin_error: float = Field(description="Largest |weighted share − target| at the end")
    notes: list[str]

    @staticmethod
    def from_weighting(weighting: Weighting) -> WeightingOut:
        """From a period's published diagnostics (`selectors_results.Weighting`)."""
        return WeightingOut(
            respondents=weighting.respondents,
            variables=list(weighting.variables),
            iterations=weighting.iterations,
            converged=weighting.converged,
            design_effect=weighting.design_effect,
            effective_n=weighting.effective_n,
            max_margin_error=weighting.max_margin_error,
            notes=list(weighting.notes),
        )


class AreaResultOut(Schema):
    area: str = Field(description="The area's short name")
    name: str
    scores: dict[str, EstimateOut]


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    label: str
    weighting: WeightingOut | None
    scores: dict[str, EstimateOut]
    by_area: list[AreaResultOut] = Field(description="Empty for internal surveys")

    @staticmethod
    def from_period(period: PeriodResults) -> PeriodOut:
        def scores(figures: dict[str, Estimate]) -> dict[str, EstimateOut]:
            return {key: EstimateOut.from_estimate(e) for key, e in figures.items()}

        return PeriodOut(
            start=period.start,
            end=period.end,
            label=period.label,
            weighting=WeightingOut.from_weighting(period.weighting) if period.weighting else None,
            scores=scores(period.overall),
            by_area=[
                AreaResultOut(area=area.slug, name=area.name, scores=scores(figures))
                for area, figures in period.by_area
            ],
        )


class ScoreOut(Schema):
    key: str
    label: str


class ResultsOut(Schema):
    survey: int
    grouping: Literal["month", "quarter"]
    respondents: int | None = Field(
        description="Rounded to the nearest 5; null: fewer than the minimum count"
    )
    population: str | None = Field(description="Name of the reference population weighted to")
    scores: list[ScoreOut]
    notes: list[str]
    periods: list[PeriodOut]

    @staticmethod
    def from_results(found: SurveyResults) -> ResultsOut:
        return ResultsOut(
            survey=found.survey.pk,
            grouping=found.grouping,  # type: ignore[arg-type]
            respondents=found.respondents,
            population=found.population.name if found.population else None,
            scores=[ScoreOut(key=key, label=str(label)) for key, label in found.score_keys],
            notes=list(found.notes),
            periods=[PeriodOut.from_period(period) for period in found.periods],
        )


class ErrorOut(Schema):
    detail: str
