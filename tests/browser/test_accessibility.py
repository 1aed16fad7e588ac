"""axe-core (WCAG 2.1 A and AA rules) on every public page and every Community Map page.

Public pages are checked in English and in Spanish. Staff pages are checked
signed in, with every collapsed form opened and with validation errors shown,
since those are the states people with screen readers struggle with most.
The `open_session` fixture also fails any test whose pages broke the CSP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.stakeholders.models import Category, Organisation, Sector, Stance
from tests.browser.conftest import Session, pass_second_factor, sign_in, submit_password
from tests.factories import (
    AreaFactory,
    ContactFactory,
    InteractionFactory,
    OrganisationFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
LANGUAGES = ["en", "es"]


# axe accepts an aria-describedby that points at nothing; a screen reader then reads nothing.
MISSING_IDREFS = """() => {
  const found = [];
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls", "for"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          found.push(`${element.tagName.toLowerCase()}#${element.id} ${attribute}="${id}"`);
        }
      }
    }
  }
  return found;
}"""


def axe_violations(page: Page) -> list[str]:
    """One line per failing element: rule id, impact, CSS target and axe's summary,
    and one per ARIA or label reference to an id the page does not have."""
    results = AXE.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(
                f"{violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{violation['help']} — {summary}"
            )
    lines += [f"missing idref (serious): {ref}" for ref in page.evaluate(MISSING_IDREFS)]
    return lines


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items() if lines
    )


def in_language(open_session: Callable[..., Session], live_server: Any, language: str) -> Page:
    session = open_session()
    session.context.add_cookies(
        [{"name": "roundtable_language", "value": language, "url": live_server.url}]
    )
    return session.new_page()


PUBLIC_PAGES = {
    "home": ("/", 200),
    "sign-in": ("/accounts/sign-in/", 200),
    "password reset": ("/accounts/password-reset/", 200),
    "password reset sent": ("/accounts/password-reset/sent/", 200),
    "password reset done": ("/accounts/password-reset/done/", 200),
    "password reset, expired link": ("/accounts/password-reset/MQ/expired-token/", 200),
    "not found": ("/no-such-page/", 404),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_page_has_no_wcag_violations(open_session, live_server, agency, name, language):
    page = in_language(open_session, live_server, language)
    path, status = PUBLIC_PAGES[name]
    response = page.goto(path)
    assert response is not None and response.status == status
    expect(page.locator("html")).to_have_attribute("lang", language)
    violations = axe_violations(page)
    assert not violations, report({f"{name} ({language}) {path}": violations})


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_with_errors_has_no_wcag_violations(open_session, live_server, casey, language):
    page = in_language(open_session, live_server, language)
    page.goto("/accounts/sign-in/")
    page.locator("#id_username").fill("casey")
    page.locator("#id_password").fill("not the password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, report({f"sign-in with an error ({language})": violations})


@pytest.mark.parametrize("language", LANGUAGES)
def test_choosing_a_new_password_has_no_wcag_violations(open_session, live_server, rosa, language):
    page = in_language(open_session, live_server, language)
    uid = urlsafe_base64_encode(force_bytes(rosa.pk))
    page.goto(f"/accounts/password-reset/{uid}/{default_token_generator.make_token(rosa)}/")
    expect(page.locator("#id_new_password1")).to_be_visible()
    found = {"new password": axe_violations(page)}
    page.locator("#id_new_password1").fill("a long enough passphrase")
    page.locator("#id_new_password2").fill("a different passphrase")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errorlist").first).to_be_visible()
    found["new password with errors"] = axe_violations(page)
    assert not any(found.values()), report({f"{k} ({language})": v for k, v in found.items()})


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refusal_has_no_wcag_violations(open_session, live_server, rosa, agency, language):
    rosa.preferred_language = language  # signed in, the account's language wins over the cookie
    rosa.save(update_fields=["preferred_language"])
    page = in_language(open_session, live_server, language)
    submit_password(page, rosa)
    response = page.goto(f"/a/{agency.slug}/map/")
    assert response is not None and response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", language)
    violations = axe_violations(page)
    assert not violations, report({f"403 ({language})": violations})


def _seed_map(agency: Agency) -> int:
    """A small but complete map: every table, badge, gap and the network have something in them."""
    eastside = AreaFactory.create(agency=agency, name="Eastside", slug="eastside")
    AreaFactory.create(agency=agency, name="Old Town", slug="old-town")
    copwatch: Organisation = OrganisationFactory.create(
        agency=agency,
        name="Riverside Copwatch",
        category=Category.OVERSIGHT,
        stance=Stance.CRITIC,
        sectors=[Sector.JUSTICE_CRIME],
        areas=[eastside],
        description="Films stops on Main Street.",
        website="https://copwatch.example",
    )
    union = OrganisationFactory.create(
        agency=agency,
        name="Eastside Tenants Union",
        stance=Stance.SUPPORTER,
        sectors=[Sector.HOUSING],
        areas=[eastside],
    )
    pantry = OrganisationFactory.create(
        agency=agency, name="St. Mark's Food Pantry", category=Category.FAITH
    )
    dana = ContactFactory.create(
        organisation=copwatch,
        name="Dana Ortiz",
        term_ends_on=timezone.localdate() + dt.timedelta(days=10),
    )
    InteractionFactory.create(organisation=copwatch, contact=dana, occurred_on=timezone.localdate())
    ReferralFactory.create(referrer=copwatch, referred=union, note="They run the rent clinic.")
    ReferralFactory.create(referrer=copwatch, referred=pantry)
    ReferralFactory.create(referrer=union, referred=pantry)
    return copwatch.pk


@pytest.mark.parametrize("language", LANGUAGES)
def test_community_map_pages_have_no_wcag_violations(
    open_session, live_server, casey: User, agency: Agency, language: str
):
    copwatch = _seed_map(agency)
    casey.preferred_language = language  # signed in, the account's language wins over the cookie
    casey.save(update_fields=["preferred_language"])
    base = f"/a/{agency.slug}/map/"
    page = in_language(open_session, live_server, language)
    found: dict[str, list[str]] = {}

    # The second step, while enrolling (QR code, key, code field).
    submit_password(page, casey, next_url=base)
    expect(page.locator("html")).to_have_attribute("lang", language)
    found["two-factor enrolment"] = axe_violations(page)
    pass_second_factor(page, casey)
    expect(page.locator("html")).to_have_attribute("lang", language)

    for name, path in [
        ("agency home", f"/a/{agency.slug}/"),
        ("list", base),
        ("list, filtered to nothing", base + "?q=nobody-matches-this"),
        ("coverage by CS360 area", base + "coverage/"),
        ("coverage by area", base + "coverage/?rows=area"),
        ("renewals", base + "renew/"),
        ("referral network", base + "referrals/"),
        ("worksheet", base + "worksheet/"),
        ("edit form", base + f"{copwatch}/edit/"),
        ("remove confirmation", base + f"{copwatch}/delete/"),
        ("import", base + "import/"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        found[name] = axe_violations(page)

    # The detail page with its three collapsed forms opened.
    page.goto(base + f"{copwatch}/")
    for summary in page.locator("details > summary").all():
        summary.click()
    expect(page.locator("details[open]")).to_have_count(3)
    found["detail, forms open"] = axe_violations(page)

    # A contact sent empty: the contact form comes back with its errors.
    page.locator("details").first.locator("button[type=submit]").click()
    expect(page.locator("main .errorlist").first).to_be_visible()
    found["contact form with errors"] = axe_violations(page)

    # The add form sent empty: every required field says what is missing.
    page.goto(base + "new/")
    found["add form"] = axe_violations(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errorlist").first).to_be_visible()
    found["add form with errors"] = axe_violations(page)

    # Phone first: wide tables must scroll inside a region keyboard users can reach.
    page.set_viewport_size({"width": 375, "height": 812})
    for name, path in [
        ("list", base),
        ("detail", base + f"{copwatch}/"),
        ("coverage by CS360 area", base + "coverage/"),
        ("renewals", base + "renew/"),
        ("referral network", base + "referrals/"),
        ("worksheet", base + "worksheet/"),
    ]:
        page.goto(path)
        found[f"{name} on a phone"] = axe_violations(page)

    assert not any(found.values()), report({f"{k} ({language})": v for k, v in found.items()})


@pytest.mark.parametrize("language", LANGUAGES)
def test_administrator_pages_have_no_wcag_violations(
    open_session, live_server, adam: User, casey: User, agency: Agency, language: str
):
    _seed_map(agency)
    adam.preferred_language = language
    adam.save(update_fields=["preferred_language"])
    page = in_language(open_session, live_server, language)
    sign_in(page, adam, next_url=f"/a/{agency.slug}/members/")
    found: dict[str, list[str]] = {}
    for name, path in [
        ("members", f"/a/{agency.slug}/members/"),
        ("audit log", f"/a/{agency.slug}/audit/"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        found[name] = axe_violations(page)
    # The invitation form sent empty comes back with its errors.
    page.goto(f"/a/{agency.slug}/members/")
    page.locator("main form").last.locator("button[type=submit]").click()
    expect(page.locator("main .errorlist").first).to_be_visible()
    found["members form with errors"] = axe_violations(page)
    assert not any(found.values()), report({f"{k} ({language})": v for k, v in found.items()})
