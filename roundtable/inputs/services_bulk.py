"""Many inputs at once: a 311 or social-media import (see importing.py).

The same rules as `services.input_create`, written with a few bulk inserts.
Every imported input is anonymous: no contact details, ever, and nobody to
notify.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.models import AuditEntry
from roundtable.audit.services import audit_entry, snapshot
from roundtable.inputs import receipts, screening
from roundtable.inputs.models import Input, InputChannel, Moderation, Topic
from roundtable.inputs.services import (
    INPUT_AUDIT_FIELDS,
    RECEIPT_ATTEMPTS,
    check_belongs,
    due_dates,
)


@dataclass(frozen=True)
class AnonymousRow:
    """One input of an import: no contact details, ever (see importing.py)."""

    topic: Topic | str
    text: str
    language: str = "en"
    area: Area | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    external_id: str | None = None
    received_at: dt.datetime | None = None


_BULK_CHUNK = 500


@transaction.atomic
def inputs_create_anonymous(
    *,
    agency: Agency,
    channel: InputChannel | str,
    recorded_by: User | None,
    rows: Iterable[AnonymousRow],
) -> tuple[list[Input], int]:
    """Store many anonymous inputs at once (a 311 or social-media import):
    the stored inputs, and how many were already there (same external id).

    The same rules as `input_create` (due dates, screening, receipt codes, an
    audit entry per input), written with a few bulk inserts instead of a few
    queries per row: a 20,000-row export is one request, not minutes of them.
    Nobody is notified: there is no one to notify.

    Due dates count from the moment of the import, not from each row's own
    `received_at`: the agency hears of a year-old 311 request only now, and
    dating its promises back would fill the overdue list on arrival with work
    nobody could have done. `received_at` stays the row's own date (the
    history, and the public figures of when people spoke).
    """
    rows = list(rows)
    ids = {row.external_id for row in rows if row.external_id}
    taken = set(
        Input.objects.filter(agency=agency, channel=channel, external_id__in=ids).values_list(
            "external_id", flat=True
        )
    )
    items: list[Input] = []
    already = 0
    now = timezone.now()
    acknowledge_by, answer_by = due_dates(agency, now)
    for row in rows:
        if row.external_id and row.external_id in taken:
            already += 1
            continue
        text = row.text.strip()
        if not text:
            raise ValidationError({"text": _("Say something: the text is empty.")})
        if (row.latitude is None) != (row.longitude is None):
            raise ValidationError(_("A map point needs both latitude and longitude."))
        check_belongs(agency, area=row.area)
        items.append(
            Input(
                agency=agency,
                channel=channel,
                topic=row.topic,
                text=text,
                language=row.language,
                area=row.area,
                latitude=row.latitude,
                longitude=row.longitude,
                is_anonymous=True,
                recorded_by=recorded_by,
                external_id=row.external_id or None,
                received_at=row.received_at or now,
                acknowledge_by=acknowledge_by,
                answer_by=answer_by,
                moderation=Moderation.HELD
                if screening.needs_moderation(text)
                else Moderation.VISIBLE,
            )
        )
        if row.external_id:
            taken.add(row.external_id)
    stored: list[Input] = []
    for start in range(0, len(items), _BULK_CHUNK):
        stored += _insert_with_fresh_codes(items[start : start + _BULK_CHUNK])
    already += len(items) - len(stored)
    items = stored
    if recorded_by is not None:
        AuditEntry.objects.bulk_create(
            audit_entry(
                actor=recorded_by,
                agency=agency,
                action="input.record",
                instance=item,
                after=snapshot(item, INPUT_AUDIT_FIELDS),
            )
            for item in items
        )
    return items, already


def _insert_with_fresh_codes(chunk: list[Input]) -> list[Input]:
    """Bulk insert under fresh receipt codes; codes already stored (by anyone,
    at any moment) are drawn again, inside a savepoint. Rows whose external id
    a concurrent import stored since we looked are left out (they are "already
    imported"). Returns the inputs stored."""
    for item in chunk:
        item.receipt_code = receipts.new_code()
    for _attempt in range(RECEIPT_ATTEMPTS):
        try:
            with transaction.atomic():
                Input.objects.bulk_create(chunk)
            return chunk
        except IntegrityError:
            codes = [item.receipt_code for item in chunk]
            stored = set(
                Input.objects.filter(receipt_code__in=codes).values_list("receipt_code", flat=True)
            )
            repeated = {code for code in codes if codes.count(code) > 1}
            ids = {item.external_id for item in chunk if item.external_id}
            raced = set(
                Input.objects.filter(
                    agency_id=chunk[0].agency_id, channel=chunk[0].channel, external_id__in=ids
                ).values_list("external_id", flat=True)
            )
            if not stored and not repeated and not raced:
                raise
            chunk = [item for item in chunk if item.external_id not in raced]
            for item in chunk:
                item.pk = None
                if item.receipt_code in stored or item.receipt_code in repeated:
                    item.receipt_code = receipts.new_code()
            if not chunk:
                return chunk
    raise IntegrityError("No free receipt codes after several attempts.")
