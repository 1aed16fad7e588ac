"""Adding a statement of one's own to a public conversation (no account, no JavaScript)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.opinions.models import Conversation, Participant, Statement, Vote
from roundtable.opinions.services import STATEMENT_MAX_LENGTH
from roundtable.opinions.views_public_identity import token_cookie

pytestmark = pytest.mark.django_db

NEW = "Benches by the playground so parents can keep an eye on things."


def _url(name: str, conversation: Conversation, query: str = "") -> str:
    return (
        reverse(f"opinions_public:{name}", args=[conversation.agency.slug, conversation.pk]) + query
    )


def _new_statement(conversation: Conversation) -> Statement | None:
    return Statement.objects.filter(conversation=conversation, is_seed=False).first()


def test_the_form_states_the_limit_and_reading_it_creates_nothing(park, client):
    response = client.get(_url("add", park))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'maxlength="{STATEMENT_MAX_LENGTH}"' in body
    assert f"up to {STATEMENT_MAX_LENGTH} characters" in body  # said in words, no script
    assert "once they have" in body  # strict: a moderator reads it first
    assert not Participant.objects.exists()
    assert token_cookie(park) not in response.cookies


def test_under_strict_moderation_a_statement_waits_for_a_moderator(park, client):
    response = client.post(_url("add", park), {"text": f"  {NEW}  "})
    assert response.status_code == 302
    assert response["Location"] == _url("vote", park, "?added=1")
    statement = _new_statement(park)
    assert statement is not None
    assert statement.text == NEW and statement.moderation == Statement.Moderation.UNMODERATED
    assert statement.number == 7 and statement.language == "en"
    # Its author is this browser's anonymous participant, who agrees with it.
    author = statement.author
    assert author is not None and author.token_hash != "" and author.user is None
    assert Vote.objects.get(statement=statement).participant == author
    assert token_cookie(park) in response.cookies
    follow = client.get(response["Location"]).content.decode()
    assert "It will appear once a moderator has read it" in follow
    # Not shown to vote on until a moderator accepts it.
    assert "You have voted on 0 of 7 statements." in follow
    assert NEW not in follow


def test_under_permissive_moderation_it_appears_at_once(park, client):
    park.moderation = Conversation.Moderation.PERMISSIVE
    park.save()
    form = client.get(_url("add", park)).content.decode()
    assert "appears for others to vote on at once" in form
    response = client.post(_url("add", park), {"text": NEW})
    follow = client.get(response["Location"]).content.decode()
    assert "others can now vote on it" in follow
    # Its author has voted on it already; everyone else sees it.
    assert "You have voted on 1 of 8 statements." in follow
    other = Client().get(_url("vote", park)).content.decode()
    assert "You have voted on 0 of 8 statements." in other


def test_an_author_who_then_votes_stays_one_participant(park, client):
    client.post(_url("add", park), {"text": NEW})
    client.post(_url("vote", park), {"statement": 0, "vote": "disagree"})
    assert Participant.objects.count() == 1
    assert Vote.objects.count() == 2


def test_a_statement_in_spanish_is_recorded_in_spanish(settings, park, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.post(_url("add", park), {"text": "Más luz en los caminos del parque por la noche."})
    statement = _new_statement(park)
    assert statement is not None and statement.language == "es"


def test_a_statement_too_long_is_sent_back_with_nothing_kept(park, client):
    text = "x" * (STATEMENT_MAX_LENGTH + 12)
    response = client.post(_url("add", park), {"text": text})
    body = response.content.decode()
    assert response.status_code == 400
    assert f"it has {STATEMENT_MAX_LENGTH + 12}" in body  # the count, without a script
    assert text in body  # nothing typed is lost
    assert _new_statement(park) is None and not Participant.objects.exists()


def test_a_statement_already_in_the_conversation_is_refused_and_no_participant_is_left(
    park, client
):
    response = client.post(_url("add", park), {"text": "the paths need better lighting."})
    assert response.status_code == 400
    assert "already in the conversation" in response.content.decode()
    assert _new_statement(park) is None
    assert not Participant.objects.exists()
    assert token_cookie(park) not in response.cookies


def test_an_empty_statement_is_asked_again(park, client):
    response = client.post(_url("add", park), {"text": "   "})
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_a_bot_in_the_honeypot_is_answered_as_a_person_and_nothing_is_kept(park, client):
    response = client.post(_url("add", park), {"text": NEW, "website": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == _url("vote", park, "?added=1")
    assert _new_statement(park) is None and not Participant.objects.exists()


def test_many_statements_from_one_place_are_limited_politely(settings, park, client):
    settings.ROUNDTABLE_OPINION_STATEMENT_LIMIT = 1
    first = client.post(_url("add", park), {"text": NEW}, REMOTE_ADDR="198.51.100.4")
    assert first.status_code == 302
    limited = client.post(_url("add", park), {"text": NEW + " Two."}, REMOTE_ADDR="198.51.100.4")
    assert limited.status_code == 429
    assert "Please take a break" in limited.content.decode()
    assert limited["Retry-After"] == str(settings.ROUNDTABLE_OPINION_STATEMENT_WINDOW)
    assert Statement.objects.filter(conversation=park, is_seed=False).count() == 1


def test_no_statements_where_the_conversation_takes_none(park, client):
    park.allow_statements = False
    park.save()
    assert client.get(_url("add", park)).status_code == 404
    assert client.post(_url("add", park), {"text": NEW}).status_code == 404
    assert _url("add", park) not in client.get(_url("vote", park)).content.decode()


def test_a_closed_conversation_takes_no_statements(park, client):
    park.status = Conversation.Status.CLOSED
    park.save()
    assert "This conversation is closed" in client.get(_url("add", park)).content.decode()
    assert client.post(_url("add", park), {"text": NEW}).status_code == 409
    assert _new_statement(park) is None
