"""The Django admin sits behind Roundtable's own sign-in and second factor."""

import pytest
from django.test import Client

from roundtable.audit.models import AuditEntry
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return UserFactory.create(username="root", is_staff=True, is_superuser=True)


def test_the_admin_login_sends_people_to_roundtables_sign_in(client):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_a_password_alone_does_not_open_the_admin(root, agency):
    organisation = OrganisationFactory.create(agency=agency)
    half = Client()
    half.force_login(root)
    response = half.get(
        f"/django-admin/stakeholders/organisation/{organisation.pk}/change/", follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")
    assert organisation.name not in response.content.decode()


def test_with_the_second_factor_the_map_is_read_only_in_the_admin(root, agency, client_for):
    organisation = OrganisationFactory.create(agency=agency, name="Old Name")
    client = client_for(root)
    url = f"/django-admin/stakeholders/organisation/{organisation.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"name": "New Name"})
    organisation.refresh_from_db()
    assert organisation.name == "Old Name"
    assert client.get("/django-admin/stakeholders/organisation/add/").status_code == 403


def test_agency_edits_in_the_admin_are_audited(root, agency, client_for):
    client = client_for(root)
    response = client.post(
        f"/django-admin/agencies/agency/{agency.pk}/change/",
        {
            "name": agency.name,
            "slug": agency.slug,
            "kind": agency.kind,
            "renewal_after_days": 90,
            "acknowledge_within_days": 3,
            "answer_within_days": 30,
            "referral_back_within_days": 14,
            "map_zoom": 13,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.agency.update")
    assert entry.actor == root
    assert entry.before == {"renewal_after_days": 180}
    assert entry.after == {"renewal_after_days": 90}
