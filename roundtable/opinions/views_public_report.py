"""A conversation's public report: the opinion map and what it means, in plain words.

Published only when the conversation's `public_report` is on. The map is the
shared partial (`opinions/partials/opinion_map.html`) in public mode: positions
without participant numbers, and groups smaller than the small-cell minimum
given as "fewer than N" (`selectors_map.opinion_map(public=True)`,
docs/disclosure.md). The map
fragment asks for itself again every 30 seconds with htmx, so the report
follows the background analysis as votes arrive; without JavaScript a reload
does the same.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from roundtable import disclosure
from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.opinions import selectors, selectors_map
from roundtable.opinions.models import Conversation

TEMPLATES = "opinions/public/"


def _published(agency: Agency, pk: int) -> Conversation:
    conversation = selectors.public_conversation(agency=agency, pk=pk)
    if not conversation.public_report:
        raise Http404
    return conversation


def _context(agency: Agency, conversation: Conversation) -> dict[str, object]:
    return {
        "agency": agency,
        "conversation": conversation,
        "map": selectors_map.opinion_map(conversation=conversation, public=True),
        "public": True,
        "small_cell": disclosure.minimum_count(),
    }


@require_GET
@public_agency_view
def report(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: the opinion map, its groups, what each stands for and what all agree on."""
    conversation = _published(agency, pk)
    return render(request, TEMPLATES + "report.html", _context(agency, conversation))


@require_GET
@public_agency_view
def report_map(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: the map fragment alone, for the report's refresh every 30 seconds."""
    conversation = _published(agency, pk)
    response = render(request, TEMPLATES + "_report_map.html", _context(agency, conversation))
    add_never_cache_headers(response)
    return response
