"""Getting a survey to people: the open link and its QR code, the printable
page, rotating the link, one-time links shown once, and invitations after
calls for service that report counts only."""

from __future__ import annotations

import csv
import hashlib
import io
from urllib.parse import unquote

import pytest
from django.core import mail
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.inputs import sms
from roundtable.surveys.models import Audience, Invitation, Survey
from roundtable.surveys.services import survey_create, survey_open
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

TITLE = {"en": "Safety and trust, spring", "es": "Seguridad y confianza, primavera"}


@pytest.fixture
def spring(agency, casey) -> Survey:
    survey = survey_create(
        agency=agency, created_by=casey, title=TITLE, instruments=["trust_safety"]
    )
    return survey_open(survey=survey, actor=casey)


@pytest.fixture
def after_calls(agency, casey) -> Survey:
    survey = survey_create(
        agency=agency,
        created_by=casey,
        title={"en": "After your call", "es": "Después de su llamada"},
        instruments=["contact_satisfaction"],
    )
    assert survey.audience == Audience.CONTACT
    return survey_open(survey=survey, actor=casey)


def url(name: str, survey: Survey) -> str:
    return reverse(f"surveys:{name}", args=[survey.agency.slug, survey.pk])


def test_the_open_link_and_its_qr_code(spring, casey, client_for):
    page = client_for(casey).get(url("distribution", spring))
    link = page.context["link"]
    assert link.startswith("http://testserver/p/riverside/surveys/")
    assert link.endswith(f"/{spring.public_token}/")
    assert page.context["qr_link"] == link + "?via=qr"
    html = page.content.decode()
    assert "<svg" in html and link in html
    # Contact invitations are for contact-satisfaction surveys only.
    assert page.context["contacts_form"] is None


def test_the_printable_page_has_the_qr_code_and_the_title_in_both_languages(
    spring, casey, client_for
):
    html = client_for(casey).get(url("print", spring)).content.decode()
    assert "Safety and trust, spring" in html and "Seguridad y confianza, primavera" in html
    assert "<svg" in html and spring.public_token in html


def test_rotating_the_link_retires_the_old_one(spring, casey, client_for):
    old = spring.public_token
    response = client_for(casey).post(url("link_rotate", spring), follow=True)
    spring.refresh_from_db()
    assert spring.public_token and spring.public_token != old
    html = response.content.decode()
    assert "no longer work" in html and old not in html


def test_one_time_links_are_shown_once_and_only_their_fingerprints_kept(spring, casey, client_for):
    response = client_for(casey).post(
        url("invitations_create", spring),
        {"count": "25", "batch": "Residents' panel, wave 1", "language": "es", "deliver": "page"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    links = response.context["links"]
    assert len(links) == 25 and len(set(links)) == 25
    tokens = [link.rstrip("/").rsplit("/", 1)[1] for link in links]
    stored = set(Invitation.objects.filter(survey=spring).values_list("token_hash", flat=True))
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    html = response.content.decode()
    assert "shown this once" in html
    # The download on the page is the same list, carried in the page itself.
    rows = list(csv.reader(io.StringIO(unquote(response.context["csv_href"].split(",", 1)[1]))))
    assert rows[0] == ["link", "batch", "language"] and [r[0] for r in rows[1:]] == links
    # No token reaches the audit log.
    for entry in AuditEntry.objects.all():
        assert not any(token in str(entry.after) for token in tokens)


def test_one_time_links_as_a_csv_download(spring, casey, client_for):
    response = client_for(casey).post(
        url("invitations_create", spring),
        {"count": "3", "batch": "Panel", "language": "en", "deliver": "csv"},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 4 and all("/p/riverside/surveys/i/" in row[0] for row in rows[1:])


def test_a_batch_beyond_the_limit_is_refused_on_the_page(spring, casey, client_for):
    response = client_for(casey).post(
        url("invitations_create", spring),
        {"count": "5001", "batch": "Everyone", "language": "en", "deliver": "page"},
    )
    assert response.status_code == 400
    assert "count" in response.context["invitations_form"].errors
    assert not Invitation.objects.exists()


def test_batches_show_used_and_unused_links_without_small_counts(spring, casey, client_for):

    InvitationFactory.create_batch(30, survey=spring, batch="Wave 1")
    InvitationFactory.create_batch(12, survey=spring, batch="Wave 1", used=True)
    InvitationFactory.create_batch(17, survey=spring, batch="Wave 2")
    InvitationFactory.create_batch(3, survey=spring, batch="Wave 2", used=True)
    page = client_for(casey).get(url("distribution", spring))
    batches = {b.batch: b for b in page.context["batches"]}
    assert (batches["Wave 1"].total, batches["Wave 1"].used, batches["Wave 1"].unused) == (
        42,
        12,
        30,
    )
    html = page.content.decode()
    # Wave 2's three used links are "fewer than 10", and its unused count would give them away.
    assert "fewer than 10" in html and ">17<" not in html


CALLS = """incident_number,call_type,status,phone,email,language
C-1,THEFT FROM VEHICLE,CLOSED,312-555-0101,,es
C-2,DOMESTIC BATTERY SIMPLE,CLOSED,312-555-0102,,en
C-3,NOISE COMPLAINT,OPEN,,caller3@example.org,en
C-4,BURGLARY,CLOSED,,caller4@example.org,en
C-5,CRIM SEXUAL ASSAULT,CLOSED,,caller5@example.org,en
"""


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("calls.csv", text.encode(), content_type="text/csv")


def test_invitations_after_calls_report_counts_by_reason_and_nothing_else(
    after_calls, casey, client_for
):
    page = client_for(casey).get(url("distribution", after_calls))
    assert page.context["contacts_form"] is not None
    response = client_for(casey).post(
        url("contacts", after_calls), {"file": _upload(CALLS), "batch": "Calls, 1–7 March"}
    )
    assert response.status_code == 200
    assert response.context["outcome"].sent == 2
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1
    reasons = dict(response.context["excluded"])
    assert set(reasons) == {
        "Domestic violence",
        "Sexual assault or another sexual offence",
        "Incident still in progress",
    }
    html = response.content.decode()
    # No contact detail or call reference comes back on the page.
    for detail in ("312-555", "caller3@", "caller5@", "C-2", "DOMESTIC BATTERY"):
        assert detail not in html
    # Counts under ten are not shown here either.
    assert "fewer than 10" in html
    assert Invitation.objects.filter(survey=after_calls).count() == 2


def test_a_bad_calls_file_is_refused_on_the_form(after_calls, casey, client_for):
    response = client_for(casey).post(
        url("contacts", after_calls),
        {"file": _upload("incident_number,phone\nC-1,312-555-0101\n"), "batch": "Calls"},
    )
    assert response.status_code == 400
    assert response.context["contacts_form"].errors
    assert not Invitation.objects.exists()


def test_only_contact_surveys_send_after_calls(spring, casey, client_for):
    response = client_for(casey).post(
        url("contacts", spring), {"file": _upload(CALLS), "batch": "Calls"}, follow=True
    )
    assert "Only surveys of people who had contact" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_calls_file_beyond_the_limit_is_refused_on_the_form(
    after_calls, casey, client_for, monkeypatch
):
    from roundtable.surveys import services_invitations

    monkeypatch.setattr(services_invitations, "MAX_CALLS", 2)
    page = client_for(casey).get(url("distribution", after_calls)).content.decode()
    assert "one file holds at most 2 calls" in page
    response = client_for(casey).post(
        url("contacts", after_calls), {"file": _upload(CALLS), "batch": "Calls"}
    )
    assert response.status_code == 400
    assert "send at most 2 at a time" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox and not sms.outbox
