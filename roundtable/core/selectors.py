from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from roundtable.accounts.models import Membership, Role
from roundtable.agencies.models import Agency, Area
from roundtable.inputs.selectors import overdue_count
from roundtable.stakeholders.models import Stance
from roundtable.stakeholders.selectors import contacts_ending


@dataclass(frozen=True)
class Workspace:
    agency: Agency
    roles: list[str]


def workspaces_for(user: Any) -> list[Workspace]:
    if not user.is_authenticated:
        return []
    by_agency: dict[int, Workspace] = {}
    for membership in Membership.objects.filter(user=user).select_related("agency"):
        ws = by_agency.setdefault(membership.agency_id, Workspace(membership.agency, []))
        ws.roles.append(str(Role(membership.role).label))
    return list(by_agency.values())


def agency_summary(*, agency: Agency) -> dict[str, int]:
    counts = agency.organisations.aggregate(
        total=Count("id"),
        critics=Count("id", filter=Q(stance=Stance.CRITIC)),
        supporters=Count("id", filter=Q(stance=Stance.SUPPORTER)),
    )
    # The same rule as the renewal page, so the two figures always agree.
    counts["terms_ending"] = (
        contacts_ending(agency=agency, today=timezone.localdate())
        .values("organisation")
        .distinct()
        .count()
    )
    counts["term_window_days"] = settings.ROUNDTABLE_TERM_WARNING_DAYS
    # The same rule as the overdue page of the response ledger.
    counts["overdue_inputs"] = overdue_count(agency=agency)
    return counts


def agency_areas(*, agency: Agency) -> list[Area]:
    """The agency's areas, each with the other agencies' areas it shares ground with."""
    return list(
        Area.objects.filter(agency=agency)
        .select_related("parent")
        .prefetch_related(Prefetch("overlaps", queryset=Area.objects.select_related("agency")))
        .order_by("kind", "name")
    )
