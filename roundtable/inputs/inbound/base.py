"""What an inbound provider is, and the registry of providers by name.

A provider turns a provider's webhook request into an `InboundMessage` and
answers the provider in its own dialect. `verify` runs before anything else
reads the request: a request whose signature does not hold is refused (403)
and nothing is stored.

The shipped providers are listed in PROVIDERS; a deployment adds its own with
the optional setting ROUNDTABLE_INBOUND_PROVIDERS = {"name": "dotted.path.Class"}.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from roundtable.inputs.models import InputChannel

if TYPE_CHECKING:
    from roundtable.inputs.inbound.services import Received

PROVIDERS: dict[str, str] = {
    "twilio": "roundtable.inputs.inbound.twilio.TwilioSms",
    "mailgun": "roundtable.inputs.inbound.mailgun.MailgunEmail",
}
# The first word of a message that asks for answers in Spanish. Only an
# explicit keyword: guessing a language from a few words of a text message
# gets short messages wrong. "Es" also starts many Spanish sentences, which is
# the right answer for those too. The keyword stays in the text.
SPANISH_KEYWORDS = frozenset({"es", "español", "espanol", "spanish"})
# Longer messages are kept up to this many characters (a forwarded thread).
MAX_TEXT = 20_000


@dataclass(frozen=True)
class InboundMessage:
    channel: InputChannel
    # E.164 phone number or email address: the contact the answer goes back to.
    sender: str
    text: str
    # The provider's id for the message; a retry carries the same one.
    external_id: str
    received_at: dt.datetime
    language: str = "en"


class InvalidMessage(Exception):
    """The request is signed but is not a message we can store."""


class Provider(Protocol):
    name: str
    channel: InputChannel
    # The answer is given in the webhook's response (an SMS reply), rather
    # than by the notification task.
    replies_inline: bool

    def verify(self, request: HttpRequest) -> bool:
        """True when the request carries the provider's valid signature."""

    def parse(self, request: HttpRequest) -> InboundMessage:
        """The message; raises InvalidMessage."""

    def reply(self, received: Received) -> HttpResponse:
        """The response once the message is stored (or was already)."""

    def refuse(self, reason: str) -> HttpResponse:
        """The response for a signed request that cannot be stored."""


def provider_for(name: str) -> Provider | None:
    path = {**PROVIDERS, **getattr(settings, "ROUNDTABLE_INBOUND_PROVIDERS", {})}.get(name)
    if path is None:
        return None
    provider: Provider = import_string(path)()
    return provider


def language_of(*texts: str) -> str:
    """'es' when the first word of the first non-empty text is a Spanish keyword."""
    for text in texts:
        words = text.split(maxsplit=1)
        if words:
            first = words[0].strip(".,:;!¡¿?-").casefold()
            return "es" if first in SPANISH_KEYWORDS else "en"
    return "en"
