"""axe-core (WCAG 2.1 A and AA) on the survey pages.

Every public page, in English and in Spanish: the list, the answer form (its
follow-up question shown), the form sent back with errors, the thank-you page
with its receipt code, the open link once answered, a used one-time link, a
closed survey and the published results. Then the coordinator's builder,
new-survey form, links and QR code page and results (the per-area tables
opened). The `open_session` fixture also fails any test whose pages broke the CSP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.surveys import services
from roundtable.surveys.models import Response, Survey
from tests.browser.conftest import Session, sign_in
from tests.browser.survey_setup import (
    answer_url,
    areas_of,
    census,
    harlow_survey,
    invitation_url,
    public_list_url,
    seed_answers,
    staff_url,
)
from tests.browser.test_accessibility import LANGUAGES, axe_violations, in_language, report
from tests.factories import verified_totp

pytestmark = pytest.mark.browser

REQUIRED = {"safety": ["5"], "trust_respect": ["6"], "trust_listen": ["7"]}


@pytest.fixture
def surveys(agency: Agency, casey: User) -> dict[str, Any]:
    """The Harlow survey, open, with its results published (North with figures,
    South too thin, East under ten), one-time links already used, and a closed
    survey."""
    areas = areas_of(agency)
    census(agency, casey)
    harlow = harlow_survey(agency, casey, publish_results=True)
    seed_answers(harlow, areas)
    used = {}
    for language in LANGUAGES:
        (token,) = services.invitations_create(
            survey=harlow, actor=casey, count=1, batch="Panel", language=language
        )
        services.response_submit(
            survey=harlow,
            raw=REQUIRED,
            language=language,
            channel=Response.Channel.INVITATION,
            invitation_token=token,
        )
        used[language] = token
    closed = services.survey_create(
        agency=agency,
        created_by=casey,
        title={"en": "Last winter's survey", "es": "La encuesta del invierno pasado"},
        instruments=["trust_safety"],
    )
    services.survey_open(survey=closed, actor=casey)
    services.survey_close(survey=closed, actor=casey)
    return {"harlow": harlow, "used": used, "closed": closed}


def _send(page: Page) -> None:
    with page.expect_navigation():
        page.locator("button.rt-sv-send").click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_survey_pages_have_no_wcag_violations(
    open_session: Callable[..., Session],
    live_server: Any,
    agency: Agency,
    surveys: dict[str, Any],
    language: str,
) -> None:
    harlow: Survey = surveys["harlow"]
    page = in_language(open_session, live_server, language)
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[f"{name} ({language}) {page.url}"] = axe_violations(page)

    page.goto(public_list_url(agency))
    check("list")

    page.goto(answer_url(harlow))
    page.locator('label[for="q-safety.2"]').click()  # the follow-up question shows
    expect(page.locator('[data-show-if="q-safety"]')).to_be_visible()
    check("answer form")

    page.locator('label[for="q-safety.2"]').click()
    _send(page)  # trust questions are required and unanswered
    expect(page.locator("[data-error-summary]")).to_be_focused()
    check("form with errors")

    for key, values in REQUIRED.items():
        page.locator(f'label[for="q-{key}.{values[0]}"]').click()
    page.locator("textarea[name=q-top_issue]").fill("Cars racing on Main Street at night.")
    _send(page)
    expect(page.locator(".rt-sv-codes .rt-public-code")).to_have_count(1)
    check("thank-you with a receipt code")

    page.goto(answer_url(harlow))
    expect(page.locator("main form")).to_have_count(0)
    check("already answered on this device")

    page.goto(invitation_url(harlow, surveys["used"][language]))
    expect(page.locator("main form")).to_have_count(0)
    check("used one-time link")

    page.goto(answer_url(surveys["closed"]))
    expect(page.locator("main form")).to_have_count(0)
    check("closed survey")

    page.goto(reverse("surveys_public:results", args=[agency.slug, harlow.pk]))
    expect(page.locator("table.rt-sv-results").first).to_be_visible()
    check("published results")

    assert not any(found.values()), report(found)


def test_staff_survey_pages_have_no_wcag_violations(
    session: Session, agency: Agency, casey: User, surveys: dict[str, Any]
) -> None:
    harlow: Survey = surveys["harlow"]
    verified_totp(casey)
    page = session.new_page()
    sign_in(page, casey, next_url=staff_url("detail", harlow))
    found: dict[str, list[str]] = {}
    for name, path in {
        "builder": staff_url("detail", harlow),
        "new survey": reverse("surveys:create", args=[agency.slug]),
        "links and QR code": staff_url("distribution", harlow),
    }.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        found[name] = axe_violations(page)

    page.goto(staff_url("results", harlow))
    representation = page.locator("section.rt-svs-representation")
    representation.locator("details summary").click()
    expect(representation.locator("details table").first).to_be_visible()
    found["results, per-area tables open"] = axe_violations(page)

    assert not any(found.values()), report(found)
