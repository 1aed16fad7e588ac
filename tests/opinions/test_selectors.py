"""Who sees which conversation, what participants see and vote on next."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.http import Http404
from django.utils import timezone

from roundtable.accounts.models import Role
from roundtable.analytics.polis import priority_of_new_statement
from roundtable.opinions.models import Analysis, Conversation, Statement, Vote
from roundtable.opinions.selectors import (
    can_manage,
    conversation_for,
    conversations_managed_by,
    conversations_visible_to,
    moderation_queue,
    next_statement,
    participant_progress,
    public_conversation,
    public_conversations,
    statements_with_counts,
    visible_statements,
)
from roundtable.opinions.services import (
    conversation_create,
    participant_for,
    statement_moderate,
    statement_submit,
    vote_cast,
)
from tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db

COORDINATOR = frozenset({Role.COORDINATOR})
ANALYST = frozenset({Role.ANALYST})
PARTNER = frozenset({Role.PARTNER})
RESIDENT = frozenset({Role.RESIDENT})
# Draws in the weighting checks (each draw is two queries).
DRAWS = 600


@pytest.fixture
def pats_conversation(agency, pat):
    return conversation_create(
        actor=pat,
        agency=agency,
        title="Library steps at night",
        question="What would make the library steps feel safe?",
        seed_statements=["More light on the steps."],
    )


def test_staff_see_every_conversation_with_its_counts(agency, park, planted, casey, ana):
    author = participant_for(conversation=park, token="t")
    assert author is not None
    statement_submit(participant=author, text="Benches near the playground.")
    ConversationFactory.create()  # in another agency
    for person, roles in ((casey, COORDINATOR), (ana, ANALYST)):
        listed = list(conversations_visible_to(agency=agency, user=person, roles=roles))
        assert listed == [park]
    row = listed[0]
    assert row.participant_count == 21 and row.statement_count == 8  # type: ignore[attr-defined]
    assert row.vote_count == 141 and row.pending_count == 1  # type: ignore[attr-defined]


def test_the_list_takes_one_query_however_many_conversations(
    agency, casey, django_assert_num_queries
):
    for _ in range(4):
        ConversationFactory.create(agency=agency)
    with django_assert_num_queries(1):
        rows = list(conversations_visible_to(agency=agency, user=casey, roles=COORDINATOR))
        assert all(r.vote_count == 0 for r in rows)  # type: ignore[attr-defined]
    assert len(rows) == 4


def test_partners_see_and_manage_only_what_they_opened(
    agency, park, pats_conversation, pat, casey, rosa
):
    assert list(conversations_visible_to(agency=agency, user=pat, roles=PARTNER)) == [
        pats_conversation
    ]
    assert conversation_for(agency=agency, user=pat, roles=PARTNER, pk=pats_conversation.pk)
    with pytest.raises(Http404):
        conversation_for(agency=agency, user=pat, roles=PARTNER, pk=park.pk)
    assert list(conversations_managed_by(agency=agency, user=pat, roles=PARTNER)) == [
        pats_conversation
    ]
    assert can_manage(conversation=pats_conversation, user=pat, roles=PARTNER)
    assert not can_manage(conversation=park, user=pat, roles=PARTNER)
    # Coordinators manage both; a resident sees none.
    assert set(conversations_managed_by(agency=agency, user=casey, roles=COORDINATOR)) == {
        park,
        pats_conversation,
    }
    assert can_manage(conversation=pats_conversation, user=casey, roles=COORDINATOR)
    assert not conversations_visible_to(agency=agency, user=rosa, roles=RESIDENT).exists()


def test_analysts_read_but_do_not_manage(agency, park, ana):
    assert conversation_for(agency=agency, user=ana, roles=ANALYST, pk=park.pk) == park
    assert not can_manage(conversation=park, user=ana, roles=ANALYST)
    assert not conversations_managed_by(agency=agency, user=ana, roles=ANALYST).exists()


def test_another_agencys_conversation_is_not_found(agency, other_agency, uma, casey):
    theirs = ConversationFactory.create(agency=other_agency)
    with pytest.raises(Http404):
        conversation_for(agency=agency, user=casey, roles=COORDINATOR, pk=theirs.pk)
    with pytest.raises(Http404):
        public_conversation(agency=agency, pk=theirs.pk)


def test_the_public_see_open_conversations_and_published_reports(agency, park):
    closed_published = ConversationFactory.create(
        agency=agency, status=Conversation.Status.CLOSED, public_report=True
    )
    closed_private = ConversationFactory.create(
        agency=agency, status=Conversation.Status.CLOSED, public_report=False
    )
    assert set(public_conversations(agency=agency)) == {park, closed_published}
    assert public_conversation(agency=agency, pk=park.pk) == park
    with pytest.raises(Http404):
        public_conversation(agency=agency, pk=closed_private.pk)


def _submitted(park):
    author = participant_for(conversation=park, token="author")
    assert author is not None
    return statement_submit(participant=author, text="Benches near the playground.")


def test_strict_moderation_shows_accepted_statements_only(park, casey):
    waiting = _submitted(park)
    assert waiting not in visible_statements(park)
    assert list(moderation_queue(conversation=park)) == [waiting]
    statement_moderate(actor=casey, statement=waiting, moderation="accepted")
    assert waiting in visible_statements(park)
    assert not moderation_queue(conversation=park).exists()


def test_permissive_moderation_shows_all_but_the_rejected(park, casey):
    park.moderation = Conversation.Moderation.PERMISSIVE
    park.save()
    waiting = _submitted(park)
    assert waiting in visible_statements(park)
    statement_moderate(actor=casey, statement=waiting, moderation="rejected")
    assert waiting not in visible_statements(park)
    assert visible_statements(park).count() == 7


def test_statements_carry_their_tallies(park, planted, casey):
    statement_moderate(actor=casey, statement=park.statements.get(number=6), moderation="rejected")
    rows = {s.number: s for s in statements_with_counts(conversation=park)}
    assert len(rows) == 7  # moderated out too: it stays in the record
    assert (rows[0].agree_count, rows[0].disagree_count, rows[0].pass_count) == (10, 10, 0)  # type: ignore[attr-defined]
    assert (rows[4].agree_count, rows[6].disagree_count) == (20, 20)  # type: ignore[attr-defined]
    assert rows[4].vote_count == 20  # type: ignore[attr-defined]


# --- What a participant sees next ---


def test_next_skips_what_they_voted_on_and_ends_with_none(park):
    person = participant_for(conversation=park, token="t")
    assert person is not None
    rng = random.Random(1)
    seen = []
    for _ in range(7):
        statement = next_statement(conversation=park, participant=person, rng=rng)
        assert statement is not None and statement.number not in seen
        seen.append(statement.number)
        vote_cast(participant=person, statement=statement, value=Vote.Value.PASS)
        assert participant_progress(conversation=park, participant=person) == (len(seen), 7)
    assert next_statement(conversation=park, participant=person, rng=rng) is None
    assert sorted(seen) == list(range(7))


def test_someone_who_has_not_voted_yet_can_be_offered_any_visible_statement(park, casey):
    statement_moderate(actor=casey, statement=park.statements.get(number=3), moderation="rejected")
    rng = random.Random(7)
    offered = {next_statement(conversation=park, participant=None, rng=rng) for _ in range(300)}
    assert {s.number for s in offered if s is not None} == {0, 1, 2, 4, 5, 6}
    assert participant_progress(conversation=park, participant=None) == (0, 6)


def _priorities(park, priorities: dict[int, float]) -> None:
    Analysis.objects.create(
        conversation=park,
        result={"priorities": {str(k): v for k, v in priorities.items()}},
        computed_at=timezone.now(),
    )


def test_a_statement_of_far_higher_priority_comes_up_far_more_often(park):
    """Weights 60 against 1 for the six others: about 91 % of draws. With a fixed
    seed the check is repeatable; at 600 draws, 80 % is nine standard deviations
    below the expectation."""
    _priorities(park, {0: 1.0, 1: 1.0, 2: 60.0, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.0})
    rng = random.Random(2024)
    counts = Counter(
        s.number
        for s in (
            next_statement(conversation=park, participant=None, rng=rng) for _ in range(DRAWS)
        )
        if s is not None
    )
    assert counts[2] > 0.8 * DRAWS
    assert all(counts[n] < 0.05 * DRAWS for n in (0, 1, 3, 4, 5, 6))


def test_a_statement_newer_than_the_map_gets_the_new_statement_priority(park, casey):
    """Statements 0–5 have had their say (priority 0.5); statement 6 is not in
    the map, so it weighs priority_of_new_statement() ≈ 5.06: about 63 % of draws
    (half is six standard deviations below)."""
    _priorities(park, dict.fromkeys(range(6), 0.5))
    assert priority_of_new_statement() > 10 * 0.5
    rng = random.Random(99)
    picks = [next_statement(conversation=park, participant=None, rng=rng) for _ in range(DRAWS)]
    counts = Counter(s.number for s in picks if s is not None)
    assert counts[6] > 0.5 * DRAWS
    assert counts.most_common(1)[0][0] == 6


def test_next_statement_takes_three_small_queries(park, django_assert_num_queries):
    """The candidates' numbers, the map's priorities, then the one statement
    drawn: never every statement's row, which a large conversation has thousands of."""
    person = participant_for(conversation=park, token="t")
    _priorities(park, dict.fromkeys(range(7), 1.0))
    with django_assert_num_queries(3):
        assert next_statement(conversation=park, participant=person) is not None


def test_unmoderated_statements_are_not_offered_under_strict_moderation(park):
    waiting = _submitted(park)
    rng = random.Random(3)
    offered = {next_statement(conversation=park, participant=None, rng=rng) for _ in range(200)}
    assert waiting not in offered
    assert Statement.objects.filter(conversation=park).count() == 8
