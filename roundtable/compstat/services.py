"""Issuing a month's meeting pack: the one write of the compstat app.

Issuing freezes the pack: its body is rendered in every language of
settings.LANGUAGES and stored, so the month's permanent link shows what the
meeting saw even when late data later change the live figures. A month is
issued once, after it has ended; the live figures stay one click away.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record
from roundtable.compstat import months
from roundtable.compstat.models import MeetingPack
from roundtable.compstat.rendering import render_body
from roundtable.compstat.selectors import pack


class PackNotIssuable(Exception):
    """The pack cannot be issued."""


class MonthNotEnded(PackNotIssuable):
    pass


class AlreadyIssued(PackNotIssuable):
    pass


@transaction.atomic
def pack_issue(
    *,
    agency: Agency,
    month: dt.date,
    area: Area | None,
    actor: User | None,
    today: dt.date | None = None,
) -> list[MeetingPack]:
    """Freeze the pack of `month` for `area` (None: the whole jurisdiction): one
    stored body per language, audited. Raises MonthNotEnded or AlreadyIssued
    (both PackNotIssuable)."""
    today = today or timezone.localdate()
    month = months.first_day(month)
    if area is not None and area.agency_id != agency.pk:
        raise ValueError("The area belongs to another agency.")
    if not months.has_ended(month, today):
        raise MonthNotEnded("A month's pack can be issued once the month has ended.")
    # Lock the agency's row so that two people issuing at once store one pack.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    if MeetingPack.objects.filter(agency=agency, area=area, month=month).exists():
        raise AlreadyIssued("This month's pack has been issued already.")
    issued_at = timezone.now()
    issued = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            body = render_body(pack(agency=agency, month=month, area=area, today=today))
        issued.append(
            MeetingPack.objects.create(
                agency=agency,
                area=area,
                month=month,
                language=language,
                html=str(body),
                issued_at=issued_at,
                issued_by=actor,
            )
        )
    audit_record(
        actor=actor,
        agency=agency,
        action="compstat.pack.issue",
        instance=issued[0],
        after={
            "month": months.key(month),
            "area": area.slug if area is not None else None,
            "languages": [p.language for p in issued],
            "packs": [p.pk for p in issued],
        },
    )
    return issued
