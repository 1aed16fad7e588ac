"""Reminders to people who registered for an event with contact details.

`event_reminders_send` is run by the scheduled command `roundtable
event_reminders`; each registration is reminded once (`reminded_at`), by email
when it left an address, otherwise by text message, in its preferred language.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from roundtable.engagement.models import Event, EventFormat, Registration
from roundtable.inputs.sms import send_sms

logger = logging.getLogger(__name__)


def event_public_url(event: Event) -> str:
    path = reverse("events_public:detail", args=[event.agency.slug, event.pk])
    return settings.ROUNDTABLE_PUBLIC_URL.rstrip("/") + path


def reminder_text(registration: Registration) -> tuple[str, str]:
    """(subject, body) in the registrant's language."""
    event = registration.event
    with translation.override(registration.preferred_language):
        where = ""
        if event.format != EventFormat.VIRTUAL:
            where = ", ".join(part for part in (event.place_name, event.address) if part)
        context = {
            "event": event,
            "when": formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT"),
            "where": where,
            "url": event_public_url(event),
        }
        text = render_to_string("engagement/notices/reminder.txt", context).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip(), body.strip()


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
                if registration.email:
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
                else:
                    send_sms(registration.phone, f"{subject}\n{body}")
            except Exception:
                logger.exception("Reminder for registration %s failed", pk)
                continue
            registration.reminded_at = timezone.now()
            registration.save(update_fields=["reminded_at"])
            sent += 1
    return sent
