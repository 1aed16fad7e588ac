"""The public face of events: calendar, event pages, registration, iCalendar.

Anyone may use these pages, without an account or JavaScript. Registering
keeps no address, user agent or account; the rate limit knows a client only by
a keyed hash held briefly in the cache (`inputs.public_limits`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.core import honeypot
from roundtable.core.form_errors import add_service_error
from roundtable.engagement import ical, selectors
from roundtable.engagement.attendance import places_left, registration_create, registration_open
from roundtable.engagement.forms import RegistrationForm
from roundtable.engagement.languages import language_label
from roundtable.engagement.models import Event
from roundtable.inputs import public_limits
from roundtable.inputs.redaction import redact


def _public_event(agency: Agency, pk: int) -> Event:
    try:
        return selectors.public_event(agency=agency, pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


@require_GET
@public_agency_view
def calendar(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the agency's upcoming public meetings and the past year's."""
    context = {
        "agency": agency,
        "upcoming": selectors.public_calendar(agency=agency),
        "past": selectors.public_past(agency=agency),
    }
    return render(request, "engagement/public/calendar.html", context)


def _event_page(
    request: HttpRequest, agency: Agency, event: Event, form: RegistrationForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "agency": agency,
        "event": event,
        "convened_by": ical.convened_by(event),
        "co_hosts": list(event.co_hosts.all()),
        "language_labels": [language_label(code) for code in event.languages],
        # Free text typed by staff is shown to the public only redacted.
        "description": redact(event.description),
        "cancellation_note": redact(event.cancellation_note),
        "minutes": redact(event.minutes) if event.minutes_published_at else "",
        # Promises are free text typed by staff: redacted like the minutes.
        "promises": [(item, redact(item.description)) for item in event.action_items.all()],
        "can_register": registration_open(event),
        "places_left": places_left(event),
        "keep_days": settings.ROUNDTABLE_REGISTRATION_KEEP_DAYS,
        "form": form,
    }
    return render(request, "engagement/public/event.html", context, status=status)


@require_GET
@public_agency_view
def event_page(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: who convenes, when and where, how to take part, and registration."""
    event = _public_event(agency, pk)
    language = get_language() or "en"
    form = RegistrationForm(
        initial={"preferred_language": language if language in dict(settings.LANGUAGES) else "en"}
    )
    return _event_page(request, agency, event, form)


@require_POST
@public_agency_view
def register(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: register for a public event (a plain form POST, no account)."""
    event = _public_event(agency, pk)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        if public_limits.exceeded(request, public_limits.registrations()):
            form.add_error(None, _("Too many registrations from here; please try again later."))
            return _event_page(request, agency, event, form, status=429)
        if honeypot.is_filled(form.cleaned_data):
            # A bot filled the hidden field: thank it and keep nothing.
            return HttpResponseRedirect(reverse("events_public:registered", args=[agency.slug, pk]))
        data = {k: v for k, v in form.cleaned_data.items() if k != honeypot.FIELD_NAME}
        try:
            registration_create(event=event, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return HttpResponseRedirect(reverse("events_public:registered", args=[agency.slug, pk]))
    return _event_page(request, agency, event, form, status=400)


@require_GET
@public_agency_view
def registered(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: the page after registering."""
    event = _public_event(agency, pk)
    return render(
        request,
        "engagement/public/registered.html",
        {"agency": agency, "event": event, "convened_by": ical.convened_by(event)},
    )


def _ics(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@public_agency_view
def calendar_ics(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the agency's public events as an iCalendar feed to subscribe to."""
    events = selectors.calendar_feed_events(agency=agency)
    name = _("%(agency)s: community meetings") % {"agency": agency.name}
    return _ics(ical.calendar_for(agency, events, name=name), f"{agency.slug}-events.ics")


@require_GET
@public_agency_view
def event_ics(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: one public event as an iCalendar file."""
    event = _public_event(agency, pk)
    return _ics(ical.calendar_for(agency, [event], name=event.title), f"event-{event.pk}.ics")
