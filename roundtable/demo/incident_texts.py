"""What the demo's records-system export says: offence codes, streets, the mapping file.

"Riverside RMS" is a made-up records-system layout in the style of a
California agency's export (penal-code style offence codes, 12-hour times,
a DV flag column). Its mapping file is what an analyst would write for it
(docs/incidents-import.md describes the format).
"""

from __future__ import annotations

from dataclasses import dataclass

# Hour-of-day weights (0..23) for when offences of a kind occur.
HOURS = {
    "day": (1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 9, 10, 10, 10, 9, 9, 8, 6, 5, 4, 3, 2, 1),
    "night": (7, 6, 5, 4, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 6, 7, 8, 9, 8),
    "evening": (3, 2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 7, 8, 9, 9, 9, 8, 7, 5, 4),
    "bars": (9, 8, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 5, 8, 10),
}


@dataclass(frozen=True)
class Code:
    code: str
    description: str
    common: str  # the common offence the mapping gives it (documentation; the TOML decides)
    share: float  # percent of the city's everyday incidents
    hours: str
    # A second offence row some incidents of this code carry, always one that
    # ranks below it, so the incident's primary offence stays this one.
    second: str = ""


CODES: tuple[Code, ...] = (
    Code("488", "PETTY THEFT", "theft", 13.0, "day"),
    Code("487", "GRAND THEFT", "theft", 5.0, "day"),
    Code("459.5", "SHOPLIFTING", "theft", 6.0, "day"),
    Code("459V", "BURGLARY FROM VEHICLE", "theft", 9.0, "night", second="594"),
    Code("459", "BURGLARY - RESIDENTIAL/COMMERCIAL", "burglary", 7.0, "day", second="488"),
    Code("10851", "VEHICLE THEFT", "motor_vehicle_theft", 7.0, "night"),
    Code("594", "VANDALISM", "vandalism", 9.0, "night"),
    Code("242", "BATTERY", "simple_assault", 7.0, "evening"),
    Code("245", "ASSAULT WITH A DEADLY WEAPON", "aggravated_assault", 3.0, "night", "25850"),
    Code("211", "ROBBERY", "robbery", 2.5, "night", second="242"),
    Code("187", "HOMICIDE", "homicide", 0.12, "night"),
    Code("11350", "POSSESSION OF A CONTROLLED SUBSTANCE", "drugs", 1.5, "evening"),
    Code("11351", "POSSESSION FOR SALE", "drugs", 0.8, "evening", second="11364"),
    Code("11364", "POSSESSION OF PARAPHERNALIA", "drugs", 0.0, "evening"),
    Code("25850", "CARRYING A LOADED FIREARM", "weapons", 1.0, "night"),
    Code("273.5", "DOMESTIC VIOLENCE - INJURY", "domestic_violence", 3.5, "evening", "242"),
    Code("261", "RAPE", "sexual_assault", 0.6, "night"),
    Code("530.5", "IDENTITY THEFT", "fraud", 3.0, "day"),
    Code("496", "RECEIVING STOLEN PROPERTY", "stolen_property", 0.5, "day"),
    Code("451", "ARSON", "arson", 0.3, "night"),
    Code("415", "DISTURBING THE PEACE", "public_order", 3.0, "night"),
    Code("602", "TRESPASSING", "trespass", 2.0, "evening"),
    Code("23152", "DRIVING UNDER THE INFLUENCE", "impaired_driving", 2.0, "bars"),
    Code("WELF", "WELFARE CHECK", "non_criminal", 4.0, "day"),
    Code("LOST", "LOST PROPERTY", "non_criminal", 2.0, "day"),
    Code("TC", "TRAFFIC COLLISION - NON INJURY", "non_criminal", 2.5, "day"),
)
BY_CODE = {c.code: c for c in CODES}
VIOLENT_CODES = ("211", "245")  # the everyday violent codes the South District sees more of
BAR_CODES = {"242": 45, "415": 30, "245": 12, "594": 13}  # weights at the Old Town bar strip
CAMPUS_CODES = {"488B": 40, "488L": 22, "487": 6, "594": 12, "242": 8, "WELF": 8, "11350": 4}
CAMPUS_EXTRA = {
    "488B": Code("488B", "PETTY THEFT - BICYCLE", "theft", 0, "day"),
    "488L": Code("488L", "PETTY THEFT - LAPTOP/ELECTRONICS", "theft", 0, "day"),
}
DISPOSITIONS = ("OPEN", "CLOSED", "ARREST", "REPORT ONLY")

# Streets by neighbourhood (fictional names); blocks are "35XX RIVER RD".
STREETS = {
    "Millbrook": ("MILLBROOK RD", "QUARRY LN", "ASPEN DR", "GRANGE AVE"),
    "Cedar Heights": ("CEDAR HEIGHTS BLVD", "RIDGE AVE", "SUMMIT DR", "PINECREST WAY"),
    "Harlow Park": ("HARLOW AVE", "PARKSIDE DR", "ELMWOOD ST", "KESTREL WAY"),
    "Old Town": ("MAIN ST", "MARKET SQ", "3RD ST", "COURT ST", "MISSION AVE"),
    "Eastgate": ("EASTGATE BLVD", "COMMERCE WAY", "FOUNDRY ST", "ORANGE ST"),
    "University Hill": ("COLLEGE AVE", "CANYON CREST DR", "SCHOLAR WAY", "LINDEN ST"),
    "Southbank": ("RIVER RD", "WHARF ST", "BANK ST", "FERRY LN"),
    "Linden Grove": ("GROVE AVE", "LINDEN GROVE DR", "ORCHARD ST", "MAPLE CT"),
    "Fairview": ("FAIRVIEW AVE", "MEADOW LN", "HILLTOP RD", "VISTA DR"),
}
CAMPUS_STREETS = ("CAMPUS DR", "UNIVERSITY AVE", "ABERDEEN DR", "WEST CAMPUS LOOP")

HEADER = (
    "Case No",
    "Reported",
    "Occurred",
    "Offense Code",
    "Offense",
    "Address",
    "Lat",
    "Lon",
    "DV Flag",
    "Disposition",
)

RIVERSIDE_RMS_MAPPING = """\
# The Riverside RMS export (the demo's records system), one row per offence.
name = "riverside_rms"
title = "Riverside RMS export"

[columns]
source_id = "Case No"
occurred_at = "Occurred"
offence_code = "Offense Code"
offence_description = "Offense"
block = "Address"
latitude = "Lat"
longitude = "Lon"
sensitive = "DV Flag"

[dates]
formats = ["%m/%d/%Y %I:%M %p"]
time_zone = "America/Los_Angeles"
utc = false

[sensitive]
values = ["Y"]

[offences]
default = "other_crime"

[offences.codes]
"187" = "homicide"
"211" = "robbery"
"242" = "simple_assault"
"245" = "aggravated_assault"
"261" = "sexual_assault"
"273.5" = "domestic_violence"
"415" = "public_order"
"451" = "arson"
"459" = "burglary"
"459.5" = "theft"
"459V" = "theft"
"487" = "theft"
"488" = "theft"
"488B" = "theft"
"488L" = "theft"
"496" = "stolen_property"
"530.5" = "fraud"
"594" = "vandalism"
"602" = "trespass"
"10851" = "motor_vehicle_theft"
"11350" = "drugs"
"11351" = "drugs"
"11364" = "drugs"
"23152" = "impaired_driving"
"25850" = "weapons"
"WELF" = "non_criminal"
"LOST" = "non_criminal"
"TC" = "non_criminal"

[[offences.keywords]]
contains = "THEFT"
offence = "theft"
"""

SENTIMENT_SOURCE = "Riverside community sentiment survey (demo)"
# District column values of the sentiment file: the district areas' slugs.
SENTIMENT_DISTRICTS = {"north": (63.0, 61.0), "central": (57.0, 58.0), "south": (55.0, 54.0)}

COUNTED_LABEL = "Drug incidents in the records system, same 12 weeks before and after"
COUNTED_CONCLUSION = (
    "Counted from the records system for the same weeks and areas as the transit log. The "
    "counts tell the same story: a fall in Southbank, little change in Eastgate and around it."
)
