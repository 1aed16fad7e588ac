"""Messages to people who registered for an event and left an email or phone.

They hear from us for three reasons only, each in their preferred language:
a reminder before the meeting (`reminders.py`), and word when the meeting is
cancelled or its time, place, format or join link changes. The event services
queue the change notices (`registrants_tell`), and a background task
(`tasks.send_registrant_notice`) sends each through `registrant_notice_send`.

The text is rendered when the task runs, from the event as it is then, and
the address is read then too: a registration whose details were erased in the
meantime is not written to, and a "changed" notice overtaken by a cancellation
is not sent. Nothing here logs an address: a provider's error message may
contain it, so only the error's class is logged.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from roundtable.engagement.models import Event, EventFormat, Registration
from roundtable.inputs.redaction import redact
from roundtable.inputs.sms import send_sms

logger = logging.getLogger(__name__)

CANCELLED, CHANGED = "cancelled", "changed"
NOTICES = (CANCELLED, CHANGED)
SENT, SKIPPED, FAILED, MISSING = "sent", "skipped", "failed", "missing"


def event_public_url(event: Event) -> str:
    path = reverse("events_public:detail", args=[event.agency.slug, event.pk])
    return settings.ROUNDTABLE_PUBLIC_URL.rstrip("/") + path


def when_text(event: Event) -> str:
    """The start, local and in the active language."""
    return formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")


def where_text(event: Event) -> str:
    """Where, in a few words of the active language ("online" for a virtual meeting)."""
    if event.format == EventFormat.VIRTUAL:
        return _("online")
    place = ", ".join(part for part in (event.place_name, event.address) if part)
    if event.format == EventFormat.HYBRID:
        return _("%(place)s and online") % {"place": place}
    return place


def reachable(registration: Registration) -> bool:
    return bool(registration.email or registration.phone)


def registrants_tell(*, event: Event, notice: str) -> None:
    """Queue `notice` for everyone registered for `event` with an email or phone.

    Each is sent by its own task once the transaction commits, so a change
    rolled back tells nobody and one failing address does not hold up the rest.
    Call it inside the transaction that saves the change.
    """
    if notice not in NOTICES:
        raise ValueError(f"unknown notice {notice!r}")
    from roundtable.engagement.tasks import send_registrant_notice  # the task imports this module

    pks = (
        event.registrations.exclude(email="", phone="").order_by("pk").values_list("pk", flat=True)
    )
    for pk in pks:
        transaction.on_commit(partial(send_registrant_notice.enqueue, pk, notice))


def notice_text(registration: Registration, template: str) -> tuple[str, str]:
    """(subject, body) of `engagement/notices/<template>.txt` in the registrant's
    language; the template's first line is the subject."""
    event = registration.event
    with translation.override(registration.preferred_language):
        where = ""
        if event.format != EventFormat.VIRTUAL:
            where = ", ".join(part for part in (event.place_name, event.address) if part)
        context = {
            "event": event,
            "when": when_text(event),
            "where": where,
            "join_url": event.join_url if event.format != EventFormat.IN_PERSON else "",
            # Staff-written and also shown on the public page: redacted alike.
            "note": redact(event.cancellation_note),
            "url": event_public_url(event),
        }
        text = render_to_string(f"engagement/notices/{template}.txt", context).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip(), body.strip()


def deliver(registration: Registration, subject: str, body: str) -> None:
    """By email when the registrant left one, otherwise by text message.
    Raises whatever the mail or SMS backend raises."""
    if registration.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
    else:
        send_sms(registration.phone, f"{subject}\n{body}")


def _still_true(notice: str, event: Event) -> bool:
    if notice == CANCELLED:
        return event.status == Event.Status.CANCELLED
    return event.status == Event.Status.SCHEDULED and event.ends_at > timezone.now()


def registrant_notice_send(*, registration_id: int, notice: str) -> str:
    """Tell one registrant that their event is cancelled or has changed.

    Returns "sent", "skipped" (no contact details any more, or the news is no
    longer true), "failed" (logged without the address; not retried) or
    "missing" (the registration is gone)."""
    if notice not in NOTICES:
        raise ValueError(f"unknown notice {notice!r}")
    registration = (
        Registration.objects.select_related("event__agency").filter(pk=registration_id).first()
    )
    if registration is None:
        return MISSING
    if not reachable(registration) or not _still_true(notice, registration.event):
        return SKIPPED
    subject, body = notice_text(registration, notice)
    try:
        deliver(registration, subject, body)
    except Exception as error:  # any provider failure; its message may hold the address
        logger.warning(
            "Notice %r to registration %s failed (%s)",
            notice,
            registration_id,
            type(error).__name__,
        )
        return FAILED
    return SENT
