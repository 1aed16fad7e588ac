"""Request and response bodies of the conversations API (api.py).

Staff read conversations and their stored analysis. Other systems take part on
behalf of people they know by an id of their own (`xid`), vouched for by the
signature of the participant link a coordinator made (`sig`); those bodies
validate strictly, since there is nothing to hide about their shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from roundtable.opinions.models import Conversation, Statement

# Vote codes as Polis exports them.
VoteValue = Literal[1, -1, 0]


class ConversationOut(Schema):
    id: int
    title: str
    question: str
    description: str
    status: Conversation.Status
    moderation: Conversation.Moderation
    allow_statements: bool
    public_report: bool
    organisation: str | None = Field(description="Name of the partner organisation hosting it")
    imported_from: str
    created_at: dt.datetime
    participants: int
    statements: int = Field(description="Every statement, moderated out and awaiting included")
    votes: int
    awaiting_moderation: int

    @staticmethod
    def from_model(conversation: Conversation) -> ConversationOut:
        """From a row of `selectors.conversations_visible_to` (which adds the counts)."""
        counts: Any = conversation
        return ConversationOut(
            id=conversation.pk,
            title=conversation.title,
            question=conversation.question,
            description=conversation.description,
            status=Conversation.Status(conversation.status),
            moderation=Conversation.Moderation(conversation.moderation),
            allow_statements=conversation.allow_statements,
            public_report=conversation.public_report,
            organisation=conversation.organisation.name if conversation.organisation else None,
            imported_from=conversation.imported_from,
            created_at=conversation.created_at,
            participants=counts.participant_count,
            statements=counts.statement_count,
            votes=counts.vote_count,
            awaiting_moderation=counts.pending_count,
        )


class AnalysisOut(Schema):
    conversation: int
    computed_at: dt.datetime
    seed: int = Field(description="Seed of the analysis's random choices (repeatable)")
    votes_seen_at: dt.datetime | None = Field(description="Time of the newest vote it includes")
    vote_count: int
    participant_count: int
    clustered_count: int = Field(description="Participants with enough votes to be placed")
    group_count: int
    seconds: float = Field(description="Time the analysis took, votes loaded to result")
    recompute_queued: bool = Field(
        description="Votes have arrived that it has not seen; a new analysis is on its way"
    )
    result: dict[str, Any] = Field(
        description=(
            "The analysis as `roundtable opinions analyze --json` prints it: participants "
            "(number, group, x, y), groups with representative statements, consensus, "
            "group-informed consensus, statements (priority, extremity, per-group "
            "tallies), silhouettes, in_conv, seconds. Statement and participant numbers "
            "are the conversation's own (Polis's tid and pid)."
        )
    )


class PublicConversationOut(Schema):
    id: int
    title: str
    question: str
    description: str
    status: Conversation.Status
    allow_statements: bool
    participants: int
    statements: int = Field(description="Statements open for votes")
    vote_url: str = Field(description="The public page to vote on")
    report_url: str | None = Field(description="The public report, when published")


class ParticipantIn(Schema):
    xid: str = Field(min_length=1, max_length=200, description="Your system's id of the person")
    sig: str = Field(
        min_length=1, max_length=200, description="The signature from their participant link"
    )


class VoteIn(ParticipantIn):
    statement: int = Field(ge=0, description="The statement's number (from /next)")
    vote: VoteValue = Field(description="1 agree, -1 disagree, 0 pass")


class StatementIn(ParticipantIn):
    text: str = Field(min_length=1, max_length=280, description="A short statement, one idea")
    language: Literal["en", "es"] = "en"


class StatementOut(Schema):
    statement: int = Field(description="The statement's number in the conversation")
    text: str
    language: str
    is_meta: bool

    @staticmethod
    def from_model(statement: Statement) -> StatementOut:
        return StatementOut(
            statement=statement.number,
            text=statement.text,
            language=statement.language,
            is_meta=statement.is_meta,
        )


class NextOut(Schema):
    statement: StatementOut | None = Field(description="null once every statement is voted on")
    voted: int = Field(description="Statements this person has voted on")
    visible: int = Field(description="Statements open for votes")


class VoteOut(Schema):
    statement: int
    vote: VoteValue
    voted: int
    visible: int


class SubmittedOut(Schema):
    statement: int
    moderation: Statement.Moderation
    visible: bool = Field(
        description="False while it awaits a moderator (strict moderation); the author's "
        "agree vote is recorded either way"
    )


class ErrorOut(Schema):
    detail: str
