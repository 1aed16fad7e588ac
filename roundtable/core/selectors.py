from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from roundtable.accounts.models import Membership, Role
from roundtable.agencies.models import Agency
from roundtable.stakeholders.models import Stance


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
    today = timezone.localdate()
    counts = agency.organisations.aggregate(
        total=Count("id"),
        critics=Count("id", filter=Q(stance=Stance.CRITIC)),
        supporters=Count("id", filter=Q(stance=Stance.SUPPORTER)),
    )
    counts["terms_ending"] = (
        agency.organisations.filter(
            contacts__is_active=True,
            contacts__term_ends_on__gte=today,
            contacts__term_ends_on__lte=today + dt.timedelta(days=30),
        )
        .distinct()
        .count()
    )
    return counts
