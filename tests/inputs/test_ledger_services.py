"""The response ledger's writes: owner, status, answer, notes, referrals, targets."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import Input, InputNote, Notification, PublicUpdate, Status
from roundtable.inputs.services_ledger import (
    agency_ledger_targets_set,
    input_answer,
    input_assign,
    input_note_add,
    input_refer,
    input_set_status,
    referral_returned,
)
from tests.factories import InputFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _audits(item, action):
    return AuditEntry.objects.filter(object_id=str(item.pk), action=action)


def test_an_input_can_be_given_to_a_staff_member_and_the_change_is_audited(agency, casey, ana):
    item = InputFactory.create(agency=agency)
    input_assign(actor=casey, input=item, owner=ana)
    item.refresh_from_db()
    assert item.owner == ana
    entry = _audits(item, "input.assign").get()
    assert entry.before == {"owner": None} and entry.after == {"owner": ana.pk}


def test_residents_and_staff_of_other_agencies_cannot_own_an_input(agency, casey, rosa, uma):
    item = InputFactory.create(agency=agency)
    for person in (rosa, uma):
        with pytest.raises(ValidationError):
            input_assign(actor=casey, input=item, owner=person)
    item.refresh_from_db()
    assert item.owner is None


def test_leaving_new_sets_acknowledged_at_and_tells_the_contributor(agency, casey):
    item = InputFactory.create(agency=agency)
    when = timezone.now()
    input_set_status(actor=casey, input=item, status=Status.ACKNOWLEDGED, now=when)
    item.refresh_from_db()
    assert item.status == Status.ACKNOWLEDGED and item.acknowledged_at == when
    assert PublicUpdate.objects.filter(input=item).count() == 1
    assert _audits(item, "input.status").get().after == {"status": "acknowledged"}


def test_transitions_the_table_forbids_are_refused(agency, casey):
    item = InputFactory.create(agency=agency, status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        input_set_status(actor=casey, input=item, status=Status.NEW)
    # Answered needs an answer, referred needs a referral.
    with pytest.raises(ValidationError):
        input_set_status(actor=casey, input=item, status=Status.ANSWERED)
    with pytest.raises(ValidationError):
        input_set_status(actor=casey, input=item, status=Status.REFERRED)
    assert Input.objects.get(pk=item.pk).status == Status.IN_PROGRESS


def test_closing_sets_closed_at_and_reopening_needs_a_note(agency, casey):
    item = InputFactory.create(agency=agency, status=Status.ANSWERED, public_answer="Fixed.")
    input_set_status(actor=casey, input=item, status=Status.CLOSED)
    assert item.closed_at is not None
    with pytest.raises(ValidationError):
        input_set_status(actor=casey, input=item, status=Status.IN_PROGRESS)
    input_set_status(
        actor=casey, input=item, status=Status.IN_PROGRESS, note="The light is out again."
    )
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and item.closed_at is None
    assert InputNote.objects.get(input=item).text == "The light is out again."


def test_an_answer_is_published_redacted_relayed_and_audited(
    agency, casey, django_capture_on_commit_callbacks
):
    item = InputFactory.create(
        agency=agency,
        language="es",
        is_anonymous=False,
        contact_email="lucia@example.org",
        reply_channel="email",
        text="La farola está apagada.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        input_answer(
            actor=casey,
            input=item,
            answer="Arreglada el lunes. Dudas: ana@example.org",
        )
    item.refresh_from_db()
    assert item.status == Status.ANSWERED and item.answered_at and item.acknowledged_at
    assert item.public_answer.endswith("ana@example.org")  # staff see what they wrote
    update = PublicUpdate.objects.get(input=item)
    assert "ana@example.org" not in update.text and "Arreglada el lunes" in update.text
    assert len(mail.outbox) == 1
    assert "La farola está apagada." in mail.outbox[0].body
    assert "Arreglada el lunes" in mail.outbox[0].body
    assert Notification.objects.get(input=item).language == "es"
    entry = _audits(item, "input.answer").get()
    assert entry.after["status"] == "answered" and entry.before["status"] == "new"


def test_an_empty_answer_or_an_answer_to_a_closed_input_is_refused(agency, casey):
    item = InputFactory.create(agency=agency)
    with pytest.raises(ValidationError):
        input_answer(actor=casey, input=item, answer="   ")
    closed = InputFactory.create(agency=agency, status=Status.CLOSED)
    with pytest.raises(ValidationError):
        input_answer(actor=casey, input=closed, answer="Too late")


def test_internal_notes_are_audited_but_never_public(agency, casey):
    item = InputFactory.create(agency=agency)
    input_note_add(actor=casey, input=item, text="Called the resident back.")
    assert InputNote.objects.get(input=item).author == casey
    assert not PublicUpdate.objects.filter(input=item).exists()
    assert _audits(item, "input.note").exists()


def test_a_referral_is_tracked_until_it_comes_back(agency, casey):
    agency.referral_back_within_days = 10
    agency.save()
    housing = OrganisationFactory.create(agency=agency, name="Housing Department")
    item = InputFactory.create(agency=agency)
    now = timezone.now()
    referral = input_refer(actor=casey, input=item, to_organisation=housing, now=now)
    item.refresh_from_db()
    assert item.status == Status.REFERRED
    assert referral.to_name == "Housing Department"
    assert referral.expected_back_by == timezone.localdate(now) + dt.timedelta(days=10)
    assert "Housing Department" in PublicUpdate.objects.get(input=item).text

    referral_returned(actor=casey, referral=referral, outcome="Landlord fined.")
    item.refresh_from_db()
    referral.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and referral.returned_at is not None
    assert PublicUpdate.objects.filter(input=item).count() == 2
    assert "Landlord fined." not in PublicUpdate.objects.order_by("pk").last().text  # type: ignore[union-attr]  # the outcome stays internal
    assert _audits(item, "input.refer").exists()
    assert _audits(item, "input.referral_returned").exists()


def test_a_referral_to_a_named_service_is_worded_in_the_inputs_language(agency, casey):
    item = InputFactory.create(agency=agency, language="es")
    input_refer(actor=casey, input=item, to_name="311")
    text = PublicUpdate.objects.get(input=item).text
    assert "311" in text
    with pytest.raises(ValidationError):
        input_refer(actor=casey, input=item)  # nobody named


def test_an_organisation_of_another_agency_cannot_be_referred_to(agency, other_agency, casey):
    item = InputFactory.create(agency=agency)
    elsewhere = OrganisationFactory.create(agency=other_agency)
    with pytest.raises(ValidationError):
        input_refer(actor=casey, input=item, to_organisation=elsewhere)


def test_changing_targets_is_audited_and_leaves_existing_due_dates(agency, adam):
    item = InputFactory.create(agency=agency)
    before = (item.acknowledge_by, item.answer_by)
    agency_ledger_targets_set(
        actor=adam,
        agency=agency,
        acknowledge_within_days=1,
        answer_within_days=7,
        referral_back_within_days=5,
    )
    agency.refresh_from_db()
    assert (agency.acknowledge_within_days, agency.answer_within_days) == (1, 7)
    item.refresh_from_db()
    assert (item.acknowledge_by, item.answer_by) == before
    entry = AuditEntry.objects.get(action="agency.ledger_targets")
    assert entry.after is not None and entry.after["answer_within_days"] == 7


def test_targets_that_make_no_sense_are_refused(agency, adam):
    with pytest.raises(ValidationError):
        agency_ledger_targets_set(
            actor=adam,
            agency=agency,
            acknowledge_within_days=10,
            answer_within_days=5,
            referral_back_within_days=5,
        )


def test_answering_a_reopened_input_again_through_its_status_tells_the_contributor(
    agency, casey, django_capture_on_commit_callbacks
):
    item = InputFactory.create(
        agency=agency,
        is_anonymous=False,
        contact_email="lucia@example.org",
        reply_channel="email",
        text="The light on Sol is out.",
    )
    input_answer(actor=casey, input=item, answer="Fixed on Monday.")
    input_set_status(actor=casey, input=item, status=Status.IN_PROGRESS, note="Out again.")
    with django_capture_on_commit_callbacks(execute=True):
        input_set_status(actor=casey, input=item, status=Status.ANSWERED)
    (message,) = mail.outbox
    assert "Fixed on Monday." in message.body and "The light on Sol is out." in message.body
    latest = PublicUpdate.objects.filter(input=item).order_by("pk").last()
    assert latest is not None and latest.text == "Fixed on Monday."
    assert Notification.objects.filter(input=item).count() == 3


def test_a_move_reads_the_input_afresh_not_the_copy_the_page_fetched(agency, casey):
    item = InputFactory.create(agency=agency)
    stale = Input.objects.get(pk=item.pk)
    input_set_status(actor=casey, input=item, status=Status.CLOSED)
    # Another coordinator's page still shows it new: acknowledging it now must
    # not reopen a closed input without a word, nor audit "before: new".
    with pytest.raises(ValidationError):
        input_set_status(actor=casey, input=stale, status=Status.ACKNOWLEDGED)
    assert stale.status == Status.CLOSED
    input_assign(actor=casey, input=stale, owner=casey)
    entry = _audits(item, "input.assign").get()
    assert entry.before == {"owner": None}
    assert Input.objects.get(pk=item.pk).status == Status.CLOSED


def test_a_referral_cannot_come_back_twice_even_from_a_stale_copy(agency, casey):
    item = InputFactory.create(agency=agency)
    referral = input_refer(actor=casey, input=item, to_name="311")
    stale = type(referral).objects.get(pk=referral.pk)
    referral_returned(actor=casey, referral=referral, outcome="Fixed.")
    with pytest.raises(ValidationError):
        referral_returned(actor=casey, referral=stale, outcome="Fixed again.")
    referral.refresh_from_db()
    assert referral.outcome == "Fixed."


def test_only_an_item_of_the_inputs_own_agency_may_be_linked(agency, other_agency, casey):
    from roundtable.inputs.services import input_link
    from tests.factories import EventFactory

    item = InputFactory.create(agency=agency)
    with pytest.raises(ValidationError):
        input_link(actor=casey, input=item, item=EventFactory.create(agency=other_agency))
    # Something with no agency of its own could be anyone's: refused, not waved through.
    with pytest.raises(ValidationError):
        input_link(actor=casey, input=item, item=casey)
    assert not item.links.exists()
    event = EventFactory.create(agency=agency)
    assert input_link(actor=casey, input=item, item=event).item == event
