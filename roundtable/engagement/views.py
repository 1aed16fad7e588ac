"""Staff pages for events: list, create, edit, detail, cancel, rotation check.

Views map forms onto services and selectors, nothing more. The forms on the
detail page (attendance, minutes, action items) post to `views_record`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import (
    EVENT_EDITORS,
    EVENT_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.engagement import selectors, services
from roundtable.engagement.attendance import places_left
from roundtable.engagement.forms import (
    EVENT_FORM_FIELDS,
    ActionItemForm,
    AttendanceForm,
    CancelForm,
    EventFilterForm,
    EventForm,
    HeadcountForm,
    MinutesForm,
    SheetForm,
)
from roundtable.engagement.models import Event
from roundtable.engagement.rotation_words import rotation_rows, suggestion_query, suggestion_words

PAGE_SIZE = 30


def staff_event(agency: Agency, pk: int) -> Event:
    try:
        return selectors.event_detail(agency=agency, pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


def detail_url(event: Event) -> str:
    return reverse("engagement:detail", args=[event.agency.slug, event.pk])


@require_GET
@agency_view(EVENT_VIEWERS)
def event_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read events (administrator, coordinator, analyst, command)."""
    form = EventFilterForm(request.GET or None, agency=agency)
    filters = selectors.EventFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.EventFilter(
            when=data["when"] or selectors.UPCOMING,
            kind=data["kind"],
            area=data["area"].pk if data["area"] else None,
            convener=data["convener"].pk if data["convener"] else None,
        )
    page = Paginator(selectors.event_list(agency=agency, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "agency": agency,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "past": filters.when == selectors.PAST,
        "can_edit": holds_any(request, EVENT_EDITORS),
        "overdue": list(selectors.action_items_overdue(agency=agency)[:20]),
    }
    return render(request, "engagement/list.html", context)


def _save_event(
    request: HttpRequest, agency: Agency, form: EventForm, event: Event | None
) -> Event | None:
    fields = {name: form.cleaned_data[name] for name in EVENT_FORM_FIELDS}
    fields["co_hosts"] = list(fields["co_hosts"])
    try:
        if event is None:
            return services.event_create(actor=acting_user(request), agency=agency, **fields)
        return services.event_update(actor=acting_user(request), event=event, **fields)
    except ValidationError as error:
        add_service_error(form, error)
        return None


# GET parameters the create form takes as a starting point (the rotation
# check's suggestion links here with them).
PREFILL = ("kind", "title", "format", "area", "starts_at", "ends_at")


@require_http_methods(["GET", "POST"])
@agency_view(EVENT_EDITORS)
def event_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators and engagement coordinators."""
    if request.method == "POST":
        form = EventForm(request.POST, agency=agency)
        if form.is_valid():
            event = _save_event(request, agency, form, None)
            if event is not None:
                messages.success(request, _("The event is scheduled."))
                return HttpResponseRedirect(detail_url(event))
    else:
        initial: dict[str, Any] = {"is_public": True, "registration_open": True}
        initial.update({name: request.GET[name] for name in PREFILL if request.GET.get(name)})
        if request.GET.getlist("languages"):
            initial["languages"] = request.GET.getlist("languages")
        form = EventForm(initial=initial, agency=agency)
    return render(request, "engagement/event_form.html", {"agency": agency, "form": form})


@require_http_methods(["GET", "POST"])
@agency_view(EVENT_EDITORS)
def event_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    event = staff_event(agency, pk)
    if request.method == "POST":
        form = EventForm(request.POST, agency=agency)
        if form.is_valid():
            saved = _save_event(request, agency, form, event)
            if saved is not None:
                messages.success(request, _("Changes saved."))
                return HttpResponseRedirect(detail_url(saved))
            event = staff_event(agency, pk)  # the failed save changed the copy in memory
    else:
        initial = {name: getattr(event, name) for name in EVENT_FORM_FIELDS if name != "co_hosts"}
        initial["co_hosts"] = list(event.co_hosts.all())
        initial["starts_at"] = timezone.localtime(event.starts_at)
        initial["ends_at"] = timezone.localtime(event.ends_at)
        form = EventForm(initial=initial, agency=agency)
    return render(
        request, "engagement/event_form.html", {"agency": agency, "form": form, "event": event}
    )


@require_GET
@agency_view(EVENT_VIEWERS)
def event_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Agency staff who read events; registrations (personal data) only for editors."""
    event = staff_event(agency, pk)
    can_edit = holds_any(request, EVENT_EDITORS)
    context: dict[str, Any] = {
        "agency": agency,
        "event": event,
        "can_edit": can_edit,
        "places_left": places_left(event),
        "registration_count": len(event.registrations.all()),
        "keep_days": settings.ROUNDTABLE_REGISTRATION_KEEP_DAYS,
    }
    if can_edit:
        context.update(
            attendance_form=AttendanceForm(agency=agency),
            sheet_form=SheetForm(),
            minutes_form=MinutesForm(
                initial={
                    "minutes": event.minutes,
                    "publish": event.minutes_published_at is not None,
                }
            ),
            headcount_form=HeadcountForm(initial={"headcount": event.headcount}),
            action_item_form=ActionItemForm(agency=agency),
            cancel_form=CancelForm(),
        )
    return render(request, "engagement/detail.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(EVENT_EDITORS)
def event_cancel(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators; asks why, then cancels."""
    event = staff_event(agency, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                actor=acting_user(request), event=event, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The event is cancelled; the public page says so."))
            return HttpResponseRedirect(detail_url(event))
    return render(
        request, "engagement/event_cancel.html", {"agency": agency, "event": event, "form": form}
    )


@require_GET
@agency_view(EVENT_VIEWERS)
def rotation(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read events: which weekdays, times, areas and languages
    the last twelve months of meetings reached, and what to try next."""
    report = selectors.event_rotation(agency=agency)
    query = suggestion_query(report, today=timezone.localdate())
    context = {
        "agency": agency,
        "report": report,
        "tables": rotation_rows(report),
        "suggestion": suggestion_words(report),
        "create_url": reverse("engagement:create", args=[agency.slug]) + "?" + query,
        "can_edit": holds_any(request, EVENT_EDITORS),
    }
    return render(request, "engagement/rotation.html", context)
