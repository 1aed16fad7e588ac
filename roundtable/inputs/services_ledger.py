"""Staff writes on the response ledger ("you said, we did").

Each one is keyword-only, atomic and audited with the input's fields before and
after; each one the contributor should hear about goes out through `relay`,
worded in the input's own language (not the coordinator's).

Each one that changes an input first locks its row and reads it again
(`_locked`): two coordinators acting on the same input at once take turns, and
the second one's checks and audit "before" see what the first one did, rather
than both writing over a copy each fetched earlier.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from roundtable.accounts.models import STAFF_ROLES, User
from roundtable.agencies.models import Agency
from roundtable.audit.services import audit_record, snapshot
from roundtable.inputs.models import (
    Input,
    InputLink,
    InputNote,
    InputReferral,
    Moderation,
    Status,
)
from roundtable.inputs.notifications import relay
from roundtable.inputs.redaction import redact
from roundtable.inputs.services import INPUT_AUDIT_FIELDS, check_belongs
from roundtable.stakeholders.models import Organisation

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(
        {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ANSWERED, Status.REFERRED, Status.CLOSED}
    ),
    Status.ACKNOWLEDGED: frozenset(
        {Status.IN_PROGRESS, Status.ANSWERED, Status.REFERRED, Status.CLOSED}
    ),
    Status.IN_PROGRESS: frozenset({Status.ANSWERED, Status.REFERRED, Status.CLOSED}),
    Status.REFERRED: frozenset({Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED}),
    Status.ANSWERED: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}
REOPENING = frozenset({Status.ANSWERED, Status.CLOSED})
TARGET_FIELDS = ["acknowledge_within_days", "answer_within_days", "referral_back_within_days"]


def _audited(actor: User, input: Input, action: str, before: dict[str, Any], **extra: Any) -> None:
    audit_record(
        actor=actor,
        agency=input.agency,
        action=action,
        instance=input,
        before=before,
        after={**snapshot(input, INPUT_AUDIT_FIELDS), **extra},
    )


def _locked(input: Input) -> Input:
    """Lock `input`'s row until the transaction ends and refresh it in place
    (the caller's object, so views and tests see the outcome on it)."""
    rows = Input.objects.select_for_update(of=("self",)).select_related("agency")
    input.refresh_from_db(from_queryset=rows)
    return input


def _move(input: Input, status: str, now: dt.datetime) -> None:
    """Set `status` and the timestamps it implies (the caller saves)."""
    if status != Status.NEW and input.acknowledged_at is None:
        input.acknowledged_at = now
    if status == Status.ANSWERED and input.status != Status.ANSWERED:
        input.answered_at = now
    if status == Status.CLOSED:
        input.closed_at = now
    elif input.status == Status.CLOSED:
        input.closed_at = None
    input.status = status


def _relay_answer(input: Input, now: dt.datetime) -> None:
    relay(
        input=input,
        text=redact(input.public_answer),
        template="answered",
        now=now,
        context={"said": input.text},
    )


def _relay_status(input: Input, status: str, now: dt.datetime) -> None:
    if status == Status.ANSWERED:
        # Back to answered after a reopening: the answer stands, said again.
        _relay_answer(input, now)
        return
    with translation.override(input.language):
        wording: dict[str, str] = {
            Status.ACKNOWLEDGED: _("We have read what you said and will answer."),
            Status.IN_PROGRESS: _("We are working on what you said."),
            Status.CLOSED: _("We have closed this. Thank you for speaking up."),
        }
        text = wording.get(status)
    if text:
        relay(input=input, text=str(text), now=now)


def staff_of(agency: Agency) -> models.QuerySet[User]:
    """People who may own inputs: the agency's staff (not residents or partners)."""
    return (
        User.objects.filter(
            memberships__agency=agency, memberships__role__in=STAFF_ROLES, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def input_assign(*, actor: User, input: Input, owner: User | None) -> Input:
    """Give `input` an owner (a staff member of its agency), or nobody."""
    if owner is not None and not staff_of(input.agency).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("The owner must be a staff member of this agency.")})
    _locked(input)
    before = snapshot(input, INPUT_AUDIT_FIELDS)
    input.owner = owner
    input.save(update_fields=["owner", "updated_at"])
    _audited(actor, input, "input.assign", before)
    return input


@transaction.atomic
def input_set_status(
    *,
    actor: User,
    input: Input,
    status: Status | str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Input:
    """Move `input` along the ledger, as TRANSITIONS allows.

    Reopening an answered or closed input needs a note saying why (kept as an
    internal note). The contributor is told of acknowledgement, work starting,
    the answer (again, when a reopened input is answered once more) and closing.
    """
    now = now or timezone.now()
    status = Status(status)
    _locked(input)
    if status == input.status:
        return input
    if status not in TRANSITIONS[input.status]:
        raise ValidationError(
            {
                "status": _("An input that is %(current)s cannot become %(new)s.")
                % {"current": input.get_status_display(), "new": status.label}
            }
        )
    if status == Status.ANSWERED and not input.public_answer:
        raise ValidationError({"status": _("Write the public answer to mark it answered.")})
    if status == Status.REFERRED and not input.referrals.filter(returned_at__isnull=True).exists():
        raise ValidationError({"status": _("Refer it to someone to mark it referred.")})
    note = note.strip()
    if input.status in REOPENING and status not in REOPENING and not note:
        raise ValidationError({"note": _("Say why it is reopened.")})
    before = snapshot(input, INPUT_AUDIT_FIELDS)
    _move(input, status, now)
    input.save()
    if note:
        InputNote.objects.create(input=input, author=actor, text=note)
    _audited(actor, input, "input.status", before, **({"note": note} if note else {}))
    _relay_status(input, status, now)
    return input


@transaction.atomic
def input_answer(
    *, actor: User, input: Input, answer: str, now: dt.datetime | None = None
) -> Input:
    """Write the public answer ("we did"), mark the input answered and tell the
    contributor in their language; anonymous ones read it under their receipt code."""
    now = now or timezone.now()
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("The answer is empty.")})
    _locked(input)
    if input.status == Status.CLOSED:
        raise ValidationError(_("This input is closed: reopen it before answering."))
    before = snapshot(input, INPUT_AUDIT_FIELDS)
    input.public_answer = answer
    _move(input, Status.ANSWERED, now)
    input.save()
    _audited(actor, input, "input.answer", before)
    _relay_answer(input, now)
    return input


@transaction.atomic
def input_note_add(*, actor: User, input: Input, text: str) -> InputNote:
    """An internal note: staff only, never shown in public or sent."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    note = InputNote.objects.create(input=input, author=actor, text=text)
    audit_record(
        actor=actor, agency=input.agency, action="input.note", instance=input, after={"note": text}
    )
    return note


@transaction.atomic
def input_refer(
    *,
    actor: User,
    input: Input,
    to_organisation: Organisation | None = None,
    to_name: str = "",
    reference: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> InputReferral:
    """Pass `input` to another agency or partner (an organisation of the
    Community Map, or a named service such as 311); tracked until it comes back."""
    now = now or timezone.now()
    check_belongs(input.agency, to_organisation=to_organisation)
    to_name = to_name.strip() or (to_organisation.name if to_organisation else "")
    if not to_name:
        raise ValidationError({"to_name": _("Say to whom it is referred.")})
    _locked(input)
    if input.status == Status.CLOSED:
        raise ValidationError(_("This input is closed: reopen it before referring it."))
    before = snapshot(input, INPUT_AUDIT_FIELDS)
    referral = InputReferral.objects.create(
        input=input,
        to_organisation=to_organisation,
        to_name=to_name,
        reference=reference.strip(),
        note=note.strip(),
        referred_at=now,
        expected_back_by=timezone.localdate(now)
        + dt.timedelta(days=input.agency.referral_back_within_days),
        referred_by=actor,
    )
    _move(input, Status.REFERRED, now)
    input.save()
    _audited(actor, input, "input.refer", before, referred_to=to_name)
    with translation.override(input.language):
        text = _("What you said was passed to %(name)s, who can act on it.") % {"name": to_name}
    relay(input=input, text=redact(text), now=now)
    return referral


@transaction.atomic
def referral_returned(
    *, actor: User, referral: InputReferral, outcome: str, now: dt.datetime | None = None
) -> InputReferral:
    """The referral came back with `outcome` (kept internal); the input is being
    worked on again once no other referral is still out."""
    now = now or timezone.now()
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": _("Say what they did.")})
    # The input first, then the referral: every ledger move locks in that order.
    input = _locked(referral.input)
    referral.refresh_from_db(from_queryset=InputReferral.objects.select_for_update())
    if referral.returned_at is not None:
        raise ValidationError(_("This referral has already come back."))
    before = snapshot(input, INPUT_AUDIT_FIELDS)
    referral.returned_at = now
    referral.outcome = outcome
    referral.save(update_fields=["returned_at", "outcome"])
    still_out = input.referrals.filter(returned_at__isnull=True).exists()
    if input.status == Status.REFERRED and not still_out:
        _move(input, Status.IN_PROGRESS, now)
        input.save()
    _audited(actor, input, "input.referral_returned", before, referred_to=referral.to_name)
    with translation.override(input.language):
        text = _("%(name)s came back to us on what you said; we are preparing the answer.") % {
            "name": referral.to_name
        }
    relay(input=input, text=redact(text), now=now)
    return referral


@transaction.atomic
def input_moderate(
    *, actor: User, input: Input, moderation: Moderation | str, note: str = ""
) -> Input:
    """Release a held input, or keep one from public view (with a reason).

    Nothing is ever deleted: a hidden input stays in the ledger, and is answered
    like any other.
    """
    moderation = Moderation(moderation)
    note = note.strip()
    if moderation == Moderation.HIDDEN and not note:
        raise ValidationError({"note": _("Say why it is kept from public view.")})
    _locked(input)
    before = snapshot(input, INPUT_AUDIT_FIELDS)
    input.moderation = moderation
    input.moderation_note = note[:300]
    input.save(update_fields=["moderation", "moderation_note", "updated_at"])
    _audited(actor, input, "input.moderate", before)
    return input


@transaction.atomic
def input_unlink(*, actor: User, link: InputLink) -> None:
    """Untie an input from an item (the item itself is untouched)."""
    input = link.input
    label = f"{link.content_type.app_label}.{link.content_type.model}:{link.object_id}"
    link.delete()
    audit_record(
        actor=actor,
        agency=input.agency,
        action="input.unlink",
        instance=input,
        before={"linked": label},
    )


@transaction.atomic
def agency_ledger_targets_set(
    *,
    actor: User,
    agency: Agency,
    acknowledge_within_days: int,
    answer_within_days: int,
    referral_back_within_days: int,
) -> Agency:
    """Change the ledger's targets. Inputs already received keep their due dates:
    a promise made to a contributor is not moved after the fact."""
    if min(acknowledge_within_days, answer_within_days, referral_back_within_days) < 1:
        raise ValidationError(_("Every target is at least one day."))
    if acknowledge_within_days > answer_within_days:
        raise ValidationError(
            {"acknowledge_within_days": _("Acknowledge before the answer is due, not after.")}
        )
    before = snapshot(agency, TARGET_FIELDS)
    agency.acknowledge_within_days = acknowledge_within_days
    agency.answer_within_days = answer_within_days
    agency.referral_back_within_days = referral_back_within_days
    agency.save(update_fields=TARGET_FIELDS)
    audit_record(
        actor=actor,
        agency=agency,
        action="agency.ledger_targets",
        instance=agency,
        before=before,
        after=snapshot(agency, TARGET_FIELDS),
    )
    return agency
