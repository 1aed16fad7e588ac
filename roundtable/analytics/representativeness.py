"""Who answered, against whom a survey should represent: participation per group.

Pure Python, no Django. For each group (a tuple key, e.g. ("hispanic",
"18_34", "area-7")):

- participation rate = respondents ÷ population;
- relative rate = the group's rate ÷ the overall rate (respondents ÷
  population over all groups that have a population), so 0.33 reads "a third
  as likely to have answered as people overall";
- the score of a set of groups = the lowest rate ÷ the highest, over the
  groups with a population: 1 when every group answered at the same rate,
  near 0 when some group is almost absent.

A group with no population (the census has no such people, or the margin is
missing) has no rate (NaN) and takes no part in the overall rate or the
score; its respondents are still listed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Key = tuple[str, ...]


@dataclass(frozen=True)
class GroupRate:
    key: Key
    respondents: int
    population: float
    rate: float  # respondents ÷ population; NaN without population
    relative: float  # rate ÷ overall rate; NaN without population or respondents overall


def participation(
    respondents: Mapping[Key, int], population: Mapping[Key, float]
) -> list[GroupRate]:
    """One GroupRate per key of either mapping (absent = 0), sorted by key."""
    keys = sorted(set(respondents) | set(population))
    for key in keys:
        if respondents.get(key, 0) < 0 or population.get(key, 0.0) < 0:
            raise ValueError(f"negative count for group {key}")
    counted = [k for k in keys if population.get(k, 0.0) > 0]
    people = sum(population[k] for k in counted)
    answered = sum(respondents.get(k, 0) for k in counted)
    overall = answered / people if people > 0 else math.nan
    rates = []
    for key in keys:
        count, size = int(respondents.get(key, 0)), float(population.get(key, 0.0))
        rate = count / size if size > 0 else math.nan
        relative = rate / overall if size > 0 and overall > 0 else math.nan
        rates.append(GroupRate(key, count, size, rate, relative))
    return rates


def score(rates: Sequence[GroupRate]) -> float | None:
    """Lowest participation rate ÷ highest over groups with a population.

    None when no group has a population, or nobody in them answered (there is
    no rate to compare against).
    """
    known = [r.rate for r in rates if r.population > 0]
    if not known or max(known) == 0:
        return None
    return min(known) / max(known)
