"""incidents_import: upserts, merges, counts, dry runs and all-or-nothing failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError

from roundtable.audit.models import AuditEntry
from roundtable.incidents import services_import
from roundtable.incidents.models import ImportRun, Incident, IncidentArea, IncidentOffence
from roundtable.incidents.services_import import incidents_import, updated_count
from tests.factories import AreaBoundaryFactory, AreaFactory, IncidentFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents"
BOSTON_HEADER = (
    "INCIDENT_NUMBER,OFFENSE_CODE,OFFENSE_CODE_GROUP,OFFENSE_DESCRIPTION,DISTRICT,"
    "REPORTING_AREA,OCCURRED_ON_DATE,YEAR,MONTH,DAY_OF_WEEK,HOUR,UCR_PART,STREET,Lat,Long,Location"
)


def boston_row(
    number: str,
    code: str = "3115",
    group: str = "Investigate Person",
    date: str = "12/31/15 23:25",
    lat: str = "42.27",
    lon: str = "-71.09",
) -> str:
    return (
        f"{number},{code},{group},WORDS,B3,448,{date},2015,12,Thursday,"
        f"23,Part Three,MILLET ST,{lat},{lon},"
    )


def write(tmp_path: Path, rows: list[str], name: str = "b.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([BOSTON_HEADER, *rows]) + "\n")
    return path


def counts(run: ImportRun) -> dict[str, Any]:
    return {
        "rows": run.rows,
        "imported": run.imported,
        "updated": updated_count(run),
        "merged": run.merged_offences,
        "skipped": run.skipped,
        "missing": run.missing_coordinates,
        "errors": run.error_total,
    }


@pytest.mark.django_db
def test_real_chicago_rows_import(agency, ana) -> None:
    run = incidents_import(agency=agency, path=FIXTURES / "chicago.csv", actor=ana)
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.profile == "chicago"
    assert counts(run) == {"rows": 6, "imported": 6, "updated": 0, "merged": 0, "skipped": 0,
                           "missing": 1, "errors": 0}  # fmt: skip
    theft = Incident.objects.get(agency=agency, source_id="9567561")
    assert (theft.offence, theft.against, theft.crime_group) == ("theft", "property", "property")
    assert theft.location == Incident.Location.MISSING and theft.latitude is None
    assert theft.import_run == run and theft.profile == "chicago"
    assert Incident.objects.get(source_id="9531732").sensitive  # Domestic = true
    offence = IncidentOffence.objects.get(incident=theft)
    assert (offence.code, offence.description, offence.category) == (
        "0820",
        "$500 AND UNDER",
        "theft",
    )
    entry = AuditEntry.objects.get(action="incidents.import")
    assert entry.actor == ana and entry.agency == agency
    assert entry.after is not None and entry.after["imported"] == 6


@pytest.mark.django_db
def test_reimport_is_idempotent_and_counts_updates(agency) -> None:
    first = incidents_import(agency=agency, path=FIXTURES / "boston.csv")
    before = list(
        Incident.objects.order_by("source_id").values(
            "source_id", "occurred_at", "offence", "sensitive", "latitude", "location"
        )
    )
    offences_before = list(IncidentOffence.objects.order_by("pk").values("incident_id", "code"))
    second = incidents_import(agency=agency, path=FIXTURES / "boston.csv")
    assert counts(first) == {"rows": 5, "imported": 4, "updated": 0, "merged": 1, "skipped": 0,
                             "missing": 0, "errors": 0}  # fmt: skip
    assert counts(second) == {"rows": 5, "imported": 0, "updated": 4, "merged": 1, "skipped": 0,
                              "missing": 0, "errors": 0}  # fmt: skip
    after = list(
        Incident.objects.order_by("source_id").values(
            "source_id", "occurred_at", "offence", "sensitive", "latitude", "location"
        )
    )
    assert after == before
    assert list(IncidentOffence.objects.order_by("pk").values("incident_id", "code")) == (
        offences_before
    )


@pytest.mark.django_db
def test_one_row_per_offence_merges_into_one_incident(agency) -> None:
    run = incidents_import(agency=agency, path=FIXTURES / "boston.csv")
    incident = Incident.objects.get(source_id="I162000007")
    codes = sorted(IncidentOffence.objects.filter(incident=incident).values_list("code", flat=True))
    assert codes == ["2905", "3803"]
    # A violation (other_crime) outranks an accident response (non_criminal).
    assert incident.offence == "other_crime"
    assert run.merged_offences == 1
    assert Incident.objects.filter(agency=agency).count() == 4


@pytest.mark.django_db
def test_merge_across_batches_and_with_older_offences(agency, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(services_import, "BATCH", 2)
    path = write(tmp_path, [
        boston_row("I1", "3115", "Investigate Person"),
        boston_row("I2"),
        boston_row("I3"),
        boston_row("I1", "1402", "Vandalism"),
        boston_row("I1", "2007", "Offenses Against Child / Family"),
    ])  # fmt: skip
    run = incidents_import(agency=agency, path=path)
    assert counts(run) == {"rows": 5, "imported": 3, "updated": 0, "merged": 2, "skipped": 0,
                           "missing": 0, "errors": 0}  # fmt: skip
    incident = Incident.objects.get(source_id="I1")
    assert incident.offence == "child_abuse" and incident.sensitive
    assert incident.offences.count() == 3
    # A later file with only the vandalism row keeps the older offences and the primary.
    later = write(tmp_path, [boston_row("I1", "1402", "Vandalism")], "later.csv")
    rerun = incidents_import(agency=agency, path=later)
    incident.refresh_from_db()
    assert incident.offence == "child_abuse" and incident.sensitive
    assert updated_count(rerun) == 1 and rerun.imported == 0


@pytest.mark.django_db
def test_missing_coordinates_counted_and_flagged(agency, tmp_path) -> None:
    path = write(tmp_path, [
        boston_row("I1", lat="-1", lon="-1"),
        boston_row("I2", lat="", lon=""),
        boston_row("I3", lat="99", lon="-71"),
        boston_row("I4"),
    ])  # fmt: skip
    run = incidents_import(agency=agency, path=path)
    assert run.missing_coordinates == 3
    located = dict(Incident.objects.values_list("source_id", "location"))
    assert located == {"I1": "zero", "I2": "missing", "I3": "out_of_range", "I4": "ok"}
    assert Incident.objects.filter(latitude__isnull=True).count() == 3


@pytest.mark.django_db
def test_errors_capped_with_total(agency, tmp_path) -> None:
    rows = [boston_row(f"I{n}", date="not a date") for n in range(7)] + [boston_row("OK")]
    run = incidents_import(agency=agency, path=write(tmp_path, rows), error_cap=3)
    assert run.status == ImportRun.Status.DONE
    assert (run.error_total, run.skipped, run.imported) == (7, 7, 1)
    assert len(run.errors) == 3
    assert run.errors[0] == {
        "line": 2,
        "column": "OCCURRED_ON_DATE",
        "reason": run.errors[0]["reason"],
    }
    assert "not a date" in run.errors[0]["reason"]


@pytest.mark.django_db
def test_dry_run_saves_nothing_but_the_run(agency) -> None:
    run = incidents_import(agency=agency, path=FIXTURES / "boston.csv", dry_run=True)
    assert run.status == ImportRun.Status.DRY_RUN
    assert counts(run)["imported"] == 4 and run.merged_offences == 1
    assert not Incident.objects.exists()
    assert not IncidentOffence.objects.exists()
    assert not AuditEntry.objects.filter(action="incidents.import").exists()
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.DRY_RUN


@pytest.mark.django_db
def test_unknown_layout_fails_and_saves_nothing(agency, tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("case,when\n1,2\n")
    run = incidents_import(agency=agency, path=path)
    assert run.status == ImportRun.Status.FAILED
    assert "unknown layout" in run.message and "case, when" in run.message
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_database_error_mid_file_rolls_back_everything(agency, tmp_path, monkeypatch) -> None:
    existing = IncidentFactory.create(agency=agency, source_id="I1", offence="theft")
    monkeypatch.setattr(services_import, "BATCH", 2)
    real_upsert = services_import._upsert
    calls = {"n": 0}

    def failing(model: Any, *args: Any) -> None:
        if model is IncidentOffence:
            calls["n"] += 1
            if calls["n"] == 2:
                raise DatabaseError("disk full")
        real_upsert(model, *args)

    monkeypatch.setattr(services_import, "_upsert", failing)
    path = write(tmp_path, [boston_row(f"I{n}", "1402", "Vandalism") for n in range(1, 6)])
    run = incidents_import(agency=agency, path=path)
    assert calls["n"] == 2  # the first batch had been written when the second failed
    assert run.status == ImportRun.Status.FAILED
    assert "disk full" in run.message
    assert list(Incident.objects.values_list("source_id", flat=True)) == ["I1"]
    existing.refresh_from_db()
    assert existing.offence == "theft" and existing.import_run is None
    assert not IncidentOffence.objects.exists()
    assert not AuditEntry.objects.filter(action="incidents.import").exists()
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.FAILED


@pytest.mark.django_db
def test_incidents_assigned_to_areas(agency) -> None:
    area = AreaFactory.create(agency=agency)
    # A square around the Diversey Avenue theft (41.9319, -87.7046).
    AreaBoundaryFactory.create(area=area, corner=(-87.71, 41.92), size=0.02)
    run = incidents_import(agency=agency, path=FIXTURES / "chicago.csv")
    assert run.areas_assigned == 1  # type: ignore[attr-defined]
    inside = IncidentArea.objects.get(area=area)
    assert Incident.objects.get(pk=inside.incident_id).source_id == "9532593"


@pytest.mark.django_db
def test_other_agencies_incidents_untouched(agency, other_agency) -> None:
    IncidentFactory.create(agency=other_agency, source_id="I162000007", offence="theft")
    run = incidents_import(agency=agency, path=FIXTURES / "boston.csv")
    assert run.imported == 4
    assert Incident.objects.get(agency=other_agency).offence == "theft"


@pytest.mark.django_db
def test_victim_columns_never_stored(agency) -> None:
    run = incidents_import(agency=agency, path=FIXTURES / "los_angeles.csv")
    assert run.status == ImportRun.Status.DONE and run.imported == 4
    stored = [str(value) for row in Incident.objects.values() for value in row.values()] + [
        str(v) for row in IncidentOffence.objects.values() for v in row.values()
    ]
    # The fixture's victims: 47 M O, 28 F B, 62 M H (and descent "H" = Hispanic).
    assert not {"47", "28", "62", "M", "F", "O", "B", "H"} & set(stored)
    partner = Incident.objects.get(source_id="200320258")
    assert partner.offence == "domestic_violence" and partner.sensitive


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "incidents"),
    [("san_francisco", 3), ("seattle", 3), ("philadelphia", 4)],
)
def test_other_profiles_import(agency, name: str, incidents: int) -> None:
    run = incidents_import(agency=agency, path=FIXTURES / f"{name}.csv")
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.profile == name
    assert Incident.objects.filter(agency=agency).count() == incidents
    assert run.rows == run.imported + run.merged_offences


@pytest.mark.django_db
def test_run_given_is_used(agency) -> None:
    run = ImportRun.objects.create(
        agency=agency, kind=ImportRun.Kind.INCIDENTS, file_name="boston.csv"
    )
    finished = incidents_import(agency=agency, path=FIXTURES / "boston.csv", run=run)
    assert finished.pk == run.pk and finished.status == ImportRun.Status.DONE
    assert ImportRun.objects.count() == 1


@pytest.mark.django_db
def test_areas_assigned_in_chunks(agency, monkeypatch) -> None:
    monkeypatch.setattr(services_import, "BATCH", 2)
    monkeypatch.setattr(services_import, "AREA_CHUNK", 3)
    area = AreaFactory.create(agency=agency)
    # Covers every located row of the Chicago fixture.
    AreaBoundaryFactory.create(area=area, corner=(-88.0, 41.5), size=1.0)
    run = incidents_import(agency=agency, path=FIXTURES / "chicago.csv")
    assert run.areas_assigned == 5  # type: ignore[attr-defined]
    assert IncidentArea.objects.filter(area=area).count() == 5
