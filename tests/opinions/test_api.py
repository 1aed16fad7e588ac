"""The conversations API: staff read conversations and their analysis; other
systems take part for the people they know, with signed participant links."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from django.test import Client, override_settings

from roundtable.api.root import api
from roundtable.opinions import services
from roundtable.opinions.models import Conversation, Participant, Statement, Vote
from roundtable.opinions.services import conversation_create
from roundtable.opinions.services_analysis import analysis_run

pytestmark = pytest.mark.django_db


def staff_url(conversation: Conversation, tail: str = "") -> str:
    return f"/api/v1/agencies/{conversation.agency.slug}/conversations{tail}"


def public_url(conversation: Conversation, tail: str = "") -> str:
    return f"/api/v1/public/{conversation.agency.slug}/conversations/{conversation.pk}{tail}"


def signed(conversation: Conversation, xid: str) -> dict[str, str]:
    query = services.participant_link(conversation=conversation, external_id=xid)
    return {k: v[0] for k, v in parse_qs(query.lstrip("?")).items()}


def post(client: Client, url: str, body: dict[str, object]):
    return client.post(url, json.dumps(body), content_type="application/json")


# --- Staff ---


def test_staff_list_the_conversations_with_their_counts(park, planted, ana, casey, client_for):
    closed = conversation_create(actor=casey, agency=park.agency, title="Old", question="Q?")
    Conversation.objects.filter(pk=closed.pk).update(status=Conversation.Status.CLOSED)
    response = client_for(ana).get(staff_url(park))
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {park.pk, closed.pk}
    assert rows[park.pk]["participants"] == 20 and rows[park.pk]["votes"] == 140
    assert rows[park.pk]["statements"] == 7 and rows[park.pk]["awaiting_moderation"] == 0
    only_open = client_for(ana).get(staff_url(park), {"status": "open"}).json()
    assert [row["id"] for row in only_open] == [park.pk]


def test_the_analysis_is_the_stored_result(park, planted, cleo, client_for):
    client = client_for(cleo)
    before = client.get(staff_url(park, f"/{park.pk}/analysis"))
    assert before.status_code == 404 and "No analysis yet" in before.json()["detail"]
    analysis = analysis_run(conversation=park)
    data = client.get(staff_url(park, f"/{park.pk}/analysis")).json()
    assert data["vote_count"] == 140 and data["participant_count"] == 20
    assert data["group_count"] == analysis.group_count and not data["recompute_queued"]
    assert data["result"] == json.loads(json.dumps(analysis.result))
    assert {"participants", "groups", "consensus", "group_informed_consensus"} <= set(
        data["result"]
    )


def test_staff_endpoints_refuse_who_they_must(park, rosa, pat, uma, client_for):
    own = conversation_create(actor=pat, agency=park.agency, title="Club", question="Q?")
    for url in (staff_url(park), staff_url(park, f"/{park.pk}/analysis")):
        assert Client().get(url).status_code == 401
        for person in (rosa, pat, uma):
            assert client_for(person).get(url).status_code == 403, person
    # Partners run their conversations on the web pages, not through the API.
    assert client_for(pat).get(staff_url(own, f"/{own.pk}/analysis")).status_code == 403


def test_another_agencys_conversation_is_not_found(park, other_agency, uma, client_for):
    url = f"/api/v1/agencies/{other_agency.slug}/conversations/{park.pk}/analysis"
    assert client_for(uma).get(url).status_code == 404


def test_the_endpoints_are_documented():
    paths = api.get_openapi_schema()["paths"]
    assert "/api/v1/agencies/{slug}/conversations" in paths
    assert "/api/v1/public/{agency}/conversations/{pk}/votes" in paths
    assert "/api/v1/public/{agency}/conversations/{pk}/next" in paths


# --- Public: another system takes part for the people it knows ---


def test_anyone_reads_an_open_conversation(park, planted):
    response = Client().get(public_url(park))
    data = response.json()
    assert response.status_code == 200
    assert data["question"] == park.question and data["status"] == "open"
    assert data["participants"] == 20 and data["statements"] == 7
    assert data["vote_url"].endswith(f"/p/riverside/conversations/{park.pk}/")


def test_a_closed_conversation_offers_nothing_more_to_vote_on(park):
    Conversation.objects.filter(pk=park.pk).update(status=Conversation.Status.CLOSED)
    data = Client().get(public_url(park, "/next"), signed(park, "panel-1")).json()
    assert data == {"statement": None, "voted": 0, "visible": 7}


def test_a_closed_unpublished_conversation_is_not_found(park):
    Conversation.objects.filter(pk=park.pk).update(
        status=Conversation.Status.CLOSED, public_report=False
    )
    assert Client().get(public_url(park)).status_code == 404


def test_a_person_from_another_system_votes_through_to_the_end(park):
    script = Client(enforce_csrf_checks=True)
    link = signed(park, "panel-7")
    first = script.get(public_url(park, "/next"), link)
    assert first.status_code == 200
    assert first.json()["voted"] == 0 and first.json()["visible"] == 7
    # Asking creates nobody.
    assert not Participant.objects.exists()
    seen = set()
    for _ in range(7):
        statement = script.get(public_url(park, "/next"), link).json()["statement"]
        seen.add(statement["statement"])
        answer = post(script, public_url(park, "/votes"), {**link, **statement, "vote": -1})
        assert answer.status_code == 200, answer.content
    assert seen == set(range(7))
    done = script.get(public_url(park, "/next"), link).json()
    assert done == {"statement": None, "voted": 7, "visible": 7}
    person = Participant.objects.get()
    assert person.external_id == "panel-7" and person.token_hash == "" and person.user is None
    assert set(Vote.objects.values_list("value", flat=True)) == {-1}


def test_a_second_vote_replaces_the_first(park):
    link = signed(park, "panel-8")
    post(Client(), public_url(park, "/votes"), {**link, "statement": 2, "vote": 1})
    answer = post(Client(), public_url(park, "/votes"), {**link, "statement": 2, "vote": 0})
    assert answer.json() == {"statement": 2, "vote": 0, "voted": 1, "visible": 7}
    assert list(Vote.objects.values_list("value", flat=True)) == [0]


def test_a_wrong_signature_is_refused_and_stores_nothing(park, casey):
    link = signed(park, "panel-9")
    forged = {"xid": "panel-10", "sig": link["sig"]}
    assert Client().get(public_url(park, "/next"), forged).status_code == 403
    for tail, body in (("/votes", {"statement": 1, "vote": 1}), ("/statements", {"text": "Hi"})):
        assert post(Client(), public_url(park, tail), {**forged, **body}).status_code == 403
    # A missing statement does not hide a forged signature.
    assert (
        post(
            Client(), public_url(park, "/votes"), {**forged, "statement": 99, "vote": 1}
        ).status_code
        == 403
    )
    other = conversation_create(actor=casey, agency=park.agency, title="Other", question="Q?")
    assert Client().get(public_url(other, "/next"), link).status_code == 403
    assert not Participant.objects.exists() and not Vote.objects.exists()


def test_refused_votes_leave_no_participant(park):
    link = signed(park, "panel-11")
    unknown = post(Client(), public_url(park, "/votes"), {**link, "statement": 99, "vote": 1})
    assert unknown.status_code == 404
    bad = post(Client(), public_url(park, "/votes"), {**link, "statement": 1, "vote": 2})
    assert bad.status_code == 422
    Conversation.objects.filter(pk=park.pk).update(status=Conversation.Status.CLOSED)
    closed = post(Client(), public_url(park, "/votes"), {**link, "statement": 1, "vote": 1})
    assert closed.status_code == 422 and "closed" in closed.json()["detail"]
    assert not Participant.objects.exists()


def test_a_statement_awaiting_moderation_cannot_be_voted_on(park, planted):
    waiting = services.statement_submit(participant=planted.youth[0], text="More benches.")
    link = signed(park, "panel-12")
    answer = post(
        Client(), public_url(park, "/votes"), {**link, "statement": waiting.number, "vote": 1}
    )
    assert answer.status_code == 404


def test_a_statement_from_another_system_awaits_the_moderator(park):
    link = signed(park, "panel-13")
    answer = post(
        Client(), public_url(park, "/statements"), {**link, "text": "Free sports in the park."}
    )
    assert answer.status_code == 201
    data = answer.json()
    assert data["moderation"] == "unmoderated" and data["visible"] is False
    statement = Statement.objects.get(number=data["statement"], conversation=park)
    assert statement.author is not None and statement.author.external_id == "panel-13"
    assert Vote.objects.get(statement=statement).value == 1  # the author agrees
    twice = post(
        Client(), public_url(park, "/statements"), {**link, "text": "Free sports in the park."}
    )
    assert twice.status_code == 422
    long = post(Client(), public_url(park, "/statements"), {**link, "text": "x" * 281})
    assert long.status_code == 422


def test_permissive_conversations_show_new_statements_at_once(park):
    Conversation.objects.filter(pk=park.pk).update(moderation=Conversation.Moderation.PERMISSIVE)
    link = signed(park, "panel-14")
    data = post(
        Client(), public_url(park, "/statements"), {**link, "text": "Water fountains."}
    ).json()
    assert data["visible"] is True


@override_settings(ROUNDTABLE_OPINION_VOTE_LIMIT=3, ROUNDTABLE_OPINION_STATEMENT_LIMIT=1)
def test_votes_and_statements_are_rate_limited(park):
    link = signed(park, "panel-15")
    codes = [
        post(Client(), public_url(park, "/votes"), {**link, "statement": n, "vote": 1}).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert Vote.objects.count() == 3
    said = [
        post(Client(), public_url(park, "/statements"), {**link, "text": f"Idea {n}"}).status_code
        for n in range(2)
    ]
    assert said == [201, 429]
