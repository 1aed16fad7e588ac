from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roundtable.accounts.access import AUDIT_VIEWERS, agency_view
from roundtable.agencies.models import Agency
from roundtable.audit.models import AuditEntry


@require_GET
@agency_view(AUDIT_VIEWERS)
def audit_log(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators of the agency only."""
    entries = AuditEntry.objects.filter(agency=agency).select_related("actor")
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = urlencode({"action": action}) if action else ""
    context = {"agency": agency, "page": page, "action": action, "query": query}
    return render(request, "audit/log.html", context)
