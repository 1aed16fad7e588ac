"""Which new inputs a person should read before anything of them is public.

Deliberately simple and transparent: a list of abusive or threatening terms in
English and Spanish, matched as whole words after case- and accent-folding.
A match holds the input for moderation; it never rejects or deletes it, so a
false alarm costs a coordinator one click and loses nothing. No Django here.
"""

from __future__ import annotations

import re
import unicodedata

# Threats and slurs that should not reach a public page unread. Kept short on
# purpose: the moderation queue, not this list, is the safeguard.
TERMS: frozenset[str] = frozenset(
    {
        # English
        "kill you",
        "i will kill",
        "shoot you",
        "burn it down",
        "bomb",
        "faggot",
        "nigger",
        "retard",
        "whore",
        "cunt",
        "motherfucker",
        "fuck you",
        # Spanish
        "te voy a matar",
        "los voy a matar",
        "matarlos",
        "hijo de puta",
        "hijos de puta",
        "puta madre",
        "maricon",
        "pendejo",
        "cabron",
        "mierda",
    }
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_PATTERN = re.compile(
    r"\b(?:" + "|".join(re.escape(_fold(t)) for t in sorted(TERMS, key=len, reverse=True)) + r")\b"
)


def flagged_terms(text: str) -> list[str]:
    """The listed terms found in `text` (folded), in order of appearance."""
    return [m.group(0) for m in _PATTERN.finditer(_fold(text))]


def needs_moderation(text: str) -> bool:
    return bool(_PATTERN.search(_fold(text)))
