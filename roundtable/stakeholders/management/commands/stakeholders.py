"""`roundtable stakeholders import|export`: the Community Map as CSV or Excel.

    roundtable stakeholders import map.csv --agency riverside [--skip-invalid] [--dry-run] [--json]
    roundtable stakeholders export map.xlsx --agency riverside [--format csv|xlsx]

Import checks every row first. When any row is bad it lists them
(`line 14, column email: Enter a valid email address.`), imports nothing and
exits with status 1; --skip-invalid imports the good rows instead. FILE may be
`-` for standard input or output (CSV).

Both leave the same audit entries as the web pages, with no actor: an export
holds contacts' personal details, so the log says when one was taken.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roundtable.agencies.models import Agency
from roundtable.core.command_args import agency_named
from roundtable.stakeholders.exporting import csv_chunks, write_csv, write_xlsx
from roundtable.stakeholders.importing import ImportReport, import_file
from roundtable.stakeholders.services import organisations_export_record
from roundtable.stakeholders.tabular import FORMATS, format_for


class Command(BaseCommand):
    help = "Import or export an agency's Community Map as CSV or Excel (.xlsx)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        importing = actions.add_parser("import", help="Import organisations from a file.")
        importing.add_argument("file", help="A .csv or .xlsx file, or - for standard input.")
        importing.add_argument("--agency", required=True, help="The agency's short name (slug).")
        importing.add_argument(
            "--skip-invalid", action="store_true", help="Import the good rows even if some are bad."
        )
        importing.add_argument(
            "--dry-run", action="store_true", help="Check and count, then save nothing."
        )
        importing.add_argument("--json", action="store_true", help="Print the report as JSON.")
        exporting = actions.add_parser("export", help="Export organisations to a file.")
        exporting.add_argument("file", help="A .csv or .xlsx file, or - for standard output (CSV).")
        exporting.add_argument("--agency", required=True, help="The agency's short name (slug).")
        exporting.add_argument(
            "--format", choices=FORMATS, help="csv or xlsx (default: from the file name)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = agency_named(options["agency"])
        if options["action"] == "import":
            self.import_(agency, options)
        else:
            self.export(agency, options)

    def import_(self, agency: Agency, options: dict[str, Any]) -> None:
        name: str = options["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror}.") from None
        report = import_file(
            actor=None,
            agency=agency,
            data=data,
            filename=name,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for problem in report.errors:
                self.stdout.write(str(problem))
            self.stdout.write(self._summary(report, agency))
        if not report.ran and report.errors:
            bad = len({p.line for p in report.errors})
            if not report.readable:
                raise CommandError(
                    "The file cannot be read as a Community Map; nothing was imported."
                )
            hint = (
                ""
                if options["skip_invalid"]
                else " Fix them, or use --skip-invalid to import the rest."
            )
            raise CommandError(
                f"{bad} of {report.rows} rows have errors; nothing was imported.{hint}"
            )

    def _summary(self, report: ImportReport, agency: Agency) -> str:
        if not report.ran:
            return f"{report.rows} rows read; nothing imported."
        c = report.counts
        figures = (
            f"{c.created} created, {c.updated} updated, "
            f"{c.unchanged} unchanged, {c.skipped} skipped"
        )
        if report.dry_run:
            return f"Dry run, nothing saved. {report.rows} rows would give: {figures}."
        return f"Imported into {agency.name}: {report.rows} rows, {figures}."

    def export(self, agency: Agency, options: dict[str, Any]) -> None:
        name: str = options["file"]
        fmt = options["format"] or ("csv" if name == "-" else format_for(name))
        if fmt is None:
            raise CommandError("Name the file .csv or .xlsx, or give --format.")
        if name == "-":
            if fmt != "csv":
                raise CommandError("Only CSV can go to standard output.")
            for chunk in csv_chunks(agency):
                self.stdout.write(chunk, ending="")
            organisations_export_record(actor=None, agency=agency, fmt=fmt)
            return
        try:
            if fmt == "csv":
                with open(name, "w", encoding="utf-8", newline="") as text:
                    count = write_csv(agency, text)
            else:
                with open(name, "wb") as binary:
                    count = write_xlsx(agency, binary)
        except OSError as error:
            raise CommandError(f"Cannot write {name}: {error.strerror}.") from None
        organisations_export_record(actor=None, agency=agency, fmt=fmt)
        self.stdout.write(f"Exported {count} organisations of {agency.name} to {name}.")
