"""The public dashboard, assembled from the open datasets and the public selectors.

One read, `dashboard(agency=…)`, gives everything the page shows: the measures
with their trends and charts, the published survey scores with margins of
error, "you said, we did" figures, the priorities and their decisions, the
problems and their progress, the upcoming meetings and the hot-spot map.

Every figure comes through the same path as the open data files: the
datasets' `rows` (checked by `disclosure.check_published`) or the public
selectors they are built on (measures' `public_series`, surveys'
`survey_results(public=True)`, the public hot-spot layer). Nothing here counts
or suppresses on its own.

The assembled dashboard is cached per agency and language for
ROUNDTABLE_DASHBOARD_CACHE_SECONDS: it is the page read most under load. It
holds only plain values (no model instances), so the cache stays small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import h3
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from roundtable.agencies.models import Agency
from roundtable.dashboard.map_svg import SpotMap, band_index, spot_map
from roundtable.disclosure import minimum_count
from roundtable.incidents import selectors_geo, selectors_public
from roundtable.incidents.selectors import area_names_at
from roundtable.incidents.selectors_layers import hot_cells_table
from roundtable.measures.charts import measure_chart
from roundtable.measures.periods import period_label
from roundtable.measures.selectors import MeasureSeries, public_series
from roundtable.opendata.dataset import Row
from roundtable.opendata.datasets_community import LEDGER, MEETINGS
from roundtable.opendata.datasets_priorities import DECISIONS, PRIORITIES, PROBLEMS
from roundtable.opendata.datasets_safety import (
    FINDINGS,
    HOTSPOT_OFFENCE,
    hotspot_since,
    public_hotspots,
)
from roundtable.opendata.datasets_surveys import public_results
from roundtable.surveys.charts import ScoreChart, score_chart
from roundtable.surveys.selectors_results import SurveyResults
from roundtable.surveys.texts import text_in

CACHE_PREFIX = "dashboard"
# How much of each list the dashboard shows; the full lists are a link away.
DECISIONS_SHOWN = 3
PROBLEMS_SHOWN = 6
MEETINGS_SHOWN = 5
SURVEYS_SHOWN = 3
HOT_CELLS_SHOWN = 10
# Measures: the last 13 months, enough to set the latest figure against a year
# earlier; the whole two years are in the open data.
MEASURE_MONTHS = 13
# The dashboard's area outlines: about 100 m of simplification is invisible at
# the map's size and keeps the page light on a phone.
MAP_TOLERANCE = 0.001


# --- Measures ---


@dataclass(frozen=True)
class Figure:
    period: str  # the period in words
    value: str  # the figure in words ("" when not published)
    suppressed: bool


@dataclass(frozen=True)
class MeasureCard:
    id: str
    name: str
    definition: str
    goal_name: str
    unit_label: str
    latest: str  # the latest figure in words, "" if none
    latest_period: str
    target: str
    on_target: bool | None
    trend: str  # against a year earlier (or the period before), in words
    chart: ScoreChart | None
    figures: list[Figure]


@dataclass(frozen=True)
class MeasureGroup:
    dimension: str
    name: str
    cards: list[MeasureCard]


def format_value(value: float | None, unit: str) -> str:
    """A figure in the measure's unit, in the reader's language ("" for none)."""
    if value is None:
        return ""
    places = 0 if unit in ("count", "score") or value == int(value) else 1
    number = number_format(round(value, places), decimal_pos=places, use_l10n=True)
    words = {
        "percent": _("%(value)s %%"),
        "per_1000": _("%(value)s per 1,000"),
        "days": _("%(value)s days"),
        "hours": _("%(value)s hours"),
    }
    return words[unit] % {"value": number} if unit in words else number


def _trend(series: MeasureSeries) -> str:
    latest = series.latest
    if latest is None or latest.value is None:
        return ""
    earlier, when = series.year_earlier, "year"
    if earlier is None or earlier.value is None:
        earlier, when = series.previous, "previous"
    if earlier is None or earlier.value is None:
        return ""
    then = format_value(earlier.value, series.unit)
    if latest.value > earlier.value:
        return (
            _("Up from %(value)s a year earlier")
            if when == "year"
            else _("Up from %(value)s the period before")
        ) % {"value": then}
    if latest.value < earlier.value:
        return (
            _("Down from %(value)s a year earlier")
            if when == "year"
            else _("Down from %(value)s the period before")
        ) % {"value": then}
    return _("The same as a year earlier") if when == "year" else _("The same as the period before")


def measure_card(series: MeasureSeries) -> MeasureCard:
    labels = [period_label(p.period_start, series.frequency) for p in series.points]
    latest = series.latest
    return MeasureCard(
        id=series.public_id,
        name=series.name,
        definition=series.definition,
        goal_name=series.goal_name,
        unit_label=series.unit_label,
        latest=format_value(latest.value if latest else None, series.unit),
        latest_period=period_label(latest.period_start, series.frequency) if latest else "",
        target=format_value(series.target, series.unit),
        on_target=series.on_target,
        trend=_trend(series),
        chart=measure_chart(series),
        figures=[
            Figure(period=label, value=format_value(p.value, series.unit), suppressed=p.suppressed)
            for label, p in zip(labels, series.points, strict=True)
            if p.value is not None or p.suppressed
        ],
    )


def measure_groups(agency: Agency) -> list[MeasureGroup]:
    groups: dict[str, MeasureGroup] = {}
    for series in public_series(agency=agency, months=MEASURE_MONTHS):
        group = groups.setdefault(
            series.dimension, MeasureGroup(series.dimension, series.dimension_name, [])
        )
        group.cards.append(measure_card(series))
    return list(groups.values())


# --- Surveys ---


@dataclass(frozen=True)
class Score:
    label: str
    value: float | None
    moe: float | None
    shown: bool
    reason: str


@dataclass(frozen=True)
class SurveyBlock:
    id: str
    title: str
    url: str
    period: str  # the latest period with a published figure
    respondents: int | None  # rounded to 5; None: fewer than the minimum
    scores: list[Score]
    chart: ScoreChart | None
    labels: list[str]  # score labels, for the table's header
    table: list[tuple[str, list[Score]]]  # period, scores


def _score(label: str, estimate: Any) -> Score:
    if estimate is None:
        return Score(label, None, None, False, "few")
    return Score(label, estimate.value, estimate.moe, estimate.shown, estimate.reason)


def survey_block(results: SurveyResults, url: str, language: str) -> SurveyBlock | None:
    periods = results.periods
    if not periods:
        return None
    keys = results.score_keys
    latest = next(
        (p for p in reversed(periods) if any(e.shown for e in p.overall.values())), periods[-1]
    )
    chart = score_chart(
        [p.label for p in periods],
        [
            (
                key,
                label,
                [
                    p.overall[key].value if key in p.overall and p.overall[key].shown else None
                    for p in periods
                ],
            )
            for key, label in keys
        ],
    )
    return SurveyBlock(
        id=f"survey-{results.survey.pk}",
        title=text_in(results.survey.title, language),
        url=url,
        period=latest.label,
        respondents=latest.weighting.respondents if latest.weighting else None,
        scores=[_score(label, latest.overall.get(key)) for key, label in keys],
        chart=chart,
        labels=[label for _key, label in keys],
        table=[
            (p.label, [_score(label, p.overall.get(key)) for key, label in keys])
            for p in reversed(periods)
        ],
    )


def survey_blocks(agency: Agency, language: str) -> list[SurveyBlock]:
    blocks = []
    for results in public_results(agency, limit=SURVEYS_SHOWN):
        url = reverse("surveys_public:results", args=[agency.slug, results.survey.pk])
        block = survey_block(results, url, language)
        if block is not None:
            blocks.append(block)
    return blocks


# --- Ledger, priorities, problems, meetings: the datasets' rows ---


@dataclass(frozen=True)
class Ledger:
    overall: Row
    by_topic: list[Row]
    by_area: list[Row]
    since: dt.date


def ledger(agency: Agency) -> Ledger:
    rows = LEDGER.rows(agency)
    overall = next(r for r in rows if r["breakdown"] == "overall")
    return Ledger(
        overall=overall,
        by_topic=[r for r in rows if r["breakdown"] == "topic"],
        by_area=[r for r in rows if r["breakdown"] == "area"],
        since=dt.date.fromisoformat(overall["since"]),
    )


@dataclass(frozen=True)
class DecisionItem:
    title: str
    decided_on: dt.date
    url: str
    priorities: list[Row]  # title, inputs (None: fewer than the minimum)


def decisions(agency: Agency) -> list[DecisionItem]:
    priorities = PRIORITIES.rows(agency)
    return [
        DecisionItem(
            title=row["title"],
            decided_on=dt.date.fromisoformat(row["decided_on"]),
            url=row["url"],
            priorities=[p for p in priorities if p["decision"] == row["id"]],
        )
        for row in DECISIONS.rows(agency)[:DECISIONS_SHOWN]
    ]


def _with_dates(rows: list[Row], *names: str) -> list[Row]:
    out = []
    for row in rows:
        parsed = {
            name: (dt.datetime if "T" in str(row[name]) else dt.date).fromisoformat(row[name])
            for name in names
            if row[name]
        }
        out.append({**row, **parsed})
    return out


# --- The map ---


@dataclass(frozen=True)
class Band:
    index: int  # the map's shade (dashboard.css rt-db-band-<index>)
    label: str  # "10 to 24", "100 or more"
    areas: list[str]  # the public areas its cells lie in


@dataclass(frozen=True)
class HotSpots:
    since: dt.date
    picture: SpotMap | None
    bands: list[Band]  # the map's legend, and its table
    cells: list[dict[str, Any]]  # the hot and cold spots' table: bin, band, area names


def band_words(band: Sequence[int | None] | None) -> str:
    if not band or band[0] is None:
        return ""
    if band[1] is None:
        return _("%(low)s or more") % {"low": band[0]}
    return _("%(low)s to %(high)s") % {"low": band[0], "high": band[1]}


def _cell_title(bin_: int, band: Sequence[int | None] | None) -> str:
    finding = str(FINDINGS.get(bin_, ""))
    words = band_words(band)
    if not words:
        return finding
    return _("%(finding)s; incidents: %(band)s") % {"finding": finding, "band": words}


def _bands(agency: Agency, layer: dict[str, Any], kind: str | None) -> list[Band]:
    """The map's bands, each with the public areas its cells lie in (by the cell's
    centre): the words for what the shading shows."""
    banded = [
        (band_index(f["properties"].get("band")), f["properties"])
        for f in layer.get("features", [])
        if band_index(f.get("properties", {}).get("band")) is not None
    ]
    centres = [h3.cell_to_latlng(str(p["h3"])) for _i, p in banded]
    names = area_names_at(agency, centres, kind=kind) if kind else [[] for _c in centres]
    labels: dict[int, str] = {}
    areas: dict[int, set[str]] = {}
    for (index, properties), where in zip(banded, names, strict=True):
        assert index is not None
        labels[index] = band_words(properties.get("band"))
        areas.setdefault(index, set()).update(where)
    return [Band(i, labels[i], sorted(areas[i])) for i in sorted(labels)]


def hot_spots(agency: Agency) -> HotSpots:
    since = hotspot_since(agency)
    layer = public_hotspots(agency)
    kind = selectors_public.public_kind(agency)
    areas = (
        selectors_geo.areas_geojson(agency, kinds=[kind], tolerance=MAP_TOLERANCE)
        if kind
        else {"features": []}
    )
    cells = hot_cells_table(agency, layer, offence=HOTSPOT_OFFENCE, since=since, public=True)
    return HotSpots(
        since=since,
        picture=spot_map(layer, areas, cell_title=_cell_title),
        bands=_bands(agency, layer, kind),
        cells=cells[:HOT_CELLS_SHOWN],
    )


# --- The whole ---


@dataclass(frozen=True)
class Dashboard:
    agency_name: str
    language: str
    small_cell: int
    survey_minimum: int
    measures: list[MeasureGroup]
    surveys: list[SurveyBlock]
    ledger: Ledger
    decisions: list[DecisionItem]
    problems: list[Row]
    meetings: list[Row]
    hot_spots: HotSpots
    built_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(tz=dt.UTC))


def assemble(*, agency: Agency) -> Dashboard:
    """The dashboard for the agency in the active language, computed now."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return Dashboard(
        agency_name=agency.name,
        language=language,
        small_cell=minimum_count("count"),
        survey_minimum=minimum_count("respondents"),
        measures=measure_groups(agency),
        surveys=survey_blocks(agency, language),
        ledger=ledger(agency),
        decisions=decisions(agency),
        problems=_with_dates(PROBLEMS.rows(agency)[:PROBLEMS_SHOWN], "stage_since"),
        meetings=_with_dates(MEETINGS.rows(agency)[:MEETINGS_SHOWN], "starts_at", "ends_at"),
        hot_spots=hot_spots(agency),
    )


def cache_key(agency: Agency, language: str) -> str:
    return f"{CACHE_PREFIX}:{agency.pk}:{language}"


def dashboard(*, agency: Agency) -> Dashboard:
    """The dashboard from the cache when it is fresh, else assembled and cached."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = cache_key(agency, language)
    found: Dashboard | None = cache.get(key)
    if found is None:
        found = assemble(agency=agency)
        cache.set(key, found, settings.ROUNDTABLE_DASHBOARD_CACHE_SECONDS)
    return found
