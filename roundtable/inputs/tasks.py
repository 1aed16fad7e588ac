"""Background work of the response ledger: thin wrappers around services."""

from __future__ import annotations

from django_tasks import task

from roundtable.inputs import notifications


@task()
def send_notification(notification_id: int) -> str:
    """Send one queued notice to a contributor; returns its final state."""
    return notifications.notification_send(notification_id=notification_id)
