"""Response ledger endpoints for agency staff.

Readers: administrator, coordinator, analyst, command. Writers (status, answer,
notes): administrator and coordinator. Contact details of contributors are
returned only to writers.

Request bodies are lenient (every field has a default) and checked after the
access check, so a caller without the role is told 403, never a validation error
that would reveal the shape of the endpoint.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from roundtable.accounts.access import LEDGER_EDITORS, LEDGER_VIEWERS, roles_in
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.api.root import agency_for
from roundtable.inputs import selectors, services_ledger
from roundtable.inputs.models import (
    Input,
    InputChannel,
    Moderation,
    Status,
    Topic,
)
from roundtable.inputs.receipts import display

router = Router(tags=["Response ledger"])


class ContactOut(Schema):
    name: str
    email: str
    phone: str
    reply_channel: str


class InputOut(Schema):
    id: int
    receipt_code: str
    received_at: dt.datetime
    channel: InputChannel
    topic: Topic
    language: str
    text: str
    area: str | None = Field(description="Slug of the agency area")
    status: Status
    owner: str | None = Field(description="Username of the owner")
    acknowledge_by: dt.date
    answer_by: dt.date
    answered_at: dt.datetime | None
    public_answer: str
    moderation: Moderation
    is_overdue: bool
    is_anonymous: bool
    contact: ContactOut | None = Field(
        description="Only for administrators and coordinators; null when anonymous"
    )

    @staticmethod
    def from_model(item: Input, *, with_contact: bool) -> InputOut:
        contact = None
        if with_contact and not item.is_anonymous:
            contact = ContactOut(
                name=item.contact_name,
                email=item.contact_email,
                phone=item.contact_phone,
                reply_channel=item.reply_channel,
            )
        return InputOut(
            id=item.pk,
            receipt_code=display(item.receipt_code),
            received_at=item.received_at,
            channel=InputChannel(item.channel),
            topic=Topic(item.topic),
            language=item.language,
            text=item.text,
            area=item.area.slug if item.area else None,
            status=Status(item.status),
            owner=item.owner.username if item.owner else None,
            acknowledge_by=item.acknowledge_by,
            answer_by=item.answer_by,
            answered_at=item.answered_at,
            public_answer=item.public_answer,
            moderation=Moderation(item.moderation),
            is_overdue=bool(getattr(item, "is_overdue", False)),
            is_anonymous=item.is_anonymous,
            contact=contact,
        )


class OverdueOut(Schema):
    input: InputOut
    reason: str
    due: dt.date


class StatusIn(Schema):
    status: Status | None = None
    note: str = ""


class AnswerIn(Schema):
    answer: str = ""


class NoteIn(Schema):
    text: str = ""


class NoteOut(Schema):
    id: int
    text: str
    created_at: dt.datetime


def _editor(request: HttpRequest, agency: Agency) -> bool:
    return bool(roles_in(_user(request), agency) & LEDGER_EDITORS)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _input(agency: Agency, input_id: int) -> Input:
    try:
        return selectors.input_detail(agency=agency, pk=input_id)
    except Input.DoesNotExist:
        raise HttpError(404, "No such input in this agency.") from None


def _refused(error: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(error.messages))


@router.get("{slug}/inputs", response=list[InputOut])
def list_inputs(
    request: HttpRequest,
    slug: str,
    q: str = "",
    status: Status | None = None,
    topic: Topic | None = None,
    channel: InputChannel | None = None,
    owner: Annotated[str, Field(description='"mine", "nobody" or a user id')] = "",
    moderation: Moderation | None = None,
    overdue: bool = False,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> list[InputOut]:
    """The ledger, newest first. Staff who read the ledger."""
    agency = agency_for(request, slug, LEDGER_VIEWERS)
    filters = selectors.LedgerFilter(
        q=q,
        status=status or "",
        topic=topic or "",
        channel=channel or "",
        owner=owner,
        moderation=moderation or "",
        overdue=overdue,
    )
    rows = selectors.ledger_list(agency=agency, filters=filters, user_id=_user(request).pk)
    editor = _editor(request, agency)
    return [InputOut.from_model(i, with_contact=editor) for i in rows[offset : offset + limit]]


@router.get("{slug}/inputs/overdue", response=list[OverdueOut])
def list_overdue(request: HttpRequest, slug: str) -> list[OverdueOut]:
    """What is late and why, the longest late first. Staff who read the ledger."""
    agency = agency_for(request, slug, LEDGER_VIEWERS)
    editor = _editor(request, agency)
    return [
        OverdueOut(
            input=InputOut.from_model(row.input, with_contact=editor),
            reason=str(row.reason),
            due=row.due,
        )
        for row in selectors.overdue_list(agency=agency)
    ]


@router.get("{slug}/inputs/{input_id}", response=InputOut)
def get_input(request: HttpRequest, slug: str, input_id: int) -> InputOut:
    """One input. Staff who read the ledger."""
    agency = agency_for(request, slug, LEDGER_VIEWERS)
    return InputOut.from_model(_input(agency, input_id), with_contact=_editor(request, agency))


@router.post("{slug}/inputs/{input_id}/status", response=InputOut)
def set_status(request: HttpRequest, slug: str, input_id: int, payload: StatusIn) -> InputOut:
    """Move an input along the ledger. Administrators and coordinators."""
    agency = agency_for(request, slug, LEDGER_EDITORS)
    item = _input(agency, input_id)
    if payload.status is None:
        raise HttpError(422, "status is required.")
    try:
        services_ledger.input_set_status(
            actor=_user(request), input=item, status=payload.status, note=payload.note
        )
    except ValidationError as error:
        raise _refused(error) from None
    return InputOut.from_model(_input(agency, input_id), with_contact=True)


@router.post("{slug}/inputs/{input_id}/answer", response=InputOut)
def answer(request: HttpRequest, slug: str, input_id: int, payload: AnswerIn) -> InputOut:
    """Publish the public answer and tell the contributor. Administrators and coordinators."""
    agency = agency_for(request, slug, LEDGER_EDITORS)
    item = _input(agency, input_id)
    try:
        services_ledger.input_answer(actor=_user(request), input=item, answer=payload.answer)
    except ValidationError as error:
        raise _refused(error) from None
    return InputOut.from_model(_input(agency, input_id), with_contact=True)


@router.post("{slug}/inputs/{input_id}/notes", response={201: NoteOut})
def add_note(
    request: HttpRequest, slug: str, input_id: int, payload: NoteIn
) -> HttpStatus[NoteOut]:
    """Add an internal note (never public). Administrators and coordinators."""
    agency = agency_for(request, slug, LEDGER_EDITORS)
    item = _input(agency, input_id)
    try:
        note = services_ledger.input_note_add(actor=_user(request), input=item, text=payload.text)
    except ValidationError as error:
        raise _refused(error) from None
    return HttpStatus(201, NoteOut(id=note.pk, text=note.text, created_at=note.created_at))
