"""What Riverside's staff, advisory board and residents write while choosing priorities.

Themes are matched to the groups the text-grouping suggests by the words it
proposes (`proposed`), and a coordinator ticks only the members whose text is
about the theme (`ticks`); the demo never lists which inputs belong. `by_hand`
are searches for inputs the grouping does not put with the others (the same
worry in Spanish, which it groups apart or mixes with other worries), tagged
by hand. Everything here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.priorities.models import AdvisoryVote, Harm


@dataclass(frozen=True)
class ThemeSpec:
    key: str
    name: str
    description: str
    proposed: frozenset[str]
    ticks: tuple[str, ...]
    by_hand: tuple[str, ...] = ()


THEMES = [
    ThemeSpec(
        "speeding",
        "Speeding and street racing",
        "Cars racing down residential streets at night; no speed humps.",
        frozenset({"race", "racing"}),
        ("race down",),
        by_hand=("velocidad",),
    ),
    ThemeSpec(
        "drugs",
        "Drug dealing in the open",
        "Dealing at bus shelters and behind corner stores, in view of children.",
        frozenset({"dealing", "drugs", "drogas", "venden"}),
        ("dealing drugs", "drogas"),
        by_hand=("drogas",),
    ),
    ThemeSpec(
        "breakins",
        "Car break-ins and catalytic converter theft",
        "Parked cars broken into; converters cut off overnight.",
        frozenset({"parked", "catalytic", "converter"}),
        ("parked cars", "catalytic"),
    ),
    ThemeSpec(
        "bars",
        "Fights outside bars",
        "Loud parties and fights outside bars until the early hours at weekends.",
        frozenset({"bars", "fights"}),
        ("outside the bars",),
    ),
    ThemeSpec(
        "lights",
        "Dark streets",
        "Streetlights out for weeks; people afraid to walk at night.",
        frozenset({"streetlights", "dark"}),
        ("streetlights",),
        by_hand=("no hay luz",),
    ),
    ThemeSpec(
        "school",
        "Walking to school",
        "No crossing guard on the way to school.",
        frozenset({"crossing", "guard"}),
        ("crossing guard",),
    ),
    ThemeSpec(
        "crisis",
        "Mental health calls",
        "Why armed officers answer mental health calls.",
        frozenset({"mental", "armed"}),
        ("mental health",),
    ),
]


@dataclass(frozen=True)
class Worksheet:
    harm: Harm
    harm_note: str
    feasibility: Harm
    feasibility_note: str
    incident_note: str  # entered by the analyst
    equity_affected: str
    equity_heard: str
    partners: tuple[str, ...]  # Community Map organisations


@dataclass(frozen=True)
class CandidateSpec:
    key: str  # a theme key, or a name of its own for staff and public candidates
    title: str
    title_es: str
    categories: tuple[str, ...]
    worksheet: Worksheet
    description: str = ""
    areas: tuple[str, ...] = ()  # area slugs, for candidates without a theme


FROM_THEMES = [
    CandidateSpec(
        "drugs",
        "Open drug dealing at bus stops and corner stores",
        "Venta de drogas a la vista en paradas de autobús y tiendas",
        ("against_society",),
        Worksheet(
            Harm.HIGH,
            "Children see it on the way home from school; older riders stop using the buses.",
            Harm.MODERATE,
            "Two stops account for most reports; transit and outreach partners are willing.",
            "Transit authority log: 58 drug-related incidents at River Road stops in the last "
            "12 weeks. Calls for service at the stops: 41 in 90 days.",
            "Riders waiting for buses in Southbank, most of them older residents and children.",
            "Heard mostly in Spanish, through the workers' centre and the web form; "
            "few reports from the people who use drugs themselves.",
            (
                "Riverside Harm Reduction Collective",
                "Riverside Homeless Outreach Team",
                "Riverside Department of Transportation",
                "Delgado Family Markets",
            ),
        ),
    ),
    CandidateSpec(
        "speeding",
        "Speeding and street racing on residential streets",
        "Exceso de velocidad y carreras en calles residenciales",
        ("against_society",),
        Worksheet(
            Harm.HIGH,
            "Three pedestrians injured on Millbrook Road last year; residents fear a death.",
            Harm.HIGH,
            "Traffic engineering (humps, narrowing) is proven and already budgeted in part.",
            "Injury crashes on Millbrook Road and Quarry Lane: 11 in 12 months (7 the year "
            "before). Racing calls, 10 pm to 2 am: 64 in six months.",
            "Pedestrians and children in the North District; drivers stopped for speeding.",
            "Heard from block clubs and the beat meetings; Walk Riverside warns that "
            "enforcement falls on pedestrians rather than drivers.",
            (
                "Riverside Department of Transportation",
                "Safe Routes to School Riverside",
                "Mothers Against Drunk Driving, Riverside County",
                "Walk Riverside",
            ),
        ),
    ),
    CandidateSpec(
        "bars",
        "Late-night fights outside bars",
        "Peleas de madrugada frente a los bares",
        ("against_persons", "violent"),
        Worksheet(
            Harm.HIGH,
            "Assaults with injuries most weekends; neighbours kept awake until 3 am.",
            Harm.MODERATE,
            "Bar owners and the business district want to help; licensing is the city's.",
            "Assaults within 100 m of Old Town bars, Friday and Saturday nights: 47 in the "
            "last six months, 31 the six months before.",
            "Bar staff and patrons; residents above the bars on Market Square.",
            "Heard from residents and the business district; not yet from bar staff.",
            (
                "Riverside Nightlife Association",
                "Old Town Business Improvement District",
                "Cure Violence Riverside",
            ),
        ),
    ),
    CandidateSpec(
        "breakins",
        "Car break-ins and catalytic converter theft",
        "Robos en carros y de convertidores catalíticos",
        ("against_property", "property"),
        Worksheet(
            Harm.MODERATE,
            "Costly to households that need their car for work; rarely solved.",
            Harm.MODERATE,
            "Marking converters works; break-ins spread across the city.",
            "Thefts from vehicles: 212 in 12 months, up 9%. Converter thefts: 58.",
            "Car owners without off-street parking, across the city.",
            "Heard across neighbourhoods, in English more than Spanish.",
            ("Millbrook Community Credit Union", "Riverside Property Managers Association"),
        ),
    ),
    CandidateSpec(
        "lights",
        "Dark streets and broken streetlights",
        "Calles oscuras y faroles rotos",
        (),
        Worksheet(
            Harm.MODERATE,
            "People avoid walking at night; makes other problems worse.",
            Harm.VERY_HIGH,
            "Public Works can repair most outages within weeks once reported.",
            "Streetlight outages reported to 311: 96 in 12 months, 40 still open.",
            "People walking home from work at night, many in Southbank and Linden Grove.",
            "Heard in both languages; older residents raised it at the senior center.",
            (
                "Riverside Public Works Street Lighting Division",
                "Riverside 311 and Sanitation Services",
            ),
        ),
    ),
]

STAFF = CandidateSpec(
    "youth",
    "Safe places for young people in the evenings",
    "Lugares seguros para jóvenes por la tarde y noche",
    ("against_persons",),
    Worksheet(
        Harm.HIGH,
        "Young people are most often the victims of the evening assaults.",
        Harm.MODERATE,
        "Needs the city's recreation budget; partners run programmes already.",
        "Victims aged 12–24 in evening assaults: 38 in 12 months, most in Eastgate.",
        "Young people in Eastgate and Southbank, and their families.",
        "Raised at the youth focus group; few young people use the web form.",
        (
            "Boys & Girls Club of Riverside",
            "Eastgate After-School Mentoring Program",
            "Riverside Youth Justice Coalition",
        ),
    ),
    description="Raised at the focus group with young people: nowhere to go after 6 pm.",
    areas=("eastgate", "southbank"),
)

# A participant's suggestion, approved with a tidied title.
PUBLIC = CandidateSpec(
    "abandoned",
    "Abandoned houses left open",
    "Casas abandonadas y abiertas",
    ("against_property",),
    Worksheet(
        Harm.MODERATE,
        "Fires and break-ins next door; children go in to play.",
        Harm.HIGH,
        "Code enforcement can order owners to board up within 30 days.",
        "Vacant-building complaints to Code Enforcement: 27 in 12 months.",
        "Neighbours of vacant houses, and the people who sleep in them.",
        "One participant's suggestion, backed by several inputs; not yet heard from "
        "the people who sleep there.",
        ("Riverside Code Enforcement Division", "Riverside Housing Authority"),
    ),
    areas=("linden-grove", "millbrook"),
)
PUBLIC_TEXT = "abandoned houses on our block, people break in and sleep there, kids go in too"
REJECTED_TEXT = "Fire officer Jenkins from the Pine Street beat, he is the whole problem"
REJECTED_NOTE = (
    "Names an officer: complaints about an officer go to the Civilian Police Review Board, "
    "not on the ballot."
)

QUESTION = "Which of these two should Riverside police and its partners work on first?"
QUESTION_ES = (
    "¿En cuál de estos dos deberían trabajar primero la policía de Riverside y sus aliados?"
)

# The priorities the advisory board chooses (candidate keys).
CHOSEN = ("drugs", "speeding", "bars")
DECISION_TITLE = "Riverside's public safety priorities for the coming year"
DECIDED_BY = "Riverside Community Advisory Board"
RATIONALE = (
    "All three ranked near the top of the community survey, and each came first in the "
    "neighbourhood that lives with it: drug dealing in Southbank, speeding in Millbrook, fights "
    "outside bars in Old Town. All three cause serious harm and have partners ready to work "
    "on them. Dark streets are left to Public Works, which has agreed to repair reported "
    "outages within four weeks."
)
DISSENT = (
    "One member voted against: safe evening places for young people did not rank near the "
    "top, but would prevent more harm than enforcement, and young people were hardly heard "
    "in the survey. One member abstained, having joined the board this month."
)
ADVISORY_VOTES = [
    ("Angela Brooks", "NAACP Riverside Branch", AdvisoryVote.Vote.FOR, ""),
    ("Tomás Rivera", "Centro de Trabajadores de Southbank", AdvisoryVote.Vote.FOR, ""),
    ("Helen Park", "Old Town Business Improvement District", AdvisoryVote.Vote.FOR, ""),
    ("Father Miguel Duarte", "St. Casimir Catholic Parish", AdvisoryVote.Vote.FOR, ""),
    ("Denise Carter", "Mothers Against Drunk Driving, Riverside County", AdvisoryVote.Vote.FOR, ""),
    (
        "Samuel Greene",
        "Riverside Youth Justice Coalition",
        AdvisoryVote.Vote.AGAINST,
        "Safe places for young people should have been chosen.",
    ),
    (
        "Linda Moreau",
        "League of Women Voters of Riverside",
        AdvisoryVote.Vote.ABSTAIN,
        "Joined the board this month.",
    ),
]
DOTS_NOTE = "Each person had three dots to place on the shortlist posters."

# The university's smaller ballot (open now), as (title, Spanish title, area slugs).
CAMPUS_CANDIDATES = [
    (
        "Dark path from the medical campus parking structure",
        "Camino oscuro desde el estacionamiento del campus médico",
        ("medical-campus",),
    ),
    (
        "Bike theft at the Student Union racks",
        "Robo de bicicletas en el centro estudiantil",
        ("main-campus",),
    ),
    (
        "Parties spilling onto College Avenue at weekends",
        "Fiestas que salen a College Avenue los fines de semana",
        ("student-village",),
    ),
    ("Safe rides home late at night", "Transporte seguro de noche", ()),
]
CAMPUS_QUESTION = "Which of these two should RSU police and its partners work on first?"
CAMPUS_QUESTION_ES = (
    "¿En cuál de estos dos deberían trabajar primero la policía de RSU y sus aliados?"
)
