"""Public safety pages: open to anyone, never a point, a block or a sensitive
offence; small counts withheld; significance in words; work without JavaScript."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.agencies.models import Area
from roundtable.incidents.models import Incident
from tests.factories import AreaBoundaryFactory, AreaFactory
from tests.incidents.helpers import AS_OF, incident

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["incidents_public:report", "incidents_public:map"]
PUBLIC_LAYERS = ["areas", "hotspots", "density"]


def _city(agency):
    """Two districts with boundaries; a cluster of thefts, sensitive incidents
    with distinctive blocks and coordinates, and a small district."""
    north = AreaBoundaryFactory.create(
        area__agency=agency,
        area__name="North District",
        area__kind=Area.Kind.DISTRICT,
        corner=(-87.71, 41.89),
        size=0.03,
    ).area
    south = AreaBoundaryFactory.create(
        area__agency=agency,
        area__name="South District",
        area__kind=Area.Kind.DISTRICT,
        corner=(-87.71, 41.79),
        size=0.03,
    ).area
    for i in range(60):
        incident(
            agency,
            AS_OF - dt.timedelta(days=i % 20),
            areas=(north,),
            latitude=41.900317 + (i % 6) * 0.000813,
            longitude=-87.700271 + (i // 6 % 6) * 0.000807,
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
    for i in range(6):
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
    return north, south


def _assert_nothing_private(agency, text):
    assert "SECRET ST" not in text and "QUIET AVE" not in text
    assert "HIDDEN PL" not in text and "HOME DR" not in text
    assert "Sexual assault" not in text and "Domestic violence" not in text
    for lat, lon in Incident.objects.filter(agency=agency).values_list("latitude", "longitude"):
        assert f"{lat:.6f}" not in text, lat  # no incident coordinate
        assert f"{lon:.6f}" not in text, lon


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_open_to_anyone_and_hold_nothing_private(agency, page):
    _city(agency)
    response = Client().get(reverse(page, args=[agency.slug]))
    assert response.status_code == 200
    _assert_nothing_private(agency, response.content.decode())


@pytest.mark.parametrize("layer", PUBLIC_LAYERS)
def test_public_layers_hold_no_point_block_or_sensitive_incident(agency, layer):
    _city(agency)
    response = Client().get(reverse("incidents_public:map_layer", args=[agency.slug, layer]))
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] != "Point" for f in data["features"])
    _assert_nothing_private(agency, json.dumps(data))


def test_public_map_refuses_the_points_layer(agency):
    url = reverse("incidents_public:map_layer", args=[agency.slug, "points"])
    assert Client().get(url).status_code == 404


def test_public_map_ignores_a_sensitive_offence_filter(agency):
    _city(agency)
    response = Client().get(
        reverse("incidents_public:map", args=[agency.slug]), {"offence": "sexual_assault"}
    )
    assert response.status_code == 200
    assert "Sexual assault" not in response.content.decode()


def test_public_report_withholds_the_small_district_and_says_why(agency):
    _city(agency)
    response = Client().get(reverse("incidents_public:report", args=[agency.slug]))
    body = response.content.decode()
    assert "fewer than 5" in body
    assert "How to read this" in body and "hot spot" in body.lower()
    south = response.context["report"].units
    by_name = {u.name: u for u in south}
    burglary_south = by_name["South District"].row("burglary")
    assert all(c.current is None for c in burglary_south.cells)


def test_public_report_for_one_area(agency):
    north = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name="North District")
    south = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name="South District")
    for _i in range(12):
        incident(agency, AS_OF, areas=(north,))
    for _i in range(7):
        incident(agency, AS_OF, areas=(south,))
    response = Client().get(
        reverse("incidents_public:report", args=[agency.slug]), {"area": north.pk}
    )
    assert response.status_code == 200
    assert response.context["unit"].name == "North District"
    theft = response.context["unit"].row("theft")
    assert next(c for c in theft.cells if c.period == "28d").current == 12


def test_public_report_rows_leave_out_sensitive_offences(agency):
    _city(agency)
    response = Client().get(reverse("incidents_public:report", args=[agency.slug]))
    keys = {row.key for unit in response.context["report"].units for row in unit.rows}
    assert not keys & {"sexual_assault", "simple_assault", "domestic_violence"}
    assert "Simple assault" not in response.content.decode()


def test_public_report_ignores_another_agencys_area(agency, other_agency):
    theirs = AreaFactory.create(agency=other_agency, kind=Area.Kind.DISTRICT, name="Theirs")
    response = Client().get(
        reverse("incidents_public:report", args=[agency.slug]), {"area": theirs.pk}
    )
    assert response.status_code == 200
    assert response.context["unit"].area is None


def test_public_map_lists_hot_spots_in_a_table(agency):
    _city(agency)
    response = Client().get(reverse("incidents_public:map", args=[agency.slug]))
    body = response.content.decode()
    assert "Hot and cold spots" in body
    assert "z-score" not in body  # staff detail only


def test_public_report_queries_are_bounded(agency, django_assert_max_num_queries):
    for i in range(6):
        area = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name=f"District {i}")
        for code in ("theft", "burglary", "robbery"):
            incident(agency, AS_OF, code, areas=(area,))
    client = Client()
    url = reverse("incidents_public:report", args=[agency.slug])
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_the_public_agency_page_links_to_safety_data(agency):
    body = Client().get(reverse("inputs_public:agency", args=[agency.slug])).content.decode()
    assert reverse("incidents_public:report", args=[agency.slug]) in body


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_of_an_agency_without_data(agency, page):
    assert Client().get(reverse(page, args=[agency.slug])).status_code == 200
