import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_is_public_and_lists_agencies(agency, client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Riverside Police Department" in page.content.decode()


def test_the_home_page_lists_the_workspaces_of_a_signed_in_person(agency, casey, client_for):
    assert "Engagement coordinator" in client_for(casey).get("/").content.decode()


def test_the_agency_page_shows_map_figures_to_staff(agency, casey, client_for):
    OrganisationFactory.create(agency=agency, stance="critic")
    page = client_for(casey).get(reverse("core:agency_home", args=[agency.slug])).content.decode()
    assert "critics recruited" in page


def test_the_agency_page_shows_no_map_figures_to_residents(agency, rosa, client_for):
    response = client_for(rosa).get(reverse("core:agency_home", args=[agency.slug]))
    assert response.status_code == 200
    assert "critics recruited" not in response.content.decode()


def test_the_agency_page_refuses_non_members(agency, uma, client_for, client):
    assert client_for(uma).get(reverse("core:agency_home", args=[agency.slug])).status_code == 403
    assert client.get(reverse("core:agency_home", args=[agency.slug])).status_code == 302


def test_every_page_carries_a_strict_content_security_policy(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_health_check_answers(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_every_agency_view_declares_who_may_use_it():
    """A view under /a/<agency>/ without an agency_view decorator would be open to all."""
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p.callback

    agency_views = [
        (route, cb)
        for route, cb in walk(get_resolver().url_patterns)
        if "<slug:agency_slug>" in route
    ]
    assert len(agency_views) > 10
    undeclared = [route for route, cb in agency_views if not hasattr(cb, "allowed_roles")]
    assert undeclared == []


def test_the_agency_page_shows_areas_shared_with_another_agency(
    agency, other_agency, rosa, client_for
):
    from tests.factories import AreaFactory

    village = AreaFactory.create(agency=other_agency, name="Student Village", kind="campus")
    hill = AreaFactory.create(agency=agency, name="University Hill")
    hill.overlaps.add(village)
    page = client_for(rosa).get(reverse("core:agency_home", args=[agency.slug])).content.decode()
    assert "University Hill" in page
    assert "Student Village (Riverside University Police)" in page
