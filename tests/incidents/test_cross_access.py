"""Who may NOT see the staff incident pages: anonymous visitors are sent to sign
in; residents, partners and another agency's coordinator are refused; the
import upload refuses command staff and coordinators; another agency's run is
not found through one's own agency's address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ImportRunFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    ("incidents:overview", ()),
    ("incidents:report", ()),
    ("incidents:report_csv", ()),
    ("incidents:perception", ()),
    ("incidents:map", ()),
    ("incidents:map_layer", ("areas",)),
    ("incidents:map_layer", ("points",)),
    ("incidents:map_layer", ("hotspots",)),
    ("incidents:import_list", ()),
    ("incidents:import", ()),
]


def _url(name, agency, args):
    return reverse(name, args=[agency.slug, *args])


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_anonymous_is_sent_to_sign_in(agency, name, args):
    response = Client().get(_url(name, agency, args))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
@pytest.mark.parametrize("persona", ["rosa", "pat", "uma"])
def test_residents_partners_and_other_agencies_are_refused(
    agency, name, args, persona, request, client_for
):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(_url(name, agency, args)).status_code == 403


def test_import_run_page_refuses_outsiders(agency, rosa, uma, client_for):
    run = ImportRunFactory.create(agency=agency)
    url = reverse("incidents:import_run", args=[agency.slug, run.pk])
    assert Client().get(url).status_code == 302
    assert client_for(rosa).get(url).status_code == 403
    assert client_for(uma).get(url).status_code == 403


@pytest.mark.parametrize("persona", ["cleo", "casey"])
def test_only_importers_may_upload(agency, persona, request, client_for):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    url = reverse("incidents:import", args=[agency.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("persona", ["ana", "adam"])
def test_importers_see_the_upload_form(agency, persona, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("incidents:import", args=[agency.slug])).status_code == 200


def test_another_agencys_run_is_not_found_through_ones_own_address(
    agency, other_agency, uma, client_for
):
    theirs = ImportRunFactory.create(agency=agency, file_name="riverside-secret.csv")
    url = reverse("incidents:import_run", args=[other_agency.slug, theirs.pk])
    response = client_for(uma).get(url)
    assert response.status_code == 404


def test_staff_nav_shows_incidents_only_to_incident_viewers(agency, ana, pat, client_for):
    home = reverse("core:agency_home", args=[agency.slug])
    overview = reverse("incidents:overview", args=[agency.slug])
    assert overview in client_for(ana).get(home).content.decode()
    assert overview not in client_for(pat).get(home).content.decode()


def test_public_nav_links_to_safety_data(agency):
    body = Client().get(reverse("incidents_public:report", args=[agency.slug])).content.decode()
    assert reverse("incidents_public:map", args=[agency.slug]) in body
    assert reverse("incidents:overview", args=[agency.slug]) not in body
