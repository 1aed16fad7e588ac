"""Import and export pages of the Community Map (CSV and Excel)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from roundtable.accounts.access import MAP_EDITORS, MAP_VIEWERS, agency_view
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.stakeholders import services
from roundtable.stakeholders.exporting import csv_chunks, export_filename, xlsx_bytes
from roundtable.stakeholders.import_forms import ImportFileForm
from roundtable.stakeholders.importing import ImportReport, import_file
from roundtable.stakeholders.tabular import (
    COLUMN_HELP,
    COLUMNS,
    CSV_CONTENT_TYPE,
    REQUIRED_COLUMNS,
    XLSX_CONTENT_TYPE,
)

# Enough to fix a file from; a file with thousands of bad rows has a bigger problem.
ERRORS_SHOWN = 500
SKIPPED_LINES_SHOWN = 20


@require_http_methods(["GET", "POST"])
@agency_view(MAP_EDITORS)
def import_organisations(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Coordinators and administrators of the agency: upload a CSV or Excel file."""
    form = ImportFileForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        upload = form.cleaned_data["file"]
        report = import_file(
            actor=request.user,
            agency=agency,
            data=upload.read(),
            filename=upload.name or "",
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        if report.imported:
            _tell(request, report)
            return redirect("stakeholders:list", agency.slug)
    context = {
        "agency": agency,
        "form": form,
        "report": report,
        "errors_shown": report.errors[:ERRORS_SHOWN] if report else [],
        "errors_hidden": max(len(report.errors) - ERRORS_SHOWN, 0) if report else 0,
        "bad_rows": len({p.line for p in report.errors}) if report else 0,
        "columns": [(name, name in REQUIRED_COLUMNS, COLUMN_HELP[name]) for name in COLUMNS],
    }
    return render(request, "stakeholders/import.html", context)


def _tell(request: HttpRequest, report: ImportReport) -> None:
    counts = report.counts
    imported = counts.created + counts.updated + counts.unchanged
    messages.success(
        request,
        ngettext(
            "Imported %(count)d row: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged.",
            "Imported %(count)d rows: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged.",
            imported,
        )
        % {
            "count": imported,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        },
    )
    if counts.skipped:
        lines = sorted({p.line for p in report.errors if p.line is not None})
        shown = ", ".join(str(line) for line in lines[:SKIPPED_LINES_SHOWN])
        if len(lines) > SKIPPED_LINES_SHOWN:
            shown += ", …"
        messages.warning(
            request,
            ngettext(
                "Skipped %(count)d row with errors (line %(lines)s).",
                "Skipped %(count)d rows with errors (lines %(lines)s).",
                counts.skipped,
            )
            % {"count": counts.skipped, "lines": shown},
        )


# POST, not GET: an export writes an audit entry, and a cross-site link must not
# be able to make a staff member's browser take one.
@require_POST
@agency_view(MAP_VIEWERS)
def export_organisations(request: HttpRequest, agency: Agency, fmt: str) -> HttpResponseBase:
    """Agency staff who read the map (administrator, coordinator, analyst, command)."""
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(agency), content_type=CSV_CONTENT_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(agency), content_type=XLSX_CONTENT_TYPE)
    else:
        raise Http404(_("Export as csv or xlsx."))
    # An export carries contacts' personal details out of Roundtable: record who took it.
    assert isinstance(request.user, User)
    services.organisations_export_record(actor=request.user, agency=agency, fmt=fmt)
    disposition = content_disposition_header(
        as_attachment=True, filename=export_filename(agency, fmt)
    )
    if disposition:
        response["Content-Disposition"] = disposition
    return response
