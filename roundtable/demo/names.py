"""Name parts and phrases the demo jurisdiction is built from. All fictional."""

from __future__ import annotations

from roundtable.stakeholders.models import Category, Interaction, Stance


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words("""
    Aaliyah Adam Aisha Alan Amara Andre Angela Anthony Beatrice Brandon Caroline Chen Claire
    Darnell Deborah Denise Derek Eleanor Emily Ethan Farah Gregory Hannah Imani Jacob
    Jasmine Jerome Joyce Karen Keisha Kevin Lakshmi Latoya Leon Linda Malik Marcus Margaret
    Mei Michael Nadia Nathan Nia Omar Patricia Paul Priya Rachel Raymond Robert Ruth Samira
    Sarah Simone Stephen Tamara Terrence Thomas Vanessa Walter Wei Yusuf Zoe Grace Harold
    Ibrahim Jonah Kimberly Monique Noah
""")
LAST_NAMES = _words("""
    Abernathy Adeyemi Baker Bell Brooks Campbell Chang Coleman Davis Dawson Ellis Fischer
    Foster Greene Hall Harris Hayes Holloway Hughes Jackson Jefferson Kaplan Kim Kowalski
    Lambert Lee Mahmoud Marshall McCarthy Mitchell Morgan Nakamura Nguyen O'Brien Okafor
    Owens Patel Porter Quinn Reed Robinson Russell Shapiro Singh Stewart Sullivan Thompson
    Turner Walker Washington Webb Whitaker Williams Wright Young Zhang Ferguson Grant
    Hendricks Ibarra
""")
SPANISH_FIRST_NAMES = _words("""
    Alejandro Ana Beatriz Carlos Carmen Daniela Diego Elena Esperanza Fernando Gabriela
    Guadalupe Héctor Isabel Javier Jorge Josefina Juan Lucía Luis Manuel Marisol Miguel
    Norma Pablo Patricia Ramón Rocío Rosa Teresa
""")
SPANISH_LAST_NAMES = _words("""
    Acosta Aguilar Castillo Cruz Delgado Domínguez Estrada Flores García Gómez Gutiérrez
    Hernández Herrera Jiménez López Martínez Medina Mendoza Morales Navarro Ortiz Pérez
    Ramírez Ramos Reyes Ríos Rodríguez Salazar Torres Vargas
""")

# Contact roles by category: the first is the lead contact, the others follow.
ROLES: dict[Category, tuple[str, ...]] = {
    Category.COMMUNITY_GROUP: (
        "President",
        "Secretary",
        "Treasurer",
        "Outreach chair",
        "Organizer",
    ),
    Category.NATIONAL_NGO: (
        "Executive director",
        "Program manager",
        "Chapter president",
        "Volunteer coordinator",
    ),
    Category.GOVERNMENT: (
        "Director",
        "Deputy director",
        "Community liaison",
        "Program coordinator",
        "Data manager",
    ),
    Category.FAITH: ("Pastor", "Outreach minister", "Board chair", "Youth minister"),
    Category.BUSINESS: ("Owner", "General manager", "Executive director", "Security manager"),
    Category.CAMPUS_GROUP: (
        "President",
        "Vice president",
        "Public safety chair",
        "Faculty advisor",
    ),
    Category.OVERSIGHT: ("Chair", "Lead organizer", "Policy director", "Vice chair"),
    Category.OTHER: ("Contact",),
}
# Roles whose holders are elected for a term (the rest are staff).
ELECTED_ROLES = frozenset(
    {
        "President",
        "Secretary",
        "Treasurer",
        "Outreach chair",
        "Chapter president",
        "Board chair",
        "Vice president",
        "Public safety chair",
        "Chair",
        "Vice chair",
    }
)

NOTES: dict[Stance, tuple[str, ...]] = {
    Stance.SUPPORTER: (
        "Long-standing partner; co-hosted a listening session last year.",
        "Asks for more foot patrols and quicker follow-up on calls.",
        "Offers its space for beat meetings and helps with interpreters.",
        "Regularly brings residents to community meetings.",
        "Worked with the district on the lighting and speeding problem.",
        "Keen to sit on a problem-solving team.",
    ),
    Stance.NEUTRAL: (
        "Open to working on specific problems; has taken no public position.",
        "Cares more about traffic and housing than crime; will join if the agenda is concrete.",
        "Cooperates on referrals but does not want to be seen as close to the police.",
        "Attends meetings now and then; no strong view yet.",
        "Supportive of the co-responder pilot, sceptical of enforcement campaigns.",
    ),
    Stance.CRITIC: (
        "Distrusts the department since the 2023 Eastgate shooting; will meet in public.",
        "Says stops fall most on young Black and Latino residents; wants the data published.",
        "Opposes the licence-plate reader expansion until there is a public policy.",
        "Members feel complaints go nowhere; wants outcomes reported back.",
        "Says enforcement pushes problems from one block to the next instead of solving them.",
    ),
    Stance.UNKNOWN: (
        "Met once; has not said where it stands.",
        "Suggested by a partner; stance not known yet.",
        "Answers emails but has not come to a meeting.",
        "",
    ),
}
NOT_CONTACTED_NOTES = (
    "Not contacted yet.",
    "Found in the county nonprofit directory; no contact yet.",
    "On the CS360 worksheet; nobody has reached out.",
)
# Why an earlier stance was recorded, for the stance history.
HISTORY_NOTES: dict[Stance, tuple[str, ...]] = {
    Stance.UNKNOWN: (
        "Added to the map from the CS360 worksheet.",
        "Added after a partner's suggestion.",
    ),
    Stance.CRITIC: (
        "Spoke against the department at the town hall after the Eastgate shooting.",
        "Published an open letter on stop data.",
        "Walked out of the first advisory meeting.",
    ),
    Stance.NEUTRAL: (
        "Agreed to a first meeting; no position taken.",
        "Took part in the spring listening session without endorsing anything.",
    ),
    Stance.SUPPORTER: ("Co-hosted the summer safety fair.",),
}

DESCRIPTIONS: dict[Category, tuple[str, ...]] = {
    Category.COMMUNITY_GROUP: (
        "Volunteer group; meets monthly.",
        "Residents' group with an active email list.",
        "",
    ),
    Category.NATIONAL_NGO: (
        "Local chapter of a national organisation.",
        "Affiliate with paid staff and volunteers.",
    ),
    Category.GOVERNMENT: ("Public agency.", "Public service with a community liaison."),
    Category.FAITH: (
        "Congregation with food pantry and youth programmes.",
        "Congregation; services in English and Spanish.",
    ),
    Category.BUSINESS: ("Local employer.", "Business with late-night opening hours."),
    Category.CAMPUS_GROUP: ("Student organisation; officers are elected each spring.",),
    Category.OVERSIGHT: (
        "Advocacy group that monitors policing.",
        "Publishes reports and testifies at council.",
    ),
    Category.OTHER: ("",),
}

TOPICS = (
    "the spring listening sessions",
    "body-worn camera footage release",
    "licence-plate readers",
    "street lighting on the main corridor",
    "speeding near the elementary school",
    "after-school safety",
    "the summer youth jobs programme",
    "break-ins at parked cars",
    "the co-responder pilot",
    "hate-crime reporting",
    "interpreters at beat meetings",
    "the advisory team's priorities",
    "party noise and late-night calls",
    "encampments along the river path",
    "the survey on trust and safety",
)
INTERACTION_PHRASES: dict[Interaction.Kind, tuple[str, ...]] = {
    Interaction.Kind.MEETING: (
        "Met to talk about {topic}.",
        "Sat down with the board about {topic}.",
        "Walked the area together; discussed {topic}.",
    ),
    Interaction.Kind.CALL: (
        "Called about {topic}.",
        "Follow-up call on {topic}.",
        "Returned their call about {topic}.",
    ),
    Interaction.Kind.EMAIL: (
        "Sent the notes on {topic}.",
        "Emailed an invitation to discuss {topic}.",
        "Answered their questions about {topic}.",
    ),
    Interaction.Kind.EVENT: (
        "Tabled together at the community fair; {topic} came up.",
        "They attended the town hall on {topic}.",
        "Joint forum on {topic}.",
    ),
}

REFERRAL_NOTES = (
    "Introduced us at the interfaith unity breakfast.",
    "Suggested them for a seat on the problem-solving team.",
    "Said we should hear from them, critics included.",
    "Their members keep raising the same concerns; worth a meeting.",
    "Works with the same families; can bring people who avoid police.",
    "Recommended during the listening session.",
    "",
)

# The lead contact's title at a faith community, by a word in its name.
FAITH_LEADERS = (
    ("Masjid", "Imam"),
    ("Temple", "Rabbi"),
    ("Gurdwara", "Secretary"),
    ("Parish", "Parish priest"),
    ("Newman", "Chaplain"),
    ("Council", "Executive director"),
)
