"""Staff pages for the shortlist of candidate priorities: the list, one
candidate with the inputs behind it, adding and editing candidates, keeping
or rejecting them.

Themes are `views_themes`, the worksheet `views_worksheet`, decisions
`views_decisions`; the ranking's pages belong to `views_ranking`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    PRIORITY_EDITORS,
    PRIORITY_VIEWERS,
    WORKSHEET_EDITORS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.priorities import selectors, services_candidates
from roundtable.priorities.categories import category_labels
from roundtable.priorities.forms import CandidateForm, CandidateStatusForm
from roundtable.priorities.models import Candidate
from roundtable.priorities.selectors_worksheet import candidate_incidents

# The shortlist's tabs: what each shows.
TABS = {
    "current": (gettext_lazy("On the shortlist or chosen"), selectors.CURRENT_STATUSES),
    "proposed": (gettext_lazy("Suggested by the public"), (Candidate.Status.PROPOSED,)),
    "not_chosen": (gettext_lazy("Not chosen"), (Candidate.Status.NOT_CHOSEN,)),
    "rejected": (gettext_lazy("Rejected"), (Candidate.Status.REJECTED,)),
}


def staff_candidate(agency: Agency, pk: int) -> Candidate:
    try:
        return selectors.candidate_detail(agency=agency, pk=pk)
    except Candidate.DoesNotExist:
        raise Http404 from None


def candidate_url(candidate: Candidate) -> str:
    return reverse("priorities:candidate", args=[candidate.agency.slug, candidate.pk])


def problem_create_url(candidate: Candidate) -> str:
    """Where to open a problem for a chosen priority; "" while the problems
    pages do not exist."""
    try:
        base = reverse("problems:create", args=[candidate.agency.slug])
    except NoReverseMatch:
        return ""
    return f"{base}?priority={candidate.pk}"


@require_GET
@agency_view(PRIORITY_VIEWERS)
def shortlist(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read priorities."""
    tab = request.GET.get("tab", "current")
    if tab not in TABS:
        tab = "current"
    candidates = list(selectors.candidate_list(agency=agency, statuses=TABS[tab][1]))
    heard = selectors.heard_by_candidate([c.pk for c in candidates])
    counts = selectors.status_counts(agency=agency)
    tabs = [
        (key, label, sum(counts.get(status, 0) for status in statuses))
        for key, (label, statuses) in TABS.items()
    ]
    context = {
        "agency": agency,
        "tab": tab,
        "tabs": tabs,
        "rows": [(c, heard.get(c.pk, selectors.Heard())) for c in candidates],
        "can_edit": holds_any(request, WORKSHEET_EDITORS),
    }
    return render(request, "priorities/shortlist.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(WORKSHEET_EDITORS)
def candidate_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators, coordinators and analysts: add a candidate by hand."""
    form = CandidateForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services_candidates.candidate_create(
                actor=acting_user(request), agency=agency, **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The candidate is on the shortlist."))
            return HttpResponseRedirect(candidate_url(candidate))
    context = {"agency": agency, "form": form, "title": _("New candidate priority")}
    return render(request, "priorities/candidate_form.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(WORKSHEET_EDITORS)
def candidate_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators, coordinators and analysts: title, translations,
    description, areas and offence categories."""
    candidate = staff_candidate(agency, pk)
    form = CandidateForm(
        request.POST or None, initial=CandidateForm.initial_for(candidate), agency=agency
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_candidates.candidate_update(
                actor=acting_user(request), candidate=candidate, **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
            candidate = staff_candidate(agency, pk)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(candidate_url(candidate))
    context = {
        "agency": agency,
        "form": form,
        "candidate": candidate,
        "title": _("Edit the candidate"),
    }
    return render(request, "priorities/candidate_form.html", context)


@require_GET
@agency_view(PRIORITY_VIEWERS)
def candidate_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Agency staff who read priorities: the candidate, the inputs behind it
    (count, areas, who was heard, a redacted sample) and its worksheet."""
    candidate = staff_candidate(agency, pk)
    can_set_status = holds_any(request, PRIORITY_EDITORS) and (
        candidate.status in services_candidates.STAFF_STATUSES
    )
    context = {
        "agency": agency,
        "candidate": candidate,
        "evidence": selectors.candidate_evidence(candidate=candidate),
        "categories": category_labels(candidate.offence_categories),
        "incidents": candidate_incidents(candidate),
        "translations": sorted((candidate.title_translations or {}).items()),
        "can_edit": holds_any(request, WORKSHEET_EDITORS),
        "can_set_status": can_set_status,
        "status_form": CandidateStatusForm(initial={"status": candidate.status}),
        "problem_url": (
            problem_create_url(candidate) if candidate.status == Candidate.Status.CHOSEN else ""
        ),
    }
    return render(request, "priorities/candidate_detail.html", context)


@require_POST
@agency_view(PRIORITY_EDITORS)
def candidate_status(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: keep a candidate on the shortlist or reject it."""
    candidate = staff_candidate(agency, pk)
    form = CandidateStatusForm(request.POST)
    if form.is_valid():
        try:
            services_candidates.candidate_set_status(
                actor=acting_user(request), candidate=candidate, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status saved."))
    else:
        messages.error(request, _("Choose a status."))
    return HttpResponseRedirect(candidate_url(candidate))
