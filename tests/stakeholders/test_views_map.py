"""The Community Map pages, with who may and may not use each."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.stakeholders.models import Category, Organisation, Referral, Stance, StanceChange
from tests.factories import (
    AreaFactory,
    ContactFactory,
    InteractionFactory,
    OrganisationFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "stakeholders:list",
    "stakeholders:renewals",
    "stakeholders:coverage",
    "stakeholders:network",
    "stakeholders:worksheet",
]


@pytest.mark.parametrize("page", READ_PAGES)
def test_staff_who_read_the_map_see_every_page(page, agency, casey, ana, cleo, adam, client_for):
    OrganisationFactory.create(agency=agency, name="Eastgate Tenants Union")
    for person in (casey, ana, cleo, adam):
        response = client_for(person).get(reverse(page, args=[agency.slug]))
        assert response.status_code == 200, (person, page)


@pytest.mark.parametrize("page", READ_PAGES)
def test_residents_partners_and_other_agencies_may_not_read_the_map(
    page, agency, rosa, pat, uma, client_for
):
    url = reverse(page, args=[agency.slug])
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403, (person, page)


@pytest.mark.parametrize("page", READ_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(page, agency, client):
    response = client.get(reverse(page, args=[agency.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_without_the_second_step_are_sent_to_it(agency, casey, client):
    client.force_login(casey)
    response = client.get(reverse("stakeholders:list", args=[agency.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_an_unknown_agency_is_not_found(casey, client_for):
    assert client_for(casey).get(reverse("stakeholders:list", args=["nowhere"])).status_code == 404


def test_the_list_filters_and_searches(agency, ana, client_for):
    OrganisationFactory.create(
        agency=agency, name="Coalition for Police Accountability", stance=Stance.CRITIC
    )
    OrganisationFactory.create(agency=agency, name="Millbrook Block Club", stance=Stance.SUPPORTER)
    client = client_for(ana)
    url = reverse("stakeholders:list", args=[agency.slug])
    critics = client.get(url, {"stance": "critic"}).content.decode()
    assert "Coalition for Police Accountability" in critics
    assert "Millbrook Block Club" not in critics
    found = client.get(url, {"q": "millbrook"}).content.decode()
    assert "Millbrook Block Club" in found and "Coalition" not in found


def test_the_list_does_not_leak_another_agencys_organisations(
    agency, other_agency, ana, client_for
):
    OrganisationFactory.create(agency=other_agency, name="Campus Only Society")
    assert (
        "Campus Only Society"
        not in client_for(ana)
        .get(reverse("stakeholders:list", args=[agency.slug]))
        .content.decode()
    )


def test_an_htmx_request_gets_only_the_table(agency, ana, client_for):
    OrganisationFactory.create(agency=agency, name="Old Town Merchants")
    response = client_for(ana).get(
        reverse("stakeholders:list", args=[agency.slug]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Old Town Merchants" in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]
    # The live region with the count is swapped out of band, so it stays in the page.
    assert 'id="result-count" class="muted" role="status" hx-swap-oob="true">1 entry<' in body


def test_the_list_query_count_does_not_grow_with_the_map(
    agency, ana, client_for, django_assert_max_num_queries
):
    areas = AreaFactory.create_batch(3, agency=agency)
    for i in range(40):
        org = OrganisationFactory.create(
            agency=agency, sectors=["health", "housing"], areas=areas[: i % 3 + 1]
        )
        InteractionFactory.create(organisation=org)
    client = client_for(ana)
    url = reverse("stakeholders:list", args=[agency.slug])
    client.get(url)  # warm the session and the user's role cache
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 41


def test_a_coordinator_adds_an_organisation_with_areas_and_sectors(agency, casey, client_for):
    area = AreaFactory.create(agency=agency, name="Eastgate")
    response = client_for(casey).post(
        reverse("stakeholders:create", args=[agency.slug]),
        {
            "name": "Eastgate Tenants Union",
            "kind": "organisation",
            "category": "community_group",
            "sectors": ["housing", "justice_crime"],
            "areas": [area.pk],
            "stance": "critic",
            "stance_note": "Objects to evictions enforced by police.",
        },
    )
    organisation = Organisation.objects.get(name="Eastgate Tenants Union")
    assert response.status_code == 302
    assert sorted(organisation.sectors.values_list("sector", flat=True)) == [
        "housing",
        "justice_crime",
    ]
    assert list(organisation.areas.all()) == [area]
    assert organisation.stance_history.get().stance == Stance.CRITIC
    entry = AuditEntry.objects.get(action="organisation.create")
    assert entry.actor == casey and (entry.after or {})["name"] == "Eastgate Tenants Union"


def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(agency, casey, client_for):
    response = client_for(casey).post(
        reverse("stakeholders:create", args=[agency.slug]),
        {
            "name": "Eastgate Tenants Union",
            "kind": "organisation",
            "category": "community_group",
            "stance": "critic",
            "email": "not-an-email",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert 'value="Eastgate Tenants Union"' in body
    assert not Organisation.objects.exists()


def test_analysts_and_command_may_not_edit(agency, ana, cleo, client_for):
    organisation = OrganisationFactory.create(agency=agency)
    for person in (ana, cleo):
        client = client_for(person)
        assert client.get(reverse("stakeholders:create", args=[agency.slug])).status_code == 403
        assert (
            client.post(
                reverse("stakeholders:edit", args=[agency.slug, organisation.pk]), {"name": "x"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("stakeholders:delete", args=[agency.slug, organisation.pk])
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("stakeholders:contact_add", args=[agency.slug, organisation.pk]),
                {"name": "x"},
            ).status_code
            == 403
        )


def test_a_coordinator_of_another_agency_may_not_edit_this_map(agency, uma, client_for):
    organisation = OrganisationFactory.create(agency=agency)
    response = client_for(uma).post(
        reverse("stakeholders:delete", args=[agency.slug, organisation.pk])
    )
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_an_organisation_of_another_agency_is_not_found_under_this_one(
    agency, other_agency, casey, client_for
):
    foreign = OrganisationFactory.create(agency=other_agency)
    assert (
        client_for(casey)
        .get(reverse("stakeholders:detail", args=[agency.slug, foreign.pk]))
        .status_code
        == 404
    )


def test_changing_the_stance_keeps_its_history(agency, casey, client_for):
    organisation = OrganisationFactory.create(
        agency=agency, name="NAACP Riverside Branch", category="national_ngo", stance=Stance.UNKNOWN
    )
    client_for(casey).post(
        reverse("stakeholders:edit", args=[agency.slug, organisation.pk]),
        {
            "name": "NAACP Riverside Branch",
            "kind": "organisation",
            "category": "national_ngo",
            "stance": "critic",
            "stance_note": "Stop data concerns.",
        },
    )
    organisation.refresh_from_db()
    assert organisation.stance == Stance.CRITIC
    assert list(
        StanceChange.objects.filter(organisation=organisation).values_list("stance", flat=True)
    ) == ["critic"]
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.before == {"stance": "unknown", "stance_note": ""}
    assert entry.after == {"stance": "critic", "stance_note": "Stop data concerns."}


def test_a_duplicate_external_id_is_refused_with_a_message(agency, casey, client_for):
    OrganisationFactory.create(agency=agency, external_id="ORG-1")
    response = client_for(casey).post(
        reverse("stakeholders:create", args=[agency.slug]),
        {
            "name": "Second",
            "kind": "organisation",
            "category": "other",
            "stance": "unknown",
            "external_id": "ORG-1",
        },
    )
    assert "Another organisation already has this external id." in response.content.decode()
    assert Organisation.objects.count() == 1


def test_deleting_asks_first_and_is_audited(agency, casey, client_for):
    organisation = OrganisationFactory.create(agency=agency, name="Gone Away Club")
    ContactFactory.create(organisation=organisation, name="Last Secretary")
    client = client_for(casey)
    url = reverse("stakeholders:delete", args=[agency.slug, organisation.pk])
    assert "Remove Gone Away Club?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    before = AuditEntry.objects.get(action="organisation.delete").before or {}
    assert before["name"] == "Gone Away Club"
    assert [c["name"] for c in before["contacts"]] == ["Last Secretary"]


def test_contacts_interactions_and_referrals_are_recorded(agency, casey, client_for):
    organisation = OrganisationFactory.create(agency=agency, name="Faith Council")
    other = OrganisationFactory.create(agency=agency, name="Youth Boxing Gym")
    client = client_for(casey)
    client.post(
        reverse("stakeholders:contact_add", args=[agency.slug, organisation.pk]),
        {
            "name": "Rev. Lopez",
            "preferred_language": "es",
            "preferred_channel": "phone",
            "term_ends_on": "2027-05-31",
        },
    )
    contact = organisation.contacts.get()
    assert (contact.preferred_language, contact.term_ends_on) == ("es", dt.date(2027, 5, 31))
    client.post(
        reverse("stakeholders:interaction_add", args=[agency.slug, organisation.pk]),
        {
            "kind": "meeting",
            "occurred_on": "2026-11-02",
            "contact": contact.pk,
            "summary": "Agreed to host a listening session.",
        },
    )
    assert organisation.interactions.get().contact == contact
    client.post(
        reverse("stakeholders:referral_add", args=[agency.slug, organisation.pk]),
        {"referred": other.pk, "note": "They know the young people."},
    )
    assert Referral.objects.get().referred == other
    page = client.get(
        reverse("stakeholders:detail", args=[agency.slug, organisation.pk])
    ).content.decode()
    assert (
        "Rev. Lopez" in page
        and "Agreed to host a listening session." in page
        and "Youth Boxing Gym" in page
    )


def test_a_referral_recorded_twice_gets_a_message(agency, casey, client_for):
    referral = ReferralFactory.create(referrer__agency=agency)
    response = client_for(casey).post(
        reverse("stakeholders:referral_add", args=[agency.slug, referral.referrer.pk]),
        {"referred": referral.referred.pk},
    )
    assert response.status_code == 400
    assert "This referral is already recorded." in response.content.decode()


def test_a_bad_contact_keeps_the_typing_and_saves_nothing(agency, casey, client_for):
    organisation = OrganisationFactory.create(agency=agency)
    response = client_for(casey).post(
        reverse("stakeholders:contact_add", args=[agency.slug, organisation.pk]),
        {"name": "Kim", "email": "kim@", "preferred_language": "en", "preferred_channel": "email"},
    )
    assert response.status_code == 400
    assert 'value="Kim"' in response.content.decode()
    assert not organisation.contacts.exists()


def test_the_contact_edit_page_updates_and_audits(agency, casey, ana, client_for):
    contact = ContactFactory.create(organisation__agency=agency, name="Jordan")
    url = reverse(
        "stakeholders:contact_edit", args=[agency.slug, contact.organisation.pk, contact.pk]
    )
    assert client_for(ana).get(url).status_code == 403
    client_for(casey).post(
        url,
        {
            "name": "Jordan Lee",
            "preferred_language": "en",
            "preferred_channel": "sms",
            "is_active": "",
        },
    )
    contact.refresh_from_db()
    assert (contact.name, contact.preferred_channel, contact.is_active) == (
        "Jordan Lee",
        "sms",
        False,
    )
    assert (AuditEntry.objects.get(action="contact.update").after or {})["name"] == "Jordan Lee"


def test_the_renewal_page_lists_ending_terms_and_silent_relationships(agency, ana, client_for):
    today = timezone.localdate()
    ContactFactory.create(
        organisation__agency=agency,
        name="Student President",
        term_ends_on=today + dt.timedelta(days=10),
    )
    ContactFactory.create(
        organisation__agency=agency,
        name="Next Year Treasurer",
        term_ends_on=today + dt.timedelta(days=200),
    )
    quiet = OrganisationFactory.create(agency=agency, name="Quiet Association")
    InteractionFactory.create(organisation=quiet, occurred_on=today - dt.timedelta(days=400))
    busy = OrganisationFactory.create(agency=agency, name="Busy Association")
    InteractionFactory.create(organisation=busy, occurred_on=today - dt.timedelta(days=5))
    client = client_for(ana)
    page = client.get(reverse("stakeholders:renewals", args=[agency.slug])).content.decode()
    assert "Student President" in page and "Next Year Treasurer" not in page
    assert "Quiet Association" in page and "Busy Association" not in page
    # The window is adjustable: with 3 days, the busy association is stale too.
    page = client.get(
        reverse("stakeholders:renewals", args=[agency.slug]), {"days": 3}
    ).content.decode()
    assert "Busy Association" in page


def test_the_coverage_page_highlights_gaps_and_suggests_outreach(agency, ana, client_for):
    OrganisationFactory.create(
        agency=agency, category="government", sectors=["health"], stance=Stance.SUPPORTER
    )
    page = (
        client_for(ana).get(reverse("stakeholders:coverage", args=[agency.slug])).content.decode()
    )
    assert 'class="num gap"' in page
    assert "No critics at the table" in page
    # Gaps in rows with nobody at all come before the thin gaps of the health row.
    assert "Education and youth services — Community group" in page
    assert "Health — Community group" not in page
    by_area = client_for(ana).get(
        reverse("stakeholders:coverage", args=[agency.slug]), {"rows": "area"}
    )
    assert by_area.status_code == 200


def test_the_network_page_draws_the_referrals(agency, ana, client_for):
    ReferralFactory.create(
        referrer__agency=agency,
        referrer__name="Interfaith Council",
        referred__name="Mosque Youth Group",
    )
    page = client_for(ana).get(reverse("stakeholders:network", args=[agency.slug])).content.decode()
    assert "<svg" in page and page.count("<circle") == 2
    assert "Interfaith Council" in page and "Mosque Youth Group" in page


def test_the_worksheet_shows_recruited_and_missing_per_area(agency, ana, client_for):
    OrganisationFactory.create(
        agency=agency, name="County Public Health", category="government", sectors=["health"]
    )
    page = (
        client_for(ana).get(reverse("stakeholders:worksheet", args=[agency.slug])).content.decode()
    )
    assert "County Public Health" in page
    assert "public health department" in page  # what to consider
    assert page.count("Missing — who could fill this?") == 6 * 8 - 1


def test_coverage_counts_organisations_in_several_rows_once_in_the_totals(agency, ana, client_for):
    from roundtable.stakeholders.selectors import coverage

    OrganisationFactory.create(agency=agency, category="faith", sectors=["health", "housing"])
    OrganisationFactory.create(agency=agency, category="faith", sectors=["housing"])
    OrganisationFactory.create(agency=agency, category="faith")  # no CS360 area recorded
    result = coverage(agency=agency)
    faith = [key for key, _label in result.columns].index("faith")
    by_key = {row.key: row for row in result.rows}
    assert by_key["health"].counts[faith] == 1
    assert by_key["housing"].counts[faith] == 2
    assert by_key[""].counts[faith] == 1  # the organisation with no area is not lost
    assert result.column_totals[faith] == 3  # three organisations, not four placements
    page = (
        client_for(ana).get(reverse("stakeholders:coverage", args=[agency.slug])).content.decode()
    )
    assert "No CS360 area recorded" in page


def test_coverage_by_area_counts_each_areas_organisations(agency, ana, client_for):
    from roundtable.stakeholders.selectors import coverage

    eastgate, millbrook = (
        AreaFactory.create(agency=agency, name="Eastgate"),
        AreaFactory.create(agency=agency, name="Millbrook"),
    )
    OrganisationFactory.create(
        agency=agency, category="business", areas=[eastgate, millbrook], stance=Stance.CRITIC
    )
    OrganisationFactory.create(agency=agency, category="business", areas=[eastgate])
    rows = {row.label: row for row in coverage(agency=agency, rows_by="area").rows}
    business = list(Category).index(Category.BUSINESS)
    assert rows["Eastgate"].counts[business] == 2
    assert rows["Millbrook"].counts[business] == 1
    assert rows["Millbrook"].balance.critics == 1
    page = (
        client_for(ana)
        .get(reverse("stakeholders:coverage", args=[agency.slug]), {"rows": "area"})
        .content.decode()
    )
    assert "Eastgate" in page and "Millbrook" in page


def test_an_htmx_history_restore_gets_the_whole_page(agency, ana, client_for):
    response = client_for(ana).get(
        reverse("stakeholders:list", args=[agency.slug]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_the_agency_home_and_the_renewal_page_agree(agency, casey, client_for):
    from roundtable.core.selectors import agency_summary
    from roundtable.stakeholders.selectors import renewal_list

    today = timezone.localdate()
    ContactFactory.create(organisation__agency=agency, term_ends_on=today - dt.timedelta(days=3))
    ContactFactory.create(organisation__agency=agency, term_ends_on=today + dt.timedelta(days=5))
    ContactFactory.create(
        organisation__agency=agency, term_ends_on=today + dt.timedelta(days=5), is_active=False
    )
    renewal = renewal_list(agency=agency)
    assert len(renewal.contacts_ending) == 2  # the inactive contact needs no renewing
    assert agency_summary(agency=agency)["terms_ending"] == 2


def test_never_contacted_organisations_come_first(agency):
    from roundtable.stakeholders.selectors import renewal_list

    today = timezone.localdate()
    old = OrganisationFactory.create(agency=agency, name="Aardvark Old Friends")
    InteractionFactory.create(organisation=old, occurred_on=today - dt.timedelta(days=900))
    never = OrganisationFactory.create(agency=agency, name="Zebra Never Called")
    assert [o.name for o in renewal_list(agency=agency).stale_organisations] == [
        never.name,
        old.name,
    ]


def test_the_list_sorts_without_regard_to_capitals(agency):
    from roundtable.stakeholders.selectors import organisation_list

    for name in ("banana Club", "Apple Association", "cherry Circle"):
        OrganisationFactory.create(agency=agency, name=name)
    assert [o.name for o in organisation_list(agency=agency)] == [
        "Apple Association",
        "banana Club",
        "cherry Circle",
    ]


def test_a_referral_recorded_at_the_same_moment_twice_gets_the_message(agency, casey, monkeypatch):
    """The unique constraint, not only the pre-check, answers with the message."""
    from django.core.exceptions import ValidationError

    from roundtable.stakeholders import services
    from roundtable.stakeholders.models import Referral as ReferralModel

    referral = ReferralFactory.create(referrer__agency=agency)
    # As if the other request had not yet committed when this one checked.
    monkeypatch.setattr(ReferralModel.objects, "filter", lambda **kw: ReferralModel.objects.none())
    with pytest.raises(ValidationError, match="already recorded"):
        services.referral_create(
            actor=casey, referrer=referral.referrer, referred=referral.referred
        )
    assert ReferralModel.objects.count() == 1
