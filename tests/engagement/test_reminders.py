"""`roundtable event_reminders`: each registrant with contact details, once, in their language."""

import datetime as dt
import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import formats, timezone, translation

from roundtable.engagement.reminders import event_reminders_send
from roundtable.inputs import sms
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow(agency):
    start = timezone.now() + dt.timedelta(hours=24)
    return EventFactory.create(
        agency=agency,
        title="Beat 4 meeting",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )


def test_it_emails_and_texts_registrants_once(tomorrow):
    by_email = RegistrationFactory.create(event=tomorrow, email="marisol@example.org")
    by_text = RegistrationFactory.create(event=tomorrow, phone="+13125550198")
    RegistrationFactory.create(event=tomorrow)  # no contact: nothing to send
    out = StringIO()
    call_command("event_reminders", stdout=out)
    assert "2 reminder(s) sent." in out.getvalue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["marisol@example.org"]
    assert mail.outbox[0].subject == "Reminder: Beat 4 meeting"
    assert "Eastbank Library, 10 Library Lane" in mail.outbox[0].body
    assert f"/p/{tomorrow.agency.slug}/events/{tomorrow.pk}/" in mail.outbox[0].body
    assert [m.to for m in sms.outbox] == ["+13125550198"]
    by_email.refresh_from_db()
    by_text.refresh_from_db()
    assert by_email.reminded_at is not None and by_text.reminded_at is not None
    call_command("event_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1


def test_the_reminder_is_in_the_registrants_language(tomorrow):
    RegistrationFactory.create(event=tomorrow, email="vecina@example.org", preferred_language="es")
    assert event_reminders_send() == 1
    local = timezone.localtime(tomorrow.starts_at)
    with translation.override("es"):
        spanish_date = formats.date_format(local, "DATETIME_FORMAT")
    with translation.override("en"):
        english_date = formats.date_format(local, "DATETIME_FORMAT")
    assert spanish_date != english_date
    assert spanish_date in mail.outbox[0].body


def test_only_events_within_the_window_and_not_cancelled(agency, tomorrow):
    later_start = timezone.now() + dt.timedelta(hours=72)
    later = EventFactory.create(
        agency=agency, starts_at=later_start, ends_at=later_start + dt.timedelta(hours=1)
    )
    cancelled = EventFactory.create(
        agency=agency, starts_at=tomorrow.starts_at, ends_at=tomorrow.ends_at, status="cancelled"
    )
    past_start = timezone.now() - dt.timedelta(hours=2)
    past = EventFactory.create(
        agency=agency, starts_at=past_start, ends_at=past_start + dt.timedelta(hours=1)
    )
    for event in (tomorrow, later, cancelled, past):
        RegistrationFactory.create(event=event, email=f"e{event.pk}@example.org")
    assert event_reminders_send(hours=48) == 1
    assert mail.outbox[0].to == [f"e{tomorrow.pk}@example.org"]
    assert event_reminders_send(hours=96) == 1
    assert mail.outbox[1].to == [f"e{later.pk}@example.org"]


def test_a_failed_send_is_tried_again_next_time_and_logged_without_the_address(
    tomorrow, settings, caplog
):
    registration = RegistrationFactory.create(event=tomorrow, phone="+13125550198")
    settings.ROUNDTABLE_SMS_BACKEND = "twilio"  # not configured: raises
    settings.ROUNDTABLE_TWILIO_ACCOUNT_SID = ""
    with caplog.at_level(logging.DEBUG):
        assert event_reminders_send() == 0
    assert f"Reminder for registration {registration.pk} failed" in caplog.text
    assert "5550198" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)
    registration.refresh_from_db()
    assert registration.reminded_at is None
    settings.ROUNDTABLE_SMS_BACKEND = "locmem"
    assert event_reminders_send() == 1


def test_hours_must_be_positive():
    with pytest.raises(CommandError):
        call_command("event_reminders", "--hours", "0")
