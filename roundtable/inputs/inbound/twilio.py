"""Twilio Programmable Messaging: inbound SMS.

Twilio POSTs the message form-encoded (From, To, Body, MessageSid …) and
signs it: X-Twilio-Signature is the base64 HMAC-SHA1, keyed with the account's
auth token, of the full URL it called followed by every POST parameter, sorted
by name, as name and value run together. The URL is ours as Twilio sees it:
ROUNDTABLE_PUBLIC_URL plus the path, which is also the URL to give Twilio (a
proxy in front may change the scheme or host the application sees).

The answer is TwiML: a <Message> back to the sender with their receipt code
and the link to follow the answer, in their language (see base.language_of).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.core.phones import NotAPhoneNumber, to_e164
from roundtable.inputs.inbound.base import MAX_TEXT, InboundMessage, InvalidMessage, language_of
from roundtable.inputs.inbound.services import Received
from roundtable.inputs.models import InputChannel


def signature(auth_token: str, url: str, params: Mapping[str, list[str]]) -> str:
    """Twilio's request signature of `url` and the POST `params`."""
    payload = url + "".join(name + value for name in sorted(params) for value in params[name])
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twiml(text: str = "") -> HttpResponse:
    message = f"<Message>{escape(text)}</Message>" if text else ""
    body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{message}</Response>'
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


class TwilioSms:
    name = "twilio"
    channel = InputChannel.SMS
    replies_inline = True

    def url(self, request: HttpRequest) -> str:
        return settings.ROUNDTABLE_PUBLIC_URL.rstrip("/") + request.get_full_path()

    def verify(self, request: HttpRequest) -> bool:
        token = settings.ROUNDTABLE_TWILIO_AUTH_TOKEN
        given = request.headers.get("X-Twilio-Signature", "")
        if not token or not given:
            return False
        expected = signature(token, self.url(request), dict(request.POST.lists()))
        return hmac.compare_digest(expected, given)

    def parse(self, request: HttpRequest) -> InboundMessage:
        data = request.POST
        sid = data.get("MessageSid") or data.get("SmsSid") or ""
        sender = data.get("From", "")
        if not sid or not sender:
            raise InvalidMessage("MessageSid and From are required")
        try:
            # Twilio sends E.164 already; a short code or alphanumeric sender
            # is not a number we can answer.
            number = to_e164(sender)
        except NotAPhoneNumber:
            raise InvalidMessage("not a phone number we can answer") from None
        text = data.get("Body", "").strip()[:MAX_TEXT]
        return InboundMessage(
            channel=InputChannel.SMS,
            sender=number,
            text=text,
            external_id=sid,
            # Twilio sends no time: it calls within seconds of the message.
            received_at=timezone.now(),
            language=language_of(text),
        )

    def reply(self, received: Received) -> HttpResponse:
        return twiml(received.reply_text)

    def refuse(self, reason: str) -> HttpResponse:
        # 200 with a word to the sender, so Twilio does not retry a message
        # that would be refused again.
        return twiml(_("Please write your message as text."))
