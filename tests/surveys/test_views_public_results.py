"""A survey's published results: weighted scores per quarter with margins of
error, thin cells withheld and said so in words, the method in plain words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from roundtable.surveys.models import Audience, Measure, Question, Survey
from tests.factories import AreaFactory, QuestionFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(agency) -> Survey:
    """A public trust and safety survey answered by 30 people in Eastbank, 15 in
    Northside (too few for an estimate) and 5 in Westbank (too few to count): Northside's
    15 are enough to cover Westbank's 5 against "overall − Eastbank"."""
    survey = SurveyFactory.create(
        agency=agency,
        title={"en": "Riverside safety survey", "es": "Encuesta de seguridad de Riverside"},
        publish_results=True,
        status=Survey.Status.CLOSED,
    )
    for position, (key, measure) in enumerate(
        [
            ("safety", Measure.SAFETY),
            ("respect", Measure.TRUST_RESPECT),
            ("listen", Measure.TRUST_LISTEN),
        ]
    ):
        QuestionFactory.create(
            survey=survey, position=position, key=key, kind=Question.Kind.SCALE, measure=measure
        )
    moment = timezone.make_aware(dt.datetime(2025, 2, 10, 12))
    for name, count in [("Eastbank", 30), ("Northside", 15), ("Westbank", 5)]:
        area = AreaFactory.create(agency=agency, name=name, slug=name.lower())
        for n in range(count):
            ResponseFactory.create(
                survey=survey,
                submitted_at=moment,
                area=area,
                answers={"safety": 5 + n % 3, "respect": 6, "listen": 8},
            )
    return survey


def results_url(survey: Survey) -> str:
    return reverse("surveys_public:results", args=[survey.agency.slug, survey.pk])


def test_anyone_sees_the_results_per_quarter_with_margins_of_error(published, client):
    response = client.get(results_url(published))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Riverside safety survey" in body and "January–March 2025" in body
    assert "About 50 people answered." in body  # rounded to the nearest 5
    overall = response.context["periods"][0]["overall"]
    assert [str(label) for label, _estimate in overall] == ["Safety", "Trust"]
    trust = overall[1][1]
    assert trust.shown and trust.value == pytest.approx(70.0)
    assert "± " in body
    # Per area: Eastbank shown, Northside too thin, Westbank too few (no count either).
    assert "Eastbank" in body and "Northside" in body and "Westbank" in body
    assert "Not shown: too few answers for a reliable figure" in body
    assert "Not shown: fewer than 10 answers" in body
    assert ">5<" not in body and ">15<" not in body
    # The method in plain words.
    assert "How these figures are made" in body
    assert "95 times in 100" in body and "Weighted to the census" in body


def test_an_area_that_would_give_a_smaller_one_away_is_withheld(published, client):
    # With 12 in Northside (its count hidden beside Westbank's 5), "overall − Eastbank"
    # would leave Westbank within 17: Eastbank's figures are withheld too, and say why.
    northside = published.responses.filter(area__slug="northside")
    northside.filter(pk__in=list(northside.values_list("pk", flat=True)[:3])).delete()

    response = client.get(results_url(published))

    areas = dict(response.context["periods"][0]["areas"])
    eastbank = next(estimates for area, estimates in areas.items() if area.slug == "eastbank")
    assert [e.reason for e in eastbank] == ["withheld", "withheld"]
    body = response.content.decode()
    assert "Not shown: it would let a smaller area's figure be worked out" in body
    assert "About 45 people answered." in body


def test_the_results_page_speaks_spanish(settings, published, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    body = client.get(results_url(published)).content.decode()
    assert "Encuesta de seguridad de Riverside" in body
    assert '<html lang="es">' in body


@pytest.mark.parametrize(
    "change",
    [
        {"publish_results": False},
        {"audience": Audience.INTERNAL},
        {"audience": Audience.CONTACT},
        {"status": Survey.Status.DRAFT},
    ],
    ids=["unpublished", "internal", "contact", "draft"],
)
def test_results_that_are_not_public_are_not_found(published, client, change):
    Survey.objects.filter(pk=published.pk).update(**change)
    assert client.get(results_url(published)).status_code == 404


def test_another_agencys_address_does_not_show_the_results(published, other_agency, client):
    url = reverse("surveys_public:results", args=[other_agency.slug, published.pk])
    assert client.get(url).status_code == 404


def test_the_results_read_a_bounded_number_of_rows(
    published, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get(results_url(published)).status_code == 200
