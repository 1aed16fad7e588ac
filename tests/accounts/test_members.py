import pytest
from django.core import mail
from django.urls import reverse

from roundtable.accounts.models import Membership, Role, User
from roundtable.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_invites_a_new_analyst(agency, adam, client_for):
    response = client_for(adam).post(
        reverse("members:list", args=[agency.slug]),
        {
            "email": "Nia@Example.org",
            "first_name": "Nia",
            "last_name": "Okafor",
            "role": "analyst",
            "preferred_language": "es",
        },
    )
    assert response.status_code == 302
    nia = User.objects.get(email="nia@example.org")
    assert not nia.has_usable_password()
    assert nia.memberships.get().role == Role.ANALYST
    assert len(mail.outbox) == 1
    assert "Riverside Police Department" in mail.outbox[0].subject
    assert "/accounts/password-reset/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="membership.grant", agency=agency).exists()


def test_an_existing_person_gets_the_role_without_a_new_account(agency, adam, rosa, client_for):
    client_for(adam).post(
        reverse("members:list", args=[agency.slug]),
        {"email": rosa.email, "role": "pst_member", "preferred_language": "en"},
    )
    assert set(rosa.memberships.values_list("role", flat=True)) == {"resident", "pst_member"}
    assert mail.outbox == []


def test_an_administrator_removes_a_role_but_not_their_own_admin_role(
    agency, adam, casey, client_for
):
    client = client_for(adam)
    casey_role = Membership.objects.get(user=casey)
    client.post(reverse("members:revoke", args=[agency.slug, casey_role.pk]))
    assert not Membership.objects.filter(pk=casey_role.pk).exists()
    own = Membership.objects.get(user=adam)
    response = client.post(reverse("members:revoke", args=[agency.slug, own.pk]), follow=True)
    assert "You cannot remove your own administrator role." in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_only_administrators_manage_members(
    agency, casey, ana, cleo, rosa, pat, uma, client_for, client
):
    url = reverse("members:list", args=[agency.slug])
    for person in (casey, ana, cleo, rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403
        assert (
            client_for(person)
            .post(
                url, {"email": "x@example.org", "role": "administrator", "preferred_language": "en"}
            )
            .status_code
            == 403
        )
    assert client.get(url).status_code == 302
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_membership_of_another_agency_cannot_be_revoked_from_here(
    agency, other_agency, adam, uma, client_for
):
    foreign = Membership.objects.get(user=uma)
    assert (
        client_for(adam).post(reverse("members:revoke", args=[agency.slug, foreign.pk])).status_code
        == 404
    )
