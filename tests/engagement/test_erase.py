"""`roundtable event_registrations_erase`: registrants' details go, their number stays."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.engagement.attendance import registrations_erase
from roundtable.engagement.models import Registration
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _ended(agency, days_ago: float):
    end = timezone.now() - dt.timedelta(days=days_ago)
    return EventFactory.create(agency=agency, starts_at=end - dt.timedelta(hours=2), ends_at=end)


def _register(event):
    return RegistrationFactory.create(
        event=event,
        name="Marisol Vega",
        email="marisol@example.org",
        phone="+13125550198",
        needs="A ramp, please.",
        preferred_language="es",
    )


def test_details_are_erased_a_set_number_of_days_after_the_event_and_the_count_stays(agency):
    old = _ended(agency, 31)
    recent = _ended(agency, 29)
    upcoming = EventFactory.create(agency=agency)
    erased_one, erased_two = _register(old), _register(old)
    kept = [_register(recent), _register(upcoming)]
    out = StringIO()
    call_command("event_registrations_erase", stdout=out)
    assert "2 registration(s) erased." in out.getvalue()
    for registration in (erased_one, erased_two):
        registration.refresh_from_db()
        assert (registration.name, registration.email, registration.phone, registration.needs) == (
            "",
            "",
            "",
            "",
        )
        assert registration.preferred_language == "es"
    for registration in kept:
        registration.refresh_from_db()
        assert registration.email == "marisol@example.org" and registration.name == "Marisol Vega"
    assert Registration.objects.filter(event=old).count() == 2
    entry = AuditEntry.objects.get(action="registration.erase")
    assert entry.object_id == str(old.pk) and entry.actor is None
    assert entry.after == {"registrations_erased": 2, "keep_days": 30}
    assert "marisol" not in str(entry.before) + str(entry.after)


def test_a_second_run_finds_nothing_left(agency):
    _register(_ended(agency, 40))
    RegistrationFactory.create(event=_ended(agency, 40))  # a name only
    assert registrations_erase() == 2
    assert registrations_erase() == 0
    assert AuditEntry.objects.filter(action="registration.erase").count() == 2


def test_the_number_of_days_comes_from_the_setting_or_the_command(agency, settings):
    registration = _register(_ended(agency, 8))
    settings.ROUNDTABLE_REGISTRATION_KEEP_DAYS = 10
    assert registrations_erase() == 0
    call_command("event_registrations_erase", "--days", "7", stdout=StringIO())
    registration.refresh_from_db()
    assert registration.email == ""


def test_days_cannot_be_negative():
    with pytest.raises(CommandError):
        call_command("event_registrations_erase", "--days", "-1")
    with pytest.raises(ValueError, match="negative"):
        registrations_erase(keep_days=-1)
