"""Staff pages for partner data: the submissions queue and review, and who may
share figures for which organisation."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    MEASURE_EDITORS,
    MEASURE_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.measures import selectors_staff, services, services_partners
from roundtable.measures.forms import ReviewForm, SharerForm
from roundtable.measures.models import DataSharer, PartnerSubmission
from roundtable.measures.periods import period_label
from roundtable.measures.texts import measure_name

TEMPLATES = "measures/staff/"
PAGE_SIZE = 50


def submission_rows(submission: PartnerSubmission) -> list[dict[str, object]]:
    """The submitted figures as the review page shows them."""
    with_areas = any(item.get("area") for item in submission.rows)
    areas = {a.pk: a.name for a in submission.agency.areas.all()} if with_areas else {}
    rows = []
    for item in submission.rows:
        start = dt.date.fromisoformat(str(item["period"]))
        area_id = item.get("area")
        rows.append(
            {
                "period": period_label(start, submission.measure.frequency),
                "area": areas.get(int(area_id), "?") if area_id is not None else "",
                "value": item.get("value"),
                "count": item.get("numerator"),
                "base": item.get("denominator"),
            }
        )
    return rows


@require_GET
@agency_view(MEASURE_VIEWERS)
def submissions(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Figures partners shared: those waiting for approval first."""
    page = Paginator(selectors_staff.submission_queue(agency=agency), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "agency": agency,
        "page": page,
        "rows": [(s, measure_name(s.measure)) for s in page],
    }
    return render(request, TEMPLATES + "submissions.html", context)


@require_GET
@agency_view(MEASURE_VIEWERS)
def submission(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    item = selectors_staff.submission_for(agency=agency, pk=pk)
    return _submission_page(request, agency, item, ReviewForm())


def _submission_page(
    request: HttpRequest,
    agency: Agency,
    item: PartnerSubmission,
    form: ReviewForm,
    status: int = 200,
) -> HttpResponse:
    pending = item.status == PartnerSubmission.Status.PENDING
    own = pending and services_partners.is_own_submission(acting_user(request), item)
    context = {
        "agency": agency,
        "submission": item,
        "name": measure_name(item.measure),
        "rows": submission_rows(item),
        "form": form,
        # Nobody reviews their own submission: someone else must.
        "can_review": holds_any(request, MEASURE_EDITORS) and pending and not own,
        "own_submission": own,
    }
    return render(request, TEMPLATES + "submission.html", context, status=status)


@require_POST
@agency_view(MEASURE_EDITORS)
def submission_review(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Approve (writes the figures) or reject (a note is needed) a submission."""
    item = selectors_staff.submission_for(agency=agency, pk=pk)
    form = ReviewForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject") or not form.is_valid():
        form.add_error(None, _("Approve or reject the figures."))
        return _submission_page(request, agency, item, form, status=400)
    try:
        if decision == "approve":
            services_partners.submission_approve(
                actor=acting_user(request), submission=item, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Approved: the figures are now the measure's."))
        else:
            services_partners.submission_reject(
                actor=acting_user(request), submission=item, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Rejected. The partner sees your note."))
    except ValidationError as error:
        add_service_error(form, error)
        return _submission_page(request, agency, item, form, status=400)
    return HttpResponseRedirect(reverse("measures:submissions", args=[agency.slug]))


@require_http_methods(["GET", "POST"])
@agency_view(MEASURE_VIEWERS)
def sharers(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Who shares figures for which organisation; editors grant it here."""
    can_edit = holds_any(request, MEASURE_EDITORS)
    form = SharerForm(request.POST or None, agency=agency) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.data_sharer_grant(
                    actor=acting_user(request),
                    agency=agency,
                    organisation=form.cleaned_data["organisation"],
                    user=form.cleaned_data["user"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("They may now share figures for the organisation."))
                return HttpResponseRedirect(reverse("measures:sharers", args=[agency.slug]))
    context = {
        "agency": agency,
        "sharers": selectors_staff.sharers(agency=agency),
        "form": form,
        "can_edit": can_edit,
    }
    status = 400 if form is not None and form.is_bound else 200
    return render(request, TEMPLATES + "sharers.html", context, status=status)


@require_POST
@agency_view(MEASURE_EDITORS)
def sharer_revoke(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    sharer = get_object_or_404(DataSharer, agency=agency, pk=pk)
    services.data_sharer_revoke(actor=acting_user(request), sharer=sharer)
    messages.success(request, _("They no longer share figures for the organisation."))
    return HttpResponseRedirect(reverse("measures:sharers", args=[agency.slug]))
