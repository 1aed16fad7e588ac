"""The monthly meeting pack in a real browser, tried as command staff would.

Cleo (command staff, TOTP passed) opens the agency's home, follows the link to
the meeting packs and opens last month's: the at-a-glance figures, the CompStat
period table, the measures against target (an internal one too, marked), the
survey scores with their margins of error, the problem-solving team and its
overdue action, the response ledger and the meeting ahead. She switches to
Spanish, and downloads the PDF. Ana (analyst) issues the pack; its permanent
link then says it was issued, and by whom, and the list of months marks it.
Pat, the school district's representative, follows the header's link to share
last month's attendance through the form; Casey approves it, and the public
dashboard shows it. The `open_session` fixture fails any test whose pages
broke the CSP.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.compstat.models import MeetingPack
from roundtable.measures.models import MeasureValue, PartnerSubmission, ValueSource
from tests.browser.conftest import Session, sign_in
from tests.browser.month_setup import (
    A_YEAR_EARLIER,
    BURGLARIES,
    CLUSTER,
    MEETING,
    MONTH,
    MONTH_KEY,
    OVERDUE_ACTION,
    PROBLEM,
    SCHOOL_DISTRICT,
    WIDE,
    Month,
    dashboard_url,
    data_sharer,
    month_label,
    pack_url,
    riverside_month,
)
from tests.factories import verified_totp

pytestmark = pytest.mark.browser

ESTIMATE = re.compile(r"^\s*\d+\s*± \d+\s*$")  # a weighted score and its margin of error


@pytest.fixture(autouse=True)
def _hot_spot_permutations(settings: Any) -> None:
    """The dashboard's map at the end of the partner's test: fewer permutations."""
    settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS = 99


@pytest.fixture
def month(agency: Agency, casey: User) -> Month:
    return riverside_month(agency, casey)


def _reads_the_pack(page: Page) -> None:
    """What last month's pack holds (the English page)."""
    glance = page.locator("#at-a-glance li")
    crimes = CLUSTER + WIDE + BURGLARIES
    expect(glance.nth(0)).to_have_text(
        f"{crimes} crimes in the last 28 days ({A_YEAR_EARLIER} a year earlier)"
    )
    expect(page.locator("#at-a-glance")).to_contain_text("1 overdue response action")

    period = page.locator("#period-table table")
    expect(period.locator("caption")).to_have_text("Incidents by period, against a year earlier")
    theft = period.locator("tbody tr", has=page.get_by_role("rowheader", name="Theft"))
    # Last 28 days: count, a year earlier, change (the second group of three cells).
    expect(theft.locator("td").nth(3)).to_have_text(str(CLUSTER + WIDE))
    expect(theft.locator("td").nth(4)).to_have_text(str(A_YEAR_EARLIER))
    expect(theft.locator("td").nth(5)).to_contain_text("significant rise")

    measures = page.locator("#measures")
    hours = measures.locator("#measure-volunteer_hours")
    expect(hours.locator("td").nth(0)).to_contain_text("380")
    expect(hours.locator("td").nth(0)).to_contain_text(month_label())
    expect(hours.locator("td").nth(3)).to_have_text("400")
    expect(hours.locator(".rt-pack-off")).to_contain_text("off target")
    attendance = measures.locator("#measure-school_attendance")
    expect(attendance.locator(".rt-pack-on")).to_contain_text("on target")
    expect(attendance.get_by_role("rowheader")).to_contain_text(SCHOOL_DISTRICT)
    # Staff see the internal measure, marked as such.
    expect(measures.locator("#measure-officer_injuries").get_by_role("rowheader")).to_contain_text(
        "internal"
    )
    figures = hours.locator("details table")
    hours.locator("details summary").click()
    expect(figures).to_be_visible()
    expect(figures.locator("tbody tr").last).to_contain_text(month_label())

    surveys = page.locator("#surveys table")
    expect(surveys.locator("th[scope=rowgroup]")).to_contain_text("Safety and trust in Harlow")
    expect(surveys.locator("tbody td:nth-of-type(1)")).to_have_text(["Trust", "Safety"])
    expect(surveys.locator("tbody td:nth-of-type(2)")).to_have_text([ESTIMATE, ESTIMATE])

    team = page.locator("#problems article")
    expect(team.get_by_role("heading", level=3)).to_have_text(PROBLEM)
    expect(team).to_contain_text("0 of 1 response actions done")
    expect(team.locator(".rt-pack-overdue li")).to_have_count(1)
    expect(team.locator(".rt-pack-overdue li")).to_contain_text(OVERDUE_ACTION)

    ledger = page.locator("#ledger table")
    expect(ledger.locator("tfoot th")).to_have_text("All topics")
    # Received, answered, due, on time, median days, overdue at the end.
    expect(ledger.locator("tfoot td")).to_have_text(["18", "12", "6", "0 %", "3.0", "6"])

    meetings = page.locator("#meetings")
    expect(meetings.get_by_role("link", name=MEETING)).to_be_visible()


def test_command_staff_open_last_months_pack_in_both_languages_and_print_it(
    session: Session, agency: Agency, cleo: User, month: Month
) -> None:
    verified_totp(cleo)
    page = session.new_page()
    sign_in(page, cleo, next_url=reverse("core:agency_home", args=[agency.slug]))
    page.locator("#agency-meeting-packs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monthly meeting packs")
    page.locator("#pack-months").get_by_role("link", name=month_label(), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(pack_url(agency)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Meeting pack · {month_label()}")
    expect(page.locator("#pack-status")).to_have_text("Draft: figures may still change.")
    _reads_the_pack(page)

    # In Spanish: the account remembers the choice.
    page.locator("#language-select").select_option("es")
    with page.expect_navigation():
        page.locator(".language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(re.escape(pack_url(agency)) + "$"))
    period = page.locator("#period-table table")
    expect(period.locator("caption")).to_have_text("Incidentes por período, frente a un año antes")
    expect(period.locator("thead")).to_contain_text("Últimos 28 días")
    expect(
        page.get_by_role("heading", level=2, name="Equipos de resolución de problemas")
    ).to_be_visible()
    expect(page.locator("#surveys tbody td:nth-of-type(1)")).to_have_text(
        ["Confianza", "Seguridad"]
    )
    expect(page.locator("#ledger table thead")).to_contain_text("Mediana de días para responder")
    cleo.refresh_from_db()
    assert cleo.preferred_language == "es"

    # The PDF to print: the same address with /pdf/, for the same signed-in person.
    href = page.locator("#pack-pdf-link").get_attribute("href")
    assert href is not None
    assert href.startswith(reverse("compstat:pdf", args=[agency.slug, MONTH_KEY]))
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert f"meeting-pack-{agency.slug}-{MONTH_KEY}.pdf" in response.headers["content-disposition"]
    assert response.body().startswith(b"%PDF")


def test_an_analyst_issues_the_pack_and_its_permanent_link_says_so(
    open_session: Callable[..., Session], agency: Agency, ana: User, cleo: User, month: Month
) -> None:
    verified_totp(ana)
    page = open_session().new_page()
    sign_in(page, ana, next_url=pack_url(agency))
    expect(page.locator("#pack-status")).to_contain_text("Draft")
    with page.expect_navigation():
        page.locator("#pack-issue-form").get_by_role("button", name="Issue this pack").click()
    expect(page).to_have_url(re.compile(re.escape(pack_url(agency)) + "$"))
    expect(page.locator("main .messages")).to_contain_text(f"The pack of {month_label()} is issued")
    expect(page.locator("#pack-status")).to_contain_text("Issued on")
    expect(page.locator("#pack-issue-form")).to_have_count(0)
    expect(page.locator("#pack-live-link")).to_be_visible()
    packs = MeetingPack.objects.filter(agency=agency, month=MONTH, area=None)
    assert sorted(p.language for p in packs) == ["en", "es"]
    assert {p.issued_by for p in packs} == {ana}

    # Another reader opens the permanent link: the issued pack, said to be so.
    verified_totp(cleo)
    reader = open_session().new_page()
    sign_in(reader, cleo, next_url=pack_url(agency))
    status = reader.locator("#pack-status")
    expect(status).to_contain_text("Issued on")
    expect(status).to_contain_text(f"by {ana.get_full_name() or ana.username}.")
    expect(status).to_contain_text("These are the figures the meeting saw.")
    _reads_the_pack(reader)
    reader.get_by_role("link", name="All months").click()
    row = reader.locator(
        "#pack-months tbody tr", has=reader.get_by_role("link", name=month_label())
    )
    expect(row.locator(".badge")).to_have_text("issued")


def test_a_partner_shares_a_figure_and_a_coordinator_approves_it(
    open_session: Callable[..., Session],
    agency: Agency,
    casey: User,
    pat: User,
    month: Month,
) -> None:
    data_sharer(agency, month.school_district, casey, pat)
    partner = open_session().new_page()
    sign_in(partner, pat, next_url=reverse("core:agency_home", args=[agency.slug]))
    partner.get_by_role("navigation", name="Agency").get_by_role(
        "link", name="Share figures"
    ).click()
    expect(partner.get_by_role("heading", level=1)).to_contain_text("Share figures")
    expect(partner.locator("main")).to_contain_text(SCHOOL_DISTRICT)
    partner.get_by_role("link", name="School attendance").click()
    partner.get_by_label("Period").fill(MONTH_KEY)
    partner.get_by_label("Value").fill("93.1")
    partner.get_by_label("Where the figure comes from").fill(
        "Attendance system extract, all district schools"
    )
    with partner.expect_navigation():
        partner.get_by_role("button", name="Send for approval").first.click()
    expect(partner.locator("main .messages")).to_contain_text(
        "The figures wait for the agency's approval."
    )
    shared = partner.locator("main table tbody tr")
    expect(shared).to_have_count(1)
    expect(shared.locator(".badge")).to_have_text("Waiting for approval")
    assert not MeasureValue.objects.filter(measure=month.school_attendance, period_start=MONTH)

    verified_totp(casey)
    staff = open_session().new_page()
    sign_in(staff, casey, next_url=reverse("measures:submissions", args=[agency.slug]))
    queue = staff.locator("main table tbody tr")
    expect(queue).to_have_count(1)
    expect(queue).to_contain_text(SCHOOL_DISTRICT)
    queue.get_by_role("link").click()
    figures = staff.locator("main table")
    expect(figures.locator("tbody th")).to_have_text(month_label())
    expect(figures.locator("tbody td").nth(1)).to_contain_text("93.1")
    staff.get_by_label("Note").fill("Matches the district's monthly report.")
    with staff.expect_navigation():
        staff.get_by_role("button", name=re.compile("^Approve")).click()
    expect(staff.locator("main .messages")).to_contain_text("Approved")
    expect(staff.locator("main table tbody tr .badge")).to_have_text("Approved")

    value = MeasureValue.objects.get(measure=month.school_attendance, period_start=MONTH, area=None)
    assert value.value == 93.1 and value.source == ValueSource.PARTNER
    assert value.submission is not None
    assert value.submission.status == PartnerSubmission.Status.APPROVED

    # The partner sees it approved; the public dashboard shows the new figure.
    partner.reload()
    expect(partner.locator("main table tbody tr .badge")).to_have_text("Approved")
    public = open_session().new_page()
    public.goto(dashboard_url(agency))
    attendance = public.locator("#measure-school_attendance")
    expect(attendance.locator(".rt-db-figure")).to_have_text("93.1 %")
    expect(attendance).to_contain_text(month_label())
