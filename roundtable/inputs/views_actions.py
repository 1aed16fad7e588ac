"""What coordinators and administrators do to one input: owner, status, answer,
notes, referrals, links to events, moderation. Every view here is POST-only,
for LEDGER_EDITORS (administrator, engagement coordinator); analysts and
command staff read the ledger but change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from roundtable.accounts.access import LEDGER_EDITORS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.inputs import services, services_ledger
from roundtable.inputs.forms import (
    AnswerForm,
    AssignForm,
    LinkEventForm,
    ModerationForm,
    NoteForm,
    ReferralForm,
    ReferralReturnForm,
    StatusForm,
)
from roundtable.inputs.models import Input, InputLink, InputReferral
from roundtable.inputs.views import get_input


def detail_url(item: Input) -> str:
    return reverse("inputs:detail", args=[item.agency.slug, item.pk])


def _act(
    request: HttpRequest,
    item: Input,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], object],
    *,
    done: str,
    title: str | Promise,
) -> HttpResponse:
    """Validate `form`, run the service through `perform`, and go back to the
    input; on an error, show the form again on a page of its own (no JavaScript
    needed), with the service's message on it."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(detail_url(item))
    context = {"agency": item.agency, "input": item, "form": form, "title": title}
    return render(request, "inputs/staff/action_form.html", context, status=400)


@require_POST
@agency_view(LEDGER_EDITORS)
def assign(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: give the input an owner."""
    item = get_input(agency, pk)
    return _act(
        request,
        item,
        AssignForm(request.POST, agency=agency),
        lambda d: services_ledger.input_assign(
            actor=acting_user(request), input=item, owner=d["owner"]
        ),
        done=_("Owner changed."),
        title=gettext_lazy("Change the owner"),
    )


@require_POST
@agency_view(LEDGER_EDITORS)
def status(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: move the input along the ledger."""
    item = get_input(agency, pk)
    return _act(
        request,
        item,
        StatusForm(request.POST),
        lambda d: services_ledger.input_set_status(
            actor=acting_user(request), input=item, status=d["status"], note=d["note"]
        ),
        done=_("Status changed."),
        title=gettext_lazy("Change the status"),
    )


@require_POST
@agency_view(LEDGER_EDITORS)
def answer(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: write the public answer and relay it."""
    item = get_input(agency, pk)
    return _act(
        request,
        item,
        AnswerForm(request.POST, input=item),
        lambda d: services_ledger.input_answer(
            actor=acting_user(request), input=item, answer=d["answer"]
        ),
        done=_("Answer published; the contributor is told."),
        title=gettext_lazy("Answer"),
    )


@require_POST
@agency_view(LEDGER_EDITORS)
def note(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: add an internal note."""
    item = get_input(agency, pk)
    return _act(
        request,
        item,
        NoteForm(request.POST),
        lambda d: services_ledger.input_note_add(
            actor=acting_user(request), input=item, text=d["text"]
        ),
        done=_("Note added."),
        title=gettext_lazy("Add an internal note"),
    )


@require_POST
@agency_view(LEDGER_EDITORS)
def refer(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: pass the input to another agency or partner."""
    item = get_input(agency, pk)
    return _act(
        request,
        item,
        ReferralForm(request.POST, agency=agency),
        lambda d: services_ledger.input_refer(actor=acting_user(request), input=item, **d),
        done=_("Referred."),
        title=gettext_lazy("Refer"),
    )


@require_POST
@agency_view(LEDGER_EDITORS)
def referral_return(
    request: HttpRequest, agency: Agency, pk: int, referral_pk: int
) -> HttpResponse:
    """Coordinators and administrators: record that a referral came back."""
    item = get_input(agency, pk)
    referral = get_object_or_404(InputReferral, pk=referral_pk, input=item)
    return _act(
        request,
        item,
        ReferralReturnForm(request.POST),
        lambda d: services_ledger.referral_returned(
            actor=acting_user(request), referral=referral, outcome=d["outcome"]
        ),
        done=_("Referral marked as come back."),
        title=gettext_lazy("The referral came back"),
    )


@require_POST
@agency_view(LEDGER_EDITORS)
def link(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: tie the input to one of the agency's events."""
    item = get_input(agency, pk)
    return _act(
        request,
        item,
        LinkEventForm(request.POST, agency=agency),
        lambda d: services.input_link(actor=acting_user(request), input=item, item=d["event"]),
        done=_("Linked. When the event changes, the contributor is told."),
        title=gettext_lazy("Link to an event"),
    )


@require_POST
@agency_view(LEDGER_EDITORS)
def unlink(request: HttpRequest, agency: Agency, pk: int, link_pk: int) -> HttpResponse:
    """Coordinators and administrators: untie the input from an item."""
    item = get_input(agency, pk)
    found = InputLink.objects.filter(pk=link_pk, input=item).select_related("input").first()
    if found is None:
        raise Http404
    services_ledger.input_unlink(actor=acting_user(request), link=found)
    messages.success(request, _("Link removed."))
    return HttpResponseRedirect(detail_url(item))


@require_POST
@agency_view(LEDGER_EDITORS)
def moderate(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: release a held input or keep it from view."""
    item = get_input(agency, pk)
    response = _act(
        request,
        item,
        ModerationForm(request.POST),
        lambda d: services_ledger.input_moderate(
            actor=acting_user(request), input=item, moderation=d["moderation"], note=d["note"]
        ),
        done=_("Moderation saved. Nothing was deleted."),
        title=gettext_lazy("Moderate"),
    )
    # From the queue, go back to the queue.
    if response.status_code == 302 and request.POST.get("next") == "queue":
        return HttpResponseRedirect(reverse("inputs:moderation", args=[agency.slug]))
    return response
