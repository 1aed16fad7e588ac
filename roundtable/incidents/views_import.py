"""Import pages: upload an export, follow its run, read its error table.

Uploading admits INCIDENT_IMPORTERS only (administrators and analysts); the
runs can be read by every INCIDENT_VIEWER. The import itself runs in the
background task of `services_import`; the run page refreshes itself with htmx
while the run is queued or running, and has a reload link without JavaScript.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import (
    INCIDENT_IMPORTERS,
    INCIDENT_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.incidents import selectors
from roundtable.incidents.forms import ImportForm
from roundtable.incidents.models import ImportRun

# While a run is in these states the page asks again every few seconds.
PENDING = (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)
RUNS_SHOWN = 50


@require_http_methods(["GET", "POST"])
@agency_view(INCIDENT_IMPORTERS)
def import_upload(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Importers: upload a CSV export (and a mapping file for an unknown layout)."""
    from roundtable.incidents.services_import import incidents_import_enqueue

    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            run = incidents_import_enqueue(
                agency=agency,
                upload=form.cleaned_data["file"],
                profile=form.cleaned_data["profile"],
                mapping_text=form.cleaned_data["mapping"],
                actor=acting_user(request),
            )
            return HttpResponseRedirect(reverse("incidents:import_run", args=[agency.slug, run.pk]))
        status = 400
    else:
        form = ImportForm()
    context = {"agency": agency, "form": form}
    return render(request, "incidents/import_upload.html", context, status=status)


@require_GET
@agency_view(INCIDENT_VIEWERS)
def import_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Every import of the agency (incidents, boundaries, sentiment), newest first."""
    context = {
        "agency": agency,
        "runs": selectors.import_runs(agency=agency, limit=RUNS_SHOWN),
        "can_import": holds_any(request, INCIDENT_IMPORTERS),
    }
    return render(request, "incidents/import_list.html", context)


@require_GET
@agency_view(INCIDENT_VIEWERS)
def import_run(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """One run: status, counts and the first errors; refreshes itself while pending."""
    try:
        run = selectors.import_run(agency=agency, pk=pk)
    except ImportRun.DoesNotExist:
        raise Http404 from None
    context = {"agency": agency, "run": run, "pending": run.status in PENDING}
    # htmx asks for the status box only, to swap it in place.
    if request.headers.get("HX-Request"):
        return render(request, "incidents/_import_status.html", context)
    return render(request, "incidents/import_run.html", context)
