"""What the demo's opinion conversations say, and how each camp tends to vote.

Three camps of residents and officers take part in the South District
conversation, as the seeds describe them: people who want a firmer police
presence, critics who want accountability and alternatives to policing, and
neighbours who mostly want practical fixes. Each statement carries, per camp,
the chance of an agree and of a disagree (the rest are passes). Some
statements divide the camps; a handful unite them, and those are the common
ground the opinion map should find.
"""

from __future__ import annotations

from dataclasses import dataclass

CAMPS = ("firmer", "critics", "neighbours")
# Participants per camp in the South District conversation.
CAMP_SIZES = {"firmer": 88, "critics": 104, "neighbours": 72}


@dataclass(frozen=True)
class Line:
    text: str
    # (agree, disagree) chances for firmer, critics, neighbours.
    odds: tuple[tuple[float, float], tuple[float, float], tuple[float, float]]
    language: str = "en"
    # "seed" (staff wrote it), "participant", "meta", "rejected" (moderated out,
    # kept in the record) or "pending" (awaiting moderation).
    kind: str = "participant"
    # The camp of the participant who wrote it (participant statements).
    author_camp: str = "neighbours"


SOUTH_TITLE = "Safety in Harlow Park and the South District: where do we agree?"
SOUTH_QUESTION = (
    "What should the Riverside Police Department and South District residents do "
    "together to make Harlow Park and its streets safer?"
)
SOUTH_BACKGROUND = (
    "Violent crime in the South District is up this year and car break-ins around "
    "Harlow Park keep rising. Before the community advisory group sets next year's "
    "priorities, we want to hear where residents, businesses and officers differ, and "
    "above all what they already agree on. Vote on each statement, add your own, and "
    "see the map of opinion as it forms."
)

SOUTH_LINES: tuple[Line, ...] = (
    Line(
        "The broken street lights in Harlow Park should be fixed before anything else is tried.",
        ((0.86, 0.04), (0.84, 0.05), (0.92, 0.02)),
        kind="seed",
    ),
    Line(
        "More officers on foot patrol in the South District would make me feel safer.",
        ((0.9, 0.03), (0.14, 0.7), (0.55, 0.2)),
        kind="seed",
    ),
    Line(
        "Officers should introduce themselves by name when they stop someone.",
        ((0.72, 0.12), (0.95, 0.02), (0.86, 0.04)),
        kind="seed",
    ),
    Line(
        "Traffic stops in the South District should be published every month, by reason "
        "and outcome.",
        ((0.3, 0.45), (0.94, 0.02), (0.68, 0.1)),
        kind="seed",
    ),
    Line(
        "Youth programmes in the park after school would do more for safety than extra patrols.",
        ((0.22, 0.62), (0.9, 0.04), (0.6, 0.18)),
        kind="seed",
    ),
    Line(
        "The department should answer every community complaint in writing within 30 days.",
        ((0.62, 0.12), (0.93, 0.02), (0.84, 0.05)),
        kind="seed",
    ),
    Line(
        "Drug dealing at the Harlow Park bus stops needs a firm police response.",
        ((0.95, 0.02), (0.28, 0.52), (0.72, 0.12)),
        kind="seed",
    ),
    Line(
        "Mental-health calls should be answered by trained responders, not only by police.",
        ((0.45, 0.35), (0.95, 0.02), (0.76, 0.08)),
        kind="seed",
    ),
    Line(
        "I trust the Riverside police to treat people like me fairly.",
        ((0.9, 0.04), (0.08, 0.86), (0.5, 0.25)),
        kind="seed",
    ),
    Line(
        "Cameras at the bus stops would help more than they would harm.",
        ((0.86, 0.05), (0.14, 0.74), (0.5, 0.28)),
        kind="seed",
    ),
    Line(
        "Residents and officers should walk the park together once a month.",
        ((0.74, 0.1), (0.62, 0.16), (0.86, 0.04)),
        kind="seed",
    ),
    Line(
        "Landlords of problem properties should be held responsible, not only the people arrested.",
        ((0.72, 0.1), (0.74, 0.08), (0.82, 0.05)),
        kind="seed",
    ),
    Line(
        "Police should stop moving homeless people out of the park at night.",
        ((0.08, 0.86), (0.84, 0.06), (0.38, 0.4)),
        kind="seed",
    ),
    Line(
        "Body-camera footage of a use of force should be released to the public within 45 days.",
        ((0.34, 0.46), (0.95, 0.02), (0.7, 0.1)),
        kind="seed",
    ),
    Line(
        "I don't know enough about the South District to answer most of these.",
        ((0.12, 0.6), (0.1, 0.62), (0.2, 0.5)),
        kind="meta",
    ),
    Line(
        "Bus shelters need lighting and a working emergency phone.",
        ((0.84, 0.04), (0.8, 0.06), (0.9, 0.02)),
        author_camp="neighbours",
    ),
    Line(
        "The community advisory group should include young people, not only business owners.",
        ((0.44, 0.3), (0.92, 0.02), (0.76, 0.06)),
        author_camp="critics",
    ),
    Line(
        "Officers who work in the South District should live in or near Riverside.",
        ((0.42, 0.3), (0.72, 0.1), (0.6, 0.14)),
        author_camp="neighbours",
    ),
    Line(
        "Stop-and-search in the park is aimed at young Latino men.",
        ((0.06, 0.82), (0.86, 0.04), (0.34, 0.3)),
        author_camp="critics",
    ),
    Line(
        "Los agentes deberían poder hablar con nosotros en español.",
        ((0.62, 0.14), (0.82, 0.04), (0.84, 0.04)),
        language="es",
        author_camp="neighbours",
    ),
    Line(
        "Los vecinos queremos saber qué pasa con nuestras denuncias.",
        ((0.7, 0.08), (0.88, 0.03), (0.9, 0.02)),
        language="es",
        author_camp="critics",
    ),
    Line(
        "Businesses on Fifth Street should pay for private security instead of relying on "
        "the police.",
        ((0.3, 0.5), (0.52, 0.2), (0.36, 0.36)),
        author_camp="critics",
    ),
    Line(
        "Arrests for small amounts of drugs waste officers' time.",
        ((0.18, 0.72), (0.86, 0.05), (0.5, 0.26)),
        author_camp="critics",
    ),
    Line(
        "A quick clean-up of graffiti and litter would show that someone cares.",
        ((0.86, 0.04), (0.74, 0.08), (0.9, 0.02)),
        author_camp="neighbours",
    ),
    Line(
        "Officers should come to neighbourhood association meetings in person, not just "
        "send emails.",
        ((0.8, 0.06), (0.7, 0.1), (0.86, 0.04)),
        author_camp="firmer",
    ),
    Line(
        "Officers who use excessive force should be named publicly.",
        ((0.08, 0.82), (0.9, 0.03), (0.44, 0.26)),
        author_camp="critics",
    ),
    Line(
        "Give patrol officers the overtime they need to cover evenings in the park.",
        ((0.88, 0.04), (0.12, 0.7), (0.46, 0.22)),
        author_camp="firmer",
    ),
    Line(
        "Officer Doyle is a thug and should be fired.",
        ((0.02, 0.8), (0.3, 0.3), (0.05, 0.6)),
        kind="rejected",
        author_camp="critics",
    ),
    Line(
        "Everyone who complains about the police has something to hide.",
        ((0.3, 0.4), (0.01, 0.95), (0.05, 0.8)),
        kind="rejected",
        author_camp="firmer",
    ),
    Line(
        "The park's toilets should stay open until 10 pm.",
        ((0.5, 0.1), (0.6, 0.1), (0.7, 0.05)),
        kind="pending",
        author_camp="neighbours",
    ),
)

# A finished conversation from last year: closed, its report still public.
ARLINGTON_TITLE = "Speeding on Arlington Avenue"
ARLINGTON_QUESTION = "How should we slow traffic on Arlington Avenue near the schools?"
ARLINGTON_CAMPS = {"drivers": 34, "parents": 46}
ARLINGTON_LINES: tuple[tuple[str, tuple[float, float], tuple[float, float]], ...] = (
    ("Speed cameras near the two schools would save lives.", (0.3, 0.55), (0.92, 0.03)),
    ("Speed humps would only push traffic onto side streets.", (0.8, 0.1), (0.3, 0.5)),
    (
        "Crossing guards should be at every school crossing at 8 am and 3 pm.",
        (0.8, 0.05),
        (0.94, 0.02),
    ),
    ("Officers should write more tickets on Arlington Avenue.", (0.2, 0.66), (0.84, 0.06)),
    ("The 35 mph limit is too low for a four-lane road.", (0.76, 0.12), (0.08, 0.84)),
    ("Repainting the faded crosswalks should come first.", (0.86, 0.04), (0.9, 0.03)),
    ("A radar sign showing drivers their speed would help.", (0.7, 0.1), (0.86, 0.04)),
    ("School-zone limits should apply all day, not only at school times.", (0.1, 0.8), (0.7, 0.14)),
)
