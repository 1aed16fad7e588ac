"""The rotation check page: four tables, the gaps in words, and a suggestion to act on."""

import datetime as dt
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from roundtable.engagement.selectors import event_rotation, rotation_inputs
from tests.factories import AreaFactory, ContactFactory, EventFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def _at(days_ago: int, weekday: int, hour: int) -> dt.datetime:
    """A local time `days_ago` days back or more, on `weekday` at `hour`."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    day -= dt.timedelta(days=(day.weekday() - weekday) % 7)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=CHICAGO)


@pytest.fixture
def year(agency, eastbank):
    westside = AreaFactory.create(agency=agency, name="Westside", slug="westside")
    # Tuesday evenings in Westside, in English, all year.
    for weeks in range(1, 6):
        start = _at(weeks * 30, 1, 18)
        EventFactory.create(
            agency=agency,
            area=westside,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            languages=["en"],
        )
    # A Monday morning in Eastbank, cancelled: it does not count.
    start = _at(10, 0, 9)
    EventFactory.create(
        agency=agency,
        area=eastbank,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        status="cancelled",
    )
    # A one-to-one scanning interview on a Friday: not a meeting the public can come to.
    start = _at(20, 4, 11)
    EventFactory.create(
        agency=agency,
        kind="scanning_interview",
        area=eastbank,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        languages=["vi"],
        is_public=False,
    )
    # Older than a year: does not count.
    start = _at(400, 2, 14)
    EventFactory.create(
        agency=agency, area=eastbank, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    return westside


def test_the_selector_counts_local_time_and_leaves_out_cancelled_old_and_one_to_one_meetings(
    agency, year, eastbank
):
    org = OrganisationFactory.create(agency=agency)
    ContactFactory.create(organisation=org, preferred_language="es")
    meetings, areas, languages = rotation_inputs(agency=agency)
    assert len(meetings) == 5
    # 18:00 in Chicago is 23:00 or 00:00 UTC; the check reads local time.
    assert {(m.weekday, m.hour) for m in meetings} == {(1, 18)}
    assert [a.name for a in areas] == ["Eastbank", "Westside"]
    assert languages == ["en", "es"]


def test_the_suggestion_fills_the_gaps(agency, year, eastbank):
    report = event_rotation(agency=agency)
    suggestion = report.result.suggestion
    assert suggestion.weekday == 0  # Monday: never used (the cancelled one does not count)
    assert suggestion.time_of_day == "morning"
    assert suggestion.area == str(eastbank.pk)
    assert suggestion.language == "es"


def test_the_page_shows_tables_missing_in_words_and_a_link_to_schedule_it(
    agency, year, eastbank, casey, client_for
):
    response = client_for(casey).get(reverse("engagement:rotation", args=[agency.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Next: a Monday morning meeting in Eastbank, in Spanish" in body
    for heading in ("Weekdays", "Times of day", "Areas", "Languages"):
        assert f"<h2>{heading}</h2>" in body
    assert body.count("<strong>Missing</strong>") == 6 + 2 + 1 + 1
    link = response.context["create_url"]
    params = parse_qs(urlsplit(link).query)
    assert params["area"] == [str(eastbank.pk)] and params["languages"] == ["es"]
    starts = dt.datetime.fromisoformat(params["starts_at"][0])
    assert starts.weekday() == 0 and starts.hour == 10 and starts.date() > timezone.localdate()
    form = client_for(casey).get(link).context["form"]
    assert form.initial["area"] == str(eastbank.pk) and form.initial["languages"] == ["es"]


def test_readers_see_no_schedule_button(agency, year, ana, client_for):
    body = client_for(ana).get(reverse("engagement:rotation", args=[agency.slug])).content.decode()
    assert "Schedule this meeting" not in body
    assert "Next: a Monday" in body


def test_the_page_query_count_is_bounded(
    agency, year, ana, client_for, django_assert_max_num_queries
):
    client = client_for(ana)
    url = reverse("engagement:rotation", args=[agency.slug])
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
