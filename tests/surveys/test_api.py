"""The surveys API: staff read surveys, their questions and weighted results;
nobody else does, and figures keep the pages' suppression."""

from __future__ import annotations

import pytest
from django.test import Client

from roundtable.surveys.models import Audience, Measure, Question, Survey
from roundtable.surveys.services import survey_create
from tests.factories import AreaFactory, QuestionFactory, ResponseFactory, SurveyFactory
from tests.surveys.census import answer

pytestmark = pytest.mark.django_db

TITLE = {"en": "Safety and trust, spring", "es": "Seguridad y confianza, primavera"}


@pytest.fixture
def spring(agency, casey) -> Survey:
    return survey_create(agency=agency, created_by=casey, title=TITLE, instruments=["trust_safety"])


def api_url(survey: Survey, tail: str = "", slug: str | None = None) -> str:
    return f"/api/v1/agencies/{slug or survey.agency.slug}/surveys{tail}"


def test_staff_list_the_surveys_with_counts_kept_above_ten(spring, agency, ana, client_for):
    busy = SurveyFactory.create(agency=agency, status=Survey.Status.CLOSED)
    ResponseFactory.create_batch(11, survey=busy)
    ResponseFactory.create_batch(2, survey=spring)
    response = client_for(ana).get(api_url(spring))
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert rows[spring.pk]["title"] == TITLE and rows[spring.pk]["status"] == "draft"
    assert rows[spring.pk]["responses"] is None  # two: fewer than the minimum count
    assert rows[busy.pk]["responses"] == 10  # 11, rounded to the nearest 5
    closed = client_for(ana).get(api_url(spring), {"status": "closed"}).json()
    assert [row["id"] for row in closed] == [busy.pk]


def test_a_survey_with_its_questions_in_order(spring, cleo, client_for):
    safety = spring.questions.get(key="safety")
    QuestionFactory.create(
        survey=spring,
        key="why",
        kind=Question.Kind.TEXT,
        position=99,
        show_if=safety,
        show_if_values=["0", "1"],
    )
    data = client_for(cleo).get(api_url(spring, f"/{spring.pk}")).json()
    keys = [q["key"] for q in data["questions"]]
    assert keys[0] == "safety" and keys[-1] == "why"
    assert [q["number"] for q in data["questions"]] == list(range(1, len(keys) + 1))
    first = data["questions"][0]
    assert first["kind"] == "scale" and set(first["text"]) == {"en", "es"}
    assert data["questions"][-1]["show_if"] == "safety"
    assert data["questions"][-1]["show_if_values"] == ["0", "1"]
    assert data["languages"] == ["en", "es"] and data["audience"] == "public"


def test_results_keep_the_suppression(agency, cleo, client_for):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    south = AreaFactory.create(agency=agency, name="South", slug="south")
    west = AreaFactory.create(agency=agency, name="West", slug="west")
    survey = SurveyFactory.create(agency=agency)
    for key, measure in (("safety", Measure.SAFETY), ("respect", Measure.TRUST_RESPECT)):
        QuestionFactory.create(survey=survey, key=key, kind=Question.Kind.SCALE, measure=measure)
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    answer(survey, north, count=37, safety=7, respect=9)
    answer(survey, west, count=21, safety=5, respect=5)
    answer(survey, south, count=4, safety=2, respect=2)
    data = (
        client_for(cleo).get(api_url(survey, f"/{survey.pk}/results"), {"grouping": "month"}).json()
    )
    assert data["grouping"] == "month" and data["respondents"] == 60  # 62, rounded
    weighting = data["periods"][0]["weighting"]
    assert (weighting["respondents"], weighting["effective_n"]) == (60, 60)
    period = data["periods"][0]
    assert period["scores"]["safety"]["shown"] and period["scores"]["safety"]["value"] == 60
    areas = {row["area"]: row["scores"] for row in period["by_area"]}
    assert areas["north"]["safety"]["value"] == 70
    assert (areas["north"]["safety"]["respondents"], areas["north"]["safety"]["effective_n"]) == (
        35,
        35,
    )
    # West is too thin for a figure, and its count would pin South's from the total: hidden.
    assert areas["west"]["safety"] == {
        "value": None,
        "moe": None,
        "respondents": None,
        "effective_n": None,
        "shown": False,
        "reason": "thin",
    }
    assert areas["south"]["safety"] == {
        "value": None,
        "moe": None,
        "respondents": None,
        "effective_n": None,
        "shown": False,
        "reason": "few",
    }


def test_an_internal_surveys_results_have_no_areas(agency, cleo, client_for):
    survey = SurveyFactory.create(agency=agency, audience=Audience.INTERNAL)
    QuestionFactory.create(
        survey=survey, key="morale", kind=Question.Kind.SCALE, measure=Measure.WELLNESS
    )
    answer(survey, AreaFactory.create(agency=agency), count=31, morale=6)
    data = client_for(cleo).get(api_url(survey, f"/{survey.pk}/results")).json()
    assert data["periods"][0]["by_area"] == []
    assert data["periods"][0]["scores"]["wellness"]["shown"]


def test_the_endpoints_refuse_who_they_must(spring, rosa, pat, uma, client_for):
    for tail in ("", f"/{spring.pk}", f"/{spring.pk}/results"):
        url = api_url(spring, tail)
        assert Client().get(url).status_code == 401
        for person in (rosa, pat, uma):
            assert client_for(person).get(url).status_code == 403, person


def test_another_agencys_survey_is_not_found(spring, other_agency, uma, client_for):
    for tail in (f"/{spring.pk}", f"/{spring.pk}/results"):
        assert client_for(uma).get(api_url(spring, tail, slug=other_agency.slug)).status_code == 404


def test_a_token_reads_the_surveys_without_a_session(spring, ana):
    from roundtable.accounts.services import api_token_create

    _token, secret = api_token_create(user=ana, name="script", second_factor=True)
    response = Client().get(api_url(spring), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and response.json()[0]["id"] == spring.pk
