"""axe-core on the public community-input pages, in English and Spanish, with the
form's errors shown (the state screen-reader users struggle with most) and the
thanks page that answers the form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from roundtable.agencies.models import Agency
from roundtable.inputs.models import PublicUpdate, Status
from tests.browser.conftest import Session
from tests.browser.test_accessibility import LANGUAGES, axe_violations, in_language, report
from tests.factories import AreaFactory, InputFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_input_pages_have_no_wcag_violations(
    open_session: Callable[..., Session], live_server: Any, agency: Agency, language: str
) -> None:
    area = AreaFactory.create(agency=agency, name="Eastgate", slug="eastgate")
    received = timezone.now() - dt.timedelta(days=9)
    item = InputFactory.create(
        agency=agency,
        area=area,
        status=Status.ANSWERED,
        received_at=received,
        answered_at=received + dt.timedelta(days=2),
        public_answer="We fixed the light.",
    )
    PublicUpdate.objects.create(input=item, text="Passed to public works.", created_at=received)
    page = in_language(open_session, live_server, language)
    found: dict[str, list[str]] = {}
    for name, path in {
        "public page": reverse("inputs_public:agency", args=[agency.slug]),
        "figures": reverse("inputs_public:answers", args=[agency.slug]),
        "receipt": reverse("inputs_public:receipt", args=[agency.slug, item.receipt_code]),
        "lookup": reverse("inputs_public:receipt_lookup", args=[agency.slug]),
        "form": reverse("inputs_public:say", args=[agency.slug]),
    }.items():
        page.goto(path)
        found[f"{name} ({language}) {path}"] = axe_violations(page)
    page.locator("#id_text").fill("Dark underpass")
    page.locator("#id_contact_email").fill("lucia@example.org")
    page.locator("main form.rt-public-say button[type=submit]").click()
    expect(page.locator("main [role=alert]").first).to_be_visible()
    found[f"form with errors ({language})"] = axe_violations(page)
    # Corrected, it is sent; the thanks page is the answer to that POST.
    page.locator("input[name=topic]").first.check()
    page.locator("input[name=anonymous][value=no]").check()
    with page.expect_navigation():
        page.locator("main form.rt-public-say button[type=submit]").click()
    expect(page.locator(".rt-public-code")).to_be_visible()
    found[f"thanks ({language})"] = axe_violations(page)
    assert not any(found.values()), report(found)
