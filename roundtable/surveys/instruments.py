"""The built-in instruments: validated question sets a survey is built from.

An instrument is copied into a survey (`services.survey_create`); the copy is
the survey's own and can be edited, translated further or cut down. Keys and
measures are what results read (`Measure`, `Characteristic`), so a coordinator
who rewords a question keeps its score.

Every text is given in English and Spanish. Sources are cited beside each
instrument; wording follows them closely, because a changed item is a
different measure and the published series could not be compared any more.
"""

from __future__ import annotations

from django.utils.functional import Promise

from roundtable.surveys.instrument_parts import Instrument, InstrumentQuestion
from roundtable.surveys.instrument_texts_agency import CONTACT_SATISFACTION, WELLNESS_PULSE
from roundtable.surveys.instrument_texts_public import (
    DEMOGRAPHICS,
    PROCEDURAL_JUSTICE,
    TRUST_SAFETY,
)

__all__ = [
    "CONTACT_SATISFACTION",
    "DEMOGRAPHICS",
    "INSTRUMENTS",
    "PROCEDURAL_JUSTICE",
    "TRUST_SAFETY",
    "WELLNESS_PULSE",
    "Instrument",
    "InstrumentQuestion",
    "instrument_choices",
]

INSTRUMENTS: dict[str, Instrument] = {
    instrument.key: instrument
    for instrument in (
        TRUST_SAFETY,
        PROCEDURAL_JUSTICE,
        CONTACT_SATISFACTION,
        WELLNESS_PULSE,
        DEMOGRAPHICS,
    )
}


def instrument_choices() -> list[tuple[str, str | Promise]]:
    """(key, label) for a form's choice of instruments."""
    return [(key, instrument.label) for key, instrument in INSTRUMENTS.items()]
