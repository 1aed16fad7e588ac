"""Telling contributors what happened to what they said ("you said, we did").

`relay` is the one way news about an input goes out: it adds a public update
(read under the receipt code by anyone who holds it, anonymous contributors
included) and, when the contributor left contact details, queues a message in
their language that a background task sends by email or SMS.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from roundtable.inputs.models import Input, Notification, PublicUpdate, ReplyChannel
from roundtable.inputs.receipts import display
from roundtable.inputs.redaction import EMAIL, PHONE, redact
from roundtable.inputs.sms import send_sms


def receipt_url(input: Input) -> str:
    path = reverse("inputs_public:receipt", args=[input.agency.slug, input.receipt_code])
    return settings.ROUNDTABLE_PUBLIC_URL.rstrip("/") + path


def _reachable(input: Input) -> bool:
    if input.is_anonymous:
        return False
    if input.reply_channel == ReplyChannel.EMAIL:
        return bool(input.contact_email)
    if input.reply_channel == ReplyChannel.SMS:
        return bool(input.contact_phone)
    return False


def notice_render(*, input: Input, template: str, context: dict[str, object]) -> tuple[str, str]:
    """(subject, body) of `inputs/notices/<template>.txt` in the input's language."""
    with translation.override(input.language):
        full = {
            **context,
            "input": input,
            "agency": input.agency,
            "code": display(input.receipt_code),
            "receipt_url": receipt_url(input),
        }
        text = render_to_string(f"inputs/notices/{template}.txt", full).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip()[:200], body.strip()


@transaction.atomic
def notification_queue(
    *, input: Input, template: str, context: dict[str, object]
) -> Notification | None:
    """Render `inputs/notices/<template>.txt` in the contributor's language and
    queue it; None when the contributor cannot be reached (anonymous, no contact)."""
    if not _reachable(input):
        return None
    subject, body = notice_render(input=input, template=template, context=context)
    notification = Notification.objects.create(
        input=input,
        channel=input.reply_channel,
        language=input.language,
        subject=subject,
        body=body,
    )
    from roundtable.inputs.tasks import send_notification  # the task imports this module

    transaction.on_commit(lambda: send_notification.enqueue(notification.pk))
    return notification


@transaction.atomic
def relay(
    *,
    input: Input,
    text: str,
    template: str = "update",
    now: dt.datetime | None = None,
    context: dict[str, object] | None = None,
) -> PublicUpdate:
    """Record news on `input` for its receipt page, and tell the contributor.

    `text` is shown as is (callers pass it redacted and in the input's language).
    """
    update = PublicUpdate.objects.create(input=input, text=text, created_at=now or timezone.now())
    notification_queue(input=input, template=template, context={"text": text, **(context or {})})
    return update


def notification_mark_sent(*, notification: Notification) -> Notification:
    """Record a queued notice as delivered by other means (an SMS reply given in
    the provider's webhook response), so the task does not send it again."""
    notification.state = Notification.State.SENT
    notification.sent_at = timezone.now()
    notification.save(update_fields=["state", "sent_at"])
    return notification


def _failure(error: Exception, input: Input) -> str:
    """What the ledger keeps of a failed send. Every ledger reader sees it, so
    it must not carry the contributor's address, which providers' errors often
    quote (SMTPRecipientsRefused is the addresses it refused): the address we
    wrote to is taken out by name, anything else that looks like one by
    `redact` (which keeps numbers that are not valid phone numbers)."""
    message = str(error)
    for contact, token in (
        (input.contact_email, EMAIL),
        (input.contact_phone, PHONE),
        (input.contact_phone.lstrip("+"), PHONE),
    ):
        if contact:
            message = re.sub(re.escape(contact), token, message, flags=re.IGNORECASE)
    return f"{type(error).__name__}: {redact(message)}"[:300]


@transaction.atomic
def notification_send(*, notification_id: int) -> str:
    """Send a queued notice once. The address is read from the input now, so a
    contact erased since it was queued is not written to."""
    notification = (
        Notification.objects.select_for_update()
        .select_related("input")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.state != Notification.State.QUEUED:
        return notification.state if notification else "missing"
    input = notification.input
    if not _reachable(input) or input.reply_channel != notification.channel:
        notification.state = Notification.State.SKIPPED
    else:
        try:
            if notification.channel == ReplyChannel.EMAIL:
                send_mail(
                    notification.subject,
                    notification.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [input.contact_email],
                )
            else:
                send_sms(input.contact_phone, f"{notification.subject}\n{notification.body}")
            notification.state = Notification.State.SENT
            notification.sent_at = timezone.now()
        except Exception as error:  # any provider failure is recorded, not raised
            notification.state = Notification.State.FAILED
            notification.error = _failure(error, input)
    notification.save(update_fields=["state", "sent_at", "error"])
    return notification.state


def notifications_send_queued(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Send notices whose task never ran (a worker was down): the scheduled sweep."""
    cutoff = timezone.now() - older_than
    ids = list(
        Notification.objects.filter(state=Notification.State.QUEUED, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(notification_send(notification_id=pk) == Notification.State.SENT for pk in ids)
