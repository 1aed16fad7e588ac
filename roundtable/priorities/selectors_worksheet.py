"""The public safety priority worksheet: one table comparing every candidate
on the shortlist (or chosen), in a fixed number of queries whatever its length.

Community rank and dots come from the ranking (`selectors_ranking`); who was
heard and from where from the inputs linked to each candidate. Incident
figures come from the imported incident data when the agency has some: for
each candidate, its offence categories (every crime when it names none) in its
areas (the whole jurisdiction when it names none), over the twelve months to
the latest incident against the twelve before, with the Poisson test saying
whether the change is more than noise. Without imported data the worksheet
shows what an analyst entered and says so.

A candidate taken from an opinion conversation (`Statement.candidate`) carries
how the conversation's opinion groups voted on its statement: the
group-informed consensus and each group's agreement (`opinions.selectors_map`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q

from roundtable.agencies.models import Agency
from roundtable.analytics.compstat import Change, compare
from roundtable.incidents.models import Incident
from roundtable.incidents.selectors_counts import offence_q
from roundtable.incidents.selectors_report import latest_day
from roundtable.opinions.selectors_map import CommonGround, candidate_common_ground
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
    # From the imported incidents; None when the agency has none.
    incidents: IncidentFigure | None = None
    # From opinion conversations: the statements the candidate was made from.
    common_ground: list[CommonGround] = field(default_factory=list)


@dataclass(frozen=True)
class IncidentFigure:
    """A candidate's count against the year before, as the worksheet words it."""

    current: int
    prior: int
    direction: str  # "up" or "down" only when the Poisson test says so, else "flat"
    size: float | None  # the change in per cent, without its sign

    @classmethod
    def of(cls, change: Change) -> IncidentFigure:
        size = abs(change.percent) if change.percent is not None else None
        return cls(change.current, change.prior, change.direction, size)


# Worksheet category keys (priorities/categories.py) as incident offence filters.
CATEGORY_FILTERS = {
    "against_persons": "against-persons",
    "against_property": "against-property",
    "against_society": "against-society",
    "violent": "violent",
    "property": "property-crime",
}
YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class IncidentWindow:
    """The twelve months the worksheet counts, to the latest imported incident."""

    start: dt.date
    end: dt.date
    prior_start: dt.date
    prior_end: dt.date


def incident_window(agency: Agency) -> IncidentWindow | None:
    latest = latest_day(agency)
    if latest is None:
        return None
    start = latest - YEAR + dt.timedelta(days=1)
    return IncidentWindow(start, latest, start - YEAR, start - dt.timedelta(days=1))


def incident_changes(
    agency: Agency, candidates: list[Candidate], window: IncidentWindow
) -> dict[int, Change]:
    """Each candidate's count this year and the year before, in ONE query.

    An incident lies in several areas at once (a beat, its district, a
    neighbourhood), so counts are distinct incidents, never sums over areas.
    """
    aggregates: dict[str, Any] = {}
    for c in candidates:
        keys = [CATEGORY_FILTERS[k] for k in c.offence_categories if k in CATEGORY_FILTERS]
        what = Q()
        for key in keys or ["crimes"]:
            what |= offence_q(key)
        area_ids = [a.pk for a in c.areas.all()]
        where = Q(areas__in=area_ids) if area_ids else Q()
        for name, start, end in (
            ("now", window.start, window.end),
            ("before", window.prior_start, window.prior_end),
        ):
            aggregates[f"c{c.pk}_{name}"] = Count(
                "pk",
                filter=what & where & Q(occurred_on__range=(start, end)),
                distinct=True,
            )
    if not aggregates:
        return {}
    counts = Incident.objects.filter(agency=agency).aggregate(**aggregates)
    days = (window.end - window.start).days + 1
    return {
        c.pk: compare(
            counts[f"c{c.pk}_now"],
            counts[f"c{c.pk}_before"],
            current_days=days,
            prior_days=days,
        )
        for c in candidates
    }


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


def worksheet_rows(
    *, agency: Agency, sort: str = "rank", window: IncidentWindow | None = None
) -> list[WorksheetRow]:
    """The rows; `window` (from `incident_window`) adds incident figures."""
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
    changes = incident_changes(agency, candidates, window) if window else {}
    ground = candidate_common_ground(
        candidate_ids=[c.pk for c in candidates if c.source == Candidate.Source.CONVERSATION]
    )
    rows = [
        WorksheetRow(
            candidate=c,
            rank=ranks.get(c.pk),
            dots=dots.get(c.pk, 0),
            heard=heard.get(c.pk, Heard()),
            areas=areas.get(c.pk, []),
            categories=category_labels(c.offence_categories),
            incidents=IncidentFigure.of(changes[c.pk]) if c.pk in changes else None,
            common_ground=ground.get(c.pk, []),
        )
        for c in candidates
    ]
    rows.sort(key=_sort_key(sort if sort in SORTS else "rank"))
    return rows


def candidate_incidents(candidate: Candidate) -> tuple[IncidentWindow, IncidentFigure] | None:
    """The worksheet's incident figure for one candidate (its own page)."""
    window = incident_window(candidate.agency)
    if window is None:
        return None
    change = incident_changes(candidate.agency, [candidate], window)[candidate.pk]
    return window, IncidentFigure.of(change)
