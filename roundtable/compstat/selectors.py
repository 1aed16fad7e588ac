"""The monthly CompStat360 meeting pack: what it holds, the months on offer, the
issued snapshots, and two months side by side.

`pack()` assembles the pack of one month for the whole jurisdiction or one
area, as of the month's last day (today, while the month runs): nothing dated
after that day is counted. Each part comes from its own app's selectors:

1. the CompStat period table (`incidents.selectors_report.period_report`,
   the staff report, so sensitive offences are counted as staff see them);
2. the chosen measures against target and trend (`measures.selectors.pack_series`);
3. survey scores with margins of error (`surveys.selectors_results`);
4. problem-solving teams, 5. the response ledger, 6. the meetings ahead
   (`selectors_work`).

Queries: a fixed number per part, plus a fixed number per survey answered in
the month (see tests/compstat/test_queries.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.compstat import months
from roundtable.compstat.models import MeetingPack
from roundtable.compstat.selectors_figures import (
    DimensionGroup,
    SurveyMonth,
    pack_measures,
    pack_surveys,
)
from roundtable.compstat.selectors_work import (
    LedgerFigures,
    ProblemProgress,
    pack_ledger,
    pack_meetings,
    pack_problems,
)
from roundtable.engagement.models import Event
from roundtable.incidents.selectors_report import Cell, PeriodReport, period_report
from roundtable.measures.selectors import MeasureSeries, Point, pack_series


@dataclass(frozen=True)
class Pack:
    agency: Agency
    area: Area | None
    month: dt.date  # the first day
    as_of: dt.date  # the figures run to the end of this day
    complete: bool  # the month has ended
    period_report: PeriodReport
    measures: list[DimensionGroup]
    surveys: list[SurveyMonth]
    problems: list[ProblemProgress]
    ledger: LedgerFigures
    meetings: list[Event]

    @property
    def key(self) -> str:
        return months.key(self.month)

    @property
    def overdue_actions(self) -> int:
        return sum(len(p.overdue) for p in self.problems)


def overdue_before(month: dt.date, today: dt.date) -> dt.date:
    """Actions and inputs due before this day and not done count as overdue: at the
    end of a past month, anything due on or before its last day; within the
    running month, anything due before today (as the team pages count)."""
    if months.has_ended(month, today):
        return months.last_day(month) + dt.timedelta(days=1)
    return today


def pack(
    *, agency: Agency, month: dt.date, area: Area | None, today: dt.date | None = None
) -> Pack:
    """The meeting pack of `month` (its first day) for `area` (None: everywhere)."""
    today = today or timezone.localdate()
    as_of = months.as_of(month, today)
    before = overdue_before(month, today)
    return Pack(
        agency=agency,
        area=area,
        month=month,
        as_of=as_of,
        complete=months.has_ended(month, today),
        period_report=period_report(agency=agency, area=area, as_of=as_of),
        measures=pack_measures(agency=agency, month=month, area=area),
        surveys=pack_surveys(agency=agency, month=month, area=area),
        problems=pack_problems(agency=agency, area=area, as_of=as_of, overdue_before=before),
        ledger=pack_ledger(
            agency=agency, area=area, month=month, as_of=as_of, overdue_before=before
        ),
        meetings=pack_meetings(agency=agency, area=area, as_of=as_of),
    )


# --- Issued packs and the months on offer ---


def issued_pack(
    *, agency: Agency, month: dt.date, area: Area | None, language: str
) -> MeetingPack | None:
    """The issued pack in `language`, else in the first language it was issued in."""
    found = list(
        MeetingPack.objects.filter(agency=agency, area=area, month=month)
        .select_related("issued_by")
        .order_by("pk")
    )
    return next((p for p in found if p.language == language), found[0] if found else None)


@dataclass(frozen=True)
class PackMonth:
    month: dt.date
    key: str
    issued: MeetingPack | None
    running: bool  # the current month, still under way


def pack_months(*, agency: Agency, area: Area | None, today: dt.date) -> list[PackMonth]:
    """The months with an issued pack for `area`, and the current and previous
    month, latest first (one query)."""
    issued: dict[dt.date, MeetingPack] = {}
    for one in (
        MeetingPack.objects.filter(agency=agency, area=area)
        .select_related("issued_by")
        .defer("html")
        .order_by("month", "pk")
    ):
        issued.setdefault(one.month, one)
    current = months.first_day(today)
    shown = set(issued) | {current, months.shift(current, -1)}
    return [
        PackMonth(
            month=month,
            key=months.key(month),
            issued=issued.get(month),
            running=month == current,
        )
        for month in sorted(shown, reverse=True)
    ]


# --- Two months side by side ---

COMPARED_PERIODS = ("28d", "ytd")


@dataclass(frozen=True)
class CompareCell:
    period: str
    first: Cell | None
    second: Cell | None


@dataclass(frozen=True)
class CompareRow:
    key: str
    label: str
    is_group: bool
    cells: list[CompareCell]


@dataclass(frozen=True)
class MeasurePair:
    public_id: str
    name: str
    unit: str
    unit_label: str
    frequency: str
    polarity: str
    target: float | None
    first: Point | None  # the latest figure as of each month
    second: Point | None
    difference: float | None  # second − first


@dataclass(frozen=True)
class Comparison:
    first_month: dt.date
    second_month: dt.date
    first_report: PeriodReport
    second_report: PeriodReport
    rows: list[CompareRow]
    measures: list[MeasurePair]


def _compare_rows(first: PeriodReport, second: PeriodReport) -> list[CompareRow]:
    def cells(report: PeriodReport) -> dict[str, dict[str, Cell]]:
        return {row.key: {cell.period: cell for cell in row.cells} for row in report.rows}

    a, b = cells(first), cells(second)
    labels = {row.key: (row.label, row.is_group) for row in (*first.rows, *second.rows)}
    keys = [row.key for row in first.rows]
    keys += [row.key for row in second.rows if row.key not in a]
    return [
        CompareRow(
            key=key,
            label=labels[key][0],
            is_group=labels[key][1],
            cells=[
                CompareCell(period, a.get(key, {}).get(period), b.get(key, {}).get(period))
                for period in COMPARED_PERIODS
            ],
        )
        for key in keys
    ]


def _measure_pairs(first: list[MeasureSeries], second: list[MeasureSeries]) -> list[MeasurePair]:
    """Each measure of either month, in the first month's order then the new ones."""
    earlier = {s.public_id: s for s in first}
    later = {s.public_id: s for s in second}
    pairs = []
    for public_id in [*earlier, *(key for key in later if key not in earlier)]:
        one = later.get(public_id) or earlier[public_id]
        a = earlier[public_id].latest if public_id in earlier else None
        b = later[public_id].latest if public_id in later else None
        difference = None
        if a is not None and b is not None and a.value is not None and b.value is not None:
            difference = b.value - a.value
        pairs.append(
            MeasurePair(
                public_id=public_id,
                name=one.name,
                unit=one.unit,
                unit_label=one.unit_label,
                frequency=one.frequency,
                polarity=one.polarity,
                target=one.target,
                first=a,
                second=b,
                difference=difference,
            )
        )
    return pairs


def comparison(
    *,
    agency: Agency,
    first: dt.date,
    second: dt.date,
    area: Area | None,
    today: dt.date | None = None,
) -> Comparison:
    """The period table and the measures of two months, each as of its own end."""
    today = today or timezone.localdate()
    first_report = period_report(agency=agency, area=area, as_of=months.as_of(first, today))
    second_report = period_report(agency=agency, area=area, as_of=months.as_of(second, today))
    return Comparison(
        first_month=first,
        second_month=second,
        first_report=first_report,
        second_report=second_report,
        rows=_compare_rows(first_report, second_report),
        measures=_measure_pairs(
            pack_series(agency=agency, month=first, area=area),
            pack_series(agency=agency, month=second, area=area),
        ),
    )
