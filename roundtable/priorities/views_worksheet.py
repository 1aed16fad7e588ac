"""The public safety priority worksheet: one table comparing the candidates,
and a form per candidate for those who fill it in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import (
    PRIORITY_VIEWERS,
    WORKSHEET_EDITORS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.opinions.selectors_map import common_ground
from roundtable.priorities import services_candidates
from roundtable.priorities.forms import WorksheetForm
from roundtable.priorities.selectors_worksheet import SORTS, incident_window, worksheet_rows
from roundtable.priorities.views import staff_candidate


@require_GET
@agency_view(PRIORITY_VIEWERS)
def worksheet(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read priorities: every candidate on the shortlist or
    chosen, side by side, sortable by community rank; below it, the common
    ground of the agency's opinion conversations, which those who fill the
    worksheet may add to the shortlist."""
    sort = request.GET.get("sort", "rank")
    if sort not in SORTS:
        sort = "rank"
    window = incident_window(agency)
    context = {
        "agency": agency,
        "rows": worksheet_rows(agency=agency, sort=sort, window=window),
        "incident_window": window,
        "sort": sort,
        "can_edit": holds_any(request, WORKSHEET_EDITORS),
        "common_ground": common_ground(agency=agency),
    }
    return render(request, "priorities/worksheet.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(WORKSHEET_EDITORS)
def worksheet_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators, coordinators and analysts: harm, feasibility, entered
    incident figures, equity notes and partners of one candidate."""
    candidate = staff_candidate(agency, pk)
    form = WorksheetForm(
        request.POST or None, initial=WorksheetForm.initial_for(candidate), agency=agency
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_candidates.worksheet_update(
                actor=acting_user(request),
                candidate=candidate,
                harm=data["harm"],
                harm_note=data["harm_note"],
                feasibility=data["feasibility"],
                feasibility_note=data["feasibility_note"],
                incident_note=data["incident_note"],
                equity_affected=data["equity_affected"],
                equity_heard=data["equity_heard"],
                partners=list(data["partners"]),
            )
        except ValidationError as error:
            add_service_error(form, error)
            candidate = staff_candidate(agency, pk)
        else:
            messages.success(request, _("Worksheet saved."))
            return HttpResponseRedirect(reverse("priorities:worksheet", args=[agency.slug]))
    context = {"agency": agency, "form": form, "candidate": candidate}
    return render(request, "priorities/worksheet_form.html", context)
