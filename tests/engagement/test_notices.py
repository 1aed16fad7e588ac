"""Registrants hear when their meeting is cancelled or moved; contributors only of public ones."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

from roundtable.engagement import notices, services
from roundtable.engagement.models import Event
from roundtable.inputs import sms
from roundtable.inputs.models import PublicUpdate
from roundtable.inputs.services import input_link
from tests.engagement.conftest import in_days
from tests.factories import EventFactory, InputFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def marisol(town_hall):
    """Registered with an email, reads Spanish."""
    return RegistrationFactory.create(
        event=town_hall, email="marisol@example.org", preferred_language="es"
    )


@pytest.fixture
def dev(town_hall):
    """Registered with a mobile number only, reads English."""
    return RegistrationFactory.create(event=town_hall, phone="+13125550198")


def _move(event, casey, **changes):
    return services.event_update(actor=casey, event=event, **changes)


def test_cancelling_tells_each_registrant_with_contact_details_in_their_language(
    town_hall, marisol, dev, casey, django_capture_on_commit_callbacks
):
    RegistrationFactory.create(event=town_hall)  # no contact details: nobody to tell
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(
            actor=casey, event=town_hall, note="The library is flooded; call 312-555-0100."
        )
    (email,) = mail.outbox
    assert email.to == ["marisol@example.org"]
    assert email.subject.endswith("Eastbank safety town hall")
    with translation.override("es"):
        spanish_date = formats.date_format(
            timezone.localtime(town_hall.starts_at), "DATETIME_FORMAT"
        )
    assert spanish_date in email.body
    assert "The library is flooded" in email.body
    assert "312-555-0100" not in email.body  # the note is redacted, as on the public page
    assert f"/p/riverside/events/{town_hall.pk}/" in email.body
    (text,) = sms.outbox
    assert text.to == "+13125550198"
    assert text.body.startswith("Cancelled: Eastbank safety town hall")


def test_nothing_is_sent_when_the_cancellation_is_rolled_back(
    town_hall, marisol, casey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.event_cancel(actor=casey, event=town_hall)
    assert len(callbacks) == 1  # queued after commit, not sent inside the transaction
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        services.event_cancel(actor=casey, event=town_hall)  # already cancelled
    assert callbacks == [] and mail.outbox == []


def test_moving_the_meeting_tells_registrants_where_and_when_it_is_now(
    town_hall, dev, casey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _move(town_hall, casey, place_name="Westside Community Centre", address="4 Elm Street")
    (text,) = sms.outbox
    assert text.body.startswith("Changed: Eastbank safety town hall")
    assert "Westside Community Centre, 4 Elm Street" in text.body
    assert formats.date_format(timezone.localtime(town_hall.starts_at), "DATETIME_FORMAT") in (
        text.body
    )


def test_going_online_sends_the_join_link(
    town_hall, marisol, casey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _move(town_hall, casey, format="virtual", join_url="https://meet.example.org/eastbank")
    (email,) = mail.outbox
    assert "https://meet.example.org/eastbank" in email.body
    assert "Eastbank Library" not in email.body


def test_a_new_title_or_description_is_not_news_to_registrants(
    town_hall, marisol, dev, casey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _move(town_hall, casey, title="Eastbank town hall", description="Bring questions.")
    assert mail.outbox == [] and sms.outbox == []


def test_a_meeting_long_over_tells_nobody(agency, casey, django_capture_on_commit_callbacks):
    start = in_days(-10)
    held = EventFactory.create(
        agency=agency, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    RegistrationFactory.create(event=held, email="late@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _move(held, casey, place_name="Somewhere else")
        services.event_cancel(actor=casey, event=held)
    assert mail.outbox == []


def test_an_event_off_the_public_calendar_tells_registrants_but_not_contributors(
    agency, casey, django_capture_on_commit_callbacks
):
    interview = EventFactory.create(agency=agency, kind="focus_group", is_public=False)
    RegistrationFactory.create(event=interview, email="invited@example.org")
    contributor = InputFactory.create(
        agency=agency,
        is_anonymous=False,
        contact_email="vecina@example.org",
        reply_channel="email",
    )
    input_link(actor=casey, input=contributor, item=interview)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=casey, event=interview, note="Room unavailable.")
    assert not PublicUpdate.objects.exists()
    assert [m.to for m in mail.outbox] == [["invited@example.org"]]


def test_a_change_notice_overtaken_by_a_cancellation_is_not_sent(town_hall, marisol, casey):
    services.event_cancel(actor=casey, event=town_hall)  # callbacks not run: nothing sent yet
    result = notices.registrant_notice_send(registration_id=marisol.pk, notice=notices.CHANGED)
    assert result == notices.SKIPPED
    sent = notices.registrant_notice_send(registration_id=marisol.pk, notice=notices.CANCELLED)
    assert sent == notices.SENT
    assert len(mail.outbox) == 1


def test_details_erased_before_the_task_runs_are_not_written_to(town_hall, marisol):
    town_hall.status = Event.Status.CANCELLED
    town_hall.save()
    marisol.email = ""
    marisol.save()
    result = notices.registrant_notice_send(registration_id=marisol.pk, notice=notices.CANCELLED)
    assert result == notices.SKIPPED
    assert notices.registrant_notice_send(registration_id=0, notice="cancelled") == notices.MISSING
    with pytest.raises(ValueError, match="unknown notice"):
        notices.registrant_notice_send(registration_id=marisol.pk, notice="anything")


def test_a_failed_send_is_logged_without_the_address(town_hall, dev, settings, caplog):
    town_hall.status = Event.Status.CANCELLED
    town_hall.save()
    settings.ROUNDTABLE_SMS_BACKEND = "twilio"  # not configured: raises
    settings.ROUNDTABLE_TWILIO_ACCOUNT_SID = ""
    with caplog.at_level(logging.DEBUG):
        result = notices.registrant_notice_send(registration_id=dev.pk, notice=notices.CANCELLED)
    assert result == notices.FAILED
    assert f"registration {dev.pk} failed" in caplog.text
    assert "5550198" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)
