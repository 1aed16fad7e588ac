"""Writes to opinion conversations: opening and moderating them, participants,
statements, votes, the debounced analysis and common ground taken to the
priority worksheet.

Staff actions (opening, editing, closing, seeding, moderating, shortlisting)
are audited. Participants' own actions (joining, adding a statement, voting)
are not: they are the conversation itself, and an anonymous participant is
known only by the SHA-256 of a token in their browser.

Votes are the hot path (load-tested in votes per second), so `vote_cast` is one
upsert and one read of the conversation row; the map is recomputed by a
background task, at most one pending per conversation
(`services_debounce.analysis_request`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.audit.services import audit_record, snapshot
from roundtable.opinions.models import Conversation, Participant, Statement, Vote
from roundtable.opinions.services_debounce import analysis_request
from roundtable.opinions.visibility import is_visible
from roundtable.priorities.models import Candidate
from roundtable.stakeholders.models import Organisation

# Polis allows 140 characters; a little more room for languages that need it.
STATEMENT_MAX_LENGTH = 280
CANDIDATE_TITLE_LENGTH = 200
CONVERSATION_FIELDS = [
    "title",
    "question",
    "description",
    "moderation",
    "status",
    "allow_statements",
    "public_report",
    "organisation",
]
STATEMENT_FIELDS = ["moderation", "is_meta", "candidate"]
LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


# --- Conversations ---


def _clean_line(text: str) -> str:
    return " ".join(text.split())


def _clean_conversation(
    agency: Agency, title: str, question: str, moderation: str, organisation: Organisation | None
) -> tuple[str, str]:
    title, question = _clean_line(title), question.strip()
    if not title:
        raise ValidationError({"title": _("Give the conversation a title.")})
    if not question:
        raise ValidationError({"question": _("Ask the question people will answer.")})
    if moderation not in Conversation.Moderation.values:
        raise ValidationError({"moderation": _("Choose strict or permissive moderation.")})
    if organisation is not None and organisation.agency_id != agency.pk:
        raise ValidationError({"organisation": _("This belongs to another agency.")})
    return title, question


def _audit_conversation(
    actor: User, conversation: Conversation, action: str, before: dict[str, object] | None
) -> None:
    audit_record(
        actor=actor,
        agency=conversation.agency,
        action=action,
        instance=conversation,
        before=before,
        after=snapshot(conversation, CONVERSATION_FIELDS),
    )


@transaction.atomic
def conversation_create(
    *,
    actor: User,
    agency: Agency,
    title: str,
    question: str,
    description: str = "",
    moderation: str = Conversation.Moderation.STRICT,
    allow_statements: bool = True,
    public_report: bool = True,
    organisation: Organisation | None = None,
    seed_statements: Sequence[str] = (),
    language: str = "en",
) -> Conversation:
    """Open a conversation with its seed statements (accepted at once: staff
    wrote them, and the first participants need something to vote on)."""
    title, question = _clean_conversation(agency, title, question, moderation, organisation)
    seeds = [_clean_statement_text(text) for text in seed_statements if text.strip()]
    if len({s.casefold() for s in seeds}) != len(seeds):
        raise ValidationError({"seed_statements": _("The same seed statement is given twice.")})
    conversation = Conversation.objects.create(
        agency=agency,
        title=title,
        question=question,
        description=description.strip(),
        moderation=moderation,
        allow_statements=allow_statements,
        public_report=public_report,
        organisation=organisation,
        created_by=actor,
    )
    _audit_conversation(actor, conversation, "opinions.conversation.create", None)
    now = timezone.now()
    Statement.objects.bulk_create(
        Statement(
            conversation=conversation,
            number=number,
            text=text,
            language=_language(language),
            is_seed=True,
            moderation=Statement.Moderation.ACCEPTED,
            moderated_by=actor,
            moderated_at=now,
            created_by=actor,
            created_at=now,
        )
        for number, text in enumerate(seeds)
    )
    return conversation


@transaction.atomic
def conversation_update(
    *,
    actor: User,
    conversation: Conversation,
    title: str,
    question: str,
    description: str,
    moderation: str,
    allow_statements: bool,
    public_report: bool,
    organisation: Organisation | None,
) -> Conversation:
    """Change what the conversation asks and how it runs. Switching moderation
    changes what participants see at once (see `selectors.visible_statements`)."""
    title, question = _clean_conversation(
        conversation.agency, title, question, moderation, organisation
    )
    before = snapshot(conversation, CONVERSATION_FIELDS)
    conversation.title = title
    conversation.question = question
    conversation.description = description.strip()
    conversation.moderation = moderation
    conversation.allow_statements = allow_statements
    conversation.public_report = public_report
    conversation.organisation = organisation
    conversation.save(update_fields=[*CONVERSATION_FIELDS, "updated_at"])
    _audit_conversation(actor, conversation, "opinions.conversation.update", before)
    return conversation


@transaction.atomic
def conversation_set_status(
    *, actor: User, conversation: Conversation, status: str
) -> Conversation:
    """Close a conversation (no more votes or statements; the map stays) or
    open it again."""
    if status not in Conversation.Status.values:
        raise ValidationError({"status": _("Choose open or closed.")})
    if conversation.status == status:
        return conversation
    before = snapshot(conversation, CONVERSATION_FIELDS)
    conversation.status = status
    conversation.save(update_fields=["status", "updated_at"])
    _audit_conversation(actor, conversation, "opinions.conversation.status", before)
    return conversation


# --- Statements ---


def _language(language: str) -> str:
    return language if language in LANGUAGES else settings.LANGUAGE_CODE.split("-")[0]


def _clean_statement_text(text: str) -> str:
    text = _clean_line(text)
    if not text:
        raise ValidationError({"text": _("Write a statement first.")})
    if len(text) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keep a statement to %(limit)d characters (this one has %(length)d).")
                % {"limit": STATEMENT_MAX_LENGTH, "length": len(text)}
            }
        )
    return text


def _new_statement(
    conversation: Conversation, text: str, *, check_duplicate: bool = True, **fields: object
) -> Statement:
    """A statement numbered max+1 under a lock of the conversation row, so two
    statements written at once never take the same number."""
    Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk").get()
    statements = Statement.objects.filter(conversation=conversation)
    if check_duplicate and statements.filter(text__iexact=text).exists():
        raise ValidationError({"text": _("This statement is already in the conversation.")})
    last = statements.aggregate(last=Max("number"))["last"]
    return Statement.objects.create(
        conversation=conversation,
        number=0 if last is None else last + 1,
        text=text,
        created_at=timezone.now(),
        **fields,
    )


@transaction.atomic
def statement_add_seed(
    *,
    actor: User,
    conversation: Conversation,
    text: str,
    is_meta: bool = False,
    language: str = "en",
) -> Statement:
    """A statement staff add themselves, accepted at once."""
    statement = _new_statement(
        conversation,
        _clean_statement_text(text),
        language=_language(language),
        is_seed=True,
        is_meta=is_meta,
        moderation=Statement.Moderation.ACCEPTED,
        moderated_by=actor,
        moderated_at=timezone.now(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        agency=conversation.agency,
        action="opinions.statement.seed",
        instance=statement,
        after=snapshot(statement, ["text", "is_meta", "moderation"]),
    )
    return statement


@transaction.atomic
def statement_submit(*, participant: Participant, text: str, language: str = "en") -> Statement:
    """A participant's own statement, awaiting moderation. Its author agrees
    with it, as in Polis: the vote is recorded at once."""
    conversation = participant.conversation
    if conversation.status != Conversation.Status.OPEN:
        raise ValidationError(_("This conversation is closed."))
    if not conversation.allow_statements:
        raise ValidationError(_("This conversation does not take new statements."))
    statement = _new_statement(
        conversation,
        _clean_statement_text(text),
        language=_language(language),
        author=participant,
        created_by=participant.user,
    )
    _vote_upsert(participant, statement, Vote.Value.AGREE)
    analysis_request(conversation=conversation)
    return statement


@transaction.atomic
def statement_moderate(
    *, actor: User, statement: Statement, moderation: str, is_meta: bool | None = None
) -> Statement:
    """Accept or moderate out a statement (and mark it meta or not). A statement
    moderated out stays in the record with its votes; the map leaves it out."""
    if moderation not in Statement.Moderation.values:
        raise ValidationError({"moderation": _("Choose accept or moderate out.")})
    before = snapshot(statement, STATEMENT_FIELDS)
    statement.moderation = moderation
    if is_meta is not None:
        statement.is_meta = is_meta
    statement.moderated_by = actor
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["moderation", "is_meta", "moderated_by", "moderated_at"])
    audit_record(
        actor=actor,
        agency=statement.conversation.agency,
        action="opinions.statement.moderate",
        instance=statement,
        before=before,
        after=snapshot(statement, STATEMENT_FIELDS),
    )
    if statement.votes.exists():
        # What the map leaves out has changed.
        analysis_request(conversation=statement.conversation)
    return statement


@transaction.atomic
def statement_to_candidate(*, actor: User, statement: Statement) -> Candidate:
    """Take a statement (common ground, usually) to the priority shortlist as a
    candidate, linked back to it so the worksheet shows how the groups voted."""
    if statement.candidate_id is not None:
        raise ValidationError(_("This statement is already a candidate priority."))
    if statement.moderation == Statement.Moderation.REJECTED or statement.is_meta:
        raise ValidationError(
            _("A statement moderated out, or about the conversation itself, cannot be a candidate.")
        )
    conversation = statement.conversation
    title = statement.text
    if len(title) > CANDIDATE_TITLE_LENGTH:
        title = title[: CANDIDATE_TITLE_LENGTH - 1].rstrip() + "…"
    candidate = Candidate.objects.create(
        agency=conversation.agency,
        title=title,
        description=_("“%(text)s” — common ground in the conversation “%(title)s”.")
        % {"text": statement.text, "title": conversation.title},
        language=statement.language,
        status=Candidate.Status.ACTIVE,
        source=Candidate.Source.CONVERSATION,
        created_by=actor,
    )
    before = snapshot(statement, STATEMENT_FIELDS)
    statement.candidate = candidate
    statement.save(update_fields=["candidate"])
    audit_record(
        actor=actor,
        agency=conversation.agency,
        action="priorities.candidate.create",
        instance=candidate,
        after=snapshot(candidate, ["title", "description", "status", "source"]),
    )
    audit_record(
        actor=actor,
        agency=conversation.agency,
        action="opinions.statement.shortlist",
        instance=statement,
        before=before,
        after=snapshot(statement, STATEMENT_FIELDS),
    )
    return candidate


# --- Participants ---


def new_participant_token() -> str:
    """A fresh anonymous participant's cookie token (only its hash is stored)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def participant_for(
    *,
    conversation: Conversation,
    user: User | None = None,
    token: str | None = None,
    external_id: str | None = None,
    create: bool = True,
) -> Participant | None:
    """The participant behind a signed-in user, an anonymous cookie token or an
    external id (exactly one), joining them to the conversation if `create`.

    Numbers are max+1 under a lock of the conversation row; should another
    request create the same participant at the same moment, the unique
    constraint refuses the second and it reads the first one's instead.
    """
    given = [v for v in (user, token, external_id) if v not in (None, "")]
    if len(given) != 1:
        raise ValueError("participant_for needs exactly one of user, token or external_id")
    if user is not None:
        if not user.is_authenticated:
            raise ValueError("participant_for needs a signed-in user")
        key: dict[str, object] = {"user": user}
    elif token:
        key = {"token_hash": token_hash(token)}
    else:
        key = {"external_id": external_id}
    existing = _participant(conversation, key)
    if existing is not None or not create:
        return existing
    for _attempt in range(2):
        try:
            with transaction.atomic():
                Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list(
                    "pk"
                ).get()
                # Another request may have joined them while this one waited.
                existing = _participant(conversation, key)
                if existing is not None:
                    return existing
                last = Participant.objects.filter(conversation=conversation).aggregate(
                    last=Max("number")
                )["last"]
                participant = Participant.objects.create(
                    conversation=conversation, number=0 if last is None else last + 1, **key
                )
                return participant
        except IntegrityError:
            continue
    existing = _participant(conversation, key)
    if existing is None:
        raise IntegrityError("participant could not be created")
    return existing


def _participant(conversation: Conversation, key: dict[str, object]) -> Participant | None:
    participant = Participant.objects.filter(conversation=conversation, **key).first()
    if participant is not None:
        participant.conversation = conversation
    return participant


def _signer(conversation: Conversation) -> signing.Signer:
    return signing.Signer(salt=f"roundtable.opinions.participant.{conversation.pk}")


def participant_link(*, conversation: Conversation, external_id: str) -> str:
    """The query string (`?xid=…&sig=…`) that lets someone known to another
    system by `external_id` take part as that person; the signature is bound to
    this conversation."""
    external_id = external_id.strip()
    if not external_id:
        raise ValidationError({"external_id": _("Give the external id.")})
    if len(external_id) > Participant._meta.get_field("external_id").max_length:  # type: ignore[operator]
        raise ValidationError({"external_id": _("This external id is too long.")})
    signature = _signer(conversation).signature(external_id)
    return "?" + urlencode({"xid": external_id, "sig": signature})


def external_id_from(*, conversation: Conversation, xid: str, sig: str) -> str | None:
    """The external id of a link made by `participant_link`, or None if the
    signature does not match (a forged or altered link)."""
    if not xid or not sig:
        return None
    expected = _signer(conversation).signature(xid)
    return xid if constant_time_compare(expected, sig) else None


# --- Votes and the debounced analysis ---


def _vote_upsert(participant: Participant, statement: Statement, value: int) -> Vote:
    """One statement, on SQLite and PostgreSQL alike: insert, or replace the
    participant's earlier vote on the statement."""
    now = timezone.now()
    vote = Vote(
        conversation_id=participant.conversation_id,
        participant=participant,
        statement=statement,
        value=value,
        created_at=now,
        updated_at=now,
    )
    Vote.objects.bulk_create(
        [vote],
        update_conflicts=True,
        unique_fields=["participant", "statement"],
        update_fields=["value", "updated_at"],
    )
    return vote


@transaction.atomic
def vote_cast(*, participant: Participant, statement: Statement, value: int) -> Vote:
    """Record (or change) a participant's vote and ask for the map to be redone.

    The returned vote carries the value and time just written; its
    `created_at` is the first vote's only when it was new.
    """
    conversation = participant.conversation
    if statement.conversation_id != conversation.pk:
        raise ValidationError(_("This statement belongs to another conversation."))
    if conversation.status != Conversation.Status.OPEN:
        raise ValidationError(_("This conversation is closed."))
    if value not in Vote.Value.values:
        raise ValidationError(_("Vote agree, disagree or pass."))
    if not is_visible(conversation, statement):
        raise ValidationError(_("This statement is not open for votes."))
    # The lock first: it also checks, under the lock, that the conversation is
    # still open (a close committed a moment ago refuses this vote).
    analysis_request(conversation=conversation, require_open=True)
    return _vote_upsert(participant, statement, value)
