"""Who lives in the demo's Riverside, and who of them answers its surveys.

A synthetic population of adults per district (age band, race or ethnicity,
household income band, tenure), drawn so that the story holds: the South
District is younger, more Hispanic, poorer and rents more; the North District
is older and owns its homes. Its counts, scaled to each district's adults and
households, are the reference population the agency imports (the census
margins). Respondents are drawn from the same population with the response
propensities real surveys see: older homeowners answer far more often, young
Hispanic renters in the South District far less, so raw results lean one way
and raking has real work to do.

Scores are set so that the population (not the respondents) matches the
demo's sentiment series (sentiment.py): each group's offset is centred on the
district's population, so the weighted mean lands on the series and the raw
mean sits a few points above it.

Pure NumPy; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils.text import slugify

from roundtable.demo.city import CITY_DISTRICTS
from roundtable.demo.incident_texts import SENTIMENT_DISTRICTS
from roundtable.demo.sentiment import ROSE, TRUST_DROP
from roundtable.demo.survey_texts import TOP_ISSUES
from roundtable.demo.voices import STREETS

DISTRICTS = ("north", "central", "south")
DISTRICT_NAMES = {slug: name for name, slug, _beats, _hoods in CITY_DISTRICTS}
NEIGHBOURHOODS = {
    slug: tuple(slugify(name) for name in hoods) for _name, slug, _beats, hoods in CITY_DISTRICTS
}
ADULTS = {"north": 81_400, "central": 97_200, "south": 72_600}
ADULTS_PER_HOUSEHOLD = {"north": 1.9, "central": 1.8, "south": 2.4}
SYNTHETIC = 6_000  # synthetic adults per district: enough for smooth margins, fast to draw

AGE = ("18_34", "35_49", "50_64", "65_plus")
RACE = ("hispanic", "black", "white", "asian", "other")
INCOME = ("lt_25k", "25_50k", "50_75k", "75_100k", "100_150k", "gt_150k")
TENURE = ("own", "rent")
GENDER = ("woman", "man", "nonbinary", "self_described")

AGE_SHARES = {
    "north": (0.24, 0.25, 0.27, 0.24),
    "central": (0.38, 0.26, 0.21, 0.15),
    "south": (0.42, 0.29, 0.18, 0.11),
}
RACE_SHARES = {
    "north": (0.27, 0.06, 0.53, 0.10, 0.04),
    "central": (0.40, 0.08, 0.36, 0.12, 0.04),
    "south": (0.68, 0.10, 0.15, 0.04, 0.03),
}
# Hispanic residents are younger and white residents older than the rest (by age band).
RACE_BY_AGE = {
    "hispanic": (1.3, 1.1, 0.8, 0.55),
    "white": (0.75, 0.95, 1.15, 1.45),
}
INCOME_SHARES = {
    "north": (0.10, 0.14, 0.16, 0.15, 0.22, 0.23),
    "central": (0.20, 0.20, 0.18, 0.14, 0.15, 0.13),
    "south": (0.27, 0.27, 0.20, 0.12, 0.09, 0.05),
}
INCOME_BY_AGE = (
    (1.3, 1.2, 1.0, 0.9, 0.8, 0.7),
    (0.85, 0.9, 1.0, 1.05, 1.1, 1.15),
    (0.85, 0.9, 1.0, 1.05, 1.1, 1.2),
    (1.3, 1.2, 1.0, 0.9, 0.8, 0.8),
)
OWN_SHARE = {"north": 0.68, "central": 0.42, "south": 0.38}
OWN_BY_AGE = (0.45, 0.95, 1.25, 1.45)
OWN_BY_INCOME = (0.55, 0.8, 1.0, 1.15, 1.3, 1.4)

# Relative response propensities (non-response bias).
ANSWER_BY_AGE = (0.5, 0.85, 1.15, 1.7)
ANSWER_BY_RACE = (0.7, 0.8, 1.2, 0.9, 1.0)
ANSWER_BY_TENURE = (1.4, 0.7)
ANSWER_BY_DISTRICT = (1.05, 1.0, 0.9)
SOUTH_YOUNG_HISPANIC = 0.7  # on top: the group least likely to answer anywhere

# Score offsets in points (0–100), centred per district on its population.
TRUST_BY_AGE = (-8.0, -3.0, 2.0, 7.0)
TRUST_BY_RACE = (-4.0, -9.0, 4.0, 1.0, -2.0)
TRUST_BY_TENURE = (3.0, -3.0)
SAFETY_BY_AGE = (1.0, 0.0, -1.0, -3.0)
SAFETY_BY_RACE = (-2.0, -3.0, 2.0, 0.0, -1.0)
SAFETY_BY_TENURE = (2.0, -2.0)
SAFETY_BY_INCOME = (-4.0, -2.0, 0.0, 1.0, 2.0, 3.0)

# How often a demographic item is left blank.
SKIP = {
    "age_band": 0.06,
    "gender": 0.05,
    "race_ethnicity": 0.09,
    "income_band": 0.16,
    "tenure": 0.05,
    "area": 0.03,
}
TOP_ISSUE_SHARE = 0.10


@dataclass(frozen=True)
class People:
    """Parallel arrays, one entry per synthetic adult (category indexes)."""

    district: np.ndarray
    age: np.ndarray
    race: np.ndarray
    income: np.ndarray
    tenure: np.ndarray
    trust: np.ndarray  # offset in points, centred per district
    safety: np.ndarray
    propensity: np.ndarray  # chance of answering, relative


@dataclass
class Respondent:
    """One answer sheet: the person's categories (None: left blank) and scores."""

    district: str
    neighbourhood: str
    age_band: str | None
    gender: str | None
    race_ethnicity: str | None
    income_band: str | None
    tenure: str | None
    area: str | None  # the district's slug, or None when left blank
    language: str
    safety: int
    respect: int
    listen: int
    latent_trust: float  # 0–100, for instruments built on trust (procedural justice)
    top_issue: str
    submitted_at: dt.datetime | None = None


def _pick(g: np.random.Generator, shares: np.ndarray) -> np.ndarray:
    """One category per row of `shares` (rows sum to 1)."""
    cumulative = np.cumsum(shares, axis=1)
    cumulative[:, -1] = 1.0
    picked: np.ndarray = (g.random((shares.shape[0], 1)) > cumulative).sum(axis=1)
    return picked


def _centred(offsets: np.ndarray, district: np.ndarray) -> np.ndarray:
    out = offsets.astype(float).copy()
    for d in range(len(DISTRICTS)):
        rows = district == d
        out[rows] -= out[rows].mean()
    return out


def synthesize(g: np.random.Generator) -> People:
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("d", "a", "r", "i", "t")}
    for d, slug in enumerate(DISTRICTS):
        n = SYNTHETIC
        age = g.choice(len(AGE), size=n, p=AGE_SHARES[slug])
        race_shares = np.tile(np.array(RACE_SHARES[slug]), (len(AGE), 1))
        for name, factors in RACE_BY_AGE.items():
            race_shares[:, RACE.index(name)] *= factors
        race_shares /= race_shares.sum(axis=1, keepdims=True)
        race = _pick(g, race_shares[age])
        income_shares = np.array(INCOME_SHARES[slug]) * np.array(INCOME_BY_AGE)
        income_shares /= income_shares.sum(axis=1, keepdims=True)
        income = _pick(g, income_shares[age])
        factor = np.array(OWN_BY_AGE)[age] * np.array(OWN_BY_INCOME)[income]
        own = np.clip(OWN_SHARE[slug] * factor / factor.mean(), 0, 0.97)
        tenure = (g.random(n) >= own).astype(int)
        for key, values in zip("dairt", (np.full(n, d), age, race, income, tenure), strict=True):
            parts[key].append(values)
    district, age, race, income, tenure = (np.concatenate(parts[k]) for k in "dairt")
    trust = (
        np.array(TRUST_BY_AGE)[age]
        + np.array(TRUST_BY_RACE)[race]
        + np.array(TRUST_BY_TENURE)[tenure]
    )
    safety = (
        np.array(SAFETY_BY_AGE)[age]
        + np.array(SAFETY_BY_RACE)[race]
        + np.array(SAFETY_BY_TENURE)[tenure]
        + np.array(SAFETY_BY_INCOME)[income]
    )
    propensity = (
        np.array(ANSWER_BY_AGE)[age]
        * np.array(ANSWER_BY_RACE)[race]
        * np.array(ANSWER_BY_TENURE)[tenure]
        * np.array(ANSWER_BY_DISTRICT)[district]
    )
    south_young_hispanic = (
        (district == DISTRICTS.index("south")) & (age == 0) & (race == RACE.index("hispanic"))
    )
    propensity[south_young_hispanic] *= SOUTH_YOUNG_HISPANIC
    return People(
        district=district,
        age=age,
        race=race,
        income=income,
        tenure=tenure,
        trust=_centred(trust, district),
        safety=_centred(safety, district),
        propensity=propensity,
    )


def margin_rows(people: People) -> list[tuple[str, str, str, int, str]]:
    """(area name, characteristic, category, count, universe): the long layout's rows."""
    rows = []
    for d, slug in enumerate(DISTRICTS):
        here = people.district == d
        adults = ADULTS[slug] / here.sum()
        households = adults / ADULTS_PER_HOUSEHOLD[slug]
        name = DISTRICT_NAMES[slug]
        for characteristic, values, labels, scale, universe in (
            ("age_band", people.age, AGE, adults, "adults"),
            ("race_ethnicity", people.race, RACE, adults, "adults"),
            ("income_band", people.income, INCOME, households, "households"),
            ("tenure", people.tenure, TENURE, households, "households"),
        ):
            counts = np.bincount(values[here], minlength=len(labels))
            for label, count in zip(labels, counts, strict=True):
                rows.append((name, characteristic, label, round(count * scale), universe))
        # The census's cross-tabulation (ACS table B01001I and kin), so the outreach
        # suggestions can name "Hispanic residents aged 18 to 34" from counts, not a guess.
        pairs = np.bincount(
            people.race[here] * len(AGE) + people.age[here], minlength=len(RACE) * len(AGE)
        )
        for cell, count in enumerate(pairs):
            race, age = RACE[cell // len(AGE)], AGE[cell % len(AGE)]
            category = f"{race}+{age}"
            rows.append(
                (name, "race_ethnicity+age_band", category, round(count * adults), "adults")
            )
    return rows


def district_scores(district: str, month: dt.date, today: dt.date) -> tuple[float, float]:
    """(safety, trust) of a district's population in a month, as the sentiment series has them."""
    safety, trust = SENTIMENT_DISTRICTS[district]
    if district == ROSE and month.year == today.year:
        trust -= TRUST_DROP * month.month / 12
        safety -= TRUST_DROP * month.month / 24
    return safety, trust


def _score(value: float) -> int:
    return int(np.clip(round(value / 10), 0, 10))


class Respondents:
    """Draws answer sheets from the population, month by month."""

    def __init__(self, g: np.random.Generator, people: People, today: dt.date) -> None:
        self.g = g
        self.people = people
        self.today = today
        self.chance = people.propensity / people.propensity.sum()

    def draw(self, month: dt.date, count: int) -> list[Respondent]:
        """`count` answer sheets for `month`; every weighting category answered by someone."""
        for _attempt in range(20):
            sheets = self._sheets(month, count)
            if _every_category_answered(sheets):
                return sheets
        return sheets

    def _sheets(self, month: dt.date, count: int) -> list[Respondent]:
        g, people = self.g, self.people
        chosen = g.choice(len(people.propensity), size=count, p=self.chance)
        # The district's mood this month: the series plus a little month-to-month noise.
        mood = {
            slug: district_scores(slug, month, self.today) + g.normal(0, 1.2, 2)
            for slug in DISTRICTS
        }
        sheets = []
        for i in chosen:
            slug = DISTRICTS[people.district[i]]
            safety_mean, trust_mean = mood[slug]
            person = trust_mean + people.trust[i] + g.normal(0, 17)
            respect = person + 3 + g.normal(0, 8)
            listen = person - 3 + g.normal(0, 8)
            race = RACE[people.race[i]]
            spanish = {"hispanic": 0.45 if slug == "south" else 0.22}.get(race, 0.01)
            language = "es" if g.random() < spanish else "en"
            neighbourhood = str(g.choice(NEIGHBOURHOODS[slug]))
            blank = {key: g.random() < share for key, share in SKIP.items()}
            sheets.append(
                Respondent(
                    district=slug,
                    neighbourhood=neighbourhood,
                    age_band=None if blank["age_band"] else AGE[people.age[i]],
                    gender=None if blank["gender"] else _gender(g),
                    race_ethnicity=None if blank["race_ethnicity"] else race,
                    income_band=None if blank["income_band"] else INCOME[people.income[i]],
                    tenure=None if blank["tenure"] else TENURE[people.tenure[i]],
                    area=None if blank["area"] else slug,
                    language=language,
                    safety=_score(safety_mean + people.safety[i] + g.normal(0, 20)),
                    respect=_score(respect),
                    listen=_score(listen),
                    latent_trust=float(np.clip(person, 0, 100)),
                    top_issue=(
                        self._top_issue(slug, neighbourhood, language)
                        if g.random() < TOP_ISSUE_SHARE
                        else ""
                    ),
                )
            )
        return sheets

    def _top_issue(self, district: str, neighbourhood: str, language: str) -> str:
        lines = [text for code, text in TOP_ISSUES[district] if code == language]
        lines = lines or [text for _code, text in TOP_ISSUES[district]]
        template = lines[int(self.g.integers(len(lines)))]
        return template.format(street=str(self.g.choice(STREETS[neighbourhood])))


def _gender(g: np.random.Generator) -> str:
    return str(g.choice(GENDER, p=(0.53, 0.45, 0.012, 0.008)))


def _every_category_answered(sheets: list[Respondent]) -> bool:
    """Raking needs someone in every category the population has (else an empty cell)."""
    seen: dict[str, set[str | None]] = {
        "age_band": {s.age_band for s in sheets},
        "race_ethnicity": {s.race_ethnicity for s in sheets},
        "income_band": {s.income_band for s in sheets},
        "tenure": {s.tenure for s in sheets},
        "area": {s.area for s in sheets},
    }
    wanted = {
        "age_band": AGE,
        "race_ethnicity": RACE,
        "income_band": INCOME,
        "tenure": TENURE,
        "area": DISTRICTS,
    }
    return all(set(values) <= seen[key] for key, values in wanted.items())
