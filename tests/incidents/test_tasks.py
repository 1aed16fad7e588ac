"""The background import: an upload stored, queued, imported, then deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roundtable.incidents.models import ImportRun, Incident
from roundtable.incidents.services_import import incidents_import_enqueue, incidents_import_stored

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents"


@pytest.fixture
def var_dir(settings, tmp_path) -> Path:
    settings.VAR_DIR = tmp_path
    folder: Path = tmp_path
    return folder


@pytest.mark.django_db(transaction=True)
def test_upload_is_imported_then_deleted(agency, ana, var_dir) -> None:
    upload = SimpleUploadedFile("crimes.csv", (FIXTURES / "chicago.csv").read_bytes())
    run = incidents_import_enqueue(
        agency=agency, upload=upload, profile="auto", mapping_text=None, actor=ana
    )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.file_name == "crimes.csv" and run.started_by == ana
    assert run.stored_path == ""
    assert Incident.objects.filter(agency=agency).count() == 6
    # The stored copy had a random name and is gone.
    assert list((var_dir / "uploads" / "incidents").iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_failed_upload_is_deleted_too(agency, var_dir) -> None:
    upload = SimpleUploadedFile("junk.csv", b"what,is,this\n1,2,3\n")
    run = incidents_import_enqueue(
        agency=agency, upload=upload, profile="auto", mapping_text=None, actor=None
    )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "unknown layout" in run.message
    assert list((var_dir / "uploads" / "incidents").iterdir()) == []
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_queued_run_with_profile_and_mapping(
    agency, var_dir, django_capture_on_commit_callbacks
) -> None:
    mapping = (
        Path(__file__).resolve().parents[2] / "docs/examples/incident-mapping.toml"
    ).read_text()
    upload = SimpleUploadedFile(
        "rms.csv",
        b"Case No,Occurred,Offence Code,Offence,Location,Lat,Lon,DV\n"
        b"RV-1,01/03/2024 14:05,BURG,Burglary,1 MAIN ST,41.9,-87.7,N\n",
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = incidents_import_enqueue(
            agency=agency, upload=upload, profile="auto", mapping_text=mapping, actor=None
        )
    assert run.status == ImportRun.Status.QUEUED and Path(run.stored_path).is_file()
    assert len(callbacks) == 1  # the task is enqueued only once the run is committed
    done = incidents_import_stored(run_id=run.pk)
    assert done is not None
    assert done.status == ImportRun.Status.DONE, done.message
    assert Incident.objects.get().offence == "burglary"
    assert not Path(run.stored_path).exists()
    # Delivered twice: the second delivery does nothing.
    assert incidents_import_stored(run_id=run.pk) is None


@pytest.mark.django_db
def test_missing_stored_file(agency, var_dir) -> None:
    run = ImportRun.objects.create(
        agency=agency, kind=ImportRun.Kind.INCIDENTS, file_name="x.csv",
        stored_path=str(var_dir / "gone.csv"),
    )  # fmt: skip
    done = incidents_import_stored(run_id=run.pk)
    assert done is not None and done.status == ImportRun.Status.FAILED
    assert "upload it again" in done.message
