"""Redacting personal details from free text before it is shown in public.

`redact(text)` replaces what could identify or reach a person with a neutral,
bracketed token naming what was removed:

- ``[email]``   an email address;
- ``[phone]``   a telephone number: US numbers as people write them (found by
  libphonenumber's matcher, region US, with the *strict grouping* leniency, so
  "(312) 555-0198", "312.555.0198" and "3125550198" go but a case number such
  as "2024-001234", whose digits are not grouped like a phone number, stays),
  international numbers written with "+", Spanish numbers ("612 34 56 78"),
  and seven-digit local numbers ("555-1234");
- ``[address]`` a street address: US style ("1234 N Main St", "the 1200 block
  of Oak Avenue", "Apt 4B") and Spanish style ("Calle Mayor 12", "Avenida de
  la Paz 45", "C/ Sol 3, 2º B").

Tokens are fixed, language-neutral strings because this module is pure Python
(no Django, no gettext); templates show them as they are.

What stays, on purpose: intersections and places without a house number
("5th and Main", "Calle Mayor con Sol", "Route 66") — a place is not a person —
and numbers that only look like phone numbers next to a case-number word
("case #3125550198", "expediente 612345678"), years, times and sums of money.
"""

from __future__ import annotations

import re

from phonenumbers import Leniency, PhoneNumberMatcher

EMAIL = "[email]"
PHONE = "[phone]"
ADDRESS = "[address]"

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# A number right after one of these words is a reference, not a phone number.
_REFERENCE_RE = re.compile(
    r"(?:\b(?:case|report|incident|ticket|reference|ref|file|no|number|caso|expediente"
    r"|denuncia|informe|referencia|n[º°o])\.?|#)\s*(?:#|n[º°o]\.?)?\s*:?\s*$",
    re.IGNORECASE,
)
# Seven-digit local numbers ("555-1234"); libphonenumber needs an area code.
_LOCAL_PHONE_RE = re.compile(r"(?<![\w$.,/-])\d{3}[-.]\d{4}(?![\w/-]|[.,]\d)")

# --- Street addresses -------------------------------------------------------

_US_SUFFIX = (
    r"(?:St|Street|Ave|Av|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Ct|Court|Pl|Place"
    r"|Way|Ter|Terrace|Pkwy|Parkway|Hwy|Highway|Cir|Circle|Sq|Square|Trl|Trail|Aly|Alley)"
)
# Words that end a street name: "3 men on Main Street" is not an address.
_STOP = (
    r"(?:on|at|in|near|by|and|or|the|to|from|of|for|with|y|en|de|del|la|el|por|con"
    r"|block|blocks|men|women|people|cars|times|years|minutes|hours|days)"
)
_NAME_CORE = rf"(?!{_STOP}\b)[A-Za-zÀ-ÿ0-9][\w'-]*"
_NAME_WORD = rf"{_NAME_CORE}\.?"  # "Martin Luther King Jr. Dr"
_DIRECTION = r"(?:[NSEW]\.?|North|South|East|West|NE|NW|SE|SW)"
_UNIT_WORDS = (
    r"(?:Apt|Apartment|Unit|Suite|Ste|Depto|Dpto|Departamento|Piso|Puerta)\.?\s*#?\s*"
    r"\d{1,5}[A-Za-z]?\b"
)
# After a street, "#4B" is a unit too; alone, "#12345" is more likely a case number.
_UNIT = rf"{_UNIT_WORDS}|#\s*\d{{1,5}}[A-Za-z]?\b"
_US_ADDRESS_RE = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:block\s+of\s+)?(?:{_DIRECTION}\s+)?"
    rf"(?:{_NAME_WORD}\s+){{1,3}}{_US_SUFFIX}\b\.?"
    rf"(?:,?\s*(?:{_UNIT}))?",
    re.IGNORECASE,
)
_US_BLOCK_RE = re.compile(
    rf"\b\d{{1,6}}\s+block\s+of\s+(?:{_DIRECTION}\s+)?{_NAME_CORE}(?:\s+{_US_SUFFIX}\b\.?)?",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(rf"\b{_UNIT_WORDS}", re.IGNORECASE)

_ES_STREET = (
    r"(?:Calle|C/|Avenida|Avda\.?|Av\.|Paseo|Pº|Plaza|Pza\.?|Camino|Carrera|Cra\.?"
    r"|Carretera|Ctra\.?|Ronda|Traves[ií]a|Callej[oó]n|Bulevar|Glorieta|Pasaje)"
)
_ES_NAME = r"(?:(?:de|del|la|las|los|el|y)\s+|[A-ZÁÉÍÓÚÑÜ0-9][\w'-]*\.?\s*){1,6}?"
_ES_ADDRESS_RE = re.compile(
    rf"(?<!\w){_ES_STREET}\s*{_ES_NAME}"
    r",?\s*(?:n\.?\s*[º°o]\.?\s*|n[úu]m\.?\s*|n[úu]mero\s+|#\s*)?\d{1,5}[A-Za-z]?\b"
    r"(?:,?\s*\d{1,2}\s*[º°ª]\s*[A-Z]?\b)?"
    r"(?:,?\s*(?:Apt|Depto|Dpto|Departamento|Piso|Puerta)\.?\s*\d{1,5}[A-Za-z]?\b)?",
)


def _is_reference(text: str, start: int) -> bool:
    return bool(_REFERENCE_RE.search(text[max(0, start - 30) : start]))


def _replace_spans(text: str, spans: list[tuple[int, int]], token: str) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + token + text[end:]
    return text


def _redact_phones(text: str) -> str:
    spans: list[tuple[int, int]] = []
    for region in ("US", "ES"):
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.STRICT_GROUPING):
            if not match.raw_string.startswith("+") and _is_reference(text, match.start):
                continue
            if not any(s < match.end and match.start < e for s, e in spans):
                spans.append((match.start, match.end))
    text = _replace_spans(text, spans, PHONE)
    return _LOCAL_PHONE_RE.sub(
        lambda m: m.group(0) if _is_reference(m.string, m.start()) else PHONE, text
    )


def _redact_addresses(text: str) -> str:
    for pattern in (_ES_ADDRESS_RE, _US_BLOCK_RE, _US_ADDRESS_RE, _UNIT_RE):
        text = pattern.sub(ADDRESS, text)
    # "[address], [address]" from a street followed by its unit reads as one.
    return re.sub(r"\[address\](?:,?\s*\[address\])+", ADDRESS, text)


def redact(text: str) -> str:
    """`text` with email addresses, phone numbers and street addresses replaced
    by ``[email]``, ``[phone]`` and ``[address]``."""
    if not text:
        return text
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _redact_phones(text)
    return _redact_addresses(text)
