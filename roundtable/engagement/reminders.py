"""Reminders to people who registered for an event with contact details.

`event_reminders_send` is run by the scheduled command `roundtable
event_reminders`; each registration is reminded once (`reminded_at`), by email
when it left an address, otherwise by text message, in its preferred language.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from roundtable.engagement.models import Event, Registration
from roundtable.engagement.notices import deliver, notice_text

logger = logging.getLogger(__name__)


def reminder_text(registration: Registration) -> tuple[str, str]:
    """(subject, body) in the registrant's language."""
    return notice_text(registration, "reminder")


def _due(now: dt.datetime, hours: int) -> list[int]:
    return list(
        Registration.objects.filter(
            reminded_at__isnull=True,
            event__status=Event.Status.SCHEDULED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + dt.timedelta(hours=hours),
        )
        .filter(~Q(email="") | ~Q(phone=""))
        .order_by("event__starts_at", "pk")
        .values_list("pk", flat=True)
    )


def event_reminders_send(*, hours: int = 48, now: dt.datetime | None = None) -> int:
    """Remind everyone due (events starting within `hours`); returns how many
    were sent. A failed send is logged and tried again on the next run."""
    now = now or timezone.now()
    sent = 0
    for pk in _due(now, hours):
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update()
                .select_related("event__agency")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if registration is None:  # another run took it
                continue
            subject, body = reminder_text(registration)
            try:
                deliver(registration, subject, body)
            except Exception as error:
                # Not logger.exception: a provider's message may hold the address.
                logger.warning("Reminder for registration %s failed (%s)", pk, type(error).__name__)
                continue
            registration.reminded_at = timezone.now()
            registration.save(update_fields=["reminded_at"])
            sent += 1
    return sent
