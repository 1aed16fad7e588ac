"""Response ledger endpoints for agency staff.

Readers: administrator, coordinator, analyst, command. Writers (owner, status,
answer, notes, referrals, moderation, links to events): administrator and
coordinator. Contact details of contributors are returned only to writers.
Each write is the same service the staff pages call, so it is audited and the
contributor is told just the same.

Request bodies are lenient (every field has a default) and checked after the
access check, so a caller without the role is told 403, never a validation error
that would reveal the shape of the endpoint.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from roundtable.accounts.access import LEDGER_EDITORS, LEDGER_VIEWERS, acting_user, roles_in
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.api.root import agency_for
from roundtable.inputs import selectors, services, services_ledger
from roundtable.inputs.api_schemas import (
    AnswerIn,
    InputOut,
    LinkIn,
    LinkOut,
    ModerationIn,
    NoteIn,
    NoteOut,
    OverdueOut,
    OwnerIn,
    ReferralIn,
    ReferralOut,
    ReturnIn,
    StatusIn,
)
from roundtable.inputs.models import Input, InputChannel, InputReferral, Moderation, Status, Topic
from roundtable.stakeholders.models import Organisation

router = Router(tags=["Response ledger"])


def _editor(request: HttpRequest, agency: Agency) -> bool:
    # agency_for checks the roles but, unlike agency_view, does not keep them
    # on the request, so holds_any() has nothing to read here.
    return bool(roles_in(acting_user(request), agency) & LEDGER_EDITORS)


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
    rows = selectors.ledger_list(agency=agency, filters=filters, user_id=acting_user(request).pk)
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
            actor=acting_user(request), input=item, status=payload.status, note=payload.note
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
        services_ledger.input_answer(actor=acting_user(request), input=item, answer=payload.answer)
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
        note = services_ledger.input_note_add(
            actor=acting_user(request), input=item, text=payload.text
        )
    except ValidationError as error:
        raise _refused(error) from None
    return HttpStatus(201, NoteOut(id=note.pk, text=note.text, created_at=note.created_at))


@router.post("{slug}/inputs/{input_id}/owner", response=InputOut)
def assign(request: HttpRequest, slug: str, input_id: int, payload: OwnerIn) -> InputOut:
    """Give the input an owner (a staff member), or nobody. Administrators and coordinators."""
    agency = agency_for(request, slug, LEDGER_EDITORS)
    item = _input(agency, input_id)
    if payload.owner == "":
        raise HttpError(422, "owner is required: a username, or null for nobody.")
    owner = None
    if payload.owner is not None:
        owner = User.objects.filter(username=payload.owner).first()
        if owner is None:
            raise HttpError(422, "owner: no such user.")
    try:
        services_ledger.input_assign(actor=acting_user(request), input=item, owner=owner)
    except ValidationError as error:
        raise _refused(error) from None
    return InputOut.from_model(_input(agency, input_id), with_contact=True)


@router.get("{slug}/inputs/{input_id}/referrals", response=list[ReferralOut])
def list_referrals(request: HttpRequest, slug: str, input_id: int) -> list[ReferralOut]:
    """Where the input was referred and what came back. Staff who read the ledger."""
    agency = agency_for(request, slug, LEDGER_VIEWERS)
    return [ReferralOut.from_model(r) for r in _input(agency, input_id).referrals.all()]


@router.post("{slug}/inputs/{input_id}/referrals", response={201: ReferralOut})
def refer(
    request: HttpRequest, slug: str, input_id: int, payload: ReferralIn
) -> HttpStatus[ReferralOut]:
    """Pass the input to another agency or partner; the contributor is told.
    Administrators and coordinators."""
    agency = agency_for(request, slug, LEDGER_EDITORS)
    item = _input(agency, input_id)
    organisation = None
    if payload.to_organisation is not None:
        organisation = Organisation.objects.filter(
            agency=agency, pk=payload.to_organisation
        ).first()
        if organisation is None:
            raise HttpError(422, "to_organisation: no such organisation in this agency.")
    try:
        referral = services_ledger.input_refer(
            actor=acting_user(request),
            input=item,
            to_organisation=organisation,
            to_name=payload.to_name,
            reference=payload.reference,
            note=payload.note,
        )
    except ValidationError as error:
        raise _refused(error) from None
    return HttpStatus(201, ReferralOut.from_model(referral))


@router.post("{slug}/inputs/{input_id}/referrals/{referral_id}/return", response=ReferralOut)
def referral_return(
    request: HttpRequest, slug: str, input_id: int, referral_id: int, payload: ReturnIn
) -> ReferralOut:
    """Record that a referral came back, and what they did. Administrators and coordinators."""
    agency = agency_for(request, slug, LEDGER_EDITORS)
    item = _input(agency, input_id)
    referral = InputReferral.objects.filter(input=item, pk=referral_id).first()
    if referral is None:
        raise HttpError(404, "No such referral of this input.")
    try:
        services_ledger.referral_returned(
            actor=acting_user(request), referral=referral, outcome=payload.outcome
        )
    except ValidationError as error:
        raise _refused(error) from None
    return ReferralOut.from_model(referral)


@router.post("{slug}/inputs/{input_id}/moderation", response=InputOut)
def moderate(request: HttpRequest, slug: str, input_id: int, payload: ModerationIn) -> InputOut:
    """Release a held input or keep it from public view (nothing is deleted).
    Administrators and coordinators."""
    agency = agency_for(request, slug, LEDGER_EDITORS)
    item = _input(agency, input_id)
    if payload.moderation is None:
        raise HttpError(422, "moderation is required: visible or hidden.")
    try:
        services_ledger.input_moderate(
            actor=acting_user(request), input=item, moderation=payload.moderation, note=payload.note
        )
    except ValidationError as error:
        raise _refused(error) from None
    return InputOut.from_model(_input(agency, input_id), with_contact=True)


@router.post("{slug}/inputs/{input_id}/links", response={201: LinkOut})
def link(request: HttpRequest, slug: str, input_id: int, payload: LinkIn) -> HttpStatus[LinkOut]:
    """Tie the input to one of the agency's events: when the event changes, the
    contributor is told. Administrators and coordinators."""
    agency = agency_for(request, slug, LEDGER_EDITORS)
    item = _input(agency, input_id)
    if payload.event is None:
        raise HttpError(422, "event is required.")
    event = selectors.linkable_events(agency=agency).filter(pk=payload.event).first()
    if event is None:
        raise HttpError(422, "event: no such event in this agency.")
    try:
        found = services.input_link(actor=acting_user(request), input=item, item=event)
    except ValidationError as error:
        raise _refused(error) from None
    kind = f"{found.content_type.app_label}.{found.content_type.model}"
    return HttpStatus(201, LinkOut(id=found.pk, kind=kind, item_id=event.pk, label=str(event)))
