"""Mailgun inbound routes: email.

A route with `forward("https://…/hooks/mailgun/<agency>/")` POSTs the parsed
message: sender, from, recipient, subject, body-plain, stripped-text (the
reply without quoted text and signature), Message-Id, and timestamp, token and
signature, where signature is the hex HMAC-SHA256 of timestamp + token keyed
with the webhook signing key. The signature covers neither the message nor
the agency, so a captured request must not be usable again: a timestamp more
than 15 minutes from now is refused, and within those 15 minutes a token is
accepted once (remembered in the cache for the window, as Mailgun advises).
A retry of a message already stored (same Message-Id, new token) stores
nothing new.

The answer (the receipt code) goes back by email through the normal "received"
notification; the webhook only says 200. A message we will not store gets 406,
which tells Mailgun not to retry it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse

from roundtable.inputs.inbound.base import MAX_TEXT, InboundMessage, InvalidMessage, language_of
from roundtable.inputs.inbound.services import Received
from roundtable.inputs.models import InputChannel
from roundtable.inputs.receipts import display

REPLAY_WINDOW_SECONDS = 15 * 60


def now() -> float:
    """The clock the replay check reads (tests set it to the recorded payload's time)."""
    return time.time()


def signature(signing_key: str, timestamp: str, token: str) -> str:
    return hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()


class MailgunEmail:
    name = "mailgun"
    channel = InputChannel.EMAIL
    replies_inline = False

    def verify(self, request: HttpRequest) -> bool:
        key = settings.ROUNDTABLE_MAILGUN_SIGNING_KEY
        timestamp = request.POST.get("timestamp", "")
        token = request.POST.get("token", "")
        given = request.POST.get("signature", "")
        if not (key and timestamp.isdigit() and token and given):
            return False
        if abs(now() - int(timestamp)) > REPLAY_WINDOW_SECONDS:
            return False
        if not hmac.compare_digest(signature(key, timestamp, token), given):
            return False
        # Only a genuine signature spends its token (forgeries fill no cache).
        # add() is atomic: of two requests with one token, one gets False.
        token_key = "mailgun:" + hashlib.sha256(token.encode()).hexdigest()
        return cache.add(token_key, 1, REPLAY_WINDOW_SECONDS)

    def parse(self, request: HttpRequest) -> InboundMessage:
        data = request.POST
        sender = parseaddr(data.get("from", ""))[1] or data.get("sender", "")
        try:
            validate_email(sender)
        except ValidationError:
            raise InvalidMessage("no usable sender address") from None
        message_id = data.get("Message-Id", "").strip().strip("<>")
        if not message_id:
            raise InvalidMessage("Message-Id is required")
        subject = data.get("subject", "").strip()
        # stripped-text leaves out the quoted thread and the signature.
        body = (data.get("stripped-text") or data.get("body-plain") or "").strip()
        text = f"{subject}\n\n{body}" if subject and not body.startswith(subject) else body
        return InboundMessage(
            channel=InputChannel.EMAIL,
            sender=sender.lower(),
            text=text.strip()[:MAX_TEXT],
            external_id=message_id[:200],
            received_at=dt.datetime.fromtimestamp(int(data["timestamp"]), tz=dt.UTC),
            language=language_of(subject, body),
        )

    def reply(self, received: Received) -> HttpResponse:
        return JsonResponse(
            {"receipt": display(received.input.receipt_code), "duplicate": received.duplicate}
        )

    def refuse(self, reason: str) -> HttpResponse:
        return JsonResponse({"refused": reason}, status=406)
