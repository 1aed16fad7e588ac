"""The public problem pages: what is done, by whom, progress, result — nothing private."""

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.inputs.services import input_link
from roundtable.problems import stages
from roundtable.stakeholders.models import Organisation
from tests.factories import (
    AssessmentFactory,
    GoalFactory,
    InputFactory,
    OrganisationFactory,
    ProblemFactory,
    ResponseActionFactory,
)

pytestmark = pytest.mark.django_db

PRIVATE = [
    # The team's names and accounts
    "Marta",
    "Mendoza",
    "Gloria Hayes",
    "Sgt Cleo",
    "casey",
    # The statement and the analysis triangle
    "Break-ins at night, mostly by two brothers",
    "Level 2 behind the pillar",
    "Older drivers parking alone",
    "Teenagers from Oak Court",
    "Transit police incident log",
    # Owners, individuals and contact details
    "Officer Daniel Ruiz",
    "Jamie Nguyen",
    "1234 N Main St",
    "312-555-0198",
    "lucia@example.org",
    "Me rompieron la ventanilla",
]


@pytest.fixture
def published(team, agency, casey, cleo, marta, health):
    """The team's problem in the response stage, on the public site."""
    team.statement = "Break-ins at night, mostly by two brothers from Oak Court."
    team.place = "Level 2 behind the pillar"
    team.victim = "Older drivers parking alone"
    team.offender = "Teenagers from Oak Court"
    team.partner_data = "Transit police incident log"
    team.public_summary = (
        "We are fixing the lighting and adding patrols. Questions: call 312-555-0198 "
        "or visit 1234 N Main St."
    )
    team.is_public = True
    team.save()
    neighbour = OrganisationFactory.create(
        agency=agency, name="Jamie Nguyen", kind=Organisation.Kind.INDIVIDUAL
    )
    ResponseActionFactory.create(
        problem=team,
        description="Repair the lights on level 2.",
        owner_name="Officer Daniel Ruiz",
        partner=health,
    )
    ResponseActionFactory.create(
        problem=team,
        description="Walk the car park at closing time.",
        owner_name="Officer Daniel Ruiz",
        partner=neighbour,
    )
    ResponseActionFactory.create(problem=team, description="Dropped idea", status="dropped")
    GoalFactory.create(problem=team, metric="Thefts from vehicles per month")
    AssessmentFactory.create(problem=team, conclusion="Fewer break-ins; the lights helped.")
    item = InputFactory.create(
        agency=agency,
        text="Me rompieron la ventanilla del coche.",
        is_anonymous=False,
        contact_email="lucia@example.org",
        reply_channel="email",
    )
    input_link(actor=casey, input=item, item=team)
    for _ in range(2):
        stages.stage_sign_off(actor=cleo, problem=team)
        stages.stage_sign_off(actor=marta, problem=team)
    return team


def _page(problem, client=None, **headers):
    client = client or Client()
    return client.get(
        reverse("problems_public:detail", args=[problem.agency.slug, problem.pk]), **headers
    )


def test_only_public_problems_are_listed(agency, published, client):
    ProblemFactory.create(agency=agency, title="Confidential gang problem")
    body = client.get(reverse("problems_public:list", args=[agency.slug])).content.decode()
    assert published.title in body
    assert "Confidential gang problem" not in body


def test_a_problem_not_on_the_public_site_is_not_found(agency, team, client):
    assert _page(team, client).status_code == 404


def test_a_problem_of_another_agency_is_not_found(agency, other_agency, published, client):
    url = reverse("problems_public:detail", args=[other_agency.slug, published.pk])
    assert client.get(url).status_code == 404


def test_the_public_page_says_what_is_done_by_whom_and_with_what_result(published, client):
    response = _page(published, client)
    assert response.status_code == 200
    body = response.content.decode()
    assert "We are fixing the lighting and adding patrols." in body
    assert "[phone]" in body and "[address]" in body
    assert "Repair the lights on level 2." in body and "Walk the car park" in body
    assert "Dropped idea" not in body
    assert "County Health Department" in body and "Riverside Tenants Union" in body
    assert "Response" in body and "Analysis: since" in body
    assert "Thefts from vehicles per month" in body
    assert "It worked" in body and "Fewer break-ins; the lights helped." in body


def test_the_public_page_shows_nothing_private(published, client):
    body = _page(published, client).content.decode()
    for private in PRIVATE:
        assert private not in body, private


def test_small_teams_are_counted_without_exact_numbers(published, client, settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    body = _page(published, client).content.decode()
    assert "fewer than 5 members" in body
    settings.ROUNDTABLE_SMALL_CELL = 1
    body = _page(published, client).content.decode()
    assert "Community: 1 member" in body


def test_the_public_page_speaks_spanish(published, client):
    client.cookies["roundtable_language"] = "es"
    body = _page(published, client).content.decode()
    assert '<html lang="es">' in body


def test_a_plain_language_no_change_is_published_too(published, client):
    published.assessments.all().delete()
    AssessmentFactory.create(
        problem=published,
        target_before=100,
        target_after=90,
        control_before=100,
        control_after=100,
        buffer_before=None,
        buffer_after=None,
        buffer_control_before=None,
        buffer_control_after=None,
    )
    body = _page(published, client).content.decode()
    assert "No change we can distinguish from chance" in body


def test_the_public_list_is_bounded(agency, client, django_assert_max_num_queries):
    for _ in range(10):
        ProblemFactory.create(agency=agency, is_public=True, public_summary="x")
    with django_assert_max_num_queries(5):
        response = client.get(reverse("problems_public:list", args=[agency.slug]))
    assert response.status_code == 200


def test_the_public_list_redacts_titles_as_the_page_does(agency, client):
    ProblemFactory.create(agency=agency, title="Break-ins behind 1234 N Main St", is_public=True)
    body = client.get(reverse("problems_public:list", args=[agency.slug])).content.decode()
    assert "1234 N Main St" not in body
    assert "Break-ins behind [address]" in body
