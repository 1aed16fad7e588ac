"""Request and response bodies of the response ledger's staff API (api.py).

Request bodies are lenient (every field has a default) so that the endpoint
checks access before it validates anything: a caller without the role is told
403, never a validation error that would reveal the shape of the endpoint.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from roundtable.inputs.models import (
    Input,
    InputChannel,
    InputReferral,
    Moderation,
    Status,
    Topic,
)
from roundtable.inputs.receipts import display


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


class OwnerIn(Schema):
    owner: str | None = Field(
        "", description="Username of a staff member of the agency; null for nobody"
    )


class ReferralIn(Schema):
    to_organisation: int | None = Field(
        None, description="Id of an organisation of the agency's Community Map"
    )
    to_name: str = Field("", max_length=200, description="Or the name of a service, e.g. 311")
    reference: str = Field("", max_length=100, description="Their reference")
    note: str = Field("", description="Internal note")


class ReferralOut(Schema):
    id: int
    to_name: str
    to_organisation: int | None
    reference: str
    referred_at: dt.datetime
    expected_back_by: dt.date | None
    returned_at: dt.datetime | None
    outcome: str = Field(description="What they did (internal)")

    @staticmethod
    def from_model(referral: InputReferral) -> ReferralOut:
        return ReferralOut(
            id=referral.pk,
            to_name=referral.to_name,
            to_organisation=referral.to_organisation_id,
            reference=referral.reference,
            referred_at=referral.referred_at,
            expected_back_by=referral.expected_back_by,
            returned_at=referral.returned_at,
            outcome=referral.outcome,
        )


class ReturnIn(Schema):
    outcome: str = Field("", description="What they did (internal)")


class ModerationIn(Schema):
    moderation: Literal["visible", "hidden"] | None = Field(
        None, description="visible releases it; hidden keeps it from public view"
    )
    note: str = Field("", max_length=300, description="Why; required to hide it")


class LinkIn(Schema):
    event: int | None = Field(None, description="Id of one of the agency's events")


class LinkOut(Schema):
    id: int
    kind: str = Field(description='What is linked, e.g. "engagement.event"')
    item_id: int
    label: str
