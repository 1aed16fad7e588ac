"""The public period report: 28 days and year to date against a year earlier, for
the agency and each of its public areas, with small counts withheld.

Privacy, in order (docs/disclosure.md has the rules of every public page):
1. Sensitive incidents (sexual offences, domestic violence, offences against
   children) are never counted.
2. Any count from 1 to the small-cell minimum − 1
   (`roundtable.disclosure.minimum_count()`) is withheld ("fewer than N").
   Zero discloses nobody and is shown, as the inputs' public figures do.
3. Complementary suppression through the one rule of `roundtable.disclosure`
   (`protect_counts`; the maths in analytics/suppression.py): published
   figures add up (crimes = persons + property + society; a group = its
   offences; the agency = its areas + the incidents in no area), so more cells
   are withheld until no withheld count can be worked out from the shown ones,
   by any combination of those sums, to narrower than the small range itself.
   The incidents in no area are never shown: they take part as cells the
   reader knows only to be at least 0 (or, if areas of the public kind
   overlap so that no such count exists, as a difference the reader is
   assumed to know, the cautious choice).
4. A change is shown only when both of its counts are.

Only one kind of area is published (districts when there are any), so that
sums across kinds (a district = its beats) never have to be protected across
pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Q

from roundtable import disclosure
from roundtable.agencies.models import Agency, Area
from roundtable.analytics import suppression
from roundtable.analytics.compstat import Change, Period, periods
from roundtable.incidents import offences
from roundtable.incidents.labels import offence_filter_label
from roundtable.incidents.models import IncidentArea
from roundtable.incidents.selectors_report import (
    GROUP_ROWS,
    default_as_of,
    offence_counts,
    period_change,
    row_totals,
)

PUBLIC_PERIODS = ("28d", "ytd")
# The kind of area the public report breaks down by: the first of these the agency has.
PUBLIC_KIND_ORDER = (
    Area.Kind.DISTRICT,
    Area.Kind.NEIGHBOURHOOD,
    Area.Kind.CAMPUS,
    Area.Kind.OTHER,
    Area.Kind.BEAT,
)

Key = tuple[int, str, str]  # (unit index, row key, window name)
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class PublicCell:
    period: str
    current: int | None  # None: withheld
    prior: int | None
    change: Change | None  # None unless both counts are shown


@dataclass(frozen=True)
class PublicRow:
    key: str
    label: str
    is_group: bool
    cells: tuple[PublicCell, ...]


@dataclass(frozen=True)
class PublicUnit:
    area: Area | None  # None: the whole agency
    name: str
    rows: tuple[PublicRow, ...]

    def row(self, key: str) -> PublicRow | None:
        return next((r for r in self.rows if r.key == key), None)

    @property
    def crimes(self) -> PublicRow | None:
        return self.row("crimes")


@dataclass(frozen=True)
class PublicReport:
    as_of: dt.date
    periods: tuple[Period, ...]
    kind: str | None
    units: tuple[PublicUnit, ...]  # the agency first, then its public areas
    small_cell: int

    def unit(self, area: Area | None) -> PublicUnit:
        wanted = area.pk if area is not None else None
        for unit in self.units:
            if (unit.area.pk if unit.area is not None else None) == wanted:
                return unit
        raise LookupError(area)


def public_kind(agency: Agency) -> str | None:
    """The kind of area the public report uses: districts first, if the agency has areas."""
    kinds = set(Area.objects.filter(agency=agency).values_list("kind", flat=True))
    return next((str(kind) for kind in PUBLIC_KIND_ORDER if kind in kinds), None)


def public_areas(agency: Agency) -> list[Area]:
    kind = public_kind(agency)
    if kind is None:
        return []
    return list(Area.objects.filter(agency=agency, kind=kind).order_by("name"))


def _area_offence_counts(
    *, agency: Agency, kind: str, report_periods: tuple[Period, ...]
) -> dict[int, dict[str, dict[str, int]]]:
    """{area id: {offence: {window: count}}} for the areas of one kind, in one query."""
    windows: dict[str, tuple[dt.date, dt.date]] = {}
    for p in report_periods:
        windows[f"{p.key}__current"] = (p.start, p.end)
        windows[f"{p.key}__prior"] = (p.prior_start, p.prior_end)
    start = min(lo for lo, _hi in windows.values())
    end = max(hi for _lo, hi in windows.values())
    annotations = {
        name: Count(
            "incident_id",
            filter=Q(incident__occurred_on__gte=lo, incident__occurred_on__lte=hi),
        )
        for name, (lo, hi) in windows.items()
    }
    rows = (
        IncidentArea.objects.filter(
            area__agency=agency,
            area__kind=kind,
            incident__agency=agency,
            incident__sensitive=False,
            incident__occurred_on__gte=start,
            incident__occurred_on__lte=end,
        )
        .order_by()
        .values("area_id", "incident__offence")
        .annotate(**annotations)
    )
    out: dict[int, dict[str, dict[str, int]]] = {}
    for row in rows:
        by_offence = out.setdefault(row["area_id"], {})
        by_offence[row["incident__offence"]] = {name: row[name] for name in windows}
    return out


def sums(row_keys: list[str]) -> list[tuple[str, list[str]]]:
    """The additive relations between the rows shown: (total row, its part rows)."""
    shown_offences = [k for k in row_keys if k in offences.BY_CODE]
    relations: list[tuple[str, list[str]]] = []
    if "crimes" in row_keys:
        against = ["against-persons", "against-property", "against-society"]
        relations.append(("crimes", [k for k in against if k in row_keys]))
    for group in GROUP_ROWS[1:]:
        if group in row_keys:
            relations.append((group, [c for c in shown_offences if offences.matches(c, group)]))
    return relations


def complementary_suppression(
    values: dict[K, int], relations: list[tuple[K, list[K]]], small: int
) -> set[K]:
    """The cells to withhold: every count from 1 to `small` − 1, and the cells
    that keep them from being worked out through `relations` (the one rule,
    analytics/suppression.py). Kept for callers that pass their own minimum."""
    return set(suppression.protect(values, relations, minimum=small))


def public_report(*, agency: Agency, as_of: dt.date | None = None) -> PublicReport:
    """The agency and each public area: groups and the common offences that occur
    (sensitive incidents left out), 28 days and year to date, small cells withheld."""
    as_of = as_of or default_as_of(agency, public=True)
    report_periods = tuple(p for p in periods(as_of) if p.key in PUBLIC_PERIODS)
    small = disclosure.minimum_count()
    kind = public_kind(agency)
    areas = (
        list(Area.objects.filter(agency=agency, kind=kind).order_by("name"))
        if kind is not None
        else []
    )
    agency_counts = offence_counts(agency=agency, report_periods=report_periods, public=True)
    by_area = (
        _area_offence_counts(agency=agency, kind=kind, report_periods=report_periods)
        if kind is not None
        else {}
    )
    unit_counts = [agency_counts, *(by_area.get(a.pk, {}) for a in areas)]
    windows = [f"{p.key}__{side}" for p in report_periods for side in ("current", "prior")]
    occurring = [
        o.code
        for o in offences.OFFENCES
        if not o.sensitive and any(agency_counts.get(o.code, {}).values())
    ]
    # A group none of whose offences occurs would be a zero anyone can work out
    # from the rows shown; it is left out like the offences that do not occur.
    groups = [g for g in GROUP_ROWS if any(offences.matches(c, g) for c in occurring)]
    row_keys = [*groups, *occurring]

    values: dict[Key, int] = {}
    for u, counts in enumerate(unit_counts):
        for key in row_keys:
            totals = row_totals(counts, key, windows)
            for window in windows:
                values[(u, key, window)] = totals[window]
    # The incidents in no public area: a unit of their own, never shown.
    elsewhere = len(unit_counts)
    unpublished: list[Key] = []
    if areas:
        rest = {
            (elsewhere, key, window): values[(0, key, window)]
            - sum(values[(u, key, window)] for u in range(1, elsewhere))
            for key in row_keys
            for window in windows
        }
        if all(v >= 0 for v in rest.values()):
            values.update(rest)
            unpublished = list(rest)
    units_in_sums = [*range(1, elsewhere), *([elsewhere] if unpublished else [])]
    relations: list[tuple[Key, list[Key]]] = []
    for window in windows:
        for u in [0, *units_in_sums]:
            for total, parts in sums(row_keys):
                relations.append(((u, total, window), [(u, p, window) for p in parts]))
        if areas:
            for key in row_keys:
                relations.append(((0, key, window), [(u, key, window) for u in units_in_sums]))
    hidden = disclosure.protect_counts(values, relations, unpublished=unpublished)

    def shown(key: Key) -> int | None:
        return None if key in hidden else values[key]

    units = []
    for u, area in enumerate([None, *areas]):
        rows = []
        for key in row_keys:
            cells = []
            for p in report_periods:
                current = shown((u, key, f"{p.key}__current"))
                prior = shown((u, key, f"{p.key}__prior"))
                change = None
                if current is not None and prior is not None:
                    change = period_change(p, current, prior)
                cells.append(PublicCell(period=p.key, current=current, prior=prior, change=change))
            rows.append(
                PublicRow(
                    key=key,
                    label=offence_filter_label(key),
                    is_group=key in GROUP_ROWS,
                    cells=tuple(cells),
                )
            )
        units.append(
            PublicUnit(area=area, name=area.name if area else agency.name, rows=tuple(rows))
        )
    return PublicReport(
        as_of=as_of, periods=report_periods, kind=kind, units=tuple(units), small_cell=small
    )
