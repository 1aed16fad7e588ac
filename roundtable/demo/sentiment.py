"""The demo's community sentiment series: monthly safety and trust per Riverside district.

Written in the layout of the Chicago Police Sentiment Scores (the same header,
so the same importer reads it) and imported with `sentiment_import`. The
district column holds the district areas' slugs ("north"), which the
importer's matcher finds; a city row per month gives the whole-city figure.
Trust drifts lower in the South District this year, where violent crime rose.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.demo.incident_texts import SENTIMENT_DISTRICTS, SENTIMENT_SOURCE
from roundtable.demo.incidents import child_seed
from roundtable.incidents.models import ImportRun
from roundtable.incidents.services_sentiment import sentiment_import

MONTHS = 24
# The published file's header (data/surveys/chicago-police-sentiment-scores.csv).
GROUPS = (
    "RACE_AFRICAN_AMERICAN",
    "RACE_ASIAN_AMERICAN",
    "RACE_HISPANIC",
    "RACE_WHITE",
    "RACE_OTHER",
    "AGE_LOW",
    "AGE_MEDIUM",
    "AGE_HIGH",
    "SEX_FEMALE",
    "SEX_MALE",
    "EDUCATION_LOW",
    "EDUCATION_MEDIUM",
    "EDUCATION_HIGH",
    "INCOME_LOW",
    "INCOME_MEDIUM",
    "INCOME_HIGH",
)
HEADER = (
    "ORG_LEVEL",
    "CITY",
    "AREA",
    "DISTRICT",
    "SECTOR",
    "SAFETY",
    *(f"S_{g}" for g in GROUPS),
    "TRUST",
    *(f"T_{g}" for g in GROUPS),
    "T_LISTEN",
    *(f"T_LISTEN_{g}" for g in GROUPS),
    "T_RESPECT",
    *(f"T_RESPECT_{g}" for g in GROUPS),
    "START_DATE",
    "END_DATE",
)
ROSE = "south"  # the district where violent crime rose this year
TRUST_DROP = 5.0  # points lost by December
# (base score, spread between groups) -> [score, *group scores]
Draw = Callable[[float, float], list[str]]


def months(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The last MONTHS whole calendar months before today's, oldest first."""
    out = []
    end = today.replace(day=1) - dt.timedelta(days=1)
    for _ in range(MONTHS):
        start = end.replace(day=1)
        out.append((start, end))
        end = start - dt.timedelta(days=1)
    return out[::-1]


def sentiment_rows(seed: int, today: dt.date) -> list[list[str]]:
    g = np.random.default_rng(seed)
    rows = []

    def scores(base: float, spread: float) -> list[str]:
        main = float(np.clip(base + g.normal(0, 1.2), 0, 100))
        groups = np.clip(main + g.normal(0, spread, len(GROUPS)), 0, 100)
        return [f"{main:.2f}", *(f"{v:.2f}" for v in groups)]

    for start, end in months(today):
        city_safety, city_trust = [], []
        for district, (safety, trust) in SENTIMENT_DISTRICTS.items():
            if district == ROSE and start.year == today.year:
                trust -= TRUST_DROP * start.month / 12
                safety -= TRUST_DROP * start.month / 24
            city_safety.append(safety)
            city_trust.append(trust)
            rows.append(_row(district, safety, trust, start, end, scores))
        rows.append(
            _row("", float(np.mean(city_safety)), float(np.mean(city_trust)), start, end, scores)
        )
    return rows


def _row(
    district: str,
    safety: float,
    trust: float,
    start: dt.date,
    end: dt.date,
    draw: Draw,
) -> list[str]:
    return [
        "Other",
        "riverside",
        "",
        district,
        "",
        *draw(safety, 6.0),
        *draw(trust, 7.0),
        *draw(trust + 4.0, 7.0),
        *draw(trust + 6.0, 7.0),
        start.strftime("%m/%d/%Y"),
        end.strftime("%m/%d/%Y"),
    ]


def sentiment_build(
    *, rng: random.Random, today: dt.date, agency: Agency, actor: User
) -> ImportRun:
    rows = sentiment_rows(child_seed(rng, "sentiment"), today)
    with tempfile.TemporaryDirectory(prefix="roundtable-demo-") as folder:
        path = Path(folder) / "riverside-sentiment.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        run = sentiment_import(agency=agency, path=path, actor=actor, source=SENTIMENT_SOURCE)
    if run.status != ImportRun.Status.DONE:
        raise RuntimeError(f"The demo's sentiment series did not import: {run.message}")
    return run
