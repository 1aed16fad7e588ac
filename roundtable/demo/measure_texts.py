"""What the demo's measures say: the city's own measures (English and Spanish),
the partners' provenance notes, the analyst's file names and the note on the
one submission turned down. All of it is invented.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OwnMeasure:
    """One of Riverside's own measures, beside the catalogue's."""

    key: str  # the demo's handle for it (the file names it by its English name)
    goal: str
    indicator: str
    name: str
    definition: str
    name_es: str
    definition_es: str
    unit: str = "percent"
    frequency: str = "monthly"
    # computed.COMPUTATIONS key for one Roundtable computes; "" for an imported one.
    computation: str = ""
    by_area: bool = False


STREET_LIGHTS = OwnMeasure(
    "street_lights",
    "community_factors",
    "perceived_safety",
    "Street lights repaired within 7 days",
    (
        "Share of the street-light outages reported in the month that the city's Street "
        "Lighting Division repaired within seven days (Public Works' work-order system)."
    ),
    "Farolas reparadas en 7 días",
    (
        "Porcentaje de las averías de alumbrado público reportadas en el mes que la División "
        "de Alumbrado Público de la ciudad reparó en siete días (sistema de órdenes de trabajo "
        "de Obras Públicas)."
    ),
)
YOUTH_PLACES = OwnMeasure(
    "youth_places",
    "shared_responsibility",
    "community_engagement",
    "Youth programme places filled",
    (
        "Share of the places in the Police Activities League and the Parks and Recreation "
        "youth programmes taken up in the month (more places in the summer programme)."
    ),
    "Plazas ocupadas en los programas juveniles",
    (
        "Porcentaje de las plazas de los programas juveniles de la Liga de Actividades "
        "Policiales y de Parques y Recreación ocupadas en el mes (más plazas en el programa "
        "de verano)."
    ),
)
# A month's survey answers are too few in some districts to show them all
# (their monthly cells are withheld); a quarter has enough everywhere.
TRUST_BY_DISTRICT = OwnMeasure(
    "trust_by_district",
    "trust",
    "satisfaction",
    "Trust in police by district, each quarter",
    (
        "The weighted trust score (0–100) of the neighbourhood trust and safety survey per "
        "quarter, so that every district has enough answers to show."
    ),
    "Confianza en la policía por distrito, cada trimestre",
    (
        "La puntuación ponderada de confianza (0–100) de la encuesta de confianza y seguridad "
        "en el vecindario por trimestre, para que cada distrito tenga respuestas suficientes."
    ),
    unit="score",
    frequency="quarterly",
    computation="surveys.trust",
    by_area=True,
)
OWN_MEASURES = (STREET_LIGHTS, YOUTH_PLACES, TRUST_BY_DISTRICT)


@dataclass(frozen=True)
class PartnerText:
    """A partner organisation sharing one measure's figures, in its own words."""

    measure: str  # catalogue key
    organisation: str  # its name on the Community Map
    username: str  # the demo account that shares for it (accounts.ACCOUNTS)
    provenance: str
    history_file: str  # the first, catch-up file: {first} and {last} are months


PARTNERS = (
    PartnerText(
        "school_attendance",
        "Riverside Unified School District",
        "schools",
        (
            "Average daily attendance from the district's student information system, all "
            "schools, school days of the month; the base is enrolment on the month's last "
            "school day. No July figure: the schools are closed."
        ),
        "rusd-attendance-{first}-to-{last}.csv",
    ),
    PartnerText(
        "er_assault_visits",
        "Riverside County General Hospital",
        "hospital",
        (
            "Emergency-department visits with an assault injury code (ICD-10-CM X92–Y09), "
            "counted by the hospital's quality office from its billing extract. Counts only; "
            "no patient is identified."
        ),
        "county-general-ed-assault-visits-{first}-{last}.csv",
    ),
    PartnerText(
        "code_complaints",
        "Riverside Code Enforcement Division",
        "codes",
        (
            "Complaints logged in the city's code-enforcement case system (blight, illegal "
            "dumping, unsafe buildings), by the police district of the property's address; "
            "the city total includes complaints without a usable address."
        ),
        "code-enforcement-complaints-by-district-{first}-{last}.csv",
    ),
    PartnerText(
        "volunteer_hours",
        "Riverside Interfaith Council",
        "partner",
        (
            "Hours signed in on the council's volunteer sheets (neighbourhood walks, the "
            "chaplains' ride-alongs and youth mentoring); the count is the volunteers who "
            "gave any time in the month."
        ),
        "interfaith-volunteer-hours-{first}-{last}.csv",
    ),
)
REJECTED_MEASURE = "er_assault_visits"
REJECTION_NOTE = (
    "These are all emergency-department visits of the month, not assault injuries alone "
    "(ten times the usual figure). Please count the visits with an assault injury code "
    "(X92–Y09) only and send the month again."
)
# The month whose figures wait for approval (last month's, from this partner).
PENDING_MEASURE = "code_complaints"

HISTORY_FILE = "riverside-measures-{first}-to-{last}.csv"
MONTH_FILE = "riverside-measures-{month}.csv"
