"""Votes: one upsert each, refused when they cannot count, and the debounced
analysis they ask for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django_tasks import task_backends

from roundtable.opinions.models import Analysis, Conversation, Statement, Vote
from roundtable.opinions.services import (
    participant_for,
    statement_moderate,
    statement_submit,
    vote_cast,
)
from roundtable.opinions.services_analysis import analysis_run
from roundtable.opinions.services_debounce import analysis_request
from tests.factories import ConversationFactory, StatementFactory

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def rosa_in_park(park):
    person = participant_for(conversation=park, token="rosa-browser")
    assert person is not None
    return person


def test_a_vote_is_recorded_and_a_second_one_replaces_it(park, rosa_in_park):
    lighting = park.statements.get(number=4)
    first = vote_cast(participant=rosa_in_park, statement=lighting, value=Vote.Value.AGREE)
    assert first.value == Vote.Value.AGREE
    stored = Vote.objects.get(participant=rosa_in_park, statement=lighting)
    created = stored.created_at
    vote_cast(participant=rosa_in_park, statement=lighting, value=Vote.Value.PASS)
    stored = Vote.objects.get(participant=rosa_in_park, statement=lighting)
    assert stored.value == Vote.Value.PASS and Vote.objects.count() == 1
    # The first vote's time is kept (it orders the analysis's rows); the change's is added.
    assert stored.created_at == created and stored.updated_at >= created
    assert stored.conversation == park


def test_a_vote_takes_a_bounded_number_of_queries(
    park, rosa_in_park, django_assert_max_num_queries
):
    lighting = park.statements.get(number=4)
    toilets = park.statements.get(number=5)
    vote_cast(participant=rosa_in_park, statement=lighting, value=Vote.Value.AGREE)
    # The analysis is pending: the upsert and one read of the conversation row
    # (with the transaction's own BEGIN/COMMIT on top).
    with django_assert_max_num_queries(4):
        vote_cast(participant=rosa_in_park, statement=toilets, value=Vote.Value.AGREE)


@pytest.mark.parametrize("value", [2, -2, 5])
def test_only_agree_disagree_or_pass(park, rosa_in_park, value):
    with pytest.raises(ValidationError):
        vote_cast(participant=rosa_in_park, statement=park.statements.get(number=0), value=value)
    assert not Vote.objects.exists()


def test_no_votes_once_closed(park, rosa_in_park):
    park.status = Conversation.Status.CLOSED
    park.save()
    with pytest.raises(ValidationError, match="closed"):
        vote_cast(participant=rosa_in_park, statement=park.statements.get(number=0), value=1)
    assert not Vote.objects.exists()


def test_a_vote_in_flight_when_the_conversation_closes_is_refused(park, rosa_in_park):
    """The page (and the participant's conversation) was loaded while open; the
    coordinator closed it a moment before the vote: the locked read refuses it."""
    assert rosa_in_park.conversation.status == Conversation.Status.OPEN
    Conversation.objects.filter(pk=park.pk).update(status=Conversation.Status.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        vote_cast(participant=rosa_in_park, statement=park.statements.get(number=0), value=1)
    assert not Vote.objects.exists()


def test_no_votes_on_another_conversations_statement(park, rosa_in_park, agency):
    elsewhere = StatementFactory.create(conversation=ConversationFactory.create(agency=agency))
    with pytest.raises(ValidationError, match="another conversation"):
        vote_cast(participant=rosa_in_park, statement=elsewhere, value=1)
    assert not Vote.objects.exists()


def test_strict_moderation_takes_votes_only_on_accepted_statements(park, rosa_in_park, casey):
    author = participant_for(conversation=park, token="someone-else")
    assert author is not None
    waiting = statement_submit(participant=author, text="Benches near the playground.")
    with pytest.raises(ValidationError, match="not open for votes"):
        vote_cast(participant=rosa_in_park, statement=waiting, value=1)
    statement_moderate(actor=casey, statement=waiting, moderation="accepted")
    vote_cast(participant=rosa_in_park, statement=waiting, value=1)
    assert waiting.votes.count() == 2


def test_permissive_moderation_takes_votes_until_a_moderator_rejects(park, rosa_in_park, casey):
    park.moderation = Conversation.Moderation.PERMISSIVE
    park.save()
    author = participant_for(conversation=park, token="someone-else")
    assert author is not None
    waiting = statement_submit(participant=author, text="Benches near the playground.")
    vote_cast(participant=rosa_in_park, statement=waiting, value=-1)
    statement_moderate(actor=casey, statement=waiting, moderation=Statement.Moderation.REJECTED)
    with pytest.raises(ValidationError):
        vote_cast(participant=rosa_in_park, statement=waiting, value=1)
    assert Vote.objects.get(participant=rosa_in_park, statement=waiting).value == -1


# --- The debounce ---


def test_the_first_vote_queues_one_analysis_and_later_ones_none_until_it_runs(
    park, rosa_in_park, django_capture_on_commit_callbacks
):
    statements = list(park.statements.order_by("number"))
    with django_capture_on_commit_callbacks() as queued:
        vote_cast(participant=rosa_in_park, statement=statements[0], value=1)
    assert len(queued) == 1
    park.refresh_from_db()
    assert park.analysis_requested_at is not None
    with django_capture_on_commit_callbacks() as queued:
        for statement in statements[1:]:
            vote_cast(participant=rosa_in_park, statement=statement, value=-1)
    assert queued == []
    # The run clears the mark first; the next vote queues the next run.
    analysis_run(conversation=park)
    park.refresh_from_db()
    assert park.analysis_requested_at is None
    with django_capture_on_commit_callbacks() as queued:
        vote_cast(participant=rosa_in_park, statement=statements[0], value=0)
    assert len(queued) == 1


@override_settings(TASKS=DUMMY_TASKS, ROUNDTABLE_OPINION_ANALYSIS_DELAY=5)
def test_with_a_real_queue_the_task_waits_for_more_votes(
    park, rosa_in_park, django_capture_on_commit_callbacks
):
    backend = task_backends["default"]
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(participant=rosa_in_park, statement=park.statements.get(number=0), value=1)
        vote_cast(participant=rosa_in_park, statement=park.statements.get(number=1), value=1)
    assert len(backend.results) == 1  # type: ignore[attr-defined]
    result = backend.results[0]  # type: ignore[attr-defined]
    assert result.args == [park.pk] or result.args == (park.pk,)
    assert result.task.name == "analyse_conversation_task"
    run_after = result.task.run_after
    assert run_after is not None and run_after >= before + dt.timedelta(seconds=5)
    # Nothing has run: the dummy queue only holds the task.
    assert not Analysis.objects.exists()


def test_analysis_request_alone_reports_whether_it_queued(park, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        assert analysis_request(conversation=park) is True
        assert analysis_request(conversation=park) is False
    assert len(queued) == 1
    assert park.analysis_requested_at is not None


def test_with_the_immediate_backend_a_vote_brings_the_map_up_to_date(
    park, planted, rosa_in_park, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(participant=rosa_in_park, statement=park.statements.get(number=4), value=1)
    analysis = Analysis.objects.get(conversation=park)
    assert analysis.vote_count == 7 * 20 + 1
    assert analysis.participant_count == 21
    park.refresh_from_db()
    assert park.analysis_requested_at is None


def test_no_vote_is_lost_with_runs_between_them(park, django_capture_on_commit_callbacks):
    """Thirty people vote on the seven statements while the analysis runs now and
    then (as the worker would, in between requests): the last map counts every vote."""
    statements = list(park.statements.order_by("number"))
    people = [participant_for(conversation=park, external_id=f"p{i}") for i in range(30)]
    cast = 0
    for i, person in enumerate(people):
        assert person is not None
        for j, statement in enumerate(statements):
            # Queued runs are not executed here: the runs below stand for the worker.
            with django_capture_on_commit_callbacks():
                vote_cast(participant=person, statement=statement, value=(i + j) % 3 - 1)
            cast += 1
            if cast % 17 == 0:
                analysis_run(conversation=park)
    park.refresh_from_db()
    # Votes arrived after the last run: the mark says another is due.
    assert park.analysis_requested_at is not None
    analysis = analysis_run(conversation=park)
    assert cast == 210 and analysis.vote_count == 210 == Vote.objects.count()
    assert analysis.participant_count == 30
