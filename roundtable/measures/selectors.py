"""Reading measures as series: the public dashboard's and open data's, the meeting pack's.

- `public_series`: active, published measures (never internal ones), one series
  each for the whole jurisdiction, disclosure applied;
- `public_area_series`: the per-area series of published measures kept by area,
  disclosure applied;
- `pack_series`: staff, for the meeting pack: every active measure (internal
  ones too), figures of periods that ended by the end of `month` only, no
  suppression;
- `goal_coverage`: per catalogue goal, the measures chosen and whether it lacks one.

Disclosure (`roundtable.disclosure`, the one layer for public figures), per
measure and period, in `selectors_disclosure`, for measures whose figures are
about people (`texts.counts_people`; counts of meetings or inspections are
published as they are):
- a figure with a count behind it (`numerator`) from 1 to the minimum − 1 is
  withheld; so is one whose base (`denominator`) is that small, and a percentage
  whose complement (base − count) is;
- COUNT measures are additive: the areas of each kind add up to the overall
  figure, and an area's children to it (with what a sum leaves over as a
  cell of its own, never published), so cells are withheld together with
  `protect_counts` (complementary suppression) until no withheld count can be
  recovered by subtraction. The overall figure may be withheld too, on the
  jurisdiction's series as well, so no page shows what another hides;
- measures computed from incidents are protected over time as well: the
  public safety report's year to date, less its last month, is a known sum
  of the months before (this year and last, overall and per area);
- internal measures (`texts.is_internal`: officer wellbeing, measures of the
  officers' own survey) are never public, whatever their `is_public` says.

Queries: a fixed number per call (measures, areas, the latest period, values),
whatever the number of measures, areas and periods.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.incidents.selectors_report import default_as_of
from roundtable.measures import catalogue
from roundtable.measures.models import Measure, MeasureValue, Polarity, Source
from roundtable.measures.periods import add_months, next_period, periods_between
from roundtable.measures.selectors_disclosure import Cell, withheld_in_table
from roundtable.measures.texts import (
    counts_people,
    dimension_name,
    dimension_of,
    goal_name,
    indicator_name,
    is_internal,
    measure_definition,
    measure_name,
    public_id,
)

__all__ = [
    "GoalCoverage",
    "MeasureSeries",
    "Point",
    "goal_coverage",
    "pack_series",
    "public_area_series",
    "public_series",
]


@dataclass(frozen=True)
class Point:
    """One figure of a series."""

    period_start: dt.date
    value: float | None  # None: not published (suppressed) or missing
    suppressed: bool  # True: withheld for disclosure (public only)


@dataclass(frozen=True)
class MeasureSeries:
    measure: Measure
    public_id: str  # stable identifier: the catalogue key, or f"custom-{pk}"
    name: str
    definition: str  # in the active language
    dimension: str
    dimension_name: str
    goal: str
    goal_name: str
    indicator_name: str
    unit: str
    unit_label: str
    polarity: str
    frequency: str
    target: float | None
    source: str
    source_label: str
    partner_name: str
    area: Area | None  # None: whole jurisdiction
    points: list[Point]  # oldest first
    latest: Point | None  # the last published point
    previous: Point | None  # the point before it
    year_earlier: Point | None
    on_target: bool | None  # latest vs target with polarity; None without target/value
    # Whether the figures are about people (small ones withheld in public);
    # False for counts of meetings, inspections and the like.
    counts_people: bool


@dataclass(frozen=True)
class GoalCoverage:
    goal: str
    goal_name: str
    description: str
    dimension: str
    dimension_name: str
    measures: list[Measure]  # the agency's active measures under this goal
    warning: bool  # no measure chosen: the framework asks for at least one per goal


def on_target(value: float | None, target: float | None, polarity: str) -> bool | None:
    if value is None or target is None:
        return None
    if polarity == Polarity.HIGHER_IS_BETTER:
        return value >= target
    if polarity == Polarity.LOWER_IS_BETTER:
        return value <= target
    return None


def build_series(
    measure: Measure,
    area: Area | None,
    starts: Sequence[dt.date],
    figures: dict[dt.date, float],
    withheld: Iterable[dt.date] = (),
) -> MeasureSeries:
    """A series over `starts` (oldest first) from the published `figures`."""
    hidden = set(withheld)
    points = [
        Point(
            period_start=start,
            value=None if start in hidden else figures.get(start),
            suppressed=start in hidden,
        )
        for start in starts
    ]
    by_start = {p.period_start: p for p in points}
    latest = next((p for p in reversed(points) if p.value is not None), None)
    previous = year_earlier = None
    if latest is not None:
        index = points.index(latest)
        previous = points[index - 1] if index > 0 else None
        year_earlier = by_start.get(add_months(latest.period_start, -12))
    return MeasureSeries(
        measure=measure,
        public_id=public_id(measure),
        name=measure_name(measure),
        definition=measure_definition(measure),
        dimension=dimension_of(measure.goal),
        dimension_name=dimension_name(dimension_of(measure.goal)),
        goal=measure.goal,
        goal_name=goal_name(measure.goal),
        indicator_name=indicator_name(measure.indicator),
        unit=measure.unit,
        unit_label=str(measure.get_unit_display()),
        polarity=measure.polarity,
        frequency=measure.frequency,
        target=measure.target,
        source=measure.source,
        source_label=str(measure.get_source_display()),
        partner_name=measure.partner.name if measure.partner else "",
        area=area,
        points=points,
        latest=latest,
        previous=previous,
        year_earlier=year_earlier,
        on_target=on_target(latest.value if latest else None, measure.target, measure.polarity),
        counts_people=counts_people(measure),
    )


def in_catalogue_order(measures: Iterable[Measure]) -> list[Measure]:
    goal_order = {key: i for i, key in enumerate(catalogue.GOALS)}
    indicator_order = {key: i for i, key in enumerate(catalogue.INDICATORS)}
    measure_order = {key: i for i, key in enumerate(catalogue.MEASURES)}
    return sorted(
        measures,
        key=lambda m: (
            goal_order.get(m.goal, len(goal_order)),
            indicator_order.get(m.indicator, len(indicator_order)),
            measure_order.get(m.catalogue_key, len(measure_order)),
            m.pk,
        ),
    )


def period_window(measure: Measure, last_month: dt.date, months: int) -> list[dt.date]:
    """The periods of the measure that overlap the `months` months up to
    `last_month` (a quarter or year that began a little earlier included, so a
    yearly measure still shows last year beside this one)."""
    first = add_months(last_month, -(months - 1))
    return periods_between(first, last_month, measure.frequency)


# --- Public ---


def _public_measures(agency: Agency) -> list[Measure]:
    measures = Measure.objects.filter(agency=agency, active=True, is_public=True).select_related(
        "partner"
    )
    return in_catalogue_order(m for m in measures if not is_internal(m))


def _last_month(values: QuerySet[MeasureValue]) -> dt.date:
    """The month the public window ends: that of the latest figure, never after
    this month (a historical data set still shows its last two years)."""
    this_month = timezone.localdate().replace(day=1)
    latest: dt.date | None = values.aggregate(latest=Max("period_start"))["latest"]
    return min(latest.replace(day=1), this_month) if latest else this_month


@dataclass
class _PublicTables:
    measures: list[Measure]
    windows: dict[int, list[dt.date]]
    areas: dict[int, Area]
    figures: dict[tuple[int, int | None], dict[dt.date, float]]  # (measure, area) → period → value
    withheld: dict[tuple[int, int | None], set[dt.date]]


def is_incident_count(measure: Measure) -> bool:
    """A measure computed from incidents: the public safety report publishes
    its year-to-date totals too (`selectors_disclosure.withheld_in_table`)."""
    return measure.source == Source.COMPUTED and measure.computation.startswith("incidents.")


def year_to_date_runs(measure: Measure, as_of: dt.date) -> list[list[dt.date]]:
    """The periods whose sum the public safety report gives away, as of
    `as_of` (its last day): for this year and the one before, the periods
    wholly in the months before as_of's (its year to date minus the current
    month, which the measure shows beside it)."""
    runs = []
    for year in (as_of.year, as_of.year - 1):
        end = dt.date(year, as_of.month, 1)
        starts = periods_between(dt.date(year, 1, 1), end, measure.frequency)
        run = [s for s in starts if next_period(s, measure.frequency) <= end]
        if run:
            runs.append(run)
    return runs


def _public_tables(agency: Agency, months: int) -> _PublicTables:
    measures = _public_measures(agency)
    values = MeasureValue.objects.filter(measure__in=[m.pk for m in measures])
    last_month = _last_month(values)
    windows = {m.pk: period_window(m, last_month, months) for m in measures}
    first = min((w[0] for w in windows.values() if w), default=last_month)
    runs: dict[int, list[list[dt.date]]] = {}
    if any(is_incident_count(m) for m in measures):
        as_of = default_as_of(agency, public=True)
        runs = {m.pk: year_to_date_runs(m, as_of) for m in measures if is_incident_count(m)}
        first = min([first, *(run[0] for found in runs.values() for run in found)])
    areas = {a.pk: a for a in Area.objects.filter(agency=agency).order_by("name", "pk")}
    by_area = {m.pk for m in measures if m.by_area}
    cells: dict[int, dict[dt.date, dict[int | None, Cell]]] = defaultdict(lambda: defaultdict(dict))
    rows = values.filter(period_start__gte=first, period_start__lte=last_month).values_list(
        "measure_id", "period_start", "area_id", "value", "numerator", "denominator"
    )
    for measure_id, start, area_id, value, numerator, denominator in rows:
        if area_id is not None and measure_id not in by_area:
            continue
        cells[measure_id][start][area_id] = Cell(value, numerator, denominator)
    figures: dict[tuple[int, int | None], dict[dt.date, float]] = defaultdict(dict)
    withheld: dict[tuple[int, int | None], set[dt.date]] = defaultdict(set)
    for measure in measures:
        window = set(windows[measure.pk])
        about_people = counts_people(measure)
        known = runs.get(measure.pk, [])
        wanted = window | {start for run in known for start in run}
        table = {s: c for s, c in cells[measure.pk].items() if s in wanted}
        hidden = withheld_in_table(
            measure.unit,
            table,
            areas,
            counts_people=about_people,
            known_sums=known,
            unpublished=set(table) - window,
        )
        for start, period_cells in table.items():
            if start not in window:
                continue
            for cell_area, cell in period_cells.items():
                key = (measure.pk, cell_area)
                if cell_area in hidden[start]:
                    withheld[key].add(start)
                else:
                    figures[key][start] = cell.value
    return _PublicTables(measures, windows, areas, figures, withheld)


def public_series(*, agency: Agency, months: int = 24) -> list[MeasureSeries]:
    """Active, published measures (never internal ones), for the whole
    jurisdiction, over the `months` months up to the latest figure (at most
    this month), disclosure applied. In catalogue order."""
    tables = _public_tables(agency, months)
    return [
        build_series(
            measure,
            None,
            tables.windows[measure.pk],
            tables.figures.get((measure.pk, None), {}),
            tables.withheld.get((measure.pk, None), ()),
        )
        for measure in tables.measures
    ]


def public_area_series(*, agency: Agency, months: int = 24) -> list[MeasureSeries]:
    """The per-area series of published measures kept by area, disclosure
    applied (complementary suppression across areas and the overall figure for
    COUNT measures). Areas with no figure in the window are left out. In
    catalogue order, then by area name."""
    tables = _public_tables(agency, months)
    out = []
    for measure in tables.measures:
        if not measure.by_area:
            continue
        for area_id, area in tables.areas.items():
            key = (measure.pk, area_id)
            if key not in tables.figures and key not in tables.withheld:
                continue
            out.append(
                build_series(
                    measure,
                    area,
                    tables.windows[measure.pk],
                    tables.figures.get(key, {}),
                    tables.withheld.get(key, ()),
                )
            )
    return out


# --- Staff ---


def pack_series(
    *, agency: Agency, month: dt.date, area: Area | None, months: int = 13
) -> list[MeasureSeries]:
    """Every active measure (internal ones too), for the meeting pack of `month`:
    the periods that ended by the end of `month` within the `months` months up
    to it (a quarter shows once it is over), figures as recorded (staff: no
    suppression), for `area` or the whole jurisdiction.

    With an area, measures kept by area give that area's series; the others
    give the jurisdiction's (their series' `area` is None, so the pack can say so).
    """
    month = month.replace(day=1)
    measures = in_catalogue_order(
        Measure.objects.filter(agency=agency, active=True).select_related("partner")
    )
    windows = {
        m.pk: [
            s
            for s in period_window(m, month, months)
            if next_period(s, m.frequency) <= add_months(month, 1)
        ]
        for m in measures
    }
    first = min((w[0] for w in windows.values() if w), default=month)
    values = MeasureValue.objects.filter(
        measure__in=[m.pk for m in measures], period_start__gte=first, period_start__lte=month
    )
    wanted_area = {m.pk: (area if area is not None and m.by_area else None) for m in measures}
    figures: dict[int, dict[dt.date, float]] = defaultdict(dict)
    for measure_id, start, area_id, value in values.values_list(
        "measure_id", "period_start", "area_id", "value"
    ):
        chosen = wanted_area[measure_id]
        if area_id == (chosen.pk if chosen else None):
            figures[measure_id][start] = value
    return [
        build_series(measure, wanted_area[measure.pk], windows[measure.pk], figures[measure.pk])
        for measure in measures
    ]


def goal_coverage(*, agency: Agency) -> list[GoalCoverage]:
    """Every catalogue goal, in order, with the agency's active measures under it
    and a warning when it has none (the framework asks for one per goal). One query."""
    chosen: dict[str, list[Measure]] = defaultdict(list)
    for measure in in_catalogue_order(
        Measure.objects.filter(agency=agency, active=True).select_related("partner")
    ):
        chosen[measure.goal].append(measure)
    return [
        GoalCoverage(
            goal=goal.key,
            goal_name=str(goal.name),
            description=str(goal.description),
            dimension=goal.dimension,
            dimension_name=dimension_name(goal.dimension),
            measures=chosen.get(goal.key, []),
            warning=not chosen.get(goal.key),
        )
        for goal in catalogue.GOALS.values()
    ]


def goals_without_measures(*, agency: Agency) -> list[GoalCoverage]:
    return [g for g in goal_coverage(agency=agency) if g.warning]
