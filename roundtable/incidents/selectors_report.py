"""The CompStat period report and the weekly trend, for staff and (through
`selectors_public`) for the public.

Counts come from one grouped query per report: incidents by primary offence
with one conditional count per period window (current and a year earlier). The
group rows (crimes, violent, against persons …) are sums of the offence rows,
because every incident has exactly one primary offence and its group follows
from it; so the number of queries does not grow with the rows shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max, Q
from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.analytics.compstat import Change, Period, compare, periods
from roundtable.incidents import offences
from roundtable.incidents.labels import offence_filter_label
from roundtable.incidents.models import Incident
from roundtable.incidents.selectors_counts import incidents_in

# The group rows of the report, in the order shown, before the common offences.
GROUP_ROWS: tuple[str, ...] = (
    "crimes",
    "violent",
    "property-crime",
    "against-persons",
    "against-property",
    "against-society",
)
TREND_WEEKS = 52
# 52 weeks back keeps weekdays aligned, as the CompStat periods do.
YEAR_BACK = dt.timedelta(days=364)


@dataclass(frozen=True)
class Cell:
    """One period of one row: `current`/`prior` are None when withheld (public)."""

    period: str
    current: int | None
    prior: int | None
    change: Change | None


@dataclass(frozen=True)
class Row:
    key: str  # an offence filter name: a group or one common offence
    label: str
    is_group: bool
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class PeriodReport:
    as_of: dt.date
    periods: tuple[Period, ...]
    rows: tuple[Row, ...]
    area: Area | None


def latest_day(agency: Agency, *, public: bool = False) -> dt.date | None:
    """The latest day an incident of the agency occurred on (data may be historical)."""
    qs = Incident.objects.filter(agency=agency)
    if public:
        qs = qs.filter(sensitive=False)
    latest: dt.date | None = qs.aggregate(latest=Max("occurred_on"))["latest"]
    return latest


def default_as_of(agency: Agency, *, public: bool = False) -> dt.date:
    return latest_day(agency, public=public) or timezone.localdate()


def _windows(report_periods: tuple[Period, ...]) -> dict[str, tuple[dt.date, dt.date]]:
    windows: dict[str, tuple[dt.date, dt.date]] = {}
    for period in report_periods:
        windows[f"{period.key}__current"] = (period.start, period.end)
        windows[f"{period.key}__prior"] = (period.prior_start, period.prior_end)
    return windows


def offence_counts(
    *,
    agency: Agency,
    report_periods: tuple[Period, ...],
    area: Area | None = None,
    public: bool = False,
) -> dict[str, dict[str, int]]:
    """{offence code: {"<period>__current"|"<period>__prior": count}} in one query."""
    windows = _windows(report_periods)
    start = min(start for start, _end in windows.values())
    end = max(end for _start, end in windows.values())
    annotations = {
        name: Count("pk", filter=Q(occurred_on__gte=lo, occurred_on__lte=hi))
        for name, (lo, hi) in windows.items()
    }
    rows = (
        incidents_in(agency, area=area, start=start, end=end, public=public)
        .order_by()
        .values("offence")
        .annotate(**annotations)
    )
    return {row["offence"]: {name: row[name] for name in windows} for row in rows}


def row_totals(counts: dict[str, dict[str, int]], key: str, names: list[str]) -> dict[str, int]:
    """A row's counts: a group row sums the offence rows it holds."""
    totals = dict.fromkeys(names, 0)
    for code, by_window in counts.items():
        if offences.matches(code, key):
            for name in names:
                totals[name] += by_window[name]
    return totals


def report_keys(counts: dict[str, dict[str, int]]) -> list[str]:
    """The group rows, then the common offences that occur, in hierarchy order."""
    occurring = [o.code for o in offences.OFFENCES if any(counts.get(o.code, {}).values())]
    return [*GROUP_ROWS, *occurring]


@lru_cache(maxsize=4096)
def cached_compare(current: int, prior: int, current_days: int, prior_days: int) -> Change:
    """`compare`, remembered: a report repeats the same small pairs of counts many
    times, and each exact binomial test costs about a millisecond."""
    return compare(current, prior, current_days=current_days, prior_days=prior_days)


def period_change(period: Period, current: int, prior: int) -> Change:
    return cached_compare(
        current,
        prior,
        (period.end - period.start).days + 1,
        (period.prior_end - period.prior_start).days + 1,
    )


def _cell(period: Period, current: int, prior: int) -> Cell:
    change = period_change(period, current, prior)
    return Cell(period=period.key, current=current, prior=prior, change=change)


def period_report(
    *, agency: Agency, area: Area | None = None, as_of: dt.date | None = None
) -> PeriodReport:
    """Staff: every row, every period, every count (sensitive incidents included)."""
    as_of = as_of or default_as_of(agency)
    report_periods = periods(as_of)
    counts = offence_counts(agency=agency, report_periods=report_periods, area=area)
    names = list(_windows(report_periods))
    rows = []
    for key in report_keys(counts):
        totals = row_totals(counts, key, names)
        cells = tuple(
            _cell(p, totals[f"{p.key}__current"], totals[f"{p.key}__prior"]) for p in report_periods
        )
        rows.append(
            Row(key=key, label=offence_filter_label(key), is_group=key in GROUP_ROWS, cells=cells)
        )
    return PeriodReport(as_of=as_of, periods=report_periods, rows=tuple(rows), area=area)


@dataclass(frozen=True)
class Trend:
    offence: str
    week_ends: tuple[dt.date, ...]  # the last day of each week, oldest first
    current: tuple[int, ...]
    prior: tuple[int, ...]  # the same weeks 52 weeks earlier


def weekly_trend(
    *,
    agency: Agency,
    as_of: dt.date,
    area: Area | None = None,
    offence: str = "crimes",
    weeks: int = TREND_WEEKS,
    public: bool = False,
) -> Trend:
    """Counts per 7-day week ending on `as_of`, and the same weeks a year earlier (one query)."""
    first = as_of - dt.timedelta(days=7 * weeks - 1)
    by_day = dict(
        incidents_in(
            agency,
            offence=offence,
            area=area,
            start=first - YEAR_BACK,
            end=as_of,
            public=public,
        )
        .order_by()
        .values("occurred_on")
        .annotate(n=Count("pk"))
        .values_list("occurred_on", "n")
    )
    current = [0] * weeks
    prior = [0] * weeks
    for day, n in by_day.items():
        for series, shift in ((current, dt.timedelta(0)), (prior, YEAR_BACK)):
            index = (day + shift - first).days // 7
            if 0 <= index < weeks:
                series[index] += n
    week_ends = tuple(first + dt.timedelta(days=7 * i + 6) for i in range(weeks))
    return Trend(offence=offence, week_ends=week_ends, current=tuple(current), prior=tuple(prior))
