"""The public dashboard and open data in a real browser, as a resident meets them.

A resident on a phone opens the agency's public page, follows the link to the
dashboard and reads every section: the measures with their trend, chart and
table, the survey scores with their margins of error, the "you said, we did"
figures, the priorities, the problem-solving teams, the meetings and the map of
hot spots; nothing is wider than the screen. Through the header's language
switch the dashboard comes back in Spanish. With JavaScript off the page, its
links and its tables work. The embeddable page has no site header and its own
language links. The open-data catalogue lists every dataset, a dataset's
dictionary names its fields, and its CSV download is a CSV file with no
internal measure in it. The `open_session` fixture fails any test whose pages
broke the CSP.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.opendata.registry import datasets
from tests.browser.conftest import Session
from tests.browser.month_setup import (
    DECISION,
    INTERNAL,
    MEETING,
    PRIORITY,
    PROBLEM,
    Month,
    catalogue_url,
    dashboard_url,
    embed_url,
    month_label,
    riverside_month,
)

pytestmark = pytest.mark.browser

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
ESTIMATE = re.compile(r"^\s*\d+\s*± \d+\s*$")  # a weighted score and its margin of error
# Headings whose Spanish is in the catalogue.
SPANISH_HEADINGS = [
    "Resultados de la encuesta",
    "Lo que dijo y lo que hicimos",
    "Prioridades que elegimos juntos",
    "Resolución de problemas",
    "Próximas reuniones",
    "Puntos calientes y fríos",
]


@pytest.fixture(autouse=True)
def _hot_spot_permutations(settings: Any) -> None:
    """Enough permutations for Gi* to find the North's cluster, fewer than in production."""
    settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS = 999


@pytest.fixture
def month(agency: Agency, casey: User) -> Month:
    return riverside_month(agency, casey)


def fits_the_screen(page: Page) -> None:
    """Nothing scrolls sideways: the page is no wider than the phone."""
    wide, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide <= screen, f"the page is {wide}px wide on a {screen}px screen"


def section(page: Page, key: str) -> Locator:
    return page.locator(f"section#{key}")


def _open_tables(page: Page) -> None:
    """Taps every "Figures as a table" (native <details>, no script needed)."""
    summaries = page.locator("details.rt-db-table > summary")
    for i in range(summaries.count()):
        summaries.nth(i).tap()


def _reads_every_section(page: Page, month: Month) -> None:
    """What a resident finds on the English dashboard."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("Public safety dashboard")
    toc = page.get_by_role("navigation", name="On this dashboard")
    expect(toc.get_by_role("link")).to_have_count(7)

    # Measures: the latest figure, its trend against a year earlier, the target,
    # a chart and the same figures as a table.
    measures = section(page, "measures")
    hours = measures.locator("#measure-volunteer_hours")
    expect(hours.get_by_role("heading", level=4)).to_have_text("Volunteer hours")
    expect(hours.locator(".rt-db-figure")).to_have_text("380 hours")
    expect(hours).to_contain_text(month_label())
    expect(hours).to_contain_text("Up from 260 hours a year earlier")
    expect(hours).to_contain_text("Target: 400 hours.")
    expect(hours.locator(".rt-db-off-target")).to_have_text("Not on target yet")
    expect(
        hours.get_by_role("img", name=re.compile("^Volunteer hours, period by period"))
    ).to_be_visible()
    table = hours.locator("details table")
    expect(table).to_be_hidden()
    hours.get_by_text("Figures as a table").tap()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(13)
    last = table.locator("tbody tr").last
    expect(last.locator("th")).to_have_text(month_label())
    expect(last.locator("td")).to_have_text("380 hours")
    attendance = measures.locator("#measure-school_attendance")
    expect(attendance.locator(".rt-db-figure")).to_have_text("93.4 %")
    expect(attendance.locator(".rt-db-on-target")).to_have_text("On target")
    # Oversight meetings count meetings, not people: small counts are published.
    oversight = measures.locator("#measure-oversight_meetings")
    expect(oversight.locator(".rt-db-figure")).to_have_text("3")
    oversight.get_by_text("Figures as a table").tap()
    expect(oversight.locator("tbody")).not_to_contain_text("withheld")
    expect(page.locator("main")).not_to_contain_text(INTERNAL)

    # Surveys: weighted scores, each with its margin of error, and a table.
    survey = section(page, "surveys").locator(f"#survey-{month.survey.pk}")
    expect(survey.get_by_role("heading", level=3)).to_have_text("Safety and trust in Harlow")
    expect(survey.locator(".rt-db-scores dt")).to_have_text(["Safety", "Trust"])
    expect(survey.locator(".rt-db-scores dd")).to_have_text([ESTIMATE, ESTIMATE])
    survey.get_by_text("Figures as a table").tap()
    expect(survey.locator("details tbody td")).to_have_text([ESTIMATE, ESTIMATE])

    # You said, we did: 12 safety concerns answered, 6 questions waiting.
    ledger = section(page, "ledger")
    expect(ledger).to_contain_text("18 inputs received.")
    expect(ledger).to_contain_text("67 % answered.")
    by_topic = ledger.locator("table", has=page.locator("caption", has_text="By topic"))
    safety = by_topic.locator("tr", has=page.get_by_role("rowheader", name="A safety concern"))
    expect(safety.locator("td")).to_have_text(["12", "100 %", "3.0"])

    priorities = section(page, "priorities")
    expect(priorities.get_by_role("link", name=DECISION)).to_be_visible()
    expect(priorities.locator("li")).to_have_text([f"{PRIORITY} (6 inputs)"])

    problems = section(page, "problems")
    expect(problems.get_by_role("link", name=PROBLEM)).to_be_visible()
    expect(problems).to_contain_text("0 of 1 action done.")

    meetings = section(page, "meetings")
    expect(meetings.get_by_role("link", name=MEETING)).to_be_visible()
    expect(meetings).to_contain_text("In English, Spanish")

    # The map: SVG cells and areas, the legend, and tables saying the same.
    hot = section(page, "map")
    expect(
        hot.get_by_role("img", name=re.compile("^Map of the public hexagon cells"))
    ).to_be_visible()
    expect(hot.locator("svg path.rt-db-area")).to_have_count(3)
    cells = hot.locator("table", has=page.locator("caption", has_text="significant cluster"))
    expect(cells.locator("tbody tr").first).to_contain_text("Hot spot")
    assert "SECRET ST" not in page.content()


def test_a_resident_reads_the_dashboard_on_a_phone_in_english_and_in_spanish(
    open_session: Callable[..., Session], agency: Agency, month: Month
) -> None:
    page = open_session(**PHONE).new_page()
    page.goto(reverse("inputs_public:agency", args=[agency.slug]))
    page.get_by_role("link", name=re.compile("^The public safety dashboard")).tap()
    expect(page).to_have_url(re.compile(re.escape(dashboard_url(agency)) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    fits_the_screen(page)
    _reads_every_section(page, month)
    fits_the_screen(page)  # with every table open too

    # The header's language switch: a plain POST that comes back to the dashboard.
    page.locator("#language-select").select_option("es")
    with page.expect_navigation():
        page.locator(".language-form button[type=submit]").tap()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(re.escape(dashboard_url(agency)) + "$"))
    for heading in SPANISH_HEADINGS:
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    # Figures in the Spanish way of writing them, months in Spanish.
    attendance = section(page, "measures").locator("#measure-school_attendance")
    expect(attendance.locator(".rt-db-figure")).to_have_text("93,4 %")
    expect(section(page, "measures").locator("#measure-volunteer_hours")).to_contain_text(
        month_label("es")
    )
    survey_scores = section(page, "surveys").locator(".rt-db-scores dd")
    expect(survey_scores).to_have_text([ESTIMATE, ESTIMATE])
    _open_tables(page)
    fits_the_screen(page)


def test_without_javascript_the_dashboard_and_its_tables_work(
    open_session: Callable[..., Session], agency: Agency, month: Month
) -> None:
    page = open_session(java_script_enabled=False, **PHONE).new_page()
    page.goto(dashboard_url(agency))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Public safety dashboard")
    # The contents' links are plain anchors.
    page.get_by_role("navigation", name="On this dashboard").get_by_role(
        "link", name="Meetings"
    ).tap()
    expect(page).to_have_url(re.compile(r"#meetings$"))
    expect(section(page, "meetings").get_by_role("link", name=MEETING)).to_be_in_viewport()
    # Every chart's table opens without a script, and the map's tables are there.
    for summary in page.locator("details.rt-db-table > summary").all():
        summary.tap()
    for table in page.locator("details.rt-db-table table").all():
        expect(table).to_be_visible()
    expect(section(page, "measures").locator("#measure-volunteer_hours tbody tr")).to_have_count(13)
    expect(section(page, "map").locator("table")).to_have_count(2)
    for table in section(page, "map").locator("table").all():
        expect(table).to_be_visible()
    expect(section(page, "ledger").locator("table").first).to_be_visible()


def test_the_embeddable_dashboard_has_no_site_header_and_its_own_languages(
    open_session: Callable[..., Session], agency: Agency, month: Month
) -> None:
    page = open_session(**PHONE).new_page()
    page.goto(embed_url(agency))
    expect(page.locator("header.site-header")).to_have_count(0)
    expect(page.locator("form")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Public safety dashboard")
    for key in ("measures", "surveys", "ledger", "priorities", "problems", "meetings", "map"):
        expect(section(page, key)).to_be_visible()
    expect(
        section(page, "measures").locator("#measure-volunteer_hours .rt-db-figure")
    ).to_have_text("380 hours")
    fits_the_screen(page)
    # A frame gets no language cookie: the page links to its other language.
    page.get_by_role("link", name="Español").tap()
    expect(page).to_have_url(re.compile(r"\?lang=es$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=2, name="Próximas reuniones")).to_be_visible()
    # Links leave the frame: the page opens them in the window around it.
    expect(page.locator("base")).to_have_attribute("target", "_top")


def test_the_open_data_catalogue_lists_datasets_and_a_csv_downloads(
    open_session: Callable[..., Session], agency: Agency, month: Month
) -> None:
    page = open_session(**PHONE).new_page()
    page.goto(dashboard_url(agency))
    section(page, "open-data").get_by_role("link", name="Open data").tap()
    expect(page).to_have_url(re.compile(re.escape(catalogue_url(agency)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open data")
    expect(page.locator("#licence")).to_contain_text("CC BY 4.0")
    listed = page.locator("table.rt-od-catalogue tbody tr")
    expect(listed).to_have_count(len(datasets()))
    expect(listed.locator("th a")).to_have_text([str(d.title) for d in datasets()])
    fits_the_screen(page)

    measures = page.locator("#dataset-measures")
    measures.get_by_role("link", name="Data dictionary").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures")
    fields = page.locator("table", has=page.locator("caption", has_text="Fields"))
    expect(fields.locator("tbody tr").first.locator("th")).to_have_text("id")
    fits_the_screen(page)

    csv_link = page.get_by_role("link", name="CSV", exact=True)
    href = csv_link.get_attribute("href")
    assert href is not None and href.endswith("/measures.csv")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    body = response.text().removeprefix("\ufeff")  # the BOM spreadsheets look for
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {row["id"] for row in rows} == {
        "volunteer_hours",
        "school_attendance",
        "oversight_meetings",
    }
    assert "officer_injuries" not in body and INTERNAL not in body
