"""The categories of each respondent characteristic, shared by surveys and census margins.

The demographics block's options use these values, and reference populations
are imported into them (`services_population.py` maps census columns here), so
a respondent's answer and the population count it is compared with meet on
the same value. Labels are given per language like every survey text.
"""

from __future__ import annotations

from roundtable.surveys.models import Characteristic
from roundtable.surveys.texts import Texts

CATEGORIES: dict[str, tuple[tuple[str, Texts], ...]] = {
    Characteristic.AGE_BAND: (
        ("18_34", {"en": "18 to 34", "es": "De 18 a 34"}),
        ("35_49", {"en": "35 to 49", "es": "De 35 a 49"}),
        ("50_64", {"en": "50 to 64", "es": "De 50 a 64"}),
        ("65_plus", {"en": "65 or older", "es": "65 o más"}),
    ),
    Characteristic.GENDER: (
        ("woman", {"en": "Woman", "es": "Mujer"}),
        ("man", {"en": "Man", "es": "Hombre"}),
        ("nonbinary", {"en": "Non-binary", "es": "No binario"}),
        (
            "self_described",
            {"en": "I describe myself another way", "es": "Me describo de otra forma"},
        ),
    ),
    Characteristic.RACE_ETHNICITY: (
        ("hispanic", {"en": "Hispanic or Latino", "es": "Hispano o latino"}),
        ("black", {"en": "Black or African American", "es": "Negro o afroamericano"}),
        ("white", {"en": "White", "es": "Blanco"}),
        ("asian", {"en": "Asian", "es": "Asiático"}),
        ("other", {"en": "Another race or several", "es": "Otra raza o varias"}),
    ),
    Characteristic.INCOME_BAND: (
        ("lt_25k", {"en": "Under $25,000", "es": "Menos de $25,000"}),
        ("25_50k", {"en": "$25,000 to $49,999", "es": "De $25,000 a $49,999"}),
        ("50_75k", {"en": "$50,000 to $74,999", "es": "De $50,000 a $74,999"}),
        ("75_100k", {"en": "$75,000 to $99,999", "es": "De $75,000 a $99,999"}),
        ("100_150k", {"en": "$100,000 to $149,999", "es": "De $100,000 a $149,999"}),
        ("gt_150k", {"en": "$150,000 or more", "es": "$150,000 o más"}),
    ),
    Characteristic.TENURE: (
        ("own", {"en": "Own my home", "es": "Soy dueño de mi vivienda"}),
        ("rent", {"en": "Rent my home", "es": "Alquilo mi vivienda"}),
        ("other", {"en": "Other arrangement", "es": "Otra situación"}),
    ),
}


def category_values(characteristic: str) -> list[str]:
    return [value for value, _label in CATEGORIES.get(characteristic, ())]


def category_label(characteristic: str, value: str, language: str) -> str:
    from roundtable.surveys.texts import text_in

    for known, label in CATEGORIES.get(characteristic, ()):
        if known == value:
            return text_in(label, language)
    return value
