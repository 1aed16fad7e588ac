"""Registering (public, no account) and recording who came, paper sheets included."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.engagement import attendance
from roundtable.engagement.models import Attendance, Registration
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_registering_keeps_only_what_was_given(town_hall):
    registration = attendance.registration_create(
        event=town_hall,
        email=" vecina@example.org ",
        phone="(312) 555-0198",
        preferred_language="es",
    )
    assert registration.name == ""
    assert registration.email == "vecina@example.org"
    assert registration.phone == "+13125550198"
    assert registration.preferred_language == "es"
    # No staff action, no trace in the audit log.
    assert not AuditEntry.objects.exists()
    field_names = {f.name for f in Registration._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "user_agent", "user", "account"}


def test_a_registration_with_nothing_at_all_is_fine(town_hall):
    assert attendance.registration_create(event=town_hall).pk


def test_a_nonsense_phone_number_is_refused_on_the_phone_field(town_hall):
    with pytest.raises(ValidationError) as refused:
        attendance.registration_create(event=town_hall, phone="call me maybe")
    assert list(refused.value.message_dict) == ["phone"]


def test_numbers_without_a_country_code_are_read_in_the_configured_region(town_hall, settings):
    settings.ROUNDTABLE_PHONE_REGION = "ES"
    registration = attendance.registration_create(event=town_hall, phone="612 34 56 78")
    assert registration.phone == "+34612345678"


def test_capacity_is_respected(town_hall):
    for _ in range(3):
        attendance.registration_create(event=town_hall)
    assert attendance.places_left(town_hall) == 0
    with pytest.raises(ValidationError, match="full"):
        attendance.registration_create(event=town_hall)
    assert town_hall.registrations.count() == 3


@pytest.mark.parametrize(
    "overrides",
    [
        {"is_public": False},
        {"status": "cancelled"},
        {"registration_open": False},
        {"starts_at": timezone.now() - dt.timedelta(days=1)},
    ],
)
def test_registration_only_for_public_scheduled_future_open_events(agency, overrides):
    fields = {"agency": agency, **overrides}
    if "starts_at" in overrides:
        fields["ends_at"] = overrides["starts_at"] + dt.timedelta(hours=1)
    event = EventFactory.create(**fields)
    with pytest.raises(ValidationError, match="closed"):
        attendance.registration_create(event=event)


def test_walk_ins_and_online_attendance_are_recorded_and_audited(town_hall, casey, tenants):
    walk_in = attendance.attendance_record(
        actor=casey, event=town_hall, source="walk_in", name="Dee", organisation=tenants
    )
    online = attendance.attendance_record(actor=casey, event=town_hall, source="virtual")
    assert walk_in.organisation == tenants and walk_in.recorded_by == casey
    assert online.name == ""
    assert AuditEntry.objects.filter(action="attendance.record").count() == 2


def test_someone_registered_is_marked_present_once(town_hall, casey):
    registration = RegistrationFactory.create(event=town_hall, name="Marisol")
    present = attendance.attendance_record(
        actor=casey, event=town_hall, source="registration", registration=registration
    )
    assert present.name == "Marisol"
    with pytest.raises(ValidationError):
        attendance.attendance_record(
            actor=casey, event=town_hall, source="registration", registration=registration
        )


def test_a_registration_of_another_event_is_refused(town_hall, agency, casey):
    other = RegistrationFactory.create(event=EventFactory.create(agency=agency))
    with pytest.raises(ValidationError):
        attendance.attendance_record(
            actor=casey, event=town_hall, source="registration", registration=other
        )


def test_an_organisation_of_another_agency_is_refused(town_hall, other_agency, casey):
    with pytest.raises(ValidationError):
        attendance.attendance_record(
            actor=casey,
            event=town_hall,
            source="walk_in",
            organisation=OrganisationFactory.create(agency=other_agency),
        )


def test_a_paper_sheet_matches_organisations_by_exact_name(town_hall, casey, tenants, other_agency):
    OrganisationFactory.create(agency=other_agency, name="Campus Safety Club")
    # Two organisations with one name cannot be told apart: the text is kept.
    OrganisationFactory.create_batch(2, agency=town_hall.agency, name="Block Club")
    sheet = """
    Ana Ortiz, riverside tenants union
    Ben Li

    Carla Diaz, Riverside Tenants
    Dan Wu, Campus Safety Club
    Eve Stone, Block Club
    Ortiz, Jo, Riverside Tenants Union
    """
    added = attendance.attendance_record_sheet(actor=casey, event=town_hall, text=sheet)
    rows = [(a.name, a.organisation, a.organisation_name) for a in added]
    assert rows == [
        ("Ana Ortiz", tenants, ""),
        ("Ben Li", None, ""),
        ("Carla Diaz", None, "Riverside Tenants"),
        ("Dan Wu", None, "Campus Safety Club"),
        ("Eve Stone", None, "Block Club"),
        ("Ortiz", None, "Jo, Riverside Tenants Union"),
    ]
    assert all(a.source == Attendance.Source.PAPER_SHEET for a in added)
    assert Attendance.objects.filter(event=town_hall).count() == 6
    assert AuditEntry.objects.filter(action="attendance.sheet").count() == 6


def test_an_empty_sheet_is_refused(town_hall, casey):
    with pytest.raises(ValidationError):
        attendance.attendance_record_sheet(actor=casey, event=town_hall, text="\n  \n")
