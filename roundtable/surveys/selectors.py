"""Reads of surveys for the staff and public pages (results: selectors_results.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from roundtable.agencies.models import Agency
from roundtable.surveys.models import Invitation, Question, Response, Survey


def _count_of(model: type[Response] | type[Question]) -> Coalesce:
    """A correlated count, so that several counts on one list do not multiply
    each other through joins."""
    counted = (
        model.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def surveys_for(*, agency: Agency) -> QuerySet[Survey]:
    """The agency's surveys, newest first, each with `response_count` and
    `question_count`: one query."""
    return (
        Survey.objects.filter(agency=agency)
        .select_related("created_by")
        .annotate(response_count=_count_of(Response), question_count=_count_of(Question))
    )


def survey_for(*, agency: Agency, pk: int) -> Survey:
    """One survey of the agency (404 for another agency's)."""
    return get_object_or_404(Survey.objects.select_related("agency", "area"), agency=agency, pk=pk)


@dataclass(frozen=True)
class BatchCount:
    batch: str
    created: dt.datetime
    total: int
    used: int

    @property
    def unused(self) -> int:
        return self.total - self.used


def invitation_counts(*, survey: Survey) -> list[BatchCount]:
    """One-time links per batch, used and unused, oldest batch first: one query."""
    rows = (
        Invitation.objects.filter(survey=survey)
        .order_by()
        .values("batch")
        .annotate(
            total=Count("pk"),
            used=Count("pk", filter=Q(used=True)),
            created=Min("created_at"),
        )
        .order_by("created", "batch")
    )
    return [
        BatchCount(batch=row["batch"], created=row["created"], total=row["total"], used=row["used"])
        for row in rows
    ]
