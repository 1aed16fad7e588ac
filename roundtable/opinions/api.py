"""Conversations in the JSON API: staff read them, other systems take part.

`router` (under /api/v1/agencies/) is for agency staff — administrators,
coordinators, analysts and command staff — with a session or a personal token,
checked by `agency_for`. Partners are not agency staff: they run their own
conversations on the web pages, where the selectors narrow what they see.

`public_router` (under /api/v1/public/) declares itself public: anyone may read
a published conversation, and another system (a residents' panel, a members'
app) may fetch statements and vote on behalf of the people it knows, each by
the id it gives them (`xid`) and the signature of the participant link a
coordinator made for that id (`sig`). A wrong signature is 403. Votes and
statements share the rate limits (and counters) of the public vote page, so
switching between them gains nothing. Each call is one transaction: a refused
vote leaves no participant behind.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router
from ninja.errors import HttpError
from ninja.responses import Status

from roundtable.accounts.access import MAP_VIEWERS, acting_user, roles_in
from roundtable.agencies.models import Agency
from roundtable.api.root import agency_for
from roundtable.inputs import public_limits
from roundtable.opinions import selectors, services
from roundtable.opinions.api_schemas import (
    AnalysisOut,
    ConversationOut,
    ErrorOut,
    NextOut,
    ParticipantIn,
    PublicConversationOut,
    StatementIn,
    StatementOut,
    SubmittedOut,
    VoteIn,
    VoteOut,
)
from roundtable.opinions.models import Analysis, Conversation, Participant, Statement

router = Router(tags=["Conversations"])
public_router = Router(tags=["Conversations: taking part from another system"])

# Agency staff; see the module docstring for partners.
API_READERS = MAP_VIEWERS


def _visible(request: HttpRequest, agency: Agency) -> QuerySet[Conversation]:
    user = acting_user(request)
    return selectors.conversations_visible_to(
        agency=agency, user=user, roles=roles_in(user, agency)
    )


@router.get("{slug}/conversations", response=list[ConversationOut])
def list_conversations(
    request: HttpRequest,
    slug: str,
    status: Conversation.Status | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> list[ConversationOut]:
    """The agency's conversations, newest first, with their counts. Agency staff."""
    agency = agency_for(request, slug, API_READERS)
    rows = _visible(request, agency)
    if status is not None:
        rows = rows.filter(status=status)
    return [ConversationOut.from_model(c) for c in rows[offset : offset + limit]]


@router.get("{slug}/conversations/{pk}/analysis", response={200: AnalysisOut, 404: ErrorOut})
def get_analysis(request: HttpRequest, slug: str, pk: int) -> AnalysisOut:
    """The latest opinion map of a conversation, as stored. Agency staff."""
    agency = agency_for(request, slug, API_READERS)
    conversation = _visible(request, agency).filter(pk=pk).first()
    if conversation is None:
        raise HttpError(404, "No such conversation in this agency.")
    try:
        analysis = conversation.analysis
    except Analysis.DoesNotExist:
        raise HttpError(404, "No analysis yet: it is made once people have voted.") from None
    return AnalysisOut(
        conversation=conversation.pk,
        computed_at=analysis.computed_at,
        seed=analysis.seed,
        votes_seen_at=analysis.votes_seen_at,
        vote_count=analysis.vote_count,
        participant_count=analysis.participant_count,
        clustered_count=analysis.clustered_count,
        group_count=analysis.group_count,
        seconds=analysis.seconds,
        recompute_queued=conversation.analysis_requested_at is not None,
        result=analysis.result,
    )


# --- Public: taking part from another system ---


def _public(agency_slug: str, pk: int) -> Conversation:
    agency = Agency.objects.filter(slug=agency_slug).first()
    if agency is None:
        raise HttpError(404, "No such agency.")
    conversation = selectors.public_conversations(agency=agency).filter(pk=pk).first()
    if conversation is None:
        raise HttpError(404, "No such conversation.")
    return conversation


def _external_id(conversation: Conversation, xid: str, sig: str) -> str:
    external_id = services.external_id_from(conversation=conversation, xid=xid, sig=sig)
    if external_id is None:
        raise HttpError(403, "The signature does not match this id and conversation.")
    return external_id


def _participant(conversation: Conversation, xid: str, sig: str) -> Participant:
    participant = services.participant_for(
        conversation=conversation, external_id=_external_id(conversation, xid, sig)
    )
    assert participant is not None  # created when missing
    return participant


def _refused(error: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(error.messages))


@public_router.get(
    "{agency}/conversations/{pk}",
    response={200: PublicConversationOut, 404: ErrorOut},
    summary="A conversation: its question, status and counts",
)
def public_conversation(request: HttpRequest, agency: str, pk: int) -> PublicConversationOut:
    """Anyone: an open conversation, or a closed one whose report is published."""
    conversation = _public(agency, pk)
    _voted, visible = selectors.participant_progress(conversation=conversation, participant=None)
    counts: Any = conversation  # annotated by public_conversations
    report = None
    if conversation.public_report:
        report = request.build_absolute_uri(
            reverse("opinions_public:report", args=[agency, conversation.pk])
        )
    return PublicConversationOut(
        id=conversation.pk,
        title=conversation.title,
        question=conversation.question,
        description=conversation.description,
        status=Conversation.Status(conversation.status),
        allow_statements=conversation.allow_statements,
        participants=counts.participant_count,
        statements=visible,
        vote_url=request.build_absolute_uri(
            reverse("opinions_public:vote", args=[agency, conversation.pk])
        ),
        report_url=report,
    )


@public_router.get(
    "{agency}/conversations/{pk}/next",
    response={200: NextOut, 403: ErrorOut, 404: ErrorOut},
    summary="The next statement for a person to vote on",
)
def next_statement(
    request: HttpRequest, agency: str, pk: int, signed: Query[ParticipantIn]
) -> NextOut:
    """The statement this person (`xid`, with its link's `sig`) should see next,
    chosen as Polis does; null once they have voted on every one, or when the
    conversation is closed. Asking
    creates nothing: a person joins the conversation with their first vote."""
    conversation = _public(agency, pk)
    external_id = _external_id(conversation, signed.xid, signed.sig)
    participant = services.participant_for(
        conversation=conversation, external_id=external_id, create=False
    )
    statement = None
    if conversation.status == Conversation.Status.OPEN:
        statement = selectors.next_statement(conversation=conversation, participant=participant)
    voted, visible = selectors.participant_progress(
        conversation=conversation, participant=participant
    )
    return NextOut(
        statement=StatementOut.from_model(statement) if statement is not None else None,
        voted=voted,
        visible=visible,
    )


@public_router.post(
    "{agency}/conversations/{pk}/votes",
    response={200: VoteOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Vote agree, disagree or pass on behalf of a person",
)
def cast_vote(request: HttpRequest, agency: str, pk: int, payload: VoteIn) -> VoteOut:
    """Record (or change) this person's vote on a statement. Limited per client
    like the public vote page (429 beyond that)."""
    if public_limits.exceeded(request, public_limits.opinion_votes()):
        raise HttpError(429, "Too many votes from here; please try again later.")
    conversation = _public(agency, pk)
    statement = selectors.visible_statements(conversation).filter(number=payload.statement).first()
    if statement is None:
        # Checked before the signature's participant is made, so a stale
        # statement number leaves nothing behind.
        _external_id(conversation, payload.xid, payload.sig)
        raise HttpError(404, "No such statement open for votes.")
    try:
        with transaction.atomic():
            participant = _participant(conversation, payload.xid, payload.sig)
            services.vote_cast(participant=participant, statement=statement, value=payload.vote)
    except ValidationError as error:
        raise _refused(error) from None
    voted, visible = selectors.participant_progress(
        conversation=conversation, participant=participant
    )
    return VoteOut(statement=statement.number, vote=payload.vote, voted=voted, visible=visible)


@public_router.post(
    "{agency}/conversations/{pk}/statements",
    response={201: SubmittedOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Add a statement on behalf of a person",
)
def submit_statement(
    request: HttpRequest, agency: str, pk: int, payload: StatementIn
) -> Status[SubmittedOut]:
    """Add this person's statement (their own agree vote is recorded with it,
    as in Polis). Under strict moderation it reaches voters once a moderator
    accepts it. Limited per client like the public page (429 beyond that)."""
    if public_limits.exceeded(request, public_limits.opinion_statements()):
        raise HttpError(429, "Too many statements from here; please try again later.")
    conversation = _public(agency, pk)
    try:
        with transaction.atomic():
            participant = _participant(conversation, payload.xid, payload.sig)
            statement = services.statement_submit(
                participant=participant, text=payload.text, language=payload.language
            )
    except ValidationError as error:
        raise _refused(error) from None
    return Status(
        201,
        SubmittedOut(
            statement=statement.number,
            moderation=Statement.Moderation(statement.moderation),
            visible=selectors.is_visible(conversation, statement),
        ),
    )
