"""`roundtable boundaries import`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from roundtable.agencies.models import Area
from roundtable.audit.models import AuditEntry
from roundtable.incidents.models import ImportRun

FIXTURES = Path(__file__).parent.parent / "fixtures" / "incidents"


def run(*args: str) -> str:
    out = StringIO()
    call_command("boundaries", "import", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_report_for_grouped_beats(agency, ana):
    output = run(
        str(FIXTURES / "chicago-beats.shp"),
        "--agency",
        agency.slug,
        "--kind",
        "beat",
        "--name-field",
        "BEAT_NUM",
        "--group-field",
        "DISTRICT",
        "--group-kind",
        "district",
        "--user",
        ana.username,
        "--json",
    )

    report = json.loads(output)
    assert report["status"] == "done"
    assert (report["format"], report["features"], report["boundaries"]) == ("shapefile", 5, 7)
    assert report["notes"] == [] and report["note_total"] == 0
    assert Area.objects.filter(agency=agency, kind="district").count() == 2
    assert AuditEntry.objects.get(action="areas.boundaries_import").actor == ana


@pytest.mark.django_db
def test_plain_output_for_geojson(agency):
    output = run(
        str(FIXTURES / "boston-districts.geojson"),
        "--agency",
        agency.slug,
        "--kind",
        "district",
        "--name-field",
        "DISTRICT",
    )
    assert output.startswith("3 boundaries (3 areas created, 0 updated)")
    assert set(Area.objects.filter(agency=agency).values_list("name", flat=True)) == {
        "B2",
        "B3",
        "E13",
    }


@pytest.mark.django_db
def test_unknown_field_exits_with_the_fields_listed(agency):
    with pytest.raises(CommandError, match="its fields are: DISTRICT, SECTOR, BEAT, BEAT_NUM"):
        run(
            str(FIXTURES / "chicago-beats.shp"),
            "--agency",
            agency.slug,
            "--kind",
            "beat",
            "--name-field",
            "beat_no",
        )
    assert ImportRun.objects.get(agency=agency).status == ImportRun.Status.FAILED
    assert not Area.objects.filter(agency=agency).exists()


@pytest.mark.django_db
def test_unknown_agency_and_outsider_user(agency, uma):
    with pytest.raises(CommandError, match="No agency with the short name 'nowhere'"):
        run(
            str(FIXTURES / "boston-districts.geojson"),
            "--agency",
            "nowhere",
            "--kind",
            "district",
            "--name-field",
            "DISTRICT",
        )
    with pytest.raises(CommandError, match="is not a member"):
        run(
            str(FIXTURES / "boston-districts.geojson"),
            "--agency",
            agency.slug,
            "--kind",
            "district",
            "--name-field",
            "DISTRICT",
            "--user",
            uma.username,
        )
    assert not ImportRun.objects.exists()
