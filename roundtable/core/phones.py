"""Phone numbers in one form: E.164 (+15552013344), what SMS providers need.

People type numbers every way ("(555) 201-3344", "555.201.3344", "+52 55 1234
5678"); numbers without a country code are read as in ROUNDTABLE_PHONE_REGION.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings


class NotAPhoneNumber(ValueError):
    pass


def to_e164(raw: str) -> str:
    """`raw` in E.164, "" for blank; raises NotAPhoneNumber when it cannot be a number."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, settings.ROUNDTABLE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise NotAPhoneNumber(raw) from None
    if not phonenumbers.is_possible_number(number):
        raise NotAPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
