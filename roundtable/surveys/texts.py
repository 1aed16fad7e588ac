"""Survey texts in several languages: one JSON object per text, keyed by language.

A survey's title, every question and every option label is stored as
`{"en": "...", "es": "..."}`. The languages are those of `settings.LANGUAGES`;
adding one there makes it addable to every survey without a migration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings

Texts = dict[str, str]


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """The language's name as settings.LANGUAGES gives it (the code if unknown)."""
    return str(dict(settings.LANGUAGES).get(code, code))


def text_in(texts: Mapping[str, str] | None, language: str) -> str:
    """The text in `language`, else English, else any language it has ("" if none)."""
    if not texts:
        return ""
    for code in (language, language.split("-")[0], "en"):
        value = texts.get(code, "")
        if value:
            return value
    return next((value for value in texts.values() if value), "")


def missing_languages(texts: Mapping[str, str] | None, languages: Iterable[str]) -> list[str]:
    """The languages among `languages` in which `texts` is empty."""
    return [code for code in languages if not (texts or {}).get(code, "").strip()]
