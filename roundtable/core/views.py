from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roundtable.accounts.access import AGENCY_MEMBERS, agency_view
from roundtable.agencies.models import Agency
from roundtable.core import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Public. What Roundtable is, the agencies on it, and your workspaces."""
    context = {
        "agencies": Agency.objects.all(),
        "workspaces": selectors.workspaces_for(request.user),
    }
    return render(request, "core/home.html", context)


@require_GET
@agency_view(AGENCY_MEMBERS)
def agency_home(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Any member of the agency: the jobs their roles open."""
    context = {
        "agency": agency,
        "summary": selectors.agency_summary(agency=agency),
        "areas": selectors.agency_areas(agency=agency),
    }
    return render(request, "core/agency_home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Public. For load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
