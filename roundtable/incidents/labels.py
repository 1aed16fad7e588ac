"""Translatable names for the offence filters of `offences.FILTERS`, for forms and pages."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.incidents.models import OffenceCategory

FILTER_LABELS: dict[str, Promise] = {
    "all": _("Every incident"),
    "crimes": _("Every crime"),
    "against-persons": _("Crimes against persons"),
    "against-property": _("Crimes against property"),
    "against-society": _("Crimes against society"),
    "violent": _("Violent crime"),
    "property-crime": _("Property crime"),
}


def offence_filter_label(filter_name: str) -> str:
    if filter_name in FILTER_LABELS:
        return str(FILTER_LABELS[filter_name])
    return str(OffenceCategory(filter_name).label)


def offence_filter_choices(*, include_offences: bool = True) -> list[tuple[str, str]]:
    """The groups first, then each common offence."""
    choices = [(key, str(label)) for key, label in FILTER_LABELS.items()]
    if include_offences:
        choices += [(c.value, str(c.label)) for c in OffenceCategory]
    return choices
