"""input_create: the one way in for every channel."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from roundtable.inputs import receipts
from roundtable.inputs.models import Input, InputChannel, Moderation, Notification, Topic
from roundtable.inputs.services import DuplicateInput, input_create
from tests.factories import AreaFactory

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
