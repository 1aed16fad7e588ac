"""A survey's published results: weighted trust and safety per quarter, overall
and per area, with margins of error, and the method in plain words.

Only surveys for the PUBLIC audience whose coordinator chose to publish them
have this page; every other survey answers 404, as an unknown number does.
The figures come from `selectors_results.survey_results(public=True)`, which
withholds counts under the respondents' minimum (`disclosure.minimum()`) and estimates whose
effective sample size is under ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N; this page
says why a figure is missing in words, and never shows a number instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.surveys import disclosure, selectors_results
from roundtable.surveys.forms_public import survey_language
from roundtable.surveys.models import Audience, Characteristic, Survey
from roundtable.surveys.texts import text_in


def _published(agency: Agency, survey_pk: int) -> Survey:
    survey = (
        Survey.objects.filter(
            agency=agency, pk=survey_pk, audience=Audience.PUBLIC, publish_results=True
        )
        .exclude(status=Survey.Status.DRAFT)
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def _variable_label(variable: str) -> str:
    labels = dict(Characteristic.choices)
    return " × ".join(str(labels.get(part, part)) for part in variable.split("+"))


def _periods(results: Any) -> list[dict[str, Any]]:
    """Each period (newest first) as rows the template can draw: the overall
    estimate of every score, and one row of estimates per area."""
    keys = [key for key, _label in results.score_keys]
    periods = []
    for period in sorted(results.periods, key=lambda p: p.start, reverse=True):
        weighting = period.weighting
        periods.append(
            {
                "period": period,
                "overall": [(label, period.overall.get(key)) for key, label in results.score_keys],
                "areas": [
                    (area, [scores.get(key) for key in keys]) for area, scores in period.by_area
                ],
                "weighting": weighting,
                "variables": [_variable_label(v) for v in weighting.variables]
                if weighting is not None
                else [],
            }
        )
    return periods


@require_GET
@public_agency_view
def results(request: HttpRequest, agency: Agency, survey_pk: int) -> HttpResponse:
    """Anyone: a published public survey's weighted results, per quarter."""
    survey = _published(agency, survey_pk)
    found = selectors_results.survey_results(survey=survey, grouping="quarter", public=True)
    language = survey_language(survey, translation.get_language() or settings.LANGUAGE_CODE)
    context = {
        "agency": agency,
        "survey": survey,
        "language": language,
        "title": text_in(survey.title, language),
        "score_labels": [label for _key, label in found.score_keys],
        "periods": _periods(found),
        "min_count": disclosure.minimum(),
        "min_effective_n": settings.ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N,
        "weight_cap": survey.weight_cap,
    }
    return render(request, "surveys/public/results.html", context)
