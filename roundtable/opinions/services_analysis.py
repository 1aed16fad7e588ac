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
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from roundtable.analytics.polis import VoteTable, analyze
from roundtable.opinions.models import Analysis, Conversation, Statement, Vote


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
    Conversation.objects.filter(pk=conversation.pk).update(analysis_requested_at=None)
    conversation.analysis_requested_at = None
    votes = list(
        Vote.objects.filter(conversation=conversation)
        .order_by("created_at", "pk")
        .values_list("participant__number", "statement__number", "value", "updated_at")
    )
    left_out = Statement.objects.filter(
        Q(moderation=Statement.Moderation.REJECTED) | Q(is_meta=True), conversation=conversation
    ).values_list("number", "moderation", "is_meta")
    moderated_out = [n for n, moderation, _meta in left_out if moderation == "rejected"]
    meta = [n for n, _moderation, is_meta in left_out if is_meta]

    fields: dict[str, object]
    if votes:
        participants, statements, values, updated = zip(*votes, strict=True)
        table = VoteTable.from_votes(
            np.asarray(participants, dtype=np.int64),
            np.asarray(statements, dtype=np.int64),
            np.asarray(values, dtype=np.int8),
        )
        result = analyze(
            table, moderated_out=moderated_out, meta=meta, seed=conversation.analysis_seed
        )
        data = result.as_json()
        # The vote page's choice of the next statement reads only these, so
        # they are kept apart from the (much larger) rest of the result.
        data["priorities"] = {str(k): float(v) for k, v in result.priorities.items()}
        fields = {
            "result": data,
            "votes_seen_at": max(updated),
            "vote_count": len(votes),
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
    fields["computed_at"] = timezone.now()
    return _store(conversation, fields)


def _store(conversation: Conversation, fields: dict[str, object]) -> Analysis:
    seen = fields["votes_seen_at"]
    for _attempt in range(2):
        try:
            with transaction.atomic():
                current = (
                    Analysis.objects.select_for_update().filter(conversation=conversation).first()
                )
                if current is None:
                    return Analysis.objects.create(conversation=conversation, **fields)
                newer = current.votes_seen_at is not None and (
                    seen is None or current.votes_seen_at > seen  # type: ignore[operator]
                )
                if newer:
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
