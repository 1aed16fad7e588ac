"""The partner's "Share figures" pages: Pat (for the school district) sees the
district's measures and submissions, sends a figure or a file; a partner of
another organisation, a partner without a DataSharer row, residents, other
agencies and anonymous visitors are refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from roundtable.accounts.models import Role
from roundtable.measures.models import PartnerSubmission
from roundtable.measures.services import data_sharer_grant, measure_choose
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(agency, casey, pat):
    school = OrganisationFactory.create(agency=agency, name="Riverside Unified School District")
    hospital = OrganisationFactory.create(agency=agency, name="Riverside General Hospital")
    attendance = measure_choose(
        actor=casey, agency=agency, catalogue_key="school_attendance", partner=school
    )
    visits = measure_choose(
        actor=casey, agency=agency, catalogue_key="er_assault_visits", partner=hospital
    )
    data_sharer_grant(actor=casey, agency=agency, organisation=school, user=pat)
    nurse = UserFactory.create(username="nora")
    MembershipFactory.create(user=nurse, agency=agency, role=Role.PARTNER)
    data_sharer_grant(actor=casey, agency=agency, organisation=hospital, user=nurse)
    return {"attendance": attendance, "visits": visits, "nurse": nurse}


def test_the_partner_sees_only_their_organisations_measures(agency, shared, pat, client_for):
    page = client_for(pat).get(reverse("measures:share", args=[agency.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "School attendance" in text
    assert "Emergency-room visits for assault" not in text


def test_who_may_not_share(agency, shared, rosa, uma, casey, client_for):
    home = reverse("measures:share", args=[agency.slug])
    measure = reverse("measures:share_measure", args=[agency.slug, shared["attendance"].pk])
    template = reverse("measures:share_template", args=[agency.slug, shared["attendance"].pk])
    assert Client().get(home).status_code == 302
    for person in (rosa, uma):
        assert client_for(person).get(home).status_code == 403
    # Casey is staff but shares for no organisation.
    assert client_for(casey).get(home).status_code == 403
    # Another organisation's representative may not open the school's measure.
    nurse = client_for(shared["nurse"])
    assert nurse.get(home).status_code == 200
    for url in (measure, template):
        assert nurse.get(url).status_code == 403
        assert nurse.post(url, {"method": "form"}).status_code in (403, 405)
    assert not PartnerSubmission.objects.exists()


def test_a_partner_without_a_data_sharer_row_is_refused(agency, shared, client_for):
    other = UserFactory.create(username="otto")
    MembershipFactory.create(user=other, agency=agency, role=Role.PARTNER)
    assert client_for(other).get(reverse("measures:share", args=[agency.slug])).status_code == 403


def test_sharing_one_figure(agency, shared, pat, client_for):
    client = client_for(pat)
    url = reverse("measures:share_measure", args=[agency.slug, shared["attendance"].pk])
    assert client.get(url).status_code == 200
    missing = client.post(url, {"method": "form", "period": "2026-09", "value": "93,5"})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    response = client.post(
        url,
        {
            "method": "form",
            "period": "2026-09",
            "value": "93,5",
            "provenance": "Attendance system, all schools",
        },
    )
    assert response.status_code == 302
    submission = PartnerSubmission.objects.get()
    assert submission.rows[0]["value"] == 93.5
    assert submission.submitted_by == pat
    home = client.get(reverse("measures:share", args=[agency.slug])).content.decode()
    assert "Waiting for approval" in home


def test_sharing_a_file(agency, shared, pat, client_for):
    client = client_for(pat)
    url = reverse("measures:share_measure", args=[agency.slug, shared["attendance"].pk])
    bad = SimpleUploadedFile("a.csv", b"period,value\n2026-09,193\n")
    response = client.post(url, {"method": "csv", "file": bad, "provenance": "Extract"})
    assert response.status_code == 400
    assert "line 2, column value: A percentage or a score is between 0 and 100." in (
        response.content.decode()
    )
    good = SimpleUploadedFile("a.csv", b"period,value\n2026-08,91\n2026-09,93\n")
    response = client.post(url, {"method": "csv", "file": good, "provenance": "Extract"})
    assert response.status_code == 302
    assert len(PartnerSubmission.objects.get().rows) == 2
    template = client.get(
        reverse("measures:share_template", args=[agency.slug, shared["attendance"].pk])
    )
    assert template.content.decode().startswith("measure,period,area,value,count,base")
