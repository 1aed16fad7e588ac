"""Measures in the JSON API, under /api/v1/agencies/{slug}/measures: the agency's
measures and each one's figures, for staff who read measures (MEASURE_VIEWERS),
with a session or a personal token. Read only: figures come in through the web
pages, `roundtable measures import` and partner submissions. Staff see every
figure as recorded; the public's figures (with disclosure control) are the
open data API's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from roundtable.accounts.access import MEASURE_VIEWERS
from roundtable.api.root import agency_for
from roundtable.measures.models import Measure, MeasureValue
from roundtable.measures.periods import format_period
from roundtable.measures.selectors import in_catalogue_order
from roundtable.measures.texts import (
    counts_people,
    is_internal,
    measure_definition,
    measure_name,
    public_id,
)

router = Router(tags=["Measures"])


class MeasureOut(Schema):
    id: str = Field(description="Stable identifier: the catalogue key, or custom-<n>.")
    pk: int
    name: str
    definition: str
    goal: str
    indicator: str
    unit: str
    polarity: str
    frequency: str
    target: float | None
    source: str
    computation: str
    partner: str | None
    by_area: bool
    counts_people: bool = Field(
        description="Whether the figures count people (small ones withheld in public); "
        "false for counts of meetings, inspections and the like."
    )
    is_public: bool
    internal: bool
    active: bool

    @classmethod
    def from_model(cls, measure: Measure) -> MeasureOut:
        return cls(
            id=public_id(measure),
            pk=measure.pk,
            name=measure_name(measure),
            definition=measure_definition(measure),
            goal=measure.goal,
            indicator=measure.indicator,
            unit=measure.unit,
            polarity=measure.polarity,
            frequency=measure.frequency,
            target=measure.target,
            source=measure.source,
            computation=measure.computation,
            partner=measure.partner.name if measure.partner else None,
            by_area=measure.by_area,
            counts_people=counts_people(measure),
            is_public=measure.is_public,
            internal=is_internal(measure),
            active=measure.active,
        )


class ValueOut(Schema):
    period: str = Field(description="2026-10, 2026-Q4 or 2026, as the measure is kept.")
    period_start: dt.date
    area: str | None = Field(description="The area's short name; null for the whole jurisdiction.")
    value: float
    count: int | None
    base: int | None
    source: str
    provenance: str
    submission: int | None


class ErrorOut(Schema):
    detail: str


@router.get("{slug}/measures", response=list[MeasureOut])
def list_measures(request: HttpRequest, slug: str, active: bool | None = True) -> list[MeasureOut]:
    """The agency's measures in catalogue order (only those in use unless
    active=false or omitted as null). Agency staff."""
    agency = agency_for(request, slug, MEASURE_VIEWERS)
    rows = Measure.objects.filter(agency=agency).select_related("partner")
    if active is not None:
        rows = rows.filter(active=active)
    return [MeasureOut.from_model(m) for m in in_catalogue_order(rows)]


@router.get("{slug}/measures/{pk}/values", response={200: list[ValueOut], 404: ErrorOut})
def list_values(
    request: HttpRequest,
    slug: str,
    pk: int,
    since: dt.date | None = None,
    limit: Annotated[int, Field(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> list[ValueOut]:
    """One measure's figures, newest first. Agency staff."""
    agency = agency_for(request, slug, MEASURE_VIEWERS)
    measure = Measure.objects.filter(agency=agency, pk=pk).first()
    if measure is None:
        raise HttpError(404, "No such measure in this agency.")
    rows = MeasureValue.objects.filter(measure=measure).select_related("area")
    if since is not None:
        rows = rows.filter(period_start__gte=since)
    rows = rows.order_by("-period_start", "area__slug", "pk")[offset : offset + limit]
    return [
        ValueOut(
            period=format_period(v.period_start, measure.frequency),
            period_start=v.period_start,
            area=v.area.slug if v.area else None,
            value=v.value,
            count=v.numerator,
            base=v.denominator,
            source=v.source,
            provenance=v.provenance,
            submission=v.submission_id,
        )
        for v in rows
    ]
