"""The measures API: staff read the agency's measures and their figures; nobody else does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from roundtable.measures.services import measure_choose
from tests.factories import AreaFactory, MeasureValueFactory

pytestmark = pytest.mark.django_db


def test_staff_list_measures_and_figures(agency, casey, cleo, client_for):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    complaints = measure_choose(
        actor=casey, agency=agency, catalogue_key="code_complaints", target=40
    )
    measure_choose(actor=casey, agency=agency, catalogue_key="officer_wellness")
    MeasureValueFactory.create(
        measure=complaints, period_start=dt.date(2026, 9, 1), value=3, area=north
    )
    MeasureValueFactory.create(measure=complaints, period_start=dt.date(2026, 10, 1), value=52)
    client = client_for(cleo)
    measures = client.get("/api/v1/agencies/riverside/measures").json()
    assert [m["id"] for m in measures] == ["code_complaints", "officer_wellness"]
    assert measures[0]["target"] == 40 and measures[1]["internal"] and not measures[1]["is_public"]
    values = client.get(f"/api/v1/agencies/riverside/measures/{complaints.pk}/values").json()
    assert [(v["period"], v["area"], v["value"]) for v in values] == [
        ("2026-10", None, 52.0),
        ("2026-09", "north", 3.0),  # staff: figures as recorded
    ]
    assert client.get("/api/v1/agencies/riverside/measures/999999/values").status_code == 404


def test_others_are_refused(agency, casey, rosa, pat, uma, client_for):
    measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    url = "/api/v1/agencies/riverside/measures"
    assert Client().get(url).status_code == 401
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403
