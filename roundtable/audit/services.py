"""The one write path into the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.audit.models import AuditEntry


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """A JSON-safe picture of `fields` of `instance` (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            data[name] = sorted(str(obj) for obj in getattr(instance, name).all())
            continue
        value = getattr(instance, field.attname)  # type: ignore[union-attr]
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[name] = value
    return data


def audit_entry(
    *,
    actor: User | None,
    agency: Agency | None,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """An unsaved entry, for callers that write many at once with bulk_create."""
    if before is not None and after is not None:
        # Keep only what changed, so the log reads as a list of real edits.
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    return AuditEntry(
        actor=actor,
        agency=agency,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )


@transaction.atomic
def audit_record(
    *,
    actor: User | None,
    agency: Agency | None,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = audit_entry(
        actor=actor, agency=agency, action=action, instance=instance, before=before, after=after
    )
    entry.save()
    return entry
