"""The agency's public page and its "you said, we did" figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from roundtable.inputs.models import PUBLIC_CHANNELS, InputChannel, Moderation, Status, Topic
from tests.factories import AreaFactory, InputFactory

pytestmark = pytest.mark.django_db

PAGES = ["inputs_public:agency", "inputs_public:answers"]


def answered_input(agency, *, days_ago: int, took: int, **fields):
    received = timezone.now() - dt.timedelta(days=days_ago)
    return InputFactory.create(
        agency=agency,
        received_at=received,
        answered_at=received + dt.timedelta(days=took),
        status=Status.ANSWERED,
        **fields,
    )


@pytest.mark.parametrize("page", PAGES)
def test_anyone_may_read_the_public_pages(page, agency, client, rosa, pat, uma, casey, client_for):
    url = reverse(page, args=[agency.slug])
    for visitor in (client, client_for(rosa), client_for(pat), client_for(uma), client_for(casey)):
        assert visitor.get(url).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_an_unknown_agency_has_no_public_pages(page, client, db):
    assert client.get(reverse(page, args=["nowhere"])).status_code == 404


def test_the_public_page_offers_the_form_the_meetings_and_the_receipt_lookup(agency, client):
    page = client.get(reverse("inputs_public:agency", args=[agency.slug])).content.decode()
    assert reverse("inputs_public:say", args=[agency.slug]) in page
    assert reverse("events_public:calendar", args=[agency.slug]) in page
    lookup = reverse("inputs_public:receipt_lookup", args=[agency.slug])
    assert f'<form method="post" action="{lookup}"' in page
    assert reverse("inputs_public:answers", args=[agency.slug]) in page


def test_recent_answers_are_redacted_and_never_name_the_contributor_or_owner(agency, casey, client):
    answered_input(
        agency,
        days_ago=5,
        took=2,
        text="Loud parties at 45 Elm Street, Apt 4B; email me at lucia@example.org",
        public_answer="Officers visited; call (312) 555-0198 if it happens again.",
        is_anonymous=False,
        contact_name="Lucía Ortega",
        contact_email="lucia@example.org",
        reply_channel="email",
        owner=casey,
    )
    page = client.get(reverse("inputs_public:agency", args=[agency.slug])).content.decode()
    assert "Loud parties at [address]; email me at [email]" in page
    assert "Officers visited; call [phone] if it happens again." in page
    for private in ("Elm Street", "lucia@", "Lucía", "555-0198", "casey"):
        assert private not in page


def test_held_hidden_and_unanswered_inputs_stay_off_the_public_page(agency, client):
    answered_input(
        agency, days_ago=3, took=1, text="HELD text", public_answer="a", moderation=Moderation.HELD
    )
    answered_input(
        agency,
        days_ago=3,
        took=1,
        text="HIDDEN text",
        public_answer="b",
        moderation=Moderation.HIDDEN,
    )
    InputFactory.create(agency=agency, text="OPEN text", public_answer="draft")
    answered_input(agency, days_ago=3, took=1, text="NO ANSWER text", public_answer="")
    page = client.get(reverse("inputs_public:agency", args=[agency.slug])).content.decode()
    for text in ("HELD", "HIDDEN", "OPEN", "NO ANSWER"):
        assert text not in page


def test_you_said_shows_only_words_written_to_us_for_publication(agency, client):
    """The public form and API say what is written may be shown in public; the
    other channels never did, so their words stay off the page."""
    for channel in InputChannel:
        answered_input(
            agency,
            days_ago=3,
            took=1,
            channel=channel,
            text=f"SAID via {channel.value}",
            public_answer=f"ANSWER to {channel.value}",
        )
    page = client.get(reverse("inputs_public:agency", args=[agency.slug])).content.decode()
    shown = {c for c in InputChannel if f"SAID via {c.value}<" in page}
    assert shown == {InputChannel.WEB, InputChannel.API}
    assert shown == PUBLIC_CHANNELS
    for hidden in set(InputChannel) - PUBLIC_CHANNELS:
        assert f"ANSWER to {hidden.value}<" not in page
    # They still count in the figures, which say nothing of what was written.
    figures = client.get(reverse("inputs_public:answers", args=[agency.slug])).content.decode()
    row = figures[figures.index("A safety concern") :]
    assert f">{len(InputChannel)}<" in row[: row.index("</tr>")]


def test_the_figures_show_share_answered_and_median_days_by_topic(agency, client):
    for took in (2, 4, 6, 8, 10):
        answered_input(agency, days_ago=20, took=took, topic=Topic.SAFETY_CONCERN)
    InputFactory.create(agency=agency, topic=Topic.SAFETY_CONCERN)  # not answered yet
    answered_input(agency, days_ago=400, took=1, topic=Topic.SAFETY_CONCERN)  # too old
    page = client.get(reverse("inputs_public:answers", args=[agency.slug])).content.decode()
    row = page[page.index("A safety concern") :]
    row = row[: row.index("</tr>")]
    assert ">6<" in row and "83&nbsp;%" in row and "6.0" in row


def test_a_median_of_too_few_answered_inputs_is_not_shown(agency, client, settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    for took in (2, 9):
        answered_input(agency, days_ago=20, took=took, topic=Topic.TECHNOLOGY)
    for _ in range(6):
        InputFactory.create(agency=agency, topic=Topic.TECHNOLOGY)  # not answered
    page = client.get(reverse("inputs_public:answers", args=[agency.slug])).content.decode()
    row = page[page.index('<th scope="row">Agency technology') :]
    row = row[: row.index("</tr>")]
    assert ">8<" in row and "25&nbsp;%" in row  # count and share stay: 8 received
    assert "fewer than 5 answered" in row and "5.5" not in row
    overall = client.get(reverse("inputs_public:agency", args=[agency.slug])).content.decode()
    assert "25 % answered" in overall and "Median time to answer" not in overall


def test_small_cells_are_suppressed_with_their_complement(agency, client, settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    east = AreaFactory.create(agency=agency, name="Eastgate", slug="eastgate")
    west = AreaFactory.create(agency=agency, name="Westbank", slug="westbank")
    for _ in range(6):
        answered_input(agency, days_ago=30, took=3, area=east)
    for _ in range(2):
        answered_input(agency, days_ago=30, took=3, area=west)
    for _ in range(7):
        answered_input(agency, days_ago=30, took=3, area=None)
    page = client.get(reverse("inputs_public:answers", args=[agency.slug])).content.decode()
    by_area: str = page[page.index('id="by-area"') :]

    def row(label: str) -> str:
        part = by_area[by_area.index(f'<th scope="row">{label}</th>') :]
        return part[: part.index("</tr>")]

    assert "Not shown" in row("Westbank")
    assert "Not shown" in row("Eastgate")  # the smallest other group covers Westbank
    assert ">7<" in row("No area given")
    assert ">15<" in row("All areas")


def test_the_public_page_and_figures_read_a_bounded_number_of_queries(
    agency, client, django_assert_max_num_queries
):
    areas = [AreaFactory.create(agency=agency, name=f"Area {n}", slug=f"a{n}") for n in range(5)]
    for n in range(30):
        answered_input(
            agency, days_ago=n + 1, took=1, area=areas[n % 5], public_answer=f"Answer {n}"
        )
    for page in PAGES:
        with django_assert_max_num_queries(6):
            assert client.get(reverse(page, args=[agency.slug])).status_code == 200


def test_the_home_page_links_each_agencys_public_page(agency, other_agency, client):
    page = client.get(reverse("core:home")).content.decode()
    for each in (agency, other_agency):
        assert f'href="{reverse("inputs_public:agency", args=[each.slug])}"' in page
