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

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.surveys.categories import CATEGORIES
from roundtable.surveys.models import Audience, Characteristic, Measure, Question
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


def _scale(
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


def _agree(
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


def _demographic(key: str, characteristic: str, text: Texts) -> InstrumentQuestion:
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
        _scale(
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
        _scale(
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
        _scale(
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
        _agree(
            "pj_dignity",
            {
                "en": "The police treat people with dignity and respect.",
                "es": "La policía trata a las personas con dignidad y respeto.",
            },
            measure=Measure.PJ_DIGNITY,
        ),
        _agree(
            "pj_voice",
            {
                "en": "The police give people a chance to tell their side of the story before "
                "they decide what to do.",
                "es": "La policía da a las personas la oportunidad de contar su versión de los "
                "hechos antes de decidir qué hacer.",
            },
            measure=Measure.PJ_VOICE,
        ),
        _agree(
            "pj_neutrality_facts",
            {
                "en": "The police make their decisions based on facts, not on their personal "
                "opinions or biases.",
                "es": "La policía toma sus decisiones basándose en los hechos, no en opiniones "
                "personales ni en prejuicios.",
            },
            measure=Measure.PJ_NEUTRALITY,
        ),
        _agree(
            "pj_neutrality_equal",
            {
                "en": "The police treat everyone the same, whatever their race or background.",
                "es": "La policía trata a todos por igual, sin importar su raza u origen.",
            },
            measure=Measure.PJ_NEUTRALITY,
        ),
        _agree(
            "pj_motives",
            {
                "en": "The police try to do what is best for the people in this neighbourhood.",
                "es": "La policía trata de hacer lo que es mejor para la gente de este vecindario.",
            },
            measure=Measure.PJ_MOTIVES,
        ),
        _agree(
            "obligation_accept",
            {
                "en": "You should accept the decisions made by the police, even if you think "
                "they are wrong.",
                "es": "Uno debe aceptar las decisiones de la policía, aunque crea que están "
                "equivocadas.",
            },
            measure=Measure.OBLIGATION,
        ),
        _agree(
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
        _agree(
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
        _scale(
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
        _agree(
            "contact_respect",
            {
                "en": "The officers treated me with respect.",
                "es": "Los agentes me trataron con respeto.",
            },
        ),
        _agree(
            "contact_listened",
            {
                "en": "The officers listened to what I had to say.",
                "es": "Los agentes escucharon lo que yo tenía que decir.",
            },
        ),
        _agree(
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
        _scale(
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
        _scale(
            "wellness_sleep",
            {
                "en": "In the past month, how well have you been sleeping?",
                "es": "En el último mes, ¿qué tan bien ha dormido?",
            },
            {"en": "Very badly", "es": "Muy mal"},
            {"en": "Very well", "es": "Muy bien"},
            measure=Measure.WELLNESS,
        ),
        _agree(
            "wellness_support",
            {
                "en": "My supervisors support me when I need it.",
                "es": "Mis supervisores me apoyan cuando lo necesito.",
            },
            measure=Measure.WELLNESS,
        ),
        _scale(
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
        _agree(
            "wellness_help",
            {
                "en": "I know where to get confidential help if I need it.",
                "es": "Sé dónde conseguir ayuda confidencial si la necesito.",
            },
            measure=Measure.WELLNESS,
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
        _demographic(
            "age_band",
            Characteristic.AGE_BAND,
            {"en": "How old are you?", "es": "¿Qué edad tiene?"},
        ),
        _demographic(
            "gender",
            Characteristic.GENDER,
            {"en": "What is your gender?", "es": "¿Cuál es su género?"},
        ),
        _demographic(
            "race_ethnicity",
            Characteristic.RACE_ETHNICITY,
            {
                "en": "Which of these best describes you?",
                "es": "¿Cuál de estas opciones le describe mejor?",
            },
        ),
        _demographic(
            "income_band",
            Characteristic.INCOME_BAND,
            {
                "en": "What was your household's total income last year, before taxes?",
                "es": "¿Cuál fue el ingreso total de su hogar el año pasado, antes de impuestos?",
            },
        ),
        _demographic(
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
