"""Reads of the Community Map: lists, renewals, coverage, network, worksheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.analytics.coverage import Gap, StanceBalance, find_gaps, stance_balance
from roundtable.analytics.network import PlacedNode, layout_referrals
from roundtable.stakeholders.catalogue import GENERIC, examples_for
from roundtable.stakeholders.models import (
    Category,
    Contact,
    Organisation,
    OrganisationSector,
    Referral,
    Sector,
    Stance,
)

STANCE_ORDER = [Stance.SUPPORTER, Stance.NEUTRAL, Stance.CRITIC, Stance.UNKNOWN]


@dataclass(frozen=True)
class OrganisationFilter:
    q: str = ""
    category: str = ""
    sector: str = ""
    area: int | None = None
    stance: str = ""
    kind: str = ""


def organisation_list(
    *, agency: Agency, filters: OrganisationFilter | None = None
) -> QuerySet[Organisation]:
    filters = filters or OrganisationFilter()
    qs = (
        Organisation.objects.filter(agency=agency)
        .prefetch_related(
            Prefetch("sectors", queryset=OrganisationSector.objects.order_by("sector")),
            Prefetch("areas", queryset=Area.objects.order_by("name")),
        )
        .annotate(last_contact=Max("interactions__occurred_on"))
        # Case-blind, with the id as tie-break so pages never overlap.
        .order_by(Lower("name"), "pk")
    )
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(contacts__name__icontains=filters.q)
        ).distinct()
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.sector:
        qs = qs.filter(sectors__sector=filters.sector)
    if filters.area:
        qs = qs.filter(areas__id=filters.area)
    if filters.stance:
        qs = qs.filter(stance=filters.stance)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs


def organisation_detail(*, agency: Agency, pk: int) -> Organisation:
    return (
        Organisation.objects.filter(agency=agency)
        .prefetch_related(
            "sectors",
            "areas",
            "contacts",
            "stance_history__changed_by",
            "interactions__contact",
            "interactions__recorded_by",
            "referrals_made__referred",
            "referrals_received__referrer",
        )
        .get(pk=pk)
    )


# ---------------------------------------------------------------- renewals


@dataclass(frozen=True)
class RenewalList:
    contacts_ending: list[Contact]
    stale_organisations: Sequence[Organisation]
    term_window_days: int
    stale_after_days: int
    today: dt.date


def contacts_ending(*, agency: Agency, today: dt.date) -> QuerySet[Contact]:
    """Active contacts whose term ends within the warning window, or has ended
    while they are still marked active (nobody has taken over yet)."""
    return Contact.objects.filter(
        organisation__agency=agency,
        is_active=True,
        term_ends_on__isnull=False,
        term_ends_on__lte=today + dt.timedelta(days=settings.ROUNDTABLE_TERM_WARNING_DAYS),
    )


def renewal_list(
    *, agency: Agency, today: dt.date | None = None, stale_after_days: int | None = None
) -> RenewalList:
    """Relationships to renew: contact terms ending soon (or ended while the
    contact is still marked active), and organisations not contacted for
    `stale_after_days` (the agency's setting unless given) or never."""
    today = today or timezone.localdate()
    window = settings.ROUNDTABLE_TERM_WARNING_DAYS
    stale_days = stale_after_days if stale_after_days is not None else agency.renewal_after_days
    contacts = list(
        contacts_ending(agency=agency, today=today)
        .select_related("organisation")
        .order_by("term_ends_on", "name")
    )
    cutoff = today - dt.timedelta(days=stale_days)
    stale = list(
        Organisation.objects.filter(agency=agency)
        .annotate(last_contact=Max("interactions__occurred_on"))
        .filter(Q(last_contact__lt=cutoff) | Q(last_contact__isnull=True))
        # Never contacted first, on SQLite and PostgreSQL alike (their NULL order differs).
        .order_by(F("last_contact").asc(nulls_first=True), Lower("name"))
    )
    return RenewalList(contacts, stale, window, stale_days, today)


# ---------------------------------------------------------------- coverage


@dataclass(frozen=True)
class CoverageRow:
    key: str
    label: str
    counts: list[int]
    total: int
    balance: StanceBalance


@dataclass(frozen=True)
class Suggestion:
    row_label: str
    column_label: str
    examples: list[Promise]
    row_key: str
    column_key: str


@dataclass(frozen=True)
class Coverage:
    rows_by: str
    columns: list[tuple[str, str]]
    rows: list[CoverageRow]
    suggestions: list[Suggestion]
    column_totals: list[int] = field(default_factory=list)


def _row_dimension(agency: Agency, rows_by: str) -> tuple[list[tuple[str, str]], str]:
    """The row keys and labels, and the ORM path that reaches them from Organisation."""
    if rows_by == "area":
        areas = Area.objects.filter(agency=agency).order_by("name")
        return [(str(a.pk), a.name) for a in areas], "areas__id"
    return [(s.value, str(s.label)) for s in Sector], "sectors__sector"


def coverage(*, agency: Agency, rows_by: str = "sector", suggestion_limit: int = 12) -> Coverage:
    """Area × category counts (rows are the six CS360 areas, or the agency's own
    areas with rows_by='area'), the stance balance per row, and outreach
    suggestions for the emptiest cells."""
    rows_by = "area" if rows_by == "area" else "sector"
    row_keys, path = _row_dimension(agency, rows_by)
    columns = [(c.value, str(c.label)) for c in Category]
    row_index = {key: i for i, (key, _label) in enumerate(row_keys)}
    col_index = {key: j for j, (key, _label) in enumerate(columns)}
    stance_index = {s.value: k for k, s in enumerate(STANCE_ORDER)}

    counts = np.zeros((len(row_keys), len(columns)), dtype=np.int64)
    stances = np.zeros((len(row_keys), len(STANCE_ORDER)), dtype=np.int64)
    grouped = (
        Organisation.objects.filter(agency=agency, **{f"{path}__isnull": False})
        .values(path, "category", "stance")
        .annotate(n=Count("id", distinct=True))
    )
    for record in grouped:
        i = row_index.get(str(record[path]))
        if i is None:
            continue
        counts[i, col_index[record["category"]]] += record["n"]
        stances[i, stance_index[record["stance"]]] += record["n"]

    # Organisations with no CS360 area (or no agency area) recorded: a row of their
    # own, so nobody vanishes from the picture; it is not a gap to fill.
    unplaced = np.zeros((1, len(columns)), dtype=np.int64)
    unplaced_stances = np.zeros((1, len(STANCE_ORDER)), dtype=np.int64)
    for record in (
        Organisation.objects.filter(agency=agency, **{f"{path}__isnull": True})
        .values("category", "stance")
        .annotate(n=Count("id", distinct=True))
    ):
        unplaced[0, col_index[record["category"]]] += record["n"]
        unplaced_stances[0, stance_index[record["stance"]]] += record["n"]

    balances = stance_balance(np.vstack([stances, unplaced_stances]))
    rows = [
        CoverageRow(key, label, [int(v) for v in counts[i]], int(counts[i].sum()), balances[i])
        for i, (key, label) in enumerate(row_keys)
    ]
    unplaced_label = _("No area recorded") if rows_by == "area" else _("No CS360 area recorded")
    rows.append(
        CoverageRow(
            "",
            str(unplaced_label),
            [int(v) for v in unplaced[0]],
            int(unplaced.sum()),
            balances[-1],
        )
    )
    suggestions = [
        _suggest(gap, row_keys, columns, rows_by) for gap in find_gaps(counts)[:suggestion_limit]
    ]
    # Column totals count each organisation once, however many rows it appears in.
    per_category = dict(
        Organisation.objects.filter(agency=agency)
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    totals = [int(per_category.get(key, 0)) for key, _label in columns]
    return Coverage(rows_by, columns, rows, suggestions, totals)


def _suggest(
    gap: Gap, row_keys: list[tuple[str, str]], columns: list[tuple[str, str]], rows_by: str
) -> Suggestion:
    row_key, row_label = row_keys[gap.row]
    column_key, column_label = columns[gap.column]
    category = Category(column_key)
    examples = (
        examples_for(Sector(row_key), category) if rows_by == "sector" else [GENERIC[category]]
    )
    return Suggestion(row_label, column_label, examples, row_key, column_key)


# ---------------------------------------------------------------- network


@dataclass(frozen=True)
class NetworkNode:
    organisation: Organisation
    placed: PlacedNode


@dataclass(frozen=True)
class ReferralNetwork:
    nodes: list[NetworkNode]
    edges: list[tuple[NetworkNode, NetworkNode]]
    referrals: list[Referral]


def referral_network(*, agency: Agency) -> ReferralNetwork:
    referrals = list(
        Referral.objects.filter(agency=agency)
        .select_related("referrer", "referred")
        .order_by("referrer__name", "referred__name")
    )
    organisations = {r.referrer_id: r.referrer for r in referrals} | {
        r.referred_id: r.referred for r in referrals
    }
    placed = layout_referrals(
        sorted(organisations), [(r.referrer_id, r.referred_id) for r in referrals]
    )
    nodes = {p.id: NetworkNode(organisations[p.id], p) for p in placed}
    edges = [(nodes[r.referrer_id], nodes[r.referred_id]) for r in referrals]
    return ReferralNetwork(list(nodes.values()), edges, referrals)


# ---------------------------------------------------------------- worksheet


@dataclass(frozen=True)
class WorksheetCell:
    category_label: str
    examples: list[Promise]
    recruited: list[Organisation]


@dataclass(frozen=True)
class WorksheetSection:
    sector_label: str
    cells: list[WorksheetCell]
    balance: StanceBalance

    @property
    def missing(self) -> list[WorksheetCell]:
        return [cell for cell in self.cells if not cell.recruited]


def worksheet(*, agency: Agency) -> list[WorksheetSection]:
    """One section per CS360 area: what to consider, who is recruited, who is missing."""
    links = (
        OrganisationSector.objects.filter(organisation__agency=agency)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    by_cell: dict[tuple[str, str], list[Organisation]] = {}
    for link in links:
        by_cell.setdefault((link.sector, link.organisation.category), []).append(link.organisation)
    sections = []
    for sector in Sector:
        cells = [
            WorksheetCell(
                str(category.label),
                examples_for(sector, category),
                by_cell.get((sector.value, category.value), []),
            )
            for category in Category
        ]
        stance_counts = np.zeros((1, 4), dtype=np.int64)
        for cell in cells:
            for organisation in cell.recruited:
                stance_counts[0, STANCE_ORDER.index(Stance(organisation.stance))] += 1
        sections.append(
            WorksheetSection(str(sector.label), cells, stance_balance(stance_counts)[0])
        )
    return sections
