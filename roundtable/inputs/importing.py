"""Importing 311 and social-media exports into the response ledger.

The files come from systems we do not control, so their columns are mapped
rather than prescribed: `guess_mapping` proposes which column holds each of
Roundtable's fields from the header names, a coordinator confirms or changes
it, then every row is checked like the Community Map importer does
(`InputRowForm` per row; errors read "line N, column C: reason", C being the
file's own column name) before anything is written.

The fields, the header names behind the guesses and the checks of a mapping
are in `import_columns.py`. Three steps, each usable alone (the web pages and the `inputs import`
command chain them the same way):

1. `read` turns the file into numbered rows of text (`stakeholders.tabular`:
   line numbers, size limits, delimiter sniffing, formula defusing);
2. `validate` checks every row against a mapping;
3. `inputs_import` writes the valid rows in one transaction.

Privacy: only the mapped fields are read. There is no field for the name,
handle, phone number or email of whoever wrote, so they are never imported,
and every imported input is anonymous (no contact, nobody to notify). The text
is kept as written; public pages redact it.

Due dates count from the day of the import, not from each row's own date:
the agency hears of a year-old 311 request only now, and promises dated back
a year would put the whole history on the overdue list on arrival. The row's
date stays its `received_at`.

Re-importing the same export is safe: a row whose id (case number, post id)
is already in the ledger for that channel is counted "already imported", not
stored twice and not an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record
from roundtable.inputs.import_columns import (
    FIELD_HELP,
    FIELD_LABELS,
    FIELDS,
    GUESSES,
    REQUIRED_FIELDS,
    guess_mapping,
    mapping_from_pairs,
    mapping_problems,
)
from roundtable.inputs.import_forms import InputRowForm
from roundtable.inputs.models import Input, InputChannel
from roundtable.inputs.services_bulk import AnonymousRow, inputs_create_anonymous
from roundtable.stakeholders.import_forms import area_lookup
from roundtable.stakeholders.tabular import Problem, Table, read_table

__all__ = [
    "FIELDS",
    "FIELD_HELP",
    "FIELD_LABELS",
    "GUESSES",
    "REQUIRED_FIELDS",
    "ImportReport",
    "guess_mapping",
    "import_table",
    "inputs_import",
    "mapping_from_pairs",
    "mapping_problems",
    "read",
    "validate",
]
# Room for the 40-odd columns of a Socrata 311 dataset, and more.
MAX_COLUMNS = 120


def read(data: bytes, filename: str) -> Table:
    """Any columns (they are mapped afterwards); at least one named."""
    return read_table(
        data, filename, known_columns=None, required_columns=(), max_columns=MAX_COLUMNS
    )


def preview(table: Table, mapping: dict[str, str], *, limit: int = 5) -> list[list[str]]:
    """The first rows' cells for the mapped fields, in FIELDS order."""
    mapped = [name for name in FIELDS if name in mapping]
    return [[row.cells.get(mapping[name], "") for name in mapped] for row in table.rows[:limit]]


@dataclass(frozen=True)
class InputRow:
    line: int
    text: str
    received_at: dt.datetime | None
    external_id: str
    topic: str
    area: Area | None
    latitude: Decimal | None
    longitude: Decimal | None
    language: str


@dataclass
class Validation:
    rows: list[InputRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Lines whose id is already in the ledger: left out, not an error.
    already: list[int] = field(default_factory=list)
    total: int = 0
    # False when the file itself (its format or header) or the mapping is wrong.
    readable: bool = True

    @property
    def bad_lines(self) -> set[int]:
        return {p.line for p in self.problems if p.line is not None}


def validate(
    table: Table,
    *,
    agency: Agency,
    channel: InputChannel | str,
    mapping: dict[str, str],
    default_topic: str,
    default_language: str,
) -> Validation:
    """Every row checked; a problem for each bad (line, column)."""
    if table.problems:
        return Validation(problems=list(table.problems), readable=False)
    wrong = mapping_problems(mapping)
    if wrong:
        return Validation(problems=[Problem(None, "", reason) for reason in wrong], readable=False)
    labels = dict(zip(table.columns, table.labels, strict=False))
    validation = Validation(problems=list(table.row_problems))
    validation.total = len(table.rows) + len(table.row_problems)
    areas = area_lookup(agency)
    for row in table.rows:
        cells = {name: row.cells.get(column, "") for name, column in mapping.items()}
        form = InputRowForm(cells, areas=areas, received_required="received_at" in mapping)
        if not form.is_valid():
            for name, errors in form.errors.as_data().items():
                reason = " ".join(message for error in errors for message in error.messages)
                column = labels.get(mapping.get(name, ""), name)
                validation.problems.append(Problem(row.line, column, reason))
            continue
        data = form.cleaned_data
        validation.rows.append(
            InputRow(
                line=row.line,
                text=data["text"],
                received_at=data["received_at"],
                external_id=data["external_id"],
                topic=data["topic"] or default_topic,
                area=data["area"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                language=data["language"] or default_language,
            )
        )
    _repeated_ids(validation, labels.get(mapping.get("external_id", ""), "external_id"))
    _already_imported(validation, agency=agency, channel=channel)
    validation.problems.sort(key=lambda p: (p.line or 0, p.column))
    return validation


def _repeated_ids(validation: Validation, column: str) -> None:
    first: dict[str, int] = {}
    kept = []
    for row in validation.rows:
        if row.external_id and first.setdefault(row.external_id, row.line) != row.line:
            reason = _("The same id is on line %(line)d.") % {"line": first[row.external_id]}
            validation.problems.append(Problem(row.line, column, reason))
        else:
            kept.append(row)
    validation.rows = kept


def _already_imported(validation: Validation, *, agency: Agency, channel: str) -> None:
    ids = [row.external_id for row in validation.rows if row.external_id]
    stored: set[str] = set()
    # In slices, so the query stays within SQLite's parameter limit.
    for start in range(0, len(ids), 500):
        stored.update(
            external_id
            for external_id in Input.objects.filter(
                agency=agency, channel=channel, external_id__in=ids[start : start + 500]
            ).values_list("external_id", flat=True)
            if external_id
        )
    validation.already = [row.line for row in validation.rows if row.external_id in stored]
    validation.rows = [row for row in validation.rows if row.external_id not in stored]


# ---------------------------------------------------------------- writing


@dataclass
class ImportCounts:
    rows: int = 0
    created: int = 0
    already: int = 0
    skipped: int = 0


@transaction.atomic
def inputs_import(
    *,
    actor: User | None,
    agency: Agency,
    channel: InputChannel | str,
    rows: list[InputRow],
    rows_in_file: int,
    already: int = 0,
    skipped: int = 0,
    filename: str = "",
) -> ImportCounts:
    """Store `rows` as anonymous inputs recorded by `actor`, in one transaction,
    with one audit entry for the import besides one per input."""
    counts = ImportCounts(rows=rows_in_file, already=already, skipped=skipped)
    created, repeated = inputs_create_anonymous(
        agency=agency,
        channel=channel,
        recorded_by=actor,
        rows=[
            AnonymousRow(
                topic=row.topic,
                text=row.text,
                language=row.language,
                area=row.area,
                latitude=row.latitude,
                longitude=row.longitude,
                external_id=row.external_id or None,
                received_at=row.received_at,
            )
            for row in rows
        ],
    )
    counts.created = len(created)
    # Imported by someone else since the check.
    counts.already += repeated
    audit_record(
        actor=actor,
        agency=agency,
        action="inputs.import",
        instance=agency,
        after={
            "channel": str(channel),
            "file": filename[:200],
            "rows": counts.rows,
            "created": counts.created,
            "already_imported": counts.already,
            "skipped": counts.skipped,
        },
    )
    return counts


@dataclass
class ImportReport:
    """What an import did. When nothing was written (`ran` is False) every row
    counts as skipped."""

    rows: int = 0
    counts: ImportCounts = field(default_factory=ImportCounts)
    errors: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    readable: bool = True
    ran: bool = False

    @property
    def imported(self) -> bool:
        return self.ran and not self.dry_run

    @property
    def bad_rows(self) -> int:
        return len({p.line for p in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.counts.created,
            "already_imported": self.counts.already,
            "skipped": self.counts.skipped,
            "dry_run": self.dry_run,
            "errors": [p.as_dict() for p in self.errors],
        }


class _DryRun(Exception):
    pass


def import_table(
    *,
    actor: User | None,
    agency: Agency,
    channel: InputChannel | str,
    table: Table,
    mapping: dict[str, str],
    default_topic: str,
    default_language: str,
    filename: str = "",
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Check, then (unless a row is bad and `skip_invalid` is off) import.
    A dry run does the whole import and rolls it back, so its counts are real."""
    validation = validate(
        table,
        agency=agency,
        channel=channel,
        mapping=mapping,
        default_topic=default_topic,
        default_language=default_language,
    )
    report = ImportReport(
        rows=validation.total,
        counts=ImportCounts(rows=validation.total, skipped=validation.total),
        errors=validation.problems,
        dry_run=dry_run,
        readable=validation.readable,
    )
    if not validation.readable or (validation.problems and not skip_invalid):
        return report
    if not validation.rows and not validation.already:
        return report
    try:
        with transaction.atomic():
            report.counts = inputs_import(
                actor=actor,
                agency=agency,
                channel=channel,
                rows=validation.rows,
                rows_in_file=validation.total,
                already=len(validation.already),
                skipped=len(validation.bad_lines),
                filename=filename,
            )
            report.ran = True
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except ValidationError as error:
        report.errors = [*report.errors, *(Problem(None, "", m) for m in error.messages)]
        report.ran = False
        report.counts = ImportCounts(rows=validation.total, skipped=validation.total)
    return report
