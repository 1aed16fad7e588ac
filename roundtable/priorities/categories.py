"""The common offence categories a candidate priority may name.

Two families agencies already report in: crimes against persons, property and
society (the NIBRS grouping) and violent and property crime (the UCR Part I
summary). The worksheet shows their figures once incident data is imported;
until then the categories say what an analyst's entered figures refer to.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OFFENCE_CATEGORIES = [
    ("against_persons", _("Crimes against persons")),
    ("against_property", _("Crimes against property")),
    ("against_society", _("Crimes against society")),
    ("violent", _("Violent crime")),
    ("property", _("Property crime")),
]
OFFENCE_CATEGORY_KEYS = frozenset(key for key, _label in OFFENCE_CATEGORIES)


def category_labels(keys: list[str]) -> list[str]:
    """The labels of `keys` in the order of OFFENCE_CATEGORIES (unknown keys left out)."""
    chosen = set(keys)
    return [str(label) for key, label in OFFENCE_CATEGORIES if key in chosen]
