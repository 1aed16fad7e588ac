"""Answering through a one-time link: the same page, good for one set of answers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.surveys.models import Audience, Invitation, Response, Survey
from roundtable.surveys.services_responses import token_hash
from roundtable.surveys.views_public import ANSWERED_COOKIE
from tests.factories import AreaFactory, InvitationFactory
from tests.surveys.test_views_public import GOOD, make_survey

pytestmark = pytest.mark.django_db

TOKEN = "panel-member-token-6f1d2c9a8b7e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a"


@pytest.fixture
def survey(agency):
    AreaFactory.create(agency=agency, name="Eastbank", slug="eastbank")
    return make_survey(agency, audience=Audience.CONTACT)


@pytest.fixture
def invitation(survey) -> Invitation:
    return InvitationFactory.create(survey=survey, token_hash=token_hash(TOKEN))


def invitation_url(survey: Survey, token: str = TOKEN) -> str:
    return reverse("surveys_public:invitation", args=[survey.agency.slug, token])


def test_a_one_time_link_takes_one_set_of_answers(survey, invitation, client):
    page = client.get(invitation_url(survey))
    assert page.status_code == 200 and 'name="q-safety"' in page.content.decode()
    response = client.post(invitation_url(survey), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "surveys_public:invitation_thanks", args=[survey.agency.slug, TOKEN]
    )
    stored = Response.objects.get()
    assert stored.channel == Response.Channel.INVITATION and stored.answers["safety"] == 7
    invitation.refresh_from_db()
    assert invitation.used
    # The link is what limits it: no cookie is needed or set.
    assert ANSWERED_COOKIE not in response.cookies
    assert "Thank you, neighbour!" in client.get(response["Location"]).content.decode()


def test_a_used_link_says_so_and_is_refused(survey, invitation, client):
    client.post(invitation_url(survey), GOOD)
    # Another browser (a forwarded link) sees the same.
    other = Client()
    page = other.get(invitation_url(survey))
    body = page.content.decode()
    assert page.status_code == 200
    assert "This personal link has already been used" in body and 'name="q-safety"' not in body
    again = other.post(invitation_url(survey), GOOD)
    assert again.status_code == 409
    assert Response.objects.count() == 1


def test_a_link_used_while_the_page_was_open_is_refused(survey, invitation, client):
    """Two tabs: the second submit finds the link used under the service's lock."""
    page = client.get(invitation_url(survey))
    assert page.status_code == 200
    Invitation.objects.filter(pk=invitation.pk).update(used=True)
    response = client.post(invitation_url(survey), GOOD)
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_unknown_links_and_other_agencies_are_not_found(survey, invitation, other_agency, client):
    assert client.get(invitation_url(survey, "not-a-token")).status_code == 404
    elsewhere = reverse("surveys_public:invitation", args=[other_agency.slug, TOKEN])
    assert client.get(elsewhere).status_code == 404
    assert client.post(elsewhere, GOOD).status_code == 404
    assert not Response.objects.exists()


def test_a_link_to_a_closed_survey_says_it_is_closed(survey, invitation, client):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    assert "This survey is closed" in client.get(invitation_url(survey)).content.decode()
    assert client.post(invitation_url(survey), GOOD).status_code == 409
    invitation.refresh_from_db()
    assert not invitation.used


def test_one_time_links_are_not_rate_limited(settings, survey, client):
    """A station's officers may all answer from one address; each link counts once anyway."""
    settings.ROUNDTABLE_SURVEY_RESPONSE_LIMIT = 1
    tokens = [f"{TOKEN}-{n}" for n in range(3)]
    for token in tokens:
        InvitationFactory.create(survey=survey, token_hash=token_hash(token))
    for token in tokens:
        response = client.post(invitation_url(survey, token), GOOD, REMOTE_ADDR="198.51.100.4")
        assert response.status_code == 302
    assert Response.objects.count() == 3


def test_an_invitation_form_keeps_answers_on_error(survey, invitation, client):
    response = client.post(invitation_url(survey), {"q-contact": "yes"})
    assert response.status_code == 400
    assert 'id="q-contact.yes" value="yes" checked' in response.content.decode()
    invitation.refresh_from_db()
    assert not invitation.used
