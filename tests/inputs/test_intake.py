"""input_create: the one way in for every channel."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from roundtable.inputs import receipts
from roundtable.inputs.models import Input, InputChannel, Moderation, Notification, Topic
from roundtable.inputs.services import DuplicateInput, input_create
from tests.factories import AreaFactory, InputFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_input_gets_a_receipt_code_and_due_dates(agency):
    item = input_create(
        agency=agency, channel=InputChannel.WEB, topic=Topic.SAFETY_CONCERN, text="Dark underpass"
    )
    assert receipts.normalise(receipts.display(item.receipt_code)) == item.receipt_code
    assert (item.answer_by - item.acknowledge_by).days == 27
    assert item.submitted_by is None and item.contact_email == ""


def test_an_anonymous_input_refuses_contact_details(agency, rosa):
    with pytest.raises(ValidationError):
        input_create(
            agency=agency,
            channel=InputChannel.WEB,
            topic=Topic.OTHER,
            text="x",
            contact_email="rosa@example.org",
        )
    with pytest.raises(ValidationError):
        input_create(
            agency=agency, channel=InputChannel.WEB, topic=Topic.OTHER, text="x", submitted_by=rosa
        )
    assert Input.objects.count() == 0


def test_a_contributor_with_an_email_is_sent_the_receipt_code_in_their_language(
    agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = input_create(
            agency=agency,
            channel=InputChannel.WEB,
            topic=Topic.POLICY,
            text="¿Cuándo usan cámaras?",
            language="es",
            is_anonymous=False,
            contact_email="lucia@example.org",
        )
    assert Notification.objects.get(input=item).state == Notification.State.SENT
    assert len(mail.outbox) == 1
    assert receipts.display(item.receipt_code) in mail.outbox[0].body
    assert "recibió" in mail.outbox[0].subject


def test_abusive_text_is_held_for_moderation_not_rejected(agency):
    item = input_create(
        agency=agency,
        channel=InputChannel.WEB,
        topic=Topic.OTHER,
        text="Hijo de puta, te voy a matar",
    )
    assert item.moderation == Moderation.HELD


def test_an_area_of_another_agency_is_refused(agency, other_agency):
    with pytest.raises(ValidationError):
        input_create(
            agency=agency,
            channel=InputChannel.WEB,
            topic=Topic.OTHER,
            text="x",
            area=AreaFactory.create(agency=other_agency),
        )


def test_the_same_external_id_is_not_stored_twice(agency):
    first = input_create(
        agency=agency,
        channel=InputChannel.THREE_ONE_ONE,
        topic=Topic.OTHER,
        text="x",
        external_id="311-1",
    )
    with pytest.raises(DuplicateInput) as raised:
        input_create(
            agency=agency,
            channel=InputChannel.THREE_ONE_ONE,
            topic=Topic.OTHER,
            text="x",
            external_id="311-1",
        )
    assert raised.value.existing == first


def test_receipt_codes_read_back_forgivingly():
    assert receipts.normalise(" 7k3mq-9xd2f ") == "7K3MQ9XD2F"
    assert receipts.normalise("ABCDE-FGHIO") == "ABCDEFGH10"
    assert receipts.normalise("short") == ""


def test_a_receipt_code_that_is_taken_is_drawn_again_without_losing_the_input(agency, monkeypatch):
    first = input_create(agency=agency, channel=InputChannel.WEB, topic=Topic.OTHER, text="one")
    drawn = iter([first.receipt_code, first.receipt_code, "ZZZZZ00000"])
    monkeypatch.setattr(receipts, "new_code", lambda: next(drawn))
    second = input_create(agency=agency, channel=InputChannel.WEB, topic=Topic.OTHER, text="two")
    assert second.receipt_code == "ZZZZZ00000"
    assert sorted(Input.objects.values_list("text", flat=True)) == ["one", "two"]


def test_many_anonymous_inputs_are_stored_at_once_under_fresh_codes(agency, casey, monkeypatch):
    from roundtable.audit.models import AuditEntry
    from roundtable.inputs.services_bulk import AnonymousRow, inputs_create_anonymous

    taken = input_create(agency=agency, channel=InputChannel.WEB, topic=Topic.OTHER, text="x")
    # The first draw repeats a stored code and one code twice; both are drawn again.
    drawn = iter([taken.receipt_code, "AAAAA00000", "AAAAA00000", "BBBBB00000", "CCCCC00000"])
    monkeypatch.setattr(receipts, "new_code", lambda: next(drawn))
    rows = [
        AnonymousRow(topic=Topic.SAFETY_CONCERN, text="Dark underpass", external_id="SR-1"),
        AnonymousRow(topic=Topic.OTHER, text="Burn it down", external_id="SR-2"),
        AnonymousRow(topic=Topic.OTHER, text="Speeding", external_id="SR-1"),
    ]
    created, already = inputs_create_anonymous(
        agency=agency, channel=InputChannel.THREE_ONE_ONE, recorded_by=casey, rows=rows
    )
    assert already == 1  # SR-1 twice in one file: the second is not stored again
    # taken+AAAAA: one is stored already; AAAAA+AAAAA: repeated; then BBBBB+CCCCC.
    assert [i.receipt_code for i in created] == ["BBBBB00000", "CCCCC00000"]
    assert [i.moderation for i in created] == [Moderation.VISIBLE, Moderation.HELD]
    assert all(i.is_anonymous and i.contact_email == "" for i in created)
    assert AuditEntry.objects.filter(action="input.record").count() == 2
    _, again = inputs_create_anonymous(
        agency=agency, channel=InputChannel.THREE_ONE_ONE, recorded_by=casey, rows=rows[:2]
    )
    assert again == 2


def test_a_phone_number_is_stored_in_e164_whatever_its_writing(agency):
    item = input_create(
        agency=agency,
        channel=InputChannel.WEB,
        topic=Topic.OTHER,
        text="x",
        is_anonymous=False,
        contact_phone=" (312) 555-0198 ",
    )
    assert item.contact_phone == "+13125550198"
    assert item.reply_channel == "sms"


def test_a_phone_number_that_cannot_be_one_is_refused_on_its_field(agency):
    with pytest.raises(ValidationError) as raised:
        input_create(
            agency=agency,
            channel=InputChannel.WEB,
            topic=Topic.OTHER,
            text="x",
            is_anonymous=False,
            contact_phone="call me maybe",
        )
    assert list(raised.value.error_dict) == ["contact_phone"]
    assert Input.objects.count() == 0


def test_an_external_id_stored_by_a_concurrent_delivery_is_a_duplicate(agency, monkeypatch):
    # The other delivery commits between our check and our insert: the unique
    # index refuses ours, and that is the same DuplicateInput as a retry.
    draw = receipts.new_code
    other: dict[str, Input] = {}

    def racing_draw():
        if not other:
            other["input"] = InputFactory.create(
                agency=agency, channel=InputChannel.SMS, receipt_code=draw(), external_id="SM1"
            )
        return draw()

    monkeypatch.setattr(receipts, "new_code", racing_draw)
    with pytest.raises(DuplicateInput) as raised:
        input_create(
            agency=agency, channel=InputChannel.SMS, topic=Topic.OTHER, text="x", external_id="SM1"
        )
    assert raised.value.existing == other["input"]


def test_rows_a_concurrent_import_stored_first_count_as_already_imported(
    agency, casey, monkeypatch
):
    from roundtable.audit.models import AuditEntry
    from roundtable.inputs.services_bulk import AnonymousRow, inputs_create_anonymous

    draw = receipts.new_code
    raced: list[str] = []

    def racing_draw():
        if not raced:
            raced.append("SR-2")
            InputFactory.create(
                agency=agency,
                channel=InputChannel.THREE_ONE_ONE,
                text="the other import",
                receipt_code=draw(),
                external_id="SR-2",
            )
        return draw()

    monkeypatch.setattr(receipts, "new_code", racing_draw)
    rows = [
        AnonymousRow(topic=Topic.OTHER, text="one", external_id="SR-1"),
        AnonymousRow(topic=Topic.OTHER, text="two", external_id="SR-2"),
    ]
    created, already = inputs_create_anonymous(
        agency=agency, channel=InputChannel.THREE_ONE_ONE, recorded_by=casey, rows=rows
    )
    assert [i.external_id for i in created] == ["SR-1"] and already == 1
    assert sorted(Input.objects.values_list("text", flat=True)) == ["one", "the other import"]
    assert AuditEntry.objects.filter(action="input.record").count() == 1


def test_imported_history_is_due_from_the_day_of_the_import(agency, casey):
    from django.utils import timezone

    from roundtable.inputs.services_bulk import AnonymousRow, inputs_create_anonymous

    a_year_ago = timezone.now() - dt.timedelta(days=365)
    (item,), _ = inputs_create_anonymous(
        agency=agency,
        channel=InputChannel.THREE_ONE_ONE,
        recorded_by=casey,
        rows=[AnonymousRow(topic=Topic.OTHER, text="old request", received_at=a_year_ago)],
    )
    today = timezone.localdate()
    assert item.received_at == a_year_ago
    assert item.acknowledge_by == today + dt.timedelta(days=agency.acknowledge_within_days)
    assert item.answer_by == today + dt.timedelta(days=agency.answer_within_days)
