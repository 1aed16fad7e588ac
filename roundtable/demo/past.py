"""Putting the demo's priorities and problems at the dates they would have happened.

The priorities and problems services stamp some dates themselves (a row's
`created_at`, a moderation's `moderated_at`, a survey's `opened_at`): right in
real use, where the action happens now, but the demo writes months of work in
one run. As the Community Map and meetings demos do for stance changes and
minutes, those dates are moved back afterwards with plain updates. Dates a
service accepts (`now=`, `joined_on`, `done_on`) are passed in instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import models
from django.utils import timezone

from roundtable.agencies.models import Agency
from roundtable.inputs.models import Notification


def moment(today: dt.date, days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """`days` after `today` (negative: before), at a local wall-clock time."""
    day = today + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def backdate(objects: Sequence[models.Model], when: dt.datetime, field: str = "created_at") -> None:
    """Set `field` to `when`, in the database and on the objects in hand (a
    service given one of them later saves it whole)."""
    if not objects:
        return
    for item in objects:
        setattr(item, field, when)
    model = type(objects[0])
    model._default_manager.filter(pk__in=[item.pk for item in objects]).update(**{field: when})


def notices_sent(agencies: Iterable[Agency], when: dt.datetime) -> None:
    """The notices just queued to contributors were sent at the time (`when`).

    Only the demo's own, as the ledger demo does: another agency on the same
    installation keeps its queue.
    """
    Notification.objects.filter(
        input__agency__in=list(agencies), state=Notification.State.QUEUED
    ).update(state=Notification.State.SENT, sent_at=when, created_at=when)
