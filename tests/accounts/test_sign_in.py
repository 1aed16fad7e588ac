"""Sign-in, the second step for staff, sign-out and password reset."""

import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, verified_totp

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_resident_signs_in_without_a_second_step(rosa, client):
    response = client.post(reverse("accounts:login"), {"username": "rosa", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_a_wrong_password_is_refused_with_a_message(rosa, client):
    response = client.post(reverse("accounts:login"), {"username": "rosa", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_staff_enrol_an_authenticator_on_first_sign_in(agency, casey, client):
    response = client.post(reverse("accounts:login"), {"username": "casey", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode()  # the QR code
    device = TOTPDevice.objects.get(user=casey, confirmed=False)
    target = reverse("stakeholders:list", args=[agency.slug])
    response = client.post(reverse("accounts:two_factor"), {"token": _code(device), "next": target})
    assert response["Location"] == target
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(target).status_code == 200


def test_a_wrong_code_keeps_the_staff_member_out(agency, casey, client):
    device = verified_totp(casey)
    client.post(reverse("accounts:login"), {"username": "casey", "password": PASSWORD})
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post(reverse("accounts:two_factor"), {"token": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("stakeholders:list", args=[agency.slug])).status_code == 302


def test_the_two_factor_page_will_not_redirect_off_site(agency, casey, client):
    device = verified_totp(casey)
    client.force_login(casey)
    response = client.post(
        reverse("accounts:two_factor"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_the_two_factor_page_needs_a_signed_in_user(client):
    assert client.get(reverse("accounts:two_factor")).status_code == 302


def test_sign_out_needs_a_post(rosa, client):
    client.force_login(rosa)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(rosa, client):
    client.post(reverse("accounts:password_reset"), {"email": rosa.email})
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/]+(/\S+)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a new long pass phrase", "new_password2": "a new long pass phrase"},
    )
    assert response.status_code == 302
    rosa.refresh_from_db()
    assert rosa.check_password("a new long pass phrase")


def test_password_reset_does_not_say_whether_an_address_has_an_account(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_repeated_failures_pause_sign_in_without_storing_the_address(rosa, client, settings):
    from django.core.cache import cache

    cache.clear()
    for _ in range(10):
        client.post(reverse("accounts:login"), {"username": "rosa", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "rosa", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    # The cache holds only keyed hashes: neither the address nor the username appears.
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert keys
    assert not any("127.0.0.1" in k or "rosa" in k for k in keys)
    cache.clear()


def test_a_look_alike_username_does_not_escape_the_limit(rosa, client):
    for _ in range(10):
        client.post(reverse("accounts:login"), {"username": "rosa", "password": "wrong"})
    other_address = client.__class__(REMOTE_ADDR="10.9.8.7")
    # Fullwidth "ｒ": the form normalises it to "rosa", so must the limit.
    response = other_address.post(
        reverse("accounts:login"), {"username": "ｒosa", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_the_page_asked_for_survives_the_second_step_with_its_filters(agency, casey, client):
    verified_totp(casey)
    target = reverse("stakeholders:list", args=[agency.slug]) + "?stance=critic&kind=individual"
    response = client.post(
        reverse("accounts:login") + "?" + urlencode({"next": target}),
        {"username": "casey", "password": PASSWORD},
    )
    two_factor_url = response["Location"]
    assert client.get(two_factor_url).context["next"] == target


def test_the_enrolment_key_stays_the_same_until_confirmed(casey, client):
    client.force_login(casey)
    first = client.get(reverse("accounts:two_factor")).context["base32"]
    again = client.get(reverse("accounts:two_factor")).context["base32"]
    assert first == again
    assert TOTPDevice.objects.filter(user=casey).count() == 1


def test_enrolling_an_authenticator_is_audited(casey, client):
    from roundtable.audit.models import AuditEntry

    client.force_login(casey)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=casey)
    client.post(reverse("accounts:two_factor"), {"token": _code(device)})
    assert AuditEntry.objects.get(action="totp.enrol").actor == casey
