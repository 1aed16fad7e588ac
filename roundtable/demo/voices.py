"""What people in the demo jurisdiction say, and how the agency answers.

Each entry is a template: `{street}` becomes a street of the input's
neighbourhood (STREETS), so the same worry appears in several places, as it
does in real ledgers. Spanish entries come mostly from the neighbourhoods where
many residents prefer Spanish. All of it is invented.
"""

from __future__ import annotations

from roundtable.inputs.models import Topic

# A few streets per neighbourhood or campus area (by area slug).
STREETS: dict[str, tuple[str, ...]] = {
    "millbrook": ("Alder Street", "Millbrook Road", "Quarry Lane"),
    "cedar-heights": ("Cedar Avenue", "Ridge Drive", "Larkspur Court"),
    "harlow-park": ("Harlow Boulevard", "Pine Street", "Maple Terrace"),
    "old-town": ("Front Street", "Market Square", "Canal Walk"),
    "eastgate": ("Eastgate Avenue", "Fulton Street", "Dock Road"),
    "university-hill": ("College Avenue", "Hill Street", "Bishop Lane"),
    "southbank": ("River Road", "Calle Orilla", "Tannery Street"),
    "linden-grove": ("Linden Avenue", "Grove Street", "Prospect Place"),
    "fairview": ("Fairview Drive", "Orchard Lane", "Sunset Avenue"),
    "main-campus": ("the Quad", "Library Walk", "Stadium Drive"),
    "medical-campus": ("Hospital Drive", "the parking structure on Elm", "Research Way"),
    "student-village": ("College Avenue", "Greek Row", "Village Green"),
}

# (language, text) per topic. Kept short, as people write on a phone.
SAID: dict[Topic, list[tuple[str, str]]] = {
    Topic.SAFETY_CONCERN: [
        ("en", "Cars race down {street} every night after 10. Someone will get hurt."),
        ("en", "The streetlights on {street} have been out for three weeks. It's pitch dark."),
        ("en", "People are dealing drugs openly by the bus shelter on {street}."),
        ("en", "My kids walk to school along {street} and there is no crossing guard anymore."),
        ("en", "Break-ins to parked cars on {street}, four on our block this month."),
        ("en", "Loud parties and fights outside the bars on {street} until 3 am on weekends."),
        ("en", "Someone is living in the abandoned house on {street}; neighbours are worried."),
        ("en", "There's a lot of catalytic converter theft around {street}."),
        ("es", "Los carros pasan a toda velocidad por {street} y no hay reductores."),
        ("es", "No hay luz en {street} desde hace semanas y da miedo caminar de noche."),
        ("es", "Venden drogas detrás de la tienda en {street} y los niños lo ven todo."),
        ("es", "Robaron tres bicicletas en nuestro edificio de {street} este mes."),
    ],
    Topic.POLICY: [
        ("en", "What is the policy on stopping cyclists? I was stopped twice on {street}."),
        ("en", "Will the department publish its use-of-force policy in plain language?"),
        ("en", "Why are mental health calls still answered by armed officers?"),
        ("en", "Please explain the towing policy; my car was towed from {street} with no notice."),
        ("en", "Do officers ask about immigration status during traffic stops?"),
        ("es", "¿La policía pregunta por el estatus migratorio cuando lo paran a uno?"),
        ("es", "¿Cuál es la política para llamar a un intérprete cuando uno no habla inglés?"),
        ("es", "Queremos saber cómo se decide dónde patrullar más."),
    ],
    Topic.INCIDENT: [
        (
            "en",
            "What happened at the shooting near {street} last weekend? Nobody told us.",
        ),
        (
            "en",
            "The arrest filmed outside the store on {street} looked excessive. Reviewed?",
        ),
        (
            "en",
            "After the crash on {street}, when will the results of the investigation be public?",
        ),
        ("es", "¿Qué pasó con el joven detenido en {street}? Su familia no recibe información."),
        ("es", "Después del tiroteo cerca de {street}, las familias tienen miedo de salir."),
    ],
    Topic.TECHNOLOGY: [
        ("en", "How long do you keep licence-plate reader data, and who can see it?"),
        ("en", "Are body cameras switched on for every call? I'd like to see the footage policy."),
        ("en", "I heard about a new camera on {street}. Was there any public discussion?"),
        ("en", "Does the department use facial recognition? Residents should decide that."),
        ("es", "¿Las cámaras de placas guardan información de todos los carros?"),
        ("es", "¿Podemos pedir el video de la cámara corporal si hubo un problema?"),
    ],
    Topic.INTERACTIONS: [
        (
            "en",
            "The officer who came about the break-in on {street} was patient and kind. Thank you.",
        ),
        ("en", "I called about a noise complaint and nobody came for two hours."),
        ("en", "An officer was rude to my son during a stop on {street}; he did nothing wrong."),
        (
            "en",
            "The front desk helped me file a report even though it was late. Thank you.",
        ),
        (
            "en",
            "Officers at the school event on {street} played ball with the kids. More of this.",
        ),
        ("es", "El oficial que vino a mi casa no tenía intérprete y no entendimos nada."),
        ("es", "Gracias a la oficial que ayudó a mi mamá cuando se perdió cerca de {street}."),
        ("es", "Me trataron con respeto cuando fui a reportar el robo."),
    ],
    Topic.OTHER: [
        ("en", "Could you hold a meeting on a Saturday? I work evenings."),
        (
            "en",
            "The community room at the library on {street} would be a better place for meetings.",
        ),
        ("en", "How can our block club get a liaison officer?"),
        ("es", "Pedimos que las reuniones tengan traducción al español y cuidado de niños."),
        ("es", "¿Cómo podemos formar un grupo de vigilancia en {street}?"),
    ],
}

# Answers by topic and language ({street} as in the input).
ANSWERS: dict[Topic, dict[str, list[str]]] = {
    Topic.SAFETY_CONCERN: {
        "en": [
            "Thank you. Traffic officers ran speed checks on {street} for four weeks and "
            "Public Works is installing two speed humps next month.",
            "Public Works repaired the lights on {street}; officers now include it in "
            "evening patrols. Tell us if it happens again.",
            "The beat team met neighbours on {street}; a problem-solving team is working "
            "on it with the property owners and outreach workers.",
        ],
        "es": [
            "Gracias. Se hicieron controles de velocidad en {street} durante cuatro semanas "
            "y Obras Públicas pondrá dos reductores el mes próximo.",
            "Obras Públicas reparó las luces de {street} y las patrullas nocturnas pasan "
            "por ahí. Avísenos si vuelve a pasar.",
            "El equipo del sector se reunió con los vecinos de {street}; un equipo de "
            "solución de problemas trabaja en esto con los dueños y trabajadores sociales.",
        ],
    },
    Topic.POLICY: {
        "en": [
            "The policy is now published in plain language on our website, and we will "
            "discuss it at the next town hall.",
            "Officers do not ask about immigration status. We added this to the "
            "community guide and trained every shift on it.",
        ],
        "es": [
            "La política ya está publicada en lenguaje sencillo y en español, y la "
            "hablaremos en la próxima asamblea.",
            "Los oficiales no preguntan por el estatus migratorio. Lo agregamos a la guía "
            "comunitaria y lo repasamos con todos los turnos.",
        ],
    },
    Topic.INCIDENT: {
        "en": [
            "The review board is examining the incident. Its findings will be published "
            "and presented at a public meeting.",
        ],
        "es": [
            "La junta de revisión está examinando el incidente. Sus conclusiones se "
            "publicarán y se presentarán en una reunión pública.",
        ],
    },
    Topic.TECHNOLOGY: {
        "en": [
            "Licence-plate reader data is kept 30 days unless tied to a case. The full "
            "policy and a yearly audit are now public.",
            "Body cameras are switched on for every call for service. The footage "
            "request form is on our website.",
        ],
        "es": [
            "Los datos de las cámaras de placas se guardan 30 días salvo que formen parte "
            "de un caso. La política completa ya es pública.",
            "Las cámaras corporales se encienden en cada llamada. El formulario para "
            "pedir un video está en nuestra página.",
        ],
    },
    Topic.INTERACTIONS: {
        "en": [
            "Thank you for telling us. We shared it with the officer and their sergeant.",
            "We are sorry. A supervisor reviewed the stop and spoke with the officer; "
            "you can also file a complaint with the review board.",
        ],
        "es": [
            "Gracias por contarnos. Lo compartimos con la oficial y su sargento.",
            "Lo sentimos. Un supervisor revisó el caso y habló con el oficial; también "
            "puede presentar una queja ante la junta de revisión.",
        ],
    },
    Topic.OTHER: {
        "en": [
            "Good idea: the next two meetings are on Saturday mornings, with childcare.",
            "We passed your request to the community liaison team; they will contact "
            "your block club.",
        ],
        "es": [
            "Buena idea: las próximas dos reuniones serán sábados por la mañana, con "
            "cuidado de niños e interpretación.",
            "Pasamos su pedido al equipo de enlace comunitario; se comunicarán con su grupo.",
        ],
    },
}

# Abusive inputs, held for moderation: the text is kept, never shown in public.
ABUSIVE = [
    ("en", "Fuck you and your cameras. Burn it down."),
    ("es", "Hijos de puta, no hacen nada en {street}."),
]

# Where inputs are referred, by topic: (Community Map organisation name or service).
REFERRALS: dict[Topic, tuple[str, ...]] = {
    Topic.SAFETY_CONCERN: (
        "Riverside Public Works Street Lighting Division",
        "Riverside Department of Transportation",
        "Riverside 311 and Sanitation Services",
        "Riverside Code Enforcement Division",
    ),
    Topic.OTHER: ("Riverside Public Library", "Riverside Unified School District"),
    Topic.INCIDENT: ("Riverside Civilian Police Review Board",),
    Topic.INTERACTIONS: ("Riverside Civilian Police Review Board",),
}

# Internal notes staff leave on inputs.
NOTES = [
    "Called back, left a voicemail.",
    "Same concern raised at the last beat meeting; see the minutes.",
    "Checked calls for service at this location: 6 in the last 90 days.",
    "Asked the beat sergeant for a short answer by Friday.",
    "Shared with the problem-solving team for the area.",
]
