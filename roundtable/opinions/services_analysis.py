"""Recompute a conversation's opinion map from its votes.

Runs in the background task (`tasks.analyse_conversation_task`) queued by
`services.analysis_request`, and from the command line for imports. The maths
is `roundtable.analytics.polis.analyze`; this module only loads the votes,
calls it and stores the result.

Ordering with the debounce: the run first clears `analysis_requested_at` in its
own committed UPDATE, then reads the votes. A vote arriving after the clear
queues the next run; a vote before it is read by this one (see
`services.analysis_request` for the lock that makes this hold). So no vote is
ever left out of the map for longer than one run.
"""

from __future__ import annotations

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from numpy.typing import NDArray

from roundtable.analytics.polis import VoteTable, analyze
from roundtable.opinions.models import Analysis, Conversation, Participant, Statement, Vote

# Votes fetched per round trip when a map is recomputed.
VOTE_CHUNK = 100_000


def empty_result() -> dict[str, object]:
    """The stored result of a conversation nobody has voted in yet, with the
    keys of `AnalysisResult.as_json()` so readers need no special case."""
    return {
        "participants": [],
        "groups": [],
        "consensus": {"agree": [], "disagree": []},
        "group_informed_consensus": {},
        "statements": [],
        "silhouettes": {},
        "in_conv": 0,
        "priorities": {},
        "seconds": 0.0,
    }


def analysis_run(*, conversation: Conversation) -> Analysis:
    """Load every vote, analyse, store the map; never replace a map computed
    from newer votes (a slow run finishing after a quicker, later one).

    Deliberately not one transaction: the clearing UPDATE must be committed
    before the votes are read (see the module docstring).
    """
    started = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(analysis_requested_at=None)
    conversation.analysis_requested_at = None
    # Read before the votes: a vote committed in between is then newer than
    # the time stored, so the run it queues may replace this map.
    seen = Vote.objects.filter(conversation=conversation).aggregate(seen=Max("updated_at"))["seen"]
    participants, statements, values = _votes(conversation)
    left_out = Statement.objects.filter(
        Q(moderation=Statement.Moderation.REJECTED) | Q(is_meta=True), conversation=conversation
    ).values_list("number", "moderation", "is_meta")
    moderated_out = [n for n, moderation, _meta in left_out if moderation == "rejected"]
    meta = [n for n, _moderation, is_meta in left_out if is_meta]

    fields: dict[str, object]
    if len(values):
        table = VoteTable.from_votes(participants, statements, values)
        result = analyze(
            table, moderated_out=moderated_out, meta=meta, seed=conversation.analysis_seed
        )
        data = result.as_json()
        # The vote page's choice of the next statement reads only these, so
        # they are kept apart from the (much larger) rest of the result.
        data["priorities"] = {str(k): float(v) for k, v in result.priorities.items()}
        fields = {
            "result": data,
            "votes_seen_at": seen,
            "vote_count": len(values),
            "participant_count": len(result.participants),
            "clustered_count": int(np.count_nonzero(result.group_of >= 0)),
            "group_count": len(result.groups),
            "seconds": float(result.seconds),
        }
    else:
        fields = {
            "result": empty_result(),
            "votes_seen_at": None,
            "vote_count": 0,
            "participant_count": 0,
            "clustered_count": 0,
            "group_count": 0,
            "seconds": 0.0,
        }
    fields["seed"] = conversation.analysis_seed
    fields["run_started_at"] = started
    fields["computed_at"] = timezone.now()
    return _store(conversation, fields)


def _votes(
    conversation: Conversation,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8]]:
    """Participant numbers, statement numbers and values of every vote, oldest
    first, as arrays.

    Why not the ORM: a large conversation has millions of votes, and a tuple and
    two joins per vote cost far more than the maths. The votes come as ids in
    chunks straight into arrays; ids become numbers through the two small tables.
    """
    participant_ids, participant_numbers = _numbers(Participant, conversation)
    statement_ids, statement_numbers = _numbers(Statement, conversation)
    chunks: list[NDArray[np.int64]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT participant_id, statement_id, value FROM {Vote._meta.db_table} "  # noqa: S608
            "WHERE conversation_id = %s ORDER BY created_at, id",
            [conversation.pk],
        )
        while rows := cursor.fetchmany(VOTE_CHUNK):
            chunks.append(np.asarray(rows, dtype=np.int64).reshape(-1, 3))
    table = np.concatenate(chunks) if chunks else np.zeros((0, 3), dtype=np.int64)
    participants = participant_numbers[np.searchsorted(participant_ids, table[:, 0])]
    statements = statement_numbers[np.searchsorted(statement_ids, table[:, 1])]
    return participants, statements, table[:, 2].astype(np.int8)


def _numbers(
    model: type[Participant] | type[Statement], conversation: Conversation
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(ids ascending, their numbers) of a conversation's participants or statements."""
    rows = (
        model.objects.filter(conversation=conversation).order_by("pk").values_list("pk", "number")
    )
    pairs = np.asarray(list(rows), dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def _store(conversation: Conversation, fields: dict[str, object]) -> Analysis:
    """Store the map unless one from a run that started later is there already.

    Runs are ordered by their start (the moment they cleared the request mark),
    not by their newest vote: a moderation changes the map without a newer
    vote, and a vote stamped earlier can commit later than one stamped after it.
    """
    started = fields["run_started_at"]
    for _attempt in range(2):
        try:
            with transaction.atomic():
                current = (
                    Analysis.objects.select_for_update().filter(conversation=conversation).first()
                )
                if current is None:
                    return Analysis.objects.create(conversation=conversation, **fields)
                if current.run_started_at is not None and current.run_started_at > started:  # type: ignore[operator]
                    return current
                for name, value in fields.items():
                    setattr(current, name, value)
                current.save()
                return current
        except IntegrityError:
            # Another run created the first map at the same moment: compare with it.
            continue
    raise IntegrityError("the opinion map could not be stored")


def analysis_run_by_id(*, conversation_id: int) -> Analysis | None:
    """The task's entry point: None when the conversation has been deleted."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None
    return analysis_run(conversation=conversation)
