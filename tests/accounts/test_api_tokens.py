"""The API tokens page: anyone signed in makes and revokes their own tokens."""

import hashlib
import json
import re

import pytest
from django.urls import reverse

from roundtable.accounts import services
from roundtable.accounts.models import ApiToken
from roundtable.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PAGE = "/accounts/api-tokens/"
TOKEN = re.compile(r"rt_[A-Za-z0-9_-]{43}")


def _make(client, name="weekly coverage report", days=90):
    return client.post(PAGE, {"name": name, "days": days})


def test_the_page_lives_at_accounts_api_tokens():
    assert reverse("accounts:api_tokens") == PAGE


def test_an_analyst_makes_a_token_and_sees_it_once(agency, ana, client_for):
    client = client_for(ana)
    response = _make(client)
    assert response.status_code == 200
    page = response.content.decode()
    [plain] = set(TOKEN.findall(page))
    assert "it will not be shown again" in page
    assert f'curl -H "Authorization: Bearer {plain}"' in page
    assert f"/api/v1/agencies/{agency.slug}/organisations" in page
    assert "no-store" in response["Cache-Control"]
    again = client.get(PAGE).content.decode()
    assert plain not in again
    assert "weekly coverage report" in again and plain[:8] in again


def test_only_the_hash_of_a_token_is_stored_and_audited(ana, client_for):
    [plain] = TOKEN.findall(_make(client_for(ana)).content.decode())[:1]
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert token.key_prefix == plain[:8]
    assert token.user == ana and token.second_factor
    for field in ApiToken._meta.concrete_fields:
        assert plain not in str(getattr(token, field.attname)), field.name
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.actor == ana and entry.agency is None
    assert entry.after is not None and entry.after["key_prefix"] == plain[:8]
    for entry in AuditEntry.objects.all():
        text = json.dumps([entry.object_repr, entry.before, entry.after])
        assert plain not in text and token.key_hash not in text


def test_a_token_expires_after_the_chosen_number_of_days(ana, client_for):
    _make(client_for(ana), days=30)
    token = ApiToken.objects.get()
    assert token.expires_at is not None
    assert (token.expires_at - token.created_at).days in (29, 30)


def test_a_token_needs_a_name(ana, client_for):
    response = _make(client_for(ana), name="")
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert not TOKEN.search(response.content.decode())


def test_residents_may_make_tokens_without_a_second_factor(rosa, client):
    client.force_login(rosa)
    assert client.get(PAGE).status_code == 200
    assert _make(client).status_code == 200
    assert not ApiToken.objects.get().second_factor


def test_staff_must_pass_the_two_step_sign_in_first(ana, client):
    client.force_login(ana)  # password only
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert _make(client).status_code == 302
    token, _plain = services.api_token_create(user=ana, name="old", second_factor=True)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_each_person_sees_only_their_own_tokens(ana, casey, client_for):
    services.api_token_create(user=casey, name="casey's export script")
    services.api_token_create(user=ana, name="ana's notebook")
    page = client_for(ana).get(PAGE).content.decode()
    assert "ana&#x27;s notebook" in page
    assert "export script" not in page


def test_a_person_revokes_their_token(ana, client_for):
    token, _plain = services.api_token_create(user=ana, name="notebook", second_factor=True)
    response = client_for(ana).post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert entry.actor == ana and entry.object_id == str(token.pk)
    assert "Revoked on" in client_for(ana).get(PAGE).content.decode()


def test_nobody_revokes_someone_elses_token(ana, casey, client_for):
    token, _plain = services.api_token_create(user=casey, name="export", second_factor=True)
    response = client_for(ana).post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEntry.objects.filter(action="api_token.revoke").exists()


def test_revoking_needs_a_post(ana, client_for):
    token, _plain = services.api_token_create(user=ana, name="notebook")
    assert (
        client_for(ana).get(reverse("accounts:api_token_revoke", args=[token.pk])).status_code
        == 405
    )


def test_posts_without_the_csrf_token_are_refused(ana, client_for):
    token, _plain = services.api_token_create(user=ana, name="notebook")
    client = client_for(ana)
    client.handler.enforce_csrf_checks = True
    assert _make(client).status_code == 403
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_making_tokens_is_rate_limited(ana, client_for):
    client = client_for(ana)
    for n in range(20):
        assert _make(client, name=f"script {n}").status_code == 200
    refused = _make(client, name="one too many")
    assert refused.status_code == 429
    assert not TOKEN.search(refused.content.decode())
    assert ApiToken.objects.count() == 20


def test_the_list_takes_a_bounded_number_of_queries(ana, client_for, django_assert_max_num_queries):
    for n in range(15):
        services.api_token_create(user=ana, name=f"script {n}")
    client = client_for(ana)
    with django_assert_max_num_queries(6):
        assert client.get(PAGE).status_code == 200


def test_the_header_links_to_the_page_when_signed_in(rosa, client, db):
    assert PAGE not in client.get("/").content.decode()
    client.force_login(rosa)
    assert PAGE in client.get("/").content.decode()
