"""Background work of engagement events: thin wrappers around services."""

from __future__ import annotations

from django_tasks import task

from roundtable.engagement import notices


@task()
def send_registrant_notice(registration_id: int, notice: str) -> str:
    """Tell one registrant their event is cancelled or changed; returns what happened."""
    return notices.registrant_notice_send(registration_id=registration_id, notice=notice)
