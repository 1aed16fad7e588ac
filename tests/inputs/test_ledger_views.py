"""The response ledger pages, with who may and may not use each."""

import pytest
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.engagement.models import Event, EventKind
from roundtable.inputs.models import InputLink, InputNote, Status
from tests.factories import InputFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

READ_PAGES = ["inputs:ledger", "inputs:overdue", "inputs:moderation"]


@pytest.fixture
def item(agency):
    return InputFactory.create(
        agency=agency,
        language="es",
        text="Hay un coche abandonado.",
        is_anonymous=False,
        contact_name="Lucía",
        contact_email="lucia@example.org",
        reply_channel="email",
    )


def _event(agency, title="Eastgate beat meeting"):
    from django.utils import timezone

    now = timezone.now()
    return Event.objects.create(
        agency=agency, kind=EventKind.BEAT_MEETING, title=title, starts_at=now, ends_at=now
    )


@pytest.mark.parametrize("page", READ_PAGES)
def test_staff_read_every_ledger_page(page, agency, casey, ana, cleo, adam, client_for, item):
    for person in (casey, ana, cleo, adam):
        assert client_for(person).get(reverse(page, args=[agency.slug])).status_code == 200


@pytest.mark.parametrize("page", [*READ_PAGES, "inputs:record", "inputs:targets"])
def test_residents_partners_other_agencies_are_refused_and_anonymous_sent_to_sign_in(
    page, agency, rosa, pat, uma, client, client_for
):
    url = reverse(page, args=[agency.slug])
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403, person
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_detail_page_refuses_who_it_must(agency, item, rosa, pat, uma, client, client_for):
    url = reverse("inputs:detail", args=[agency.slug, item.pk])
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_an_input_of_another_agency_is_not_found(other_agency, agency, casey, client_for):
    elsewhere = InputFactory.create(agency=other_agency)
    url = reverse("inputs:detail", args=[agency.slug, elsewhere.pk])
    assert client_for(casey).get(url).status_code == 404


def test_editors_see_contact_details_and_the_language_to_answer_in(agency, item, casey, client_for):
    page = client_for(casey).get(reverse("inputs:detail", args=[agency.slug, item.pk]))
    html = page.content.decode()
    assert "lucia@example.org" in html
    assert "Write the answer in Spanish" in html
    assert "Will be notified by email" in html


def test_analysts_read_an_input_without_contact_details_or_forms(agency, item, ana, client_for):
    page = client_for(ana).get(reverse("inputs:detail", args=[agency.slug, item.pk]))
    html = page.content.decode()
    assert "Hay un coche abandonado." in html
    assert "Will be notified by email" in html
    assert "lucia@example.org" not in html and "Lucía" not in html
    assert reverse("inputs:answer", args=[agency.slug, item.pk]) not in html


ACTIONS = [
    ("inputs:assign", {"owner": ""}),
    ("inputs:status", {"status": "acknowledged"}),
    ("inputs:answer", {"answer": "Lo retiramos."}),
    ("inputs:note", {"text": "x"}),
    ("inputs:refer", {"to_name": "311"}),
    ("inputs:link", {"event": "1"}),
    ("inputs:moderate", {"moderation": "visible"}),
]


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_readers_and_outsiders_may_not_act(
    name, data, agency, item, ana, cleo, rosa, uma, client, client_for
):
    url = reverse(name, args=[agency.slug, item.pk])
    for person in (ana, cleo, rosa, uma):
        assert client_for(person).post(url, data).status_code == 403, person
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.NEW and item.public_answer == ""
    assert not AuditEntry.objects.filter(object_id=str(item.pk)).exists()


def test_a_coordinator_works_an_input_through_the_pages(agency, item, casey, client_for):
    c = client_for(casey)
    args = [agency.slug, item.pk]
    detail = reverse("inputs:detail", args=args)
    assert c.post(reverse("inputs:assign", args=args), {"owner": casey.pk})["Location"] == detail
    assert c.post(reverse("inputs:status", args=args), {"status": "in_progress"}).status_code == 302
    assert (
        c.post(reverse("inputs:note", args=args), {"text": "Tow truck booked."}).status_code == 302
    )
    event = _event(agency)
    assert c.post(reverse("inputs:link", args=args), {"event": event.pk}).status_code == 302
    response = c.post(reverse("inputs:answer", args=args), {"answer": "Lo retiramos el martes."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.owner == casey and item.status == Status.ANSWERED
    assert item.public_answer == "Lo retiramos el martes."
    assert InputNote.objects.get(input=item).text == "Tow truck booked."
    assert InputLink.objects.get(input=item).object_id == event.pk
    html = c.get(detail).content.decode()
    assert "Tow truck booked." in html and "Eastgate beat meeting" in html


def test_a_refused_transition_shows_the_form_again_with_the_reason(agency, item, casey, client_for):
    response = client_for(casey).post(
        reverse("inputs:status", args=[agency.slug, item.pk]), {"status": "answered"}
    )
    assert response.status_code == 400
    assert "Write the public answer" in response.content.decode()


def test_an_event_of_another_agency_cannot_be_linked(agency, other_agency, item, casey, client_for):
    elsewhere = _event(other_agency, "University town hall")
    response = client_for(casey).post(
        reverse("inputs:link", args=[agency.slug, item.pk]), {"event": elsewhere.pk}
    )
    assert response.status_code == 400
    assert not InputLink.objects.exists()


def test_a_referral_and_its_return_through_the_pages(agency, item, casey, client_for):
    c = client_for(casey)
    org = OrganisationFactory.create(agency=agency, name="Eastgate Tenants Union")
    c.post(reverse("inputs:refer", args=[agency.slug, item.pk]), {"to_organisation": org.pk})
    referral = item.referrals.get()
    url = reverse("inputs:referral_return", args=[agency.slug, item.pk, referral.pk])
    assert c.post(url, {"outcome": "They cleared it."}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS


def test_unlinking_removes_only_the_link(agency, item, casey, client_for):
    from roundtable.inputs.services import input_link

    event = _event(agency)
    link = input_link(actor=casey, input=item, item=event)
    url = reverse("inputs:unlink", args=[agency.slug, item.pk, link.pk])
    assert client_for(casey).post(url).status_code == 302
    assert not InputLink.objects.exists() and Event.objects.filter(pk=event.pk).exists()
    assert AuditEntry.objects.filter(action="input.unlink").exists()


def test_the_ledger_filters_by_owner_status_and_text(agency, casey, client_for):
    mine = InputFactory.create(agency=agency, owner=casey, text="Speeding on Elm")
    InputFactory.create(agency=agency, text="Noise on Oak", status=Status.CLOSED)
    c = client_for(casey)
    url = reverse("inputs:ledger", args=[agency.slug])
    html = c.get(url, {"owner": "mine"}).content.decode()
    assert mine.receipt_code in html and "Noise on Oak" not in html
    html = c.get(url, {"owner": "nobody", "status": "closed"}).content.decode()
    assert "Noise on Oak" in html and "Speeding on Elm" not in html
    html = c.get(url, {"q": "elm"}).content.decode()
    assert "Speeding on Elm" in html and "Noise on Oak" not in html
    partial = c.get(url, {"q": "elm"}, headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" not in partial and "Speeding on Elm" in partial


def test_only_administrators_set_the_targets(agency, adam, casey, client_for):
    url = reverse("inputs:targets", args=[agency.slug])
    data = {"acknowledge_within_days": 2, "answer_within_days": 20, "referral_back_within_days": 9}
    assert client_for(casey).post(url, data).status_code == 403
    page = client_for(adam).get(url)
    assert "keep the dates they were given" in page.content.decode()
    assert client_for(adam).post(url, data).status_code == 302
    agency.refresh_from_db()
    assert agency.answer_within_days == 20


def test_the_agency_home_links_the_ledger_and_counts_overdue_inputs(agency, casey, client_for):
    import datetime as dt

    from django.utils import timezone

    InputFactory.create(agency=agency, answer_by=timezone.localdate() - dt.timedelta(days=1))
    html = client_for(casey).get(reverse("core:agency_home", args=[agency.slug])).content.decode()
    assert reverse("inputs:ledger", args=[agency.slug]) in html
    assert "1 overdue input" in html
