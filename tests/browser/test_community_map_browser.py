"""The Community Map in a real browser: Casey's journey, in English and in Spanish.

Casey Coordinator signs in for the first time (password, then enrolling an
authenticator), maps a critic, logs the relationship and follows it through
renewals, coverage, the referral network and the printable worksheet. Rosa
Resident, who has no business on the map, is refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.stakeholders.models import Category, Organisation, Sector, Stance
from tests.browser.conftest import pass_second_factor, sign_in, submit_password
from tests.factories import (
    AreaFactory,
    ContactFactory,
    InteractionFactory,
    OrganisationFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.browser

GAP_BACKGROUND = "rgb(255, 241, 194)"  # --gap in app.css


def map_url(agency: Agency, rest: str = "") -> str:
    return f"/a/{agency.slug}/map/{rest}"


def spanish(english: str) -> str:
    """The catalogue's Spanish for `english`; fails if the catalogue has none."""
    with translation.override("es"):
        text = gettext(english)
    assert text != english, f"{english!r} has no Spanish translation in django.po"
    return text


def field(scope: Page | Locator, label: str) -> Locator:
    """The form control labelled `label` (Django's label_tag adds a colon)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def table_rows(page: Page, table_id: str = "#organisation-table"):
    return page.locator(f"{table_id} tbody tr")


@pytest.fixture
def eastside(agency: Agency) -> Area:
    area: Area = AreaFactory.create(agency=agency, name="Eastside", slug="eastside")
    return area


@pytest.fixture
def tenants_union(agency: Agency, eastside: Area) -> Organisation:
    union: Organisation = OrganisationFactory.create(
        agency=agency,
        name="Eastside Tenants Union",
        category=Category.COMMUNITY_GROUP,
        stance=Stance.SUPPORTER,
        sectors=[Sector.HOUSING],
        areas=[eastside],
    )
    return union


def test_casey_maps_a_critic_and_follows_the_relationship_through(
    page: Page, casey: User, agency: Agency, eastside: Area, tenants_union: Organisation
):
    # First sign-in: password, then enrol an authenticator from the QR code.
    submit_password(page, casey, next_url=map_url(agency))
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    device = TOTPDevice.objects.get(user=casey, confirmed=False)
    shown_key = page.locator("main code").inner_text()
    assert shown_key == base64.b32encode(device.bin_key).decode().rstrip("=")
    pass_second_factor(page, casey)
    assert TOTPDevice.objects.filter(user=casey, confirmed=True).count() == 1

    # Straight on to the Community Map, where the request started.
    expect(page).to_have_url(re.compile(re.escape(map_url(agency)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Community Map")

    # Add a critic, with a CS360 area and a neighbourhood.
    page.get_by_role("link", name="Add an organisation or person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add to the Community Map")
    field(page, "Name").fill("Riverside Copwatch")
    field(page, "Category").select_option(label="Advocacy or oversight body")
    field(page, "Justice and crime").check()
    field(page, "Eastside").check()
    field(page, "Stance toward the agency").select_option(label="Critic")
    field(page, "Why this stance").fill(
        "Films every stop on Main Street; wants a civilian review board."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Riverside Copwatch is on the Community Map.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Copwatch")

    # It is on the list, and filtering by stance keeps only the critic.
    page.get_by_role("navigation", name="Agency").get_by_role("link", name="Community Map").click()
    rows = table_rows(page)
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Riverside Copwatch")).to_contain_text("Eastside")
    field(page, "Stance").select_option(label="Critic")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Riverside Copwatch")
    expect(rows.first.locator(".badge")).to_have_text("Critic")

    # Open it and add a contact whose term ends in ten days.
    page.get_by_role("link", name="Riverside Copwatch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Copwatch")
    term_ends = timezone.localdate() + dt.timedelta(days=10)
    adding = page.locator("details", has=page.get_by_text("Add a contact", exact=True))
    adding.locator("summary").click()
    field(adding, "Name").fill("Dana Ortiz")
    field(adding, "Role").fill("Chair")
    field(adding, "Email").fill("dana@copwatch.example")
    field(adding, "Term ends on").fill(term_ends.isoformat())
    adding.get_by_role("button", name="Add contact").click()
    expect(page.locator(".messages")).to_contain_text("Contact added.")
    contacts = page.locator("table", has=page.locator("caption", has_text="Contacts"))
    expect(contacts.locator("tbody tr")).to_contain_text(["Dana Ortiz"])

    # Log an interaction with her.
    logging_form = page.locator("details", has=page.get_by_text("Log an interaction", exact=True))
    logging_form.locator("summary").click()
    field(logging_form, "Kind").select_option(label="Meeting")
    field(logging_form, "Date").fill(timezone.localdate().isoformat())
    field(logging_form, "With").select_option(label="Dana Ortiz")
    field(logging_form, "Summary").fill("Agreed to co-host a listening session in March.")
    logging_form.get_by_role("button", name="Log interaction").click()
    expect(page.locator(".messages")).to_contain_text("Interaction logged.")
    interactions = page.locator("table", has=page.locator("caption", has_text="Interactions"))
    expect(interactions.locator("tbody tr").first).to_contain_text("co-host a listening session")

    # Copwatch recommends the tenants' union.
    referring = page.locator(
        "details", has=page.get_by_text("Record a referral from this organisation")
    )
    referring.locator("summary").click()
    field(referring, "Organisation they recommended").select_option(label="Eastside Tenants Union")
    field(referring, "Note").fill("They run the rent clinic.")
    referring.get_by_role("button", name="Record referral").click()
    expect(page.locator(".messages")).to_contain_text("Referral recorded.")
    recommended = page.locator("h3", has_text=re.compile("^Recommended$")).locator("+ ul")
    expect(recommended.get_by_role("link", name="Eastside Tenants Union")).to_be_visible()

    # Dana's term is ending: she is on the "To renew" page.
    nav = page.get_by_role("navigation", name="Agency")
    nav.get_by_role("link", name="To renew").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relationships to renew")
    ending = page.locator("table", has=page.locator("caption", has_text="Contact terms ending"))
    expect(ending.locator("tbody tr")).to_have_count(1)
    expect(ending.locator("tbody tr")).to_contain_text("Dana Ortiz")
    expect(ending.locator("tbody tr")).to_contain_text("Riverside Copwatch")

    # The coverage matrix counts Copwatch and highlights the gaps.
    nav.get_by_role("link", name="Coverage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage of the Community Map")
    matrix = page.locator("table.coverage")
    oversight_column = [str(label) for _key, label in Category.choices].index(
        "Advocacy or oversight body"
    )
    justice = matrix.locator(
        "tbody tr", has=page.get_by_role("rowheader", name="Justice and crime")
    )
    cell = justice.locator("td").nth(oversight_column)
    expect(cell).to_have_text("1")
    expect(cell).not_to_have_class(re.compile(r"\bgap\b"))
    gaps = matrix.locator("td.gap")
    assert gaps.count() > 0
    expect(gaps.first).to_have_css("background-color", GAP_BACKGROUND)
    expect(gaps.first).to_contain_text("gap:")  # said, not only coloured

    # The referral network draws both organisations and the arrow between them.
    nav.get_by_role("link", name="Referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral network")
    network = page.locator("figure.network svg")
    expect(network).to_be_visible()
    expect(network).to_have_accessible_name("Referral network")
    expect(network.locator("circle.node")).to_have_count(2)
    expect(network.locator("circle.node.critic")).to_have_count(1)
    expect(network.locator("circle.node.supporter")).to_have_count(1)
    expect(network.locator("line.edge")).to_have_count(1)
    expect(page.locator("table tbody tr").first).to_contain_text("Riverside Copwatch")

    # The printable worksheet lists Copwatch under its CS360 area; print hides the chrome.
    page.goto(map_url(agency))
    page.get_by_role("link", name="Printable worksheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Community Map worksheet — Riverside Police Department"
    )
    justice_section = page.locator(
        ".worksheet section", has=page.get_by_role("heading", name="Justice and crime")
    )
    expect(justice_section).to_contain_text("Riverside Copwatch (Critic)")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".worksheet")).to_be_visible()


def test_casey_reads_the_community_map_in_spanish(
    page: Page, casey: User, agency: Agency, eastside: Area, tenants_union: Organisation
):
    copwatch = OrganisationFactory.create(
        agency=agency,
        name="Riverside Copwatch",
        category=Category.OVERSIGHT,
        stance=Stance.CRITIC,
        sectors=[Sector.JUSTICE_CRIME],
        areas=[eastside],
    )
    ContactFactory.create(
        organisation=copwatch,
        name="Dana Ortiz",
        term_ends_on=timezone.localdate() + dt.timedelta(days=10),
    )
    InteractionFactory.create(organisation=copwatch, occurred_on=timezone.localdate())
    ReferralFactory.create(referrer=copwatch, referred=tenants_union)
    sign_in(page, casey, next_url=map_url(agency))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The header's language form: a plain POST with a select and a button.
    page.locator("#language-select").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(re.escape(map_url(agency)) + "$"))
    casey.refresh_from_db()
    assert casey.preferred_language == "es"

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(spanish("Community Map"))
    expect(page.get_by_role("button", name=spanish("Filter"))).to_be_visible()
    expect(page.get_by_role("columnheader", name=spanish("Stance"))).to_be_visible()
    copwatch_row = table_rows(page).filter(has_text="Riverside Copwatch")
    expect(copwatch_row.locator(".badge")).to_have_text(spanish("Critic"))
    expect(page.get_by_role("link", name=spanish("Add an organisation or person"))).to_be_visible()
    assert "Add an organisation or person" not in page.locator("main").inner_text()

    page.get_by_role("link", name="Riverside Copwatch").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name=spanish("Contacts"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=spanish("Interactions"), exact=True)).to_be_visible()
    expect(page.locator("summary", has_text=spanish("Add a contact"))).to_be_visible()

    nav = page.get_by_role("navigation", name=spanish("Agency"))
    for link, title in [
        ("To renew", "Relationships to renew"),
        ("Coverage", "Coverage of the Community Map"),
        ("Referrals", "Referral network"),
    ]:
        nav.get_by_role("link", name=spanish(link), exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(heading).to_have_text(spanish(title))
    expect(page.locator("#network-title")).to_have_text(spanish("Referral network"))

    page.goto(map_url(agency, "worksheet/"))
    expect(heading).to_contain_text(spanish("Community Map worksheet"))
    expect(page.locator(".worksheet")).to_contain_text(f"Riverside Copwatch ({spanish('Critic')})")


def test_the_language_change_is_confirmed_in_the_new_language(page: Page):
    page.goto("/")
    page.locator("#language-select").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".messages")).to_have_text(spanish("Language changed."), timeout=1_000)


def test_the_search_box_filters_in_place_and_also_without_javascript(
    open_session, casey: User, ana: User, agency: Agency, tenants_union: Organisation
):
    OrganisationFactory.create(agency=agency, name="Riverside Copwatch", stance=Stance.CRITIC)
    OrganisationFactory.create(
        agency=agency, name="St. Mark's Food Pantry", category=Category.FAITH
    )

    # With JavaScript: htmx swaps the table; the page itself never reloads.
    page = open_session().new_page()
    sign_in(page, casey, next_url=map_url(agency))
    rows = table_rows(page)
    expect(rows).to_have_count(3)
    page.evaluate("window.loadedOnce = true")
    with page.expect_response(
        lambda r: "q=copw" in r.url and r.request.headers.get("hx-request") == "true"
    ) as partial:
        field(page, "Search").press_sequentially("copw", delay=50)
    body = partial.value.text()
    assert "<html" not in body and "Riverside Copwatch" in body
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Riverside Copwatch")
    expect(page.locator("#result-count")).to_have_text("1 entry")  # the live region stays, updated
    assert page.evaluate("window.loadedOnce") is True, "the page reloaded"
    expect(page).to_have_url(re.compile(r"[?&]q=copw"))  # hx-push-url: the filter is shareable

    # Without JavaScript (Ana, another reader of the map): the same form submits normally.
    plain = open_session(java_script_enabled=False).new_page()
    sign_in(plain, ana, next_url=map_url(agency))
    plain_rows = table_rows(plain)
    expect(plain_rows).to_have_count(3)
    field(plain, "Search").fill("pantry")
    with plain.expect_navigation():
        plain.get_by_role("button", name="Filter").click()
    expect(plain).to_have_url(re.compile(r"[?&]q=pantry"))
    expect(plain_rows).to_have_count(1)
    expect(plain_rows.first).to_contain_text("St. Mark's Food Pantry")


def test_a_resident_is_refused_the_community_map(page: Page, rosa: User, agency: Agency):
    sign_in(page, rosa)
    assert "/accounts/two-factor/" not in page.url  # residents have no second step
    response = page.goto(map_url(agency))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(page.locator("main")).not_to_contain_text("Community Map")
