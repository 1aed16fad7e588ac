"""Which statements participants see, by the conversation's moderation.

Strict moderation shows accepted statements only; permissive shows every
statement but those moderated out. One rule, used by the vote page, the vote
service and the public report (which never quotes a statement voters cannot see).
"""

from __future__ import annotations

from django.db.models import Q

from roundtable.opinions.models import Conversation, Statement


def visible_q(conversation: Conversation, prefix: str = "") -> Q:
    """The rule as a filter on statements (`prefix` for a related lookup)."""
    if conversation.moderation == Conversation.Moderation.STRICT:
        return Q(**{f"{prefix}moderation": Statement.Moderation.ACCEPTED})
    return ~Q(**{f"{prefix}moderation": Statement.Moderation.REJECTED})


def is_visible(conversation: Conversation, statement: Statement) -> bool:
    """The rule for one statement already in hand (no query)."""
    if conversation.moderation == Conversation.Moderation.STRICT:
        return statement.moderation == Statement.Moderation.ACCEPTED
    return statement.moderation != Statement.Moderation.REJECTED
