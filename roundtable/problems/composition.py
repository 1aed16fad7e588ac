"""Does the team hold the people the problem needs? Warnings, never blocks.

A team that lacks residents of the affected area, critics of the agency, or
the government services the problem calls for tends to see the problem only
from the inside. The check says so on the team page; forming the team stays
the coordinators' call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from roundtable.problems.models import Problem, Side, TeamMember
from roundtable.problems.rules import current_members_q
from roundtable.stakeholders.models import OrganisationSector, Sector, Stance

NO_LOCAL_RESIDENT = "no_local_resident"
NO_CRITIC = "no_critic"
SECTOR_MISSING = "sector_missing"


@dataclass(frozen=True)
class Warning:
    code: str
    text: str
    sector: str = ""


def composition_warnings(problem: Problem) -> list[Warning]:
    """What the team lacks, in the active language (three queries at most)."""
    members = list(
        TeamMember.objects.filter(current_members_q(), problem=problem).select_related(
            "organisation"
        )
    )
    warnings: list[Warning] = []
    if not any(m.side == Side.COMMUNITY and m.lives_in_area for m in members):
        warnings.append(
            Warning(
                NO_LOCAL_RESIDENT,
                _("No community member lives or works in the affected area."),
            )
        )
    if not any(
        m.organisation is not None and m.organisation.stance == Stance.CRITIC for m in members
    ):
        warnings.append(
            Warning(
                NO_CRITIC,
                _(
                    "No member comes from an organisation critical of the agency: "
                    "the team may hear only those who already agree."
                ),
            )
        )
    government_orgs = {
        m.organisation_id for m in members if m.side == Side.GOVERNMENT and m.organisation_id
    }
    covered = (
        set(
            OrganisationSector.objects.filter(organisation_id__in=government_orgs).values_list(
                "sector", flat=True
            )
        )
        if government_orgs
        else set()
    )
    labels = dict(Sector.choices)
    for sector in problem.sectors:
        if sector not in covered:
            warnings.append(
                Warning(
                    SECTOR_MISSING,
                    _("No government member covers “%(sector)s”.")
                    % {"sector": labels.get(sector, sector)},
                    sector=sector,
                )
            )
    return warnings
