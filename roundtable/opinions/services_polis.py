"""Polis open-data folders in and out of the database.

`conversation_import_polis` turns a `PolisFolder` (read by `polis_folder`) into a
conversation that keeps the export's numbers: comment ids become statement
numbers and voter ids participant numbers, so a re-analysis can be set beside
the groups Polis published. Only the latest vote per pair is stored (Vote holds a
participant's current vote). An imported conversation is a record of something
that already happened, so it arrives closed and unpublished; a coordinator
reopens or publishes it deliberately. Everything is written in one transaction
(a bad folder leaves nothing behind); the analysis runs once it has committed,
so a slow analysis never holds the import's transaction open.

`conversation_export_polis` writes the same layout back from the database, with
the group ids and group-informed consensus of the stored analysis, so any
conversation, imported or not, can be taken to other Polis tools.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.audit.services import audit_record
from roundtable.opinions.models import Analysis, Conversation, Participant, Statement, Vote
from roundtable.opinions.polis_folder import PolisComment, PolisFolder
from roundtable.opinions.polis_folder_write import polis_folder_files
from roundtable.opinions.services_analysis import analysis_run

# Rows per INSERT: large enough that per-query overhead vanishes, small enough
# for SQLite's variable limit (Vote has 6 columns).
BATCH = 2000
TITLE_MAX = Conversation._meta.get_field("title").max_length or 200
SOURCE_MAX = Conversation._meta.get_field("imported_from").max_length or 300
EXTERNAL_ID_MAX = Participant._meta.get_field("external_id").max_length or 200

_MODERATION_IN = {
    1: Statement.Moderation.ACCEPTED,
    -1: Statement.Moderation.REJECTED,
    0: Statement.Moderation.UNMODERATED,
}
_MODERATION_OUT = {str(value): key for key, value in _MODERATION_IN.items()}


def _moment(millis: int, fallback: dt.datetime) -> dt.datetime:
    return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC) if millis else fallback


def conversation_import_polis(
    *,
    actor: User | None,
    agency: Agency,
    folder: PolisFolder,
    title: str,
    source: str,
) -> Conversation:
    """A new (closed, unpublished) conversation holding the folder; then its analysis.

    `title` may be empty: the export's topic is used, then `source`.
    """
    topic = folder.summary.get("topic", "").strip()
    title = " ".join((title or topic or source).split())[:TITLE_MAX]
    if not title:
        raise ValidationError({"title": _("Give the conversation a title.")})
    too_long = [xid for xid in folder.xids.values() if len(xid) > EXTERNAL_ID_MAX]
    if too_long:
        raise ValidationError(
            _("An external id is longer than %(n)d characters: %(xid)s")
            % {"n": EXTERNAL_ID_MAX, "xid": too_long[0][:40]}
        )
    with transaction.atomic():
        conversation = _write(actor=actor, agency=agency, folder=folder, title=title,
                              topic=topic, source=source)  # fmt: skip
        # Runs when the outermost transaction commits (at once without one): the
        # analysis reads committed rows and never extends the import's transaction.
        transaction.on_commit(partial(analysis_run, conversation=conversation))
    return conversation


def _write(
    *, actor: User | None, agency: Agency, folder: PolisFolder, title: str, topic: str,
    source: str,
) -> Conversation:  # fmt: skip
    now = timezone.now()
    conversation = Conversation.objects.create(
        agency=agency,
        title=title,
        question=folder.summary.get("question", "").strip() or topic or title,
        description=folder.summary.get("conversation-description", "").strip(),
        status=Conversation.Status.CLOSED,
        public_report=False,
        imported_from=source[:SOURCE_MAX],
        created_by=actor,
    )
    keep = folder.latest_votes()
    voters = folder.participants[keep]
    authors = {comment.author for comment in folder.comments if comment.author is not None}
    numbers = sorted(set(voters.tolist()) | authors | set(folder.exported_groups))
    Participant.objects.bulk_create(
        (
            Participant(conversation=conversation, number=number,
                        external_id=folder.xids.get(number, ""))
            for number in numbers
        ),
        batch_size=BATCH,
    )  # fmt: skip
    participant_ids = dict(
        Participant.objects.filter(conversation=conversation).values_list("number", "pk")
    )
    Statement.objects.bulk_create(
        (_statement(conversation, comment, participant_ids, actor, now)
         for comment in folder.comments),
        batch_size=BATCH,
    )  # fmt: skip
    statement_ids = dict(
        Statement.objects.filter(conversation=conversation).values_list("number", "pk")
    )
    votes = (
        Vote(
            conversation=conversation,
            participant_id=participant_ids[p],
            statement_id=statement_ids[s],
            value=v,
            created_at=_moment(first, now),
            updated_at=_moment(last, now),
        )
        for p, s, v, first, last in zip(
            voters.tolist(),
            folder.statements[keep].tolist(),
            folder.values[keep].tolist(),
            folder.first_voted().tolist(),
            folder.timestamps[keep].tolist(),
            strict=True,
        )
    )
    Vote.objects.bulk_create(votes, batch_size=BATCH)
    clustered = [group for group in folder.exported_groups.values() if group is not None]
    audit_record(
        actor=actor,
        agency=agency,
        action="opinions.import",
        instance=conversation,
        after={
            "source": conversation.imported_from,
            "statements": len(folder.comments),
            "moderated_out": sum(1 for c in folder.comments if c.moderated < 0),
            "participants": len(numbers),
            "votes": int(keep.size),
            "vote_rows": folder.vote_rows,
            "exported_groups": len(set(clustered)),
            "exported_clustered": len(clustered),
        },
    )
    return conversation


def _statement(
    conversation: Conversation,
    comment: PolisComment,
    participant_ids: dict[int, int],
    actor: User | None,
    now: dt.datetime,
) -> Statement:
    return Statement(
        conversation=conversation,
        number=comment.number,
        text=comment.text,
        author_id=participant_ids.get(comment.author) if comment.author is not None else None,
        is_seed=comment.is_seed,
        is_meta=comment.is_meta,
        moderation=_MODERATION_IN[comment.moderated],
        created_by=actor,
        created_at=comment.created or now,
    )


def conversation_as_polis_folder(
    *, conversation: Conversation, include_external_ids: bool = False
) -> PolisFolder:
    """The conversation as a PolisFolder: its statements, current votes and latest map.

    External ids (another system's panel or member ids) identify people, and an
    export may be published as open data: they are left out unless asked for.
    """
    analysis = Analysis.objects.filter(conversation=conversation).first()
    result = analysis.result if analysis is not None else {}
    consensus = {
        int(number): float(value)
        for number, value in (result.get("group_informed_consensus") or {}).items()
    }
    comments = [
        PolisComment(
            number=number,
            author=author,
            text=text,
            moderated=_MODERATION_OUT[moderation],
            is_meta=is_meta,
            is_seed=is_seed,
            created=created,
            group_informed_consensus=consensus.get(number),
        )
        for number, author, text, moderation, is_meta, is_seed, created in Statement.objects
        .filter(conversation=conversation)
        .order_by("number")
        .values_list("number", "author__number", "text", "moderation", "is_meta", "is_seed",
                     "created_at")
    ]  # fmt: skip
    rows = list(
        Vote.objects.filter(conversation=conversation)
        .order_by("updated_at", "pk")
        .values_list("participant__number", "statement__number", "value", "updated_at")
    )
    participants = np.asarray([row[0] for row in rows], dtype=np.int64)
    statements = np.asarray([row[1] for row in rows], dtype=np.int64)
    values = np.asarray([row[2] for row in rows], dtype=np.int8)
    stamps = np.asarray([round(row[3].timestamp() * 1000) for row in rows], dtype=np.int64)
    groups: dict[int, int | None] = {
        int(point["participant"]): point.get("group") for point in result.get("participants", [])
    }
    xids = (
        dict(
            Participant.objects.filter(conversation=conversation)
            .exclude(external_id="")
            .values_list("number", "external_id")
        )
        if include_external_ids
        else {}
    )
    summary = {
        "topic": conversation.title,
        "question": conversation.question,
        "voters": str(len(set(participants.tolist()))),
        "voters-in-conv": str(result.get("in_conv", 0)),
        "commenters": str(len({c.author for c in comments if c.author is not None})),
        "comments": str(len(comments)),
        "groups": str(len(result.get("groups", []))),
        "conversation-description": conversation.description,
    }
    return PolisFolder(
        comments=comments,
        participants=participants,
        statements=statements,
        values=values,
        timestamps=stamps,
        exported_groups=groups,
        xids=xids,
        summary=summary,
    )


def conversation_export_polis(
    *, conversation: Conversation, include_external_ids: bool = False
) -> dict[str, bytes]:
    """The four files of a Polis export (`{filename: contents}`), group ids ours;
    external ids only when asked for (see conversation_as_polis_folder)."""
    return polis_folder_files(
        conversation_as_polis_folder(
            conversation=conversation, include_external_ids=include_external_ids
        )
    )
