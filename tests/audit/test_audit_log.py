import pytest
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.stakeholders import services
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_administrators_read_the_audit_log(agency, adam, casey, client_for):
    services.organisation_create(
        actor=casey, agency=agency, name="Old Town Merchants", category="business"
    )
    page = client_for(adam).get(reverse("audit:log", args=[agency.slug])).content.decode()
    assert "organisation.create" in page and "Old Town Merchants" in page


def test_nobody_else_reads_the_audit_log(
    agency, casey, ana, cleo, rosa, pat, uma, client_for, client
):
    url = reverse("audit:log", args=[agency.slug])
    for person in (casey, ana, cleo, rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403, person
    assert client.get(url).status_code == 302


def test_the_log_shows_only_this_agencys_entries(agency, other_agency, adam, uma, client_for):
    services.organisation_create(
        actor=uma, agency=other_agency, name="Campus Society", category="campus_group"
    )
    assert (
        "Campus Society"
        not in client_for(adam).get(reverse("audit:log", args=[agency.slug])).content.decode()
    )


def test_the_log_is_append_only(agency, casey):
    services.organisation_create(
        actor=casey, agency=agency, name="Block Club", category="community_group"
    )
    entry = AuditEntry.objects.get()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="rewritten")
    assert AuditEntry.objects.get().action == "organisation.create"


def test_an_update_records_only_what_changed(agency, casey):
    organisation = OrganisationFactory.create(
        agency=agency, name="Block Club", category="community_group"
    )
    services.organisation_update(
        actor=casey,
        organisation=organisation,
        name="Millbrook Block Club",
        category="community_group",
        sectors=[],
        areas=[],
        kind="organisation",
        stance="unknown",
        stance_note="",
        description="",
        website="",
        email="",
        phone="",
        external_id=None,
    )
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.before == {"name": "Block Club"}
    assert entry.after == {"name": "Millbrook Block Club"}


def test_the_query_count_of_the_log_is_bounded(
    agency, adam, casey, client_for, django_assert_max_num_queries
):
    for i in range(30):
        services.organisation_create(
            actor=casey, agency=agency, name=f"Group {i}", category="other"
        )
    client = client_for(adam)
    url = reverse("audit:log", args=[agency.slug])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_the_log_pages_keep_the_filter(agency, adam, casey, client_for):
    for i in range(55):
        services.organisation_create(
            actor=casey, agency=agency, name=f"Group {i}", category="other"
        )
    page = (
        client_for(adam)
        .get(reverse("audit:log", args=[agency.slug]), {"action": "organisation"})
        .content.decode()
    )
    assert "Page 1 of 2" in page
    assert "?action=organisation&amp;page=2" in page
