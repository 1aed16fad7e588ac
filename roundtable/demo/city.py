"""The city police's Community Map in the demo: districts, neighbourhoods, who is on it.

Everything here is fictional. The city map covers every CS360 area with a
community group, a national NGO chapter and a government partner, and leaves
deliberate gaps (no business in public works and traffic, no faith community
in housing, few school groups) so the coverage page has something real to
show. Stances are set by hand where the kind of body makes one obvious (an
oversight coalition is a critic); neighbourhood groups built from name parts
draw theirs from weights.
"""

from __future__ import annotations

from roundtable.demo.organisations import (
    BUSINESS,
    CAMPUS,
    CRI,
    EDU,
    FAITH,
    GOV,
    GROUP,
    HEALTH,
    HOUSING,
    JUSTICE,
    LABOUR,
    NEU,
    NGO,
    OTHER,
    OVERSIGHT,
    SUP,
    UNK,
    WORKS,
    GroupTemplate,
    OrgSpec,
)

# Deliberate holes in the city's coverage matrix: (sector, category).
CITY_GAPS = frozenset({(WORKS, BUSINESS), (HOUSING, FAITH)})

# (district name, district slug, beats, neighbourhoods)
CITY_DISTRICTS: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "North District",
        "north",
        ("Beat 11", "Beat 12"),
        ("Millbrook", "Cedar Heights", "Harlow Park"),
    ),
    (
        "Central District",
        "central",
        ("Beat 21", "Beat 22", "Beat 23"),
        ("Old Town", "Eastgate", "University Hill"),
    ),
    ("South District", "south", ("Beat 31", "Beat 32"), ("Southbank", "Linden Grove", "Fairview")),
]
# Neighbourhoods where many residents prefer Spanish.
SPANISH_NEIGHBOURHOODS = frozenset({"southbank", "linden-grove"})

NEIGHBOURHOOD_GROUPS = [
    GroupTemplate(
        "{} Neighborhood Association",
        GROUP,
        (HOUSING, WORKS),
        (
            "millbrook",
            "cedar-heights",
            "harlow-park",
            "old-town",
            "eastgate",
            "university-hill",
            "southbank",
            "linden-grove",
            "fairview",
        ),
        (3, 2, 2, 3),
    ),
    GroupTemplate(
        "{} Block Club",
        GROUP,
        (JUSTICE,),
        ("millbrook", "eastgate", "southbank", "fairview", "cedar-heights"),
        (4, 2, 1, 3),
    ),
    GroupTemplate(
        "{} Tenants Union", GROUP, (HOUSING, JUSTICE), ("eastgate", "southbank"), (0, 0, 1, 0)
    ),
    GroupTemplate(
        "Friends of {} Park",
        GROUP,
        (WORKS, HEALTH),
        ("millbrook", "harlow-park", "linden-grove"),
        (3, 3, 0, 3),
    ),
    GroupTemplate(
        "{} Merchants Association",
        GROUP,
        (LABOUR,),
        ("old-town", "eastgate", "southbank"),
        (4, 2, 1, 3),
    ),
    GroupTemplate(
        "{} Elementary PTA",
        GROUP,
        (EDU,),
        ("cedar-heights", "fairview", "linden-grove", "millbrook"),
        (3, 3, 0, 4),
    ),
    GroupTemplate(
        "{} Neighborhood Watch",
        GROUP,
        (JUSTICE,),
        ("harlow-park", "linden-grove", "university-hill"),
        (5, 1, 1, 3),
    ),
]

CITY: list[OrgSpec] = [
    # Government agencies and services.
    OrgSpec(
        "Riverside Unified School District",
        GOV,
        (EDU,),
        SUP,
        note="Shares attendance and incident data; co-chairs the youth safety working group.",
    ),
    OrgSpec(
        "Riverside Public Library",
        GOV,
        (EDU, LABOUR),
        SUP,
        note="Hosts listening sessions in all branches, with interpreters.",
    ),
    OrgSpec("Riverside Parks and Recreation Department", GOV, (EDU, WORKS), SUP),
    OrgSpec(
        "Riverside County Public Health Department",
        GOV,
        (HEALTH,),
        NEU,
        note="Will share overdose and injury data in aggregate, under an agreement.",
    ),
    OrgSpec("Riverside County General Hospital", GOV, (HEALTH,), NEU, areas=("old-town",)),
    OrgSpec(
        "Riverside County Behavioral Health Mobile Crisis Team",
        GOV,
        (HEALTH, JUSTICE),
        SUP,
        note="Co-responds to crisis calls; wants more calls diverted to clinicians.",
    ),
    OrgSpec("Riverside County District Attorney's Office", GOV, (JUSTICE,), SUP),
    OrgSpec(
        "Riverside County Public Defender",
        GOV,
        (JUSTICE,),
        CRI,
        note="Questions stop data and asks for body-camera footage to be released sooner.",
        history=(UNK, NEU),
    ),
    OrgSpec("Riverside County Probation Department", GOV, (JUSTICE, LABOUR), SUP),
    OrgSpec("Riverside Municipal Court", GOV, (JUSTICE,), NEU),
    OrgSpec("Riverside County Victim Witness Assistance Program", GOV, (JUSTICE, HEALTH), SUP),
    OrgSpec("Riverside Housing Authority", GOV, (HOUSING,), NEU, areas=("eastgate", "southbank")),
    OrgSpec("Riverside Code Enforcement Division", GOV, (HOUSING, WORKS), SUP),
    OrgSpec("Riverside Homeless Outreach Team", GOV, (HOUSING, HEALTH), SUP),
    OrgSpec("Riverside Workforce Development Board", GOV, (LABOUR, EDU), NEU),
    OrgSpec("Riverside Office of Economic Development", GOV, (LABOUR,), SUP),
    OrgSpec(
        "Riverside Department of Transportation",
        GOV,
        (WORKS,),
        SUP,
        note="Traffic engineering partner on the Southbank corridor speed study.",
    ),
    OrgSpec("Riverside Public Works Street Lighting Division", GOV, (WORKS,), NEU),
    OrgSpec("Riverside 311 and Sanitation Services", GOV, (WORKS, HOUSING), UNK),
    OrgSpec("Riverside Fire Department", GOV, (HEALTH, WORKS), SUP),
    OrgSpec(
        "Office of Council Member Teresa Villanueva (District 3)",
        GOV,
        (HOUSING, WORKS, JUSTICE),
        NEU,
        areas=("southbank", "linden-grove", "fairview"),
        spanish=True,
    ),
    # Chapters and affiliates of national NGOs.
    OrgSpec(
        "NAACP Riverside Branch",
        NGO,
        (JUSTICE, EDU, HOUSING, LABOUR),
        NEU,
        note="Critical of the 2023 Eastgate shooting review; now co-leads listening sessions.",
        history=(UNK, CRI),
    ),
    OrgSpec(
        "ACLU of Riverside County",
        NGO,
        (JUSTICE,),
        CRI,
        note="Opposes licence-plate readers without a policy; requests use-of-force records.",
    ),
    OrgSpec("Boys & Girls Club of Riverside", NGO, (EDU,), SUP, areas=("eastgate", "southbank")),
    OrgSpec("Big Brothers Big Sisters of the Riverside Valley", NGO, (EDU,), SUP),
    OrgSpec("Riverside Family YMCA", NGO, (EDU, HEALTH), UNK, areas=("millbrook", "cedar-heights")),
    OrgSpec(
        "NAMI Riverside",
        NGO,
        (HEALTH,),
        NEU,
        note="Wants crisis calls answered by clinicians; supports the co-responder pilot.",
        history=(CRI,),
    ),
    OrgSpec("American Red Cross, Riverside Chapter", NGO, (HEALTH,), UNK),
    OrgSpec(
        "Riverside Coalition Against Domestic Violence",
        NGO,
        (HEALTH, JUSTICE),
        CRI,
        note="Says survivors are arrested along with their abusers in dual-arrest cases.",
    ),
    OrgSpec("Habitat for Humanity of the Riverside Valley", NGO, (HOUSING,), SUP),
    OrgSpec(
        "Riverside Valley Continuum of Care",
        NGO,
        (HOUSING, HEALTH),
        CRI,
        note="Objects to encampment sweeps; still cooperates on outreach.",
        history=(NEU,),
    ),
    OrgSpec("Urban League of Greater Riverside", NGO, (LABOUR, EDU), NEU),
    OrgSpec("Goodwill Industries of the Riverside Valley", NGO, (LABOUR,), UNK),
    OrgSpec("Greater Riverside Chamber of Commerce", NGO, (LABOUR,), SUP),
    OrgSpec("Mothers Against Drunk Driving, Riverside County", NGO, (WORKS, JUSTICE), SUP),
    OrgSpec("Safe Routes to School Riverside", NGO, (WORKS, EDU), SUP),
    OrgSpec("League of Women Voters of Riverside", NGO, (JUSTICE,), NEU),
    OrgSpec("Crime Survivors for Safety and Justice, Riverside", NGO, (JUSTICE, HEALTH), NEU),
    OrgSpec(
        "LULAC Council 4410",
        NGO,
        (LABOUR, EDU, JUSTICE),
        UNK,
        areas=("southbank", "linden-grove"),
        spanish=True,
    ),
    OrgSpec("United Way of Riverside County", NGO, (HEALTH, EDU, HOUSING), SUP),
    # Advocacy and oversight bodies.
    OrgSpec(
        "Riverside Civilian Police Review Board",
        OVERSIGHT,
        (JUSTICE,),
        CRI,
        note="Found the department slow to answer complaints; publishes quarterly reviews.",
        history=(UNK, NEU),
    ),
    OrgSpec(
        "Coalition for Police Accountability",
        OVERSIGHT,
        (JUSTICE,),
        CRI,
        note="Calls for an independent inspector general and public body-camera footage.",
    ),
    OrgSpec("Riverside Court Watch", OVERSIGHT, (JUSTICE,), CRI),
    OrgSpec(
        "Riverside Copwatch",
        OVERSIGHT,
        (JUSTICE,),
        CRI,
        areas=("eastgate", "southbank"),
        note="Films stops in Eastgate; declines to meet at the station.",
    ),
    OrgSpec(
        "Riverside Housing Justice Alliance", OVERSIGHT, (HOUSING, JUSTICE), CRI, history=(UNK,)
    ),
    OrgSpec("Disability Rights Riverside", OVERSIGHT, (HEALTH, WORKS), NEU, history=(UNK,)),
    OrgSpec(
        "Riverside Youth Justice Coalition",
        OVERSIGHT,
        (EDU, JUSTICE),
        CRI,
        note="Wants school resource officers out of middle schools.",
    ),
    OrgSpec(
        "Riverside Privacy Watch",
        OVERSIGHT,
        (JUSTICE,),
        CRI,
        note="Opposes the drone and licence-plate reader programmes.",
    ),
    # Faith communities (none works on housing: a deliberate gap).
    OrgSpec(
        "Riverside Interfaith Council",
        FAITH,
        (JUSTICE, HEALTH, EDU),
        SUP,
        note="Convenes clergy after shootings; hosts the annual unity breakfast.",
    ),
    OrgSpec("Greater Mount Zion Baptist Church", FAITH, (JUSTICE, EDU), SUP, areas=("eastgate",)),
    OrgSpec(
        "Iglesia Nueva Esperanza", FAITH, (HEALTH, LABOUR), UNK, areas=("southbank",), spanish=True
    ),
    OrgSpec(
        "St. Casimir Catholic Parish",
        FAITH,
        (EDU, LABOUR),
        NEU,
        areas=("old-town", "linden-grove"),
        spanish=True,
        history=(UNK,),
    ),
    OrgSpec(
        "Masjid Al-Noor",
        FAITH,
        (JUSTICE, EDU),
        NEU,
        areas=("fairview",),
        history=(CRI,),
        note="Relations improved after the 2024 listening session on hate crimes.",
    ),
    OrgSpec("Temple Beth Shalom", FAITH, (JUSTICE,), UNK, areas=("cedar-heights",)),
    OrgSpec("First Methodist Church of Millbrook", FAITH, (HEALTH,), SUP, areas=("millbrook",)),
    OrgSpec("Riverside Gurdwara Sahib", FAITH, (EDU,), UNK, areas=("harlow-park",)),
    # Businesses (none works on public works and traffic: a deliberate gap).
    OrgSpec(
        "Old Town Business Improvement District", BUSINESS, (LABOUR,), SUP, areas=("old-town",)
    ),
    OrgSpec("Riverside Valley Medical Group", BUSINESS, (HEALTH, LABOUR), NEU),
    OrgSpec(
        "Eastgate Plaza Shopping Center", BUSINESS, (LABOUR, JUSTICE), SUP, areas=("eastgate",)
    ),
    OrgSpec(
        "Riverside Nightlife Association",
        BUSINESS,
        (LABOUR, JUSTICE),
        NEU,
        areas=("old-town",),
        history=(CRI,),
    ),
    OrgSpec("Harlan Manufacturing Company", BUSINESS, (LABOUR,), UNK, areas=("south",)),
    OrgSpec(
        "Delgado Family Markets",
        BUSINESS,
        (LABOUR,),
        SUP,
        areas=("southbank", "linden-grove"),
        spanish=True,
    ),
    OrgSpec("Riverside Property Managers Association", BUSINESS, (HOUSING, LABOUR), SUP),
    OrgSpec(
        "Millbrook Community Credit Union", BUSINESS, (LABOUR, HOUSING), NEU, areas=("millbrook",)
    ),
    # Community groups working across the city.
    OrgSpec(
        "Cure Violence Riverside",
        GROUP,
        (JUSTICE, HEALTH),
        NEU,
        areas=("eastgate", "southbank"),
        note="Violence interrupters; keep their distance in public, share trends privately.",
        history=(UNK, CRI),
    ),
    OrgSpec(
        "Second Chance Riverside",
        GROUP,
        (JUSTICE, LABOUR),
        CRI,
        note="Returning citizens; want an end to pretext stops.",
    ),
    OrgSpec("Riverside Bicycle Coalition", GROUP, (WORKS,), NEU),
    OrgSpec(
        "Walk Riverside",
        GROUP,
        (WORKS, HEALTH),
        CRI,
        note="Says pedestrians are stopped for jaywalking while speeding drivers go unchecked.",
    ),
    OrgSpec(
        "Riverside Harm Reduction Collective",
        GROUP,
        (HEALTH, JUSTICE),
        CRI,
        note="Reports that clients avoid calling 911 for overdoses for fear of arrest.",
    ),
    OrgSpec("Riverside Recovery Community", GROUP, (HEALTH,), NEU, history=(UNK,)),
    OrgSpec("Riverside Community Health Workers Network", GROUP, (HEALTH,), SUP),
    OrgSpec(
        "Centro de Trabajadores de Southbank",
        GROUP,
        (LABOUR, JUSTICE),
        CRI,
        areas=("southbank",),
        spanish=True,
        note="Wage theft and immigration fears keep members from calling police.",
    ),
    OrgSpec(
        "Riverside Immigrant Rights Network",
        GROUP,
        (LABOUR, JUSTICE, HOUSING),
        CRI,
        spanish=True,
        history=(UNK,),
    ),
    OrgSpec("Riverside Youth Soccer League", GROUP, (EDU,), UNK),
    OrgSpec("Eastgate After-School Mentoring Program", GROUP, (EDU,), SUP, areas=("eastgate",)),
    OrgSpec("Riverside Council of PTAs", GROUP, (EDU,), NEU, history=(UNK,)),
    OrgSpec(
        "Linden Grove Senior Circle", GROUP, (HEALTH,), SUP, areas=("linden-grove",), spanish=True
    ),
    OrgSpec(
        "Mothers in Charge Riverside",
        GROUP,
        (JUSTICE, HEALTH),
        CRI,
        note="Families of homicide victims; say they wait months for news of open cases.",
        history=(NEU,),
    ),
    OrgSpec("Riverside Landlord Watch", GROUP, (HOUSING,), UNK),
    OrgSpec(
        "Riverside Central High School Student Council", CAMPUS, (EDU,), NEU, areas=("old-town",)
    ),
    OrgSpec(
        "Fairview High School Youth Advisory Board",
        CAMPUS,
        (EDU, JUSTICE),
        UNK,
        areas=("fairview",),
    ),
    # People on the map in their own right.
    OrgSpec(
        "Rev. Dolores Whitfield",
        FAITH,
        (JUSTICE, EDU),
        SUP,
        areas=("eastgate",),
        person_role="Pastor, Greater Mount Zion Baptist Church",
    ),
    OrgSpec(
        "Harold Jennings",
        OTHER,
        (EDU,),
        SUP,
        areas=("millbrook",),
        person_role="Retired teacher, youth mentor",
    ),
    OrgSpec(
        "María Elena Ochoa",
        OTHER,
        (LABOUR, HOUSING),
        CRI,
        areas=("southbank",),
        person_role="Community organiser",
        spanish=True,
        history=(UNK,),
    ),
    OrgSpec(
        "Dr. Samuel Osei", OTHER, (HEALTH,), NEU, person_role="Emergency physician, County General"
    ),
    OrgSpec(
        "Bettye Carmichael",
        GROUP,
        (JUSTICE,),
        SUP,
        areas=("eastgate",),
        person_role="Block captain",
    ),
    OrgSpec(
        "Luis Navarro",
        GROUP,
        (EDU,),
        UNK,
        areas=("linden-grove",),
        person_role="Youth football coach",
        spanish=True,
    ),
    OrgSpec(
        "Jamal Price",
        BUSINESS,
        (LABOUR, JUSTICE),
        NEU,
        areas=("old-town",),
        person_role="Barbershop owner",
    ),
]

# Who refers many others (by name), and to whom they tend to point.
CITY_HUBS = {
    "Riverside Interfaith Council": 9,
    "NAACP Riverside Branch": 8,
    "United Way of Riverside County": 5,
    "Riverside Unified School District": 4,
}
