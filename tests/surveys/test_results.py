"""Weighted survey results per period, overall and per area, with their suppression."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roundtable.incidents.models import SentimentScore
from roundtable.surveys.models import Audience, Measure, Question
from roundtable.surveys.selectors_results import survey_results
from tests.factories import (
    AreaFactory,
    OptionFactory,
    PopulationMarginFactory,
    QuestionFactory,
    ReferencePopulationFactory,
    SurveyFactory,
)
from tests.surveys.census import MARCH, answer

pytestmark = pytest.mark.django_db


def area_figure(period, slug, key):
    return next(figures[key] for area, figures in period.by_area if area.slug == slug)


@pytest.fixture
def north_south(agency):
    """North (600 adults) and South (400), and a trust and safety survey asking the area,
    how people last contacted the police and what worries them."""
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    south = AreaFactory.create(agency=agency, name="South", slug="south")
    population = ReferencePopulationFactory.create(agency=agency)
    for area, adults in ((north, 600), (south, 400)):
        PopulationMarginFactory.create(
            population=population, area=area, characteristic="area", category="adults", count=adults
        )
    survey = SurveyFactory.create(agency=agency, publish_results=True)
    for key, measure in (
        ("safety", Measure.SAFETY),
        ("respect", Measure.TRUST_RESPECT),
        ("listen", Measure.TRUST_LISTEN),
    ):
        QuestionFactory.create(survey=survey, key=key, kind=Question.Kind.SCALE, measure=measure)
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    contact = QuestionFactory.create(survey=survey, key="contact", kind=Question.Kind.SINGLE)
    worries = QuestionFactory.create(survey=survey, key="worries", kind=Question.Kind.MULTIPLE)
    for question, values in ((contact, ("phone", "in_person")), (worries, ("traffic", "noise"))):
        for value in values:
            OptionFactory.create(question=question, value=value)
    return survey, north, south


def test_each_period_is_weighted_across_the_jurisdiction(north_south):
    survey, north, south = north_south
    answer(survey, north, count=30, safety=8, respect=6, listen=8)
    answer(survey, south, count=60, safety=4, respect=4, listen=2)

    found = survey_results(survey=survey, grouping="month")

    (period,) = found.periods
    assert (period.start, period.end, period.label) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        "March 2026",
    )
    assert found.score_keys == [("safety", "Safety"), ("trust", "Trust")]
    # Weights: North 0.6 × 90 / 30 = 1.8, South 0.4 × 90 / 60 = 0.6.
    safety = period.overall["safety"]
    assert safety.value == pytest.approx(0.6 * 80 + 0.4 * 40)
    assert period.overall["trust"].value == pytest.approx(0.6 * 70 + 0.4 * 30)
    effective_n = 90**2 / (30 * 1.8**2 + 60 * 0.6**2)
    # Published: counts and effective sizes rounded to 5, figures to whole points.
    assert effective_n == pytest.approx(68.18, abs=0.01) and safety.effective_n == 70
    assert safety.respondents == 90
    sd = math.sqrt(0.6 * 16**2 + 0.4 * 24**2)
    assert safety.moe == round(1.96 * sd / math.sqrt(effective_n))
    assert (safety.shown, safety.reason) == (True, "")
    assert period.weighting is not None
    assert period.weighting.variables == ["area"]
    by_area = {area.slug: figures for area, figures in period.by_area}
    assert by_area["north"]["safety"].value == pytest.approx(80)
    assert by_area["north"]["safety"].respondents == 30
    assert by_area["south"]["trust"].value == pytest.approx(30)
    assert found.respondents == 90


def test_a_cell_under_ten_respondents_shows_neither_figure_nor_count(north_south, agency):
    survey, north, south = north_south
    east = AreaFactory.create(agency=agency, name="East", slug="east")
    answer(survey, north, count=40, safety=7)
    answer(survey, south, count=40, safety=5)
    answer(survey, east, count=9, safety=2)

    period = survey_results(survey=survey).periods[0]

    east_figure = area_figure(period, "east", "safety")
    assert east_figure.value is None
    assert east_figure.moe is None
    assert east_figure.respondents is None
    assert east_figure.effective_n is None
    assert (east_figure.shown, east_figure.reason) == (False, "few")
    assert period.overall["safety"].shown


def test_a_thin_cell_shows_its_count_but_no_figure(north_south, agency, settings):
    survey, north, south = north_south
    east = AreaFactory.create(agency=agency, name="East", slug="east")
    answer(survey, north, count=40, safety=7)
    answer(survey, south, count=40, safety=5)
    answer(survey, east, count=12, safety=2)

    period = survey_results(survey=survey).periods[0]
    east_figure = area_figure(period, "east", "safety")
    assert (east_figure.value, east_figure.respondents, east_figure.reason) == (None, 10, "thin")
    assert east_figure.effective_n == 10  # 12, rounded
    # East alone hidden would be "overall − North − South": one more is withheld.
    assert {area_figure(period, slug, "safety").reason for slug in ("north", "south")} == {
        "",
        "withheld",
    }

    settings.ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N = 12
    east_figure = area_figure(survey_results(survey=survey).periods[0], "east", "safety")
    assert (east_figure.value, east_figure.shown, east_figure.reason) == (20.0, True, "")


def test_the_weighting_notes_reach_the_period(north_south):
    survey, north, _south = north_south
    answer(survey, north, count=30, safety=6)

    period = survey_results(survey=survey, grouping="month").periods[0]

    assert period.weighting is not None
    assert period.weighting.notes == [
        "Nobody from South answered in March 2026: the weights cannot make up for them.",
        "Area of residence is left out of the weighting in March 2026: only one of its "
        "groups answered.",
    ]
    assert period.overall["safety"].value == pytest.approx(60)


def test_months_or_quarters(north_south):
    survey, north, south = north_south
    for month in (dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 4, 1)):
        answer(survey, north, period=month, count=10, safety=5)
        answer(survey, south, period=month, count=10, safety=5)

    months = survey_results(survey=survey, grouping="month")
    quarters = survey_results(survey=survey, grouping="quarter")

    assert [p.label for p in months.periods] == ["January 2026", "February 2026", "April 2026"]
    assert [(p.start, p.end, p.label) for p in quarters.periods] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "January–March 2026"),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "April–June 2026"),
    ]
    assert quarters.periods[0].overall["safety"].respondents == 40
    assert quarters.periods[1].overall["safety"].respondents == 20


def test_question_results_are_weighted_means_and_shares(agency):
    # No reference population: every weight is 1, so the figures are plain means and shares.
    survey = SurveyFactory.create(agency=agency)
    QuestionFactory.create(
        survey=survey, key="safety", kind=Question.Kind.SCALE, measure=Measure.SAFETY
    )
    contact = QuestionFactory.create(survey=survey, key="contact", kind=Question.Kind.SINGLE)
    worries = QuestionFactory.create(survey=survey, key="worries", kind=Question.Kind.MULTIPLE)
    for question, values in ((contact, ("phone", "in_person")), (worries, ("traffic", "noise"))):
        for value in values:
            OptionFactory.create(question=question, value=value)
    answer(survey, None, count=30, safety=5, contact="phone", worries=["traffic"])
    answer(survey, None, count=10, safety=9, contact="in_person", worries=["traffic", "noise"])
    answer(survey, None, count=5)  # answered nothing

    found = survey_results(survey=survey)

    by_key = {result.key: result for result in found.question_results}
    safety = by_key["safety"].by_period[0]["mean"]
    assert safety.value == pytest.approx((30 * 50 + 10 * 90) / 40)
    assert safety.respondents == 40
    contact_shares = by_key["contact"].by_period[0]
    assert contact_shares["phone"].value == pytest.approx(75)
    assert contact_shares["phone"].moe == round(100 * 1.96 * math.sqrt(0.75 * 0.25 / 40))
    assert contact_shares["in_person"].value == pytest.approx(25)
    worries_shares = by_key["worries"].by_period[0]
    assert worries_shares["traffic"].value == pytest.approx(100)
    assert worries_shares["noise"].value == pytest.approx(25)
    assert [value for value, _label in by_key["contact"].rows] == ["phone", "in_person"]
    assert found.periods[0].weighting is not None
    assert found.periods[0].weighting.notes == [
        "There is no reference population: the figures are not weighted."
    ]


def test_an_internal_survey_is_never_public_and_never_per_area(agency):
    area = AreaFactory.create(agency=agency)
    survey = SurveyFactory.create(agency=agency, audience=Audience.INTERNAL, publish_results=True)
    QuestionFactory.create(
        survey=survey, key="rested", kind=Question.Kind.SCALE, measure=Measure.WELLNESS
    )
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    answer(survey, area, count=40, rested=6)
    SentimentScore.objects.create(
        agency=agency,
        unit="city",
        period_start=MARCH,
        period_end=MARCH,
        safety=60,
        trust=50,
        source="Chicago Police Sentiment Scores",
    )

    with pytest.raises(PermissionDenied):
        survey_results(survey=survey, public=True)
    found = survey_results(survey=survey)

    assert found.periods[0].overall["wellness"].value == pytest.approx(60)
    assert found.periods[0].by_area == []
    assert found.history == []


def test_unpublished_results_are_not_public(north_south):
    survey, north, _south = north_south
    answer(survey, north, count=10, safety=5)

    assert survey_results(survey=survey, public=True).periods
    survey.publish_results = False
    with pytest.raises(PermissionDenied):
        survey_results(survey=survey, public=True)


def test_the_agencys_series_is_shown_beside_over_the_same_months(north_south, agency):
    survey, north, south = north_south
    answer(survey, north, count=10, safety=5)
    answer(survey, south, period=dt.date(2026, 4, 1), count=10, safety=5)
    source = "Chicago Police Sentiment Scores"

    def score(unit, start, safety, trust, area=None):
        SentimentScore.objects.create(
            agency=agency,
            area=area,
            unit=unit,
            period_start=start,
            period_end=start + dt.timedelta(days=6),
            safety=safety,
            trust=trust,
            source=source,
        )

    score("city", dt.date(2026, 3, 2), 60, 50)
    score("city", dt.date(2026, 3, 9), 70, None)  # a week without a trust figure
    score("district north", dt.date(2026, 4, 6), 55, 45, area=north)
    score("district 99", dt.date(2026, 3, 2), 10, 10)  # matched no area: not agency-wide
    score("city", dt.date(2025, 12, 1), 40, 40)  # before the survey

    history = survey_results(survey=survey, grouping="month").history

    assert [(row.area, row.month, row.safety, row.trust, row.source) for row in history] == [
        (None, dt.date(2026, 3, 1), 65.0, 50.0, source),
        (north, dt.date(2026, 4, 1), 55.0, 45.0, source),
    ]


def test_the_number_of_queries_does_not_grow_with_responses_periods_or_areas(
    north_south, agency, django_assert_max_num_queries
):
    survey, north, south = north_south
    answer(survey, north, count=10, safety=5)
    with CaptureQueriesContext(connection) as small:
        survey_results(survey=survey, grouping="month")

    extra = [AreaFactory.create(agency=agency, slug=f"beat-{n}") for n in range(4)]
    for month in range(1, 13):
        for area in [north, south, *extra]:
            answer(survey, area, period=dt.date(2025, month, 1), count=3, safety=month % 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        found = survey_results(survey=survey, grouping="month")

    assert len(found.periods) == 13
    assert len(small.captured_queries) <= 8


def test_a_survey_nobody_answered_has_no_periods(north_south):
    survey, _north, _south = north_south

    found = survey_results(survey=survey)

    assert (found.periods, found.history, found.respondents) == ([], [], None)
    assert [result.by_period for result in found.question_results] == [[], [], [], [], []]
