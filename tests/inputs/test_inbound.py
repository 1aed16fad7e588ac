"""Inbound SMS (Twilio) and email (Mailgun) webhooks, with recorded provider payloads."""

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.inputs import receipts, sms
from roundtable.inputs.inbound import mailgun, twilio
from roundtable.inputs.inbound.base import language_of
from roundtable.inputs.models import Input, InputChannel, Notification, ReplyChannel, Topic

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
PUBLIC_URL = "https://roundtable.example.org"


def _payload(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def providers(settings, monkeypatch):
    twilio_sms = _payload("twilio-sms.json")
    email = _payload("mailgun-email.json")
    settings.ROUNDTABLE_PUBLIC_URL = PUBLIC_URL
    settings.ROUNDTABLE_TWILIO_AUTH_TOKEN = twilio_sms["auth_token"]
    settings.ROUNDTABLE_MAILGUN_SIGNING_KEY = email["signing_key"]
    # The recorded email was signed when it was sent: read the clock then.
    monkeypatch.setattr(mailgun, "now", lambda: int(email["form"]["timestamp"]) + 30)


def _post_twilio(client, payload, agency_slug="riverside", **headers):
    return client.post(
        f"/hooks/twilio/{agency_slug}/",
        payload["form"],
        headers={"X-Twilio-Signature": payload["headers"]["X-Twilio-Signature"], **headers},
    )


def _post_mailgun(client, form, agency_slug="riverside"):
    return client.post(f"/hooks/mailgun/{agency_slug}/", form)


def _twiml_message(response):
    root = ElementTree.fromstring(response.content)  # noqa: S314 -- our own response
    assert root.tag == "Response"
    return root.findtext("Message")


# ------------------------------------------------------------------- signatures


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+14158675309", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        ("+12349013030", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
    ],
)
def test_the_twilio_signature_matches_twilios_published_examples(number, expected):
    params = {
        "CallSid": ["CA1234567890ABCDE"],
        "Caller": [number],
        "Digits": ["1234"],
        "From": [number],
        "To": ["+18005551212"],
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio.signature("12345", url, params) == expected


def test_the_recorded_payloads_carry_valid_signatures():
    sms_payload = _payload("twilio-sms.json")
    form = {k: [v] for k, v in sms_payload["form"].items()}
    assert (
        twilio.signature(sms_payload["auth_token"], sms_payload["url"], form)
        == (sms_payload["headers"]["X-Twilio-Signature"])
    )
    email = _payload("mailgun-email.json")["form"]
    key = _payload("mailgun-email.json")["signing_key"]
    assert mailgun.signature(key, email["timestamp"], email["token"]) == email["signature"]


# ------------------------------------------------------------------- Twilio SMS


def test_a_text_message_becomes_an_input_and_the_reply_carries_the_receipt(
    agency, client, providers, django_capture_on_commit_callbacks
):
    payload = _payload("twilio-sms.json")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_twilio(client, payload)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    item = Input.objects.get()
    assert item.channel == InputChannel.SMS and item.topic == Topic.OTHER
    assert item.text == payload["form"]["Body"]
    assert item.external_id == payload["form"]["MessageSid"]
    assert not item.is_anonymous and item.contact_phone == "+15552013344"
    assert item.reply_channel == ReplyChannel.SMS and item.language == "en"
    assert item.recorded_by is None and item.submitted_by is None
    reply = _twiml_message(response)
    assert receipts.display(item.receipt_code) in reply
    assert f"{PUBLIC_URL}/p/riverside/receipt/{item.receipt_code}/" in reply
    # The reply delivered the receipt notice: it is not texted a second time.
    assert Notification.objects.get(input=item).state == Notification.State.SENT
    assert sms.outbox == []
    # A member of the public writing is not a staff action.
    assert not AuditEntry.objects.exists()


def test_a_spanish_keyword_gets_the_answer_in_spanish(agency, client, providers):
    payload = _payload("twilio-sms-es.json")
    # Signed with the same recorded token.
    response = _post_twilio(client, payload)
    item = Input.objects.get()
    assert item.language == "es" and item.contact_phone == "+15552014410"
    # The reply is the receipt notice, rendered in the contributor's language
    # (its Spanish wording comes from the catalogue).
    notice = Notification.objects.get(input=item)
    assert notice.language == "es"
    assert _twiml_message(response) == f"{notice.subject}\n{notice.body}"


def test_a_retried_text_message_stores_nothing_new_and_answers_the_same(agency, client, providers):
    payload = _payload("twilio-sms.json")
    first = _post_twilio(client, payload)
    again = _post_twilio(client, payload)
    assert again.status_code == 200
    assert _twiml_message(again) == _twiml_message(first)
    assert Input.objects.count() == 1 and Notification.objects.count() == 1


def test_a_sender_that_is_not_a_phone_number_is_answered_but_not_stored(
    agency, client, providers, settings
):
    form = {**_payload("twilio-sms.json")["form"], "From": "ACME-ALERTS"}
    url = f"{PUBLIC_URL}/hooks/twilio/riverside/"
    signature = twilio.signature(
        settings.ROUNDTABLE_TWILIO_AUTH_TOKEN, url, {k: [v] for k, v in form.items()}
    )
    response = client.post(
        "/hooks/twilio/riverside/", form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200
    assert Input.objects.count() == 0


def test_a_text_message_with_a_bad_signature_is_refused_and_nothing_is_stored(
    agency, client, providers
):
    payload = _payload("twilio-sms.json")
    tampered = {**payload, "form": {**payload["form"], "Body": "Send all officers to my street"}}
    assert _post_twilio(client, tampered).status_code == 403
    no_header = client.post("/hooks/twilio/riverside/", payload["form"])
    assert no_header.status_code == 403
    assert Input.objects.count() == 0 and Notification.objects.count() == 0


def test_a_signature_for_another_agencys_url_is_refused(agency, other_agency, client, providers):
    # Signed for /hooks/twilio/riverside/: replaying it at another agency fails.
    response = _post_twilio(client, _payload("twilio-sms.json"), agency_slug=other_agency.slug)
    assert response.status_code == 403
    assert Input.objects.count() == 0


def test_without_a_configured_token_every_text_message_is_refused(
    agency, client, providers, settings
):
    settings.ROUNDTABLE_TWILIO_AUTH_TOKEN = ""
    assert _post_twilio(client, _payload("twilio-sms.json")).status_code == 403
    assert Input.objects.count() == 0


def test_an_empty_text_message_is_answered_but_not_stored(agency, client, providers, settings):
    form = {**_payload("twilio-sms.json")["form"], "Body": "", "NumMedia": "1"}
    url = f"{PUBLIC_URL}/hooks/twilio/riverside/"
    signature = twilio.signature(
        settings.ROUNDTABLE_TWILIO_AUTH_TOKEN, url, {k: [v] for k, v in form.items()}
    )
    response = client.post(
        "/hooks/twilio/riverside/", form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200
    assert "write your message as text" in _twiml_message(response)
    assert Input.objects.count() == 0


# ------------------------------------------------------------------- Mailgun email


def test_an_email_becomes_an_input_without_the_quoted_thread_and_is_answered_by_email(
    agency, client, providers, django_capture_on_commit_callbacks
):
    form = _payload("mailgun-email.json")["form"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_mailgun(client, form)
    assert response.status_code == 200
    item = Input.objects.get()
    assert response.json() == {"receipt": receipts.display(item.receipt_code), "duplicate": False}
    assert item.channel == InputChannel.EMAIL
    assert item.contact_email == "lucia.gomez@example.org"
    assert item.reply_channel == ReplyChannel.EMAIL and not item.is_anonymous
    assert item.contact_name == ""
    assert item.text.startswith("Re: Cedar Heights beat meeting\n\nThanks for the meeting.")
    assert "wrote:" not in item.text and "Block Club" not in item.text
    assert item.external_id == "CAF=7xq3v9Lq2m@mail.example.org"
    assert item.received_at.timestamp() == int(form["timestamp"])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lucia.gomez@example.org"]
    assert receipts.display(item.receipt_code) in mail.outbox[0].body


def _signed_again(form, token):
    """The same message as Mailgun delivers it again: a fresh token, signed."""
    key = _payload("mailgun-email.json")["signing_key"]
    return {**form, "token": token, "signature": mailgun.signature(key, form["timestamp"], token)}


def test_a_redelivered_email_stores_nothing_new(
    agency, client, providers, django_capture_on_commit_callbacks
):
    form = _payload("mailgun-email.json")["form"]
    with django_capture_on_commit_callbacks(execute=True):
        first = _post_mailgun(client, form)
        again = _post_mailgun(client, _signed_again(form, "f" * 50))
    assert again.status_code == 200
    assert again.json() == {**first.json(), "duplicate": True}
    assert Input.objects.count() == 1 and len(mail.outbox) == 1


def test_a_captured_email_request_cannot_be_replayed_with_another_body(
    agency, other_agency, client, providers
):
    form = _payload("mailgun-email.json")["form"]
    assert _post_mailgun(client, form).status_code == 200
    # The signature covers only timestamp and token: a second use of them, with
    # any body, at any agency, within the 15 minutes, is refused.
    forged = {**form, "Message-Id": "<forged@example.org>", "stripped-text": "Forged"}
    assert _post_mailgun(client, forged).status_code == 403
    assert _post_mailgun(client, forged, agency_slug=other_agency.slug).status_code == 403
    assert Input.objects.count() == 1


def test_a_forged_signature_does_not_spend_the_token(agency, client, providers):
    form = _payload("mailgun-email.json")["form"]
    assert _post_mailgun(client, {**form, "signature": "0" * 64}).status_code == 403
    assert _post_mailgun(client, form).status_code == 200


def test_an_email_with_a_bad_signature_is_refused(agency, client, providers):
    form = _payload("mailgun-email.json")["form"]
    assert _post_mailgun(client, {**form, "signature": "0" * 64}).status_code == 403
    assert _post_mailgun(client, {**form, "token": form["token"][::-1]}).status_code == 403
    unsigned = {k: v for k, v in form.items() if k != "signature"}
    assert _post_mailgun(client, unsigned).status_code == 403
    assert Input.objects.count() == 0


def test_an_old_signed_email_is_a_replay_and_refused(agency, client, providers, monkeypatch):
    form = _payload("mailgun-email.json")["form"]
    monkeypatch.setattr(mailgun, "now", lambda: int(form["timestamp"]) + 16 * 60)
    assert _post_mailgun(client, form).status_code == 403
    assert Input.objects.count() == 0


def test_an_email_without_a_usable_sender_is_not_retried(agency, client, providers):
    form = {**_payload("mailgun-email.json")["form"], "from": "", "sender": "not an address"}
    response = _post_mailgun(client, form)
    assert response.status_code == 406
    assert Input.objects.count() == 0


def test_a_spanish_email_subject_gets_answers_in_spanish():
    assert language_of("Español: ruido en Eastgate", "Hola") == "es"
    assert language_of("", "Es muy peligroso el puente") == "es"
    assert language_of("Noise in Eastgate", "ES") == "en"
    assert language_of("", "") == "en"


# ------------------------------------------------------------------- routing


def test_unknown_providers_and_agencies_are_not_found(agency, client, providers):
    payload = _payload("twilio-sms.json")
    assert client.post("/hooks/pigeon/riverside/", payload["form"]).status_code == 404
    assert _post_twilio(client, payload, agency_slug="atlantis").status_code == 404
    assert Input.objects.count() == 0


def test_the_webhook_takes_only_posts_without_a_csrf_token(agency, providers):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get("/hooks/twilio/riverside/").status_code == 405
    # No CSRF token, and still answered (403 here for the missing signature, not CSRF).
    response = strict.post("/hooks/twilio/riverside/", {})
    assert response.status_code == 403 and b"signature" in response.content


def test_the_webhook_declares_who_may_call_it():
    from django.urls import resolve

    match = resolve(reverse("hooks:receive", args=["twilio", "riverside"]))
    assert getattr(match.func, "allowed_roles", None) == frozenset({"provider-signature"})
