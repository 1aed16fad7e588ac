"""Reads for the staff and partner pages of measures (the public ones are `selectors`).

Every list here is a bounded number of queries, whatever its length.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.measures import catalogue
from roundtable.measures.models import (
    DataSharer,
    Measure,
    MeasureValue,
    PartnerSubmission,
    Source,
)
from roundtable.measures.periods import add_months
from roundtable.measures.selectors import (
    GoalCoverage,
    MeasureSeries,
    build_series,
    goal_coverage,
    in_catalogue_order,
    period_window,
)
from roundtable.measures.texts import dimension_name, indicator_name
from roundtable.stakeholders.models import Organisation

HOME_MONTHS = 13


def staff_series(
    *, agency: Agency, measures: list[Measure], months: int = HOME_MONTHS
) -> dict[int, MeasureSeries]:
    """Each measure's jurisdiction-wide series over the last `months` months,
    figures as recorded (staff). One query."""
    this_month = timezone.localdate().replace(day=1)
    windows = {m.pk: period_window(m, this_month, months) for m in measures}
    figures: dict[int, dict[dt.date, float]] = defaultdict(dict)
    rows = MeasureValue.objects.filter(
        measure__in=[m.pk for m in measures],
        area__isnull=True,
        period_start__gte=add_months(this_month, -(months + 11)),
    ).values_list("measure_id", "period_start", "value")
    for measure_id, start, value in rows:
        figures[measure_id][start] = value
    return {m.pk: build_series(m, None, windows[m.pk], figures[m.pk]) for m in measures}


@dataclass(frozen=True)
class IndicatorRows:
    key: str
    name: str
    series: list[MeasureSeries]


@dataclass(frozen=True)
class GoalRows:
    coverage: GoalCoverage
    indicators: list[IndicatorRows]


@dataclass(frozen=True)
class DimensionRows:
    key: str
    name: str
    goals: list[GoalRows]


def measures_home(*, agency: Agency) -> list[DimensionRows]:
    """Dimensions → goals → indicators, with the agency's active measures and
    their series. Two queries."""
    coverage = goal_coverage(agency=agency)
    measures = [m for goal in coverage for m in goal.measures]
    series = staff_series(agency=agency, measures=measures)
    dimensions: list[DimensionRows] = []
    for key in catalogue.DIMENSIONS:
        goals = []
        for goal in (g for g in coverage if g.dimension == key):
            by_indicator: dict[str, list[MeasureSeries]] = defaultdict(list)
            for measure in goal.measures:
                by_indicator[measure.indicator].append(series[measure.pk])
            indicators = [
                IndicatorRows(indicator, indicator_name(indicator), rows)
                for indicator, rows in by_indicator.items()
            ]
            goals.append(GoalRows(goal, indicators))
        dimensions.append(DimensionRows(key, dimension_name(key), goals))
    return dimensions


@dataclass(frozen=True)
class CatalogueGoal:
    goal: catalogue.Goal
    dimension_name: str
    measures: list[tuple[catalogue.CatalogueMeasure, Measure | None]]  # chosen (active) or not


def catalogue_page(*, agency: Agency) -> list[CatalogueGoal]:
    """Every catalogue goal with its suggested measures, each with the agency's
    measure made from it (None if never chosen). One query."""
    chosen = {
        m.catalogue_key: m for m in Measure.objects.filter(agency=agency).exclude(catalogue_key="")
    }
    return [
        CatalogueGoal(
            goal,
            dimension_name(goal.dimension),
            [(entry, chosen.get(entry.key)) for entry in catalogue.measures_of_goal(goal.key)],
        )
        for goal in catalogue.GOALS.values()
    ]


def measure_for(*, agency: Agency, pk: int) -> Measure:
    """The agency's measure `pk` (404 for another agency's)."""
    return get_object_or_404(
        Measure.objects.select_related("partner", "agency"), agency=agency, pk=pk
    )


def measure_values(*, measure: Measure) -> QuerySet[MeasureValue]:
    """Every figure of the measure, newest first, with what is shown beside it."""
    return (
        MeasureValue.objects.filter(measure=measure)
        .select_related("area", "recorded_by", "submission__organisation")
        .order_by("-period_start", "area__name", "pk")
    )


def dropped_measures(*, agency: Agency) -> list[Measure]:
    return in_catalogue_order(Measure.objects.filter(agency=agency, active=False))


def submission_queue(*, agency: Agency) -> QuerySet[PartnerSubmission]:
    """Partner submissions, those waiting for approval first, newest first."""
    return (
        PartnerSubmission.objects.filter(agency=agency)
        .select_related("measure", "organisation", "submitted_by", "reviewed_by")
        .order_by("status", "-submitted_at", "-pk")
    )


def submission_for(*, agency: Agency, pk: int) -> PartnerSubmission:
    return get_object_or_404(
        PartnerSubmission.objects.select_related(
            "measure__agency", "organisation", "submitted_by", "reviewed_by"
        ),
        agency=agency,
        pk=pk,
    )


def pending_count(*, agency: Agency) -> int:
    return PartnerSubmission.objects.filter(
        agency=agency, status=PartnerSubmission.Status.PENDING
    ).count()


def sharers(*, agency: Agency) -> QuerySet[DataSharer]:
    return (
        DataSharer.objects.filter(agency=agency)
        .select_related("organisation", "user", "granted_by")
        .order_by("organisation__name", "user__username")
    )


# --- Partners ---


def sharer_organisations(*, user: User, agency: Agency) -> list[Organisation]:
    return [
        s.organisation
        for s in DataSharer.objects.filter(user=user, agency=agency)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def partner_measures(*, user: User, agency: Agency) -> list[Measure]:
    """The active measures whose figures the person shares for their organisations."""
    return in_catalogue_order(
        Measure.objects.filter(
            agency=agency,
            active=True,
            source=Source.PARTNER,
            partner__data_sharers__user=user,
        )
        .select_related("partner")
        .distinct()
    )


def partner_submissions(*, user: User, agency: Agency) -> QuerySet[PartnerSubmission]:
    """What the person's organisations shared (theirs and colleagues'), newest first."""
    organisations = DataSharer.objects.filter(user=user, agency=agency).values("organisation")
    return (
        PartnerSubmission.objects.filter(agency=agency, organisation__in=organisations)
        .select_related("measure", "organisation", "submitted_by")
        .order_by("-submitted_at", "-pk")
    )
