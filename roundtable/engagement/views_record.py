"""What coordinators record on an event's page: who came, minutes, headcount,
and the promises made (action items). Each form posts here; a form with errors
comes back on a page of its own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from roundtable.accounts.access import EVENT_EDITORS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.engagement import attendance, services
from roundtable.engagement.forms import (
    ActionItemForm,
    ActionItemUpdateForm,
    AttendanceForm,
    HeadcountForm,
    MinutesForm,
    SheetForm,
)
from roundtable.engagement.models import ActionItem, Attendance, Event, Registration
from roundtable.engagement.views import detail_url


def _event(agency: Agency, pk: int) -> Event:
    event = Event.objects.select_related("agency").filter(agency=agency, pk=pk).first()
    if event is None:
        raise Http404
    return event


def _form_page(
    request: HttpRequest,
    event: Event,
    form: forms.BaseForm,
    title: str,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {"agency": event.agency, "event": event, "form": form, "title": title}
    return render(request, "engagement/simple_form.html", context, status=status)


def _done(request: HttpRequest, event: Event, text: str) -> HttpResponseRedirect:
    messages.success(request, text)
    return HttpResponseRedirect(detail_url(event))


@require_POST
@agency_view(EVENT_EDITORS)
def attendance_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators: a walk-in or someone online."""
    event = _event(agency, pk)
    form = AttendanceForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            attendance.attendance_record(
                actor=acting_user(request), event=event, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _done(request, event, _("Attendance recorded."))
    return _form_page(request, event, form, _("Record attendance"), status=400)


@require_POST
@agency_view(EVENT_EDITORS)
def registration_present(
    request: HttpRequest, agency: Agency, pk: int, registration_pk: int
) -> HttpResponse:
    """Administrators and engagement coordinators: someone who registered came."""
    event = _event(agency, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    try:
        attendance.attendance_record(
            actor=acting_user(request),
            event=event,
            source=Attendance.Source.REGISTRATION,
            registration=registration,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(detail_url(event))
    return _done(request, event, _("Marked present."))


@require_POST
@agency_view(EVENT_EDITORS)
def sheet_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators: a paper sign-in sheet typed in."""
    event = _event(agency, pk)
    form = SheetForm(request.POST)
    if form.is_valid():
        try:
            added = attendance.attendance_record_sheet(
                actor=acting_user(request), event=event, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            linked = sum(1 for a in added if a.organisation_id)
            return _done(
                request,
                event,
                _("%(count)s people added from the sheet; %(linked)s matched to the Community Map.")
                % {"count": len(added), "linked": linked},
            )
    return _form_page(request, event, form, _("Type in a sign-in sheet"), status=400)


@require_POST
@agency_view(EVENT_EDITORS)
def minutes_save(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    event = _event(agency, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.event_minutes_save(
                actor=acting_user(request), event=event, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _done(request, event, _("Minutes saved."))
    return _form_page(request, event, form, _("Minutes"), status=400)


@require_POST
@agency_view(EVENT_EDITORS)
def headcount_save(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    event = _event(agency, pk)
    form = HeadcountForm(request.POST)
    if form.is_valid():
        services.headcount_record(
            actor=acting_user(request), event=event, headcount=form.cleaned_data["headcount"]
        )
        return _done(request, event, _("Headcount saved."))
    return _form_page(request, event, form, _("Headcount"), status=400)


@require_POST
@agency_view(EVENT_EDITORS)
def action_item_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    event = _event(agency, pk)
    form = ActionItemForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            services.action_item_create(
                actor=acting_user(request), event=event, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _done(request, event, _("Action item added."))
    return _form_page(request, event, form, _("Add an action item"), status=400)


@require_http_methods(["GET", "POST"])
@agency_view(EVENT_EDITORS)
def action_item_edit(request: HttpRequest, agency: Agency, pk: int, item_pk: int) -> HttpResponse:
    """Administrators and engagement coordinators: progress on a promise."""
    event = _event(agency, pk)
    item = get_object_or_404(ActionItem, pk=item_pk, event=event)
    if request.method == "POST":
        form = ActionItemUpdateForm(request.POST, agency=agency)
        if form.is_valid():
            try:
                services.action_item_update(
                    actor=acting_user(request), item=item, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return _done(request, event, _("Action item updated."))
    else:
        form = ActionItemUpdateForm(
            agency=agency,
            initial={
                name: getattr(item, name)
                for name in (
                    "description",
                    "owner_user",
                    "owner_organisation",
                    "due_on",
                    "status",
                    "outcome",
                    "done_on",
                )
            },
        )
    return _form_page(request, event, form, _("Update an action item"))
