"""Opening, editing and closing conversations; seed, submitted and moderated
statements; common ground taken to the shortlist."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.opinions.models import Conversation, Statement, Vote
from roundtable.opinions.services import (
    STATEMENT_MAX_LENGTH,
    conversation_create,
    conversation_set_status,
    conversation_update,
    participant_for,
    statement_add_seed,
    statement_moderate,
    statement_submit,
    statement_to_candidate,
)
from roundtable.priorities.models import Candidate
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_casey_opens_a_conversation_with_accepted_seed_statements(park, casey):
    statements = list(park.statements.order_by("number"))
    assert [s.number for s in statements] == list(range(7))
    assert statements[4].text == "The paths need better lighting."
    assert all(s.is_seed and s.moderation == Statement.Moderation.ACCEPTED for s in statements)
    assert all(s.moderated_by == casey for s in statements)
    assert park.created_by == casey and park.moderation == Conversation.Moderation.STRICT
    entry = AuditEntry.objects.get(action="opinions.conversation.create")
    assert entry.actor == casey and entry.object_id == str(park.pk)
    assert entry.after is not None and entry.after["title"] == "Harlow Park after dark"


def test_a_conversation_needs_a_title_a_question_and_its_own_agencys_partner(
    agency, other_agency, casey
):
    with pytest.raises(ValidationError) as caught:
        conversation_create(actor=casey, agency=agency, title="  ", question="Why?")
    assert "title" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        conversation_create(actor=casey, agency=agency, title="Park", question="")
    assert "question" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        conversation_create(
            actor=casey,
            agency=agency,
            title="Park",
            question="Why?",
            organisation=OrganisationFactory.create(agency=other_agency),
        )
    assert "organisation" in caught.value.message_dict
    with pytest.raises(ValidationError):
        conversation_create(
            actor=casey, agency=agency, title="Park", question="Why?", moderation="lax"
        )
    with pytest.raises(ValidationError) as caught:
        conversation_create(
            actor=casey,
            agency=agency,
            title="Park",
            question="Why?",
            seed_statements=["Lights, please.", "lights,  please."],
        )
    assert "seed_statements" in caught.value.message_dict
    assert not Conversation.objects.exists()


def test_editing_and_closing_are_audited_with_what_changed(park, casey, agency):
    library = OrganisationFactory.create(agency=agency, name="Eastbank Library Friends")
    conversation_update(
        actor=casey,
        conversation=park,
        title="Harlow Park after dark",
        question=park.question,
        description="Lights went out in March.",
        moderation=Conversation.Moderation.PERMISSIVE,
        allow_statements=False,
        public_report=False,
        organisation=library,
    )
    park.refresh_from_db()
    assert park.moderation == "permissive" and park.organisation == library
    entry = AuditEntry.objects.get(action="opinions.conversation.update")
    assert entry.before == {
        "description": "",
        "moderation": "strict",
        "allow_statements": True,
        "public_report": True,
        "organisation": None,
    }
    conversation_set_status(actor=casey, conversation=park, status=Conversation.Status.CLOSED)
    assert Conversation.objects.get(pk=park.pk).status == "closed"
    assert AuditEntry.objects.filter(action="opinions.conversation.status").count() == 1
    # Closing a closed conversation changes nothing and logs nothing.
    conversation_set_status(actor=casey, conversation=park, status=Conversation.Status.CLOSED)
    assert AuditEntry.objects.filter(action="opinions.conversation.status").count() == 1
    with pytest.raises(ValidationError):
        conversation_set_status(actor=casey, conversation=park, status="paused")


def test_staff_add_a_seed_statement_numbered_after_the_last(park, casey):
    added = statement_add_seed(
        actor=casey, conversation=park, text="  I   don't know the park well. ", is_meta=True
    )
    assert added.number == 7 and added.is_meta and added.text == "I don't know the park well."
    assert added.moderation == Statement.Moderation.ACCEPTED
    assert AuditEntry.objects.filter(action="opinions.statement.seed").count() == 1
    with pytest.raises(ValidationError):
        statement_add_seed(actor=casey, conversation=park, text="THE PATHS NEED BETTER LIGHTING.")


def test_a_participants_statement_awaits_moderation_and_carries_their_agree_vote(park):
    rosa_there = participant_for(conversation=park, token="rosa-browser")
    assert rosa_there is not None
    statement = statement_submit(
        participant=rosa_there, text="Benches near the playground.", language="es"
    )
    assert statement.number == 7 and statement.author == rosa_there
    assert statement.moderation == Statement.Moderation.UNMODERATED and not statement.is_seed
    assert statement.language == "es"
    vote = Vote.objects.get(statement=statement)
    assert vote.participant == rosa_there and vote.value == Vote.Value.AGREE
    # A participant's own statement is not a staff action.
    assert not AuditEntry.objects.filter(object_type="opinions.statement").exists()


@pytest.mark.parametrize(
    "text", ["", "   ", "x" * (STATEMENT_MAX_LENGTH + 1), "the park should close at dusk."]
)
def test_empty_overlong_and_repeated_statements_are_refused(park, text):
    person = participant_for(conversation=park, token="t")
    assert person is not None
    with pytest.raises(ValidationError):
        statement_submit(participant=person, text=text)
    assert park.statements.count() == 7 and not Vote.objects.exists()


def test_statements_are_refused_when_closed_or_not_allowed(park, casey):
    person = participant_for(conversation=park, token="t")
    assert person is not None
    park.allow_statements = False
    park.save()
    with pytest.raises(ValidationError, match="does not take new statements"):
        statement_submit(participant=person, text="Benches.")
    park.allow_statements = True
    park.status = Conversation.Status.CLOSED
    park.save()
    with pytest.raises(ValidationError, match="closed"):
        statement_submit(participant=person, text="Benches.")
    assert park.statements.count() == 7


def test_a_statement_of_exactly_the_limit_is_taken(park):
    person = participant_for(conversation=park, token="t")
    assert person is not None
    statement = statement_submit(participant=person, text="y" * STATEMENT_MAX_LENGTH)
    assert len(statement.text) == STATEMENT_MAX_LENGTH


def test_moderation_is_recorded_and_audited(park, casey):
    person = participant_for(conversation=park, token="t")
    assert person is not None
    statement = statement_submit(participant=person, text="Fewer dogs off the lead.")
    statement_moderate(
        actor=casey, statement=statement, moderation=Statement.Moderation.REJECTED, is_meta=True
    )
    statement.refresh_from_db()
    assert statement.moderation == "rejected" and statement.is_meta
    assert statement.moderated_by == casey and statement.moderated_at is not None
    entry = AuditEntry.objects.get(action="opinions.statement.moderate")
    assert entry.before == {"moderation": "unmoderated", "is_meta": False}
    assert entry.after == {"moderation": "rejected", "is_meta": True}
    # Moderated out, never deleted: the votes stay in the record.
    assert statement.votes.count() == 1
    # is_meta=None leaves the flag alone.
    statement_moderate(actor=casey, statement=statement, moderation="accepted")
    statement.refresh_from_db()
    assert statement.is_meta and statement.moderation == "accepted"
    with pytest.raises(ValidationError):
        statement_moderate(actor=casey, statement=statement, moderation="hidden")


def test_common_ground_becomes_a_candidate_linked_to_its_statement(park, casey, agency):
    lighting = park.statements.get(number=4)
    candidate = statement_to_candidate(actor=casey, statement=lighting)
    assert candidate.agency == agency and candidate.title == "The paths need better lighting."
    assert candidate.source == Candidate.Source.CONVERSATION
    assert candidate.status == Candidate.Status.ACTIVE and candidate.created_by == casey
    assert "Harlow Park after dark" in candidate.description
    lighting.refresh_from_db()
    assert lighting.candidate == candidate
    assert AuditEntry.objects.filter(action="priorities.candidate.create").count() == 1
    entry = AuditEntry.objects.get(action="opinions.statement.shortlist")
    assert entry.after == {"candidate": candidate.pk}
    with pytest.raises(ValidationError, match="already"):
        statement_to_candidate(actor=casey, statement=lighting)
    assert Candidate.objects.count() == 1


def test_moderated_out_and_meta_statements_never_become_candidates(park, casey):
    dusk = park.statements.get(number=6)
    statement_moderate(actor=casey, statement=dusk, moderation="rejected")
    with pytest.raises(ValidationError):
        statement_to_candidate(actor=casey, statement=dusk)
    meta = statement_add_seed(actor=casey, conversation=park, text="I rarely go.", is_meta=True)
    with pytest.raises(ValidationError):
        statement_to_candidate(actor=casey, statement=meta)
    assert not Candidate.objects.exists()


def test_a_long_statement_gets_a_shortened_title_and_keeps_its_text(park, casey):
    long = statement_add_seed(actor=casey, conversation=park, text="Lamp " * 50)
    candidate = statement_to_candidate(actor=casey, statement=long)
    assert len(candidate.title) == 200 and candidate.title.endswith("…")
    assert long.text in candidate.description
