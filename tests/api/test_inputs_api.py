"""The response ledger's staff endpoints."""

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.inputs.models import InputNote, Status
from tests.factories import InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(agency):
    return InputFactory.create(
        agency=agency,
        text="Speeding on Elm",
        is_anonymous=False,
        contact_email="lucia@example.org",
        reply_channel="email",
    )


def _url(agency, suffix=""):
    return f"/api/v1/agencies/{agency.slug}/inputs{suffix}"


def test_readers_list_inputs_without_contact_details(agency, item, ana, client_for):
    InputFactory.create(agency=agency, text="Noise on Oak", status=Status.CLOSED)
    response = client_for(ana).get(_url(agency), {"status": "new"})
    assert response.status_code == 200
    (row,) = response.json()
    assert row["text"] == "Speeding on Elm" and row["contact"] is None
    assert row["status"] == "new"


def test_editors_see_contact_details(agency, item, casey, client_for):
    row = client_for(casey).get(_url(agency, f"/{item.pk}")).json()
    assert row["contact"]["email"] == "lucia@example.org"


def test_limit_offset_and_other_agencies(agency, other_agency, ana, client_for):
    InputFactory.create_batch(5, agency=agency)
    InputFactory.create(agency=other_agency)
    client = client_for(ana)
    assert len(client.get(_url(agency), {"limit": 2, "offset": 4}).json()) == 1
    elsewhere = InputFactory.create(agency=other_agency)
    assert client.get(_url(agency, f"/{elsewhere.pk}")).status_code == 404


def test_the_overdue_list_says_why(agency, ana, client_for):
    late = InputFactory.create(agency=agency, answer_by=timezone.localdate() - dt.timedelta(days=3))
    InputFactory.create(agency=agency)
    rows = client_for(ana).get(_url(agency, "/overdue")).json()
    assert [r["input"]["id"] for r in rows] == [late.pk]
    assert rows[0]["reason"] and rows[0]["input"]["is_overdue"] is True


def test_a_coordinator_sets_the_status_answers_and_notes(agency, item, casey, client_for):
    client = client_for(casey)
    response = client.post(
        _url(agency, f"/{item.pk}/status"),
        {"status": "in_progress"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    response = client.post(
        _url(agency, f"/{item.pk}/answer"),
        {"answer": "Radar van booked."},
        content_type="application/json",
    )
    assert response.json()["status"] == "answered"
    assert response.json()["public_answer"] == "Radar van booked."
    response = client.post(
        _url(agency, f"/{item.pk}/notes"),
        {"text": "Chief agreed."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert InputNote.objects.get(input=item).text == "Chief agreed."


def test_refused_transitions_and_empty_bodies_are_422(agency, item, casey, client_for):
    client = client_for(casey)
    url = _url(agency, f"/{item.pk}/status")
    assert client.post(url, {}, content_type="application/json").status_code == 422
    response = client.post(url, {"status": "answered"}, content_type="application/json")
    assert response.status_code == 422
    assert (
        client.post(
            _url(agency, f"/{item.pk}/answer"), {}, content_type="application/json"
        ).status_code
        == 422
    )


def test_analysts_read_but_may_not_write(agency, item, ana, client_for):
    client = client_for(ana)
    for suffix, body in (
        ("/status", {"status": "closed"}),
        ("/answer", {"answer": "x"}),
        ("/notes", {"text": "x"}),
    ):
        response = client.post(
            _url(agency, f"/{item.pk}{suffix}"), body, content_type="application/json"
        )
        assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_a_token_lets_a_script_answer(agency, item, casey, client_for):
    from django.test import Client

    from roundtable.accounts.services import api_token_create

    _token, raw = api_token_create(user=casey, name="script", second_factor=True)
    response = Client().post(
        _url(agency, f"/{item.pk}/answer"),
        {"answer": "Done."},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_coordinator_gives_an_input_an_owner_or_nobody(agency, item, casey, ana, client_for):
    from roundtable.audit.models import AuditEntry

    client = client_for(casey)
    url = _url(agency, f"/{item.pk}/owner")
    response = _post(client, url, {"owner": ana.username})
    assert response.status_code == 200 and response.json()["owner"] == ana.username
    assert AuditEntry.objects.filter(action="input.assign", object_id=str(item.pk)).exists()
    assert _post(client, url, {"owner": None}).json()["owner"] is None
    item.refresh_from_db()
    assert item.owner is None


def test_an_owner_must_be_named_and_be_staff_of_the_agency(
    agency, item, casey, rosa, uma, client_for
):
    client = client_for(casey)
    url = _url(agency, f"/{item.pk}/owner")
    assert _post(client, url, {}).status_code == 422
    for person in ("nobody-by-that-name", rosa.username, uma.username):
        assert _post(client, url, {"owner": person}).status_code == 422, person
    item.refresh_from_db()
    assert item.owner is None


def test_a_referral_is_made_listed_and_comes_back(
    agency, item, casey, ana, client_for, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.factories import OrganisationFactory

    housing = OrganisationFactory.create(agency=agency, name="Housing Department")
    client = client_for(casey)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            _url(agency, f"/{item.pk}/referrals"),
            {"to_organisation": housing.pk, "reference": "H-12"},
        )
    assert response.status_code == 201
    referral = response.json()
    assert referral["to_name"] == "Housing Department" and referral["returned_at"] is None
    assert "Housing Department" in mail.outbox[0].body  # the contributor is told
    item.refresh_from_db()
    assert item.status == Status.REFERRED
    listed = client_for(ana).get(_url(agency, f"/{item.pk}/referrals")).json()
    assert [r["id"] for r in listed] == [referral["id"]]

    back = _url(agency, f"/{item.pk}/referrals/{referral['id']}/return")
    assert _post(client, back, {}).status_code == 422  # say what they did
    response = _post(client, back, {"outcome": "Landlord fined."})
    assert response.status_code == 200
    assert response.json()["outcome"] == "Landlord fined." and response.json()["returned_at"]
    assert _post(client, back, {"outcome": "Again"}).status_code == 422
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS


def test_referrals_name_someone_of_this_agency(agency, other_agency, item, casey, client_for):
    from tests.factories import OrganisationFactory

    client = client_for(casey)
    url = _url(agency, f"/{item.pk}/referrals")
    assert _post(client, url, {}).status_code == 422  # nobody named
    elsewhere = OrganisationFactory.create(agency=other_agency)
    assert _post(client, url, {"to_organisation": elsewhere.pk}).status_code == 422
    other_input = InputFactory.create(agency=other_agency)
    referral = _post(client, url, {"to_name": "311"}).json()
    wrong = _url(agency, f"/{other_input.pk}/referrals/{referral['id']}/return")
    assert _post(client, wrong, {"outcome": "x"}).status_code == 404


def test_a_coordinator_releases_or_hides_an_input(agency, casey, client_for):
    from roundtable.inputs.models import Moderation

    held = InputFactory.create(agency=agency, moderation=Moderation.HELD)
    client = client_for(casey)
    url = _url(agency, f"/{held.pk}/moderation")
    assert _post(client, url, {}).status_code == 422
    assert _post(client, url, {"moderation": "held"}).status_code == 422
    assert _post(client, url, {"moderation": "hidden"}).status_code == 422  # say why
    response = _post(client, url, {"moderation": "hidden", "note": "Threats."})
    assert response.status_code == 200 and response.json()["moderation"] == "hidden"
    response = _post(client, url, {"moderation": "visible"})
    assert response.json()["moderation"] == "visible"
    assert held.__class__.objects.filter(pk=held.pk).exists()  # nothing deleted


def test_an_input_is_linked_to_an_event_of_its_agency_only(
    agency, other_agency, item, casey, client_for
):
    from roundtable.inputs.models import InputLink
    from tests.factories import EventFactory

    client = client_for(casey)
    url = _url(agency, f"/{item.pk}/links")
    assert _post(client, url, {}).status_code == 422
    elsewhere = EventFactory.create(agency=other_agency)
    assert _post(client, url, {"event": elsewhere.pk}).status_code == 422
    event = EventFactory.create(agency=agency, title="Beat meeting")
    response = _post(client, url, {"event": event.pk})
    assert response.status_code == 201
    assert response.json()["kind"] == "engagement.event"
    assert response.json()["item_id"] == event.pk
    assert InputLink.objects.get(input=item).item == event


def test_analysts_may_not_assign_refer_moderate_or_link(agency, item, ana, client_for):
    client = client_for(ana)
    for suffix, body in (
        ("/owner", {"owner": ana.username}),
        ("/referrals", {"to_name": "311"}),
        ("/moderation", {"moderation": "hidden", "note": "x"}),
        ("/links", {"event": 1}),
    ):
        assert _post(client, _url(agency, f"/{item.pk}{suffix}"), body).status_code == 403
    item.refresh_from_db()
    assert item.owner is None and item.status == Status.NEW and not item.referrals.exists()
