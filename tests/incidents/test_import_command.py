"""`roundtable incidents import|profiles`: the JSON report, exit status, agency choice."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from roundtable.incidents.models import ImportRun, Incident

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "incident-mapping.toml"


def run(*args: str) -> str:
    out = StringIO()
    call_command("incidents", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_report(agency, ana) -> None:
    output = run("import", str(FIXTURES / "boston.csv"), "--agency", "riverside", "--json",
                 "--user", "ana")  # fmt: skip
    report = json.loads(output)
    assert report == {
        "profile": "boston",
        "rows": 5,
        "imported": 4,
        "updated": 0,
        "skipped": 0,
        "missing_coordinates": 0,
        "merged_offences": 1,
        "areas_assigned": 0,
        "errors": [],
        "error_total": 0,
        "status": "done",
        "message": "",
    }
    assert ImportRun.objects.get().started_by == ana


@pytest.mark.django_db
def test_named_profile(agency) -> None:
    report = json.loads(
        run("import", str(FIXTURES / "seattle.csv"), "--profile", "seattle", "--json")
    )
    assert report["profile"] == "seattle" and report["imported"] == 3


@pytest.mark.django_db
def test_agency_may_be_left_out_with_one_agency(agency) -> None:
    run("import", str(FIXTURES / "chicago.csv"))
    assert Incident.objects.filter(agency=agency).count() == 6


@pytest.mark.django_db
def test_agency_required_with_several(agency, other_agency) -> None:
    with pytest.raises(CommandError, match="--agency"):
        run("import", str(FIXTURES / "chicago.csv"))
    with pytest.raises(CommandError, match="No agency"):
        run("import", str(FIXTURES / "chicago.csv"), "--agency", "atlantis")
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_fatal_error_exits_1_with_one_json_object(agency, tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("case,when\n1,2\n")
    out = StringIO()
    with pytest.raises(CommandError, match="unknown layout"):
        call_command("incidents", "import", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["status"] == "failed" and report["imported"] == 0
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_dry_run_and_errors(agency, tmp_path) -> None:
    text = (FIXTURES / "chicago.csv").read_text().replace("03/15/2014 12:00:00 AM", "soon", 1)
    path = tmp_path / "c.csv"
    path.write_text(text)
    report = json.loads(run("import", str(path), "--dry-run", "--json"))
    assert report["status"] == "dry_run"
    assert (report["rows"], report["imported"], report["skipped"]) == (6, 5, 1)
    assert report["errors"] == [
        {"line": 2, "column": "Date", "reason": report["errors"][0]["reason"]}
    ]
    assert not Incident.objects.exists()
    text_report = run("import", str(path))
    assert "line 2, column Date:" in text_report
    assert Incident.objects.count() == 5


@pytest.mark.django_db
def test_mapping_file_profile(agency, tmp_path) -> None:
    path = tmp_path / "rms.csv"
    path.write_text("Case No,Occurred,Offence Code,Offence,Location,Lat,Lon,DV\n"
                    "RV-1,01/03/2024 14:05,THF1,Theft,100 MAIN ST,41.9,-87.7,N\n")  # fmt: skip
    report = json.loads(run("import", str(path), "--profile", str(EXAMPLE), "--json"))
    assert report["profile"] == "riverside_rms" and report["imported"] == 1
    assert ImportRun.objects.get().mapping_text.startswith("# A mapping file")


@pytest.mark.django_db
def test_unknown_profile_and_user(agency, uma) -> None:
    with pytest.raises(CommandError, match="Unknown profile"):
        run("import", str(FIXTURES / "chicago.csv"), "--agency", "riverside", "--profile", "x")
    with pytest.raises(CommandError, match="not a member"):
        run("import", str(FIXTURES / "chicago.csv"), "--agency", "riverside", "--user", "uma")
    assert not Incident.objects.exists()


def test_profiles_listing() -> None:
    output = run("profiles")
    for name in ("chicago", "boston", "san_francisco", "seattle", "los_angeles", "philadelphia"):
        assert f"{name}: " in output
    assert "never read: Vict Age, Vict Sex, Vict Descent" in output
