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
    response = client_for(adam).post(
        reverse("members:list", args=[agency.slug]),
        {"email": rosa.email, "role": "pst_member", "preferred_language": "en"},
        follow=True,
    )
    assert set(rosa.memberships.values_list("role", flat=True)) == {"resident", "pst_member"}
    assert User.objects.filter(email=rosa.email).count() == 1
    # She is told, with a sign-in link (she has a password), and the page says the
    # same as for a new address: nothing about whether an account existed.
    assert len(mail.outbox) == 1
    assert "/accounts/sign-in/" in mail.outbox[0].body
    assert f"Role given; we emailed {rosa.email}." in response.content.decode()


def test_an_invited_person_who_lost_the_email_can_ask_again(agency, adam, client_for, client):
    admin_client = client_for(adam)
    invite = {"email": "nia@example.org", "role": "analyst", "preferred_language": "en"}
    admin_client.post(reverse("members:list", args=[agency.slug]), invite)
    admin_client.post(reverse("members:list", args=[agency.slug]), {**invite, "role": "command"})
    assert len(mail.outbox) == 2
    assert "/accounts/password-reset/" in mail.outbox[1].body  # still no password: a new link
    client.post(reverse("accounts:password_reset"), {"email": "nia@example.org"})
    assert len(mail.outbox) == 3


def test_an_invited_person_signs_in_with_their_address_in_any_case(
    agency, adam, client_for, client
):
    client_for(adam).post(
        reverse("members:list", args=[agency.slug]),
        {"email": "Nia@Example.org", "role": "resident", "preferred_language": "en"},
    )
    nia = User.objects.get(email="nia@example.org")
    nia.set_password("a long new pass phrase")
    nia.save()
    response = client.post(
        reverse("accounts:login"),
        {"username": "NIA@example.ORG", "password": "a long new pass phrase"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(nia.pk)


def test_a_too_long_address_is_a_form_error_not_a_crash(agency, adam, client_for):
    response = client_for(adam).post(
        reverse("members:list", args=[agency.slug]),
        {"email": "a" * 150 + "@example.org", "role": "resident", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()


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
