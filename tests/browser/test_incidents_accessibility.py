"""axe-core (WCAG 2.1 A and AA) on the incident pages.

Public, in English and in Spanish: the safety report for the whole agency and
for one area, and the safety map with its layers drawn. Staff, signed in: the
overview, the period report with its trend table opened, the map with every
layer drawn, the perception page, the import form with its errors and a run
page with an error table. The `open_session` fixture also fails any test
whose pages broke the CSP.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.incidents.models import ImportRun
from tests.browser.conftest import Session, sign_in
from tests.browser.test_accessibility import LANGUAGES, axe_violations, in_language, report
from tests.browser.test_incidents_browser import (
    SHAPES,
    city,
    feature_count,
    layer_url,
    refuse_tiles,
)
from tests.factories import ImportRunFactory

pytestmark = pytest.mark.browser


def wait_for_layers(page: Page, layers: tuple[str, ...]) -> None:
    """Until Leaflet has drawn one shape per feature of these layers."""
    expected = sum(feature_count(page, layer_url(page, name)) for name in layers)
    expect(page.locator(SHAPES)).to_have_count(expected)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_incident_pages_have_no_wcag_violations(
    open_session: Callable[..., Session], live_server: Any, agency: Agency, language: str
) -> None:
    north, _south = city(agency)
    page = in_language(open_session, live_server, language)
    refuse_tiles(page)
    found: dict[str, list[str]] = {}
    base = f"/p/{agency.slug}/safety/"

    for name, path in (("safety report", base), ("area report", f"{base}?area={north.pk}")):
        response = page.goto(path)
        assert response is not None and response.status == 200
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("table.rt-period-table")).to_be_visible()
        found[f"{name} ({language}) {path}"] = axe_violations(page)

    response = page.goto(f"{base}map/")
    assert response is not None and response.status == 200
    expect(page.locator("[data-incident-map]")).to_be_visible()
    wait_for_layers(page, ("areas", "hotspots"))
    found[f"safety map ({language})"] = axe_violations(page)

    assert not any(found.values()), report(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_incident_pages_without_data_have_no_wcag_violations(
    open_session: Callable[..., Session], live_server: Any, agency: Agency, language: str
) -> None:
    page = in_language(open_session, live_server, language)
    refuse_tiles(page)
    found: dict[str, list[str]] = {}
    for path in (f"/p/{agency.slug}/safety/", f"/p/{agency.slug}/safety/map/"):
        response = page.goto(path)
        assert response is not None and response.status == 200
        found[f"empty ({language}) {path}"] = axe_violations(page)
    assert not any(found.values()), report(found)


def test_staff_incident_pages_have_no_wcag_violations(
    session: Session, ana: User, agency: Agency
) -> None:
    city(agency)
    ImportRunFactory.create(
        agency=agency,
        rows=3,
        imported=2,
        error_total=1,
        errors=[{"line": 3, "column": "Date", "reason": "not a date: 'the ides of March'"}],
    )
    page = session.new_page()
    refuse_tiles(page)
    base = f"/a/{agency.slug}/incidents/"
    sign_in(page, ana, next_url=base)
    found: dict[str, list[str]] = {"overview": axe_violations(page)}

    page.goto(f"{base}report/")
    page.locator("details summary").click()
    expect(page.locator("details table")).to_be_visible()
    found["period report, trend table open"] = axe_violations(page)

    page.goto(f"{base}map/")
    expect(page.locator("[data-incident-map]")).to_be_visible()
    control = page.locator(".leaflet-control-layers")
    for name in ("Emerging hot spots", "Density", "Incidents"):
        control.locator("label", has_text=re.compile(rf"^\s*{name}\s*$")).locator("input").check()
    wait_for_layers(page, ("areas", "hotspots", "emerging", "density", "points"))
    found["map, every layer on"] = axe_violations(page)

    page.goto(f"{base}perception/")
    found["perception"] = axe_violations(page)

    page.goto(f"{base}imports/new/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    found["import form with errors"] = axe_violations(page)

    run = ImportRun.objects.get(agency=agency, error_total=1)
    page.goto(f"{base}imports/{run.pk}/")
    expect(page.locator("#run-status table")).to_have_count(2)
    found["import run with an error table"] = axe_violations(page)

    page.goto(f"{base}imports/")
    found["imports"] = axe_violations(page)

    assert not any(found.values()), report(found)
