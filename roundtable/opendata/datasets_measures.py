"""Open data of the CompStat360 measures: their definitions and their figures.

Built from `measures.selectors.public_series` and `public_area_series`, which
hold only active, published measures (never internal ones such as officer
wellness) and withhold small counts, with complementary suppression across
areas for count measures. A withheld figure is a row with no value and
`suppressed` true, so a reader can tell "not published" from "not collected".
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency
from roundtable.disclosure import check_published
from roundtable.measures.models import MeasureValue, Unit
from roundtable.measures.selectors import MeasureSeries, Point, public_area_series, public_series
from roundtable.opendata.dataset import (
    ALL_AREAS,
    BOOLEAN,
    DATE,
    NUMBER,
    STRING,
    Dataset,
    Field,
    Row,
    iso,
    month_id,
)

MONTHS = 24


def _value(point: Point | None) -> float | None:
    return None if point is None else point.value


def _period(point: Point | None) -> str | None:
    return None if point is None else iso(point.period_start)


def measure_rows(agency: Agency) -> list[Row]:
    rows = []
    about_people: set[str] = set()
    for series in public_series(agency=agency, months=MONTHS):
        if series.counts_people:
            about_people.add(series.public_id)
        rows.append(
            {
                "id": series.public_id,
                "name": series.name,
                "definition": series.definition,
                "dimension": series.dimension,
                "dimension_name": series.dimension_name,
                "goal": series.goal,
                "goal_name": series.goal_name,
                "indicator_name": series.indicator_name,
                "unit": series.unit,
                "unit_label": series.unit_label,
                "polarity": series.polarity,
                "frequency": series.frequency,
                "target": series.target,
                "source": series.source,
                "source_label": series.source_label,
                "partner": series.partner_name,
                "latest_period": _period(series.latest),
                "latest_value": _value(series.latest),
                "previous_value": _value(series.previous),
                "year_earlier_value": _value(series.year_earlier),
                "on_target": series.on_target,
            }
        )
    # A count measure's figures about people are checked like any count (counts of
    # meetings or inspections disclose nobody: published as they are).
    counts = [r for r in rows if r["unit"] == Unit.COUNT and r["id"] in about_people]
    check_published(counts, count_fields=["latest_value", "previous_value", "year_earlier_value"])
    return rows


def _value_rows(series: MeasureSeries) -> list[Row]:
    area_id = series.area.slug if series.area is not None else ALL_AREAS
    return [
        {
            "id": f"{series.public_id}/{month_id(point.period_start)}/{area_id}",
            "measure": series.public_id,
            "measure_name": series.name,
            "period_start": iso(point.period_start),
            "frequency": series.frequency,
            "area": "" if series.area is None else series.area.slug,
            "area_name": "" if series.area is None else series.area.name,
            "value": point.value,
            "suppressed": point.suppressed,
            "unit": series.unit,
        }
        for point in series.points
        # A period with no figure at all is left out; a withheld one is kept.
        if point.value is not None or point.suppressed
    ]


def value_rows(agency: Agency) -> list[Row]:
    rows = []
    about_people: set[str] = set()
    for series in [
        *public_series(agency=agency, months=MONTHS),
        *public_area_series(agency=agency, months=MONTHS),
    ]:
        rows.extend(_value_rows(series))
        if series.counts_people:
            about_people.add(series.public_id)
    check_published(
        [r for r in rows if r["unit"] == Unit.COUNT and r["measure"] in about_people],
        count_fields=["value"],
    )
    return rows


def updated(agency: Agency) -> dt.date | None:
    found = MeasureValue.objects.filter(
        measure__agency=agency, measure__is_public=True, measure__active=True
    ).aggregate(latest=Max("recorded_at"))["latest"]
    return None if found is None else timezone.localdate(found)


UNIT = _("The unit of the figures: count, percent, per_1000, score (0–100), days, hours, other.")

MEASURES = Dataset(
    key="measures",
    title=_("Measures"),
    description=_(
        "The CompStat360 measures the agency publishes: what each one measures and how, "
        "its unit, whether higher or lower is better, its target and source, and its "
        "latest figure against the one before and a year earlier."
    ),
    fields=(
        Field(
            "id",
            STRING,
            _("Stable identifier: the catalogue key, or custom-<number> for the agency's own."),
        ),
        Field("name", STRING, _("Name of the measure.")),
        Field("definition", STRING, _("What it counts, and how.")),
        Field("dimension", STRING, _("CompStat360 dimension: crime, community or organisation.")),
        Field("dimension_name", STRING, _("Name of the dimension.")),
        Field("goal", STRING, _("Key of the goal the measure serves.")),
        Field("goal_name", STRING, _("Name of the goal.")),
        Field("indicator_name", STRING, _("Name of the indicator.")),
        Field("unit", STRING, UNIT),
        Field("unit_label", STRING, _("The unit in words.")),
        Field(
            "polarity", STRING, _("higher (higher is better), lower (lower is better) or neither.")
        ),
        Field("frequency", STRING, _("How often there is a figure: monthly, quarterly, annual.")),
        Field("target", NUMBER, _("The agency's target, in the measure's unit (empty: none).")),
        Field("source", STRING, _("computed (from Roundtable's own data), imported or partner.")),
        Field("source_label", STRING, _("Where the figures come from, in words.")),
        Field("partner", STRING, _("The partner organisation that shares the figures, if any.")),
        Field("latest_period", DATE, _("First day of the period of the latest published figure.")),
        Field("latest_value", NUMBER, _("The latest published figure.")),
        Field("previous_value", NUMBER, _("The published figure of the period before it.")),
        Field("year_earlier_value", NUMBER, _("The published figure a year before it.")),
        Field(
            "on_target",
            BOOLEAN,
            _("Whether the latest figure meets the target (empty: no target or no figure)."),
        ),
    ),
    build=measure_rows,
    updated=updated,
)

MEASURE_VALUES = Dataset(
    key="measure-values",
    title=_("Measure figures"),
    description=_(
        "Every published figure of every measure over the last two years, for the whole "
        "jurisdiction and, for measures kept by area, for each area. Figures withheld to "
        "protect privacy are listed with no value."
    ),
    fields=(
        Field(
            "id",
            STRING,
            _("Stable identifier: <measure>/<year-month>/<area short name, or all>."),
        ),
        Field("measure", STRING, _("The measure's identifier (see the measures dataset).")),
        Field("measure_name", STRING, _("Name of the measure.")),
        Field("period_start", DATE, _("First day of the month, quarter or year.")),
        Field("frequency", STRING, _("monthly, quarterly or annual.")),
        Field("area", STRING, _("Short name of the area (empty: the whole jurisdiction).")),
        Field("area_name", STRING, _("Name of the area.")),
        Field("value", NUMBER, _("The figure, in the measure's unit (empty when withheld).")),
        Field(
            "suppressed",
            BOOLEAN,
            _("True when the figure is withheld because it would rest on too few people."),
        ),
        Field("unit", STRING, UNIT),
    ),
    build=value_rows,
    updated=updated,
)
