"""What the survey browser tests share: the Harlow survey built as a coordinator
builds it (trust and safety, demographics, and a follow-up question shown only
to people who feel unsafe), three areas with their census margins, answers
that leave one area with a figure, one too thin for an estimate and one under
ten, and the addresses of the public pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.surveys import services
from roundtable.surveys.models import Question, ReferencePopulation, Survey
from roundtable.surveys.services_population import population_import
from tests.factories import AreaFactory, ResponseFactory

TITLE = {"en": "Safety and trust in Harlow", "es": "Seguridad y confianza en Harlow"}
# The follow-up the coordinator adds: shown only when safety is answered 0 to 4.
FOLLOW_UP_KEY = "feel_safer"
FOLLOW_UP = {
    "en": "What would help you feel safer?",
    "es": "¿Qué le ayudaría a sentirse más seguro/a?",
}
UNSAFE = ["0", "1", "2", "3", "4"]
# The instruments' own wording (instruments.TRUST_SAFETY), as respondents read it.
SAFETY_ES = "¿Qué tan seguro/a se siente frente al delito en su vecindario?"
THANKS_ES = "Gracias por tomarse el tiempo de responder."

AREAS = (("North", "north"), ("South", "south"), ("East", "east"))
# The long layout: adults per area and per age band (North's young adults are
# 40% of its people, and the answers below have far fewer of them).
POPULATION = """area,characteristic,category,count
North,area,adults,6000
South,area,adults,3000
East,area,adults,1000
North,age_band,18_34,2400
North,age_band,35_49,1200
North,age_band,50_64,1200
North,age_band,65_plus,1200
South,age_band,18_34,1200
South,age_band,35_49,600
South,age_band,50_64,600
South,age_band,65_plus,600
East,age_band,18_34,400
East,age_band,35_49,200
East,age_band,50_64,200
East,age_band,65_plus,200
"""
# Answers per area and age band: North's 70 give it a weighted figure (effective
# sample size about 43), South's 15 are too few for one (about 9), East's 5 are
# under the minimum count and show no number at all.
ANSWERS = {
    "north": {"18_34": 10, "35_49": 20, "50_64": 20, "65_plus": 20},
    "south": {"18_34": 3, "35_49": 4, "50_64": 4, "65_plus": 4},
    "east": {"35_49": 5},
}


def areas_of(agency: Agency) -> dict[str, Area]:
    return {slug: AreaFactory.create(agency=agency, name=name, slug=slug) for name, slug in AREAS}


def census(agency: Agency, actor: User) -> ReferencePopulation:
    return population_import(
        agency=agency, actor=actor, name="Census 2020", source="U.S. Census", text=POPULATION
    )


def harlow_survey(agency: Agency, casey: User, **settings: Any) -> Survey:
    """The survey the coordinator builds in the browser test, built by the services
    and opened (`settings`: survey_update's fields, e.g. publish_results)."""
    survey = services.survey_create(
        agency=agency, created_by=casey, title=TITLE, instruments=["trust_safety", "demographics"]
    )
    services.question_add(
        survey=survey,
        actor=casey,
        kind=Question.Kind.TEXT,
        key=FOLLOW_UP_KEY,
        text=FOLLOW_UP,
        show_if=survey.questions.get(key="safety"),
        show_if_values=UNSAFE,
    )
    if settings:
        services.survey_update(survey=survey, actor=casey, **settings)
    return services.survey_open(survey=survey, actor=casey)


def seed_answers(survey: Survey, areas: dict[str, Area]) -> None:
    """ANSWERS, with safety and trust spread so margins of error are not zero."""
    n = 0
    for slug, ages in ANSWERS.items():
        for age_band, count in ages.items():
            for _ in range(count):
                n += 1
                ResponseFactory.create(
                    survey=survey,
                    area=areas[slug],
                    language="en",
                    answers={
                        "safety": 3 + n % 7,
                        "trust_respect": 2 + n % 8,
                        "trust_listen": 5,
                        "age_band": age_band,
                        "area": slug,
                    },
                )


def public_list_url(agency: Agency) -> str:
    return reverse("surveys_public:list", args=[agency.slug])


def answer_url(survey: Survey) -> str:
    assert survey.public_token, "the survey has no open link"
    return reverse("surveys_public:answer", args=[survey.agency.slug, survey.public_token])


def invitation_url(survey: Survey, token: str) -> str:
    return reverse("surveys_public:invitation", args=[survey.agency.slug, token])


def staff_url(name: str, survey: Survey) -> str:
    return reverse(f"surveys:{name}", args=[survey.agency.slug, survey.pk])
