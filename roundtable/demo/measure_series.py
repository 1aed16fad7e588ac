"""The figures behind the demo's CompStat360 measures: two years of them, drawn
the way the records they come from would fall, and tied to the demo's story.

- The South District's violent-crime rise (incidents.py, since `rise_start`)
  brings more emergency-room assault visits, a few more use-of-force incidents
  and officer injuries, and a dip in the clearance rate (the same detectives,
  more cases); clearance rates count the records system's own violent crimes.
- The South District also has the most code-enforcement complaints, growing.
- Slow improvements where the agency has worked on them: stop disparity after
  the 2025 stops policy, complaints per 1,000 contacts, step-free meeting
  venues, street lights repaired on time; unemployment eases.
- Seasons: summer youth programmes and volunteer hours, winter dips in school
  attendance, no school figure in July, more street-light outages in winter.

Every row is (measure, period, area, value, count, base) as an analyst's file
or a partner's form gives it; counts and bases are kept where they are counts
of people or events, so public pages can withhold small cells. Drawn from one
NumPy generator; no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from roundtable.measures.periods import add_months

SUMMER = (6, 7, 8)
WINTER = (11, 12, 1, 2)
# Code-enforcement complaints a month per district, before the season.
CODE_BASE = {"north": 42.0, "central": 66.0, "south": 84.0}
SOUTH_CODE_GROWTH = 0.9  # more a month in the South, each month
ER_RISE = 12.0  # more assault visits a month during the South District's rise
# The targets Riverside set (by catalogue key or own measure key); the rest have none.
TARGETS: dict[str, float] = {
    "clearance_rate": 45.0,
    "problems_goal_met": 60.0,
    "overdue_actions": 2.0,
    "meetings_held": 6.0,
    "volunteer_hours": 450.0,
    "stops_disparity": 1.25,
    "accessible_meetings": 90.0,
    "answered_on_time": 90.0,
    "days_to_answer": 14.0,
    "oversight_meetings": 3.0,
    "trust_score": 60.0,
    "contact_satisfaction": 75.0,
    "inspections_done": 6.0,
    "feeling_safe": 60.0,
    "er_assault_visits": 38.0,  # below the 2024 baseline
    "school_attendance": 95.0,
    "officer_wellness": 65.0,
    "complaints_per_1000": 1.0,
    "force_incidents": 15.0,
    "street_lights": 90.0,
    "youth_places": 85.0,
    "trust_by_district": 60.0,
}


@dataclass(frozen=True)
class Row:
    measure: str  # catalogue key, or an own measure's key (measure_texts)
    period: dt.date  # the period's first day
    value: float
    area: str = ""  # area slug, "" for the whole jurisdiction
    count: int | None = None
    base: int | None = None


def demo_months(today: dt.date, months: int = 24) -> list[dt.date]:
    """The first days of the `months` whole months before today's, oldest first."""
    last = add_months(today, -1)
    return [add_months(last, k - months + 1) for k in range(months)]


def demo_quarters(months: Sequence[dt.date]) -> list[dt.date]:
    """The first days of the quarters that ended within the months (a quarter
    whose first month lies before them counts: its figure is in the records)."""
    first = months[0].replace(month=3 * ((months[0].month - 1) // 3) + 1)
    end = add_months(months[-1], 1)
    out = []
    while add_months(first, 3) <= end:
        out.append(first)
        first = add_months(first, 3)
    return out


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1)


class Series:
    """Draws the rows; `rise_from` is the first month of the South District's rise."""

    def __init__(self, seed: int, months: Sequence[dt.date], rise_from: dt.date) -> None:
        self.g = np.random.default_rng(seed)
        self.months = list(months)
        self.quarters = demo_quarters(self.months)
        self.rise_from = rise_from

    def _rise(self, month: dt.date) -> bool:
        return month >= self.rise_from

    def _noise(self, sd: float) -> float:
        return float(self.g.normal(0.0, sd))

    # ------------------------------------------------------------ the analyst's file

    def imported(
        self, meetings: Mapping[dt.date, int], violent: Mapping[dt.date, int]
    ) -> list[Row]:
        """The analyst's figures. `meetings`: meetings held per month (the computed
        measure's figures; months before the agency used Roundtable draw their
        own); `violent`: violent crimes in the records system per quarter."""
        rows: list[Row] = []
        g = self.g
        for t, month in enumerate(self.months):
            rise, summer = self._rise(month), month.month in SUMMER
            unemployment = 5.4 - 0.025 * t + (0.25 if month.month in (1, 2) else 0.0)
            rows.append(Row("unemployment", month, round(unemployment + self._noise(0.08), 1)))
            contacts = int(g.normal(14_200 + (1_200 if summer else 0), 400))
            complaints = int(g.poisson(contacts / 1000 * (1.32 - 0.016 * t)))
            rows.append(
                Row(
                    "complaints_per_1000",
                    month,
                    round(1000 * complaints / contacts, 2),
                    count=complaints,
                    base=contacts,
                )
            )
            force = int(g.poisson(18.0 - 0.2 * t + (2.5 if rise else 0.0)))
            rows.append(Row("force_incidents", month, force, count=force))
            injuries = int(g.poisson(2.6 + (1.0 if rise else 0.0)))
            rows.append(Row("officer_injuries", month, injuries, count=injuries))
            held = meetings.get(month) or int(g.integers(4, 8))
            step_free = int(g.binomial(held, min(0.97, 0.62 + 0.016 * t)))
            # A share of meetings, not of people: no count or base to withhold.
            rows.append(Row("accessible_meetings", month, _share(step_free, held)))
            outages = int(g.poisson(140 + (40 if month.month in WINTER else 0)))
            repaired = int(g.binomial(outages, 0.79 + 0.005 * t))
            rows.append(
                Row(
                    "street_lights",
                    month,
                    _share(repaired, outages),
                    count=repaired,
                    base=outages,
                )
            )
            places = 320 if summer else 240
            filled = int(g.binomial(places, min(0.97, 0.8 + 0.004 * t + (0.08 if summer else 0))))
            rows.append(
                Row("youth_places", month, _share(filled, places), count=filled, base=places)
            )
        for i, quarter in enumerate(self.quarters):
            crimes = violent[quarter]
            # Fewer solved while the same detectives carry the South's extra cases.
            p = 0.47 - (0.06 if self._rise(add_months(quarter, 2)) else 0.0) + self._noise(0.015)
            cleared = round(crimes * p)
            rows.append(
                Row(
                    "clearance_rate",
                    quarter,
                    _share(cleared, crimes),
                    count=cleared,
                    base=crimes,
                )
            )
            disparity = 1.64 - 0.045 * i + self._noise(0.03)
            rows.append(Row("stops_disparity", quarter, round(disparity, 2)))
            # The review board meets monthly, with a special session now and then.
            sessions = 3 + int(g.random() < 0.3)
            rows.append(Row("oversight_meetings", quarter, sessions, count=sessions))
            inspections = int(g.integers(4, 9))
            rows.append(Row("inspections_done", quarter, inspections, count=inspections))
        return rows

    # ------------------------------------------------------------ the partners' figures

    def partner(self, measure: str) -> list[Row]:
        return {
            "school_attendance": self._attendance,
            "er_assault_visits": self._assault_visits,
            "code_complaints": self._code_complaints,
            "volunteer_hours": self._volunteer_hours,
        }[measure]()

    def _attendance(self) -> list[Row]:
        rows = []
        for t, month in enumerate(self.months):
            if month.month == 7:
                continue
            enrolled = int(41_900 - 12 * t)
            rate = 94.6 + self._noise(0.35)
            rate -= 1.6 if month.month in (12, 1) else 0.0
            rate -= 0.6 if self._rise(month) else 0.0
            attending = round(enrolled * rate / 100)
            rows.append(
                Row(
                    "school_attendance",
                    month,
                    _share(attending, enrolled),
                    count=attending,
                    base=enrolled,
                )
            )
        return rows

    def _assault_visits(self) -> list[Row]:
        rows = []
        for month in self.months:
            mean = 37.0 + (ER_RISE if self._rise(month) else 0.0)
            mean += 3.0 if month.month in SUMMER else 0.0
            visits = int(self.g.poisson(mean))
            rows.append(Row("er_assault_visits", month, visits, count=visits))
        return rows

    def _code_complaints(self) -> list[Row]:
        rows = []
        for t, month in enumerate(self.months):
            season = 1.15 if month.month in SUMMER else 1.0
            total = 0
            for district, base in CODE_BASE.items():
                growth = SOUTH_CODE_GROWTH * t if district == "south" else 0.0
                complaints = int(self.g.poisson((base + growth) * season))
                total += complaints
                rows.append(Row("code_complaints", month, complaints, district, complaints))
            # Complaints without a usable address count in the city's total only.
            total += int(self.g.poisson(6.0))
            rows.append(Row("code_complaints", month, total, count=total))
        return rows

    def _volunteer_hours(self) -> list[Row]:
        rows = []
        for t, month in enumerate(self.months):
            volunteers = int(self.g.integers(36, 46)) + int(0.8 * t)
            hours = volunteers * self.g.normal(9.5, 0.8) * (1.2 if month.month in SUMMER else 1.0)
            rows.append(Row("volunteer_hours", month, round(hours), count=volunteers))
        return rows
