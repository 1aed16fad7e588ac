"""Staff pages for the advisory group's decisions: draft, record votes,
publish. Staff who read priorities see them; administrators and coordinators
write them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    PRIORITY_EDITORS,
    PRIORITY_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.priorities import selectors_decisions, services_decisions
from roundtable.priorities.forms_decisions import (
    DECISION_FORM_FIELDS,
    AdvisoryVoteForm,
    DecisionForm,
)
from roundtable.priorities.models import AdvisoryVote, Decision
from roundtable.priorities.selectors import candidate_links


def staff_decision(agency: Agency, pk: int) -> Decision:
    try:
        return selectors_decisions.decision_detail(agency=agency, pk=pk)
    except Decision.DoesNotExist:
        raise Http404 from None


def decision_url(decision: Decision) -> str:
    return reverse("priorities:decision", args=[decision.agency.slug, decision.pk])


@require_GET
@agency_view(PRIORITY_VIEWERS)
def decision_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read priorities."""
    context = {
        "agency": agency,
        "decisions": selectors_decisions.decision_list(agency=agency),
        "can_edit": holds_any(request, PRIORITY_EDITORS),
    }
    return render(request, "priorities/decisions.html", context)


def _save(
    request: HttpRequest, agency: Agency, form: DecisionForm, decision: Decision | None
) -> Decision | None:
    fields: dict[str, Any] = {name: form.cleaned_data[name] for name in DECISION_FORM_FIELDS}
    fields["chosen"] = list(fields["chosen"])
    try:
        if decision is None:
            return services_decisions.decision_create(
                actor=acting_user(request), agency=agency, **fields
            )
        return services_decisions.decision_update(
            actor=acting_user(request), decision=decision, **fields
        )
    except ValidationError as error:
        add_service_error(form, error)
        return None


@require_http_methods(["GET", "POST"])
@agency_view(PRIORITY_EDITORS)
def decision_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators and coordinators: draft a decision."""
    initial = {"decided_on": timezone.localdate()}
    form = DecisionForm(request.POST or None, initial=initial, agency=agency)
    if request.method == "POST" and form.is_valid():
        decision = _save(request, agency, form, None)
        if decision is not None:
            messages.success(request, _("Draft saved. Record the votes, then publish."))
            return HttpResponseRedirect(decision_url(decision))
    context = {"agency": agency, "form": form, "title": _("Draft a decision")}
    return render(request, "priorities/decision_form.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(PRIORITY_EDITORS)
def decision_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: change a draft (a published decision is final)."""
    decision = staff_decision(agency, pk)
    if decision.status != Decision.Status.DRAFT:
        messages.error(request, _("This decision is published and can no longer be changed."))
        return HttpResponseRedirect(decision_url(decision))
    form = DecisionForm(
        request.POST or None, initial=DecisionForm.initial_for(decision), agency=agency
    )
    saved = request.method == "POST" and form.is_valid() and _save(request, agency, form, decision)
    if saved:
        messages.success(request, _("Changes saved."))
        return HttpResponseRedirect(decision_url(decision))
    context = {
        "agency": agency,
        "form": form,
        "decision": decision,
        "title": _("Edit the draft"),
    }
    return render(request, "priorities/decision_form.html", context)


@require_GET
@agency_view(PRIORITY_VIEWERS)
def decision_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Agency staff who read priorities; editors record votes and publish drafts."""
    decision = staff_decision(agency, pk)
    votes = list(decision.votes.all())
    can_edit = holds_any(request, PRIORITY_EDITORS) and decision.status == Decision.Status.DRAFT
    context: dict[str, Any] = {
        "agency": agency,
        "decision": decision,
        "votes": votes,
        "tally": selectors_decisions.vote_tally(votes),
        "can_edit": can_edit,
    }
    if can_edit:
        context["vote_form"] = AdvisoryVoteForm(agency=agency)
    return render(request, "priorities/decision_detail.html", context)


@require_POST
@agency_view(PRIORITY_EDITORS)
def vote_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: record a member's vote on a draft."""
    decision = staff_decision(agency, pk)
    form = AdvisoryVoteForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            services_decisions.advisory_vote_record(
                actor=acting_user(request), decision=decision, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Vote recorded."))
            return HttpResponseRedirect(decision_url(decision))
    votes = list(decision.votes.all())
    context = {
        "agency": agency,
        "decision": decision,
        "votes": votes,
        "tally": selectors_decisions.vote_tally(votes),
        "can_edit": decision.status == Decision.Status.DRAFT,
        "vote_form": form,
    }
    return render(request, "priorities/decision_detail.html", context, status=400)


@require_POST
@agency_view(PRIORITY_EDITORS)
def vote_remove(request: HttpRequest, agency: Agency, pk: int, vote_pk: int) -> HttpResponse:
    """Administrators and coordinators: remove a vote recorded by mistake on a draft."""
    decision = staff_decision(agency, pk)
    vote = AdvisoryVote.objects.filter(decision=decision, pk=vote_pk).first()
    if vote is None:
        raise Http404
    try:
        services_decisions.advisory_vote_remove(actor=acting_user(request), vote=vote)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Vote removed."))
    return HttpResponseRedirect(decision_url(decision))


@require_http_methods(["GET", "POST"])
@agency_view(PRIORITY_EDITORS)
def decision_publish(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: see what publishing will do, then publish."""
    decision = staff_decision(agency, pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services_decisions.decision_publish(actor=acting_user(request), decision=decision)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("Published. The people whose inputs are linked are being told.")
            )
            return HttpResponseRedirect(decision_url(decision))
    chosen = list(decision.chosen.all())
    chosen_ids = {c.pk for c in chosen}
    others = [
        c
        for c in selectors_decisions.shortlist_for_decision(agency=agency)
        if c.pk not in chosen_ids
    ]
    # One query for the whole shortlist, however long it is.
    told = candidate_links([c.pk for c in [*chosen, *others]]).values("input_id").distinct().count()
    context = {
        "agency": agency,
        "decision": decision,
        "chosen": chosen,
        "others": others,
        "told": told,
        "errors": errors,
    }
    return render(
        request, "priorities/decision_publish.html", context, status=400 if errors else 200
    )
