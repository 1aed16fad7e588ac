"""The built-in instruments the agency sends itself: satisfaction after a
call for service, and the officer wellness pulse (internal)
(`instruments.py` lists them all).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from roundtable.surveys.instrument_parts import (
    Instrument,
    InstrumentQuestion,
    Kind,
    agree,
    scale,
)
from roundtable.surveys.models import Audience, Measure

SATISFACTION_SHOW_IMPROVE = tuple(str(value) for value in range(7))

CONTACT_SATISFACTION = Instrument(
    key="contact_satisfaction",
    label=_("Satisfaction after a call for service"),
    description=_(
        "Sent by one-time link to people who called the agency: overall satisfaction, "
        "respect, explanation and how quickly officers arrived. Never sent after domestic "
        "violence, sexual assault or incidents still in progress."
    ),
    title={
        "en": "How did we do?",
        "es": "¿Cómo lo hicimos?",
    },
    introduction={
        "en": "You recently called the police. Please tell us how it went: it takes two "
        "minutes, and your answers are anonymous.",
        "es": "Hace poco usted llamó a la policía. Cuéntenos cómo le fue: toma dos minutos y "
        "sus respuestas son anónimas.",
    },
    audience=Audience.CONTACT,
    questions=(
        scale(
            "satisfaction",
            {
                "en": "Overall, how satisfied are you with how the police handled your call?",
                "es": "En general, ¿qué tan satisfecho/a está con la forma en que la policía "
                "atendió su llamada?",
            },
            {"en": "Not at all satisfied", "es": "Nada satisfecho/a"},
            {"en": "Completely satisfied", "es": "Totalmente satisfecho/a"},
            required=True,
            measure=Measure.SATISFACTION,
        ),
        agree(
            "contact_respect",
            {
                "en": "The officers treated me with respect.",
                "es": "Los agentes me trataron con respeto.",
            },
        ),
        agree(
            "contact_listened",
            {
                "en": "The officers listened to what I had to say.",
                "es": "Los agentes escucharon lo que yo tenía que decir.",
            },
        ),
        agree(
            "contact_explained",
            {
                "en": "The officers explained what would happen next.",
                "es": "Los agentes me explicaron lo que iba a pasar después.",
            },
        ),
        InstrumentQuestion(
            key="contact_arrival",
            kind=Kind.SINGLE,
            text={
                "en": "How quickly did the police arrive?",
                "es": "¿Qué tan rápido llegó la policía?",
            },
            options=(
                ("faster", {"en": "Sooner than I expected", "es": "Antes de lo que esperaba"}),
                (
                    "expected",
                    {"en": "About when I expected", "es": "Más o menos cuando lo esperaba"},
                ),
                ("slower", {"en": "Later than I expected", "es": "Más tarde de lo que esperaba"}),
                ("never", {"en": "Nobody came", "es": "No vino nadie"}),
                (
                    "not_needed",
                    {
                        "en": "Nobody needed to come",
                        "es": "No hacía falta que viniera nadie",
                    },
                ),
            ),
        ),
        InstrumentQuestion(
            key="contact_improve",
            kind=Kind.TEXT,
            text={
                "en": "What could we have done better?",
                "es": "¿Qué podríamos haber hecho mejor?",
            },
            help={
                "en": "Please leave out names and anything that could identify you or others.",
                "es": "Por favor, no incluya nombres ni nada que pueda identificarle a usted o a "
                "otras personas.",
            },
            show_if="satisfaction",
            show_if_values=SATISFACTION_SHOW_IMPROVE,
        ),
    ),
)

# Every item is worded so that a higher answer is better: the wellness score is
# a plain mean of the items' 0–100 values, with no reversed items to flip.
# Internal surveys carry no demographics, no area and no free text, so that no
# answer can be traced to one officer in a small unit.
WELLNESS_PULSE = Instrument(
    key="wellness_pulse",
    label=_("Officer wellness pulse (internal)"),
    description=_(
        "A short, anonymous check on stress, sleep, support and morale for the agency's own "
        "staff. Internal: never published, never shown per person, no free text."
    ),
    title={
        "en": "Wellness pulse",
        "es": "Pulso de bienestar",
    },
    introduction={
        "en": "Five questions about how you are doing at work. The survey is anonymous: "
        "answers are only ever shown together, never per person.",
        "es": "Cinco preguntas sobre cómo se encuentra en el trabajo. La encuesta es anónima: "
        "las respuestas solo se muestran en conjunto, nunca por persona.",
    },
    audience=Audience.INTERNAL,
    questions=(
        scale(
            "wellness_stress",
            {
                "en": "In the past month, how well have you been able to manage the stress of "
                "your work?",
                "es": "En el último mes, ¿qué tan bien ha podido manejar el estrés de su trabajo?",
            },
            {"en": "Not at all", "es": "Nada"},
            {"en": "Very well", "es": "Muy bien"},
            measure=Measure.WELLNESS,
        ),
        scale(
            "wellness_sleep",
            {
                "en": "In the past month, how well have you been sleeping?",
                "es": "En el último mes, ¿qué tan bien ha dormido?",
            },
            {"en": "Very badly", "es": "Muy mal"},
            {"en": "Very well", "es": "Muy bien"},
            measure=Measure.WELLNESS,
        ),
        agree(
            "wellness_support",
            {
                "en": "My supervisors support me when I need it.",
                "es": "Mis supervisores me apoyan cuando lo necesito.",
            },
            measure=Measure.WELLNESS,
        ),
        scale(
            "wellness_recommend",
            {
                "en": "How likely are you to recommend working at this agency to a friend?",
                "es": "¿Qué tan probable es que recomiende a un amigo trabajar en esta "
                "institución?",
            },
            {"en": "Not at all likely", "es": "Nada probable"},
            {"en": "Extremely likely", "es": "Muy probable"},
            measure=Measure.WELLNESS,
        ),
        agree(
            "wellness_help",
            {
                "en": "I know where to get confidential help if I need it.",
                "es": "Sé dónde conseguir ayuda confidencial si la necesito.",
            },
            measure=Measure.WELLNESS,
        ),
    ),
)
