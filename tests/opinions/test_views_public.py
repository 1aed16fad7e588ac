"""Public conversations: the list and voting one statement at a time, by anyone,
with no account and no JavaScript."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.opinions import services
from roundtable.opinions.models import Conversation, Participant, Statement, Vote
from roundtable.opinions.views_public_identity import token_cookie, xid_cookie
from tests.factories import ConversationFactory, StatementFactory
from tests.opinions.conftest import PARK_STATEMENTS, plant_votes

pytestmark = pytest.mark.django_db


def _url(name: str, conversation: Conversation, query: str = "") -> str:
    return (
        reverse(f"opinions_public:{name}", args=[conversation.agency.slug, conversation.pk]) + query
    )


def _shown(response) -> int:
    """The number of the statement on the page (from the form's hidden field)."""
    found = re.search(r'name="statement" value="(\d+)"', response.content.decode())
    assert found is not None, "no statement on the page"
    return int(found.group(1))


def _vote(client: Client, conversation: Conversation, choice: str = "agree", **extra):
    number = _shown(client.get(_url("vote", conversation)))
    return number, client.post(
        _url("vote", conversation), {"statement": number, "vote": choice}, **extra
    )


# --- The list ---


def test_anyone_sees_open_conversations_and_closed_ones_with_a_report(
    agency, other_agency, park, client
):
    closed = ConversationFactory.create(
        agency=agency, title="The talk of last year", status=Conversation.Status.CLOSED
    )
    unpublished = ConversationFactory.create(
        agency=agency,
        title="Closed and unpublished",
        status=Conversation.Status.CLOSED,
        public_report=False,
    )
    elsewhere = ConversationFactory.create(agency=other_agency, title="The campus after dark")
    response = client.get(reverse("opinions_public:list", args=[agency.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert park.title in body and _url("vote", park) in body
    assert closed.title in body and _url("report", closed) in body
    assert f'href="{_url("vote", closed)}"' not in body
    assert unpublished.title not in body
    assert elsewhere.title not in body


def test_the_list_reads_a_bounded_number_of_rows(agency, client, django_assert_max_num_queries):
    for n in range(12):
        conversation = ConversationFactory.create(agency=agency, title=f"Conversation {n}")
        plant_votes_free(conversation)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("opinions_public:list", args=[agency.slug]))
    assert response.content.decode().count("Take part") == 12


def plant_votes_free(conversation: Conversation) -> None:
    """A participant with one vote, so the list has counts to show."""
    statement = StatementFactory.create(conversation=conversation)
    participant = services.participant_for(conversation=conversation, external_id="x")
    assert participant is not None
    services.vote_cast(participant=participant, statement=statement, value=Vote.Value.AGREE)


def test_the_agency_home_links_to_the_conversations(agency, client):
    body = client.get(reverse("inputs_public:agency", args=[agency.slug])).content.decode()
    assert reverse("opinions_public:list", args=[agency.slug]) in body


# --- Reading ---


def test_reading_the_vote_page_creates_nothing(park, client):
    response = client.get(_url("vote", park))
    body = response.content.decode()
    assert response.status_code == 200
    assert park.question in body
    assert PARK_STATEMENTS[_shown(response)] in body
    for label in ("Agree", "Disagree", "Pass / unsure"):
        assert f">{label}</button>" in body
    assert "You have voted on 0 of 7 statements." in body
    assert _url("add", park) in body and _url("report", park) in body
    assert "no-cache" in response["Cache-Control"]
    assert not Participant.objects.exists() and not Vote.objects.exists()
    assert token_cookie(park) not in response.cookies


def test_a_statement_awaiting_moderation_is_not_shown(park, client):
    Statement.objects.filter(conversation=park).exclude(number=3).update(
        moderation=Statement.Moderation.UNMODERATED
    )
    for _ in range(5):
        assert _shown(client.get(_url("vote", park))) == 3


def test_another_agencys_address_does_not_show_the_conversation(other_agency, park, client):
    url = reverse("opinions_public:vote", args=[other_agency.slug, park.pk])
    assert client.get(url).status_code == 404


# --- Voting without JavaScript ---


def test_a_vote_is_stored_and_the_next_statement_follows(park, client):
    number, response = _vote(
        client, park, "disagree", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Mozilla/5.0 (Secret)"
    )
    assert response.status_code == 302
    assert response["Location"] == _url("vote", park, "?voted=1")
    vote = Vote.objects.get()
    assert vote.statement.number == number and vote.value == Vote.Value.DISAGREE
    # The participant is the anonymous token in this browser's cookie, stored hashed.
    token = response.cookies[token_cookie(park)].value
    assert vote.participant.token_hash == hashlib.sha256(token.encode()).hexdigest()
    follow = client.get(response["Location"])
    body = follow.content.decode()
    assert "your vote is counted" in body
    assert "You have voted on 1 of 7 statements." in body
    assert _shown(follow) != number


def test_the_cookie_is_a_random_code_and_nothing_about_the_person_is_kept(park, client):
    _number, response = _vote(
        client, park, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Mozilla/5.0 (Secret)"
    )
    cookie = response.cookies[token_cookie(park)]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie.value)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == _url("vote", park)
    participant = Participant.objects.get()
    assert participant.user is None and participant.external_id == ""
    assert cookie.value not in participant.token_hash
    for model in (participant, Vote.objects.get()):
        values = [str(getattr(model, f.attname)) for f in model._meta.concrete_fields]
        assert not any("203.0.113" in v or "Mozilla" in v for v in values)


def test_one_visitor_stays_one_participant_and_a_second_is_another(park, client):
    _vote(client, park)
    _vote(client, park, "pass")
    other = Client()
    _vote(other, park, "disagree")
    assert Participant.objects.count() == 2
    counts = sorted(p.votes.count() for p in Participant.objects.all())
    assert counts == [1, 2]
    numbers = sorted(Participant.objects.values_list("number", flat=True))
    assert numbers == [0, 1]


def test_the_vote_goes_to_the_statement_the_page_showed(park, client):
    shown = _shown(client.get(_url("vote", park)))
    data = {"statement": shown, "vote": "agree"}
    client.post(_url("vote", park), data)
    # The same form sent twice (a double click, a stale tab): the same statement, once.
    client.post(_url("vote", park), data)
    vote = Vote.objects.get()
    assert vote.statement.number == shown


def test_a_vote_on_a_statement_not_open_for_votes_is_refused(park, client):
    hidden = Statement.objects.get(conversation=park, number=2)
    hidden.moderation = Statement.Moderation.REJECTED
    hidden.save()
    response = client.post(_url("vote", park), {"statement": 2, "vote": "agree"})
    assert response.status_code == 409
    assert "not open for votes" in response.content.decode()
    assert _shown(response) != 2  # with another statement to go on
    assert not Vote.objects.exists() and not Participant.objects.exists()
    assert token_cookie(park) not in response.cookies


def test_a_vote_without_a_choice_is_asked_again(park, client):
    response = client.post(_url("vote", park), {"statement": 0})
    assert response.status_code == 400
    assert "Please choose Agree, Disagree or Pass." in response.content.decode()
    assert not Vote.objects.exists() and not Participant.objects.exists()


def test_when_everything_is_voted_on_the_page_says_so(park, client):
    for _ in PARK_STATEMENTS:
        _vote(client, park)
    body = client.get(_url("vote", park)).content.decode()
    assert "You have voted on every statement for now" in body
    assert 'name="statement"' not in body
    assert "You have voted on 7 of 7 statements." in body


# --- With htmx ---


def test_htmx_gets_the_card_alone_and_the_next_statement_after_a_vote(park, client):
    card = client.get(_url("vote", park), HTTP_HX_REQUEST="true")
    body = card.content.decode()
    assert body.lstrip().startswith('<div id="opinion-vote"')
    assert "<html" not in body and "autofocus" in body
    response = client.post(
        _url("vote", park), {"statement": _shown(card), "vote": "agree"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="opinion-vote"') and "<html" not in body
    assert "your vote is counted" in body and "You have voted on 1 of 7" in body
    assert _shown(response) != _shown(card)
    assert token_cookie(park) in response.cookies
    assert Vote.objects.count() == 1


def test_htmx_refusals_answer_200_so_the_message_is_swapped_in(settings, park, client):
    settings.ROUNDTABLE_OPINION_VOTE_LIMIT = 0
    response = client.post(
        _url("vote", park), {"statement": 0, "vote": "agree"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Please take a break" in response.content.decode()
    assert not Vote.objects.exists()


# --- Signed-in people and links from other systems ---


def test_a_signed_in_resident_votes_as_themselves(park, rosa, client_for):
    client = client_for(rosa)
    _number, response = _vote(client, park)
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.user == rosa and participant.token_hash == ""
    assert token_cookie(park) not in response.cookies
    _vote(client, park)
    assert Participant.objects.count() == 1 and Vote.objects.count() == 2


def test_a_signed_link_from_another_system_identifies_the_participant(park, client):
    query = services.participant_link(conversation=park, external_id="crm-4711")
    arrived = client.get(_url("vote", park, query))
    # The id leaves the address bar; the browser keeps it, signed, for this conversation.
    assert arrived.status_code == 302 and arrived["Location"] == _url("vote", park)
    cookie = arrived.cookies[xid_cookie(park)]
    assert cookie["httponly"] and cookie["path"] == _url("vote", park)
    assert not Participant.objects.exists()  # following a link is not taking part
    _number, response = _vote(client, park)
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.external_id == "crm-4711" and participant.token_hash == ""


def test_a_link_with_a_bad_signature_is_refused(park, client):
    query = services.participant_link(conversation=park, external_id="crm-4711")
    forged = query.replace("crm-4711", "crm-4712")
    response = client.get(_url("vote", park, forged))
    assert response.status_code == 403
    assert "This link does not work" in response.content.decode()
    assert xid_cookie(park) not in response.cookies
    # A link made for another conversation does not work here either.
    elsewhere = ConversationFactory.create(agency=park.agency)
    other_query = services.participant_link(conversation=elsewhere, external_id="crm-4711")
    assert client.get(_url("vote", park, other_query)).status_code == 403


def test_a_tampered_link_cookie_is_ignored(park, client):
    client.cookies[xid_cookie(park)] = "crm-4711"  # unsigned: written by hand
    _vote(client, park)
    participant = Participant.objects.get()
    assert participant.external_id == "" and participant.token_hash != ""


# --- Limits and closed conversations ---


def test_repeated_votes_from_one_place_are_limited_politely(settings, park, client):
    settings.ROUNDTABLE_OPINION_VOTE_LIMIT = 2
    for _ in range(2):
        assert _vote(client, park, REMOTE_ADDR="198.51.100.4")[1].status_code == 302
    _number, limited = _vote(client, park, REMOTE_ADDR="198.51.100.4")
    assert limited.status_code == 429
    assert "Please take a break" in limited.content.decode()
    assert limited["Retry-After"] == str(settings.ROUNDTABLE_OPINION_VOTE_WINDOW)
    assert Vote.objects.count() == 2
    # Another place is not held back by this one.
    assert _vote(Client(), park, REMOTE_ADDR="198.51.100.5")[1].status_code == 302


def test_a_closed_conversation_takes_no_votes_and_points_to_the_report(park, client):
    park.status = Conversation.Status.CLOSED
    park.save()
    page = client.get(_url("vote", park))
    assert page.status_code == 200
    assert "This conversation is closed" in page.content.decode()
    assert _url("report", park) in page.content.decode()
    refused = client.post(_url("vote", park), {"statement": 0, "vote": "agree"})
    assert refused.status_code == 409
    assert not Vote.objects.exists() and not Participant.objects.exists()


def test_a_closed_conversation_without_a_report_is_not_found(park, client):
    park.status = Conversation.Status.CLOSED
    park.public_report = False
    park.save()
    assert client.get(_url("vote", park)).status_code == 404


# --- Query counts ---


def test_the_vote_page_reads_a_bounded_number_of_rows(park, client, django_assert_max_num_queries):
    plant_votes(park, 30)
    _vote(client, park)
    with django_assert_max_num_queries(7):
        response = client.get(_url("vote", park))
    assert "You have voted on 1 of 7" in response.content.decode()
    data = {"statement": _shown(response), "vote": "agree"}
    with django_assert_max_num_queries(10):
        assert client.post(_url("vote", park), data).status_code == 302
