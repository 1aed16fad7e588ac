"""Incident data in a real browser, as its users meet it.

Ana the analyst imports a real Chicago export into an agency whose beats are
already loaded and reads the run (and, for a broken file, its error table).
Cleo (command) reads the CompStat period report: a significant change said in
words, the weekly trend and its table, another area, the CSV. On the staff
map Leaflet draws the areas, the hot-spot cells and, when turned on, the
incident points; without JavaScript the table of hot spots stands in. A
resident on a phone reads the public safety page and map in English and in
Spanish: no incident point, block or sensitive offence, small counts withheld,
and it all works without JavaScript. No page may break the CSP.

Map tiles are refused in the browser (the test network is closed): the layers
are drawn by Leaflet whether tiles arrive or not.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.incidents.models import ImportRun, Incident, IncidentArea
from roundtable.incidents.services_areas import boundaries_import
from tests.browser.conftest import Session, sign_in
from tests.factories import AreaBoundaryFactory
from tests.incidents.helpers import AS_OF, incident

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "incidents"
CHICAGO = FIXTURES / "chicago.csv"
BEATS = FIXTURES / "chicago-beats.shp"
PHONE = {"width": 390, "height": 844}
BLOCKS = ("SECRET ST", "QUIET AVE", "HIDDEN PL", "HOME DR", "SPREAD ST")
# Every SVG shape Leaflet drew for the GeoJSON layers (areas, cells, points).
SHAPES = ".leaflet-overlay-pane svg path"
# Thefts in the North over the last 20 days, a tight cluster and a wider one:
# enough for Gi* to find hot spots at the staff's and at the public's resolution.
CLUSTER = 120
WIDE = 72


def refuse_tiles(page: Page) -> None:
    """The closed test network has no tile server; answer at once instead of timing out."""

    def abort(route: Route) -> None:
        route.abort()

    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), abort)


def city(agency: Agency) -> tuple[Area, Area]:
    """Two districts with square boundaries: 192 thefts clustered in the North
    (against 5 a year earlier), 3 burglaries in the South, sensitive incidents,
    and 40 thefts spread thinly around, all with blocks and points the public
    must never see."""
    north = AreaBoundaryFactory.create(
        area__agency=agency,
        area__name="North District",
        area__slug="north",
        area__kind=Area.Kind.DISTRICT,
        corner=(-87.71, 41.89),
        size=0.03,
    ).area
    south = AreaBoundaryFactory.create(
        area__agency=agency,
        area__name="South District",
        area__slug="south",
        area__kind=Area.Kind.DISTRICT,
        corner=(-87.71, 41.79),
        size=0.03,
    ).area
    for i in range(CLUSTER):
        incident(
            agency,
            AS_OF - dt.timedelta(days=i % 20),
            areas=(north,),
            latitude=41.900317 + (i % 6) * 0.000813,
            longitude=-87.700271 + (i // 6 % 6) * 0.000807,
            block="001XX N SECRET ST",
        )
    # The same spread over about 2 km, so that the public's coarser cells find it too.
    for i in range(WIDE):
        incident(
            agency,
            AS_OF - dt.timedelta(days=i % 20),
            areas=(north,),
            latitude=41.8955 + (i % 6) * 0.004,
            longitude=-87.705 + (i // 6 % 6) * 0.004,
            block="001XX N SECRET ST",
        )
    for i in range(5):
        incident(
            agency,
            AS_OF - dt.timedelta(days=364 + i),
            areas=(north,),
            latitude=41.905123 + i * 0.0005,
            longitude=-87.695345,
            block="001XX N SECRET ST",
        )
    for i in range(3):
        incident(
            agency,
            AS_OF,
            "burglary",
            areas=(south,),
            latitude=41.801234 + i * 1.37e-4,
            longitude=-87.698713,
            block="002XX S QUIET AVE",
        )
    for i in range(6):
        incident(
            agency,
            AS_OF,
            "sexual_assault",
            areas=(north,),
            latitude=41.912347 + i * 1.37e-4,
            longitude=-87.691137,
            block="003XX W HIDDEN PL",
        )
        incident(
            agency,
            AS_OF,
            "simple_assault",
            sensitive=True,
            areas=(north,),
            latitude=41.923471 + i * 1.37e-4,
            longitude=-87.682213,
            block="004XX E HOME DR",
        )
    # A sparse spread of single thefts around, in no area: against it Gi* finds the cluster.
    for i in range(40):
        incident(
            agency,
            AS_OF - dt.timedelta(days=i % 28),
            latitude=41.80 + (i % 8) * 0.02,
            longitude=-87.60 - (i // 8) * 0.02,
            block="005XX S SPREAD ST",
        )
    return north, south


def feature_count(page: Page, url: str) -> int:
    """How many features a GeoJSON layer address returns to this page's session."""
    response = page.request.get(url)
    assert response.ok, f"{url}: {response.status}"
    return len(response.json()["features"])


def layer_url(page: Page, layer: str) -> str:
    value = page.locator("[data-incident-map]").get_attribute(f"data-layer-{layer}")
    assert value, f"the map names no {layer} layer"
    return value


# --- Ana imports an export -----------------------------------------------------------


def test_ana_imports_a_real_chicago_export_and_reads_the_run(
    session: Session, ana: User, agency: Agency, tmp_path: Path
) -> None:
    beats = boundaries_import(
        agency=agency,
        path=BEATS,
        kind=Area.Kind.BEAT,
        name_field="BEAT_NUM",
        group_field="DISTRICT",
        group_kind=Area.Kind.DISTRICT,
    )
    assert beats.status == ImportRun.Status.DONE, beats.message
    page = session.new_page()
    sign_in(page, ana, next_url=f"/a/{agency.slug}/incidents/")
    expect(page.locator("h1")).to_have_text("Incident data")
    expect(page.locator("main")).to_contain_text("No incidents imported yet.")

    page.get_by_role("link", name="Import incidents").click()
    expect(page.locator("h1")).to_have_text("Import incidents")
    expect(page.locator("#id_profile")).to_have_value("auto")
    page.locator("#id_file").set_input_files(CHICAGO)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    # The test settings run tasks at once, so the run is over when the page arrives.
    assert re.search(rf"/a/{agency.slug}/incidents/imports/\d+/$", page.url), page.url
    status = page.locator("#run-status")
    expect(status.locator(".badge")).to_have_text("Done")
    counts = status.locator("table").first

    def count(label: str) -> Locator:
        return counts.locator("tr", has=page.locator("th", has_text=label)).locator("td")

    expect(count("Layout")).to_have_text("chicago")
    expect(count("Rows read")).to_have_text("6")
    expect(count("Imported")).to_have_text("6")
    expect(count("Without coordinates")).to_have_text("1")
    expect(count("Errors")).to_have_text("0")
    expect(status.locator("table")).to_have_count(1)  # no error table
    expect(status.get_by_text("Reload to see progress")).to_have_count(0)

    assert Incident.objects.filter(agency=agency).count() == 6
    assert Incident.objects.filter(agency=agency, source_id="9532593").exists()
    # The one located row inside the five fixture beats (1411) was placed in it.
    assert IncidentArea.objects.filter(
        incident__source_id="9532593", area__agency=agency, area__name__contains="1411"
    ).exists()

    # The overview now says how fresh the data is.
    page.get_by_role("navigation", name="Incident data").get_by_role(
        "link", name="Overview"
    ).click()
    expect(page.locator(".cards")).to_contain_text("6")
    expect(page.locator("main")).to_contain_text("Last import: chicago.csv")

    # A broken row is reported with its line and column, and the rest still imports.
    lines = CHICAGO.read_text(encoding="utf-8").splitlines()
    broken = lines[2].replace("03/15/2014 12:00:00 AM", "the ides of March", 1)
    broken = broken.replace("9532593,HX186477", "9999999,HX999999", 1)
    export = tmp_path / "broken.csv"
    export.write_text("\n".join([lines[0], lines[1], broken]) + "\n", encoding="utf-8")
    page.get_by_role("link", name="Imports", exact=True).click()
    page.get_by_role("link", name="Import incidents").click()
    page.locator("#id_file").set_input_files(export)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    status = page.locator("#run-status")
    expect(status.locator(".badge")).to_have_text("Done")
    errors = status.locator("table").nth(1)
    expect(errors.locator("caption")).to_contain_text("of 1")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody td").first).to_have_text("3")
    expect(errors.locator("tbody td").nth(1)).to_contain_text("Date")
    assert not Incident.objects.filter(agency=agency, source_id="9999999").exists()


# --- Cleo reads the CompStat report ----------------------------------------------------


def test_cleo_reads_the_period_report_changes_area_and_downloads_the_csv(
    session: Session, cleo: User, agency: Agency
) -> None:
    north, _south = city(agency)
    page = session.new_page()
    sign_in(page, cleo, next_url=f"/a/{agency.slug}/incidents/")
    page.get_by_role("link", name="Period report", exact=True).click()
    expect(page.locator("h1")).to_contain_text(agency.name)

    table = page.locator("table.rt-period-table")
    expect(table.locator("caption")).to_have_text("Incidents by period, against a year earlier")
    expect(table.locator("thead")).to_contain_text("Week to date")
    expect(table.locator("thead")).to_contain_text("Last 28 days")
    expect(table.locator("thead")).to_contain_text("Year to date")
    theft = table.locator("tbody tr", has=page.locator("th", has_text=re.compile(r"^Theft$")))
    # 192 thefts in the last 20 days against at most 5 a year earlier: a rise that is no chance.
    expect(theft.locator(".rt-change-up").first).to_contain_text("significant rise")
    expect(table).to_contain_text("within normal variation")

    trend = page.locator("section", has=page.locator("#trend-heading"))
    chart = trend.locator("svg.rt-trend-chart")
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("polyline")).to_have_count(2)
    fallback = trend.locator("details table")
    expect(fallback).to_be_hidden()
    trend.locator("summary").click()
    expect(fallback).to_be_visible()
    weeks = fallback.locator("tbody tr")
    assert weeks.count() >= 3
    assert sum(int(t) for t in weeks.locator("td:nth-child(2)").all_inner_texts()) > 0

    page.locator("#id_area").select_option(label="North District (District)")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("North District")
    assert f"area={north.pk}" in page.url

    with page.expect_download() as caught:
        page.get_by_role("link", name="Download this table (CSV)").click()
    download = caught.value
    assert download.suggested_filename.startswith(f"compstat-{agency.slug}-north-")
    path = download.path()
    assert path is not None
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    assert rows and {r["area"] for r in rows} == {"North District"}
    theft_28 = [r for r in rows if r["row"] == "theft" and r["period"] == "28d"]
    assert len(theft_28) == 1
    assert theft_28[0]["count"] == str(CLUSTER + WIDE) and theft_28[0]["significant"] == "yes"
    assert theft_28[0]["direction"] == "up"
    assert not any(r["row"] == "burglary" and r["count"] != "0" for r in rows)


# --- The staff map ---------------------------------------------------------------------


def test_the_staff_map_draws_areas_hot_spots_and_points(
    session: Session, cleo: User, agency: Agency
) -> None:
    city(agency)
    page = session.new_page()
    refuse_tiles(page)
    sign_in(page, cleo, next_url=f"/a/{agency.slug}/incidents/map/")
    box = page.locator("[data-incident-map]")
    expect(box).to_be_visible()  # the script un-hid it: Leaflet loaded
    expect(box.locator(".leaflet-container")).to_have_count(1)
    control = box.locator(".leaflet-control-layers")
    for name in ("Areas", "Hot spots", "Emerging hot spots", "Density", "Incidents"):
        expect(control.get_by_text(name, exact=True)).to_have_count(1)

    areas = feature_count(page, layer_url(page, "areas"))
    cells = feature_count(page, layer_url(page, "hotspots"))
    points = feature_count(page, layer_url(page, "points"))
    assert areas == 2
    assert cells > 0
    # Staff see every located incident of the last 365 days, sensitive ones included.
    in_window = Incident.objects.filter(
        agency=agency, occurred_on__gte=AS_OF - dt.timedelta(days=364)
    )
    assert points == in_window.count() == CLUSTER + WIDE + 1 + 3 + 12 + 40
    # Areas and hot spots are on at the start, one SVG path per feature.
    expect(box.locator(SHAPES)).to_have_count(areas + cells)
    # At least one cell drawn in a hot-spot colour (90, 95 or 99 % confidence).
    hot = ", ".join(f"{SHAPES}[fill='{c}']" for c in ("#fc9272", "#de2d26", "#a50f15"))
    expect(box.locator(hot).first).to_be_attached()

    control.locator("label", has_text=re.compile(r"^\s*Incidents\s*$")).locator("input").check()
    expect(box.locator(SHAPES)).to_have_count(areas + cells + points)
    expect(box.locator(".rt-incident-map-status")).to_have_text("")

    # The table under the map lists the same hot spots.
    table = page.locator("section", has=page.locator("#cells-heading")).locator("table")
    expect(table.locator("tbody tr").first).to_contain_text("North District")
    expect(table.locator("tbody tr").first).to_contain_text("Hot spot")


def test_without_javascript_the_staff_map_is_a_table(
    open_session: Callable[..., Session], cleo: User, agency: Agency
) -> None:
    city(agency)
    page = open_session(java_script_enabled=False).new_page()
    sign_in(page, cleo, next_url=f"/a/{agency.slug}/incidents/map/")
    expect(page.locator("h1")).to_have_text("Incident map")
    expect(page.locator("[data-incident-map]")).to_be_hidden()
    table = page.locator("section", has=page.locator("#cells-heading")).locator("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_contain_text("Hot spot")
    expect(table.locator("tbody tr").first.locator("code")).to_have_count(1)  # the H3 cell id


# --- A resident on a phone -------------------------------------------------------------


def assert_nothing_private(page: Page, agency: Agency) -> None:
    text = page.content()
    for block in BLOCKS:
        assert block not in text, block
    # Sensitive categories are not even offered as a filter.
    assert "Sexual assault" not in text and "Domestic violence" not in text
    located = Incident.objects.filter(agency=agency).values_list("latitude", "longitude")
    for lat, lon in located:
        assert f"{lat:.6f}" not in text and f"{lon:.6f}" not in text


# The map's layer names as the public reads them.
LAYER_NAMES = {
    "en": {"hotspots": "Hot spots", "points": "Incidents", "density": "Density"},
    "es": {"hotspots": "Puntos calientes", "points": "Incidentes", "density": "Densidad"},
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_resident_on_a_phone_reads_the_public_safety_pages(
    open_session: Callable[..., Session], live_server: Any, agency: Agency, language: str
) -> None:
    city(agency)
    session = open_session(viewport=PHONE, is_mobile=True, has_touch=True)
    session.context.add_cookies(
        [{"name": "roundtable_language", "value": language, "url": live_server.url}]
    )
    page = session.new_page()
    refuse_tiles(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"/p/{agency.slug}/safety/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    table = page.locator("table.rt-period-table")
    expect(table).to_be_visible()
    # Reached by scrolling down (Spanish text above it is longer), then on screen whole.
    first_row = table.locator("tbody tr").first
    first_row.scroll_into_view_if_needed()
    expect(first_row).to_be_in_viewport()
    # The table scrolls inside its own box; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # South's 3 burglaries are withheld, here and in the table by area.
    assert page.locator(".rt-withheld").count() > 0
    if language == "en":
        expect(page.locator(".rt-withheld").first).to_have_text("fewer than 5")
        expect(page.locator("main")).to_contain_text("significant rise")
    assert_nothing_private(page, agency)

    page.get_by_role("link", name="South District").click()
    expect(page.locator("h1")).to_contain_text("South District")
    expect(page.locator("table.rt-period-table .rt-withheld").first).to_be_visible()
    assert_nothing_private(page, agency)

    page.locator("main p a[href$='/safety/map/']").click()
    box = page.locator("[data-incident-map]")
    expect(box).to_be_visible()
    control = box.locator(".leaflet-control-layers")
    words = LAYER_NAMES[language]
    expect(control.get_by_text(words["hotspots"], exact=True)).to_have_count(1)
    expect(control.get_by_text(words["points"], exact=True)).to_have_count(0)
    areas = feature_count(page, layer_url(page, "areas"))
    cells = feature_count(page, layer_url(page, "hotspots"))
    assert areas == 2 and cells > 0
    # One path per area and cell, nothing more: no incident marker of any kind.
    expect(box.locator(SHAPES)).to_have_count(areas + cells)
    expect(box.locator(".leaflet-marker-pane > *")).to_have_count(0)
    # Opening the density layer adds its squares and still no point.
    density_label = re.compile(rf"^\s*{words['density']}\s*$")
    control.locator("label", has_text=density_label).locator("input").check()
    density = feature_count(page, layer_url(page, "density"))
    expect(box.locator(SHAPES)).to_have_count(areas + cells + density)
    assert not [u for u in requested if "/points" in u]
    hot = page.request.get(layer_url(page, "hotspots")).json()
    assert all(f["geometry"]["type"] != "Point" for f in hot["features"])
    assert "SECRET ST" not in page.request.get(layer_url(page, "hotspots")).text()
    assert_nothing_private(page, agency)
    table = page.locator("section", has=page.locator("#cells-heading")).locator("table")
    expect(table).to_be_visible()
    expect(table.locator("code")).to_have_count(0)  # no cell ids for the public


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_public_safety_pages_work_without_javascript(
    open_session: Callable[..., Session], live_server: Any, agency: Agency, language: str
) -> None:
    north, _south = city(agency)
    session = open_session(java_script_enabled=False, viewport=PHONE)
    session.context.add_cookies(
        [{"name": "roundtable_language", "value": language, "url": live_server.url}]
    )
    page = session.new_page()
    page.goto(f"/p/{agency.slug}/safety/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("table.rt-period-table")).to_be_visible()
    page.locator("#id_area").select_option(value=str(north.pk))
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("North District")
    assert_nothing_private(page, agency)

    page.goto(f"/p/{agency.slug}/safety/map/")
    expect(page.locator("[data-incident-map]")).to_be_hidden()
    table = page.locator("section", has=page.locator("#cells-heading")).locator("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_contain_text("North District")
    assert_nothing_private(page, agency)


def test_residents_and_other_agencies_are_kept_off_the_staff_pages(
    open_session: Callable[..., Session], rosa: User, uma: User, agency: Agency
) -> None:
    city(agency)
    for person in (rosa, uma):
        page = open_session().new_page()
        sign_in(page, person)
        for path in ("", "report/", "map/", "map/points.geojson", "imports/new/"):
            response = page.goto(f"/a/{agency.slug}/incidents/{path}")
            assert response is not None and response.status in (403, 404), (person, path)
    page = open_session().new_page()
    page.goto(f"/a/{agency.slug}/incidents/map/")
    assert "/accounts/sign-in/" in page.url
