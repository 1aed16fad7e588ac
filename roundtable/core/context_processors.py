from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from roundtable.accounts.access import (
    AUDIT_VIEWERS,
    CONVERSATION_VIEWERS,
    EVENT_VIEWERS,
    INCIDENT_VIEWERS,
    LEDGER_VIEWERS,
    MAP_EDITORS,
    MAP_VIEWERS,
    MEASURE_VIEWERS,
    PACK_VIEWERS,
    PRIORITY_VIEWERS,
    SURVEY_VIEWERS,
    TEAM_PARTICIPANTS,
)
from roundtable.accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the header shows: the agency in view and which of its pages the roles open."""
    roles: frozenset[Role] = getattr(request, "agency_roles", frozenset())
    return {
        "current_agency": getattr(request, "agency", None),
        # A page of the agency's public face (/p/<agency>/): no roles are read there.
        "nav_public": not hasattr(request, "agency_roles"),
        "nav_can_view_ledger": bool(roles & LEDGER_VIEWERS),
        "nav_can_view_events": bool(roles & EVENT_VIEWERS),
        "nav_can_view_priorities": bool(roles & PRIORITY_VIEWERS),
        # Team members and partners see the problems whose teams they are on.
        "nav_can_view_problems": bool(roles & TEAM_PARTICIPANTS),
        "nav_can_view_map": bool(roles & MAP_VIEWERS),
        "nav_can_view_incidents": bool(roles & INCIDENT_VIEWERS),
        "nav_can_view_conversations": bool(roles & CONVERSATION_VIEWERS),
        "nav_can_view_surveys": bool(roles & SURVEY_VIEWERS),
        "nav_can_view_measures": bool(roles & MEASURE_VIEWERS),
        "nav_can_view_pack": bool(roles & PACK_VIEWERS),
        # Partners' representatives share their organisation's figures (the page
        # itself checks that they were granted it for an organisation).
        "nav_can_share_figures": Role.PARTNER in roles,
        "nav_can_edit_map": bool(roles & MAP_EDITORS),
        "nav_can_view_audit": bool(roles & AUDIT_VIEWERS),
        "languages": settings.LANGUAGES,
        "map_tiles": settings.ROUNDTABLE_MAP_TILES,
        "map_attribution": settings.ROUNDTABLE_MAP_ATTRIBUTION,
    }
