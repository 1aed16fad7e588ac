"""`roundtable stakeholders import|export` on the command line."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from roundtable.audit.models import AuditEntry
from roundtable.stakeholders.management.commands.stakeholders import Command
from roundtable.stakeholders.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

GOOD = "external_id,name,category,email\nA,Grace Chapel,faith,\nB,Eastgate Tenants Union,other,\n"
ONE_BAD = GOOD + "C,Corner Store,business,not-an-email\n"


@pytest.fixture
def map_file(tmp_path):
    def write(text, name="map.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def stakeholders(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("stakeholders", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_it_imports_a_file_and_says_what_it_did(agency, map_file):
    output = stakeholders("import", map_file(GOOD), "--agency", agency.slug)

    assert "2 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert Organisation.objects.filter(agency=agency).count() == 2


def test_bad_rows_are_listed_by_line_and_column_and_nothing_is_imported(agency, map_file):
    out = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "stakeholders", "import", map_file(ONE_BAD), "--agency", agency.slug, stdout=out
        )

    assert "line 4, column email: Enter a valid email address." in out.getvalue()
    assert not Organisation.objects.exists()


def test_it_exits_with_status_1_when_nothing_was_imported(agency, map_file, capsys):
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["roundtable", "stakeholders", "import", map_file(ONE_BAD), "--agency", agency.slug]
        )

    assert exit_.value.code == 1
    assert "line 4, column email" in capsys.readouterr().out


def test_skip_invalid_imports_the_good_rows_and_succeeds(agency, map_file):
    output = stakeholders("import", map_file(ONE_BAD), "--agency", agency.slug, "--skip-invalid")

    assert "line 4, column email" in output
    assert "2 created" in output and "1 skipped" in output
    assert Organisation.objects.count() == 2


def test_json_prints_one_object(agency, map_file):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "stakeholders",
            "import",
            map_file(ONE_BAD),
            "--agency",
            agency.slug,
            "--json",
            stdout=out,
        )

    report = json.loads(out.getvalue())
    assert {k: report[k] for k in ("rows", "created", "updated", "skipped")} == {
        "rows": 3,
        "created": 0,
        "updated": 0,
        "skipped": 3,
    }
    assert report["errors"] == [
        {"line": 4, "column": "email", "reason": "Enter a valid email address."}
    ]


def test_json_after_a_successful_import(agency, map_file):
    path = map_file(GOOD)
    stakeholders("import", path, "--agency", agency.slug)

    report = json.loads(stakeholders("import", path, "--agency", agency.slug, "--json"))

    assert (report["rows"], report["created"], report["updated"], report["unchanged"]) == (
        2,
        0,
        0,
        2,
    )
    assert report["errors"] == []


def test_a_dry_run_saves_nothing(agency, map_file):
    output = stakeholders("import", map_file(GOOD), "--agency", agency.slug, "--dry-run")

    assert "Dry run" in output and "2 created" in output
    assert not Organisation.objects.exists()


def test_an_unknown_column_stops_the_import(agency, map_file):
    out = io.StringIO()
    with pytest.raises(CommandError, match="cannot be read"):
        call_command(
            "stakeholders",
            "import",
            map_file("name,category,colour\nA,other,red\n"),
            "--agency",
            agency.slug,
            stdout=out,
        )

    assert "line 1: Unknown columns: colour." in out.getvalue()


def test_an_unknown_agency_or_missing_file_is_an_error(agency, map_file, tmp_path):
    with pytest.raises(CommandError, match="No agency"):
        stakeholders("import", map_file(GOOD), "--agency", "atlantis")
    with pytest.raises(CommandError, match="Cannot read"):
        stakeholders("import", str(tmp_path / "missing.csv"), "--agency", agency.slug)


def test_it_exports_csv_and_xlsx_by_extension(agency, tmp_path):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")

    output = stakeholders("export", str(tmp_path / "map.csv"), "--agency", agency.slug)
    stakeholders("export", str(tmp_path / "map.xlsx"), "--agency", agency.slug)

    assert "Exported 1 organisations" in output
    assert "Grace Chapel" in (tmp_path / "map.csv").read_text(encoding="utf-8-sig")
    sheet = openpyxl.load_workbook(tmp_path / "map.xlsx").active
    assert sheet.cell(row=2, column=2).value == "Grace Chapel"


def test_an_export_is_recorded_in_the_audit_log_without_an_actor(agency, tmp_path):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")

    stakeholders("export", str(tmp_path / "map.xlsx"), "--agency", agency.slug)
    stakeholders("export", "-", "--agency", agency.slug)

    entries = AuditEntry.objects.filter(action="organisation.export").order_by("pk")
    assert [(e.actor, e.agency, e.after) for e in entries] == [
        (None, agency, {"format": "xlsx", "organisations": 1}),
        (None, agency, {"format": "csv", "organisations": 1}),
    ]


def test_an_export_that_cannot_be_written_is_not_recorded(agency, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        stakeholders("export", str(tmp_path / "missing" / "map.csv"), "--agency", agency.slug)

    assert not AuditEntry.objects.exists()


def test_format_overrides_the_extension(agency, tmp_path):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")
    path = tmp_path / "map.data"

    stakeholders("export", str(path), "--agency", agency.slug, "--format", "xlsx")

    assert path.read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="--format"):
        stakeholders("export", str(tmp_path / "map.data"), "--agency", agency.slug)


def test_an_export_imports_back_to_no_change(agency, tmp_path):
    OrganisationFactory.create(agency=agency, name="Grace Chapel", sectors=["health"])
    path = str(tmp_path / "map.xlsx")
    stakeholders("export", path, "--agency", agency.slug)

    report = json.loads(stakeholders("import", path, "--agency", agency.slug, "--json"))

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 1)
