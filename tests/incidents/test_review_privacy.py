"""Review fixes (issue 5): public figures that could be recovered by differencing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from roundtable.incidents.forms import MapForm
from tests.incidents.helpers import AS_OF, incident

pytestmark = pytest.mark.django_db


def _cell_counts(client: Client, url: str, **params: str) -> dict[str, list[int | None] | None]:
    """Each public cell's count band (the public map never gives a count)."""
    response = client.get(url, params)
    assert response.status_code == 200
    features = response.json()["features"]
    assert all(f["properties"]["count"] is None for f in features)
    return {f["properties"]["h3"]: f["properties"]["band"] for f in features}


def test_public_hotspots_ignore_the_start_day_so_one_day_cannot_be_subtracted(agency):
    """Since day D and since D + 1 would differ by the one incident of day D in
    the cell (7 - 6): the public window is fixed, whatever `since` asks."""
    cache.clear()
    for i in range(7):
        incident(
            agency,
            AS_OF - dt.timedelta(days=10 + i),
            latitude=41.9003,
            longitude=-87.7003,
        )
    url = reverse("incidents_public:map_layer", args=[agency.slug, "hotspots"])
    client = Client()
    wide = _cell_counts(client, url, since=(AS_OF - dt.timedelta(days=16)).isoformat())
    narrow = _cell_counts(client, url, since=(AS_OF - dt.timedelta(days=15)).isoformat())
    assert wide == narrow
    assert list(wide.values()) == [[5, 9]]


def test_public_map_form_has_no_start_day_but_staff_form_does():
    assert "since" not in MapForm({}, public=True).fields
    assert "since" in MapForm({}, public=False).fields


def test_public_map_page_ignores_since(agency):
    cache.clear()
    for i in range(6):
        incident(agency, AS_OF - dt.timedelta(days=i), latitude=41.9003, longitude=-87.7003)
    response = Client().get(
        reverse("incidents_public:map", args=[agency.slug]),
        {"since": (AS_OF - dt.timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["since"] == AS_OF - dt.timedelta(days=364)


def test_public_hotspot_cells_carry_no_z_but_staff_cells_do(agency, ana, client_for):
    """A z-score is an affine function of the cell's neighbourhood sum: with the
    counts shown around it, it gives back a withheld count."""
    cache.clear()
    for i in range(30):
        incident(
            agency,
            AS_OF - dt.timedelta(days=i),
            latitude=41.9003 + (i % 3) * 0.004,
            longitude=-87.7003 + (i % 5) * 0.004,
        )
    public = Client().get(reverse("incidents_public:map_layer", args=[agency.slug, "hotspots"]))
    staff = client_for(ana).get(reverse("incidents:map_layer", args=[agency.slug, "hotspots"]))
    public_features = public.json()["features"]
    staff_features = staff.json()["features"]
    assert public_features and staff_features
    assert all("z" not in f["properties"] for f in public_features)
    assert all("z" in f["properties"] for f in staff_features)
