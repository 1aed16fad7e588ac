"""The pieces the built-in instruments are made of (`instruments.py`): the
question and instrument records, and helpers for the common kinds.

The instruments' wording is in `instrument_texts_public.py` (residents) and
`instrument_texts_agency.py` (after contact, and the agency's own staff).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from roundtable.surveys.categories import CATEGORIES
from roundtable.surveys.models import Characteristic, Measure, Question
from roundtable.surveys.texts import Texts

Kind = Question.Kind


@dataclass(frozen=True)
class InstrumentQuestion:
    key: str
    kind: str
    text: Texts
    help: Texts | None = None
    low_label: Texts | None = None
    high_label: Texts | None = None
    required: bool = False
    measure: str = Measure.NONE
    characteristic: str = Characteristic.NONE
    options: tuple[tuple[str, Texts], ...] = ()
    # Conditional display: the key of an earlier question of the same instrument
    # and the answers (as strings) that show this one.
    show_if: str = ""
    show_if_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Instrument:
    key: str
    # For staff choosing an instrument (the interface's language).
    label: str | Promise
    description: str | Promise
    # For respondents (the survey's languages).
    title: Texts
    introduction: Texts
    audience: str
    questions: tuple[InstrumentQuestion, ...]
    source: str = ""


def scale(
    key: str,
    text: Texts,
    low: Texts,
    high: Texts,
    *,
    required: bool = False,
    measure: str = Measure.NONE,
) -> InstrumentQuestion:
    return InstrumentQuestion(
        key=key,
        kind=Kind.SCALE,
        text=text,
        low_label=low,
        high_label=high,
        required=required,
        measure=measure,
    )


def agree(
    key: str,
    text: Texts,
    *,
    measure: str = Measure.NONE,
    show_if: str = "",
    show_if_values: tuple[str, ...] = (),
) -> InstrumentQuestion:
    return InstrumentQuestion(
        key=key,
        kind=Kind.AGREE,
        text=text,
        measure=measure,
        show_if=show_if,
        show_if_values=show_if_values,
    )


def demographic(key: str, characteristic: str, text: Texts) -> InstrumentQuestion:
    return InstrumentQuestion(
        key=key,
        kind=Kind.SINGLE,
        text=text,
        characteristic=characteristic,
        options=CATEGORIES[characteristic],
    )


DISAGREE_10 = {"en": "Strongly disagree", "es": "Totalmente en desacuerdo"}
AGREE_10 = {"en": "Strongly agree", "es": "Totalmente de acuerdo"}
YES_NO: tuple[tuple[str, Texts], ...] = (
    ("yes", {"en": "Yes", "es": "Sí"}),
    ("no", {"en": "No", "es": "No"}),
)
