"""Every form that writes refuses a POST without the CSRF token."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_map_and_member_forms_refuse_a_post_without_the_token(agency, adam, client_for):
    organisation = OrganisationFactory.create(agency=agency)
    client = client_for(adam)
    client.handler.enforce_csrf_checks = True
    urls = [
        reverse("stakeholders:create", args=[agency.slug]),
        reverse("stakeholders:edit", args=[agency.slug, organisation.pk]),
        reverse("stakeholders:delete", args=[agency.slug, organisation.pk]),
        reverse("stakeholders:contact_add", args=[agency.slug, organisation.pk]),
        reverse("stakeholders:interaction_add", args=[agency.slug, organisation.pk]),
        reverse("stakeholders:referral_add", args=[agency.slug, organisation.pk]),
        reverse("stakeholders:import", args=[agency.slug]),
        reverse("stakeholders:export", args=[agency.slug, "csv"]),
        reverse("members:list", args=[agency.slug]),
        reverse("accounts:set_language"),
        reverse("accounts:logout"),
    ]
    for url in urls:
        assert client.post(url, {"name": "x"}).status_code == 403, url


def test_the_sign_in_form_refuses_a_post_without_the_token(rosa, client):
    client.handler.enforce_csrf_checks = True
    assert (
        client.post(reverse("accounts:login"), {"username": "rosa", "password": "x"}).status_code
        == 403
    )
