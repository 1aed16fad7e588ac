"""The public form: anyone says something, with no account and no JavaScript."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

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
    thanks = reverse("inputs_public:thanks", args=[agency.slug, item.receipt_code])
    assert response.status_code == 302 and response["Location"] == thanks
    assert item.channel == InputChannel.WEB and item.area == area and item.is_anonymous
    assert str(item.latitude) == "41.878100"
    page = client.get(thanks).content.decode()
    assert receipts.display(item.receipt_code) in page
    assert reverse("inputs_public:receipt", args=[agency.slug, item.receipt_code]) in page
    assert "underpass" not in page and "Eastgate" not in page


def test_an_anonymous_submission_keeps_no_trace_of_the_person(agency, rosa):
    browser = Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Zebrafish/9.1 (Quokka)")
    browser.force_login(rosa)
    browser.post(say_url(agency), ANONYMOUS)
    item = Input.objects.get()
    assert item.submitted_by is None and item.recorded_by is None
    values = [str(getattr(item, f.attname)) for f in Input._meta.concrete_fields]
    assert not any("203.0.113" in v or "Zebrafish" in v or "Quokka" in v for v in values)


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
    assert response.status_code == 302
    assert response["Location"].startswith(f"/p/{agency.slug}/say/thanks/")
    assert Input.objects.count() == 0
    assert client.get(response["Location"]).status_code == 200


def test_too_many_submissions_are_refused_with_429_keeping_the_text(agency, client, settings):
    settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT = 2
    settings.ROUNDTABLE_PUBLIC_INPUT_WINDOW = 600
    for _ in range(2):
        assert client.post(say_url(agency), ANONYMOUS).status_code == 302
    response = client.post(say_url(agency), {**ANONYMOUS, "text": "Third message, please keep"})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    page = response.content.decode()
    assert "Third message, please keep" in page and "10 minutes" in page
    assert Input.objects.count() == 2
    # Another client is not affected.
    assert Client(REMOTE_ADDR="198.51.100.7").post(say_url(agency), ANONYMOUS).status_code == 302


def test_the_thanks_page_refuses_what_cannot_be_a_code(agency, client):
    assert client.get(f"/p/{agency.slug}/say/thanks/not-a-code/").status_code == 404
