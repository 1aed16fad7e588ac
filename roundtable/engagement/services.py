"""Every write to engagement events goes through these functions.

Keyword-only, in a transaction; staff writes leave an audit entry with the
values before and after. A member of the public registering is not a staff
action and leaves no audit entry (and no address, user agent or account).

When a public event that inputs are linked to changes in a way the public
cares about (new time or place, cancelled, minutes published, a promise kept),
the people who spoke are told through `inputs.services.linked_item_changed`.
Events off the public calendar tell them nothing: that would announce them.

People who registered with an email or phone are told, in their language,
when their meeting is cancelled or its time, place, format or join link
changes (`notices.py`, sent by a background task once the change is saved).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.engagement.languages import MEETING_LANGUAGE_CODES
from roundtable.engagement.models import ActionItem, Event, EventFormat, EventKind
from roundtable.engagement.notices import (
    CANCELLED,
    CHANGED,
    registrants_tell,
    when_text,
    where_text,
)
from roundtable.inputs.redaction import redact
from roundtable.inputs.services import linked_item_changed
from roundtable.stakeholders.models import Organisation

EVENT_FIELDS = [
    "kind",
    "title",
    "description",
    "convener",
    "format",
    "join_url",
    "place_name",
    "address",
    "area",
    "starts_at",
    "ends_at",
    "languages",
    "interpretation",
    "accessibility",
    "childcare",
    "transport",
    "is_public",
    "registration_open",
    "capacity",
    "status",
    "cancellation_note",
    "sequence",
]
# A change to any of these makes calendar apps replace their copy (SEQUENCE).
SEQUENCE_FIELDS = ("starts_at", "ends_at", "place_name", "address", "format", "join_url", "status")
# ... and to these, the people whose inputs are linked to the event are told.
WHEN_WHERE_FIELDS = ("starts_at", "ends_at", "place_name", "address", "format", "join_url")
ACTION_ITEM_FIELDS = [
    "description",
    "owner_user",
    "owner_organisation",
    "due_on",
    "status",
    "outcome",
    "done_on",
]


def _event_snapshot(event: Event) -> dict[str, object]:
    data = snapshot(event, EVENT_FIELDS)
    # A fresh query, not event.co_hosts.all(): a prefetched list would be stale
    # right after co_hosts.set().
    hosts = Organisation.objects.filter(events_cohosted=event) if event.pk else []
    data["co_hosts"] = sorted(str(o) for o in hosts)
    return data


def _check_event(event: Event, co_hosts: list[Organisation]) -> None:
    agency_id = event.agency_id
    errors: dict[str, str] = {}
    if event.convener is not None and event.convener.agency_id != agency_id:
        errors["convener"] = _("The convener must be on this agency's Community Map.")
    if any(org.agency_id != agency_id for org in co_hosts):
        errors["co_hosts"] = _("Co-hosts must be on this agency's Community Map.")
    if event.convener is not None and event.convener in co_hosts:
        errors["co_hosts"] = _("The convener is already hosting; leave them out of co-hosts.")
    if event.area is not None and event.area.agency_id != agency_id:
        errors["area"] = _("The area must be one of this agency's areas.")
    online = event.format in (EventFormat.VIRTUAL, EventFormat.HYBRID)
    in_person = event.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)
    if online and not event.join_url:
        errors["join_url"] = _("An online or hybrid meeting needs a join link.")
    if in_person and not (event.place_name.strip() or event.address.strip()):
        errors["place_name"] = _("A meeting in person needs a place or an address.")
    unknown = set(event.languages) - MEETING_LANGUAGE_CODES
    if unknown:
        errors["languages"] = _("Unknown language: %(codes)s.") % {
            "codes": ", ".join(sorted(unknown))
        }
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("The meeting cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def _save_event(event: Event, co_hosts: list[Organisation]) -> None:
    _check_event(event, co_hosts)
    event.full_clean(exclude=["created_by"])
    event.save()
    event.co_hosts.set(co_hosts)


def _tell_linked(event: Event, message: Callable[[], str]) -> None:
    linked_item_changed(item=event, message=message)


@transaction.atomic
def event_create(
    *,
    actor: User | None,
    agency: Agency,
    kind: EventKind | str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    format: EventFormat | str = EventFormat.IN_PERSON,
    description: str = "",
    convener: Organisation | None = None,
    co_hosts: Iterable[Organisation] = (),
    join_url: str = "",
    place_name: str = "",
    address: str = "",
    area: Area | None = None,
    languages: Iterable[str] = (),
    interpretation: str = "",
    accessibility: str = "",
    childcare: str = "",
    transport: str = "",
    is_public: bool = True,
    registration_open: bool = True,
    capacity: int | None = None,
) -> Event:
    event = Event(
        agency=agency,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        description=description,
        convener=convener,
        join_url=join_url,
        place_name=place_name.strip(),
        address=address.strip(),
        area=area,
        languages=list(dict.fromkeys(languages)),
        interpretation=interpretation,
        accessibility=accessibility,
        childcare=childcare,
        transport=transport,
        is_public=is_public,
        registration_open=registration_open,
        capacity=capacity,
        created_by=actor,
    )
    _save_event(event, list(co_hosts))
    audit_record(
        actor=actor,
        agency=agency,
        action="event.create",
        instance=event,
        after=_event_snapshot(event),
    )
    return event


@transaction.atomic
def event_update(
    *,
    actor: User | None,
    event: Event,
    co_hosts: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Event:
    """Change any of the fields `event_create` takes (only those given).

    Raises SEQUENCE when the time, place, format, join link or status changes.
    When the time, place, format or join link of a meeting not yet over
    changes, its registrants are told; so are the people whose inputs are
    linked, if the event is public.
    """
    unknown = set(fields) - set(EVENT_FIELDS) - {"co_hosts"}
    protected = {"status", "cancellation_note", "sequence"} & set(fields)
    if unknown or protected:
        raise TypeError(f"event_update cannot set {sorted(unknown | protected)}")
    before = _event_snapshot(event)
    if "languages" in fields:
        fields["languages"] = list(dict.fromkeys(fields["languages"]))
    for name in ("title", "place_name", "address"):
        if name in fields:
            fields[name] = fields[name].strip()
    # Compared as values, not as their audit text: the same instant can be
    # written in two time zones.
    old = {name: getattr(event, name) for name in SEQUENCE_FIELDS}
    was_ahead = event.ends_at > timezone.now()
    for name, value in fields.items():
        setattr(event, name, value)
    changed = [name for name in SEQUENCE_FIELDS if getattr(event, name) != old[name]]
    if changed:
        event.sequence += 1
    _save_event(event, list(co_hosts) if co_hosts is not None else list(event.co_hosts.all()))
    audit_record(
        actor=actor,
        agency=event.agency,
        action="event.update",
        instance=event,
        before=before,
        after=_event_snapshot(event),
    )
    moved = bool(set(changed) & set(WHEN_WHERE_FIELDS))
    ahead = was_ahead or event.ends_at > timezone.now()
    if moved and ahead and event.status == Event.Status.SCHEDULED:
        registrants_tell(event=event, notice=CHANGED)
    if moved and event.is_public:
        _tell_linked(
            event,
            lambda: (
                _("“%(title)s” has moved: it is now on %(when)s at %(where)s.")
                % {"title": event.title, "when": when_text(event), "where": where_text(event)}
            ),
        )
    return event


@transaction.atomic
def event_cancel(*, actor: User | None, event: Event, note: str = "") -> Event:
    """Cancel, saying why (`note` is shown to the public, redacted).

    Registrants of a meeting not yet over are told; so are the people whose
    inputs are linked, if the event is public.
    """
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is already cancelled."))
    before = _event_snapshot(event)
    event.status = Event.Status.CANCELLED
    event.cancellation_note = note.strip()
    event.registration_open = False
    event.sequence += 1
    event.save()
    audit_record(
        actor=actor,
        agency=event.agency,
        action="event.cancel",
        instance=event,
        before=before,
        after=_event_snapshot(event),
    )

    def message() -> str:
        text = _("“%(title)s” on %(when)s is cancelled.") % {
            "title": event.title,
            "when": when_text(event),
        }
        if event.cancellation_note:
            text += " " + redact(event.cancellation_note)
        return text

    if event.ends_at > timezone.now():
        registrants_tell(event=event, notice=CANCELLED)
    if event.is_public:
        _tell_linked(event, message)
    return event


@transaction.atomic
def event_minutes_save(*, actor: User | None, event: Event, minutes: str, publish: bool) -> Event:
    """Save the minutes; `publish` shows them on the public event page.

    The people whose inputs are linked are told when the minutes are first
    published (and not again for every correction).
    """
    minutes = minutes.strip()
    if publish and not minutes:
        raise ValidationError({"minutes": _("There are no minutes to publish.")})
    before = {**snapshot(event, ["minutes", "minutes_published_at"])}
    first_publication = publish and event.minutes_published_at is None
    event.minutes = minutes
    if not publish:
        event.minutes_published_at = None
    elif first_publication:
        event.minutes_published_at = timezone.now()
    event.save(update_fields=["minutes", "minutes_published_at", "updated_at"])
    audit_record(
        actor=actor,
        agency=event.agency,
        action="event.minutes",
        instance=event,
        before=before,
        after=snapshot(event, ["minutes", "minutes_published_at"]),
    )
    if first_publication and event.is_public:
        _tell_linked(
            event,
            lambda: (
                _("The minutes of “%(title)s” (%(when)s) are published.")
                % {"title": event.title, "when": when_text(event)}
            ),
        )
    return event


@transaction.atomic
def headcount_record(*, actor: User | None, event: Event, headcount: int | None) -> Event:
    """People counted in the room or online, signed in or not."""
    if headcount is not None and headcount < 0:
        raise ValidationError({"headcount": _("A headcount cannot be negative.")})
    before = snapshot(event, ["headcount"])
    event.headcount = headcount
    event.save(update_fields=["headcount", "updated_at"])
    audit_record(
        actor=actor,
        agency=event.agency,
        action="event.headcount",
        instance=event,
        before=before,
        after=snapshot(event, ["headcount"]),
    )
    return event


def _check_owners(
    event: Event, owner_user: User | None, owner_organisation: Organisation | None
) -> None:
    if owner_organisation is not None and owner_organisation.agency_id != event.agency_id:
        raise ValidationError(
            {"owner_organisation": _("The owner must be on this agency's Community Map.")}
        )
    if (
        owner_user is not None
        and not owner_user.memberships.filter(agency_id=event.agency_id).exists()
    ):
        raise ValidationError({"owner_user": _("The owner must be a member of this agency.")})


@transaction.atomic
def action_item_create(
    *,
    actor: User | None,
    event: Event,
    description: str,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
    due_on: dt.date | None = None,
) -> ActionItem:
    """A commitment made at the meeting, with who owns it and by when."""
    _check_owners(event, owner_user, owner_organisation)
    item = ActionItem(
        event=event,
        description=description.strip(),
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        due_on=due_on,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        agency=event.agency,
        action="action_item.create",
        instance=item,
        after=snapshot(item, ACTION_ITEM_FIELDS),
    )
    return item


@transaction.atomic
def action_item_update(
    *,
    actor: User | None,
    item: ActionItem,
    description: str,
    owner_user: User | None,
    owner_organisation: Organisation | None,
    due_on: dt.date | None,
    status: ActionItem.Status | str,
    outcome: str = "",
    done_on: dt.date | None = None,
) -> ActionItem:
    """Change a commitment; marking it done (dated today unless given) tells
    the people whose inputs are linked to the meeting."""
    event = item.event
    _check_owners(event, owner_user, owner_organisation)
    before = snapshot(item, ACTION_ITEM_FIELDS)
    newly_done = status == ActionItem.Status.DONE and item.status != ActionItem.Status.DONE
    item.description = description.strip()
    item.owner_user = owner_user
    item.owner_organisation = owner_organisation
    item.due_on = due_on
    item.status = status
    item.outcome = outcome.strip()
    if status == ActionItem.Status.DONE:
        item.done_on = done_on or item.done_on or timezone.localdate()
    else:
        item.done_on = None
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        agency=event.agency,
        action="action_item.update",
        instance=item,
        before=before,
        after=snapshot(item, ACTION_ITEM_FIELDS),
    )
    if newly_done and event.is_public:

        def message() -> str:
            text = _("A promise made at “%(title)s” is done: %(promise)s") % {
                "title": event.title,
                "promise": item.description,
            }
            if item.outcome:
                text += "\n" + _("Outcome: %(outcome)s") % {"outcome": item.outcome}
            return text

        _tell_linked(event, message)
    return item
