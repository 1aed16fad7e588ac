"""Sending text messages, with a backend chosen by ROUNDTABLE_SMS_BACKEND.

Like Django's email backends: "console" prints, "locmem" keeps messages in
`outbox` for tests, "twilio" sends through Twilio's REST API. Another provider
is a class with `send(to, body)` named by its dotted path.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class SmsBackend(Protocol):
    def send(self, message: TextMessage) -> str:
        """Send it; return the provider's id for it. Raise on failure."""


class ConsoleBackend:
    def send(self, message: TextMessage) -> str:
        sys.stdout.write(f"SMS to {message.to}:\n{message.body}\n{'-' * 40}\n")
        return "console"


# Messages "sent" by LocmemBackend, for tests.
outbox: list[TextMessage] = []


class LocmemBackend:
    def send(self, message: TextMessage) -> str:
        outbox.append(message)
        return f"locmem-{len(outbox)}"


class TwilioBackend:
    """POST /2010-04-01/Accounts/{sid}/Messages.json with basic auth."""

    timeout = 10

    def send(self, message: TextMessage) -> str:
        sid = settings.ROUNDTABLE_TWILIO_ACCOUNT_SID
        token = settings.ROUNDTABLE_TWILIO_AUTH_TOKEN
        if not (sid and token and settings.ROUNDTABLE_TWILIO_FROM):
            raise RuntimeError("Twilio is not configured (ROUNDTABLE_TWILIO_*).")
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
        data = urllib.parse.urlencode(
            {"To": message.to, "From": settings.ROUNDTABLE_TWILIO_FROM, "Body": message.body}
        ).encode()
        request = urllib.request.Request(url, data=data, method="POST")
        credentials = base64.b64encode(f"{sid}:{token}".encode()).decode()
        request.add_header("Authorization", f"Basic {credentials}")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return str(json.load(response).get("sid", ""))


BACKENDS: dict[str, type[SmsBackend]] = {
    "console": ConsoleBackend,
    "locmem": LocmemBackend,
    "twilio": TwilioBackend,
}


def backend() -> SmsBackend:
    name = settings.ROUNDTABLE_SMS_BACKEND
    cls: type[SmsBackend] = BACKENDS.get(name) or import_string(name)
    return cls()


def send_sms(to: str, body: str) -> str:
    return backend().send(TextMessage(to=to, body=body))
