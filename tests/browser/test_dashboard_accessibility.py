"""axe-core (WCAG 2.1 A and AA) on the pages issue 8 added.

Every public page, in English and in Spanish: the dashboard on a desktop and on
a phone (every chart's table opened), its embeddable twin, the dashboard of an
agency that has published nothing yet, the open-data catalogue and a dataset's
dictionary (one with a geometry). Then the staff
pages: last month's meeting pack (a measure's figures opened), the list of
months and two months side by side, the measures, a measure, a partner's
submission under review, and the partner's form to share a figure, sent back
with errors. The `open_session` fixture also fails any test whose pages broke
the CSP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.compstat import months
from tests.browser.conftest import Session, sign_in
from tests.browser.month_setup import (
    MONTH,
    MONTH_KEY,
    Month,
    catalogue_url,
    dashboard_url,
    data_sharer,
    embed_url,
    pack_url,
    riverside_month,
)
from tests.browser.test_accessibility import LANGUAGES, axe_violations, in_language, report
from tests.browser.test_dashboard_browser import PHONE
from tests.factories import PartnerSubmissionFactory, verified_totp

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _hot_spot_permutations(settings: Any) -> None:
    settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS = 999


@pytest.fixture
def month(agency: Agency, casey: User) -> Month:
    return riverside_month(agency, casey)


def _open_details(page: Page) -> None:
    """Opens every collapsed table, so that axe reads them too."""
    summaries = page.locator("main details > summary")
    for i in range(summaries.count()):
        summaries.nth(i).click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_dashboard_and_open_data_pages_have_no_wcag_violations(
    open_session: Callable[..., Session],
    live_server: Any,
    agency: Agency,
    other_agency: Agency,
    month: Month,
    language: str,
) -> None:
    page = in_language(open_session, live_server, language)
    found: dict[str, list[str]] = {}

    def check(name: str, target: Page) -> None:
        expect(target.locator("html")).to_have_attribute("lang", language)
        found[f"{name} ({language}) {target.url}"] = axe_violations(target)

    page.goto(dashboard_url(agency))
    _open_details(page)
    expect(page.locator("details.rt-db-table table").first).to_be_visible()
    check("dashboard, desktop", page)

    phone = open_session(**PHONE)
    phone.context.add_cookies(
        [{"name": "roundtable_language", "value": language, "url": live_server.url}]
    )
    small = phone.new_page()
    small.goto(dashboard_url(agency))
    _open_details(small)
    check("dashboard, phone", small)

    page.goto(f"{embed_url(agency)}?lang={language}")
    check("embeddable dashboard", page)

    page.goto(dashboard_url(other_agency))
    expect(page.locator("#measures .rt-db-card")).to_have_count(0)
    check("dashboard with nothing published yet", page)

    page.goto(catalogue_url(agency))
    check("open data catalogue", page)

    for key in ("measures", "hotspots"):
        response = page.goto(reverse("opendata:dataset", args=[agency.slug, key]))
        assert response is not None and response.status == 200
        check(f"data dictionary of {key}", page)

    assert not any(found.values()), report(found)


def test_staff_pack_and_measures_pages_have_no_wcag_violations(
    open_session: Callable[..., Session],
    agency: Agency,
    cleo: User,
    casey: User,
    pat: User,
    month: Month,
) -> None:
    found: dict[str, list[str]] = {}
    verified_totp(cleo)
    page = open_session().new_page()
    sign_in(page, cleo, next_url=pack_url(agency))
    page.locator("#measure-volunteer_hours details summary").click()
    expect(page.locator("#measure-volunteer_hours details table")).to_be_visible()
    found["meeting pack"] = axe_violations(page)
    previous = months.key(months.shift(MONTH, -1))
    for name, path in {
        "months": reverse("compstat:index", args=[agency.slug]),
        "two months": reverse("compstat:compare", args=[agency.slug, previous, MONTH_KEY]),
    }.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        found[name] = axe_violations(page)

    submission = PartnerSubmissionFactory.create(
        measure=month.school_attendance, organisation=month.school_district
    )
    verified_totp(casey)
    staff = open_session().new_page()
    sign_in(staff, casey, next_url=reverse("measures:home", args=[agency.slug]))
    found["measures"] = axe_violations(staff)
    for name, path in {
        "a measure": reverse("measures:detail", args=[agency.slug, month.volunteer_hours.pk]),
        "a submission to review": reverse("measures:submission", args=[agency.slug, submission.pk]),
    }.items():
        response = staff.goto(path)
        assert response is not None and response.status == 200, path
        found[name] = axe_violations(staff)

    data_sharer(agency, month.school_district, casey, pat)
    partner = open_session().new_page()
    sign_in(
        partner,
        pat,
        next_url=reverse("measures:share_measure", args=[agency.slug, month.school_attendance.pk]),
    )
    with partner.expect_navigation():
        partner.get_by_role("button", name="Send for approval").first.click()
    expect(partner.locator("main .errorlist").first).to_be_visible()
    found["share a figure, with errors"] = axe_violations(partner)

    assert not any(found.values()), report(found)
