"""Review fixes (issue 5): an incident whose rows fall in two batches of one file."""

from __future__ import annotations

import pytest

from roundtable.incidents import services_import
from roundtable.incidents.models import Incident
from roundtable.incidents.services_import import incidents_import
from tests.incidents.test_import import boston_row, write

pytestmark = pytest.mark.django_db


def test_a_later_batch_without_coordinates_keeps_the_earlier_place(
    agency, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(services_import, "BATCH", 2)
    path = write(tmp_path, [
        boston_row("I1", "3115", "Investigate Person", lat="42.28", lon="-71.08"),
        boston_row("I2"),
        boston_row("I1", "1402", "Vandalism", lat="-1", lon="-1"),
    ])  # fmt: skip
    run = incidents_import(agency=agency, path=path)
    incident = Incident.objects.get(source_id="I1")
    assert (incident.location, incident.latitude, incident.longitude) == ("ok", 42.28, -71.08)
    assert incident.offences.count() == 2
    assert run.missing_coordinates == 0


def test_a_later_batch_with_coordinates_places_an_incident_counted_missing(
    agency, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(services_import, "BATCH", 2)
    path = write(tmp_path, [
        boston_row("I1", "3115", "Investigate Person", lat="", lon=""),
        boston_row("I2"),
        boston_row("I1", "1402", "Vandalism", lat="42.28", lon="-71.08"),
    ])  # fmt: skip
    run = incidents_import(agency=agency, path=path)
    incident = Incident.objects.get(source_id="I1")
    assert (incident.location, incident.latitude, incident.longitude) == ("ok", 42.28, -71.08)
    assert run.missing_coordinates == 0
