"""A Chicago agency with four community areas, the real CMAP census margins, and a
trust and safety survey with the demographics block, for the population,
weighting, results and representativeness tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.surveys.categories import CATEGORIES
from roundtable.surveys.models import (
    Characteristic,
    Measure,
    Question,
    ReferencePopulation,
    Response,
    Survey,
)
from roundtable.surveys.services_population import population_import
from tests.factories import AreaFactory, OptionFactory, QuestionFactory, ResponseFactory

CENSUS = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "census"
    / "chicago-community-area-profiles-acs2016-2020.csv"
)
AREAS = (("Austin", "austin"), ("Humboldt Park", "humboldt-park"), ("Lincoln Park", "lincoln-park"))
MARCH = dt.date(2026, 3, 1)


def census_text() -> str:
    return CENSUS.read_text(encoding="utf-8")


def chicago_areas(agency: Agency) -> dict[str, Area]:
    """Austin, Humboldt Park, Lincoln Park and the Loop ("The Loop" in CMAP's file)."""
    areas = {
        slug: AreaFactory.create(agency=agency, name=name, slug=slug, kind=Area.Kind.NEIGHBOURHOOD)
        for name, slug in AREAS
    }
    areas["loop"] = AreaFactory.create(
        agency=agency, name="Loop", slug="loop", kind=Area.Kind.NEIGHBOURHOOD
    )
    return areas


def chicago_population(agency: Agency, actor: Any = None) -> ReferencePopulation:
    return population_import(
        agency=agency,
        actor=actor,
        name="ACS 2016–2020",
        source="CMAP Community Data Snapshots",
        text=census_text(),
    )


def demographics_survey(survey: Survey, *, area: bool = True, **extra: bool) -> dict[str, Question]:
    """Trust and safety items and the demographics block (keys: safety, respect, listen,
    age, race, area, and income/tenure when asked for)."""
    questions = {
        "safety": QuestionFactory.create(
            survey=survey, key="safety", kind=Question.Kind.SCALE, measure=Measure.SAFETY
        ),
        "respect": QuestionFactory.create(
            survey=survey, key="respect", kind=Question.Kind.SCALE, measure=Measure.TRUST_RESPECT
        ),
        "listen": QuestionFactory.create(
            survey=survey, key="listen", kind=Question.Kind.SCALE, measure=Measure.TRUST_LISTEN
        ),
    }
    wanted = {"age": Characteristic.AGE_BAND, "race": Characteristic.RACE_ETHNICITY}
    if extra.get("income"):
        wanted["income"] = Characteristic.INCOME_BAND
    if extra.get("tenure"):
        wanted["tenure"] = Characteristic.TENURE
    for key, characteristic in wanted.items():
        question = QuestionFactory.create(
            survey=survey, key=key, kind=Question.Kind.SINGLE, characteristic=characteristic
        )
        for value, label in CATEGORIES[characteristic]:
            OptionFactory.create(question=question, value=value, label=label)
        questions[key] = question
    if area:
        questions["area"] = QuestionFactory.create(
            survey=survey, key="area", kind=Question.Kind.AREA, characteristic=Characteristic.AREA
        )
    return questions


def answer(
    survey: Survey,
    area: Area | None,
    *,
    period: dt.date = MARCH,
    count: int = 1,
    **answers: Any,
) -> list[Response]:
    """`count` identical responses in `period` (answers by question key)."""
    if area is not None:
        answers.setdefault("area", area.slug)
    submitted = timezone.make_aware(dt.datetime.combine(period, dt.time(12)))
    return [
        ResponseFactory.create(
            survey=survey, area=area, period=period, submitted_at=submitted, answers=dict(answers)
        )
        for _ in range(count)
    ]
