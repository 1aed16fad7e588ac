"""Code tables: each source's offence codes and words -> the common offence set.

Sources, as published by each agency:
- NIBRS offence codes: FBI, "NIBRS User Manual" (2021), offence codes and
  "crime against" (used for Seattle, and by mapping files with `table = "nibrs"`).
- Chicago: the FBI Code column of "Crimes - 2001 to present" follows the
  Illinois UCR (01A murder … 26 miscellaneous non-index), refined by Primary Type.
- Boston: OFFENSE_CODE_GROUP of the 2015-2018 "Crime Incident Reports"; for
  the newer files, whose group column is empty, the offence code's range.
- San Francisco: "Incident Category" of the 2018-present incident reports.
- Los Angeles: LAPD "Crm Cd" of "Crime Data from 2020 to Present".
- Philadelphia: "ucr_general" (UCR hundreds: 100 homicide … 2600 all other).
Anything not listed falls to keyword rules on the description, then to
`other_crime`.
"""

from __future__ import annotations

# Words in a description -> common offence; the first rule that matches wins,
# so the most specific and most serious come first.
KEYWORDS: tuple[tuple[str, str], ...] = (
    ("JUSTIFIABLE", "non_criminal"),
    ("MANSLAUGHTER", "homicide"),
    ("MURDER", "homicide"),
    ("HOMICIDE", "homicide"),
    ("HUMAN TRAFFICKING", "human_trafficking"),
    ("RAPE", "sexual_assault"),
    ("SEXUAL ASSAULT", "sexual_assault"),
    ("SODOMY", "sexual_assault"),
    ("CHILD", "child_abuse"),
    ("DOMESTIC", "domestic_violence"),
    ("INTIMATE PARTNER", "domestic_violence"),
    ("ROBBERY", "robbery"),
    ("CARJACK", "robbery"),
    ("AGGRAVATED", "aggravated_assault"),
    ("ADW", "aggravated_assault"),
    ("DEADLY WEAPON", "aggravated_assault"),
    ("SHOOTING", "aggravated_assault"),
    ("KIDNAP", "kidnapping"),
    ("INDECENT", "sex_offence"),
    ("LEWD", "sex_offence"),
    ("SEX", "sex_offence"),
    ("PROSTITUT", "prostitution"),
    ("PIMP", "prostitution"),
    ("ASSAULT", "simple_assault"),
    ("BATTERY", "simple_assault"),
    ("THREAT", "simple_assault"),
    ("ARSON", "arson"),
    ("BURGLARY", "burglary"),
    ("BREAKING", "burglary"),
    ("VEHICLE - STOLEN", "motor_vehicle_theft"),
    ("AUTO THEFT", "motor_vehicle_theft"),
    ("MOTOR VEHICLE THEFT", "motor_vehicle_theft"),
    ("STOLEN VEHICLE", "motor_vehicle_theft"),
    ("STOLEN PROPERTY", "stolen_property"),
    ("RECEIVING STOLEN", "stolen_property"),
    ("THEFT", "theft"),
    ("LARCENY", "theft"),
    ("SHOPLIFT", "theft"),
    ("PICKPOCKET", "theft"),
    ("FRAUD", "fraud"),
    ("FORGERY", "fraud"),
    ("COUNTERFEIT", "fraud"),
    ("EMBEZZLE", "fraud"),
    ("IDENTITY", "fraud"),
    ("VANDALISM", "vandalism"),
    ("GRAFFITI", "vandalism"),
    ("DAMAGE", "vandalism"),
    ("WEAPON", "weapons"),
    ("FIREARM", "weapons"),
    ("GUN", "weapons"),
    ("NARCOTIC", "drugs"),
    ("DRUG", "drugs"),
    ("TRESPASS", "trespass"),
    ("DRUNK DRIVING", "impaired_driving"),
    ("UNDER THE INFLUENCE", "impaired_driving"),
    ("DUI", "impaired_driving"),
    ("DISORDERLY", "public_order"),
    ("DISTURB", "public_order"),
    ("LIQUOR", "public_order"),
    ("GAMBLING", "public_order"),
    ("NON-CRIMINAL", "non_criminal"),
    ("NON CRIMINAL", "non_criminal"),
    ("LOST", "non_criminal"),
    ("FOUND", "non_criminal"),
    ("MISSING PERSON", "non_criminal"),
    ("ACCIDENT", "non_criminal"),
    ("SICK", "non_criminal"),
    ("MEDICAL", "non_criminal"),
)


def by_keywords(description: str, default: str = "other_crime") -> str:
    text = description.upper()
    for word, category in KEYWORDS:
        if word in text:
            return category
    return default


# NIBRS offence codes (FBI NIBRS User Manual, offence table).
NIBRS: dict[str, str] = {
    "09A": "homicide",
    "09B": "homicide",
    "09C": "non_criminal",  # justifiable homicide
    "100": "kidnapping",
    "11A": "sexual_assault",
    "11B": "sexual_assault",
    "11C": "sexual_assault",
    "11D": "sexual_assault",
    "120": "robbery",
    "13A": "aggravated_assault",
    "13B": "simple_assault",
    "13C": "simple_assault",
    "200": "arson",
    "210": "fraud",  # extortion/blackmail
    "220": "burglary",
    "23A": "theft",
    "23B": "theft",
    "23C": "theft",
    "23D": "theft",
    "23E": "theft",
    "23F": "theft",
    "23G": "theft",
    "23H": "theft",
    "240": "motor_vehicle_theft",
    "250": "fraud",
    "26A": "fraud",
    "26B": "fraud",
    "26C": "fraud",
    "26D": "fraud",
    "26E": "fraud",
    "26F": "fraud",
    "26G": "fraud",
    "26H": "fraud",
    "270": "fraud",
    "280": "stolen_property",
    "290": "vandalism",
    "35A": "drugs",
    "35B": "drugs",
    "36A": "sex_offence",
    "36B": "sex_offence",
    "370": "sex_offence",
    "39A": "public_order",
    "39B": "public_order",
    "39C": "public_order",
    "39D": "public_order",
    "40A": "prostitution",
    "40B": "prostitution",
    "40C": "prostitution",
    "510": "fraud",
    "520": "weapons",
    "64A": "human_trafficking",
    "64B": "human_trafficking",
    "720": "other_crime",
    "90A": "fraud",
    "90B": "public_order",
    "90C": "public_order",
    "90D": "impaired_driving",
    "90E": "public_order",
    "90F": "family_offence",
    "90G": "public_order",
    "90H": "sex_offence",
    "90I": "other_crime",
    "90J": "trespass",
    "90Z": "other_crime",
}

# Illinois UCR codes in Chicago's "FBI Code" column.
CHICAGO_FBI: dict[str, str] = {
    "01A": "homicide",
    "01B": "homicide",
    "02": "sexual_assault",
    "03": "robbery",
    "04A": "aggravated_assault",
    "04B": "aggravated_assault",
    "05": "burglary",
    "06": "theft",
    "07": "motor_vehicle_theft",
    "08A": "simple_assault",
    "08B": "simple_assault",
    "09": "arson",
    "10": "fraud",
    "11": "fraud",
    "12": "fraud",
    "13": "stolen_property",
    "14": "vandalism",
    "15": "weapons",
    "16": "prostitution",
    "17": "sex_offence",
    "18": "drugs",
    "19": "public_order",
    "20": "family_offence",
    "22": "public_order",
    "24": "public_order",
    "26": "other_crime",
}
# Chicago Primary Types that say more than their FBI code (26 holds trespass,
# kidnapping, narcotics, offences involving children …).
CHICAGO_TYPES: dict[str, str] = {
    "OFFENSE INVOLVING CHILDREN": "child_abuse",
    "HUMAN TRAFFICKING": "human_trafficking",
    "KIDNAPPING": "kidnapping",
    "CRIMINAL TRESPASS": "trespass",
    "NARCOTICS": "drugs",
    "OTHER NARCOTIC VIOLATION": "drugs",
    "STALKING": "simple_assault",
    "INTIMIDATION": "simple_assault",
    "PUBLIC PEACE VIOLATION": "public_order",
    "INTERFERENCE WITH PUBLIC OFFICER": "public_order",
    "NON-CRIMINAL": "non_criminal",
    "NON - CRIMINAL": "non_criminal",
    "NON-CRIMINAL (SUBJECT SPECIFIED)": "non_criminal",
    "WEAPONS VIOLATION": "weapons",
    "CONCEALED CARRY LICENSE VIOLATION": "weapons",
}


def chicago(code: str, description: str, context: tuple[str, ...]) -> str:
    fbi_code, primary_type = context
    # IUCR 0486-0497 "DOMESTIC BATTERY …" and the like: domestic violence whatever
    # the export's Domestic column says, so it never reaches a public layer.
    if "DOMESTIC" in description.upper():
        return "domestic_violence"
    by_type = CHICAGO_TYPES.get(primary_type.strip().upper())
    if by_type is not None:
        return by_type
    return CHICAGO_FBI.get(fbi_code.strip().upper()) or by_keywords(description)


# Boston OFFENSE_CODE_GROUP (2015-2018 files).
BOSTON_GROUPS: dict[str, str] = {
    "homicide": "homicide",
    "manslaughter": "homicide",
    "aggravated assault": "aggravated_assault",
    "simple assault": "simple_assault",
    "harassment": "simple_assault",
    "criminal harassment": "simple_assault",
    "robbery": "robbery",
    "residential burglary": "burglary",
    "commercial burglary": "burglary",
    "other burglary": "burglary",
    "burglary - no property taken": "burglary",
    "home invasion": "robbery",
    "larceny": "theft",
    "larceny from motor vehicle": "theft",
    "auto theft": "motor_vehicle_theft",
    "arson": "arson",
    "vandalism": "vandalism",
    "property related damage": "vandalism",
    "fraud": "fraud",
    "confidence games": "fraud",
    "counterfeiting": "fraud",
    "embezzlement": "fraud",
    "recovered stolen property": "stolen_property",
    "drug violation": "drugs",
    "firearm violations": "weapons",
    "explosives": "weapons",
    "bomb hoax": "public_order",
    "prostitution": "prostitution",
    "human trafficking": "human_trafficking",
    "human trafficking - involuntary servitude": "human_trafficking",
    "offenses against child / family": "child_abuse",
    "operating under the influence": "impaired_driving",
    "liquor violation": "public_order",
    "disorderly conduct": "public_order",
    "assembly or gathering violations": "public_order",
    "restraining order violations": "domestic_violence",
    "evading fare": "theft",
    "phone call complaints": "public_order",
    "landlord/tenant disputes": "non_criminal",
    "verbal disputes": "non_criminal",
    "medical assistance": "non_criminal",
    "motor vehicle accident response": "non_criminal",
    "investigate person": "non_criminal",
    "investigate property": "non_criminal",
    "missing person located": "non_criminal",
    "missing person reported": "non_criminal",
    "property found": "non_criminal",
    "property lost": "non_criminal",
    "police service incidents": "non_criminal",
    "service": "non_criminal",
    "towed": "non_criminal",
    "fire related reports": "non_criminal",
    "firearm discovery": "non_criminal",
    "ballistics": "non_criminal",
    "auto theft recovery": "non_criminal",
    "license plate related incidents": "non_criminal",
    "search warrants": "non_criminal",
    "warrant arrests": "other_crime",
    "prisoner related incidents": "non_criminal",
    "license violation": "other_crime",
    "violations": "other_crime",
    "other": "other_crime",
}
# Boston offence code ranges (first code of a range -> offence), for the 2019+
# files without a group; looked up by the largest start not above the code.
BOSTON_RANGES: tuple[tuple[int, str], ...] = (
    (100, "homicide"),
    (200, "sexual_assault"),
    (300, "robbery"),
    (400, "aggravated_assault"),
    (500, "burglary"),
    (600, "theft"),
    (700, "motor_vehicle_theft"),
    (800, "simple_assault"),
    (900, "arson"),
    (1000, "fraud"),
    (1300, "stolen_property"),
    (1400, "vandalism"),
    (1500, "weapons"),
    (1600, "prostitution"),
    (1700, "sex_offence"),
    (1800, "drugs"),
    (1900, "public_order"),
    (2000, "child_abuse"),
    (2100, "impaired_driving"),
    (2200, "public_order"),
    (2500, "other_crime"),
    (3000, "non_criminal"),
)


def boston(code: str, description: str, context: tuple[str, ...]) -> str:
    (group,) = context
    found = BOSTON_GROUPS.get(group.strip().lower())
    if found is not None:
        return found
    if description:
        # Newer files: words first (they tell domestic or sexual offences apart).
        by_words = by_keywords(description, default="")
        if by_words:
            return by_words
    try:
        number = int(code)
    except ValueError:
        return "other_crime"
    result = "other_crime"
    for start, category in BOSTON_RANGES:
        if number >= start:
            result = category
    return result


# San Francisco "Incident Category".
SAN_FRANCISCO: dict[str, str] = {
    "homicide": "homicide",
    "rape": "sexual_assault",
    "robbery": "robbery",
    "assault": "simple_assault",  # refined by the description below
    "human trafficking (a), commercial sex acts": "human_trafficking",
    "human trafficking (b), involuntary servitude": "human_trafficking",
    "human trafficking, commercial sex acts": "human_trafficking",
    "offences against the family and children": "child_abuse",
    "sex offense": "sex_offence",
    "prostitution": "prostitution",
    "arson": "arson",
    "burglary": "burglary",
    "motor vehicle theft": "motor_vehicle_theft",
    "motor vehicle theft?": "motor_vehicle_theft",
    "larceny theft": "theft",
    "fraud": "fraud",
    "forgery and counterfeiting": "fraud",
    "embezzlement": "fraud",
    "stolen property": "stolen_property",
    "malicious mischief": "vandalism",
    "vandalism": "vandalism",
    "weapons carrying etc": "weapons",
    "weapons offense": "weapons",
    "weapons offence": "weapons",
    "drug offense": "drugs",
    "drug violation": "drugs",
    "disorderly conduct": "public_order",
    "liquor laws": "public_order",
    "gambling": "public_order",
    "civil sidewalks": "public_order",
    "traffic violation arrest": "other_crime",
    "juvenile offenses": "other_crime",
    "warrant": "other_crime",
    "other offenses": "other_crime",
    "other": "other_crime",
    "other miscellaneous": "other_crime",
    "miscellaneous investigation": "non_criminal",
    "non-criminal": "non_criminal",
    "lost property": "non_criminal",
    "missing person": "non_criminal",
    "suspicious occ": "non_criminal",
    "suspicious": "non_criminal",
    "traffic collision": "non_criminal",
    "case closure": "non_criminal",
    "courtesy report": "non_criminal",
    "recovered vehicle": "non_criminal",
    "vehicle misplaced": "non_criminal",
    "vehicle impounded": "non_criminal",
    "fire report": "non_criminal",
    "suicide": "non_criminal",
}


def san_francisco(code: str, description: str, context: tuple[str, ...]) -> str:
    (category,) = context
    found = SAN_FRANCISCO.get(category.strip().lower())
    if found == "simple_assault":
        return by_keywords(description, default="simple_assault")
    return found or by_keywords(description)


# LAPD crime codes ("Crm Cd"); the rest go by their description.
LOS_ANGELES: dict[str, str] = {
    "110": "homicide",
    "113": "homicide",
    "121": "sexual_assault",
    "122": "sexual_assault",
    "815": "sexual_assault",
    "820": "sexual_assault",
    "821": "sexual_assault",
    "210": "robbery",
    "220": "robbery",
    "230": "aggravated_assault",
    "231": "aggravated_assault",
    "235": "child_abuse",
    "236": "domestic_violence",
    "237": "child_abuse",
    "250": "aggravated_assault",
    "251": "aggravated_assault",
    "761": "weapons",
    "753": "weapons",
    "756": "weapons",
    "624": "simple_assault",
    "625": "simple_assault",
    "626": "domestic_violence",
    "627": "child_abuse",
    "623": "simple_assault",
    "930": "simple_assault",
    "928": "simple_assault",
    "910": "kidnapping",
    "920": "kidnapping",
    "922": "child_abuse",
    "822": "human_trafficking",
    "921": "human_trafficking",
    "310": "burglary",
    "320": "burglary",
    "330": "theft",
    "331": "theft",
    "410": "theft",
    "420": "theft",
    "421": "theft",
    "510": "motor_vehicle_theft",
    "520": "motor_vehicle_theft",
    "433": "motor_vehicle_theft",
    "648": "arson",
    "740": "vandalism",
    "745": "vandalism",
    "354": "fraud",
    "901": "domestic_violence",
    "900": "other_crime",
    "812": "child_abuse",
    "813": "child_abuse",
    "814": "child_abuse",
    "810": "sex_offence",
    "860": "sex_offence",
    "762": "sex_offence",
    "850": "sex_offence",
    "805": "prostitution",
    "806": "prostitution",
    "865": "drugs",
    "888": "trespass",
    "886": "public_order",
    "956": "public_order",
}


def los_angeles(code: str, description: str, context: tuple[str, ...]) -> str:
    return LOS_ANGELES.get(code.strip()) or by_keywords(description)


# Philadelphia UCR hundreds (ucr_general).
PHILADELPHIA: dict[int, str] = {
    100: "homicide",
    200: "sexual_assault",
    300: "robbery",
    400: "aggravated_assault",
    500: "burglary",
    600: "theft",
    700: "motor_vehicle_theft",
    800: "simple_assault",
    900: "arson",
    1000: "fraud",
    1100: "fraud",
    1200: "fraud",
    1300: "stolen_property",
    1400: "vandalism",
    1500: "weapons",
    1600: "prostitution",
    1700: "sex_offence",
    1800: "drugs",
    1900: "public_order",
    2000: "family_offence",
    2100: "impaired_driving",
    2200: "public_order",
    2300: "public_order",
    2400: "public_order",
    2500: "public_order",
    2600: "other_crime",
}


def philadelphia(code: str, description: str, context: tuple[str, ...]) -> str:
    if "JUSTIFIABLE" in description.upper():
        return "non_criminal"
    try:
        hundreds = int(float(code)) // 100 * 100
    except ValueError:
        return by_keywords(description)
    return PHILADELPHIA.get(hundreds) or by_keywords(description)


def seattle(code: str, description: str, context: tuple[str, ...]) -> str:
    (against,) = context
    if against.strip().upper() in {"NOT_A_CRIME", "NOT A CRIME"}:
        return "non_criminal"
    return NIBRS.get(code.strip().upper()) or by_keywords(description)


# Tables a mapping file may name with `table = "…"`.
TABLES: dict[str, dict[str, str]] = {"nibrs": NIBRS, "chicago_fbi": CHICAGO_FBI}
