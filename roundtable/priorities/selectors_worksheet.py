"""The public safety priority worksheet: one table comparing every candidate
on the shortlist (or chosen), in a fixed number of queries whatever its length.

Community rank and dots come from the ranking (`selectors_ranking`); who was
heard and from where from the inputs linked to each candidate. Incident
figures are what an analyst entered: no incident data is imported yet, and
the worksheet says so rather than showing numbers it does not have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from roundtable.agencies.models import Agency
from roundtable.priorities.categories import category_labels
from roundtable.priorities.models import Candidate
from roundtable.priorities.selectors import (
    CURRENT_STATUSES,
    Heard,
    areas_by_candidate,
    heard_by_candidate,
)
from roundtable.priorities.selectors_ranking import CandidateRank, community_ranks, dot_totals
from roundtable.stakeholders.models import Organisation

SORTS = ("rank", "title", "volume", "harm", "dots")


@dataclass
class WorksheetRow:
    candidate: Candidate
    rank: CandidateRank | None
    dots: int
    heard: Heard
    areas: list[tuple[str, int]]
    categories: list[str]


def _sort_key(sort: str) -> Callable[[WorksheetRow], tuple[Any, ...]]:
    def key(row: WorksheetRow) -> tuple[Any, ...]:
        title = row.candidate.title.lower()
        if sort == "title":
            return (title,)
        if sort == "volume":
            return (-row.heard.total, title)
        if sort == "harm":
            return (-(row.candidate.harm or 0), title)
        if sort == "dots":
            return (-row.dots, title)
        # By community rank; candidates the survey has not ranked go last.
        return (row.rank is None, row.rank.rank if row.rank else 0, title)

    return key


def worksheet_rows(*, agency: Agency, sort: str = "rank") -> list[WorksheetRow]:
    candidates = list(
        Candidate.objects.filter(agency=agency, status__in=CURRENT_STATUSES)
        .prefetch_related(
            "areas", Prefetch("partners", queryset=Organisation.objects.order_by("name"))
        )
        .order_by("title", "pk")
    )
    ids = [c.pk for c in candidates]
    heard = heard_by_candidate(ids)
    areas = areas_by_candidate(ids)
    ranks = community_ranks(agency=agency)
    dots = dot_totals(agency=agency)
    rows = [
        WorksheetRow(
            candidate=c,
            rank=ranks.get(c.pk),
            dots=dots.get(c.pk, 0),
            heard=heard.get(c.pk, Heard()),
            areas=areas.get(c.pk, []),
            categories=category_labels(c.offence_categories),
        )
        for c in candidates
    ]
    rows.sort(key=_sort_key(sort if sort in SORTS else "rank"))
    return rows
