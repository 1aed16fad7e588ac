"""The common offence set every agency's codes are mapped to.

Source codes (IUCR, Boston offence codes, LAPD crime codes, UCR codes …) are
kept on each offence; reports compare agencies through this set instead. Each
common offence says whom it harms, following NIBRS's "crime against" (person,
property, society), and which UCR-style group it counts in (violent, property).
`sensitive` offences (sexual offences, domestic violence, offences against
children) never appear on a public layer.

The order of OFFENCES is the hierarchy: an incident with several offences takes
the first of them in this order as its primary offence (the most serious).

Pure Python: the importer and the `hotspots` command on a bare file use it
without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Against(StrEnum):
    PERSONS = "persons"
    PROPERTY = "property"
    SOCIETY = "society"
    NONE = "none"  # not a crime: a service call, an accident, a lost item


class Group(StrEnum):
    VIOLENT = "violent"
    PROPERTY = "property"
    OTHER = "other"


@dataclass(frozen=True)
class Offence:
    code: str
    against: Against
    group: Group
    sensitive: bool = False


OFFENCES: tuple[Offence, ...] = (
    Offence("homicide", Against.PERSONS, Group.VIOLENT),
    Offence("sexual_assault", Against.PERSONS, Group.VIOLENT, sensitive=True),
    Offence("robbery", Against.PROPERTY, Group.VIOLENT),
    Offence("aggravated_assault", Against.PERSONS, Group.VIOLENT),
    Offence("kidnapping", Against.PERSONS, Group.OTHER),
    Offence("human_trafficking", Against.PERSONS, Group.OTHER, sensitive=True),
    Offence("child_abuse", Against.PERSONS, Group.OTHER, sensitive=True),
    Offence("domestic_violence", Against.PERSONS, Group.OTHER, sensitive=True),
    Offence("sex_offence", Against.PERSONS, Group.OTHER, sensitive=True),
    Offence("simple_assault", Against.PERSONS, Group.OTHER),
    Offence("arson", Against.PROPERTY, Group.PROPERTY),
    Offence("burglary", Against.PROPERTY, Group.PROPERTY),
    Offence("motor_vehicle_theft", Against.PROPERTY, Group.PROPERTY),
    Offence("theft", Against.PROPERTY, Group.PROPERTY),
    Offence("fraud", Against.PROPERTY, Group.OTHER),
    Offence("stolen_property", Against.PROPERTY, Group.OTHER),
    Offence("vandalism", Against.PROPERTY, Group.OTHER),
    Offence("weapons", Against.SOCIETY, Group.OTHER),
    Offence("drugs", Against.SOCIETY, Group.OTHER),
    Offence("prostitution", Against.SOCIETY, Group.OTHER, sensitive=True),
    Offence("family_offence", Against.SOCIETY, Group.OTHER, sensitive=True),
    Offence("trespass", Against.SOCIETY, Group.OTHER),
    Offence("public_order", Against.SOCIETY, Group.OTHER),
    Offence("impaired_driving", Against.SOCIETY, Group.OTHER),
    Offence("other_crime", Against.SOCIETY, Group.OTHER),
    Offence("non_criminal", Against.NONE, Group.OTHER),
)

BY_CODE: dict[str, Offence] = {o.code: o for o in OFFENCES}
RANK: dict[str, int] = {o.code: i for i, o in enumerate(OFFENCES)}
SENSITIVE_CODES: frozenset[str] = frozenset(o.code for o in OFFENCES if o.sensitive)

# What `--offence` and the report filters accept besides a single offence code.
FILTERS: dict[str, str] = {
    "all": "every incident",
    "crimes": "every crime (service calls and other non-criminal incidents left out)",
    "against-persons": "crimes against persons",
    "against-property": "crimes against property",
    "against-society": "crimes against society",
    "violent": "violent crime",
    "property-crime": "property crime",
}


def offence(code: str) -> Offence:
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown common offence {code!r}") from None


def primary(codes: list[str]) -> str:
    """The most serious of an incident's common offences."""
    return min(codes, key=RANK.__getitem__)


def matches(code: str, filter_name: str) -> bool:
    """Whether an incident whose primary offence is `code` falls under a filter."""
    o = BY_CODE[code]
    if filter_name == "all":
        return True
    if filter_name == "crimes":
        return o.against is not Against.NONE
    if filter_name.startswith("against-"):
        return o.against.value == filter_name.removeprefix("against-")
    if filter_name == "violent":
        return o.group is Group.VIOLENT
    if filter_name == "property-crime":
        return o.group is Group.PROPERTY
    if filter_name in BY_CODE:
        return code == filter_name
    raise ValueError(f"unknown offence filter {filter_name!r}")


def check_filter(filter_name: str) -> str:
    if filter_name not in FILTERS and filter_name not in BY_CODE:
        raise ValueError(
            f"unknown offence filter {filter_name!r}; use one of " + ", ".join([*FILTERS, *BY_CODE])
        )
    return filter_name
