"""Moderation: held inputs are read by a person, released or kept from view; never deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import Input, Moderation
from roundtable.inputs.services_ledger import input_moderate
from tests.factories import InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(agency):
    return InputFactory.create(
        agency=agency, text="Fuck you, pigs. Fix the lights.", moderation=Moderation.HELD
    )


def test_keeping_an_input_from_view_needs_a_reason_and_deletes_nothing(agency, casey, held):
    with pytest.raises(ValidationError):
        input_moderate(actor=casey, input=held, moderation=Moderation.HIDDEN)
    input_moderate(actor=casey, input=held, moderation=Moderation.HIDDEN, note="Abusive")
    stored = Input.objects.get(pk=held.pk)
    assert stored.moderation == Moderation.HIDDEN and stored.text.startswith("Fuck you")
    entry = AuditEntry.objects.get(action="input.moderate")
    assert entry.before == {"moderation": "held", "moderation_note": ""}
    assert entry.after == {"moderation": "hidden", "moderation_note": "Abusive"}


def test_the_queue_shows_held_text_flagged_to_staff(agency, held, ana, client_for):
    InputFactory.create(agency=agency, text="A calm note about parking.")
    html = client_for(ana).get(reverse("inputs:moderation", args=[agency.slug])).content.decode()
    assert "Fix the lights." in html and "calm note" not in html
    assert "flagged-text" in html
    # Analysts read the queue but get no buttons.
    assert reverse("inputs:moderate", args=[agency.slug, held.pk]) not in html


def test_a_coordinator_releases_from_the_queue_and_returns_to_it(agency, held, casey, client_for):
    response = client_for(casey).post(
        reverse("inputs:moderate", args=[agency.slug, held.pk]),
        {"moderation": "visible", "next": "queue"},
    )
    assert response["Location"] == reverse("inputs:moderation", args=[agency.slug])
    held.refresh_from_db()
    assert held.moderation == Moderation.VISIBLE


def test_hiding_without_a_reason_is_refused_on_the_page(agency, held, casey, client_for):
    response = client_for(casey).post(
        reverse("inputs:moderate", args=[agency.slug, held.pk]), {"moderation": "hidden"}
    )
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.moderation == Moderation.HELD


def test_the_detail_page_flags_a_hidden_input_for_staff(agency, casey, client_for):
    hidden = InputFactory.create(
        agency=agency, text="Rude words", moderation=Moderation.HIDDEN, moderation_note="Slur"
    )
    html = client_for(casey).get(reverse("inputs:detail", args=[agency.slug, hidden.pk]))
    content = html.content.decode()
    assert "Rude words" in content and "not shown in public" in content


def test_readers_and_outsiders_cannot_moderate(agency, held, ana, uma, client, client_for):
    url = reverse("inputs:moderate", args=[agency.slug, held.pk])
    for person in (ana, uma):
        assert client_for(person).post(url, {"moderation": "visible"}).status_code == 403
    assert client.post(url, {"moderation": "visible"}).status_code == 302
    held.refresh_from_db()
    assert held.moderation == Moderation.HELD
