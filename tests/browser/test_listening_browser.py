"""Listening and answering in a real browser, as new users would do it.

A resident who will not give their name writes in Spanish, with JavaScript
off; Casey Coordinator answers in the ledger; the resident comes back with the
receipt code and reads the answer, in Spanish. A second resident leaves an
email address and is told by email when the answer is published.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.inputs import receipts
from roundtable.inputs.models import Input, Status
from tests.browser.conftest import Session, sign_in
from tests.factories import verified_totp

pytestmark = pytest.mark.browser

SAID = "Los carros pasan a toda velocidad por la calle Orilla y no hay reductores."
ANSWER = "Gracias. Obras Públicas pondrá dos reductores de velocidad el mes próximo."


def spanish(english: str) -> str:
    """The catalogue's Spanish for `english`; fails if the catalogue has none."""
    with translation.override("es"):
        text = gettext(english)
    assert text != english, f"{english!r} has no Spanish translation in django.po"
    return text


def choose_spanish(page: Page) -> None:
    page.locator("#language-select").select_option("es")
    with page.expect_navigation():
        page.locator(".language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def say_in_spanish(page: Page, agency: Agency, *, email: str = "") -> str:
    """Fill in the public form in Spanish; the receipt code shown at the end."""
    page.goto(f"/p/{agency.slug}/")
    choose_spanish(page)
    page.get_by_role("link", name=spanish("Say something")).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label(spanish("A safety concern")).check()
    page.locator("#id_text").fill(SAID)
    if email:
        page.locator("input[name=anonymous][value=no]").check()
        page.locator("#id_contact_email").fill(email)
    else:
        # Anonymous is the default, and says so in Spanish.
        expect(page.locator("input[name=anonymous][value=yes]")).to_be_checked()
    with page.expect_navigation():
        page.locator("form.rt-public-say button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        spanish("Thank you: we received what you said")
    )
    code = page.locator(".rt-public-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code), code
    return code


def answer_as(page: Page, coordinator: User, item: Input) -> None:
    sign_in(page, coordinator, next_url=f"/a/{item.agency.slug}/inputs/{item.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(SAID)
    # The form says which language to answer in.
    expect(main).to_contain_text("Spanish")
    page.locator("#id_answer").fill(ANSWER)
    with page.expect_navigation():
        page.locator(f"form[action$='/inputs/{item.pk}/answer/'] button[type=submit]").click()
    expect(main).to_contain_text(ANSWER)


def test_an_anonymous_resident_hears_back_in_spanish_by_receipt_code(
    open_session, agency: Agency, casey: User
):
    verified_totp(casey)
    resident: Session = open_session(java_script_enabled=False)
    page = resident.new_page()
    code = say_in_spanish(page, agency)

    item = Input.objects.get(receipt_code=receipts.normalise(code))
    assert item.is_anonymous and item.language == "es" and item.text == SAID
    assert (item.contact_name, item.contact_email, item.contact_phone) == ("", "", "")
    assert item.submitted_by is None

    answer_as(open_session().new_page(), casey, item)
    item.refresh_from_db()
    assert item.status == Status.ANSWERED

    # The resident comes back days later with the code, on a fresh browser, no JS.
    later = open_session(java_script_enabled=False).new_page()
    later.goto(f"/p/{agency.slug}/")
    choose_spanish(later)
    later.get_by_role("link", name=spanish("Follow an answer")).first.click()
    later.get_by_label(spanish("Receipt code")).fill(code.lower().replace("-", " "))
    with later.expect_navigation():
        later.locator("main form button[type=submit]").first.click()
    expect(later.locator("html")).to_have_attribute("lang", "es")
    expect(later.locator(".rt-public-answer")).to_have_text(ANSWER)
    expect(later.locator("main")).to_contain_text(spanish("Answered"))
    # The receipt shows the answer, never what was said nor who handled it.
    assert SAID not in later.locator("main").inner_text()
    assert casey.get_full_name() not in later.locator("main").inner_text()


def test_a_resident_who_left_an_email_is_told_when_the_answer_is_published(
    open_session, agency: Agency, casey: User
):
    verified_totp(casey)
    page = open_session().new_page()
    code = say_in_spanish(page, agency, email="lucia.ramos@example.org")
    item = Input.objects.get(receipt_code=receipts.normalise(code))
    assert not item.is_anonymous and item.contact_email == "lucia.ramos@example.org"
    # The receipt code itself was sent at once.
    assert [m.to for m in mail.outbox] == [["lucia.ramos@example.org"]]
    assert code in mail.outbox[0].body

    answer_as(open_session().new_page(), casey, item)
    answered = mail.outbox[-1]
    assert answered.to == ["lucia.ramos@example.org"]
    assert ANSWER in answered.body and SAID in answered.body
    with translation.override("es"):
        assert gettext("You said:") in answered.body
    assert gettext("You said:") != spanish("You said:")


def test_tapping_the_map_fills_in_the_point(open_session, agency: Agency):
    agency.map_latitude, agency.map_longitude = Decimal("33.953350"), Decimal("-117.396156")
    agency.save()
    page = open_session().new_page()
    page.goto(f"/p/{agency.slug}/say/")
    canvas = page.locator(".rt-point-map-canvas")
    expect(canvas).to_be_visible()
    canvas.click()  # the middle of the map: the agency's map centre
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    assert abs(latitude - 33.95335) < 0.001 and abs(longitude + 117.396156) < 0.001
    expect(page.locator(".rt-point-map-status")).to_contain_text(f"{latitude:.6f}")


def test_without_javascript_the_point_is_typed_in(open_session, agency: Agency):
    agency.map_latitude, agency.map_longitude = Decimal("33.953350"), Decimal("-117.396156")
    agency.save()
    page = open_session(java_script_enabled=False).new_page()
    page.goto(f"/p/{agency.slug}/say/")
    expect(page.locator(".rt-point-map")).to_be_hidden()
    page.get_by_label("A safety concern").check()
    page.locator("#id_text").fill("Broken glass all over the playground.")
    page.locator("#id_latitude").fill("33.95")
    page.locator("#id_longitude").fill("-117.39")
    with page.expect_navigation():
        page.locator("form.rt-public-say button[type=submit]").click()
    item = Input.objects.get()
    assert (item.latitude, item.longitude) == (Decimal("33.950000"), Decimal("-117.390000"))
