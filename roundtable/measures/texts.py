"""What a measure is called and how it is defined, in the reader's language.

A measure chosen from the catalogue takes the catalogue's translated texts
unless the agency wrote its own; an agency's own measure carries its texts in
the database (`name`, `definition` in the agency's usual language, the others
in `translations`).
"""

from __future__ import annotations

from django.utils.translation import get_language

from roundtable.measures import catalogue
from roundtable.measures.computed import INTERNAL_COMPUTATIONS
from roundtable.measures.computed import counts_people as computation_counts_people
from roundtable.measures.models import Measure, Source


def public_id(measure: Measure) -> str:
    """The stable identifier of a measure in files, open data and the API."""
    return measure.catalogue_key or f"custom-{measure.pk}"


def catalogue_entry(measure: Measure) -> catalogue.CatalogueMeasure | None:
    return catalogue.MEASURES.get(measure.catalogue_key) if measure.catalogue_key else None


# Goals whose measures are about the agency's own officers: never public.
INTERNAL_GOALS = frozenset({"officer_wellbeing"})


def is_internal(measure: Measure) -> bool:
    """Never public: a property of the data, not of the page. True for a
    catalogue measure marked `internal` (officer wellness), any measure filed
    under an internal goal (officer wellbeing), and any measure computed from
    internal data (`computed.INTERNAL_COMPUTATIONS`: the officers' wellness
    survey), whoever created it and whatever it is called."""
    entry = catalogue_entry(measure)
    if entry is not None and entry.internal:
        return True
    if measure.goal in INTERNAL_GOALS:
        return True
    return measure.source == Source.COMPUTED and measure.computation in INTERNAL_COMPUTATIONS


def counts_people(measure: Measure) -> bool:
    """Whether public pages withhold the measure's small figures. A computed
    measure's figures are what its computation counts
    (`computed.counts_people`: crimes, inputs, attendance and survey scores
    are about people; meetings held, goals and actions are not), whatever the
    agency said; a catalogue measure takes the catalogue's flag; the agency's
    own imported or partner measure, its choice (True unless it said the
    figures count no people: meetings, inspections …)."""
    if measure.source == Source.COMPUTED:
        return computation_counts_people(measure.computation)
    entry = catalogue_entry(measure)
    return entry.counts_people if entry else measure.counts_people


def _own_text(measure: Measure, field: str) -> str:
    language = (get_language() or "en").split("-")[0]
    translated = (measure.translations or {}).get(language) or {}
    text = translated.get(field, "") if isinstance(translated, dict) else ""
    return str(text or getattr(measure, field))


def measure_name(measure: Measure) -> str:
    own = _own_text(measure, "name")
    if own:
        return own
    entry = catalogue_entry(measure)
    return str(entry.name) if entry else public_id(measure)


def measure_definition(measure: Measure) -> str:
    own = _own_text(measure, "definition")
    if own:
        return own
    entry = catalogue_entry(measure)
    return str(entry.definition) if entry else ""


def goal_name(key: str) -> str:
    goal = catalogue.GOALS.get(key)
    return str(goal.name) if goal else key


def indicator_name(key: str) -> str:
    indicator = catalogue.INDICATORS.get(key)
    return str(indicator.name) if indicator else key


def dimension_of(goal: str) -> str:
    found = catalogue.GOALS.get(goal)
    return found.dimension if found else ""


def dimension_name(key: str) -> str:
    dimension = catalogue.DIMENSIONS.get(key)
    return str(dimension.name) if dimension else key
