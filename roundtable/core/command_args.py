"""What management commands share: the agency named by --agency and the member named by --user.

Every import command resolves them the same way and says the same thing when
they are wrong, so the messages live here once.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency


def _known() -> str:
    return ", ".join(Agency.objects.values_list("slug", flat=True)) or "none"


def agency_named(slug: str | None, *, only_one_may_be_implied: bool = False) -> Agency:
    """The agency with this short name; with `only_one_may_be_implied`, no name
    means the installation's single agency (an error when there are several)."""
    if slug:
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            raise CommandError(f"No agency with the short name {slug!r} (known: {_known()}).")
        return agency
    agencies = list(Agency.objects.all()[:2]) if only_one_may_be_implied else []
    if len(agencies) != 1:
        raise CommandError(f"Say which agency with --agency (known: {_known()}).")
    return agencies[0]


def member_named(username: str | None, agency: Agency) -> User | None:
    """The staff member a command acts as (None: no one), who must belong to the agency."""
    if not username:
        return None
    actor = User.objects.filter(username=username, memberships__agency=agency).first()
    if actor is None:
        raise CommandError(f"{username!r} is not a member of {agency.name}.")
    return actor
