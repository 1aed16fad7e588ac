"""Background work of opinion conversations: thin wrappers around services."""

from __future__ import annotations

from django_tasks import task

from roundtable.opinions import services_analysis


@task()
def analyse_conversation_task(conversation_id: int) -> int:
    """Recompute a conversation's opinion map; the number of votes it counted
    (-1 when the conversation is gone)."""
    analysis = services_analysis.analysis_run_by_id(conversation_id=conversation_id)
    return analysis.vote_count if analysis is not None else -1
