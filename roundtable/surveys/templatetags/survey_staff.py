"""Template filters of the staff survey pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from roundtable.surveys import disclosure
from roundtable.surveys.texts import language_name, text_in

register = template.Library()


@register.filter
def in_language(texts: Mapping[str, str] | None, language: str = "") -> str:
    """`{{ survey.title|in_language }}`: a survey text in the page's language
    (or the one given), else English, else any it has."""
    return text_in(texts, language or translation.get_language() or "en")


@register.filter
def language_label(code: str) -> str:
    """`{{ "es"|language_label }}` → "Spanish", in the page's language."""
    return language_name(code)


@register.filter
def count_or_few(count: int | None) -> str:
    """A count, or "fewer than 10" for 1 to 9: small counts are never shown,
    on staff pages either (the respondents' minimum, `disclosure.minimum()`)."""
    minimum = disclosure.minimum()
    if count is None or 0 < count < minimum:
        return str(_("fewer than %(n)s") % {"n": minimum})
    return number_format(count)


@register.filter
def respondent_count(count: int | None) -> str:
    """A count of respondents as published (`disclosure.shown_count`): rounded to the
    nearest 5, "fewer than 10" under 10, so that no page shows a count that a rounded
    one elsewhere could be subtracted from exactly."""
    shown = disclosure.shown_count(count)
    if shown is None:
        return str(_("fewer than %(n)s") % {"n": disclosure.minimum()})
    return number_format(shown)


@register.filter
def get_item(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """`{{ figures|get_item:key }}`: a dictionary's value by a variable key (None if absent)."""
    return (mapping or {}).get(key)


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """A share 0–1 as a percentage ("42%"), "—" for None."""
    if value is None:
        return "—"
    return f"{number_format(100 * value, decimal_pos=digits)}%"
