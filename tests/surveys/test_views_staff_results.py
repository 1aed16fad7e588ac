"""The results page for staff (weighted scores, suppression, months and
quarters, the historical series, representativeness). The responses export:
test_views_staff_export.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from roundtable.surveys.models import Audience, Measure, Question, Survey
from tests.factories import (
    AreaFactory,
    PopulationMarginFactory,
    QuestionFactory,
    ReferencePopulationFactory,
    SentimentScoreFactory,
    SurveyFactory,
)
from tests.surveys.census import (
    MARCH,
    answer,
    chicago_areas,
    chicago_population,
    demographics_survey,
)

pytestmark = pytest.mark.django_db


def scored_survey(agency, **fields) -> Survey:
    survey = SurveyFactory.create(agency=agency, **fields)
    for key, measure in (
        ("safety", Measure.SAFETY),
        ("respect", Measure.TRUST_RESPECT),
        ("listen", Measure.TRUST_LISTEN),
    ):
        QuestionFactory.create(survey=survey, key=key, kind=Question.Kind.SCALE, measure=measure)
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    QuestionFactory.create(
        survey=survey, key="top_issue", kind=Question.Kind.TEXT, measure=Measure.TOP_ISSUE
    )
    return survey


def results_url(survey: Survey) -> str:
    return reverse("surveys:results", args=[survey.agency.slug, survey.pk])


@pytest.fixture
def three_areas(agency):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    south = AreaFactory.create(agency=agency, name="South", slug="south")
    east = AreaFactory.create(agency=agency, name="East", slug="east")
    return north, south, east


def test_scores_per_area_with_margins_and_suppression(agency, three_areas, cleo, client_for):
    north, south, east = three_areas
    survey = scored_survey(agency)
    answer(survey, north, count=40, safety=8, respect=6, listen=8)
    answer(survey, south, count=20, safety=4, respect=4, listen=2)
    answer(survey, east, count=4, safety=1, respect=1, listen=1)
    page = client_for(cleo).get(results_url(survey))
    assert page.status_code == 200
    period = page.context["period"]
    by_area = {area.slug: figures for area, figures in period.by_area}
    assert by_area["north"]["safety"].shown and by_area["north"]["safety"].value == 80
    assert by_area["south"]["safety"].reason == "thin"
    assert by_area["east"]["safety"].reason == "few"
    html = page.content.decode()
    assert "± " in html
    assert "fewer than 10" in html and "too few for a reliable estimate" in html
    # No reference population: the page says the figures are not weighted.
    assert "not weighted" in html
    # The trend chart and its table carry the scores.
    assert page.context["chart"] is not None and "<circle" in html


def test_weighting_diagnostics_per_period(agency, casey, client_for):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    south = AreaFactory.create(agency=agency, name="South", slug="south")
    population = ReferencePopulationFactory.create(agency=agency, name="Census 2020")
    for area, adults in ((north, 600), (south, 400)):
        PopulationMarginFactory.create(
            population=population, area=area, characteristic="area", category="adults", count=adults
        )
    survey = scored_survey(agency)
    answer(survey, north, count=30, safety=8, respect=6, listen=8)
    answer(survey, south, count=60, safety=4, respect=4, listen=2)
    page = client_for(casey).get(results_url(survey))
    weighting = page.context["period"].weighting
    assert weighting.converged and weighting.design_effect > 1
    html = page.content.decode()
    assert "weighted to Census 2020" in html
    assert "Design effect" in html and f"{weighting.design_effect:.2f}" in html


def test_months_or_quarters_and_the_htmx_switch(agency, three_areas, cleo, client_for):
    north, _south, _east = three_areas
    survey = scored_survey(agency)
    answer(survey, north, period=MARCH, count=15, safety=8, respect=8, listen=8)
    answer(survey, north, period=dt.date(2026, 2, 1), count=15, safety=6, respect=6, listen=6)
    client = client_for(cleo)
    quarters = client.get(results_url(survey))
    assert (
        quarters.context["grouping"] == "quarter" and len(quarters.context["results"].periods) == 1
    )
    months = client.get(results_url(survey), {"grouping": "month"}, HTTP_HX_REQUEST="true")
    assert len(months.context["results"].periods) == 2
    assert months.templates[0].name == "surveys/partials/results.html"
    # The areas of an earlier month on request.
    february = client.get(results_url(survey), {"grouping": "month", "period": "2026-02-01"})
    assert february.context["period"].start == dt.date(2026, 2, 1)


def test_an_internal_survey_shows_overall_figures_only(agency, three_areas, cleo, client_for):
    north, _south, _east = three_areas
    survey = SurveyFactory.create(agency=agency, audience=Audience.INTERNAL)
    QuestionFactory.create(
        survey=survey, key="morale", kind=Question.Kind.SCALE, measure=Measure.WELLNESS
    )
    answer(survey, north, count=35, morale=7)
    page = client_for(cleo).get(results_url(survey))
    assert page.context["internal"] and page.context["representation"] is None
    assert page.context["period"].overall["wellness"].shown
    html = page.content.decode()
    assert "By area" not in html and "Whom the answers represent" not in html


def test_the_historical_series_beside_the_surveys_own(agency, three_areas, cleo, client_for):
    north, _south, _east = three_areas
    survey = scored_survey(agency)
    answer(survey, north, count=40, safety=6, respect=6, listen=6)
    SentimentScoreFactory.create(
        agency=agency,
        unit="city",
        period_start=MARCH,
        period_end=dt.date(2026, 3, 31),
        safety=55.5,
        trust=61.2,
    )
    page = client_for(cleo).get(results_url(survey))
    beside = page.context["beside"]
    assert len(beside) == 1 and beside[0].series == [55.5, 61.2]
    html = page.content.decode()
    assert "Beside the historical series" in html and "55.5" in html and "61.2" in html


def test_whom_the_answers_represent(agency, cleo, client_for):
    areas = chicago_areas(agency)
    chicago_population(agency)
    survey = SurveyFactory.create(agency=agency)
    demographics_survey(survey)
    austin = areas["austin"]
    answer(survey, austin, count=4, age="18_34", race="black", safety=5)
    answer(survey, austin, count=40, age="35_49", race="black", safety=5)
    answer(survey, austin, count=40, age="50_64", race="black", safety=5)
    answer(survey, austin, count=41, age="65_plus", race="black", safety=5)
    page = client_for(cleo).get(results_url(survey))
    representation = page.context["representation"]
    assert representation is not None and representation.suggestions
    html = page.content.decode()
    assert "Outreach suggestions" in html
    assert "residents aged 18 to 34 in Austin" in html
    # 125 respondents; 18 to 34's 4 hidden, one group of 40 withheld to cover it, 41 shown
    # as 40, and the scores over the groups shown are upper bounds.
    assert "Responses: 125" in html and ">41<" not in html
    assert "withheld" in html and "score at most" in html
    assert "Representativeness score: at most" in html
    # Race and ethnicity is counted over all ages in the census: the tables say so.
    assert "counted over all ages, children included" in html


def test_the_trend_leaves_gaps_where_a_figure_is_withheld():
    from roundtable.surveys.charts import score_chart

    chart = score_chart(
        ["Q1", "Q2", "Q3", "Q4"],
        [("safety", "Safety", [50.0, 60.0, None, 70.0]), ("trust", "Trust", [None] * 4)],
    )
    assert chart is not None
    safety, trust = chart.lines
    # Q1–Q2 is one line; Q4 stands alone as a dot; nothing is drawn through Q3.
    assert len(safety.segments) == 1 and len(safety.segments[0].split()) == 2
    assert len(safety.dots) == 1 and safety.dots[0][0] == chart.plot_right
    assert trust.segments == () and trust.dots == ()
    # 0 at the bottom, 100 at the top.
    assert [tick.label for tick in chart.y_ticks] == ["0", "25", "50", "75", "100"]
    assert chart.y_ticks[0].y == chart.plot_bottom and chart.y_ticks[-1].y == chart.plot_top
    assert score_chart(["Q1"], [("safety", "Safety", [None])]) is None
