"""Pages importing 311 and social-media exports into the ledger.

Step 1 uploads the file; step 2 maps its columns, previews the first rows,
checks every row and imports. Between the two the file is kept in the
session, compressed and base64-encoded (at most 5 MB before compression,
about 1 MB in the session for a typical CSV), rather than on disk: sessions
live in the database every web process shares, so any process can serve step
2; nothing is left behind on a server's disk; the copy goes away when the
import is done or cancelled, on the next upload, and with the session at the
latest. Asking for the file again at step 2 would also work without keeping
anything, but makes a coordinator pick the same file twice, and a preview
needs it once more.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from roundtable.accounts.access import LEDGER_EDITORS, agency_view
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.inputs import importing
from roundtable.inputs.import_forms import MappingForm, UploadForm
from roundtable.inputs.models import InputChannel
from roundtable.stakeholders.tabular import Problem, Table

SESSION_KEY = "inputs_import"
# Enough to fix a file from; a file with thousands of bad rows has a bigger problem.
ERRORS_SHOWN = 500


@dataclass(frozen=True)
class _Pending:
    channel: str
    filename: str
    data: bytes


def _keep(request: HttpRequest, agency: Agency, pending: _Pending) -> None:
    request.session[SESSION_KEY] = {
        "agency": agency.pk,
        "channel": pending.channel,
        "filename": pending.filename,
        "data": base64.b64encode(zlib.compress(pending.data)).decode("ascii"),
    }


def _kept(request: HttpRequest, agency: Agency) -> _Pending | None:
    stored: Any = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("agency") != agency.pk:
        return None
    try:
        data = zlib.decompress(base64.b64decode(stored["data"]))
    except (KeyError, binascii.Error, zlib.error):
        return None
    return _Pending(channel=stored["channel"], filename=stored["filename"], data=data)


def _forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def _problem_context(problems: list[Problem]) -> dict[str, object]:
    return {
        "errors_shown": problems[:ERRORS_SHOWN],
        "errors_hidden": max(len(problems) - ERRORS_SHOWN, 0),
        "bad_rows": len({p.line for p in problems if p.line is not None}),
    }


@require_http_methods(["GET", "POST"])
@agency_view(LEDGER_EDITORS)
def import_upload(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Coordinators and administrators of the agency: upload a 311 or social-media export."""
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = _Pending(
            channel=form.cleaned_data["channel"], filename=upload.name or "", data=upload.read()
        )
        table = importing.read(pending.data, pending.filename)
        problems = table.problems
        if not problems:
            _keep(request, agency, pending)
            return redirect("inputs:import_map", agency.slug)
    context = {"agency": agency, "form": form, "readable": False, **_problem_context(problems)}
    return render(request, "inputs/io/upload.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(LEDGER_EDITORS)
def import_map(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Coordinators and administrators of the agency: map the columns, check and import."""
    pending = _kept(request, agency)
    if pending is None:
        messages.info(request, _("Upload the file to import first."))
        return redirect("inputs:import_upload", agency.slug)
    if request.method == "POST" and "cancel" in request.POST:
        _forget(request)
        messages.info(request, _("Import cancelled; the file was discarded."))
        return redirect("inputs:import_upload", agency.slug)
    table = importing.read(pending.data, pending.filename)
    columns = list(zip(table.columns, table.labels, strict=False))
    fields = [
        (name, str(importing.FIELD_LABELS[name]), name in importing.REQUIRED_FIELDS)
        for name in importing.FIELDS
    ]
    guessed = importing.guess_mapping(table.columns)
    form = MappingForm(
        request.POST or None,
        fields=fields,
        columns=columns,
        initial={f"map_{name}": column for name, column in guessed.items()},
    )
    mapping = guessed
    report: importing.ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        if "import" in request.POST:
            assert isinstance(request.user, User)
            report = importing.import_table(
                actor=request.user,
                agency=agency,
                channel=pending.channel,
                table=table,
                mapping=mapping,
                default_topic=form.cleaned_data["default_topic"],
                default_language=form.cleaned_data["default_language"],
                filename=pending.filename,
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
            if report.imported:
                _forget(request)
                _tell(request, report)
                return redirect("inputs:import_upload", agency.slug)
    context = {
        "agency": agency,
        "form": form,
        "pending": pending,
        "channel_label": InputChannel(pending.channel).label,
        "report": report,
        "readable": report.readable if report else True,
        "rows_in_file": len(table.rows) + len(table.row_problems),
        "field_help": [
            (bound, importing.FIELD_HELP[bound.name[4:]]) for bound in form.mapping_fields()
        ],
        **_preview_context(table, mapping),
        **_problem_context(report.errors if report else []),
    }
    return render(request, "inputs/io/mapping.html", context)


def _preview_context(table: Table, mapping: dict[str, str]) -> dict[str, object]:
    labels = dict(zip(table.columns, table.labels, strict=False))
    mapped = [name for name in importing.FIELDS if name in mapping]
    unused = [labels[c] for c in table.columns if c not in mapping.values()]
    return {
        "preview_headers": [
            (importing.FIELD_LABELS[name], labels.get(mapping[name], "")) for name in mapped
        ],
        "preview_rows": importing.preview(table, mapping),
        "unused_columns": unused,
    }


def _tell(request: HttpRequest, report: importing.ImportReport) -> None:
    counts = report.counts
    messages.success(
        request,
        ngettext(
            "Imported %(count)d input (%(already)d rows were already imported).",
            "Imported %(count)d inputs (%(already)d rows were already imported).",
            counts.created,
        )
        % {"count": counts.created, "already": counts.already},
    )
    if counts.skipped:
        lines = sorted({p.line for p in report.errors if p.line is not None})
        shown = ", ".join(str(line) for line in lines[:20]) + (", …" if len(lines) > 20 else "")
        messages.warning(
            request,
            ngettext(
                "Skipped %(count)d row with errors (line %(lines)s).",
                "Skipped %(count)d rows with errors (lines %(lines)s).",
                counts.skipped,
            )
            % {"count": counts.skipped, "lines": shown},
        )
