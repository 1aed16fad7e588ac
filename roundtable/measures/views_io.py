"""Importing figures from a file, and the file to fill in."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import MEASURE_EDITORS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.measures.figures import COLUMNS, template_csv
from roundtable.measures.forms import FiguresFileForm
from roundtable.measures.models import Measure, Source
from roundtable.measures.selectors import in_catalogue_order
from roundtable.measures.services_values import ImportReport, values_import_csv
from roundtable.measures.texts import measure_name, public_id
from roundtable.stakeholders.tabular import CSV_CONTENT_TYPE

# Enough to fix a file from.
PROBLEMS_SHOWN = 200


def importable(agency: Agency) -> list[Measure]:
    """The agency's measures whose figures come from files or partners."""
    return in_catalogue_order(
        Measure.objects.filter(agency=agency, active=True).exclude(source=Source.COMPUTED)
    )


@require_http_methods(["GET", "POST"])
@agency_view(MEASURE_EDITORS)
def import_values(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Upload a CSV or Excel file of figures: all of it, or nothing and the reasons."""
    form = FiguresFileForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = values_import_csv(
            actor=acting_user(request),
            agency=agency,
            data=upload.read(),
            file_name=upload.name or "",
        )
        if report.ok:
            messages.success(
                request,
                _(
                    "Imported. New figures: %(created)d; replaced: %(replaced)d; "
                    "unchanged: %(unchanged)d."
                )
                % {
                    "created": report.created,
                    "replaced": report.replaced,
                    "unchanged": report.unchanged,
                },
            )
            return HttpResponseRedirect(reverse("measures:home", args=[agency.slug]))
    measures = importable(agency)
    context = {
        "agency": agency,
        "form": form,
        "report": report,
        "problems": report.problems[:PROBLEMS_SHOWN] if report else [],
        "problems_hidden": max(len(report.problems) - PROBLEMS_SHOWN, 0) if report else 0,
        "columns": COLUMNS,
        "measures": [(public_id(m), measure_name(m), m) for m in measures],
    }
    status = 400 if report is not None or (form.is_bound and not form.is_valid()) else 200
    return render(request, "measures/staff/import.html", context, status=status)


@require_GET
@agency_view(MEASURE_EDITORS)
def import_template(request: HttpRequest, agency: Agency) -> HttpResponse:
    """A CSV file with the columns and one example row per importable measure."""
    response = HttpResponse(template_csv(importable(agency)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{agency.slug}-measures.csv") or ""
    )
    return response
