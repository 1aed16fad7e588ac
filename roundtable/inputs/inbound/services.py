"""Storing an inbound SMS or email as an input: the one write path for webhooks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from roundtable.agencies.models import Agency
from roundtable.inputs.inbound.base import InboundMessage
from roundtable.inputs.models import Input, InputChannel, Notification, ReplyChannel, Topic
from roundtable.inputs.notifications import receipt_url
from roundtable.inputs.receipts import display
from roundtable.inputs.services import DuplicateInput, input_create


@dataclass(frozen=True)
class Received:
    input: Input
    # The provider sent this message before (a retry): nothing new was stored.
    duplicate: bool
    # The receipt notice in the contributor's language, for an inline reply.
    reply_text: str


@transaction.atomic
def inbound_receive(*, agency: Agency, message: InboundMessage, replies_inline: bool) -> Received:
    """Store `message` as an input of `agency`, with the sender as contact so
    the answer goes back the same way; or find it, when the provider retries.

    Topic is "other": staff re-classify. The receipt notice is queued by
    input_create; when the provider replies inline (an SMS answered in the
    webhook's response), that reply delivers it, so the queued notice is marked
    sent rather than sent a second time.
    """
    is_sms = message.channel == InputChannel.SMS
    try:
        item = input_create(
            agency=agency,
            channel=message.channel,
            topic=Topic.OTHER,
            text=message.text,
            language=message.language,
            is_anonymous=False,
            contact_phone=message.sender if is_sms else "",
            contact_email="" if is_sms else message.sender,
            reply_channel=ReplyChannel.SMS if is_sms else ReplyChannel.EMAIL,
            external_id=message.external_id,
            received_at=message.received_at,
        )
    except DuplicateInput as duplicate:
        return Received(duplicate.existing, True, _reply_text(duplicate.existing))
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it.
        existing = Input.objects.get(
            agency=agency, channel=message.channel, external_id=message.external_id
        )
        return Received(existing, True, _reply_text(existing))
    notice = item.notifications.order_by("pk").first()
    if replies_inline and notice is not None:
        notice.state = Notification.State.SENT
        notice.sent_at = timezone.now()
        notice.save(update_fields=["state", "sent_at"])
    return Received(item, False, _reply_text(item, notice))


def _reply_text(item: Input, notice: Notification | None = None) -> str:
    notice = notice or item.notifications.order_by("pk").first()
    if notice is not None:
        return f"{notice.subject}\n{notice.body}"
    with translation.override(item.language):
        context = {
            "input": item,
            "agency": item.agency,
            "code": display(item.receipt_code),
            "receipt_url": receipt_url(item),
        }
        return render_to_string("inputs/notices/received.txt", context).strip()
