"""Staff event pages, with who may and may not use each."""

import datetime as dt

import pytest
from django.urls import reverse

from roundtable.engagement.models import ActionItem, Attendance, Event
from tests.engagement.conftest import in_days
from tests.factories import (
    ActionItemFactory,
    EventFactory,
    OrganisationFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

READ_PAGES = ["engagement:list", "engagement:rotation", "engagement:create"]


def _url(name, event, *extra):
    return reverse(name, args=[event.agency.slug, event.pk, *extra])


def test_staff_who_read_events_see_the_list_detail_and_rotation(
    agency, town_hall, casey, ana, cleo, adam, client_for
):
    for person in (casey, ana, cleo, adam):
        client = client_for(person)
        assert client.get(reverse("engagement:list", args=[agency.slug])).status_code == 200
        assert client.get(reverse("engagement:rotation", args=[agency.slug])).status_code == 200
        assert client.get(_url("engagement:detail", town_hall)).status_code == 200


@pytest.mark.parametrize("page", READ_PAGES)
def test_residents_partners_and_other_agencies_are_refused(
    page, agency, rosa, pat, uma, client_for
):
    url = reverse(page, args=[agency.slug])
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403, person


@pytest.mark.parametrize("page", READ_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(page, agency, client):
    response = client.get(reverse(page, args=[agency.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_detail_page_refuses_outsiders(town_hall, rosa, pat, uma, client, client_for):
    url = _url("engagement:detail", town_hall)
    assert client.get(url).status_code == 302
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403


def test_an_event_of_another_agency_is_not_found(other_agency, casey, client_for, agency):
    foreign = EventFactory.create(agency=other_agency)
    url = reverse("engagement:detail", args=[agency.slug, foreign.pk])
    assert client_for(casey).get(url).status_code == 404


def test_the_analyst_reads_but_may_not_edit_or_see_registrations(town_hall, ana, client_for):
    RegistrationFactory.create(event=town_hall, name="Marisol Reyes", email="marisol@example.org")
    client = client_for(ana)
    body = client.get(_url("engagement:detail", town_hall)).content.decode()
    assert "Convened by Riverside Tenants Union with Riverside Police Department" in body
    assert "Marisol" not in body and "marisol@example.org" not in body
    assert "Mark present" not in body
    assert client.get(reverse("engagement:create", args=[town_hall.agency.slug])).status_code == 403
    assert client.get(_url("engagement:edit", town_hall)).status_code == 403
    assert client.post(_url("engagement:cancel", town_hall), {"note": "x"}).status_code == 403
    assert client.post(_url("engagement:sheet_add", town_hall), {"text": "A"}).status_code == 403
    assert client.post(_url("engagement:minutes", town_hall), {"minutes": "x"}).status_code == 403
    town_hall.refresh_from_db()
    assert town_hall.status == Event.Status.SCHEDULED and town_hall.minutes == ""


def test_the_coordinator_sees_registrations(town_hall, casey, client_for):
    RegistrationFactory.create(event=town_hall, name="Marisol Reyes", email="marisol@example.org")
    body = client_for(casey).get(_url("engagement:detail", town_hall)).content.decode()
    assert "Marisol Reyes" in body and "marisol@example.org" in body
    assert "erased 30 days after the event ends" in body


def test_the_coordinator_schedules_an_event(agency, casey, tenants, library, eastbank, client_for):
    starts = in_days(14)
    response = client_for(casey).post(
        reverse("engagement:create", args=[agency.slug]),
        {
            "kind": "listening_session",
            "title": "Listening session with tenants",
            "convener": tenants.pk,
            "co_hosts": [library.pk],
            "format": "hybrid",
            "join_url": "https://meet.example.org/listen",
            "place_name": "Eastbank Library",
            "area": eastbank.pk,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "languages": ["en", "es", "vi"],
            "is_public": "on",
            "registration_open": "on",
        },
    )
    event = Event.objects.get(title="Listening session with tenants")
    assert response.status_code == 302
    assert response["Location"] == _url("engagement:detail", event)
    assert event.convener == tenants and list(event.co_hosts.all()) == [library]
    assert event.languages == ["en", "es", "vi"]
    assert event.starts_at == starts


def test_service_rules_come_back_as_form_errors(agency, casey, client_for):
    starts = in_days(3)
    response = client_for(casey).post(
        reverse("engagement:create", args=[agency.slug]),
        {
            "kind": "town_hall",
            "title": "Online town hall",
            "format": "virtual",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "An online or hybrid meeting needs a join link." in response.content.decode()
    assert not Event.objects.exists()


def test_the_create_form_takes_a_suggestion_from_the_address(agency, casey, eastbank, client_for):
    url = reverse("engagement:create", args=[agency.slug])
    body = (
        client_for(casey)
        .get(url, {"area": eastbank.pk, "languages": "es", "starts_at": "2030-03-05T18:30"})
        .content.decode()
    )
    assert 'value="2030-03-05T18:30"' in body
    assert f'<option value="{eastbank.pk}" selected>Eastbank</option>' in body
    assert 'value="es" id="id_languages_1" checked' in body


def test_the_coordinator_edits_an_event_and_the_sequence_rises(town_hall, casey, client_for):
    client = client_for(casey)
    form = client.get(_url("engagement:edit", town_hall)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["co_hosts"] = [o.pk for o in data["co_hosts"]]
    data["convener"] = town_hall.convener.pk
    data["area"] = town_hall.area.pk
    data["starts_at"] = data["starts_at"].strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = data["ends_at"].strftime("%Y-%m-%dT%H:%M")
    data["place_name"] = "Eastbank High School"
    data["is_public"] = "on"
    data["registration_open"] = "on"
    response = client.post(_url("engagement:edit", town_hall), data)
    assert response.status_code == 302
    town_hall.refresh_from_db()
    assert town_hall.place_name == "Eastbank High School"
    assert town_hall.sequence == 1


def test_the_coordinator_cancels_with_a_note(town_hall, casey, client_for):
    client = client_for(casey)
    assert client.get(_url("engagement:cancel", town_hall)).status_code == 200
    response = client.post(_url("engagement:cancel", town_hall), {"note": "Storm warning."})
    assert response.status_code == 302
    town_hall.refresh_from_db()
    assert town_hall.status == Event.Status.CANCELLED
    assert town_hall.cancellation_note == "Storm warning."


def test_the_coordinator_records_attendance_sheet_minutes_and_headcount(
    town_hall, casey, tenants, client_for
):
    client = client_for(casey)
    registration = RegistrationFactory.create(event=town_hall, name="Marisol")
    assert (
        client.post(_url("engagement:registration_present", town_hall, registration.pk)).status_code
        == 302
    )
    assert (
        client.post(
            _url("engagement:attendance_add", town_hall), {"source": "walk_in", "name": "Dee"}
        ).status_code
        == 302
    )
    response = client.post(
        _url("engagement:sheet_add", town_hall),
        {"text": "Ana Ortiz, Riverside Tenants Union\nBen Li"},
        follow=True,
    )
    assert (
        "2 people added from the sheet; 1 matched to the Community Map."
        in response.content.decode()
    )
    sources = sorted(Attendance.objects.filter(event=town_hall).values_list("source", flat=True))
    assert sources == ["paper_sheet", "paper_sheet", "registration", "walk_in"]
    client.post(_url("engagement:minutes", town_hall), {"minutes": "We met.", "publish": "on"})
    client.post(_url("engagement:headcount", town_hall), {"headcount": "35"})
    town_hall.refresh_from_db()
    assert town_hall.minutes == "We met." and town_hall.minutes_published_at is not None
    assert town_hall.headcount == 35


def test_an_invalid_record_comes_back_with_its_errors(town_hall, casey, client_for):
    response = client_for(casey).post(_url("engagement:sheet_add", town_hall), {"text": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_coordinator_adds_and_completes_an_action_item(town_hall, casey, tenants, client_for):
    client = client_for(casey)
    response = client.post(
        _url("engagement:action_item_add", town_hall),
        {
            "description": "Walk Oak Avenue at night with residents.",
            "owner_user": casey.pk,
            "owner_organisation": tenants.pk,
            "due_on": "2030-01-15",
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(event=town_hall)
    assert item.owner_user == casey and item.owner_organisation == tenants
    assert client.get(_url("engagement:action_item_edit", town_hall, item.pk)).status_code == 200
    client.post(
        _url("engagement:action_item_edit", town_hall, item.pk),
        {
            "description": item.description,
            "owner_user": casey.pk,
            "status": "done",
            "outcome": "Walked it on 12 January.",
            "done_on": "2030-01-12",
        },
    )
    item.refresh_from_db()
    assert item.status == "done" and item.done_on == dt.date(2030, 1, 12)


def test_the_list_filters_by_kind_and_shows_past_events(agency, ana, client_for):
    EventFactory.create(agency=agency, title="Beat 4 meeting", kind="beat_meeting")
    EventFactory.create(agency=agency, title="Spring town hall", kind="town_hall")
    past_start = in_days(-30)
    EventFactory.create(
        agency=agency,
        title="Winter focus group",
        starts_at=past_start,
        ends_at=past_start + dt.timedelta(hours=1),
    )
    client = client_for(ana)
    url = reverse("engagement:list", args=[agency.slug])
    body = client.get(url, {"kind": "beat_meeting"}).content.decode()
    assert "Beat 4 meeting" in body and "Spring town hall" not in body
    assert "Winter focus group" not in body
    past = client.get(url, {"when": "past"}).content.decode()
    assert "Winter focus group" in past and "Spring town hall" not in past


def test_the_list_shows_overdue_promises(agency, town_hall, ana, client_for):
    ActionItemFactory.create(
        event=town_hall, description="Report back on the camera policy.", due_on=dt.date(2020, 1, 1)
    )
    body = client_for(ana).get(reverse("engagement:list", args=[agency.slug])).content.decode()
    assert "Promises overdue" in body and "Report back on the camera policy." in body


def test_the_list_query_count_does_not_grow_with_events(
    agency, ana, client_for, django_assert_max_num_queries
):
    hosts = OrganisationFactory.create_batch(3, agency=agency)
    for i in range(25):
        event = EventFactory.create(agency=agency, convener=hosts[i % 3])
        event.co_hosts.set(hosts[:2])
        RegistrationFactory.create_batch(2, event=event)
    client = client_for(ana)
    url = reverse("engagement:list", args=[agency.slug])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 26


def test_the_detail_query_count_is_bounded(
    town_hall, casey, client_for, django_assert_max_num_queries
):
    RegistrationFactory.create_batch(3, event=town_hall)
    ActionItemFactory.create_batch(3, event=town_hall, owner_user=casey)
    client = client_for(casey)
    url = _url("engagement:detail", town_hall)
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
