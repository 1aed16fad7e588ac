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
