import json

import pytest

from roundtable.stakeholders.models import Organisation, Stance
from tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_analysts_list_the_map_as_json(agency, ana, client_for):
    OrganisationFactory.create(
        agency=agency,
        name="NAACP Riverside Branch",
        category="national_ngo",
        stance=Stance.CRITIC,
        sectors=["justice_crime"],
    )
    response = client_for(ana).get(
        f"/api/v1/agencies/{agency.slug}/organisations", {"stance": "critic"}
    )
    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == "NAACP Riverside Branch"
    assert row["sectors"] == ["justice_crime"]


def test_the_api_refuses_residents_partners_other_agencies_and_anonymous(
    agency, rosa, pat, uma, client_for, client
):
    url = f"/api/v1/agencies/{agency.slug}/organisations"
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403
    assert client.get(url).status_code == 401


def test_staff_must_finish_the_two_step_sign_in_for_the_api_too(agency, ana, client):
    client.force_login(ana)
    assert client.get(f"/api/v1/agencies/{agency.slug}/organisations").status_code == 403


def test_a_coordinator_creates_an_organisation_and_analysts_may_not(agency, casey, ana, client_for):
    AreaFactory.create(agency=agency, slug="eastgate", name="Eastgate")
    payload = {
        "name": "Eastgate Tenants Union",
        "category": "community_group",
        "sectors": ["housing"],
        "areas": ["eastgate"],
        "stance": "critic",
    }
    denied = client_for(ana).post(
        f"/api/v1/agencies/{agency.slug}/organisations",
        json.dumps(payload),
        content_type="application/json",
    )
    assert denied.status_code == 403
    response = client_for(casey).post(
        f"/api/v1/agencies/{agency.slug}/organisations",
        json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["areas"] == ["eastgate"]
    assert Organisation.objects.get().stance == Stance.CRITIC


def test_an_unknown_area_is_a_clear_error(agency, casey, client_for):
    payload = {"name": "X", "category": "other", "areas": ["atlantis"]}
    response = client_for(casey).post(
        f"/api/v1/agencies/{agency.slug}/organisations",
        json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "atlantis" in response.json()["detail"]
    assert not Organisation.objects.exists()


def test_coverage_as_json(agency, ana, client_for):
    OrganisationFactory.create(agency=agency, category="government", sectors=["health"])
    rows = client_for(ana).get(f"/api/v1/agencies/{agency.slug}/coverage").json()
    health = next(r for r in rows if r["key"] == "health")
    assert health["counts"]["government"] == 1 and health["total"] == 1


def test_the_openapi_document_is_public(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/agencies/{slug}/organisations" in document["paths"]


def test_the_interactive_docs_load_their_scripts_from_our_own_static_files(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page  # the CSP would block a CDN
