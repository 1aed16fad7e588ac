"""Every write to inputs and the response ledger goes through these functions.

`input_create` is the one way in for every channel (the public form, the API,
staff recording a call or an interview, inbound SMS and email); imports store
many rows at once under the same rules in `services_bulk.py`. The ledger's
staff writes (owner, status, answer, referral, moderation) live in
`services_ledger.py`. Staff actions are audited; a member of the public
submitting is not a staff action and leaves no audit entry (an anonymous one
must leave no trace of the person).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.core.phones import NotAPhoneNumber, to_e164
from roundtable.engagement.models import Event
from roundtable.inputs import receipts, screening
from roundtable.inputs.catalogue import INTERVIEW_KEYS
from roundtable.inputs.models import (
    Input,
    InputChannel,
    InputLink,
    Moderation,
    ReplyChannel,
    Topic,
)
from roundtable.inputs.notifications import notification_queue, relay
from roundtable.inputs.redaction import redact
from roundtable.stakeholders.models import Organisation

# What the audit log keeps of an input (never the contact details).
INPUT_AUDIT_FIELDS = [
    "channel",
    "topic",
    "area",
    "owner",
    "status",
    "acknowledge_by",
    "answer_by",
    "public_answer",
    "moderation",
    "moderation_note",
]
RECEIPT_ATTEMPTS = 8


class DuplicateInput(Exception):
    """An input with this channel and external id is already stored."""

    def __init__(self, existing: Input) -> None:
        super().__init__(existing.receipt_code)
        self.existing = existing


def due_dates(agency: Agency, received_at: dt.datetime) -> tuple[dt.date, dt.date]:
    """(acknowledge by, answer by), counted in days from the local date received
    (for an import, from the local date of the import: see inputs_create_anonymous)."""
    day = timezone.localdate(received_at)
    return (
        day + dt.timedelta(days=agency.acknowledge_within_days),
        day + dt.timedelta(days=agency.answer_within_days),
    )


def _phone(raw: str) -> str:
    """`raw` in E.164, the form SMS providers need; a ValidationError on
    contact_phone when it cannot be a phone number."""
    try:
        return to_e164(raw)
    except NotAPhoneNumber:
        raise ValidationError(
            {"contact_phone": _("This is not a phone number we can send a text message to.")}
        ) from None


def check_belongs(agency: Agency, **things: Any) -> None:
    for name, thing in things.items():
        if thing is not None and thing.agency_id != agency.pk:
            raise ValidationError({name: _("This belongs to another agency.")})


@transaction.atomic
def input_create(
    *,
    agency: Agency,
    channel: InputChannel | str,
    topic: Topic | str,
    text: str,
    language: str = "en",
    area: Area | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    is_anonymous: bool = True,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    reply_channel: ReplyChannel | str = "",
    submitted_by: User | None = None,
    recorded_by: User | None = None,
    event: Event | None = None,
    organisation: Organisation | None = None,
    interview: dict[str, str] | None = None,
    external_id: str | None = None,
    received_at: dt.datetime | None = None,
) -> Input:
    """Store one input with a fresh receipt code and its due dates.

    Anonymous means anonymous: contact details or an account with an anonymous
    input are refused, not silently kept. Text that screening flags is held for
    moderation (nothing is rejected). A contributor with contact details is sent
    their receipt code. A phone number is stored in E.164 (a ValidationError on
    contact_phone when it cannot be one), so that text messages reach it.
    """
    text = text.strip()
    if not text and not any((interview or {}).values()):
        raise ValidationError({"text": _("Say something: the text is empty.")})
    if is_anonymous and (
        contact_name or contact_email or contact_phone or reply_channel or submitted_by
    ):
        raise ValidationError(_("An anonymous input keeps no name, contact details or account."))
    contact_phone = _phone(contact_phone)
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("A map point needs both latitude and longitude."))
    check_belongs(agency, area=area, event=event, organisation=organisation)
    if interview and set(interview) - set(INTERVIEW_KEYS):
        raise ValidationError(_("Unknown interview question."))
    if not is_anonymous and not reply_channel:
        reply_channel = (
            ReplyChannel.EMAIL if contact_email else ReplyChannel.SMS if contact_phone else ""
        )
    if reply_channel == ReplyChannel.EMAIL and not contact_email:
        raise ValidationError({"contact_email": _("Give an email address to be told by email.")})
    if reply_channel == ReplyChannel.SMS and not contact_phone:
        raise ValidationError({"contact_phone": _("Give a phone number to be told by text.")})
    if external_id:
        existing = Input.objects.filter(
            agency=agency, channel=channel, external_id=external_id
        ).first()
        if existing is not None:
            raise DuplicateInput(existing)
    received_at = received_at or timezone.now()
    acknowledge_by, answer_by = due_dates(agency, received_at)
    screened = text + " " + " ".join((interview or {}).values())
    item = Input(
        agency=agency,
        channel=channel,
        topic=topic,
        text=text,
        language=language,
        area=area,
        latitude=latitude,
        longitude=longitude,
        is_anonymous=is_anonymous,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone,
        reply_channel=reply_channel,
        submitted_by=None if is_anonymous else submitted_by,
        recorded_by=recorded_by,
        event=event,
        organisation=organisation,
        interview=interview or {},
        external_id=external_id or None,
        received_at=received_at,
        acknowledge_by=acknowledge_by,
        answer_by=answer_by,
        moderation=Moderation.HELD if screening.needs_moderation(screened) else Moderation.VISIBLE,
    )
    _save_with_fresh_code(item)
    if recorded_by is not None:
        audit_record(
            actor=recorded_by,
            agency=agency,
            action="input.record",
            instance=item,
            after=snapshot(item, INPUT_AUDIT_FIELDS),
        )
    notification_queue(input=item, template="received", context={})
    return item


def _save_with_fresh_code(item: Input) -> None:
    """Insert `item` under a receipt code no other input has.

    Codes are random, so two concurrent inserts practically never collide; when
    one does, the unique index refuses it and the insert is retried with a new
    code inside a savepoint, so the surrounding transaction survives. When the
    index refuses the external id instead (the same message or row stored by a
    concurrent request after our check), that is a DuplicateInput, as if the
    check had seen it.
    """
    for _attempt in range(RECEIPT_ATTEMPTS):
        item.receipt_code = receipts.new_code()
        try:
            with transaction.atomic():
                item.save(force_insert=True)
            return
        except IntegrityError:
            if item.external_id:
                existing = Input.objects.filter(
                    agency_id=item.agency_id, channel=item.channel, external_id=item.external_id
                ).first()
                if existing is not None:
                    raise DuplicateInput(existing) from None
            if not Input.objects.filter(receipt_code=item.receipt_code).exists():
                raise
            item.pk = None
    raise IntegrityError("No free receipt code after several attempts.")


@transaction.atomic
def input_link(*, actor: User, input: Input, item: models.Model) -> InputLink:
    """Tie `input` to something done about it (an event, a priority, a problem).

    Only an item of the input's own agency may be linked: one of another
    agency, or one without an agency to compare (which could be anyone's), is
    refused.
    """
    agency_id = getattr(item, "agency_id", None)
    if agency_id is None or agency_id != input.agency_id:
        raise ValidationError(_("This belongs to another agency."))
    link, created = InputLink.objects.get_or_create(
        input=input,
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
    )
    if created:
        audit_record(
            actor=actor,
            agency=input.agency,
            action="input.link",
            instance=input,
            after={"linked": f"{item._meta.label_lower}:{item.pk}", "item": str(item)[:200]},
        )
    return link


def inputs_linked_to(item: models.Model) -> models.QuerySet[Input]:
    return Input.objects.filter(
        links__content_type=ContentType.objects.get_for_model(item), links__object_id=item.pk
    ).select_related("agency")


@transaction.atomic
def linked_item_changed(
    *, item: models.Model, message: Callable[[], str], now: dt.datetime | None = None
) -> int:
    """Tell the people whose inputs are linked to `item` that it changed.

    `message` is called once per input inside that input's language (so it can
    use gettext) and should say what changed, in words fit for the public; it
    is redacted before it is shown or sent. Returns how many inputs were told.
    """
    told = 0
    for linked in inputs_linked_to(item).order_by("pk"):
        with translation.override(linked.language):
            text = redact(str(message()))
        relay(input=linked, text=text, now=now)
        told += 1
    return told
