"""Surveys in the JSON API, under /api/v1/agencies/{slug}/surveys: the list,
one survey with its questions, and its weighted results.

For agency staff who read surveys (SURVEY_VIEWERS: administrators,
coordinators, analysts and command staff), with a session or a personal
token, checked by `agency_for`. Read only: surveys are built on the web pages.
Results carry the same suppression and rounding as the pages (see
api_schemas.py and disclosure.py); no endpoint returns a response's answers.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router
from ninja.errors import HttpError

from roundtable.accounts.access import SURVEY_VIEWERS
from roundtable.agencies.models import Agency
from roundtable.api.root import agency_for
from roundtable.surveys import selectors, selectors_staff
from roundtable.surveys.api_schemas import (
    ErrorOut,
    QuestionOut,
    ResultsOut,
    SurveyDetailOut,
    SurveyOut,
)
from roundtable.surveys.models import Survey
from roundtable.surveys.selectors_results import survey_results

router = Router(tags=["Surveys"])


def _survey(agency: Agency, pk: int) -> Survey:
    survey = selectors.surveys_for(agency=agency).select_related("area").filter(pk=pk).first()
    if survey is None:
        raise HttpError(404, "No such survey in this agency.")
    return survey


@router.get("{slug}/surveys", response=list[SurveyOut])
def list_surveys(
    request: HttpRequest,
    slug: str,
    status: Survey.Status | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> list[SurveyOut]:
    """The agency's surveys, newest first, with their response counts. Agency staff."""
    agency = agency_for(request, slug, SURVEY_VIEWERS)
    rows = selectors.surveys_for(agency=agency).select_related("area")
    if status is not None:
        rows = rows.filter(status=status)
    return [SurveyOut.from_model(survey) for survey in rows[offset : offset + limit]]


@router.get("{slug}/surveys/{pk}", response={200: SurveyDetailOut, 404: ErrorOut})
def get_survey(request: HttpRequest, slug: str, pk: int) -> SurveyDetailOut:
    """One survey with its questions in order, their texts per language, options
    and conditions. Agency staff."""
    agency = agency_for(request, slug, SURVEY_VIEWERS)
    survey = _survey(agency, pk)
    counts: object = survey
    questions = selectors_staff.questions_for_builder(survey)
    return SurveyDetailOut(
        **SurveyOut.fields_of(survey, getattr(counts, "response_count", None)),
        introduction=survey.introduction,
        thanks=survey.thanks,
        text_to_inputs=survey.text_to_inputs,
        population=survey.population_id,
        weighting_variables=list(survey.weighting_variables),
        weight_cap=survey.weight_cap,
        questions=[QuestionOut.from_model(q, n) for n, q in enumerate(questions, start=1)],
    )


@router.get("{slug}/surveys/{pk}/results", response={200: ResultsOut, 404: ErrorOut})
def get_results(
    request: HttpRequest,
    slug: str,
    pk: int,
    grouping: Literal["month", "quarter"] = "quarter",
) -> ResultsOut:
    """The survey's weighted scores per month or quarter, overall and per area
    (none for internal surveys), with each period's weighting diagnostics.
    Figures under the minimum count or effective sample size, or withheld so that a
    smaller area's cannot be worked out, are null; counts are rounded to the nearest 5
    and figures to whole points, as on the pages. Agency staff."""
    agency = agency_for(request, slug, SURVEY_VIEWERS)
    survey = _survey(agency, pk)
    return ResultsOut.from_results(survey_results(survey=survey, grouping=grouping))
