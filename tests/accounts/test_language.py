"""English and Spanish from the first page; the choice is remembered."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_visitor_switches_to_spanish_and_it_sticks(client):
    response = client.post(reverse("accounts:set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page["Content-Language"] == "es"
    assert '<html lang="es">' in page.content.decode()
    assert "Iniciar sesión" in page.content.decode()


def test_a_signed_in_person_keeps_their_language_on_another_device(rosa, client, client_for):
    client.force_login(rosa)
    client.post(reverse("accounts:set_language"), {"language": "es", "next": "/"})
    rosa.refresh_from_db()
    assert rosa.preferred_language == "es"
    other_device = client_for(rosa)
    assert other_device.get("/")["Content-Language"] == "es"


def test_an_unknown_language_changes_nothing(client):
    client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"


def test_the_switch_will_not_redirect_off_site(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "es", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_every_spanish_message_is_translated():
    import polib
    from django.conf import settings

    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    assert len(catalogue.translated_entries()) > 200


def test_a_language_chosen_before_signing_in_is_kept(rosa, client):
    from tests.factories import PASSWORD

    client.post(reverse("accounts:set_language"), {"language": "es", "next": "/"})
    client.post(reverse("accounts:login"), {"username": "rosa", "password": PASSWORD})
    rosa.refresh_from_db()
    assert rosa.preferred_language == "es"
    assert client.get("/")["Content-Language"] == "es"


def test_the_confirmation_is_in_the_new_language(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "es", "next": "/"}, follow=True
    )
    assert "Idioma cambiado." in response.content.decode()
