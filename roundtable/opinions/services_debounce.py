"""The debounce between votes and the opinion map's recompute.

Every vote (and every moderation that changes what the map leaves out) asks
for a recompute, but at most one is pending per conversation: the first
request marks the conversation (`analysis_requested_at`) and queues the task,
after `ROUNDTABLE_OPINION_ANALYSIS_DELAY` seconds when the queue can defer, so
that a burst of votes leads to one run. The run clears the mark when it starts
(`services_analysis.analysis_run`), so votes during the run queue the next one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.opinions.models import Conversation
from roundtable.opinions.tasks import analyse_conversation_task


def analysis_request(*, conversation: Conversation, require_open: bool = False) -> bool:
    """Mark the conversation as having votes no map has seen and queue one
    analysis, unless one is already pending. True if this call queued it.

    With `require_open` (a vote), the status is read under the same lock and a
    closed conversation refuses: a vote in flight while a coordinator closes the
    conversation is either in before the close or refused, never after it.

    Why a lock: the task clears the mark and then reads the votes. A vote
    written just before the clear, whose transaction commits after the read,
    would be in neither that run nor (finding the mark still set) trigger the
    next. Reading the mark with SELECT … FOR UPDATE makes the task's clearing
    UPDATE wait for this transaction to commit, so the task then reads the vote;
    or, if the clear came first, this call sees no mark and queues a new run.
    (SQLite takes the database's write lock at the start of the transaction,
    which orders them the same way.)
    """
    # No savepoint: inside vote_cast's transaction it would cost two more
    # round trips per vote.
    with transaction.atomic(savepoint=False):
        pending, status = (
            Conversation.objects.select_for_update()
            .filter(pk=conversation.pk)
            .values_list("analysis_requested_at", "status")
            .get()
        )
        if require_open and status != Conversation.Status.OPEN:
            raise ValidationError(_("This conversation is closed."))
        if pending is not None:
            return False
        now = timezone.now()
        marked = Conversation.objects.filter(
            pk=conversation.pk, analysis_requested_at__isnull=True
        ).update(analysis_requested_at=now)
        if marked != 1:
            return False
        conversation.analysis_requested_at = now
        transaction.on_commit(lambda: _enqueue_analysis(conversation.pk))
    return True


def _enqueue_analysis(conversation_id: int) -> None:
    if analyse_conversation_task.get_backend().supports_defer:
        delay = dt.timedelta(seconds=settings.ROUNDTABLE_OPINION_ANALYSIS_DELAY)
        analyse_conversation_task.using(run_after=timezone.now() + delay).enqueue(conversation_id)
    else:
        analyse_conversation_task.enqueue(conversation_id)
