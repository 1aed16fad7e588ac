"""POST /api/v1/inputs and GET /api/v1/inputs/receipt/{code}: anyone, no sign-in."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.test import Client
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.inputs import receipts
from roundtable.inputs.models import Input, InputChannel, InputNote, PublicUpdate, Status, Topic
from tests.factories import AreaFactory, InputFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/inputs"


def post(client: Client, body: dict[str, object]):
    return client.post(URL, json.dumps(body), content_type="application/json")


def body(agency, **extra: object) -> dict[str, object]:
    return {"agency": agency.slug, "topic": "safety_concern", "text": "Dark park", **extra}


def test_an_anonymous_script_gets_a_receipt_code_and_nothing_of_it_is_kept(agency, caplog):
    caplog.set_level(logging.DEBUG)
    script = Client(
        REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Zebrafish/9.1", enforce_csrf_checks=True
    )
    response = post(script, body(agency, language="es"))
    assert response.status_code == 201
    data = response.json()
    item = Input.objects.get()
    assert data["receipt_code"] == receipts.display(item.receipt_code)
    assert data["receipt_url"].endswith(f"/p/{agency.slug}/receipt/{item.receipt_code}/")
    assert data["status"] == "new"
    assert item.channel == InputChannel.API and item.language == "es" and item.is_anonymous
    assert item.submitted_by is None and item.contact_email == ""
    values = [str(getattr(item, f.attname)) for f in Input._meta.concrete_fields]
    logged = [f"{r.name} {r.getMessage()} {r.__dict__}" for r in caplog.records]
    audited = [f"{e.object_repr} {e.before} {e.after}" for e in AuditEntry.objects.all()]
    assert not any("203.0.113" in v or "Zebrafish" in v for v in values + logged + audited)


def test_a_contributor_with_contact_details_and_an_area(agency, client):
    area = AreaFactory.create(agency=agency, slug="eastgate")
    response = post(
        client,
        body(
            agency,
            area="eastgate",
            latitude="41.8781",
            longitude="-87.6298",
            anonymous=False,
            contact_phone="(312) 555-0198",
            reply_channel="sms",
        ),
    )
    assert response.status_code == 201
    item = Input.objects.get()
    assert item.area == area and item.reply_channel == "sms" and not item.is_anonymous
    assert item.contact_phone == "+13125550198"  # as SMS providers need it


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"contact_email": "a@b.org"}, "An anonymous input keeps no name"),
        ({"reply_channel": "email"}, "An anonymous input keeps no name"),
        ({"anonymous": False}, "contact_email or contact_phone"),
        ({"anonymous": False, "contact_email": "not-an-email"}, "not an email"),
        ({"anonymous": False, "contact_phone": "call me"}, "not a phone number"),
        (
            {"anonymous": False, "contact_phone": "+13125550198", "reply_channel": "email"},
            "told by email",
        ),
        ({"area": "atlantis"}, "Unknown area"),
        ({"latitude": "41.9"}, "latitude and longitude"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(agency, client, extra, message):
    response = post(client, body(agency, **extra))
    assert response.status_code == 422
    assert message in json.dumps(response.json())
    assert Input.objects.count() == 0


def test_schema_errors_are_422(agency, client):
    assert post(client, body(agency, topic="gossip")).status_code == 422
    assert post(client, body(agency, text="")).status_code == 422
    assert post(client, {"topic": "other", "text": "x"}).status_code == 422


def test_an_unknown_agency_is_404(client, db):
    response = post(client, {"agency": "nowhere", "topic": "other", "text": "x"})
    assert response.status_code == 404


def test_the_honeypot_answers_like_success_and_stores_nothing(agency, client):
    response = post(client, body(agency, website="http://spam.example"))
    assert response.status_code == 201
    assert receipts.normalise(response.json()["receipt_code"])
    assert Input.objects.count() == 0


def test_the_api_shares_the_forms_rate_limit(agency, client, settings):
    settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT = 2
    assert post(client, body(agency)).status_code == 201
    assert (
        client.post(
            f"/p/{agency.slug}/say/",
            {"topic": "other", "text": "x", "anonymous": "yes", "language": "en"},
        ).status_code
        == 200
    )
    response = post(client, body(agency))
    assert response.status_code == 429
    assert Input.objects.count() == 2


@pytest.fixture
def answered(agency, casey):
    received = timezone.now() - dt.timedelta(days=6)
    item = InputFactory.create(
        agency=agency,
        topic=Topic.TECHNOLOGY,
        text="Why do you use plate readers on Calle Mayor 12?",
        is_anonymous=False,
        contact_email="lucia@example.org",
        reply_channel="email",
        owner=casey,
        status=Status.ANSWERED,
        received_at=received,
        answered_at=received + dt.timedelta(days=3),
        public_answer="The readers are listed at riverside.gov; ask 555-0142.",
    )
    PublicUpdate.objects.create(input=item, text="Sent to the board.", created_at=received)
    InputNote.objects.create(input=item, author=casey, text="INTERNAL")
    return item


def test_the_receipt_gives_status_and_answer_and_nothing_else(answered, client):
    code = receipts.display(answered.receipt_code).lower()
    response = client.get(f"{URL}/receipt/{code}")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "receipt_code",
        "status",
        "status_label",
        "received_on",
        "answered_on",
        "public_answer",
        "updates",
    }
    assert data["status"] == "answered" and data["status_label"] == "Answered"
    assert data["public_answer"] == "The readers are listed at riverside.gov; ask [phone]."
    assert data["updates"] == [
        {"on": timezone.localdate(answered.received_at).isoformat(), "text": "Sent to the board."}
    ]
    raw = json.dumps(data)
    for private in ("plate readers", "lucia", "casey", "INTERNAL", "Calle Mayor"):
        assert private not in raw


def test_an_unknown_receipt_is_404(client, db):
    assert client.get(f"{URL}/receipt/0000000000").status_code == 404
    assert client.get(f"{URL}/receipt/nonsense").status_code == 404


def test_receipt_lookups_are_rate_limited(answered, client):
    for _ in range(60):
        client.get(f"{URL}/receipt/0000000000")
    assert client.get(f"{URL}/receipt/{answered.receipt_code}").status_code == 429


def test_the_endpoints_are_described_in_the_openapi_document(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/inputs"]["post"]
    assert "receipt code" in create["description"]
    assert create.get("security") in (None, [])
    assert {"201", "422", "429"} <= set(create["responses"])
    lookup = schema["paths"]["/api/v1/inputs/receipt/{code}"]["get"]
    assert "nothing else" in lookup["description"]
