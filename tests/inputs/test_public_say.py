"""The public form: anyone says something, with no account and no JavaScript."""

from __future__ import annotations

import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.inputs import receipts
from roundtable.inputs.models import Input, InputChannel, Topic
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = {
    "topic": Topic.SAFETY_CONCERN,
    "text": "The underpass on 5th and Main is dark at night.",
    "anonymous": "yes",
    "language": "en",
}


def say_url(agency) -> str:
    return reverse("inputs_public:say", args=[agency.slug])


def test_anyone_may_open_the_form(agency, client, rosa, uma, client_for):
    for visitor in (client, client_for(rosa), client_for(uma)):
        response = visitor.get(say_url(agency))
        assert response.status_code == 200
    page = response.content.decode()
    for topic in Topic:
        assert f'value="{topic.value}"' in page
    assert str(Topic.TECHNOLOGY.label).replace("'", "&#x27;") in page
    assert 'name="website"' in page and 'tabindex="-1"' in page and 'aria-hidden="true"' in page


def test_an_unknown_agency_is_not_found(client, db):
    assert client.get("/p/nowhere/say/").status_code == 404


def test_an_anonymous_plain_html_submission_is_stored_and_shows_its_receipt(agency, client):
    area = AreaFactory.create(agency=agency, name="Eastgate", slug="eastgate")
    response = client.post(
        say_url(agency),
        {**ANONYMOUS, "area": area.pk, "latitude": "41.878100", "longitude": "-87.629800"},
    )
    item = Input.objects.get()
    assert item.channel == InputChannel.WEB and item.area == area and item.is_anonymous
    assert str(item.latitude) == "41.878100"
    # The thanks page is the answer to the POST itself: no redirect to an
    # address holding the code, which an access log would tie to the sender.
    assert response.status_code == 200 and "Location" not in response
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert receipts.display(item.receipt_code) in page
    assert "underpass" not in page and "Eastgate" not in page
    addresses = re.findall(r'(?:href|action|src)="([^"]*)"', page)
    assert addresses and not any(item.receipt_code in a.upper().replace("-", "") for a in addresses)
    # Following the answer from there is a POST too.
    assert 'method="post"' in page and 'name="code"' in page


def test_an_anonymous_submission_keeps_no_trace_of_the_person(agency, rosa, caplog):
    caplog.set_level(logging.DEBUG)
    browser = Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Zebrafish/9.1 (Quokka)")
    browser.force_login(rosa)
    browser.post(say_url(agency), ANONYMOUS)
    item = Input.objects.get()
    assert item.submitted_by is None and item.recorded_by is None
    values = [str(getattr(item, f.attname)) for f in Input._meta.concrete_fields]
    assert not any(leaks(v) for v in values)
    # No log line and no audit entry carries the address or the browser.
    logged = [f"{r.name} {r.getMessage()} {r.__dict__}" for r in caplog.records]
    assert not any(leaks(line) for line in logged)
    audited = [f"{e.action} {e.object_repr} {e.before} {e.after}" for e in AuditEntry.objects.all()]
    assert not any(leaks(entry) for entry in audited)
    assert not AuditEntry.objects.filter(object_id=str(item.pk), actor=rosa).exists()


def leaks(text: str) -> bool:
    return "203.0.113" in text or "Zebrafish" in text or "Quokka" in text


def test_a_signed_in_person_who_gives_contact_details_is_recorded_as_the_sender(
    agency, rosa, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(rosa).post(
            say_url(agency),
            {**ANONYMOUS, "anonymous": "no", "contact_email": "rosa@example.org"},
        )
    item = Input.objects.get()
    assert item.submitted_by == rosa and not item.is_anonymous
    assert item.reply_channel == "email"
    assert receipts.display(item.receipt_code) in mail.outbox[0].body


def test_contact_details_with_the_anonymous_choice_are_refused_and_nothing_is_lost(agency, client):
    response = client.post(
        say_url(agency),
        {**ANONYMOUS, "contact_email": "lucia@example.org", "contact_name": "Lucía"},
    )
    assert response.status_code == 200
    assert Input.objects.count() == 0
    page = response.content.decode()
    assert "Leave this empty to stay anonymous" in page
    assert "The underpass on 5th and Main is dark at night." in page
    assert 'value="lucia@example.org"' in page and 'value="Lucía"' in page


def test_errors_keep_what_was_typed(agency, client):
    response = client.post(
        say_url(agency), {"text": "Speeding on Oak Avenue every morning", "anonymous": "yes"}
    )
    assert response.status_code == 200 and Input.objects.count() == 0
    page = response.content.decode()
    assert "Speeding on Oak Avenue every morning" in page
    assert "This field is required." in page


def test_with_contact_details_chosen_an_address_is_needed(agency, client):
    response = client.post(say_url(agency), {**ANONYMOUS, "anonymous": "no"})
    assert "Give an email address or a mobile number" in response.content.decode()
    assert Input.objects.count() == 0


def test_a_map_point_needs_both_coordinates(agency, client):
    response = client.post(say_url(agency), {**ANONYMOUS, "latitude": "41.9"})
    assert "both latitude and longitude" in response.content.decode()
    assert Input.objects.count() == 0


def test_an_area_of_another_agency_is_not_offered(agency, other_agency, client):
    theirs = AreaFactory.create(agency=other_agency, name="North Campus", slug="north-campus")
    assert "North Campus" not in client.get(say_url(agency)).content.decode()
    client.post(say_url(agency), {**ANONYMOUS, "area": theirs.pk})
    assert Input.objects.count() == 0


def test_the_form_works_in_spanish_and_the_input_is_in_spanish(agency, client):
    client.post(reverse("accounts:set_language"), {"language": "es", "next": "/"})
    page = client.get(say_url(agency))
    assert page["Content-Language"] == "es"
    assert 'value="es" selected' in page.content.decode()
    client.post(
        say_url(agency), {**ANONYMOUS, "text": "Hay poca luz en el parque", "language": "es"}
    )
    assert Input.objects.get().language == "es"


def test_the_honeypot_answers_like_success_and_stores_nothing(agency, client):
    response = client.post(say_url(agency), {**ANONYMOUS, "website": "http://spam.example"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you: we received what you said" in page
    assert re.search(r'class="rt-public-code">[0-9A-Z]{5}-[0-9A-Z]{5}<', page)
    assert Input.objects.count() == 0


def test_too_many_submissions_are_refused_with_429_keeping_the_text(agency, client, settings):
    settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT = 2
    settings.ROUNDTABLE_PUBLIC_INPUT_WINDOW = 600
    for _ in range(2):
        assert client.post(say_url(agency), ANONYMOUS).status_code == 200
    response = client.post(say_url(agency), {**ANONYMOUS, "text": "Third message, please keep"})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    page = response.content.decode()
    assert "Third message, please keep" in page and "10 minutes" in page
    assert Input.objects.count() == 2
    # Another client is not affected.
    assert Client(REMOTE_ADDR="198.51.100.7").post(say_url(agency), ANONYMOUS).status_code == 200


def test_a_form_sent_back_for_correction_does_not_use_up_the_limit(agency, client, settings):
    settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT = 1
    for _ in range(3):
        assert client.post(say_url(agency), {**ANONYMOUS, "text": ""}).status_code == 200
    assert client.post(say_url(agency), ANONYMOUS).status_code == 200
    assert Input.objects.count() == 1


def test_bots_in_the_honeypot_are_rate_limited_like_people(agency, client, settings):
    settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT = 1
    trapped = {**ANONYMOUS, "website": "http://spam.example"}
    assert client.post(say_url(agency), trapped).status_code == 200
    assert client.post(say_url(agency), trapped).status_code == 429


def test_there_is_no_address_holding_a_receipt_code_but_the_one_sent_to_contributors(
    agency, client
):
    assert client.get(f"/p/{agency.slug}/say/thanks/7K3MQ9XD2F/").status_code == 404


def test_the_form_says_what_is_written_may_be_shown_in_public(agency, client):
    page = client.get(say_url(agency)).content.decode()
    assert "may be shown in public" in page
    assert "without your name or contact details" in page


def test_a_mobile_number_is_kept_in_international_form(
    agency, client, settings, django_capture_on_commit_callbacks
):
    settings.ROUNDTABLE_PHONE_REGION = "US"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            say_url(agency),
            {**ANONYMOUS, "anonymous": "no", "contact_phone": "(312) 555-0198"},
        )
    assert Input.objects.get().contact_phone == "+13125550198"
    response = client.post(
        say_url(agency), {**ANONYMOUS, "anonymous": "no", "contact_phone": "call me"}
    )
    assert "does not look like a phone number" in response.content.decode()
    assert Input.objects.count() == 1
