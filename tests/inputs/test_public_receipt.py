"""Following an answer by receipt code: status, dates, answer, updates — nothing else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from roundtable.inputs import receipts
from roundtable.inputs.models import InputNote, PublicUpdate, Status
from tests.factories import InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(agency, casey):
    received = timezone.now() - dt.timedelta(days=10)
    item = InputFactory.create(
        agency=agency,
        text="Someone deals drugs at 1234 N Main St, call me on (312) 555-0198",
        is_anonymous=False,
        contact_name="Lucía Ortega",
        contact_email="lucia@example.org",
        reply_channel="email",
        owner=casey,
        status=Status.ANSWERED,
        received_at=received,
        answered_at=received + dt.timedelta(days=4),
        public_answer="Patrols now pass 1234 N Main St nightly; write to beat3@riverside.gov.",
    )
    PublicUpdate.objects.create(
        input=item, text="Passed to the beat team (ask 555-0142).", created_at=received
    )
    InputNote.objects.create(input=item, author=casey, text="INTERNAL: known address")
    return item


def receipt_url(item) -> str:
    return reverse("inputs_public:receipt", args=[item.agency.slug, item.receipt_code])


def test_anyone_with_the_code_reads_status_dates_answer_and_updates(
    answered, client, rosa, uma, client_for
):
    for visitor in (client, client_for(rosa), client_for(uma)):
        response = visitor.get(receipt_url(answered))
        assert response.status_code == 200
    page = response.content.decode()
    assert receipts.display(answered.receipt_code) in page
    assert "Answered" in page and "A safety concern" in page
    assert "Patrols now pass [address] nightly; write to [email]." in page
    assert "Passed to the beat team (ask [phone])." in page


def test_the_receipt_shows_nothing_private(answered, client):
    page = client.get(receipt_url(answered)).content.decode()
    for private in (
        "deals drugs",
        "Lucía",
        "lucia@example.org",
        "(312) 555-0198",
        "casey",
        "INTERNAL",
        "1234 N Main",
    ):
        assert private not in page


def lookup_url(agency) -> str:
    return reverse("inputs_public:receipt_lookup", args=[agency.slug])


def test_codes_are_read_forgivingly(answered, client):
    code = receipts.display(answered.receipt_code).lower()
    response = client.get(f"/p/{answered.agency.slug}/receipt/{code}/")
    assert response.status_code == 302 and response["Location"] == receipt_url(answered)
    lookup = client.post(lookup_url(answered.agency), {"code": f" {code.replace('-', ' ')} "})
    assert lookup.status_code == 200
    assert "Patrols now pass [address] nightly" in lookup.content.decode()


def test_the_lookup_is_a_post_answered_by_the_receipt_itself(answered, client):
    """The code never travels in an address, where an access log would keep it."""
    page = client.get(lookup_url(answered.agency)).content.decode()
    assert re.search(r'<form method="post" action="[^"]*/receipt/"', page)
    response = client.post(lookup_url(answered.agency), {"code": answered.receipt_code})
    assert response.status_code == 200 and "Location" not in response
    assert "no-store" in response["Cache-Control"]
    assert receipts.display(answered.receipt_code) in response.content.decode()
    # A code in the query string is not looked up, nor filled in the form.
    old_style = client.get(lookup_url(answered.agency), {"code": answered.receipt_code})
    assert old_style.status_code == 200
    assert "Patrols" not in old_style.content.decode()
    assert f'value="{answered.receipt_code}"' not in old_style.content.decode()


def test_an_unknown_code_is_not_found_with_the_form_to_try_again(agency, client):
    response = client.get(reverse("inputs_public:receipt", args=[agency.slug, "0000000000"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "No input has this receipt code" in page and 'name="code"' in page


def test_a_code_of_another_agency_is_not_found_here(answered, other_agency, client):
    url = reverse("inputs_public:receipt", args=[other_agency.slug, answered.receipt_code])
    assert client.get(url).status_code == 404


def test_an_unknown_code_typed_in_the_form_is_not_found_and_can_be_corrected(agency, client):
    response = client.post(lookup_url(agency), {"code": "00000-00000"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "No input has this receipt code" in page and 'value="00000-00000"' in page


def test_the_lookup_form_explains_a_malformed_code(agency, client):
    assert client.get(lookup_url(agency)).status_code == 200
    response = client.post(lookup_url(agency), {"code": "12345"})
    assert response.status_code == 200
    assert "This is not a receipt code" in response.content.decode()


def test_lookups_are_rate_limited_against_guessing(answered, client):
    for n in range(60):
        guess = {"code": f"{n:010d}"}
        assert client.post(lookup_url(answered.agency), guess).status_code == 404
    response = client.post(lookup_url(answered.agency), {"code": answered.receipt_code})
    assert response.status_code == 429
    assert "Too many look-ups" in response.content.decode()
    assert client.get(receipt_url(answered)).status_code == 429  # the same counter
    assert Client(REMOTE_ADDR="198.51.100.7").get(receipt_url(answered)).status_code == 200


def test_the_receipt_is_in_spanish_for_a_spanish_reader(answered, client):
    client.post(reverse("accounts:set_language"), {"language": "es", "next": "/"})
    page = client.get(receipt_url(answered)).content.decode()
    assert '<html lang="es">' in page
    with translation.override("es"):
        assert str(Status.ANSWERED.label) in page  # the Spanish label once translated


def test_the_receipt_page_reads_little(answered, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(receipt_url(answered))
