"""iCalendar feeds that calendar apps accept: parsed back with the icalendar library."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from roundtable.engagement import services
from tests.engagement.conftest import in_days
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar):
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def test_the_single_event_file_round_trips(town_hall, client):
    calendar = _parse(
        client.get(reverse("events_public:event_ics", args=["riverside", town_hall.pk]))
    )
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Eastbank safety town hall"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"event-{town_hall.pk}@riverside.roundtable"
    assert str(event["SUMMARY"]) == "Eastbank safety town hall"
    assert event.decoded("DTSTART") == town_hall.starts_at
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert event.decoded("DTEND") == town_hall.ends_at
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert int(event["SEQUENCE"]) == 0
    assert str(event["LOCATION"]) == "Eastbank Library, 10 Library Lane"
    assert str(event["URL"]).endswith(f"/p/riverside/events/{town_hall.pk}/")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Convened by Riverside Tenants Union with Riverside Police Department" in str(
        event["DESCRIPTION"]
    )


def test_the_agency_feed_holds_public_events_upcoming_and_of_the_last_90_days(
    agency, client, casey
):
    upcoming = EventFactory.create(agency=agency, title="Upcoming")
    recent_start = in_days(-30)
    recent = EventFactory.create(
        agency=agency,
        title="Recent",
        starts_at=recent_start,
        ends_at=recent_start + dt.timedelta(hours=1),
    )
    old_start = in_days(-120)
    EventFactory.create(
        agency=agency, title="Old", starts_at=old_start, ends_at=old_start + dt.timedelta(hours=1)
    )
    EventFactory.create(agency=agency, title="Private", is_public=False)
    cancelled = EventFactory.create(agency=agency, title="Called off")
    services.event_cancel(actor=casey, event=cancelled, note="Storm.")
    calendar = _parse(client.get(reverse("events_public:calendar_ics", args=[agency.slug])))
    assert "Riverside Police Department" in str(calendar["X-WR-CALNAME"])
    events = _events(calendar)
    titles = sorted(str(e["SUMMARY"]) for e in events.values())
    assert titles == ["Called off", "Recent", "Upcoming"]
    called_off = events[f"event-{cancelled.pk}@riverside.roundtable"]
    assert str(called_off["STATUS"]) == "CANCELLED"
    assert int(called_off["SEQUENCE"]) == 1
    assert f"event-{upcoming.pk}@riverside.roundtable" in events
    assert f"event-{recent.pk}@riverside.roundtable" in events


def test_the_uid_stays_and_the_sequence_rises_when_the_meeting_moves(town_hall, casey, client):
    url = reverse("events_public:event_ics", args=["riverside", town_hall.pk])
    before = _parse(client.get(url)).walk("VEVENT")[0]
    services.event_update(
        actor=casey,
        event=town_hall,
        starts_at=town_hall.starts_at + dt.timedelta(hours=1),
        ends_at=town_hall.ends_at + dt.timedelta(hours=1),
    )
    after = _parse(client.get(url)).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == dt.timedelta(hours=1)


def test_a_virtual_meeting_is_located_at_its_join_link(agency, client):
    event = EventFactory.create(
        agency=agency,
        format="virtual",
        place_name="",
        address="",
        join_url="https://meet.example.org/b4",
    )
    vevent = _parse(
        client.get(reverse("events_public:event_ics", args=[agency.slug, event.pk]))
    ).walk("VEVENT")[0]
    assert str(vevent["LOCATION"]) == "https://meet.example.org/b4"
    assert "https://meet.example.org/b4" in str(vevent["DESCRIPTION"])


def test_free_text_in_the_feed_is_redacted(agency, casey, client):
    event = EventFactory.create(
        agency=agency, description="Questions beforehand to chair@example.org."
    )
    services.event_cancel(actor=casey, event=event, note="Call 312-555-0100 for the new date.")
    vevent = _parse(
        client.get(reverse("events_public:event_ics", args=[agency.slug, event.pk]))
    ).walk("VEVENT")[0]
    description = str(vevent["DESCRIPTION"])
    assert "Questions beforehand to [email]" in description
    assert "Call [phone] for the new date." in description
    assert "chair@example.org" not in description and "312-555-0100" not in description
