"""Staff typing in what they heard (a call, a meeting, a focus group, a
scanning interview), and the administrators' ledger targets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from roundtable.accounts.access import AUDIT_VIEWERS, LEDGER_EDITORS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.inputs import services, services_ledger
from roundtable.inputs.forms import RecordForm, TargetsForm
from roundtable.inputs.receipts import display

# Administrators set the ledger's targets: the same people who read the audit log.
TARGET_EDITORS = AUDIT_VIEWERS


@require_http_methods(["GET", "POST"])
@agency_view(LEDGER_EDITORS)
def record(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Coordinators and administrators: record input heard by staff."""
    form = RecordForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.input_create(
                agency=agency,
                channel=data["channel"],
                topic=data["topic"],
                text=data["text"],
                language=data["language"],
                area=data["area"],
                event=data["event"],
                organisation=data["organisation"],
                interview=data["interview"],
                is_anonymous=data["is_anonymous"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                reply_channel=data["reply_channel"],
                recorded_by=acting_user(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Recorded under receipt code %(code)s.") % {"code": display(item.receipt_code)},
            )
            return HttpResponseRedirect(reverse("inputs:detail", args=[agency.slug, item.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "inputs/staff/record.html", {"agency": agency, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@agency_view(TARGET_EDITORS)
def targets(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators: how soon inputs are acknowledged, answered and referrals expected back."""
    initial = {name: getattr(agency, name) for name in services_ledger.TARGET_FIELDS}
    form = TargetsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_ledger.agency_ledger_targets_set(
                actor=acting_user(request), agency=agency, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Targets saved. Inputs already received keep their dates."))
            return HttpResponseRedirect(reverse("inputs:targets", args=[agency.slug]))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "inputs/staff/targets.html", {"agency": agency, "form": form}, status=status
    )
