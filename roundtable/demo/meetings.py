"""A year of meetings in the demo jurisdiction, with the habits real agencies have.

Most of Riverside's meetings fall on Tuesday and Thursday evenings in the
North and Central districts, in English; Spanish comes mostly through the
workers' centre in Southbank, and Fairview and Harlow Park hardly ever host
one. That is the pattern the rotation check should catch.

Each MeetingSeries is a recurring habit: which kind, who convenes, where, on
which weekdays and at which hours, in which languages, how often.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roundtable.engagement.models import EventFormat, EventKind


@dataclass(frozen=True)
class Venue:
    name: str
    address: str
    area: str  # area slug


@dataclass(frozen=True)
class MeetingSeries:
    kind: EventKind
    title: str
    title_es: str  # shown when the meeting is held in Spanish
    venues: tuple[Venue, ...]
    weekdays: tuple[int, ...]  # Monday = 0
    hours: tuple[tuple[int, int], ...]  # (hour, minute) of the start
    every_days: int
    minutes_long: int = 90
    languages: tuple[str, ...] = ("en",)
    format: EventFormat = EventFormat.IN_PERSON
    convener: str = ""  # Community Map organisation; "" = the agency
    co_hosts: tuple[str, ...] = ()
    is_public: bool = True
    interpretation: str = ""
    childcare: str = ""
    transport: str = ""
    accessibility: str = "Step-free entrance; hearing loop on request."
    description: str = ""
    upcoming: int = 1  # how many future meetings are scheduled
    extra: dict[str, str] = field(default_factory=dict)


LIBRARY = Venue("Riverside Public Library, Community Room", "310 Front Street", "old-town")
MILLBROOK_CHURCH = Venue(
    "First Methodist Church of Millbrook, Hall", "42 Alder Street", "millbrook"
)
CEDAR_SCHOOL = Venue("Cedar Heights Elementary, Cafeteria", "900 Cedar Avenue", "cedar-heights")
EASTGATE_REC = Venue("Eastgate Recreation Center", "15 Fulton Street", "eastgate")
HILL_COMMUNITY = Venue("University Hill Community House", "220 Hill Street", "university-hill")
CENTRO = Venue("Centro de Trabajadores de Southbank", "77 River Road", "southbank")
LINDEN_SENIOR = Venue("Linden Grove Senior Center", "5 Grove Street", "linden-grove")
STATION = Venue("Riverside Police Headquarters, Community Room", "1 Civic Plaza", "old-town")

CITY_SERIES = [
    MeetingSeries(
        EventKind.BEAT_MEETING,
        "North District beat meeting",
        "Reunión del sector norte",
        (MILLBROOK_CHURCH, CEDAR_SCHOOL),
        (1,),
        ((18, 30),),
        every_days=28,
        description="Beat officers and neighbours go through the month's concerns together.",
    ),
    MeetingSeries(
        EventKind.BEAT_MEETING,
        "Central District beat meeting",
        "Reunión del sector centro",
        (EASTGATE_REC, HILL_COMMUNITY, LIBRARY),
        (3,),
        ((18, 30),),
        every_days=28,
        description="Beat officers and neighbours go through the month's concerns together.",
    ),
    MeetingSeries(
        EventKind.TOWN_HALL,
        "Town hall with the Chief",
        "Asamblea con la jefa de policía",
        (LIBRARY,),
        (2,),
        ((18, 0),),
        every_days=91,
        minutes_long=120,
        format=EventFormat.HYBRID,
        interpretation="Spanish interpretation; ASL on request a week ahead.",
        co_hosts=("League of Women Voters of Riverside",),
        description="Questions from residents, answered in public. Submit questions ahead online.",
    ),
    MeetingSeries(
        EventKind.LISTENING_SESSION,
        "Escuchando a Southbank",
        "Escuchando a Southbank",
        (CENTRO,),
        (3,),
        ((19, 0),),
        every_days=56,
        languages=("es", "en"),
        convener="Centro de Trabajadores de Southbank",
        co_hosts=("Iglesia Nueva Esperanza",),
        interpretation="En español, con interpretación al inglés.",
        childcare="Cuidado de niños gratuito.",
        description="Convened by the workers' centre; officers come to listen, not to present.",
    ),
    MeetingSeries(
        EventKind.ADVISORY_BOARD,
        "Community Advisory Board",
        "Consejo Asesor Comunitario",
        (STATION,),
        (0,),
        ((17, 30),),
        every_days=30,
        format=EventFormat.HYBRID,
        description="The board reviews priorities, the response ledger and open commitments.",
    ),
    MeetingSeries(
        EventKind.FOCUS_GROUP,
        "Focus group: young people and police",
        "Grupo focal: jóvenes y policía",
        (EASTGATE_REC,),
        (1, 3),
        ((16, 0),),
        every_days=120,
        minutes_long=75,
        convener="Riverside Youth Justice Coalition",
        is_public=False,
        description="Small group, by invitation of the coalition.",
    ),
    MeetingSeries(
        EventKind.PST_MEETING,
        "Problem-solving team: Eastgate Plaza",
        "Equipo de solución de problemas: Eastgate Plaza",
        (EASTGATE_REC,),
        (1,),
        ((14, 0),),
        every_days=21,
        minutes_long=60,
        co_hosts=("Eastgate Plaza Shopping Center", "Riverside Homeless Outreach Team"),
        is_public=False,
        upcoming=1,
    ),
    MeetingSeries(
        EventKind.COMMUNITY_EVENT,
        "Coffee with a Cop at the Market",
        "Café con la policía en el mercado",
        (Venue("Delgado Family Markets", "300 Tannery Street", "southbank"),),
        (5,),
        ((10, 0),),
        every_days=150,
        minutes_long=120,
        languages=("en", "es"),
        convener="Delgado Family Markets",
    ),
    MeetingSeries(
        EventKind.LISTENING_SESSION,
        "Listening session: licence-plate readers",
        "Sesión de escucha: lectores de placas",
        (LINDEN_SENIOR, LIBRARY),
        (1,),
        ((18, 0),),
        every_days=180,
        format=EventFormat.HYBRID,
        convener="Riverside Privacy Watch",
        co_hosts=("ACLU of Riverside County",),
        description="What the readers record, how long it is kept, who can see it.",
    ),
]

UNION = Venue("RSU Student Union, Room 210", "Library Walk", "main-campus")
VILLAGE = Venue("Student Village Commons", "12 Village Green", "student-village")
MED = Venue("Medical Campus Auditorium", "Hospital Drive", "medical-campus")

CAMPUS_SERIES = [
    MeetingSeries(
        EventKind.SENATE_VISIT,
        "Visit to the Student Government Association",
        "Visita a la Asociación de Gobierno Estudiantil",
        (UNION,),
        (1,),
        ((19, 0),),
        every_days=42,
        minutes_long=45,
        convener="RSU Student Government Association",
    ),
    MeetingSeries(
        EventKind.ADVISORY_BOARD,
        "RSU Police Community Advisory Committee",
        "Comité Asesor Comunitario de la Policía de RSU",
        (UNION,),
        (2,),
        ((12, 0),),
        every_days=30,
        format=EventFormat.HYBRID,
        convener="RSU Police Community Advisory Committee",
    ),
    MeetingSeries(
        EventKind.LISTENING_SESSION,
        "Student Village safety walk and listening session",
        "Caminata de seguridad en Student Village",
        (VILLAGE,),
        (3,),
        ((20, 0),),
        every_days=60,
        co_hosts=("Student Village Tenant Collective",),
        transport="Safe-ride shuttle home afterwards.",
    ),
    MeetingSeries(
        EventKind.FOCUS_GROUP,
        "Focus group with medical campus night staff",
        "Grupo focal con el personal nocturno",
        (MED,),
        (0,),
        ((7, 30),),
        every_days=120,
        minutes_long=60,
        convener="RSU Staff Council",
        is_public=False,
    ),
]

# Action items promised at meetings (owner: "" = the agency's coordinator).
PROMISES = [
    (
        "Ask Public Works for a lighting survey of the streets raised tonight.",
        "Riverside Public Works Street Lighting Division",
    ),
    ("Publish the licence-plate reader retention policy before the next meeting.", ""),
    ("Bring calls-for-service figures for the area to the next meeting.", ""),
    ("Arrange Spanish interpretation and childcare for the next session.", ""),
    ("Walk the block with residents and the property manager.", ""),
    (
        "Share the review board's complaint form in English and Spanish.",
        "Riverside Civilian Police Review Board",
    ),
]
MINUTES = [
    "About {n} people came. Residents raised speeding, lighting and a lack of answers "
    "after incidents. Officers explained how to follow an input with its receipt code. "
    "Agreed: the actions below; the next meeting reviews them first.",
    "Discussion of the quarter's priorities. Concerns about response times in the "
    "evening and about the new cameras. The board asked for the ledger's overdue list.",
    "Residents shared what makes them feel unsafe and what works. The convening "
    "organisation will collect written questions from those who could not attend.",
]
