"""Survey scores as measures: the figures the survey results pages would show.

A score per month or quarter comes from `surveys.selectors_results`, so every
rule of the survey layer holds here too: figures with fewer respondents than
ROUNDTABLE_SURVEY_MIN_COUNT (or too small an effective sample) are not
there at all, values are whole points, effective sample sizes rounded to 5.
Several surveys with a figure in the same period are combined, weighted by
their effective sample sizes; the denominator is their sum.

Which surveys count (SCORES): trust and safety come from surveys of residents
and the public, satisfaction from surveys of people who had contact with the
agency, wellness from internal surveys of staff. A public or contact survey
counts only when its results are published: choosing not to publish a survey
also keeps it off the dashboard through its measures.

For the whole jurisdiction, surveys of the whole jurisdiction; for an area,
their figures for that area plus the overall figures of surveys of that area
alone. Internal surveys have no area figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import cast

from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.surveys.models import Audience, Survey
from roundtable.surveys.selectors_results import Estimate, SurveyResults, survey_results

Figure = tuple[float, int | None, int | None]
Span = tuple[dt.date, dt.date]

SCORES: dict[str, tuple[tuple[str, ...], object]] = {
    "trust": ((Audience.PUBLIC,), _("Weighted trust score of survey respondents")),
    "safety": ((Audience.PUBLIC,), _("Weighted safety score of survey respondents")),
    "satisfaction": (
        (Audience.CONTACT,),
        _("Weighted satisfaction score of people who had contact"),
    ),
    "wellness": ((Audience.INTERNAL,), _("Weighted wellness score of internal surveys")),
}

# --- A cache for one refresh: one survey's results serve every score and area,
# one read of the agency's areas every computation by area ---

_cache: dict[object, object] | None = None


@contextmanager
def run_cache() -> Iterator[None]:
    """Within this block, computations share the survey results they read."""
    global _cache
    outer = _cache
    _cache = {} if outer is None else outer
    try:
        yield
    finally:
        _cache = outer


def cached(key: object, make: Callable[[], object]) -> object:
    """`make()`, made once per key within a `run_cache` block (every time outside one)."""
    if _cache is None:
        return make()
    if key not in _cache:
        _cache[key] = make()
    return _cache[key]


def _surveys(agency: Agency, audiences: Sequence[str]) -> list[Survey]:
    def load() -> list[Survey]:
        surveys = Survey.objects.filter(agency=agency, audience__in=audiences).order_by("pk")
        return [s for s in surveys if s.audience == Audience.INTERNAL or s.publish_results]

    return cast(list[Survey], cached(("surveys", agency.pk, tuple(audiences)), load))


def _results(survey: Survey, grouping: str) -> SurveyResults:
    return cast(
        SurveyResults,
        cached(
            ("results", survey.pk, grouping),
            lambda: survey_results(survey=survey, grouping=grouping),
        ),
    )


def _grouping(periods: Sequence[Span]) -> str:
    """Months for monthly periods; quarters otherwise (a year combines its quarters)."""
    first, end = periods[0]
    return (
        "month"
        if (end.year * 12 + end.month) - (first.year * 12 + first.month) == 1
        else ("quarter")
    )


def _estimates(
    survey: Survey, results: SurveyResults, score: str, area: Area | None
) -> Iterator[tuple[dt.date, Estimate]]:
    """(period start, estimate) of the survey's figures for the jurisdiction or `area`."""
    for period in results.periods:
        if area is None:
            if survey.area_id is None:
                yield period.start, period.overall[score]
        elif survey.area_id == area.pk:
            yield period.start, period.overall[score]
        elif survey.area_id is None:
            for shown_area, figures in period.by_area:
                if shown_area.pk == area.pk:
                    yield period.start, figures[score]


def survey_score(
    score: str, agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    if not periods:
        return {}
    audiences, _label = SCORES[score]
    grouping = _grouping(periods)
    sums: dict[dt.date, list[float]] = {}
    for survey in _surveys(agency, audiences):
        results = _results(survey, grouping)
        if not any(key == score for key, _l in results.score_keys):
            continue
        for start, estimate in _estimates(survey, results, score, area):
            if not estimate.shown or estimate.value is None or not estimate.effective_n:
                continue
            span = next((first for first, end in periods if first <= start < end), None)
            if span is None:
                continue
            total = sums.setdefault(span, [0.0, 0.0])
            total[0] += estimate.value * estimate.effective_n
            total[1] += estimate.effective_n
    return {
        start: (round(weighted / weight, 1), None, round(weight))
        for start, (weighted, weight) in sums.items()
        if weight > 0
    }
