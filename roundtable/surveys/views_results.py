"""A survey's results for staff: weighted scores per month or quarter with
their margins of error, per area, the weighting's diagnostics, the trend, the
agency's historical perception series beside them, and whom the answers
represent.

Staff who read surveys (SURVEY_VIEWERS). The figures come from
`selectors_results.survey_results` with its suppression (fewer than the
minimum count: no figure and no count; too small an effective sample: no
figure), so staff pages show no more than the rules allow. Internal surveys
show overall figures only. The months/quarters switch and the period picker
swap the results in place with htmx and work as a plain GET form without it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roundtable.accounts.access import SURVEY_VIEWERS, agency_view
from roundtable.agencies.models import Agency
from roundtable.surveys import disclosure, selectors_representation
from roundtable.surveys.charts import score_chart
from roundtable.surveys.forms import ResultsForm
from roundtable.surveys.models import Audience
from roundtable.surveys.selectors_results import (
    MEAN,
    Estimate,
    HistoryRow,
    PeriodResults,
    SurveyResults,
    survey_results,
)
from roundtable.surveys.texts import text_in
from roundtable.surveys.views import TEMPLATES, is_htmx, survey_nav, survey_of

# The historical series' two figures, named as the survey's scores are.
HISTORY_KEYS = ("safety", "trust")


@dataclass(frozen=True)
class SeriesBeside:
    """One period: the survey's own safety and trust next to the imported
    series' agency-wide figures for the same months (mean of its months)."""

    period: PeriodResults
    own: list[Estimate | None]
    series: list[float | None]


def history_beside(found: SurveyResults) -> list[SeriesBeside]:
    agency_wide: list[HistoryRow] = [row for row in found.history if row.area is None]
    rows = []
    for period in found.periods:
        months = [row for row in agency_wide if period.start <= row.month <= period.end]
        series: list[float | None] = []
        for key in HISTORY_KEYS:
            values = [getattr(row, key) for row in months if getattr(row, key) is not None]
            series.append(sum(values) / len(values) if values else None)
        if any(v is not None for v in series):
            own = [period.overall.get(key) for key in HISTORY_KEYS]
            rows.append(SeriesBeside(period=period, own=own, series=series))
    return rows


@dataclass(frozen=True)
class QuestionFigures:
    key: str
    text: str
    rows: list[tuple[str, Estimate]]  # (option label, or "" for a scale's mean; figure)


def question_figures(
    found: SurveyResults, period: PeriodResults, language: str
) -> list[QuestionFigures]:
    """Each scored or choice question's figures in `period`, labelled in `language`."""
    index = found.periods.index(period)
    figures = []
    for result in found.question_results:
        estimates = result.by_period[index]
        rows = [
            ("" if value == MEAN else text_in(label, language) or value, estimates[value])
            for value, label in result.rows
            if value in estimates
        ]
        figures.append(QuestionFigures(result.key, text_in(result.text, language), rows))
    return figures


def chosen_period(found: SurveyResults, form: ResultsForm) -> PeriodResults | None:
    """The period whose areas are shown: the one asked for, else the latest."""
    if not found.periods:
        return None
    wanted = form.cleaned_data.get("period") if form.is_valid() else None
    for period in found.periods:
        if wanted is not None and period.start <= wanted <= period.end:
            return period
    return found.periods[-1]


@require_GET
@agency_view(SURVEY_VIEWERS)
def results(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff: the survey's weighted results, per period and per area, with the
    weighting's diagnostics, the trend, the historical series and the
    representativeness of the answers."""
    survey = survey_of(agency, pk)
    form = ResultsForm(request.GET or None)
    grouping = form.grouping_value()
    found = survey_results(survey=survey, grouping=grouping)
    period = chosen_period(found, form)
    internal = survey.audience == Audience.INTERNAL
    representation = None
    if period is not None and not internal:
        representation = selectors_representation.representativeness(
            survey=survey, start=period.start, end=period.end
        )
    chart = score_chart(
        [p.label for p in found.periods],
        [
            (
                key,
                label,
                [p.overall[key].value if key in p.overall else None for p in found.periods],
            )
            for key, label in found.score_keys
        ],
    )
    context = {
        "agency": agency,
        "survey": survey,
        "form": form,
        "grouping": grouping,
        "results": found,
        "period": period,
        "questions": question_figures(found, period, request.LANGUAGE_CODE) if period else [],
        "internal": internal,
        "chart": chart,
        "beside": [] if internal else history_beside(found),
        "history": [] if internal else found.history,
        "representation": representation,
        "min_count": disclosure.minimum(),
        "min_effective_n": settings.ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N,
        **survey_nav(request, survey),
    }
    template = "surveys/partials/results.html" if is_htmx(request) else TEMPLATES + "results.html"
    return render(request, template, context)
