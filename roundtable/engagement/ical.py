"""iCalendar (RFC 5545) feeds of public events, built with the `icalendar` library.

Each event keeps one UID for life (`event-<pk>@<agency>.roundtable`) and its
SEQUENCE rises when time, place or status change, so calendar apps that
subscribed replace their copy instead of adding a second one. Times are
written in UTC, which every calendar app accepts without a VTIMEZONE block.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from roundtable.agencies.models import Agency
from roundtable.engagement.models import Event, EventFormat
from roundtable.engagement.notices import event_public_url
from roundtable.inputs.redaction import redact

PRODID = "-//Roundtable//Engagement events//EN"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{event.agency.slug}.roundtable"


def convened_by(event: Event) -> str:
    """ "Convened by X with Y" in words, for the public (the agency or an organisation)."""
    if event.convener is None:
        return _("Convened by %(agency)s") % {"agency": event.agency.name}
    return _("Convened by %(organisation)s with %(agency)s") % {
        "organisation": event.convener.name,
        "agency": event.agency.name,
    }


def _location(event: Event) -> str:
    place = ", ".join(part for part in (event.place_name, event.address) if part)
    if event.format == EventFormat.VIRTUAL:
        return event.join_url
    return place


def _vevent(event: Event, stamp: dt.datetime) -> VEvent:
    item = VEvent()
    item.add("uid", event_uid(event))
    item.add("sequence", event.sequence)
    item.add("dtstamp", stamp)
    item.add("last-modified", event.updated_at.astimezone(dt.UTC))
    item.add("dtstart", event.starts_at.astimezone(dt.UTC))
    item.add("dtend", event.ends_at.astimezone(dt.UTC))
    item.add("summary", event.title)
    lines = [convened_by(event)]
    # Free text typed by staff reaches the public only redacted.
    if event.description:
        lines.append(redact(event.description))
    if event.join_url and event.format != EventFormat.IN_PERSON:
        lines.append(_("Join online: %(url)s") % {"url": event.join_url})
    if event.status == Event.Status.CANCELLED and event.cancellation_note:
        lines.append(redact(event.cancellation_note))
    item.add("description", "\n\n".join(lines))
    location = _location(event)
    if location:
        item.add("location", location)
    item.add("url", event_public_url(event))
    if event.status == Event.Status.CANCELLED:
        item.add("status", "CANCELLED")
    else:
        item.add("status", "CONFIRMED")
    return item


def calendar_for(
    agency: Agency, events: Iterable[Event], *, name: str, now: dt.datetime | None = None
) -> bytes:
    stamp = (now or timezone.now()).astimezone(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    data: bytes = calendar.to_ical()
    return data
