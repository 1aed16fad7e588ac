"""Who takes part: anonymous (a cookie token, only its hash kept), signed in,
or vouched for by another system's signed link."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs

import pytest
from django.db import IntegrityError

from roundtable.opinions.models import Participant
from roundtable.opinions.services import (
    external_id_from,
    new_participant_token,
    participant_for,
    participant_link,
)
from tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_participant_is_kept_only_as_the_hash_of_their_token(park):
    token = new_participant_token()
    person = participant_for(conversation=park, token=token)
    assert person is not None and person.number == 0
    stored = Participant.objects.get(pk=person.pk)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.token_hash, stored.external_id)
    assert stored.user is None and stored.external_id == ""
    # The same browser comes back as the same participant.
    again = participant_for(conversation=park, token=token)
    assert again is not None and again.pk == person.pk


def test_tokens_are_long_and_fresh_each_time():
    first, second = new_participant_token(), new_participant_token()
    assert first != second and len(first) >= 40


def test_numbers_follow_on_per_conversation(park, rosa, agency):
    numbers = [
        participant_for(conversation=park, token="a"),
        participant_for(conversation=park, user=rosa),
        participant_for(conversation=park, external_id="crm-17"),
    ]
    assert [p.number for p in numbers if p is not None] == [0, 1, 2]
    other = ConversationFactory.create(agency=agency)
    elsewhere = participant_for(conversation=other, user=rosa)
    assert elsewhere is not None and elsewhere.number == 0
    assert participant_for(conversation=park, user=rosa) == numbers[1]


def test_without_create_an_unknown_person_is_none(park, rosa):
    assert participant_for(conversation=park, token="unknown", create=False) is None
    assert participant_for(conversation=park, user=rosa, create=False) is None
    assert not Participant.objects.exists()


def test_exactly_one_way_of_knowing_someone(park, rosa):
    with pytest.raises(ValueError, match="exactly one"):
        participant_for(conversation=park)
    with pytest.raises(ValueError, match="exactly one"):
        participant_for(conversation=park, user=rosa, token="t")


def test_someone_joined_by_a_concurrent_request_is_read_not_duplicated(park, monkeypatch):
    """The other request wins the race: its row exists by the time this one
    inserts, the unique constraint refuses, and this one reads the winner."""
    from roundtable.opinions import services

    winner = Participant.objects.create(
        conversation=park, number=0, token_hash=services.token_hash("t")
    )
    real_lookup = services._participant
    calls = {"n": 0}

    def blind_first_two(conversation, key):
        # The first two lookups run before the other request's row is visible.
        calls["n"] += 1
        return None if calls["n"] <= 2 else real_lookup(conversation, key)

    monkeypatch.setattr(services, "_participant", blind_first_two)
    person = participant_for(conversation=park, token="t")
    assert person == winner
    assert Participant.objects.filter(conversation=park).count() == 1


def test_a_lookup_that_never_finds_the_conflicting_row_gives_up(park, monkeypatch):
    from roundtable.opinions import services

    Participant.objects.create(conversation=park, number=0, token_hash=services.token_hash("t"))
    monkeypatch.setattr(services, "_participant", lambda conversation, key: None)
    with pytest.raises(IntegrityError):
        participant_for(conversation=park, token="t")


def test_a_signed_link_names_the_external_participant_for_this_conversation_only(park, agency):
    query = participant_link(conversation=park, external_id="crm-17")
    params = {k: v[0] for k, v in parse_qs(query.lstrip("?")).items()}
    assert params["xid"] == "crm-17"
    assert external_id_from(conversation=park, xid="crm-17", sig=params["sig"]) == "crm-17"
    # Altered id, altered signature, another conversation: refused.
    assert external_id_from(conversation=park, xid="crm-18", sig=params["sig"]) is None
    assert external_id_from(conversation=park, xid="crm-17", sig=params["sig"] + "x") is None
    other = ConversationFactory.create(agency=agency)
    assert external_id_from(conversation=other, xid="crm-17", sig=params["sig"]) is None
    assert external_id_from(conversation=park, xid="", sig="") is None
