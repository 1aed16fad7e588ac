"""Figures as people write them: checking one, and reading a CSV file of them.

One checker (`figure_problems`) serves the staff form, the CSV import and the
partner's form and file, so a figure is held to the same rules however it
comes in. Reading files reuses the Community Map's reader
(`stakeholders.tabular.read_table`): CSV or xlsx, a byte-order mark, CR line
ends and ;-separated files from Excel in Spanish are all fine, and line numbers
are spreadsheet rows (the header is line 1).

The file's columns: measure, period, area, value, count, base.
- measure: the measure's identifier (its catalogue key, or custom-<n>) or its name;
  a partner's file for one measure may leave the column out;
- period: 2026-10 (monthly), 2026-Q4 (quarterly) or 2026 (yearly);
- area: the area's short name or name, blank for the whole jurisdiction;
- value: the figure; a decimal comma is read as a decimal point (12,5);
- count and base (optional): the count of people or events behind a rate or
  share, and its base, so that public pages can withhold small cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.agencies.models import Area
from roundtable.measures.models import Measure, Unit
from roundtable.measures.periods import PeriodError, example, parse_period
from roundtable.measures.texts import measure_name, public_id
from roundtable.stakeholders.tabular import Problem, defuse_cell, read_table

COLUMNS = ("measure", "period", "area", "value", "count", "base")
REQUIRED = ("measure", "period", "value")
PARTNER_REQUIRED = ("period", "value")
# A guard against a wrong file, far above a real one (24 months × 100 areas × 40 measures).
MAX_ROWS = 100_000

_THOUSANDS = re.compile(r"^\d{1,3}([,. ]\d{3})+$")


@dataclass(frozen=True)
class Figure:
    """One figure as a form or a caller gives it, for a measure known from elsewhere."""

    period_start: dt.date
    value: float
    area: Area | None = None
    numerator: int | None = None
    denominator: int | None = None


@dataclass(frozen=True)
class FigureRow:
    """A checked figure, ready to write."""

    line: int | None
    measure: Measure
    period_start: dt.date
    area: Area | None
    value: float
    numerator: int | None
    denominator: int | None

    @property
    def key(self) -> tuple[int, dt.date, int | None]:
        return (self.measure.pk, self.period_start, self.area.pk if self.area else None)

    def as_json(self) -> dict[str, object]:
        """As PartnerSubmission.rows keeps it."""
        return {
            "period": self.period_start.isoformat(),
            "area": self.area.pk if self.area else None,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }


def figure_problems(
    *,
    measure: Measure,
    period_start: dt.date,
    area: Area | None,
    value: float,
    numerator: int | None,
    denominator: int | None,
    today: dt.date | None = None,
) -> dict[str, str]:
    """What is wrong with one figure, by field ("period", "area", "value", "count", "base")."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if period_start > today:
        errors["period"] = _("This period has not started yet.")
    if area is not None:
        if area.agency_id != measure.agency_id:
            errors["area"] = _("This is not one of the agency's areas.")
        elif not measure.by_area:
            errors["area"] = _(
                "This measure has figures for the whole jurisdiction only: leave the area blank."
            )
    if not math.isfinite(value):
        errors["value"] = _("Enter a number.")
    elif measure.unit in (Unit.PERCENT, Unit.SCORE) and not 0 <= value <= 100:
        errors["value"] = _("A percentage or a score is between 0 and 100.")
    elif measure.unit == Unit.COUNT and (value < 0 or not float(value).is_integer()):
        errors["value"] = _("A count is a whole number, 0 or more.")
    elif measure.unit in (Unit.DAYS, Unit.HOURS, Unit.PER_1000) and value < 0:
        errors["value"] = _("This figure cannot be negative.")
    if numerator is not None and numerator < 0:
        errors["count"] = _("A count is a whole number, 0 or more.")
    if denominator is not None and denominator < 0:
        errors["base"] = _("A base is a whole number, 0 or more.")
    if (
        numerator is not None
        and denominator is not None
        and numerator > denominator
        and "count" not in errors
    ):
        errors["count"] = _("The count cannot be larger than its base.")
    if (
        measure.unit == Unit.COUNT
        and numerator is not None
        and "value" not in errors
        and numerator != value
    ):
        errors["count"] = _("For a count, leave the count blank or give the value again.")
    return errors


def parse_number(text: str) -> float:
    """A figure as written: 12, 12.5, 12,5 (decimal comma), 1,234.5 or 1.234,5."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in value and "." in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        value = value.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif value.count(",") == 1:
        value = value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        raise ValueError(_("%(value)s is not a number.") % {"value": text.strip()}) from None


def parse_whole(text: str) -> int | None:
    """A count or base: blank is None; 1,234 and 1.234 are thousands."""
    value = text.strip().replace("\u00a0", "")
    if not value:
        return None
    if _THOUSANDS.match(value):
        value = re.sub(r"[,. ]", "", value)
    try:
        number = float(value) if "." in value else int(value)
    except ValueError:
        raise ValueError(_("%(value)s is not a whole number.") % {"value": text.strip()}) from None
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError(_("%(value)s is not a whole number.") % {"value": text.strip()})
        number = int(number)
    return number


class Lookup:
    """The agency's measures and areas by every name a file may use for them."""

    def __init__(self, measures: Iterable[Measure], areas: Iterable[Area]) -> None:
        self.measures: dict[str, Measure] = {}
        for measure in measures:
            for name in (public_id(measure), measure.name, measure_name(measure)):
                if name:
                    self.measures.setdefault(name.strip().casefold(), measure)
        self.areas: dict[str, Area] = {}
        for area in areas:
            for name in (area.slug, area.name):
                self.areas.setdefault(name.strip().casefold(), area)

    def measure(self, text: str) -> Measure | None:
        return self.measures.get(text.strip().casefold())

    def area(self, text: str) -> Area | None:
        return self.areas.get(text.strip().casefold())


@dataclass
class ReadFigures:
    rows: list[FigureRow]
    problems: list[Problem]


def read_figures(
    data: bytes,
    filename: str,
    *,
    lookup: Lookup,
    measure: Measure | None = None,
    accept: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> ReadFigures:
    """Every row of the file checked; `problems` lists each wrong one (line and
    column). With `measure` (a partner's file), the measure column may be left
    out, and a row naming another measure is wrong. `accept` maps source
    values refused to the reason (a computed measure cannot be imported)."""
    table = read_table(
        data,
        filename,
        known_columns=COLUMNS,
        required_columns=PARTNER_REQUIRED if measure is not None else REQUIRED,
        max_columns=len(COLUMNS) * 2,
    )
    if table.problems:
        return ReadFigures([], table.problems)
    problems = list(table.row_problems)
    rows: list[FigureRow] = []
    seen: dict[tuple[int, dt.date, int | None], int] = {}
    if not table.rows and not problems:
        problems.append(Problem(None, "", _("The file has no figures.")))
    if len(table.rows) > MAX_ROWS:
        return ReadFigures(
            [],
            [Problem(None, "", _("Import at most %(max)d figures at a time.") % {"max": MAX_ROWS})],
        )
    for row in table.rows:
        cells = row.cells

        def fail(column: str, reason: str, line: int = row.line) -> None:
            problems.append(Problem(line, column, reason))

        # The measure.
        named = cells.get("measure", "")
        if measure is not None and not named:
            found: Measure | None = measure
        else:
            found = lookup.measure(named) if named else None
            if not named:
                fail("measure", _("Name the measure."))
                continue
            if found is None:
                fail("measure", _("No measure of the agency is called %(name)s.") % {"name": named})
                continue
            if measure is not None and found.pk != measure.pk:
                fail(
                    "measure",
                    _("This file is for %(name)s only.") % {"name": measure_name(measure)},
                )
                continue
        assert found is not None
        if not found.active:
            fail(
                "measure", _("%(name)s is no longer in use.") % {"name": named or public_id(found)}
            )
            continue
        if accept is not None and found.source in accept:
            fail("measure", accept[found.source])
            continue
        # The period, area and numbers.
        try:
            start = parse_period(cells.get("period", ""), found.frequency)
        except PeriodError as error:
            fail("period", str(error))
            continue
        area: Area | None = None
        area_text = cells.get("area", "")
        if area_text:
            area = lookup.area(area_text)
            if area is None:
                fail("area", _("No area of the agency is called %(name)s.") % {"name": area_text})
                continue
        try:
            value_text = cells.get("value", "")
            if not value_text:
                raise ValueError(_("The value is missing."))
            value = parse_number(value_text)
        except ValueError as error:
            fail("value", str(error))
            continue
        try:
            numerator = parse_whole(cells.get("count", ""))
        except ValueError as error:
            fail("count", str(error))
            continue
        try:
            denominator = parse_whole(cells.get("base", ""))
        except ValueError as error:
            fail("base", str(error))
            continue
        errors = figure_problems(
            measure=found,
            period_start=start,
            area=area,
            value=value,
            numerator=numerator,
            denominator=denominator,
            today=today,
        )
        if errors:
            for column, reason in errors.items():
                fail(column, reason)
            continue
        figure = FigureRow(row.line, found, start, area, value, numerator, denominator)
        if figure.key in seen:
            fail(
                "",
                _("The same measure, period and area are on line %(line)d already.")
                % {"line": seen[figure.key]},
            )
            continue
        seen[figure.key] = row.line
        rows.append(figure)
    problems.sort(
        key=lambda p: (p.line or 0, COLUMNS.index(p.column) if p.column in COLUMNS else -1)
    )
    return ReadFigures([] if problems else rows, problems)


def template_csv(measures: Iterable[Measure]) -> str:
    """A file to fill in: the header and one example row per measure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for measure in measures:
        cells = [public_id(measure), example(measure.frequency), "", "", "", ""]
        writer.writerow([defuse_cell(cell) for cell in cells])
    return buffer.getvalue()
