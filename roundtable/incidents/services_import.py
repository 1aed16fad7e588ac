"""Importing incident exports: the reader's records into Incident and IncidentOffence.

`incidents_import` reads a file with `reading.open_export` and writes it in
batches, all inside one transaction: a fatal problem (an unknown layout, a bad
mapping file, a database error half-way) leaves nothing behind, and the
ImportRun is then saved FAILED with the message, outside the rolled-back part.
Rows with errors are skipped and reported (line, column, reason; the first
`error_cap` kept, all counted).

Each batch is upserted on (agency, source id) and (incident, offence code), so
re-importing a file changes nothing. Rows sharing a source id (Boston, San
Francisco and Seattle write one row per offence) become one incident whose
primary offence is the most serious of all its offences, old and new, and which
is sensitive if any row says so.

How rows are counted (rows = imported + updated + merged_offences + skipped):
- imported: rows that created an incident (a source id new to the agency);
- updated: rows that updated an incident imported before this run (a re-import);
- merged_offences: further rows of an incident already seen in this file;
- skipped: rows with an error (error_total);
- missing_coordinates: of the incidents created or updated, those without usable
  coordinates (missing, 0/-1, out of range): kept and counted, left off maps.

A dry run does the same work and then rolls it back, so its counts are exactly
what the import would do; only the ImportRun (status DRY_RUN) is kept.
"""

from __future__ import annotations

import secrets
from array import array
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.audit.services import audit_record
from roundtable.incidents import offences
from roundtable.incidents.models import ImportRun, Incident, IncidentOffence
from roundtable.incidents.reading import ProfileError, Record, RowError, open_export
from roundtable.incidents.services_areas import assign_areas

# Records per write: large enough that per-query overhead vanishes, small enough
# that SQLite's variable limit and memory stay comfortable.
BATCH = 2000
# Incidents handed to area assignment at a time: the ids wait in memory until
# then, so a bound here keeps a million-row import's memory flat, while each
# call (which loads the agency's boundaries) is rare enough not to count.
AREA_CHUNK = 50_000
# Columns written, in the order `_write` builds each row's values.
INCIDENT_COLUMNS = [
    "agency_id",
    "source_id",
    "profile",
    "occurred_at",
    "occurred_on",
    "offence",
    "against",
    "crime_group",
    "sensitive",
    "block",
    "latitude",
    "longitude",
    "location",
    "import_run_id",
    "updated_at",
]
OFFENCE_COLUMNS = ["incident_id", "code", "description", "category"]
# The source id, then an incident's time and place in the order `_write` unpacks them.
PLACE_COLUMNS = ["source_id", "occurred_at", "occurred_on", "block", "latitude", "longitude",
                 "location"]  # fmt: skip


class _Fatal(Exception):
    """Stops the import; the message goes on the run."""


@dataclass
class _Tally:
    error_cap: int
    imported: int = 0
    updated: int = 0
    merged: int = 0
    skipped: int = 0
    missing: int = 0
    error_total: int = 0
    errors: list[dict[str, int | str]] = field(default_factory=list)
    # Incidents written and not yet assigned to areas: 8 bytes each, not an int object.
    touched: array[int] = field(default_factory=lambda: array("q"))
    areas: int = 0

    def error(self, error: RowError) -> None:
        self.skipped += 1
        self.error_total += 1
        if len(self.errors) < self.error_cap:
            self.errors.append(error.as_dict())


def updated_count(run: ImportRun) -> int:
    """Rows that updated an incident imported before the run (see the module docstring)."""
    return max(0, run.rows - run.imported - run.merged_offences - run.skipped)


def incidents_import(
    *,
    agency: Agency,
    path: Path,
    profile: str = "auto",
    mapping_text: str | None = None,
    dry_run: bool = False,
    actor: User | None = None,
    run: ImportRun | None = None,
    error_cap: int = 100,
) -> ImportRun:
    """Import one export file for an agency; the finished ImportRun (see module docstring)."""
    path = Path(path)
    if run is None:
        run = ImportRun.objects.create(
            agency=agency,
            kind=ImportRun.Kind.INCIDENTS,
            status=ImportRun.Status.RUNNING,
            profile=profile if profile != "auto" else "",
            file_name=path.name[:255],
            mapping_text=mapping_text or "",
            started_by=actor,
        )
    else:
        run.status = ImportRun.Status.RUNNING
        run.save(update_fields=["status"])
    tally = _Tally(error_cap=error_cap)
    try:
        # Deliberately not @transaction.atomic on the function: the run must be
        # saved (FAILED, with the message) after this block rolls back.
        with transaction.atomic():
            rows, profile_name = _import(
                agency=agency, path=path, profile=profile, mapping_text=mapping_text,
                run=run, tally=tally,
            )  # fmt: skip
            run.rows = rows
            run.profile = profile_name
            _fill(run, tally)
            audit_record(
                actor=actor,
                agency=agency,
                action="incidents.import",
                instance=run,
                after={**_summary(run), "areas_assigned": tally.areas, "dry_run": dry_run},
            )
            if dry_run:
                transaction.set_rollback(True)
    except (ProfileError, _Fatal) as error:
        return _failed(run, str(error), tally)
    except DatabaseError as error:
        return _failed(run, f"database error, nothing was saved: {error}", tally)
    except OSError as error:
        return _failed(run, f"cannot read the file: {error}", tally)
    except Exception as error:
        # A bug, not the file: still never leave the run "running"; then re-raise.
        _failed(run, f"internal error, nothing was saved: {error!r}", tally)
        raise
    run.status = ImportRun.Status.DRY_RUN if dry_run else ImportRun.Status.DONE
    run.finished_at = timezone.now()
    run.message = ""
    run.save()
    # Not a model field: handed back to the command and the task on the instance.
    run.areas_assigned = tally.areas  # type: ignore[attr-defined]
    return run


def _fill(run: ImportRun, tally: _Tally) -> None:
    run.imported = tally.imported
    run.skipped = tally.skipped
    run.missing_coordinates = tally.missing
    run.merged_offences = tally.merged
    run.error_total = tally.error_total
    run.errors = tally.errors


def _summary(run: ImportRun) -> dict[str, Any]:
    return {
        "profile": run.profile,
        "rows": run.rows,
        "imported": run.imported,
        "updated": updated_count(run),
        "skipped": run.skipped,
        "missing_coordinates": run.missing_coordinates,
        "merged_offences": run.merged_offences,
        "error_total": run.error_total,
    }


def _failed(run: ImportRun, message: str, tally: _Tally) -> ImportRun:
    # Nothing was saved: the counts say what was read before the failure.
    run.status = ImportRun.Status.FAILED
    run.message = message
    run.imported = 0
    run.merged_offences = 0
    run.skipped = tally.skipped
    run.missing_coordinates = 0
    run.error_total = tally.error_total
    run.errors = tally.errors
    run.finished_at = timezone.now()
    run.save()
    return run


def _import(
    *,
    agency: Agency,
    path: Path,
    profile: str,
    mapping_text: str | None,
    run: ImportRun,
    tally: _Tally,
) -> tuple[int, str]:
    """Rows read and the profile's name; area assignments counted on the tally."""
    with open_export(path, profile, mapping_text) as export:
        batch: list[Record] = []
        for item in export:
            if isinstance(item, RowError):
                tally.error(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                _write(
                    agency=agency, run=run, profile=export.profile_name, batch=batch, tally=tally
                )
                batch = []
        if batch:
            _write(agency=agency, run=run, profile=export.profile_name, batch=batch, tally=tally)
        rows, name = export.rows, export.profile_name
    _assign(agency, tally)
    return rows, name


def _assign(agency: Agency, tally: _Tally) -> None:
    """Areas for the incidents written since the last call."""
    if tally.touched:
        tally.areas += assign_areas(agency=agency, incident_ids=tally.touched)
        tally.touched = array("q")


def _located(records: list[Record]) -> Record:
    """The row whose place and time stand for the incident: the first with coordinates."""
    for record in records:
        if record.location == "ok":
            return record
    return records[0]


def _write(
    *, agency: Agency, run: ImportRun, profile: str, batch: list[Record], tally: _Tally
) -> None:
    """Upsert one batch of records (several may share a source id)."""
    groups: dict[str, list[Record]] = {}
    for record in batch:
        groups.setdefault(record.source_id, []).append(record)
    existing = {
        source_id: (pk, run_id, sensitive)
        for source_id, pk, run_id, sensitive in Incident.objects.filter(
            agency=agency, source_id__in=list(groups)
        ).values_list("source_id", "pk", "import_run_id", "sensitive")
    }
    # Where an incident seen in an earlier batch of this same file was placed:
    # a later batch holding only its unlocated rows must not overwrite that.
    earlier_here = [sid for sid, (_pk, run_id, _s) in existing.items() if run_id == run.pk]
    placed: dict[str, tuple[Any, ...]] = {}
    if earlier_here:
        placed = {
            row[0]: row[1:]
            for row in Incident.objects.filter(
                agency=agency, source_id__in=earlier_here
            ).values_list(*PLACE_COLUMNS)
        }
    old_categories: dict[int, set[str]] = {}
    if existing:
        for incident_id, category in IncidentOffence.objects.filter(
            incident_id__in=[pk for pk, _r, _s in existing.values()]
        ).values_list("incident_id", "category"):
            old_categories.setdefault(incident_id, set()).add(category)

    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    incidents: list[tuple[Any, ...]] = []
    for source_id, records in groups.items():
        categories = {o.category for r in records for o in r.offences}
        sensitive = any(r.sensitive for r in records)
        previous = existing.get(source_id)
        if previous is not None:
            categories |= old_categories.get(previous[0], set())
            sensitive = sensitive or previous[2]
        if previous is not None and previous[1] == run.pk:
            # Seen earlier in this same file (rows of one incident far apart).
            tally.merged += len(records)
        else:
            tally.merged += len(records) - 1
            if previous is None:
                tally.imported += 1
            else:
                tally.updated += 1
        main = _located(records)
        place = (main.occurred_at, main.occurred_on, main.block, main.latitude, main.longitude,
                 main.location)  # fmt: skip
        earlier = placed.get(source_id)
        if earlier is None:
            if main.location != "ok":
                tally.missing += 1
        elif earlier[-1] == "ok" and main.location != "ok":
            place = earlier  # keep the located row of the earlier batch
        elif earlier[-1] != "ok" and main.location == "ok":
            tally.missing -= 1  # counted missing in the earlier batch; located now
        occurred_at, occurred_on, block, latitude, longitude, location = place
        primary = offences.primary(sorted(categories))
        common = offences.offence(primary)
        incidents.append(
            (
                agency.pk,
                source_id,
                profile,
                ops.adapt_datetimefield_value(occurred_at),
                ops.adapt_datefield_value(occurred_on),
                primary,
                common.against.value,
                common.group.value,
                sensitive or any(c in offences.SENSITIVE_CODES for c in categories),
                block,
                latitude,
                longitude,
                location,
                run.pk,
                now,
            )
        )
    _upsert(Incident, INCIDENT_COLUMNS, incidents, ["agency_id", "source_id"])
    ids = {source_id: pk for source_id, (pk, _r, _s) in existing.items()}
    new = [source_id for source_id in groups if source_id not in ids]
    if new:
        ids.update(
            Incident.objects.filter(agency=agency, source_id__in=new).values_list("source_id", "pk")
        )
    rows: list[tuple[Any, ...]] = []
    for source_id, records in groups.items():
        by_code: dict[str, tuple[str, str]] = {}
        for record in records:
            for o in record.offences:
                known = by_code.get(o.code)
                # An extra code column has no words; keep the words another row gave.
                if known is None or (o.description and not known[0]):
                    by_code[o.code] = (o.description, o.category)
        incident_id = ids[source_id]
        rows.extend((incident_id, code, words, cat) for code, (words, cat) in by_code.items())
    _upsert(IncidentOffence, OFFENCE_COLUMNS, rows, ["incident_id", "code"])
    tally.touched.extend(ids.values())
    if len(tally.touched) >= AREA_CHUNK:
        _assign(agency, tally)


def _upsert(
    model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]], unique: list[str]
) -> None:
    """INSERT … ON CONFLICT (unique) DO UPDATE the other columns, for many rows.

    The statement `bulk_create(update_conflicts=True)` sends, written out:
    building a model instance and preparing every field in Python took about
    four fifths of the import's time (profiled on the bench file,
    bench/import_incidents.py). The same SQL runs on SQLite (3.24+) and
    PostgreSQL; values are adapted with the backend's own `connection.ops`.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c not in unique)
    # Names come from the models and this module's column lists, never from the
    # file; every value goes through a placeholder.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(quote(c) for c in unique)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# Uploads -----------------------------------------------------------------


def upload_folder() -> Path:
    return Path(settings.VAR_DIR) / "uploads" / "incidents"


@transaction.atomic
def incidents_import_enqueue(
    *,
    agency: Agency,
    upload: UploadedFile,
    profile: str,
    mapping_text: str | None,
    actor: User | None,
) -> ImportRun:
    """Store an uploaded export and queue its import; the QUEUED run.

    The file is kept under a random name (never the uploader's) until the
    background task has imported it.
    """
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{secrets.token_hex(16)}.csv"
    with stored.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        run = ImportRun.objects.create(
            agency=agency,
            kind=ImportRun.Kind.INCIDENTS,
            status=ImportRun.Status.QUEUED,
            profile=profile if profile != "auto" else "",
            file_name=(upload.name or "upload.csv")[:255],
            stored_path=str(stored),
            mapping_text=mapping_text or "",
            started_by=actor,
        )
    except BaseException:
        # No run points at the copy: do not leave it behind.
        stored.unlink(missing_ok=True)
        raise
    from roundtable.incidents.tasks import import_incidents_task

    transaction.on_commit(partial(import_incidents_task.enqueue, run.pk))
    return run


def incidents_import_stored(*, run_id: int) -> ImportRun | None:
    """The background task's work: import a queued upload, then delete the file.

    None when the run is gone or no longer queued (a task delivered twice).
    """
    run = ImportRun.objects.select_related("agency", "started_by").filter(pk=run_id).first()
    if run is None or run.status != ImportRun.Status.QUEUED:
        return None
    stored = Path(run.stored_path)
    try:
        if not run.stored_path or not stored.is_file():
            run.status = ImportRun.Status.FAILED
            run.message = "the uploaded file is no longer there; upload it again"
            run.finished_at = timezone.now()
            run.save()
            return run
        return incidents_import(
            agency=run.agency,
            path=stored,
            profile=run.profile or "auto",
            mapping_text=run.mapping_text or None,
            actor=run.started_by,
            run=run,
        )
    finally:
        stored.unlink(missing_ok=True)
        ImportRun.objects.filter(pk=run.pk).update(stored_path="")
