"""Every agency endpoint of the API refuses who it must, whatever its path."""

import re

import pytest
from django.test import Client

from roundtable.api.root import api

pytestmark = pytest.mark.django_db


def _agency_endpoints():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        if "{slug}" not in path:
            continue
        for method in methods:
            yield method.upper(), path


def _url(path: str, slug: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path.replace("{slug}", slug))


def test_there_are_agency_endpoints_to_check():
    assert len(list(_agency_endpoints())) >= 4


@pytest.mark.parametrize(("method", "path"), list(_agency_endpoints()))
def test_anonymous_residents_other_agencies_and_half_signed_in_staff_are_refused(
    method, path, agency, rosa, pat, uma, ana, client_for
):
    url = _url(path, agency.slug)

    def call(client):
        if method == "GET":
            return client.get(url)
        # A valid body, so what refuses is access, not validation.
        return client.post(
            url, '{"name": "X", "category": "other"}', content_type="application/json"
        )

    assert call(Client()).status_code == 401
    for person in (rosa, pat, uma):
        assert call(client_for(person)).status_code == 403, person
    half = Client()
    half.force_login(ana)  # password only, no TOTP step
    assert call(half).status_code == 403


def test_a_post_without_the_csrf_token_is_refused(agency, casey, client_for):
    client = client_for(casey)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        f"/api/v1/agencies/{agency.slug}/organisations",
        '{"name": "X", "category": "other"}',
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_negative_offset_is_a_validation_error_not_a_crash(agency, ana, client_for):
    response = client_for(ana).get(f"/api/v1/agencies/{agency.slug}/organisations", {"offset": -1})
    assert response.status_code == 422
