"""Importing the Community Map from a CSV or Excel file.

Three steps, each usable alone:

1. `tabular.read_table` turns the file into numbered rows of text;
2. `validate_table` checks every row with `import_forms.OrganisationRowForm`
   (one form per row, so each form error names its column), then what needs
   the whole file: repeated rows, ambiguous matches and `referred_by`;
3. `import_rows.organisations_import` writes the valid rows in one transaction.

`import_file` chains them for the command line and the web page. By default
nothing is written when any row is bad; with `skip_invalid` the good rows are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.stakeholders.import_forms import ImportFileForm, OrganisationRowForm, area_lookup
from roundtable.stakeholders.import_index import (
    ImportCounts,
    ImportRow,
    OrganisationIndex,
    ambiguous_match_reason,
    name_key,
)
from roundtable.stakeholders.import_rows import organisations_import
from roundtable.stakeholders.tabular import Problem, Row, Table, read_table

__all__ = [
    "ImportFileForm",
    "ImportReport",
    "OrganisationRowForm",
    "Validation",
    "import_file",
    "organisations_import",
    "validate_table",
]


@dataclass
class Validation:
    columns: list[str]
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    # False when the file itself (its format or header) is wrong: no row was checked.
    readable: bool = True

    @property
    def bad_lines(self) -> set[int]:
        return {p.line for p in self.problems if p.line is not None}


def validate_table(table: Table, *, agency: Agency) -> Validation:
    """Every row checked; a problem for each bad (line, column)."""
    if table.problems:
        return Validation(table.columns, problems=list(table.problems), readable=False)
    validation = Validation(table.columns, problems=list(table.row_problems))
    validation.total = len(table.rows) + len(table.row_problems)
    areas = area_lookup(agency)
    for row in table.rows:
        form = OrganisationRowForm(row.cells, areas=areas)
        if form.is_valid():
            validation.rows.append(form.import_row(row.line))
        else:
            for column, errors in form.errors.as_data().items():
                reason = " ".join(message for error in errors for message in error.messages)
                validation.problems.append(Problem(row.line, column, reason))
    _check_across_rows(validation, OrganisationIndex.load(agency), table.rows)
    validation.problems.sort(key=lambda p: (p.line or 0, p.column))
    return validation


def _check_across_rows(
    validation: Validation, index: OrganisationIndex, table_rows: list[Row]
) -> None:
    """Repeated organisations, ambiguous matches and referred_by. Runs until no
    row is newly rejected: rejecting one row can break a reference to it."""
    bad: dict[int, Problem] = {}
    targets: dict[int, int | None] = {}
    for row in validation.rows:
        found = index.match(
            external_id=row.external_id, name=row.name, first_area_id=row.first_area_id
        )
        targets[row.line] = found[0] if len(found) == 1 else None
        if len(found) > 1:
            bad[row.line] = Problem(row.line, "name", ambiguous_match_reason(len(found)))
    _repeats(validation.rows, targets, bad)
    references = {
        row.line: row.cells["referred_by"] for row in table_rows if row.cells.get("referred_by")
    }
    # Every row of the file by external_id and name, to explain a reference to a rejected one.
    any_line: dict[str, int] = {}
    for table_row in table_rows:
        for key in (table_row.cells.get("external_id"), table_row.cells.get("name")):
            if key:
                any_line.setdefault(key, table_row.line)
    while True:
        rejected = len(bad)
        good = [row for row in validation.rows if row.line not in bad]
        resolved = _resolve_referrals(good, references, any_line, index, targets, bad)
        if len(bad) == rejected:
            break
    validation.problems.extend(bad.values())
    validation.rows = [resolved.get(row.line, row) for row in good]


def _repeats(
    rows: list[ImportRow], targets: dict[int, int | None], bad: dict[int, Problem]
) -> None:
    """Two rows for one organisation: the same external_id, the same name and
    first area, or both matching the same organisation on the map."""
    seen: dict[tuple[str, str, int | None], int] = {}
    by_target: dict[int, int] = {}
    for row in rows:
        if row.external_id:
            first = seen.setdefault(("id", row.external_id, None), row.line)
            column = "external_id"
        else:
            first = seen.setdefault(("name", name_key(row.name), row.first_area_id), row.line)
            column = "name"
        reason = _("The same organisation is on line %(line)d.")
        target = targets.get(row.line)
        if first == row.line and target is not None:
            first = by_target.setdefault(target, row.line)
            # Rows that differ can still land on one organisation, e.g. two
            # areas for one organisation on the map that has none yet.
            reason = _(
                "This row and line %(line)d match the same organisation on the map; "
                "give them external_ids to tell them apart."
            )
        if first != row.line and row.line not in bad:
            bad[row.line] = Problem(row.line, column, reason % {"line": first})


def _resolve_referrals(
    rows: list[ImportRow],
    references: dict[int, str],
    any_line: dict[str, int],
    index: OrganisationIndex,
    targets: dict[int, int | None],
    bad: dict[int, Problem],
) -> dict[int, ImportRow]:
    """referred_by is the external_id or exact name of another row, or of an
    organisation on the map. Rows whose reference fails are added to `bad`."""
    lines_by_id = {row.external_id: row.line for row in rows if row.external_id}
    lines_by_name: dict[str, list[int]] = {}
    for row in rows:
        lines_by_name.setdefault(row.name, []).append(row.line)
    resolved: dict[int, ImportRow] = {}
    for row in rows:
        text = references.get(row.line)
        if not text:
            continue
        line, pk, reason = _resolve_one(text, lines_by_id, lines_by_name, index)
        if reason is None and line is None and pk is None:
            if text in any_line:
                # A row of the file that was itself rejected.
                reason = _("Line %(line)d, which this row refers to, has errors.") % {
                    "line": any_line[text]
                }
            else:
                reason = _("No organisation “%(name)s” in this file or on the map.") % {
                    "name": text
                }
        elif line == row.line or (pk is not None and pk == targets.get(row.line)):
            reason = _("An organisation cannot refer itself.")
        if reason is not None:
            bad[row.line] = Problem(row.line, "referred_by", reason)
            continue
        resolved[row.line] = replace(row, referrer_line=line, referrer_id=pk)
    return resolved


def _resolve_one(
    text: str,
    lines_by_id: dict[str, int],
    lines_by_name: dict[str, list[int]],
    index: OrganisationIndex,
) -> tuple[int | None, int | None, str | None]:
    """(line in the file, or pk on the map, or why it is ambiguous); all None
    when nothing has that id or name."""
    if text in lines_by_id:
        return lines_by_id[text], None, None
    if text in index.by_external_id:
        return None, index.by_external_id[text], None
    lines = lines_by_name.get(text, [])
    pks = index.by_exact_name.get(text, [])
    if len(lines) == 1:
        return lines[0], None, None
    if len(lines) > 1 or len(pks) > 1:
        reason = _("Several organisations are called “%(name)s”; give its external_id.")
        return None, None, reason % {"name": text}
    return None, (pks[0] if pks else None), None


# ---------------------------------------------------------------- the whole file


@dataclass
class ImportReport:
    """What an import did. When the rows were not written (`ran` is False)
    every row counts as skipped."""

    rows: int = 0
    counts: ImportCounts = field(default_factory=ImportCounts)
    errors: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    # False when the file itself could not be read as a Community Map.
    readable: bool = True
    # The rows went through organisations_import (and were rolled back on a dry run).
    ran: bool = False

    @property
    def imported(self) -> bool:
        """Something was saved."""
        return self.ran and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        counts = self.counts
        return {
            "rows": self.rows,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "skipped": counts.skipped,
            "dry_run": self.dry_run,
            "errors": [p.as_dict() for p in self.errors],
        }


class _DryRun(Exception):
    pass


def import_file(
    *,
    actor: User | None,
    agency: Agency,
    data: bytes,
    filename: str,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Read, check and (unless any row is bad and `skip_invalid` is off) import.
    A dry run does the whole import and rolls it back, so its counts are real."""
    validation = validate_table(read_table(data, filename), agency=agency)
    report = ImportReport(
        rows=validation.total,
        counts=ImportCounts(rows=validation.total, skipped=validation.total),
        errors=validation.problems,
        dry_run=dry_run,
        readable=validation.readable,
    )
    if not validation.rows or (validation.problems and not skip_invalid):
        return report
    skipped = len(validation.bad_lines)
    try:
        with transaction.atomic():
            report.counts = organisations_import(
                actor=actor,
                agency=agency,
                rows=validation.rows,
                columns=validation.columns,
                skipped=skipped,
            )
            report.ran = True
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except ValidationError as error:
        # The map changed between the check and the write (another import, an
        # edit): nothing was written; say why.
        report.errors = [*report.errors, *(Problem(None, "", m) for m in error.messages)]
        report.ran = False
        report.counts = ImportCounts(rows=validation.total, skipped=validation.total)
    return report
