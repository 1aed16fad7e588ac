"""A partner's pages: "Share figures" for their organisation's measures.

Open to DATA_SHARERS, and then only to people with a DataSharer row in the
agency (anyone else gets 403): they see the measures whose partner is their
organisation, a form for one figure or a file of several (with where the
figures come from), and what their organisation has shared with its status and
the reviewer's note. Nothing else of the agency's measures.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import DATA_SHARERS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.measures import selectors_staff, services_partners
from roundtable.measures.figures import template_csv
from roundtable.measures.forms import FigureForm, PartnerFileForm
from roundtable.measures.models import Measure
from roundtable.measures.texts import measure_definition, measure_name
from roundtable.stakeholders.tabular import CSV_CONTENT_TYPE

TEMPLATES = "measures/share/"
PAGE_SIZE = 25


def _shared_measures(request: HttpRequest, agency: Agency) -> list[Measure]:
    """The measures this person shares, or 403 for someone who shares none."""
    user = acting_user(request)
    if not selectors_staff.sharer_organisations(user=user, agency=agency):
        raise PermissionDenied
    return selectors_staff.partner_measures(user=user, agency=agency)


def _measure(request: HttpRequest, agency: Agency, pk: int) -> Measure:
    for measure in _shared_measures(request, agency):
        if measure.pk == pk:
            return measure
    raise PermissionDenied


@require_GET
@agency_view(DATA_SHARERS)
def share_home(request: HttpRequest, agency: Agency) -> HttpResponse:
    measures = _shared_measures(request, agency)
    user = acting_user(request)
    page = Paginator(
        selectors_staff.partner_submissions(user=user, agency=agency), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "agency": agency,
        "organisations": selectors_staff.sharer_organisations(user=user, agency=agency),
        "measures": [(m, measure_name(m), measure_definition(m)) for m in measures],
        "page": page,
        "rows": [(s, measure_name(s.measure)) for s in page],
    }
    return render(request, TEMPLATES + "home.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(DATA_SHARERS)
def share_measure(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """One figure by form, or a file of them, with where they come from."""
    measure = _measure(request, agency, pk)
    method = request.POST.get("method", "form")
    posted_form = request.method == "POST" and method == "form"
    posted_file = request.method == "POST" and method == "csv"
    form = FigureForm(request.POST if posted_form else None, measure=measure, partner=True)
    file_form = PartnerFileForm(
        request.POST if posted_file else None, request.FILES if posted_file else None
    )
    file_problems: list[str] = []
    try:
        if posted_form and form.is_valid():
            services_partners.partner_submit(
                actor=acting_user(request),
                measure=measure,
                figures=[form.figure()],
                provenance=form.cleaned_data["provenance"],
            )
            messages.success(request, _("Thank you. The figures wait for the agency's approval."))
            return HttpResponseRedirect(reverse("measures:share", args=[agency.slug]))
        if posted_file and file_form.is_valid():
            upload = file_form.cleaned_data["file"]
            services_partners.partner_submit_csv(
                actor=acting_user(request),
                measure=measure,
                data=upload.read(),
                file_name=upload.name or "",
                provenance=file_form.cleaned_data["provenance"],
            )
            messages.success(request, _("Thank you. The figures wait for the agency's approval."))
            return HttpResponseRedirect(reverse("measures:share", args=[agency.slug]))
    except ValidationError as error:
        if posted_file:
            if hasattr(error, "error_dict"):
                add_service_error(file_form, error)
            else:
                file_problems = [str(message) for message in error.messages]
        else:
            add_service_error(form, error)
    context = {
        "agency": agency,
        "measure": measure,
        "name": measure_name(measure),
        "definition": measure_definition(measure),
        "form": form,
        "file_form": file_form,
        "file_problems": file_problems,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, TEMPLATES + "measure.html", context, status=status)


@require_GET
@agency_view(DATA_SHARERS)
def share_template(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    measure = _measure(request, agency, pk)
    response = HttpResponse(template_csv([measure]), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{agency.slug}-figures.csv") or ""
    )
    return response
