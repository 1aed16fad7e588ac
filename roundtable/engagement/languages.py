"""Languages a meeting can be held or interpreted in.

Wider than the interface languages (settings.LANGUAGES): a beat meeting may be
held in Vietnamese with interpretation into English even though Roundtable's own
pages are in English and Spanish. Codes are ISO 639-1, with "ase" (ISO 639-3)
for American Sign Language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MEETING_LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ase", _("American Sign Language")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("ar", _("Arabic")),
    ("so", _("Somali")),
    ("ht", _("Haitian Creole")),
    ("ko", _("Korean")),
    ("tl", _("Tagalog")),
    ("fr", _("French")),
    ("ru", _("Russian")),
]
MEETING_LANGUAGE_CODES = frozenset(code for code, _label in MEETING_LANGUAGES)


def language_label(code: str) -> str:
    return str(dict(MEETING_LANGUAGES).get(code, code))
