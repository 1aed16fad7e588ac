"""Open data of surveys: the weighted scores of every survey whose results are published.

Only surveys for the public whose coordinator chose to publish their results,
and never a draft (internal surveys, such as officer wellness, are never
public: `survey_results(public=True)` refuses them too). The figures are
`surveys.selectors_results.survey_results(public=True)`, the public results
page's own: counts under the minimum withheld, counts and effective sample
sizes rounded to 5, values and margins of error to whole points, and an area
withheld with the others needed to keep the total from giving it back.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.opendata.dataset import (
    ALL_AREAS,
    BOOLEAN,
    DATE,
    INTEGER,
    NUMBER,
    STRING,
    Dataset,
    Field,
    Row,
    iso,
    month_id,
)
from roundtable.surveys.models import Audience, Response, Survey
from roundtable.surveys.selectors_results import Estimate, SurveyResults, survey_results
from roundtable.surveys.texts import text_in

GROUPING = "quarter"


def published_surveys(agency: Agency) -> QuerySet[Survey]:
    """Surveys whose results anyone may read, newest first (as the public results page)."""
    return (
        Survey.objects.filter(agency=agency, audience=Audience.PUBLIC, publish_results=True)
        .exclude(status=Survey.Status.DRAFT)
        .order_by("-created_at", "-pk")
    )


def public_results(agency: Agency, limit: int | None = None) -> list[SurveyResults]:
    """The published results of the agency's surveys (the newest `limit` of them)."""
    surveys = published_surveys(agency)
    return [
        survey_results(survey=survey, grouping=GROUPING, public=True)
        for survey in (surveys if limit is None else surveys[:limit])
    ]


def _row(
    results: SurveyResults,
    title: str,
    url: str,
    period_index: int,
    key: str,
    label: str,
    area: Area | None,
    estimate: Estimate | None,
) -> Row:
    survey = results.survey
    period = results.periods[period_index]
    area_id = area.slug if area is not None else ALL_AREAS
    return {
        "id": f"survey-{survey.pk}/{month_id(period.start)}/{key}/{area_id}",
        "survey": f"survey-{survey.pk}",
        "survey_title": title,
        "period_start": iso(period.start),
        "period_end": iso(period.end),
        "period_label": period.label,
        "score": key,
        "score_label": label,
        "area": "" if area is None else area.slug,
        "area_name": "" if area is None else area.name,
        "value": None if estimate is None or not estimate.shown else estimate.value,
        "margin_of_error": None if estimate is None or not estimate.shown else estimate.moe,
        "respondents": None if estimate is None else estimate.respondents,
        "effective_n": None if estimate is None else estimate.effective_n,
        "shown": bool(estimate is not None and estimate.shown),
        "reason": "" if estimate is None else estimate.reason,
        "url": url,
    }


def survey_rows(agency: Agency) -> list[Row]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    rows = []
    for results in public_results(agency):
        title = text_in(results.survey.title, language)
        url = reverse("surveys_public:results", args=[agency.slug, results.survey.pk])
        for index, period in enumerate(results.periods):
            for key, label in results.score_keys:
                rows.append(
                    _row(results, title, url, index, key, label, None, period.overall.get(key))
                )
            for area, figures in period.by_area:
                for key, label in results.score_keys:
                    rows.append(
                        _row(results, title, url, index, key, label, area, figures.get(key))
                    )
    return rows


def updated(agency: Agency) -> dt.date | None:
    found = Response.objects.filter(survey__in=published_surveys(agency)).aggregate(
        latest=Max("submitted_at")
    )["latest"]
    return None if found is None else timezone.localdate(found)


SURVEY_RESULTS = Dataset(
    key="survey-results",
    title=_("Survey results"),
    description=_(
        "Weighted scores (0–100) of the agency's published surveys of safety and trust, per "
        "quarter, for everyone who answered and per area, each with its margin of error at "
        "95 % and its effective sample size. Figures resting on too few answers are withheld."
    ),
    fields=(
        Field(
            "id",
            STRING,
            _("Stable identifier: survey-<number>/<year-month>/<score>/<area short name, or all>."),
        ),
        Field("survey", STRING, _("The survey: survey-<number>, as in its results page.")),
        Field("survey_title", STRING, _("Title of the survey.")),
        Field("period_start", DATE, _("First day of the quarter.")),
        Field("period_end", DATE, _("Last day of the quarter.")),
        Field("period_label", STRING, _("The quarter in words.")),
        Field("score", STRING, _("Key of the score: safety, trust …")),
        Field("score_label", STRING, _("The score in words.")),
        Field("area", STRING, _("Short name of the area (empty: everyone who answered).")),
        Field("area_name", STRING, _("Name of the area.")),
        Field("value", NUMBER, _("Weighted score from 0 to 100 (empty: withheld)."), unit="0–100"),
        Field(
            "margin_of_error",
            NUMBER,
            _("Margin of error at 95 %, in points: the score ± this."),
            unit="0–100",
        ),
        Field(
            "respondents",
            INTEGER,
            _("People who answered, rounded to 5 (empty: fewer than the minimum, or withheld)."),
            unit=_("people"),
            count="respondents",
        ),
        Field(
            "effective_n",
            NUMBER,
            _("Effective sample size of the weighted answers (Kish), rounded to 5."),
        ),
        Field("shown", BOOLEAN, _("True when the score is published.")),
        Field(
            "reason",
            STRING,
            _(
                "Why a score is withheld: few (too few answers), thin (too small an effective "
                "sample), withheld (it would give another away)."
            ),
        ),
        Field("url", STRING, _("The survey's public results page (path on this site).")),
    ),
    build=survey_rows,
    updated=updated,
)
