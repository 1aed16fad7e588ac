"""The public calendar, event pages and registration: anyone, no account, no JavaScript."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.engagement.models import Registration
from tests.engagement.conftest import in_days
from tests.factories import ActionItemFactory, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _url(name, event):
    return reverse(name, args=[event.agency.slug, event.pk])


def test_anyone_sees_the_calendar_with_who_convenes(agency, town_hall, client):
    EventFactory.create(agency=agency, title="Police-run coffee morning")
    EventFactory.create(agency=agency, title="Confidential interview", is_public=False)
    response = client.get(reverse("events_public:calendar", args=[agency.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Eastbank safety town hall" in body
    assert "Convened by Riverside Tenants Union with Riverside Police Department" in body
    assert "co-hosted by Eastbank Library Friends" in body
    assert "Convened by Riverside Police Department" in body
    assert "Confidential interview" not in body
    assert reverse("events_public:calendar_ics", args=[agency.slug]) in body


def test_past_meetings_list_with_minutes_redacted(agency, client):
    start = in_days(-20)
    held = EventFactory.create(
        agency=agency,
        title="Winter beat meeting",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        minutes="Residents asked for more foot patrols near the school. "
        "Write to chair@example.org.",
    )
    body = client.get(reverse("events_public:calendar", args=[agency.slug])).content.decode()
    assert "Winter beat meeting" in body and "minutes published" not in body
    page = client.get(_url("events_public:detail", held)).content.decode()
    assert "foot patrols" not in page  # drafted, not published
    held.minutes_published_at = start
    held.save()
    body = client.get(reverse("events_public:calendar", args=[agency.slug])).content.decode()
    assert "minutes published" in body
    page = client.get(_url("events_public:detail", held)).content.decode()
    assert "more foot patrols near the school" in page
    assert "chair@example.org" not in page


def test_the_event_page_says_everything_needed_to_take_part(town_hall, client):
    ActionItemFactory.create(event=town_hall, description="Fix the lights on Oak Avenue.")
    ActionItemFactory.create(event=town_hall, description="Dropped idea.", status="dropped")
    response = client.get(_url("events_public:detail", town_hall))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Convened by Riverside Tenants Union with Riverside Police Department",
        "Co-hosted by Eastbank Library Friends",
        "In person",
        "Eastbank Library",
        "Eastbank",
        "English, Spanish",
        "ASL interpreter on request",
        "Step-free entrance on Library Lane",
        "Free childcare in the children",
        "Bus 12 stops outside",
        "3 places left.",
        "Fix the lights on Oak Avenue.",
        _url("events_public:event_ics", town_hall),
    ):
        assert text in body, text
    assert "Dropped idea." not in body
    assert "csrfmiddlewaretoken" in body
    assert 'action="{}"'.format(_url("events_public:register", town_hall)) in body


def test_a_virtual_meeting_shows_its_join_link(agency, client):
    event = EventFactory.create(
        agency=agency,
        format="virtual",
        place_name="",
        address="",
        join_url="https://meet.example.org/b4",
    )
    body = client.get(_url("events_public:detail", event)).content.decode()
    assert "https://meet.example.org/b4" in body


def test_a_cancelled_event_says_so_and_takes_no_registrations(town_hall, client):
    town_hall.status = "cancelled"
    town_hall.cancellation_note = "The library is flooded. Ask Jo at jo.ortiz@example.org."
    town_hall.save()
    body = client.get(_url("events_public:detail", town_hall)).content.decode()
    assert "This meeting is cancelled." in body and "The library is flooded." in body
    assert "jo.ortiz@example.org" not in body and "[email]" in body
    assert 'name="email"' not in body
    response = Client(enforce_csrf_checks=False).post(
        _url("events_public:register", town_hall), {"preferred_language": "en"}
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_events_not_on_the_public_calendar_are_not_found(agency, other_agency, client):
    hidden = EventFactory.create(agency=agency, is_public=False)
    assert client.get(_url("events_public:detail", hidden)).status_code == 404
    assert client.get(_url("events_public:event_ics", hidden)).status_code == 404
    foreign = EventFactory.create(agency=other_agency)
    url = reverse("events_public:detail", args=[agency.slug, foreign.pk])
    assert client.get(url).status_code == 404


def test_registration_works_as_a_plain_form_post_with_csrf(town_hall):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(_url("events_public:detail", town_hall))
    token = page.context["csrf_token"]
    response = browser.post(
        _url("events_public:register", town_hall),
        {
            "csrfmiddlewaretoken": str(token),
            "name": "Marisol",
            "email": "marisol@example.org",
            "preferred_language": "es",
            "needs": "Spanish interpretation",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("events_public:registered", town_hall)
    registration = Registration.objects.get()
    assert registration.email == "marisol@example.org" and registration.preferred_language == "es"
    thanks = browser.get(response["Location"]).content.decode()
    assert "You are registered" in thanks


def test_registration_without_the_csrf_token_is_refused(town_hall):
    response = Client(enforce_csrf_checks=True).post(
        _url("events_public:register", town_hall), {"preferred_language": "en"}
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_a_full_event_says_so(town_hall, client):
    RegistrationFactory.create_batch(3, event=town_hall)
    response = client.post(_url("events_public:register", town_hall), {"preferred_language": "en"})
    assert response.status_code == 400
    assert "This event is full." in response.content.decode()
    assert town_hall.registrations.count() == 3


def test_a_form_error_comes_back_on_the_event_page(town_hall, client):
    response = client.post(
        _url("events_public:register", town_hall),
        {"email": "not-an-email", "preferred_language": "en"},
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_the_honeypot_keeps_nothing(town_hall, client):
    response = client.post(
        _url("events_public:register", town_hall),
        {"preferred_language": "en", "website": "http://spam.example"},
    )
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_registrations_are_rate_limited(town_hall, client, settings):
    settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT = 2
    town_hall.capacity = None
    town_hall.save()
    url = _url("events_public:register", town_hall)
    assert client.post(url, {"preferred_language": "en"}).status_code == 302
    assert client.post(url, {"preferred_language": "en"}).status_code == 302
    assert client.post(url, {"preferred_language": "en"}).status_code == 429
    assert town_hall.registrations.count() == 2


def test_the_public_calendar_query_count_does_not_grow(
    agency, client, django_assert_max_num_queries, tenants, library
):
    for i in range(20):
        event = EventFactory.create(agency=agency, convener=tenants if i % 2 else None)
        event.co_hosts.set([library])
    start = in_days(-10)
    EventFactory.create_batch(
        10, agency=agency, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    url = reverse("events_public:calendar", args=[agency.slug])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


def test_the_description_is_redacted_and_the_page_says_when_details_are_erased(
    town_hall, client, settings
):
    settings.ROUNDTABLE_REGISTRATION_KEEP_DAYS = 14
    town_hall.description = "Questions beforehand to Sgt. Ortiz, 312-555-0100."
    town_hall.save()
    body = client.get(_url("events_public:detail", town_hall)).content.decode()
    assert "Questions beforehand to Sgt. Ortiz" in body
    assert "312-555-0100" not in body and "[phone]" in body
    assert "erased 14 days after the meeting" in body
