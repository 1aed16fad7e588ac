"""Public endpoints: say something, and follow it by its receipt code.

No sign-in and no session (so no CSRF token to fetch first). The same rate
limit and honeypot as the web form; nothing about the caller is stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import field_validator, model_validator

from roundtable.agencies.models import Agency, Area
from roundtable.core import honeypot
from roundtable.core.phones import NotAPhoneNumber, to_e164
from roundtable.inputs import public_limits, receipts, selectors_public
from roundtable.inputs.models import Input, InputChannel, ReplyChannel, Topic
from roundtable.inputs.models import Status as InputStatus
from roundtable.inputs.notifications import receipt_url
from roundtable.inputs.services import input_create

router = Router(tags=["Community input"])


class InputIn(Schema):
    agency: str = Field(description="The agency's short name, as in /p/<agency>/")
    topic: Topic = Field(description="What the input is about")
    text: str = Field(
        min_length=1,
        max_length=5000,
        description=(
            "What the person says. Once answered it may be shown in public next to the "
            "answer, without name or contact details and with emails, phone numbers and "
            "street addresses removed: tell the person so."
        ),
    )
    language: Literal["en", "es"] = Field(
        "en", description="Language of the text; answers and notices use it"
    )
    area: str | None = Field(None, description="Slug of one of the agency's areas")
    latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)
    anonymous: bool = Field(
        True, description="True keeps no name, contact or account; contact fields are then refused"
    )
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    reply_channel: ReplyChannel | None = Field(
        None, description="How to send news (defaults to email if given, else text message)"
    )
    website: str = Field("", description="Leave empty (a trap for automated spam)")

    # What the contact fields must look like; whether they may be given at all
    # (not with an anonymous input) is the service's rule, refused with a 422.
    @field_validator("contact_email")
    @classmethod
    def _is_an_email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValueError("contact_email is not an email address") from None
        return value

    @field_validator("contact_phone")
    @classmethod
    def _is_a_phone(cls, value: str) -> str:
        try:
            return to_e164(value)
        except NotAPhoneNumber:
            raise ValueError("contact_phone is not a phone number") from None

    @model_validator(mode="after")
    def _can_be_answered(self) -> InputIn:
        # Choosing not to be anonymous here means "send me the answer".
        if not self.anonymous and not (self.contact_email or self.contact_phone):
            raise ValueError("Give contact_email or contact_phone, or set anonymous to true.")
        return self


class ReceiptCreatedOut(Schema):
    receipt_code: str = Field(description="Keep it to follow the answer, e.g. 7K3MQ-9XD2F")
    receipt_url: str = Field(description="The public page of this receipt")
    status: InputStatus


class UpdateOut(Schema):
    on: dt.date
    text: str


class ReceiptOut(Schema):
    receipt_code: str
    status: InputStatus
    status_label: str = Field(description="The status in words, in the request's language")
    received_on: dt.date
    answered_on: dt.date | None
    public_answer: str = Field(description="The agency's answer, personal details redacted")
    updates: list[UpdateOut]


class ErrorOut(Schema):
    detail: str


def _area(agency: Agency, slug: str | None) -> Area | None:
    if not slug:
        return None
    area = Area.objects.filter(agency=agency, slug=slug).first()
    if area is None:
        raise HttpError(422, f"Unknown area: {slug}")
    return area


@router.post(
    "",
    response={201: ReceiptCreatedOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Say something to an agency",
)
def create_input(request: HttpRequest, payload: InputIn) -> Status[ReceiptCreatedOut]:
    """Store what a person says and return the receipt code to follow the answer.

    Anyone may call it, with no sign-in. Anonymous by default: nothing about the
    caller (address, user agent, account) is stored. Limited per client to the
    same number of submissions per hour as the web form (429 beyond that).
    """
    if public_limits.exceeded(request, public_limits.submissions()):
        raise HttpError(429, "Too many submissions from here; please try again later.")
    agency = Agency.objects.filter(slug=payload.agency).first()
    if agency is None:
        raise HttpError(404, f"No such agency: {payload.agency}")
    if honeypot.is_filled(payload.model_dump(include={honeypot.FIELD_NAME})):
        # A bot: answered like a person, stored nowhere.
        fake = receipts.new_code()
        return Status(
            201,
            ReceiptCreatedOut(
                receipt_code=receipts.display(fake),
                receipt_url=receipt_url(Input(agency=agency, receipt_code=fake)),
                status=InputStatus.NEW,
            ),
        )
    try:
        item = input_create(
            agency=agency,
            channel=InputChannel.API,
            topic=payload.topic,
            text=payload.text,
            language=payload.language,
            area=_area(agency, payload.area),
            latitude=payload.latitude,
            longitude=payload.longitude,
            is_anonymous=payload.anonymous,
            contact_name=payload.contact_name,
            contact_email=payload.contact_email,
            contact_phone=payload.contact_phone,
            reply_channel=payload.reply_channel or "",
        )
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    return Status(
        201,
        ReceiptCreatedOut(
            receipt_code=receipts.display(item.receipt_code),
            receipt_url=receipt_url(item),
            status=InputStatus(item.status),
        ),
    )


@router.get(
    "/receipt/{code}",
    response={200: ReceiptOut, 404: ErrorOut, 429: ErrorOut},
    summary="Follow an input by its receipt code",
)
def get_receipt(request: HttpRequest, code: str) -> ReceiptOut:
    """Status, dates, public answer and public updates of the input with this
    receipt code — nothing else (no text, contact details, owner or notes).

    Codes are read forgivingly (case, dashes and spaces ignored). Limited to 60
    look-ups an hour per client, against guessing.
    """
    if public_limits.exceeded(request, public_limits.LOOKUPS):
        raise HttpError(429, "Too many look-ups from here; please try again later.")
    found = selectors_public.receipt(code=code)
    if found is None:
        raise HttpError(404, "No input has this receipt code.")
    return ReceiptOut(
        receipt_code=found.receipt_code,
        status=InputStatus(found.status),
        status_label=found.status_label,
        received_on=found.received_on,
        answered_on=found.answered_on,
        public_answer=found.public_answer,
        updates=[UpdateOut(on=u.on, text=u.text) for u in found.updates],
    )
