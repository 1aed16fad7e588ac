"""Storing an inbound SMS or email as an input: the one write path for webhooks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from roundtable.agencies.models import Agency
from roundtable.inputs.inbound.base import InboundMessage
from roundtable.inputs.models import Input, InputChannel, Notification, ReplyChannel, Topic
from roundtable.inputs.notifications import notice_render, notification_mark_sent
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
    the answer goes back the same way; or find it, when the provider retries
    (also when the retry races the first delivery: input_create says
    DuplicateInput either way).

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
    notice = item.notifications.order_by("pk").first()
    if replies_inline and notice is not None:
        notification_mark_sent(notification=notice)
    return Received(item, False, _reply_text(item, notice))


def _reply_text(item: Input, notice: Notification | None = None) -> str:
    """The receipt notice as queued; rendered afresh only for an input that has
    none (a contributor who could not be reached when it was stored)."""
    notice = notice or item.notifications.order_by("pk").first()
    if notice is None:
        subject, body = notice_render(input=item, template="received", context={})
    else:
        subject, body = notice.subject, notice.body
    return f"{subject}\n{body}"
