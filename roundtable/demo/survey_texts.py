"""What the demo's survey respondents write, and the demo surveys' own titles.

The open "number one issue you would like police to deal with" answers are
templates per district: `{street}` becomes a street of one of the district's
neighbourhoods (voices.STREETS), so the same worry turns up on several blocks,
as it does in real answers. Each district's worries follow the demo's story:
violence up in the South District, car break-ins in Harlow Park and Old Town,
speeding everywhere. Spanish answers come mostly from the South District's
Hispanic respondents. All of it is invented.
"""

from __future__ import annotations

from roundtable.surveys.texts import Texts

TRUST_TITLE: Texts = {
    "en": "Neighbourhood trust and safety",
    "es": "Confianza y seguridad en el vecindario",
}
TRUST_INTRODUCTION: Texts = {
    "en": (
        "Four short questions about safety and the police where you live, and a few optional "
        "ones about you. Your answers are anonymous and take about two minutes."
    ),
    "es": (
        "Cuatro preguntas breves sobre la seguridad y la policía donde usted vive, y algunas "
        "opcionales sobre usted. Sus respuestas son anónimas y toman unos dos minutos."
    ),
}
PJ_TITLE: Texts = {
    "en": "How police treat people in Riverside (spring survey)",
    "es": "Cómo trata la policía a la gente en Riverside (encuesta de primavera)",
}
CONTACT_TITLE: Texts = {
    "en": "How did we do? After your call to Riverside police",
    "es": "¿Cómo lo hicimos? Después de su llamada a la policía de Riverside",
}
WELLNESS_TITLE: Texts = {
    "en": "Officer and staff wellness pulse",
    "es": "Pulso de bienestar del personal",
}

# Where the demo's historical answers came from (the import's batch note).
TRUST_HISTORY_SOURCE = "Online panel and open link, exported from the previous survey tool"
PJ_SOURCE = "Spring survey, paper and online, typed in by the analyst"

# (language, template) per district slug.
TOP_ISSUES: dict[str, tuple[tuple[str, str], ...]] = {
    "south": (
        ("en", "The shootings near {street}. We hear gunshots most weekends now."),
        ("en", "Violence around {street} is getting worse and nobody seems to care."),
        ("en", "Cars speeding on {street}, kids play right there."),
        ("en", "Robberies at the bus stop on {street} after dark."),
        ("en", "Respond faster. It took 40 minutes when we called about a fight on {street}."),
        ("en", "Drug dealing outside the corner store on {street}."),
        ("en", "Officers should get out of the car and talk to people on {street}."),
        ("en", "Street racing on {street} every Friday night."),
        ("es", "Los balazos cerca de {street}. Ya no dejamos salir a los niños."),
        ("es", "La violencia en {street} está peor que el año pasado."),
        ("es", "Que patrullen {street} de noche, hay muchos asaltos."),
        ("es", "Los carros corren muy rápido por {street} y no hay reductores."),
        ("es", "Que la policía hable español cuando uno llama."),
        ("es", "Venden drogas frente a la escuela en {street}."),
        ("es", "Que traten con respeto a los jóvenes de {street}, no todos son pandilleros."),
        ("es", "Robos de carros en {street}, a mi vecino se lo llevaron la semana pasada."),
    ),
    "central": (
        ("en", "Car break-ins on {street}. Third time this year for me."),
        ("en", "People sleeping in doorways on {street} need help, not tickets."),
        ("en", "Bar fights on {street} on weekends, and the noise until 3 am."),
        ("en", "Bike theft near {street}; nobody even takes a report anymore."),
        ("en", "Speeding on {street} near the university."),
        ("en", "Drug use in the alley behind {street}."),
        ("en", "More foot patrols in Old Town, especially around {street}."),
        ("es", "Robos de carros en {street}, todas las semanas."),
        ("es", "Más patrullas a pie en {street}, por favor."),
        ("es", "Hay personas sin hogar en {street} que necesitan ayuda."),
    ),
    "north": (
        ("en", "Car break-ins around {street}, mostly at night."),
        ("en", "Speeding on {street}; there is a school right there."),
        ("en", "Catalytic converter thefts on {street}."),
        ("en", "Package theft from porches on {street}."),
        ("en", "The park near {street} has no lights and people hang out late."),
        ("en", "Traffic enforcement on {street}, people roll through the stop signs."),
        ("en", "Keep the community meetings going, they help."),
        ("es", "Los carros pasan muy rápido por {street}."),
        ("es", "Robos en los carros estacionados en {street}."),
    ),
}

# "What could we have done better?" after a call, from callers who were not satisfied.
CONTACT_IMPROVE: tuple[tuple[str, str], ...] = (
    ("en", "It took over an hour for anyone to come."),
    ("en", "Nobody called me back about my stolen bike."),
    ("en", "The officer was polite but didn't explain what happens next."),
    ("en", "Give people a case number without having to ask twice."),
    ("en", "Let us know if the report went anywhere."),
    ("es", "Tardaron mucho en llegar y nadie me explicó nada."),
    ("es", "Necesitaba a alguien que hablara español."),
    ("es", "Nunca supe qué pasó con mi denuncia."),
)

# Calls for service in the demo's CAD export: (call type, offence category or "", weight).
# Sensitive calls are among them on purpose: the send must leave them out.
CALL_TYPES: tuple[tuple[str, str, int], ...] = (
    ("THEFT REPORT", "theft", 14),
    ("BURGLARY REPORT", "burglary", 6),
    ("VEHICLE BREAK-IN", "theft", 9),
    ("NOISE COMPLAINT", "", 8),
    ("TRAFFIC COLLISION, NO INJURY", "non_criminal", 7),
    ("SUSPICIOUS PERSON", "", 7),
    ("VANDALISM", "vandalism", 5),
    ("WELFARE CHECK", "", 5),
    ("DISTURBANCE", "", 4),
    ("DOMESTIC DISTURBANCE", "", 3),
    ("VIOLATION OF ORDER OF PROTECTION", "", 1),
    ("SEXUAL ASSAULT REPORT", "sexual_assault", 2),
)
