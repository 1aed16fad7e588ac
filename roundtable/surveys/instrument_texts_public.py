"""The built-in instruments for residents: trust and safety, procedural
justice and legitimacy, and demographics (`instruments.py` lists them all).

Wording follows the cited sources closely: a changed item is a different
measure.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from roundtable.surveys.instrument_parts import (
    AGREE_10,
    DISAGREE_10,
    YES_NO,
    Instrument,
    InstrumentQuestion,
    Kind,
    agree,
    demographic,
    scale,
)
from roundtable.surveys.models import Audience, Characteristic, Measure

# Elucd's neighbourhood sentiment questions, as asked for the Chicago Police
# Department's Police Sentiment Scores: SAFETY is the 0–10 answer ×10; TRUST is
# the mean of T_RESPECT and T_LISTEN ×10. Agreement is asked on 0–10 (not 1–5)
# so the scores compare with the published series.
TRUST_SAFETY = Instrument(
    key="trust_safety",
    label=_("Trust and safety (0–10)"),
    description=_(
        "How safe residents feel from crime, and whether police treat them with respect and "
        "listen to their concerns; the number one issue for police. The questions of the "
        "Chicago Police Sentiment Scores (Elucd)."
    ),
    title={
        "en": "Safety and trust in your neighbourhood",
        "es": "Seguridad y confianza en su vecindario",
    },
    introduction={
        "en": "Four short questions about how safe you feel and how you see the police in your "
        "neighbourhood. Your answers are anonymous.",
        "es": "Cuatro preguntas breves sobre qué tan seguro/a se siente y cómo ve a la policía "
        "en su vecindario. Sus respuestas son anónimas.",
    },
    audience=Audience.PUBLIC,
    source="Elucd / Chicago Police Department, Police Sentiment Scores",
    questions=(
        scale(
            "safety",
            {
                "en": "How safe do you feel from crime in your neighbourhood?",
                "es": "¿Qué tan seguro/a se siente frente al delito en su vecindario?",
            },
            {"en": "Not at all safe", "es": "Nada seguro/a"},
            {"en": "Completely safe", "es": "Totalmente seguro/a"},
            required=True,
            measure=Measure.SAFETY,
        ),
        scale(
            "trust_respect",
            {
                "en": "How much do you agree? The police in my neighbourhood treat local "
                "residents with respect.",
                "es": "¿Qué tan de acuerdo está? La policía de mi vecindario trata con respeto "
                "a los residentes del lugar.",
            },
            DISAGREE_10,
            AGREE_10,
            required=True,
            measure=Measure.TRUST_RESPECT,
        ),
        scale(
            "trust_listen",
            {
                "en": "How much do you agree? The police in my neighbourhood listen to and take "
                "into account the concerns of local residents.",
                "es": "¿Qué tan de acuerdo está? La policía de mi vecindario escucha y toma en "
                "cuenta las inquietudes de los residentes del lugar.",
            },
            DISAGREE_10,
            AGREE_10,
            required=True,
            measure=Measure.TRUST_LISTEN,
        ),
        InstrumentQuestion(
            key="top_issue",
            kind=Kind.TEXT,
            text={
                "en": "What is the number one issue you would like police to deal with in your "
                "neighbourhood?",
                "es": "¿Cuál es el problema número uno que le gustaría que la policía atendiera "
                "en su vecindario?",
            },
            help={
                "en": "Please leave out names and anything that could identify you or others.",
                "es": "Por favor, no incluya nombres ni nada que pueda identificarle a usted o a "
                "otras personas.",
            },
            measure=Measure.TOP_ISSUE,
        ),
    ),
)

# Procedural justice and legitimacy after Tyler (1990, "Why People Obey the
# Law") and Sunshine & Tyler (2003, "The Role of Procedural Justice and
# Legitimacy in Shaping Public Support for Policing", Law & Society Review
# 37(3)): items on dignity and respect, voice, neutrality and trustworthy
# motives, and the "obligation to obey" items of legitimacy, on a five-point
# agree–disagree scale (AGREE: 1 strongly disagree … 5 strongly agree).
PROCEDURAL_JUSTICE = Instrument(
    key="procedural_justice",
    label=_("Procedural justice and legitimacy"),
    description=_(
        "Whether police treat people with dignity, give them a voice, decide neutrally and "
        "act from trustworthy motives, and whether people feel obliged to obey "
        "(after Sunshine and Tyler, 2003)."
    ),
    title={
        "en": "How the police treat people",
        "es": "Cómo trata la policía a las personas",
    },
    introduction={
        "en": "Tell us how much you agree or disagree with each statement about the police "
        "where you live. Your answers are anonymous.",
        "es": "Díganos qué tan de acuerdo o en desacuerdo está con cada afirmación sobre la "
        "policía del lugar donde vive. Sus respuestas son anónimas.",
    },
    audience=Audience.PUBLIC,
    source="Tyler (1990); Sunshine & Tyler (2003), Law & Society Review 37(3)",
    questions=(
        agree(
            "pj_dignity",
            {
                "en": "The police treat people with dignity and respect.",
                "es": "La policía trata a las personas con dignidad y respeto.",
            },
            measure=Measure.PJ_DIGNITY,
        ),
        agree(
            "pj_voice",
            {
                "en": "The police give people a chance to tell their side of the story before "
                "they decide what to do.",
                "es": "La policía da a las personas la oportunidad de contar su versión de los "
                "hechos antes de decidir qué hacer.",
            },
            measure=Measure.PJ_VOICE,
        ),
        agree(
            "pj_neutrality_facts",
            {
                "en": "The police make their decisions based on facts, not on their personal "
                "opinions or biases.",
                "es": "La policía toma sus decisiones basándose en los hechos, no en opiniones "
                "personales ni en prejuicios.",
            },
            measure=Measure.PJ_NEUTRALITY,
        ),
        agree(
            "pj_neutrality_equal",
            {
                "en": "The police treat everyone the same, whatever their race or background.",
                "es": "La policía trata a todos por igual, sin importar su raza u origen.",
            },
            measure=Measure.PJ_NEUTRALITY,
        ),
        agree(
            "pj_motives",
            {
                "en": "The police try to do what is best for the people in this neighbourhood.",
                "es": "La policía trata de hacer lo que es mejor para la gente de este vecindario.",
            },
            measure=Measure.PJ_MOTIVES,
        ),
        agree(
            "obligation_accept",
            {
                "en": "You should accept the decisions made by the police, even if you think "
                "they are wrong.",
                "es": "Uno debe aceptar las decisiones de la policía, aunque crea que están "
                "equivocadas.",
            },
            measure=Measure.OBLIGATION,
        ),
        agree(
            "obligation_obey",
            {
                "en": "You should do what the police tell you to do, even when you disagree "
                "with their decisions.",
                "es": "Uno debe hacer lo que la policía le indica, aunque no esté de acuerdo "
                "con sus decisiones.",
            },
            measure=Measure.OBLIGATION,
        ),
        InstrumentQuestion(
            key="pj_contact",
            kind=Kind.SINGLE,
            text={
                "en": "Have you had any contact with the police in the last 12 months?",
                "es": "¿Ha tenido algún contacto con la policía en los últimos 12 meses?",
            },
            options=YES_NO,
        ),
        # Personal experience is kept apart from the perception items above (no
        # measure): the field reports the two separately.
        agree(
            "pj_contact_fair",
            {
                "en": "The last time you had contact with the police, you were treated fairly.",
                "es": "La última vez que tuvo contacto con la policía, recibió un trato justo.",
            },
            show_if="pj_contact",
            show_if_values=("yes",),
        ),
    ),
)

# Categories are those of the reference populations (categories.py), so an
# answer meets the census count it is weighted to.
DEMOGRAPHICS = Instrument(
    key="demographics",
    label=_("Demographics"),
    description=_(
        "Age band, gender, race or ethnicity, household income, housing tenure and area of "
        "residence, every item optional: used to see who answered and to weight results."
    ),
    title={"en": "About you", "es": "Sobre usted"},
    introduction={
        "en": "These questions help us check that we heard from every part of the community. "
        "Every one is optional.",
        "es": "Estas preguntas nos ayudan a comprobar que escuchamos a todos los sectores de "
        "la comunidad. Todas son opcionales.",
    },
    audience=Audience.PUBLIC,
    questions=(
        demographic(
            "age_band",
            Characteristic.AGE_BAND,
            {"en": "How old are you?", "es": "¿Qué edad tiene?"},
        ),
        demographic(
            "gender",
            Characteristic.GENDER,
            {"en": "What is your gender?", "es": "¿Cuál es su género?"},
        ),
        demographic(
            "race_ethnicity",
            Characteristic.RACE_ETHNICITY,
            {
                "en": "Which of these best describes you?",
                "es": "¿Cuál de estas opciones le describe mejor?",
            },
        ),
        demographic(
            "income_band",
            Characteristic.INCOME_BAND,
            {
                "en": "What was your household's total income last year, before taxes?",
                "es": "¿Cuál fue el ingreso total de su hogar el año pasado, antes de impuestos?",
            },
        ),
        demographic(
            "tenure",
            Characteristic.TENURE,
            {
                "en": "Do you own or rent your home?",
                "es": "¿Su vivienda es propia o alquilada?",
            },
        ),
        InstrumentQuestion(
            key="area",
            kind=Kind.AREA,
            text={"en": "Which area do you live in?", "es": "¿En qué zona vive?"},
            characteristic=Characteristic.AREA,
        ),
    ),
)
