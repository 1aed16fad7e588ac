"""Response ledger pages for agency staff: the list, what is overdue, the
moderation queue and one input. Writes are in views_actions.py and
views_record.py; all of them only map forms onto services and selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from roundtable.accounts.access import (
    LEDGER_EDITORS,
    LEDGER_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.inputs import selectors
from roundtable.inputs.forms import (
    AnswerForm,
    AssignForm,
    LedgerFilterForm,
    LinkEventForm,
    ModerationForm,
    NoteForm,
    ReferralForm,
    ReferralReturnForm,
    StatusForm,
)
from roundtable.inputs.models import Input

PAGE_SIZE = 50


def get_input(agency: Agency, pk: int) -> Input:
    try:
        return selectors.input_detail(agency=agency, pk=pk)
    except Input.DoesNotExist:
        raise Http404 from None


@require_GET
@vary_on_headers("HX-Request")
@agency_view(LEDGER_VIEWERS)
def ledger(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read the ledger (administrator, coordinator, analyst, command)."""
    form = LedgerFilterForm(request.GET or None, agency=agency)
    filters = selectors.LedgerFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.LedgerFilter(
            q=data["q"].strip(),
            status=data["status"],
            topic=data["topic"],
            channel=data["channel"],
            owner=data["owner"],
            area=data["area"].pk if data["area"] else None,
            moderation=data["moderation"],
            overdue=data["overdue"],
        )
    rows = selectors.ledger_list(agency=agency, filters=filters, user_id=acting_user(request).pk)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "agency": agency,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.status_counts(agency=agency),
        "can_edit": holds_any(request, LEDGER_EDITORS),
    }
    # htmx asks for the table alone; its history restore needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    template = "inputs/staff/_ledger_table.html" if partial else "inputs/staff/ledger.html"
    return render(request, template, context)


@require_GET
@agency_view(LEDGER_VIEWERS)
def overdue(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read the ledger: what is late and why."""
    context = {
        "agency": agency,
        "items": selectors.overdue_list(agency=agency),
        "can_edit": holds_any(request, LEDGER_EDITORS),
    }
    return render(request, "inputs/staff/overdue.html", context)


@require_GET
@agency_view(LEDGER_VIEWERS)
def moderation(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read the ledger; coordinators and administrators act on it."""
    context = {
        "agency": agency,
        "inputs": selectors.moderation_queue(agency=agency),
        "can_edit": holds_any(request, LEDGER_EDITORS),
    }
    return render(request, "inputs/staff/moderation.html", context)


@require_GET
@agency_view(LEDGER_VIEWERS)
def detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Agency staff who read the ledger. Contact details and the forms are shown
    only to those who edit it (coordinators and administrators)."""
    item = get_input(agency, pk)
    can_edit = holds_any(request, LEDGER_EDITORS)
    context: dict[str, object] = {
        "agency": agency,
        "input": item,
        "can_edit": can_edit,
        "audit_trail": selectors.input_audit_trail(input=item),
        "interview": selectors.interview_answers(input=item),
    }
    if can_edit:
        context.update(
            assign_form=AssignForm(agency=agency, initial={"owner": item.owner_id}),
            status_form=StatusForm(initial={"status": item.status}),
            answer_form=AnswerForm(input=item),
            note_form=NoteForm(),
            referral_form=ReferralForm(agency=agency),
            return_form=ReferralReturnForm(),
            link_form=LinkEventForm(agency=agency),
            moderation_form=ModerationForm(),
        )
    return render(request, "inputs/staff/detail.html", context)
