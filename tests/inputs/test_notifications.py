"""Telling contributors: in their language, by email or SMS; anonymous ones read
it under their receipt code; failures and erased contacts are recorded."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from roundtable.inputs import notifications, receipts, sms
from roundtable.inputs.models import Notification, PublicUpdate
from roundtable.inputs.services_ledger import input_answer
from tests.factories import InputFactory

pytestmark = pytest.mark.django_db


def _contributor(agency, **kwargs):
    fields = {
        "is_anonymous": False,
        "contact_email": "lucia@example.org",
        "reply_channel": "email",
        "language": "es",
        "text": "La farola de la calle Sol no funciona.",
    }
    return InputFactory.create(agency=agency, **{**fields, **kwargs})


def test_a_spanish_contributor_gets_the_answer_by_email(
    agency, casey, django_capture_on_commit_callbacks
):
    item = _contributor(agency)
    with django_capture_on_commit_callbacks(execute=True):
        input_answer(actor=casey, input=item, answer="La arreglamos ayer.")
    (message,) = mail.outbox
    assert message.to == ["lucia@example.org"]
    assert receipts.display(item.receipt_code) in message.subject
    assert "La arreglamos ayer." in message.body
    assert notifications.receipt_url(item) in message.body
    assert Notification.objects.get(input=item).state == Notification.State.SENT


def test_a_contributor_who_chose_text_messages_gets_an_sms(
    agency, casey, django_capture_on_commit_callbacks
):
    item = _contributor(agency, contact_email="", contact_phone="+13125550198", reply_channel="sms")
    with django_capture_on_commit_callbacks(execute=True):
        input_answer(actor=casey, input=item, answer="Fixed yesterday.")
    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == "+13125550198"
    assert "Fixed yesterday." in sms.outbox[0].body
    assert not mail.outbox


def test_an_anonymous_contributor_gets_no_message_but_an_update_under_the_code(
    agency, casey, django_capture_on_commit_callbacks
):
    item = InputFactory.create(agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        input_answer(actor=casey, input=item, answer="Fixed.")
    assert not Notification.objects.exists() and not mail.outbox
    assert PublicUpdate.objects.get(input=item).text == "Fixed."


def test_a_failed_send_is_recorded_with_its_error(
    agency, casey, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    item = _contributor(agency)
    with django_capture_on_commit_callbacks(execute=True):
        input_answer(actor=casey, input=item, answer="Fixed.")
    notice = Notification.objects.get(input=item)
    assert notice.state == Notification.State.FAILED
    assert "mail server down" in notice.error


def test_a_contact_erased_after_queueing_is_not_written_to(agency, casey):
    item = _contributor(agency)
    input_answer(actor=casey, input=item, answer="Fixed.")  # queued, task not run
    type(item).objects.filter(pk=item.pk).update(contact_email="")
    notice = Notification.objects.get(input=item)
    assert notifications.notification_send(notification_id=notice.pk) == "skipped"
    assert not mail.outbox


def test_the_sweep_sends_notices_whose_task_was_lost(agency, casey):
    item = _contributor(agency)
    input_answer(actor=casey, input=item, answer="Fixed.")  # on_commit never ran
    fresh = _contributor(agency)
    input_answer(actor=casey, input=fresh, answer="Fixed too.")
    Notification.objects.filter(input=item).update(
        created_at=timezone.now() - dt.timedelta(minutes=10)
    )
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert "1 notice(s) sent." in out.getvalue()
    assert Notification.objects.get(input=item).state == Notification.State.SENT
    assert Notification.objects.get(input=fresh).state == Notification.State.QUEUED


def test_a_refused_address_is_not_kept_in_the_error_that_staff_read(
    agency, casey, monkeypatch, django_capture_on_commit_callbacks
):
    import smtplib

    def refused(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused(
            {"lucia@example.org": (550, b"5.1.1 <lucia@example.org>: no such user")}
        )

    monkeypatch.setattr(notifications, "send_mail", refused)
    item = _contributor(agency)
    with django_capture_on_commit_callbacks(execute=True):
        input_answer(actor=casey, input=item, answer="Fixed.")
    notice = Notification.objects.get(input=item)
    assert notice.state == Notification.State.FAILED
    assert notice.error.startswith("SMTPRecipientsRefused: ")
    assert "no such user" in notice.error and "lucia" not in notice.error.lower()


def test_a_refused_phone_number_is_not_kept_in_the_error_either(
    agency, casey, monkeypatch, django_capture_on_commit_callbacks
):
    def refused(to, body):
        # A provider quoting the number it refused (this one is not a valid
        # number, so only taking out the contributor's own number by name hides it).
        raise RuntimeError(f"The 'To' number {to} is not a valid phone number.")

    monkeypatch.setattr(notifications, "send_sms", refused)
    item = _contributor(agency, contact_email="", contact_phone="+15552013344", reply_channel="sms")
    with django_capture_on_commit_callbacks(execute=True):
        input_answer(actor=casey, input=item, answer="Fixed.")
    notice = Notification.objects.get(input=item)
    assert notice.error == "RuntimeError: The 'To' number [phone] is not a valid phone number."


def test_only_editors_see_why_a_message_failed(agency, casey, ana, client_for):
    from django.urls import reverse

    item = _contributor(agency)
    Notification.objects.create(
        input=item,
        channel="email",
        language="es",
        subject="Respuesta",
        body="…",
        state=Notification.State.FAILED,
        error="ConnectionRefusedError: mail server down",
    )
    url = reverse("inputs:detail", args=[agency.slug, item.pk])
    assert "mail server down" in client_for(casey).get(url).content.decode()
    page = client_for(ana).get(url).content.decode()
    assert "mail server down" not in page and "Failed" in page
