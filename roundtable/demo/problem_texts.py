"""What Riverside's problem-solving teams write: statements, the analysis
triangle, hypotheses, goals, actions, agendas and minutes. All invented.

Members are (side, name, Community Map organisation or "", role, lives or works
in the area, demo account or ""). The assessment's counts are what the
transit authority's log would show: a real but modest fall, which the figures
(computed when read, never written here) cannot tell from chance.
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.problems.models import Side
from roundtable.stakeholders.models import Sector

POLICE, COMMUNITY, GOVERNMENT = Side.POLICE, Side.COMMUNITY, Side.GOVERNMENT


@dataclass(frozen=True)
class Member:
    side: Side
    name: str
    organisation: str
    role: str
    lives_in_area: bool = False
    account: str = ""  # demo username


# --- The River Road bus stops: carried through all four stages ---

STOPS_TITLE = "Drug dealing at the River Road bus stops"
STOPS_AREAS = ("southbank", "eastgate", "linden-grove")  # response, comparison, buffer
STOPS_SECTORS = [Sector.PUBLIC_WORKS_TRAFFIC, Sector.HEALTH]
STOPS_TEAM = [
    Member(POLICE, "", "", "Beat 31 officer; police co-lead", account="pst"),
    Member(POLICE, "Sgt. Renee Okafor", "", "Beat 31 sergeant"),
    Member(
        COMMUNITY,
        "",
        "Riverside Interfaith Council",
        "Program director; community co-lead",
        account="partner",
    ),
    Member(COMMUNITY, "Marisol Vega", "", "Lives on River Road; rides the 14 bus", True),
    Member(COMMUNITY, "Ana Delgado", "Delgado Family Markets", "Manager of the corner store", True),
    Member(COMMUNITY, "Dev Patel", "Riverside Harm Reduction Collective", "Outreach lead"),
    Member(GOVERNMENT, "Kevin Tran", "Riverside Department of Transportation", "Transit planner"),
    Member(GOVERNMENT, "Monique Harris", "Riverside Homeless Outreach Team", "Outreach supervisor"),
]
STOPS_STATEMENT = (
    "Riders, residents and the corner store report open drug dealing at the two bus shelters "
    "on River Road between Tannery Street and Calle Orilla, mostly from 3 pm to 9 pm. Parents "
    "keep children away from the stops; older riders wait elsewhere or have stopped riding."
)
STOPS_SCANNING_DATA = (
    "Transit authority incident log: 58 drug-related incidents at the two stops in the last "
    "12 weeks. Calls for service at the stops: 41 in 90 days. Inputs from residents over the "
    "year, most of them in Spanish."
)
STOPS_ANALYSIS = {
    "place": "Two shelters with blank back panels, a closed shop front and an unlit alley "
    "behind the corner store; the nearest streetlight has been out since spring.",
    "victim": "Riders waiting for buses, many of them older residents and children after "
    "school; the corner store, which loses customers.",
    "offender": "A handful of sellers working the afternoon and evening rush; buyers come "
    "on foot from the stops and by car.",
    "guardians": "Riders, the corner store's staff, parents on the school run.",
    "managers": "The transit authority (shelters), the owner of the closed shop front, "
    "Delgado Family Markets.",
    "handlers": "Outreach workers who know the buyers; probation officers for two sellers.",
    "partner_data": "Transit authority log by stop and hour; the Harm Reduction Collective's "
    "weekly outreach contacts (counts only); Public Works' outage log.",
}
STOPS_HYPOTHESES = [
    (
        "Sellers use these stops because the blank shelters and the dark alley give cover "
        "after dusk.",
        "supported",
        "Two thirds of the logged incidents fall after dusk, and the alley is the only unlit "
        "stretch of River Road (Public Works' outage log).",
    ),
    (
        "The dealing moved here from Eastgate Plaza after the Plaza's team started work.",
        "rejected",
        "The transit log shows the same level at River Road two years ago, and Eastgate's "
        "stops did not fall when River Road's rose.",
    ),
]
STOPS_GOALS = [
    (
        "Drug-related incidents at the two River Road stops, 12 weeks (transit authority log)",
        64,
        45,
        41,
        "Met, but incidents fell a little in Eastgate too: see the assessment.",
    ),
    (
        "Riders who feel safe waiting at the stops (rider survey, %)",
        38,
        55,
        47,
        "Short of the target: older riders still avoid the evening buses.",
    ),
]
# (description, owner name, partner, days after the response starts it is due,
#  days after it was done or None, still open)
STOPS_ACTIONS = [
    (
        "Repair the lighting along the stops and add two lights in the alley behind the "
        "corner store.",
        "Public Works",
        "Riverside Public Works Street Lighting Division",
        20,
        18,
    ),
    (
        "Move the northbound shelter 40 m to the lit side of River Road and give it glass "
        "back panels.",
        "Kevin Tran",
        "Riverside Department of Transportation",
        35,
        31,
    ),
    (
        "Beat officers on foot at the stops from 3 pm to 9 pm, with a weekly check-in at the "
        "corner store.",
        "",
        None,
        56,
        52,
    ),
    (
        "Outreach at the stops twice a week: treatment, naloxone and housing referrals for "
        "people who use.",
        "Dev Patel",
        "Riverside Harm Reduction Collective",
        140,
        None,
    ),
    (
        "Ask the owner of the closed shop front to fence the alley entrance; Code Enforcement "
        "to follow up.",
        "Code Enforcement",
        "Riverside Code Enforcement Division",
        75,
        None,
    ),
]
STOPS_ASSESSMENT = {
    "label": "Drug-related incidents at the bus stops, 12 weeks before and after",
    "target_before": 64,
    "target_after": 41,
    "control_before": 58,
    "control_after": 55,
    "buffer_before": 37,
    "buffer_after": 35,
    "buffer_control_before": 40,
    "buffer_control_after": 39,
    "source_note": "From the transit authority's incident log, by stop; entered by the analyst.",
    "conclusion": "Incidents at the stops fell from 64 to 41 and the goal was met, but they "
    "fell a little in Eastgate too, and a fall of this size can happen by chance. We cannot "
    "yet say the response worked. We keep the lighting and the outreach and count again over "
    "the next 12 weeks before deciding whether to close.",
}
STOPS_SUMMARY = (
    "Residents told us about drug dealing at the River Road bus stops. A team of neighbours, "
    "the Interfaith Council, harm-reduction workers, the transport department and beat "
    "officers fixed the lighting, moved a shelter and started outreach twice a week. They "
    "are now checking whether it worked."
)
STOPS_VENUE = ("Centro de Trabajadores de Southbank", "77 River Road")
# What each monthly meeting was about, by the stage the problem was in (the
# first, second … meeting of that stage; the last one repeats).
AGENDAS = {
    "scanning": [
        "1. Introductions and how the team works\n2. What riders and residents reported\n"
        "3. Data to ask partners for",
        "1. The transit log and the outreach counts\n2. The problem statement\n"
        "3. Ready to move on to analysis?",
    ],
    "analysis": [
        "1. The transit log by stop and hour\n2. Hypotheses: cover after dusk; moved from "
        "Eastgate?\n3. Goals to agree before the response",
    ],
    "response": [
        "1. Lighting and the shelter: dates\n2. Outreach: who, when\n3. The rider survey",
        "1. Actions: what is done, what is late and why\n2. The alley fence\n3. Outreach so far",
        "1. Actions still open\n2. The 12 weeks after: what the analyst needs\n3. Ready to assess?",
    ],
    "assessment": [
        "1. The analyst's before-and-after counts\n2. What the figures can and cannot say\n"
        "3. Keep, change or close?",
        "1. Second count: what to measure and when\n2. The alley fence, still open\n"
        "3. Telling residents what we found",
    ],
}
MINUTES = {
    "scanning": [
        "Everyone introduced themselves. Marisol and Ana described the afternoons at the stops. "
        "Kevin will bring the transit log; Dev will count outreach contacts.",
        "Agreed the problem statement. The log shows most incidents at the two stops nearest "
        "the alley. Both co-leads will sign off the move to analysis.",
    ],
    "analysis": [
        "Went through the log by hour: most incidents after dusk. The Eastgate idea does not "
        "fit the figures. Goals agreed for the response.",
    ],
    "response": [
        "Lighting repaired; the shelter move is booked with the transport department. Outreach "
        "started on Tuesdays and Fridays.",
        "The shelter has moved. The alley fence is late: the owner has not answered Code "
        "Enforcement. Riders say the stops feel less hidden.",
        "Foot patrols done for the 8 weeks planned. Anita will count the 12 weeks after.",
    ],
    "assessment": [
        "Anita presented the counts. A real fall, but not one we can tell from chance yet. "
        "Agreed to keep going and count again.",
    ],
}

# --- Millbrook Road: in Analysis, a team without a critic ---

RACING_TITLE = "Street racing on Millbrook Road"
RACING_AREAS = ("millbrook", "cedar-heights", "harlow-park")
RACING_SECTORS = [Sector.PUBLIC_WORKS_TRAFFIC]
RACING_TEAM = [
    Member(POLICE, "", "", "Lieutenant, North District; police co-lead", account="command"),
    Member(POLICE, "Officer Tyler Grant", "", "Traffic unit"),
    Member(
        COMMUNITY,
        "",
        "Riverside Interfaith Council",
        "Program director; community co-lead",
        account="partner",
    ),
    Member(COMMUNITY, "Gary Novak", "", "Lives on Quarry Lane", True),
    Member(
        COMMUNITY,
        "Denise Carter",
        "Mothers Against Drunk Driving, Riverside County",
        "Volunteer coordinator",
    ),
    Member(COMMUNITY, "Priya Raman", "Safe Routes to School Riverside", "Program manager"),
    Member(GOVERNMENT, "Kevin Tran", "Riverside Department of Transportation", "Traffic engineer"),
]
RACING_STATEMENT = (
    "Cars race on Millbrook Road and Quarry Lane most nights after 10 pm; three pedestrians "
    "were injured last year and residents fear a death."
)
RACING_SCANNING_DATA = (
    "Racing calls from 10 pm to 2 am: 64 in six months. Injury crashes: 11 in 12 months."
)
RACING_ANALYSIS = {
    "place": "A straight, wide stretch of Millbrook Road with no crossings between Alder "
    "Street and the quarry.",
    "partner_data": "Speed counts from the transport department's two tubes (85th percentile "
    "speed by hour).",
}
RACING_HYPOTHESIS = (
    "Racers meet at the closed gas station and use the straight because it is wide and unbroken."
)

# --- Old Town bars: in Scanning, the community co-lead has yet to sign ---

BARS_TITLE = "Late-night fights outside Old Town bars"
BARS_AREAS = ("old-town", "eastgate", "university-hill")
BARS_SECTORS = [Sector.LABOUR_ECONOMY, Sector.HEALTH]
BARS_TEAM = [
    Member(POLICE, "", "", "Beat 21 officer; police co-lead", account="pst"),
    Member(
        COMMUNITY,
        "",
        "Riverside Interfaith Council",
        "Program director; community co-lead",
        account="partner",
    ),
    Member(COMMUNITY, "Paul Keller", "", "Lives above Market Square", True),
    Member(COMMUNITY, "Erin Walsh", "Riverside Nightlife Association", "Bar owner"),
]
BARS_STATEMENT = (
    "Fights break out outside the bars on Market Square and Front Street at closing time on "
    "Friday and Saturday nights; neighbours are kept awake until 3 am."
)
BARS_SIGN_OFF = "Statement agreed with the bar owners; ready to study when and where."
