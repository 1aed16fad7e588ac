"""The public priorities pages: anyone may read them; drafts and personal
data never show."""

import pytest
from django.urls import reverse

from roundtable.inputs.services import input_link
from roundtable.priorities.models import AdvisoryVote, Candidate, Decision
from roundtable.stakeholders.models import Organisation
from tests.factories import (
    CandidateFactory,
    DecisionFactory,
    InputFactory,
    OrganisationFactory,
    PairwiseSurveyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(agency, casey, candidate, tenants):
    candidate.status = Candidate.Status.CHOSEN
    candidate.title_translations = {"es": "Calles más seguras cerca de las escuelas"}
    candidate.description = "Call the school office on 212-736-5000 to volunteer."
    candidate.save()
    decision = DecisionFactory.create(
        agency=agency,
        title="Priorities for 2026",
        decided_by="Riverside Community Advisory Board",
        rationale="Residents ranked it first.",
        dissent="Some members wanted break-ins first.",
        status=Decision.Status.PUBLISHED,
    )
    decision.chosen.set([candidate])
    AdvisoryVote.objects.create(
        decision=decision, member_name="Tom Lee", vote="against", organisation=tenants
    )
    AdvisoryVote.objects.create(decision=decision, member_name="Ana Ruiz", vote="for")
    AdvisoryVote.objects.create(decision=decision, member_name="Joy Park", vote="for")
    for _ in range(6):
        input_link(actor=casey, input=InputFactory.create(agency=agency), item=candidate)
    return decision


def test_anyone_reads_the_published_priorities(agency, published, client):
    body = client.get(reverse("priorities_public:home", args=[agency.slug])).content.decode()
    assert "Safer streets around schools" in body
    assert "Priorities for 2026" in body
    assert "6 things people told us" in body


def test_the_decision_page_shows_the_tally_and_organisations_but_no_member(
    agency, published, client
):
    url = reverse("priorities_public:decision", args=[agency.slug, published.pk])
    body = client.get(url).content.decode()
    assert "Residents ranked it first." in body
    assert "Some members wanted break-ins first." in body
    assert "Riverside Tenants Union" in body
    for name in ("Tom Lee", "Ana Ruiz", "Joy Park"):
        assert name not in body
    assert "212-736-5000" not in body and "[phone]" in body


def test_spanish_readers_see_the_spanish_title(agency, published, client):
    client.cookies["django_language"] = "es"
    url = reverse("priorities_public:decision", args=[agency.slug, published.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Calles más seguras cerca de las escuelas" in body


def test_a_draft_is_not_public(agency, candidate, client):
    draft = DecisionFactory.create(agency=agency, title="Secret draft")
    url = reverse("priorities_public:decision", args=[agency.slug, draft.pk])
    assert client.get(url).status_code == 404
    body = client.get(reverse("priorities_public:home", args=[agency.slug])).content.decode()
    assert "Secret draft" not in body


def test_another_agencys_decision_is_not_found_here(agency, other_agency, client):
    foreign = DecisionFactory.create(agency=other_agency, status=Decision.Status.PUBLISHED)
    url = reverse("priorities_public:decision", args=[agency.slug, foreign.pk])
    assert client.get(url).status_code == 404


def test_few_inputs_are_not_counted_in_public(agency, casey, client):
    few = CandidateFactory.create(agency=agency, status=Candidate.Status.CHOSEN)
    decision = DecisionFactory.create(agency=agency, status=Decision.Status.PUBLISHED)
    decision.chosen.set([few])
    for _ in range(2):
        input_link(actor=casey, input=InputFactory.create(agency=agency), item=few)
    body = client.get(reverse("priorities_public:home", args=[agency.slug])).content.decode()
    assert "fewer than 5" in body
    assert "2 things people told us" not in body


def test_an_open_survey_is_linked(agency, published, client):
    survey = PairwiseSurveyFactory.create(agency=agency)
    body = client.get(reverse("priorities_public:home", args=[agency.slug])).content.decode()
    assert reverse("priorities_public:vote", args=[agency.slug, survey.pk]) in body


def test_the_public_page_takes_a_bounded_number_of_queries(
    agency, casey, client, django_assert_max_num_queries
):
    for n in range(8):
        decision = DecisionFactory.create(
            agency=agency, title=f"Decision {n}", status=Decision.Status.PUBLISHED
        )
        chosen = [CandidateFactory.create(agency=agency, status="chosen") for _ in range(2)]
        decision.chosen.set(chosen)
        AdvisoryVote.objects.create(decision=decision, member_name="Ana", vote="for")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("priorities_public:home", args=[agency.slug]))
    assert response.status_code == 200


def test_a_member_on_the_map_as_a_private_individual_is_not_named_in_public(
    agency, published, client, casey
):
    # Community Map entries may be private individuals: their "organisation"
    # name is a person's name, which the public tally must not show.
    person = OrganisationFactory.create(
        agency=agency, name="Dolores Whitfield", kind=Organisation.Kind.INDIVIDUAL
    )
    AdvisoryVote.objects.create(
        decision=published, member_name="Dolores W.", vote="abstain", organisation=person
    )
    url = reverse("priorities_public:decision", args=[agency.slug, published.pk])
    body = client.get(url).content.decode()
    assert "Dolores Whitfield" not in body
    assert "Riverside Tenants Union" in body  # organisations still show
    home = client.get(reverse("priorities_public:home", args=[agency.slug])).content.decode()
    assert "Dolores Whitfield" not in home
