"""Scripts reach the API with a personal token: `Authorization: Bearer rt_…`."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roundtable.accounts import services
from roundtable.accounts.models import ApiToken, Role
from roundtable.stakeholders.models import Organisation
from tests.api.test_api_access import _agency_endpoints, _url
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _get(agency, token, path="organisations"):
    # A fresh client: no session, no cookies, as from curl.
    return Client().get(
        f"/api/v1/agencies/{agency.slug}/{path}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _token(user, *, second_factor=True, **kwargs):
    return services.api_token_create(
        user=user, name="script", second_factor=second_factor, **kwargs
    )


def test_an_analysts_token_reads_the_map(agency, ana):
    OrganisationFactory.create(agency=agency, name="Eastgate Tenants Union")
    _record, plain = _token(ana)
    response = _get(agency, plain)
    assert response.status_code == 200, response.content
    assert [row["name"] for row in response.json()] == ["Eastgate Tenants Union"]
    assert _get(agency, plain, "coverage").status_code == 200


def test_a_coordinators_token_writes_without_a_csrf_token(agency, casey):
    _record, plain = _token(casey)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/agencies/{agency.slug}/organisations",
        json.dumps({"name": "Riverside Mosque", "category": "faith"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )
    assert response.status_code == 201, response.content
    assert Organisation.objects.get().name == "Riverside Mosque"


def test_a_token_has_its_owners_roles_and_no_more(agency, ana, rosa, pat, uma):
    for person in (rosa, pat, uma):
        _record, plain = _token(person)
        assert _get(agency, plain).status_code == 403, person
    _record, plain = _token(ana)
    denied = Client().post(
        f"/api/v1/agencies/{agency.slug}/organisations",
        json.dumps({"name": "X", "category": "other"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )
    assert denied.status_code == 403


@pytest.mark.parametrize(("method", "path"), list(_agency_endpoints()))
def test_every_agency_endpoint_refuses_the_tokens_it_must(method, path, agency, rosa, uma):
    url = _url(path, agency.slug)

    def call(token):
        headers = {"Authorization": f"Bearer {token}"}
        if method == "GET":
            return Client().get(url, headers=headers)
        body = '{"name": "X", "category": "other"}'
        return Client().post(url, body, content_type="application/json", headers=headers)

    for person in (rosa, uma):
        assert call(_token(person)[1]).status_code == 403, person
    assert call("rt_" + "x" * 43).status_code == 401


def test_wrong_revoked_and_expired_tokens_are_refused(agency, ana):
    assert _get(agency, "rt_" + "x" * 43).status_code == 401
    assert _get(agency, "not-even-ours").status_code == 401
    assert _get(agency, "").status_code == 401
    revoked, plain = _token(ana)
    services.api_token_revoke(actor=ana, token=revoked)
    assert _get(agency, plain).status_code == 401
    expired, plain = _token(ana)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert _get(agency, plain).status_code == 401


def test_a_bad_token_is_refused_even_beside_a_good_session(agency, ana, client_for):
    client = client_for(ana)
    url = f"/api/v1/agencies/{agency.slug}/organisations"
    assert client.get(url).status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION="Bearer rt_wrong").status_code == 401


def test_the_token_of_a_deactivated_account_is_refused(agency, ana):
    _record, plain = _token(ana)
    ana.is_active = False
    ana.save()
    assert _get(agency, plain).status_code == 401


def test_a_token_made_before_its_owner_was_staff_does_not_skip_the_second_factor(agency, rosa):
    _record, plain = _token(rosa, second_factor=False)
    MembershipFactory.create(user=rosa, agency=agency, role=Role.ANALYST)
    response = _get(agency, plain)
    assert response.status_code == 403
    assert "make a new one" in response.json()["detail"]


def test_use_is_noted_at_most_once_a_minute(agency, ana):
    token, plain = _token(ana)
    assert token.last_used_at is None
    assert _get(agency, plain).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < dt.timedelta(seconds=5)
    with CaptureQueriesContext(connection) as queries:
        _get(agency, plain)
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    _get(agency, plain)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_the_openapi_document_describes_bearer_tokens(client, db):
    document = client.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert "Authorization: Bearer" in document["info"]["description"]
