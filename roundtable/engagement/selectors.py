"""Reads of engagement events: staff lists, the public calendar, rotation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.analytics.rotation import Meeting, Rotation, rotation
from roundtable.engagement.models import ActionItem, Attendance, Event, EventKind, Registration
from roundtable.stakeholders.models import Contact, Organisation

UPCOMING, PAST = "upcoming", "past"
ROTATION_WINDOW = dt.timedelta(days=365)
CALENDAR_PAST_WINDOW = dt.timedelta(days=90)


@dataclass(frozen=True)
class EventFilter:
    when: str = UPCOMING
    kind: str = ""
    area: int | None = None
    convener: int | None = None


def _with_hosts(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.select_related("agency", "convener", "area").prefetch_related(
        Prefetch("co_hosts", queryset=Organisation.objects.order_by("name"))
    )


def event_list(
    *, agency: Agency, filters: EventFilter | None = None, now: dt.datetime | None = None
) -> QuerySet[Event]:
    """Upcoming events soonest first, or past ones latest first, with counts."""
    filters = filters or EventFilter()
    now = now or timezone.now()
    qs = _with_hosts(Event.objects.filter(agency=agency)).annotate(
        registration_count=Count("registrations", distinct=True),
        attendance_count=Count("attendances", distinct=True),
    )
    if filters.when == PAST:
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.area:
        qs = qs.filter(area_id=filters.area)
    if filters.convener:
        qs = qs.filter(convener_id=filters.convener)
    return qs


def event_detail(*, agency: Agency, pk: int) -> Event:
    """One event with everything its staff page shows. Raises Event.DoesNotExist."""
    return (
        _with_hosts(Event.objects.filter(agency=agency))
        .prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.select_related("attendance").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("organisation", "area").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner_user", "owner_organisation"),
            ),
        )
        .get(pk=pk)
    )


def public_calendar(*, agency: Agency, now: dt.datetime | None = None) -> QuerySet[Event]:
    """Public events not yet over, soonest first (cancelled ones too: they say so)."""
    now = now or timezone.now()
    return _with_hosts(
        Event.objects.filter(agency=agency, is_public=True, ends_at__gte=now)
    ).order_by("starts_at", "pk")


def public_past(*, agency: Agency, now: dt.datetime | None = None) -> QuerySet[Event]:
    """Public meetings held in the last year, latest first."""
    now = now or timezone.now()
    return _with_hosts(
        Event.objects.filter(
            agency=agency,
            is_public=True,
            status=Event.Status.SCHEDULED,
            ends_at__lt=now,
            starts_at__gte=now - ROTATION_WINDOW,
        )
    ).order_by("-starts_at", "-pk")


def public_event(*, agency: Agency, pk: int) -> Event:
    """A public event with its public action items. Raises Event.DoesNotExist."""
    return (
        _with_hosts(Event.objects.filter(agency=agency, is_public=True))
        .prefetch_related(
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.exclude(
                    status=ActionItem.Status.DROPPED
                ).select_related("owner_organisation"),
            )
        )
        .get(pk=pk)
    )


def calendar_feed_events(*, agency: Agency, now: dt.datetime | None = None) -> QuerySet[Event]:
    """What the agency's iCalendar feed holds: public events, upcoming and the last 90 days."""
    now = now or timezone.now()
    return (
        Event.objects.filter(agency=agency, is_public=True, ends_at__gte=now - CALENDAR_PAST_WINDOW)
        .select_related("agency", "convener", "area")
        .order_by("starts_at", "pk")
    )


def action_items_overdue(*, agency: Agency, today: dt.date | None = None) -> QuerySet[ActionItem]:
    """Open commitments whose date has passed, oldest first."""
    today = today or timezone.localdate()
    return (
        ActionItem.objects.filter(
            event__agency=agency, status=ActionItem.Status.OPEN, due_on__lt=today
        )
        .select_related("event", "owner_user", "owner_organisation")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class RotationReport:
    result: Rotation
    area_names: dict[str, str]
    since: dt.date


def rotation_inputs(
    *, agency: Agency, now: dt.datetime | None = None
) -> tuple[list[Meeting], list[Area], list[str]]:
    """Meetings held in the last twelve months or scheduled since as local
    weekday and hour; the agency's areas by name; and the languages it should
    reach: its interface languages, then any language of an organisation
    contact or a meeting, in that order.

    Cancelled events are left out, and so are one-to-one scanning interviews
    and calls: a conversation with one person, at a time that suits them, says
    nothing about when the community can come to a meeting."""
    now = now or timezone.now()
    events = list(
        Event.objects.filter(
            agency=agency,
            status=Event.Status.SCHEDULED,
            starts_at__gte=now - ROTATION_WINDOW,
        )
        .exclude(kind=EventKind.SCANNING_INTERVIEW)
        .only("starts_at", "area_id", "languages")
        .order_by("starts_at", "pk")
    )
    meetings = []
    for event in events:
        local = timezone.localtime(event.starts_at)
        meetings.append(
            Meeting(
                weekday=local.weekday(),
                hour=local.hour,
                area=str(event.area_id) if event.area_id else None,
                languages=tuple(event.languages),
            )
        )
    areas = list(Area.objects.filter(agency=agency).order_by("name", "pk"))
    languages = [code for code, _label in settings.LANGUAGES]
    contact_languages = (
        Contact.objects.filter(organisation__agency=agency, is_active=True)
        .values_list("preferred_language", flat=True)
        .distinct()
    )
    for code in sorted(set(contact_languages)):
        languages.append(code)
    for event in events:
        languages.extend(event.languages)
    return meetings, areas, list(dict.fromkeys(languages))


def event_rotation(*, agency: Agency, now: dt.datetime | None = None) -> RotationReport:
    now = now or timezone.now()
    meetings, areas, languages = rotation_inputs(agency=agency, now=now)
    result = rotation(meetings, areas=[str(a.pk) for a in areas], languages=languages)
    return RotationReport(
        result=result,
        area_names={str(a.pk): a.name for a in areas},
        since=timezone.localdate(now - ROTATION_WINDOW),
    )
