"""Reads of opinion conversations: who sees which, what a participant votes on
next, the moderation queue and the statements with their tallies.

The opinion map and the common ground for the priority worksheet are in
`selectors_map` (and importable from here, as the views expect).

Staff who read maps see every conversation of their agency; a partner sees
(and manages) only the conversations they opened themselves.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from roundtable.accounts.access import MAP_EDITORS, MAP_VIEWERS
from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency
from roundtable.analytics.polis import priority_of_new_statement
from roundtable.opinions.models import Analysis, Conversation, Participant, Statement, Vote

# The map's reads live in selectors_map; the views know them from here too.
from roundtable.opinions.selectors_map import CommonGround as CommonGround
from roundtable.opinions.selectors_map import OpinionMap as OpinionMap
from roundtable.opinions.selectors_map import common_ground as common_ground
from roundtable.opinions.selectors_map import opinion_map as opinion_map
from roundtable.opinions.visibility import is_visible as is_visible
from roundtable.opinions.visibility import visible_q


def _count(model: type[Participant | Statement | Vote], **filters: object) -> Coalesce:
    """A per-conversation count as a subquery: joining votes, participants and
    statements at once would multiply them (and scan millions of rows)."""
    rows = (
        model.objects.filter(conversation=OuterRef("pk"), **filters)
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _with_counts(qs: QuerySet[Conversation]) -> QuerySet[Conversation]:
    return qs.select_related("organisation").annotate(
        participant_count=_count(Participant),
        statement_count=_count(Statement),
        vote_count=_count(Vote),
        pending_count=_count(Statement, moderation=Statement.Moderation.UNMODERATED),
    )


def _staff(roles: Iterable[Role]) -> bool:
    return bool(frozenset(roles) & MAP_VIEWERS)


def conversations_visible_to(
    *, agency: Agency, user: User, roles: Iterable[Role]
) -> QuerySet[Conversation]:
    """The agency's conversations this person may read, newest first, with their
    participant, statement, vote and awaiting-moderation counts."""
    qs = Conversation.objects.filter(agency=agency)
    held = frozenset(roles)
    if not _staff(held):
        qs = qs.filter(created_by=user) if Role.PARTNER in held else qs.none()
    return _with_counts(qs)


def conversation_for(*, agency: Agency, user: User, roles: Iterable[Role], pk: int) -> Conversation:
    """One conversation this person may read; Http404 otherwise (a partner is
    not told that other partners' conversations exist)."""
    return get_object_or_404(conversations_visible_to(agency=agency, user=user, roles=roles), pk=pk)


def conversations_managed_by(
    *, agency: Agency, user: User, roles: Iterable[Role]
) -> QuerySet[Conversation]:
    """The conversations this person may edit and moderate."""
    held = frozenset(roles)
    qs = Conversation.objects.filter(agency=agency)
    if not held & MAP_EDITORS:
        qs = qs.filter(created_by=user) if Role.PARTNER in held else qs.none()
    return _with_counts(qs)


def can_manage(*, conversation: Conversation, user: User, roles: Iterable[Role]) -> bool:
    """Coordinators and administrators manage every conversation of the agency
    (`roles` are held there); a partner only those they opened."""
    held = frozenset(roles)
    if held & MAP_EDITORS:
        return True
    return Role.PARTNER in held and user.pk is not None and conversation.created_by_id == user.pk


def public_conversations(*, agency: Agency) -> QuerySet[Conversation]:
    """What the agency's public pages list: conversations open for votes, and
    closed ones whose report is published."""
    return (
        Conversation.objects.filter(agency=agency)
        .filter(Q(status=Conversation.Status.OPEN) | Q(public_report=True))
        .select_related("organisation")
        .annotate(participant_count=_count(Participant))
    )


def public_conversation(*, agency: Agency, pk: int) -> Conversation:
    return get_object_or_404(public_conversations(agency=agency), pk=pk)


# --- Statements ---


def visible_statements(conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(visible_q(conversation), conversation=conversation).order_by(
        "number"
    )


def _priorities(conversation: Conversation) -> dict[int, float]:
    """The latest map's statement priorities (only that part of the result)."""
    stored = (
        Analysis.objects.filter(conversation=conversation)
        .values_list("result__priorities", flat=True)
        .first()
    )
    if not isinstance(stored, dict):
        return {}
    return {int(k): float(v) for k, v in stored.items()}


def next_statement(
    *,
    conversation: Conversation,
    participant: Participant | None,
    rng: random.Random | None = None,
) -> Statement | None:
    """The statement to show next, None when the participant has voted on all.

    Polis's rule (polis server, `getNextPrioritizedComment`): a random choice
    among the statements not yet voted on, each weighted by its priority from
    the latest analysis (`analytics.polis` — importance from agreement and
    passes, times extremity, boosted while a statement has few votes). A
    statement newer than the analysis gets the priority of one with no votes,
    the highest there is, so that new statements are seen soon.
    """
    candidates = visible_statements(conversation)
    if participant is not None:
        candidates = candidates.exclude(
            Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk")))
        )
    # Numbers only: a conversation may have thousands of statements, and the
    # page needs just the one drawn.
    rows = list(candidates.values_list("pk", "number"))
    if not rows:
        return None
    priorities = _priorities(conversation)
    fresh = priority_of_new_statement()
    weights = []
    for _pk, number in rows:
        weight = priorities.get(number, fresh)
        weights.append(weight if math.isfinite(weight) and weight > 0 else 0.0)
    chooser = rng or random.Random()
    if any(weights):
        chosen = chooser.choices(rows, weights=weights)[0][0]
    else:
        chosen = chooser.choice(rows)[0]
    statement = Statement.objects.get(pk=chosen)
    statement.conversation = conversation
    return statement


def participant_progress(
    *, conversation: Conversation, participant: Participant | None
) -> tuple[int, int]:
    """(statements this participant has voted on, statements they can see)."""
    statements = visible_statements(conversation).order_by()
    if participant is None:
        return 0, statements.count()
    figures = statements.aggregate(
        visible=Count("pk"),
        voted=Count(
            "pk",
            filter=Q(
                Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk")))
            ),
        ),
    )
    return figures["voted"], figures["visible"]


def moderation_queue(*, conversation: Conversation) -> QuerySet[Statement]:
    """Statements awaiting a moderator, oldest first."""
    return (
        Statement.objects.filter(
            conversation=conversation, moderation=Statement.Moderation.UNMODERATED
        )
        .select_related("author")
        .order_by("created_at", "number")
    )


def statements_with_counts(*, conversation: Conversation) -> QuerySet[Statement]:
    """Every statement (moderated out too) with `agree_count`, `disagree_count`,
    `pass_count` and `vote_count`, by number."""
    return (
        Statement.objects.filter(conversation=conversation)
        .select_related("author", "candidate")
        .annotate(
            agree_count=Count("votes", filter=Q(votes__value=Vote.Value.AGREE)),
            disagree_count=Count("votes", filter=Q(votes__value=Vote.Value.DISAGREE)),
            pass_count=Count("votes", filter=Q(votes__value=Vote.Value.PASS)),
            vote_count=Count("votes"),
        )
        .order_by("number")
    )
