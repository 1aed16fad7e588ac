"""How the demo describes an organisation before it goes on the map.

Short aliases for sectors, categories and stances keep the tables in
`city.py` and `campus.py` one organisation per line where they fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.stakeholders.models import Category, Sector, Stance

EDU = Sector.EDUCATION_YOUTH
HEALTH = Sector.HEALTH
JUSTICE = Sector.JUSTICE_CRIME
HOUSING = Sector.HOUSING
LABOUR = Sector.LABOUR_ECONOMY
WORKS = Sector.PUBLIC_WORKS_TRAFFIC

GROUP = Category.COMMUNITY_GROUP
NGO = Category.NATIONAL_NGO
GOV = Category.GOVERNMENT
FAITH = Category.FAITH
BUSINESS = Category.BUSINESS
CAMPUS = Category.CAMPUS_GROUP
OVERSIGHT = Category.OVERSIGHT
OTHER = Category.OTHER

SUP = Stance.SUPPORTER
NEU = Stance.NEUTRAL
CRI = Stance.CRITIC
UNK = Stance.UNKNOWN


@dataclass(frozen=True)
class OrgSpec:
    name: str
    category: Category
    sectors: tuple[Sector, ...]
    stance: Stance
    # Area slugs of the agency; empty means the whole jurisdiction.
    areas: tuple[str, ...] = ()
    note: str = ""
    # Earlier stances, oldest first, before the current one.
    history: tuple[Stance, ...] = ()
    # A person on the map rather than an organisation; `role` is who they are.
    person_role: str = ""
    # Most of its members prefer Spanish.
    spanish: bool = False


@dataclass(frozen=True)
class GroupTemplate:
    """A kind of neighbourhood group, instantiated once per listed neighbourhood."""

    pattern: str
    category: Category
    sectors: tuple[Sector, ...]
    neighbourhoods: tuple[str, ...]
    # Weights for supporter, neutral, critic, unknown.
    weights: tuple[int, int, int, int]
