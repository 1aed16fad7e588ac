"""The demo's records-system export: about 16,000 Riverside incidents over 27 months.

Written as a CSV in the made-up "Riverside RMS" layout and imported through
`incidents_import` with a mapping file, the path a real agency's export takes.
Everyday crime follows a mid-size US city's mix (thefts most common), with
summer peaks, busier weekends and offence-specific hours, and the quirks real
exports have: rows without coordinates, a few at 0/0, one row per offence,
a handful of unreadable dates. On top of it, the patterns the pages must show:

- a persistent hot spot: night-time assaults and disorder on Old Town's bar strip;
- drug incidents in the River Road bus stops problem's areas, 12 weeks before
  and after the response, in the numbers the team's hand-entered assessment
  gives (the counted assessment then agrees with it);
- an emerging hot spot: car break-ins growing over the last ten weeks in Harlow Park;
- violent crime up this year in the South District (over at least the last
  five months), flat elsewhere.

Everything is drawn from one NumPy generator seeded from the builder's random
state (without advancing it), relative to the builder's `today`.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np
import shapely
from django.utils.text import slugify
from shapely.geometry import Polygon

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.demo.geography import BANDS, CAMPUS, EAST, WEST, campus_rings, city_rings
from roundtable.demo.incident_texts import (
    BAR_CODES,
    BY_CODE,
    CAMPUS_CODES,
    CAMPUS_EXTRA,
    CAMPUS_STREETS,
    CODES,
    COUNTED_CONCLUSION,
    COUNTED_LABEL,
    DISPOSITIONS,
    HEADER,
    HOURS,
    RIVERSIDE_RMS_MAPPING,
    STREETS,
    VIOLENT_CODES,
    Code,
)
from roundtable.demo.past import backdate, moment
from roundtable.demo.problem_texts import STOPS_AREAS, STOPS_ASSESSMENT, STOPS_TITLE
from roundtable.demo.problems import ASSESSED_DAY, PERIOD, TO_RESPONSE
from roundtable.incidents.models import ImportRun
from roundtable.incidents.services_import import incidents_import
from roundtable.problems.models import Assessment, Problem
from roundtable.problems.services_assessment import assessment_from_incidents

DAYS = 822  # about 2 years and 3 months: last year's year to date is always covered
DAILY = 16.0  # everyday incidents a day, before season and weekday
LAT_M = 111_320.0
LON_M = LAT_M * math.cos(math.radians(33.95))
SOUTH, NORTH = BANDS["South District"][0], BANDS["North District"][1]

BAR_STRIP = (33.9548, -117.3978)  # Main St between 3rd and Court, Old Town
BAR_RATE = 0.6
BUS_STOPS = ((33.9290, -117.4300), (33.9300, -117.4220), (33.9310, -117.4140))
BREAK_INS = (33.9905, -117.3400)  # the Parkside Dr lots, Harlow Park
BREAK_IN_WEEKS = 10
BREAK_IN_BASE = 4.0  # a week, every week: hot most weeks
BREAK_IN_GROWTH = 1.3  # more a week, each of the last ten weeks
SOUTH_VIOLENT_EXTRA = 0.17  # a day, since the rise started, on top of the everyday rate
RISE_DAYS = 150  # the rise is at least this old, so early in a year it still shows
# Commercial centres pulling everyday crime: (lat, lon, sigma in metres, weight).
ATTRACTORS = (
    (33.9533, -117.3962, 500, 3.0),
    (33.9580, -117.3520, 400, 2.0),
    (33.9320, -117.4250, 400, 1.5),
    (33.9920, -117.3450, 350, 1.0),
    (33.9900, -117.3850, 350, 1.0),
    (33.9250, -117.3350, 400, 1.0),
    (33.9700, -117.3250, 400, 1.0),
)
# Crime concentrates in few places (Weisburd's law of crime concentration):
# this share of everyday incidents falls around the centres above.
ATTRACTED = 0.6
WEEKDAY = (0.97, 0.95, 0.96, 0.99, 1.08, 1.10, 0.95)
BAR_WEEKDAY = (0.4, 0.4, 0.5, 1.0, 2.2, 2.5, 0.9)
MISSING_SHARE = 0.02
ZERO_ROWS = 8
SECOND_SHARE = 0.06
BAD_DATES = ("13/45/2025 09:10 AM", "", "02/30/2024 25:61 PM")
# The bus stops problem's four areas (the buffer's comparison area is Fairview,
# the South District's third neighbourhood) and their counts (before, after), as
# entered by hand.
STOPS_BUFFER_CONTROL = "fairview"
STOPS_COUNTS = {
    slug: (
        cast(int, STOPS_ASSESSMENT[f"{role}_before"]),
        cast(int, STOPS_ASSESSMENT[f"{role}_after"]),
    )
    for slug, role in zip(
        (*STOPS_AREAS, STOPS_BUFFER_CONTROL),
        ("target", "control", "buffer", "buffer_control"),
        strict=True,
    )
}


def rise_start(last: dt.date) -> dt.date:
    """When violent crime began to rise in the South District: 1 January, or
    RISE_DAYS before the export's last day when the year is younger than that."""
    return min(dt.date(last.year, 1, 1), last - dt.timedelta(days=RISE_DAYS))


def child_seed(rng: random.Random, label: str) -> int:
    """A seed from the builder's state that leaves its stream where it was."""
    return random.Random(f"{label}:{rng.getstate()!r}").getrandbits(63)


class _Rows:
    """Columns of incidents being drawn: day index, minute of day, code, place, flags."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(
        self,
        days: np.ndarray,
        minutes: np.ndarray,
        codes: np.ndarray,
        lat: np.ndarray,
        lon: np.ndarray,
        *,
        everyday: bool = False,
    ) -> None:
        self.parts.append(
            {
                "day": days.astype(np.int64),
                "minute": minutes.astype(np.int64),
                "code": codes.astype(object),
                "lat": lat.astype(np.float64),
                "lon": lon.astype(np.float64),
                "everyday": np.full(len(days), everyday),
            }
        )

    def joined(self) -> dict[str, np.ndarray]:
        keys = self.parts[0].keys()
        return {k: np.concatenate([p[k] for p in self.parts]) for k in keys}


class Synth:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.g = np.random.default_rng(seed)
        self.today = today
        # The export runs nightly: it holds incidents up to yesterday.
        self.last = today - dt.timedelta(days=1)
        self.start = self.last - dt.timedelta(days=DAYS - 1)
        self.dates = [self.start + dt.timedelta(days=i) for i in range(DAYS)]
        rings = city_rings()["neighbourhood"]
        self.hoods = {name: Polygon(ring) for name, ring in rings.items()}
        self.by_slug = {slugify(name): poly for name, poly in self.hoods.items()}
        self.rows = _Rows()

    # ------------------------------------------------------------ drawing helpers

    def _day_weights(self) -> np.ndarray:
        doy = np.array([d.timetuple().tm_yday for d in self.dates])
        season = 1 + 0.12 * np.sin(2 * np.pi * (doy - 100) / 365.25)
        weekday = np.array([WEEKDAY[d.weekday()] for d in self.dates])
        return np.asarray(season * weekday)

    def _days(self, rate: np.ndarray) -> np.ndarray:
        return np.repeat(np.arange(DAYS), self.g.poisson(rate))

    def _minutes(self, codes: np.ndarray, hours: str | None = None) -> np.ndarray:
        out = np.empty(len(codes), dtype=np.int64)
        keys = np.array([hours or _code(str(c)).hours for c in codes])
        for key in set(keys.tolist()):
            where = np.flatnonzero(keys == key)
            weights = np.array(HOURS[key], dtype=float)
            hour = self.g.choice(24, len(where), p=weights / weights.sum())
            out[where] = hour * 60 + self.g.integers(0, 60, len(where))
        return out

    def _around(
        self, centre: tuple[float, float], n: int, sigma_lat_m: float, sigma_lon_m: float
    ) -> tuple[np.ndarray, np.ndarray]:
        lat = centre[0] + self.g.normal(0, sigma_lat_m / LAT_M, n)
        lon = centre[1] + self.g.normal(0, sigma_lon_m / LON_M, n)
        return lat, lon

    def _in_box(
        self, n: int, south: float, north: float, west: float, east: float
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.g.uniform(south, north, n), self.g.uniform(west, east, n)

    def _in_polygon(self, polygon: Polygon, n: int) -> tuple[np.ndarray, np.ndarray]:
        west, south, east, north = polygon.bounds
        lat, lon = np.empty(0), np.empty(0)
        while len(lat) < n:
            y, x = self._in_box(2 * n + 10, south, north, west, east)
            inside = shapely.contains_xy(polygon, x, y)
            lat, lon = np.concatenate([lat, y[inside]]), np.concatenate([lon, x[inside]])
        return lat[:n], lon[:n]

    def _city(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Half spread over the city, half around the commercial centres; all inside it."""
        lat, lon = self._in_box(n, SOUTH, NORTH, WEST, EAST)
        near = np.flatnonzero(self.g.random(n) < ATTRACTED)
        weights = np.array([a[3] for a in ATTRACTORS])
        which = self.g.choice(len(ATTRACTORS), len(near), p=weights / weights.sum())
        for i, (a_lat, a_lon, sigma, _w) in enumerate(ATTRACTORS):
            sel = near[which == i]
            lat[sel], lon[sel] = self._around((a_lat, a_lon), len(sel), sigma, sigma)
        outside = (lat <= SOUTH) | (lat >= NORTH) | (lon <= WEST) | (lon >= EAST)
        lat[outside], lon[outside] = self._in_box(int(outside.sum()), SOUTH, NORTH, WEST, EAST)
        return lat, lon

    # ------------------------------------------------------------ the layers

    def everyday(self) -> None:
        days = self._days(DAILY * self._day_weights())
        everyday = [c for c in CODES if c.share > 0]
        shares = np.array([c.share for c in everyday])
        codes = self.g.choice([c.code for c in everyday], len(days), p=shares / shares.sum())
        lat, lon = self._city(len(days))
        # Drug incidents in the bus stops problem's areas are drawn on their own (below).
        stops_areas = shapely.union_all([self.by_slug[s] for s in STOPS_COUNTS])
        drugs = np.isin(codes, [c.code for c in CODES if c.common == "drugs"])
        while (redo := np.flatnonzero(drugs & shapely.contains_xy(stops_areas, lon, lat))).size:
            lat[redo], lon[redo] = self._city(len(redo))
        self.rows.add(days, self._minutes(codes), codes, lat, lon, everyday=True)

    def bar_strip(self) -> None:
        weekday = np.array([BAR_WEEKDAY[d.weekday()] for d in self.dates])
        days = self._days(BAR_RATE * weekday / np.mean(BAR_WEEKDAY))
        names, weights = list(BAR_CODES), np.array(list(BAR_CODES.values()), dtype=float)
        codes = self.g.choice(names, len(days), p=weights / weights.sum())
        lat, lon = self._around(BAR_STRIP, len(days), 35, 160)
        self.rows.add(days, self._minutes(codes, "bars"), codes, lat, lon)

    def bus_stops(self) -> None:
        """Exact counts in the 12 weeks before and after the response, as the team counted."""
        response = DAYS - 1 + TO_RESPONSE + 1  # index of today + TO_RESPONSE
        before = (response - PERIOD, response - 1)
        after = (response, response + PERIOD - 1)
        for slug, (n_before, n_after) in STOPS_COUNTS.items():
            rate_before, rate_after = n_before / PERIOD, n_after / PERIOD
            # Dealing grew through the year before the team formed.
            early = np.linspace(0.35, 1.0, before[0]) * rate_before
            tail = np.full(DAYS - after[1] - 1, rate_after)
            days = np.concatenate(
                [
                    self._days(np.concatenate([early, np.zeros(DAYS - before[0])])),
                    self.g.integers(before[0], before[1] + 1, n_before),
                    self.g.integers(after[0], after[1] + 1, n_after),
                    after[1] + 1 + np.repeat(np.arange(len(tail)), self.g.poisson(tail)),
                ]
            )
            n = len(days)
            codes = self.g.choice(np.array(["11350", "11351"]), n, p=[0.6, 0.4])
            polygon = self.by_slug[slug]
            lat, lon = self._in_polygon(polygon, n)
            if slug == STOPS_AREAS[0]:
                at_stops = np.flatnonzero(self.g.random(n) < 0.75)
                stop = self.g.integers(0, len(BUS_STOPS), len(at_stops))
                for i, centre in enumerate(BUS_STOPS):
                    sel = at_stops[stop == i]
                    y, x = self._around(centre, len(sel), 45, 45)
                    keep = shapely.contains_xy(polygon, x, y)
                    lat[sel[keep]], lon[sel[keep]] = y[keep], x[keep]
            self.rows.add(days, self._minutes(codes), codes, lat, lon)

    def break_ins(self) -> None:
        rate = np.full(DAYS, BREAK_IN_BASE / 7)
        first = DAYS - 7 * BREAK_IN_WEEKS
        for week in range(BREAK_IN_WEEKS):
            rate[first + 7 * week : first + 7 * week + 7] += BREAK_IN_GROWTH * (week + 1) / 7
        days = self._days(rate)
        codes = np.full(len(days), "459V", dtype=object)
        lat, lon = self._around(BREAK_INS, len(days), 90, 90)
        self.rows.add(days, self._minutes(codes), codes, lat, lon)

    def south_violence(self) -> None:
        rate = np.zeros(DAYS)
        rate[(rise_start(self.last) - self.start).days :] = SOUTH_VIOLENT_EXTRA
        days = self._days(rate)
        codes = self.g.choice(np.array(VIOLENT_CODES), len(days), p=[0.55, 0.45])
        south, north = BANDS["South District"]
        lat, lon = self._in_box(len(days), south, north, WEST, EAST)
        self.rows.add(days, self._minutes(codes), codes, lat, lon)

    # ------------------------------------------------------------ the export

    def build(self) -> list[list[str]]:
        self.everyday()
        self.bar_strip()
        self.bus_stops()
        self.break_ins()
        self.south_violence()
        return self.export(self.rows.joined(), prefix="RV", streets=self._city_street, quirks=True)

    def _city_street(self, lat: np.ndarray, lon: np.ndarray) -> list[str]:
        streets = ["MAIN ST"] * len(lat)
        for name, polygon in self.hoods.items():
            for i in np.flatnonzero(shapely.contains_xy(polygon, lon, lat)):
                options = STREETS[name]
                streets[i] = options[int(abs(lat[i] * 1e4 + lon[i] * 1e4)) % len(options)]
        return streets

    def export(
        self,
        rows: dict[str, np.ndarray],
        *,
        prefix: str,
        streets: Callable[[np.ndarray, np.ndarray], list[str]],
        quirks: bool,
    ) -> list[list[str]]:
        """CSV rows in time order, with the export's quirks on the everyday incidents."""
        g = self.g
        order = np.lexsort((rows["minute"], rows["day"]))
        rows = {k: v[order] for k, v in rows.items()}
        n = len(order)
        lat, lon = rows["lat"].copy(), rows["lon"].copy()
        blocks = [
            f"{10 + int((x - WEST) * 900 + (y - SOUTH) * 400) % 90}XX {street}"
            for y, x, street in zip(lat, lon, streets(lat, lon), strict=True)
        ]
        everyday = np.flatnonzero(rows["everyday"])
        missing = g.choice(everyday, int(MISSING_SHARE * len(everyday)), replace=False)
        zero = set(
            g.choice(np.setdiff1d(everyday, missing), ZERO_ROWS if quirks else 0, replace=False)
        )
        lat[missing], lon[missing] = np.nan, np.nan
        delays = np.where(g.random(n) < 0.8, g.exponential(60, n), g.exponential(2000, n))
        dv = (rows["code"] == "273.5") | (
            (rows["code"] == "242") & rows["everyday"] & (g.random(n) < 0.15)
        )
        seconds = g.random(n) < SECOND_SHARE
        dispositions = g.choice(np.array(DISPOSITIONS), n, p=[0.45, 0.3, 0.15, 0.1])
        out: list[list[str]] = []
        sequence: dict[int, int] = {}
        export_time = dt.datetime.combine(self.last, dt.time(23, 59))
        for i in range(n):
            occurred = dt.datetime.combine(self.dates[rows["day"][i]], dt.time()) + dt.timedelta(
                minutes=int(rows["minute"][i])
            )
            # Nothing in a nightly export was reported after the night it ran.
            reported = min(occurred + dt.timedelta(minutes=int(delays[i]) + 2), export_time)
            sequence[reported.year] = sequence.get(reported.year, 0) + 1
            case = f"{prefix}{reported.year % 100:02d}-{sequence[reported.year]:06d}"
            code = _code(str(rows["code"][i]))
            if i in zero:
                place = ["0", "0"]
            elif math.isnan(lat[i]):
                place = ["", ""]
            else:
                place = [f"{lat[i]:.6f}", f"{lon[i]:.6f}"]
            row = [
                case,
                _when(reported),
                _when(occurred),
                code.code,
                code.description,
                blocks[i],
                *place,
                "Y" if dv[i] else "N",
                str(dispositions[i]),
            ]
            out.append(row)
            if seconds[i] and code.second:
                second = BY_CODE[code.second]
                out.append([*row[:3], second.code, second.description, *row[5:]])
        for j, bad in enumerate(BAD_DATES if quirks else ()):
            row = list(out[(j + 1) * (len(out) // 4)])
            row[0] = f"{prefix}{self.last.year % 100:02d}-9{j:05d}"
            row[2] = bad
            out.append(row)
        return out

    def campus(self) -> list[list[str]]:
        """The university's thefts of bikes and laptops, vandalism, a few assaults."""
        term = np.array(
            [
                0.35 if d.month in (6, 7, 8) or (d.month == 12 and d.day > 15) else 1.0
                for d in self.dates
            ]
        )
        weekday = np.array([1.0 if d.weekday() < 5 else 0.5 for d in self.dates])
        days = self._days(0.45 * term * weekday)
        names = list(CAMPUS_CODES)
        weights = np.array(list(CAMPUS_CODES.values()), dtype=float)
        codes = self.g.choice(names, len(days), p=weights / weights.sum())
        rings = campus_rings()
        where = self.g.choice(len(CAMPUS), len(days), p=[0.7, 0.22, 0.08])
        lat, lon = np.empty(len(days)), np.empty(len(days))
        for i, name in enumerate(CAMPUS):
            sel = np.flatnonzero(where == i)
            lat[sel], lon[sel] = self._in_polygon(Polygon(rings[name]), len(sel))
        self.rows = _Rows()
        self.rows.add(days, self._minutes(codes), codes, lat, lon, everyday=True)
        return self.export(
            self.rows.joined(),
            prefix="RSU",
            streets=lambda y, _x: [CAMPUS_STREETS[int(v * 1e4) % 4] for v in y],
            quirks=False,
        )


def _code(code: str) -> Code:
    return BY_CODE.get(code) or CAMPUS_EXTRA[code]


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M %p")


def write_export(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def incidents_build(
    *, rng: random.Random, today: dt.date, agencies: dict[str, Agency], users: dict[str, User]
) -> list[ImportRun]:
    """Write the city's and the campus's exports and import them as their analysts would."""
    synth = Synth(child_seed(rng, "incidents"), today)
    exports = [
        ("riverside", users["analyst"], "riverside-rms-export.csv", synth.build()),
        ("rsu", users["admin"], "rsu-rms-export.csv", synth.campus()),
    ]
    runs = []
    with tempfile.TemporaryDirectory(prefix="roundtable-demo-") as folder:
        for slug, actor, name, rows in exports:
            path = Path(folder) / name
            write_export(path, rows)
            run = incidents_import(
                agency=agencies[slug], path=path, mapping_text=RIVERSIDE_RMS_MAPPING, actor=actor
            )
            if run.status != ImportRun.Status.DONE:
                raise RuntimeError(f"The demo's {name} did not import: {run.message}")
            runs.append(run)
    return runs


def counted_assessment(*, agency: Agency, today: dt.date, actor: User) -> Assessment:
    """The bus stops team's second assessment, counted from the imported incidents
    for the same 12 weeks before and after as the one entered by hand."""
    problem = Problem.objects.get(agency=agency, title=STOPS_TITLE)
    areas = {a.slug: a for a in Area.objects.filter(agency=agency)}
    response_on = today + dt.timedelta(days=TO_RESPONSE)
    target, control, buffer = (areas[slug] for slug in STOPS_AREAS)
    assessment = assessment_from_incidents(
        actor=actor,
        problem=problem,
        label=COUNTED_LABEL,
        offence="drugs",
        before_start=response_on - dt.timedelta(days=PERIOD),
        before_end=response_on - dt.timedelta(days=1),
        after_start=response_on,
        after_end=response_on + dt.timedelta(days=PERIOD - 1),
        target_area=target,
        control_area=control,
        buffer_area=buffer,
        buffer_control_area=areas[STOPS_BUFFER_CONTROL],
        conclusion=COUNTED_CONCLUSION,
    )
    backdate([assessment], moment(today, ASSESSED_DAY, 16))
    return assessment
