"""Writes about people coming to events: registrations and attendance.

Registering is a public action: no account, no address, no user agent is
kept, and no audit entry (which would tie a name to nobody in particular but
still add nothing). Recording attendance is a staff action and is audited.

What a registrant tells us (name, email, phone, needs) is erased
ROUNDTABLE_REGISTRATION_KEEP_DAYS after the event ends, by the scheduled
command `roundtable event_registrations_erase`; the registration itself stays,
blank, so the number of people who registered is kept.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Area
from roundtable.audit.models import AuditEntry
from roundtable.audit.services import audit_entry, audit_record, snapshot
from roundtable.core.phones import NotAPhoneNumber, to_e164
from roundtable.engagement.models import Attendance, Event, Registration
from roundtable.stakeholders.models import Organisation

ATTENDANCE_FIELDS = ["name", "organisation", "organisation_name", "area", "source", "registration"]
# What a registrant told us about themselves; erased some days after the event.
REGISTRATION_PERSONAL_FIELDS = ("name", "email", "phone", "needs")


def registration_open(event: Event) -> bool:
    return (
        event.is_public
        and event.status == Event.Status.SCHEDULED
        and event.registration_open
        and event.starts_at > timezone.now()
    )


def places_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.registrations.count(), 0)


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
    needs: str = "",
) -> Registration:
    """Someone says they are coming. Contact details are optional, for reminders."""
    # Lock the event so two people cannot take the last place at once.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not registration_open(event):
        raise ValidationError(_("Registration for this event is closed."))
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise ValidationError(_("This event is full."))
    if preferred_language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Choose one of the languages offered.")})
    try:
        phone = to_e164(phone)  # what text messages need
    except NotAPhoneNumber:
        raise ValidationError({"phone": _("This does not look like a phone number.")}) from None
    registration = Registration(
        event=event,
        name=name.strip(),
        email=email.strip(),
        phone=phone,
        preferred_language=preferred_language,
        needs=needs.strip(),
    )
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def registrations_erase(*, keep_days: int | None = None, now: dt.datetime | None = None) -> int:
    """Blank the name, email, phone and needs of every registration for an event
    that ended more than `keep_days` (default ROUNDTABLE_REGISTRATION_KEEP_DAYS)
    ago; returns how many registrations were erased.

    The registrations stay, so counts of who registered are kept. One audit
    entry per event (no actor: the schedule did it) says how many were erased.
    """
    if keep_days is None:
        keep_days = settings.ROUNDTABLE_REGISTRATION_KEEP_DAYS
    if keep_days < 0:
        raise ValueError("keep_days cannot be negative")
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    # exclude() with several conditions leaves out rows where all of them hold:
    # registrations already blank.
    due = Registration.objects.filter(event__ends_at__lt=cutoff).exclude(
        **dict.fromkeys(REGISTRATION_PERSONAL_FIELDS, "")
    )
    per_event = Counter(due.values_list("event_id", flat=True))
    erased = due.update(**dict.fromkeys(REGISTRATION_PERSONAL_FIELDS, ""))
    events = Event.objects.filter(pk__in=per_event).select_related("agency").order_by("pk")
    AuditEntry.objects.bulk_create(
        audit_entry(
            actor=None,
            agency=event.agency,
            action="registration.erase",
            instance=event,
            after={"registrations_erased": per_event[event.pk], "keep_days": keep_days},
        )
        for event in events
    )
    return erased


def _check_attendance(event: Event, organisation: Organisation | None, area: Area | None) -> None:
    if organisation is not None and organisation.agency_id != event.agency_id:
        raise ValidationError(
            {"organisation": _("The organisation must be on this agency's Community Map.")}
        )
    if area is not None and area.agency_id != event.agency_id:
        raise ValidationError({"area": _("The area must be one of this agency's areas.")})


@transaction.atomic
def attendance_record(
    *,
    actor: User | None,
    event: Event,
    source: Attendance.Source | str,
    name: str = "",
    organisation: Organisation | None = None,
    area: Area | None = None,
    registration: Registration | None = None,
) -> Attendance:
    """One person present: a walk-in, someone online, or someone who registered."""
    _check_attendance(event, organisation, area)
    if source == Attendance.Source.REGISTRATION:
        if registration is None or registration.event_id != event.pk:
            raise ValidationError({"registration": _("Choose a registration for this event.")})
        if Attendance.objects.filter(registration=registration).exists():
            raise ValidationError({"registration": _("This person is already marked present.")})
        name = name or registration.name
    elif registration is not None:
        raise ValidationError({"registration": _("Only registered attendance has a registration.")})
    attendance = Attendance(
        event=event,
        source=source,
        name=name.strip(),
        organisation=organisation,
        area=area,
        registration=registration,
        recorded_by=actor,
    )
    attendance.full_clean()
    attendance.save()
    audit_record(
        actor=actor,
        agency=event.agency,
        action="attendance.record",
        instance=attendance,
        after=snapshot(attendance, ATTENDANCE_FIELDS),
    )
    return attendance


def parse_sheet(text: str) -> list[tuple[str, str]]:
    """(name, organisation as written) for each non-empty line of a typed-in
    sign-in sheet; a line is "Name" or "Name, Organisation" (only the first
    comma splits, so "Ortiz, Ana, Eastbank Library" keeps the rest whole)."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        name, _comma, organisation = line.partition(",")
        rows.append((name.strip()[:200], organisation.strip()[:200]))
    return rows


@transaction.atomic
def attendance_record_sheet(*, actor: User | None, event: Event, text: str) -> list[Attendance]:
    """A paper sign-in sheet typed in later: one person a line.

    An organisation written on the sheet is linked when exactly one organisation
    on the agency's Community Map has that name (letter case aside); otherwise
    the text is kept as written, for a coordinator to match by hand.
    """
    rows = parse_sheet(text)
    if not rows:
        raise ValidationError({"text": _("Type at least one name, one a line.")})
    by_name: dict[str, list[Organisation]] = {}
    for known in Organisation.objects.filter(agency_id=event.agency_id):
        by_name.setdefault(known.name.strip().casefold(), []).append(known)
    attendances = []
    for name, written in rows:
        matches = by_name.get(written.casefold(), []) if written else []
        organisation: Organisation | None = matches[0] if len(matches) == 1 else None
        attendances.append(
            Attendance(
                event=event,
                source=Attendance.Source.PAPER_SHEET,
                name=name,
                organisation=organisation,
                organisation_name="" if organisation else written,
                recorded_by=actor,
            )
        )
    created = Attendance.objects.bulk_create(attendances)
    AuditEntry.objects.bulk_create(
        audit_entry(
            actor=actor,
            agency=event.agency,
            action="attendance.sheet",
            instance=attendance,
            after=snapshot(attendance, ATTENDANCE_FIELDS),
        )
        for attendance in created
    )
    return created
