"""`roundtable inputs import`: a 311 or social-media export into the ledger.

    roundtable inputs import FILE --agency riverside --channel 311 \
        [--map text=Description --map "received_at=Created Date" …] \
        [--topic other] [--language en] [--user casey] [--skip-invalid] [--dry-run] [--json]

Columns are mapped as on the import page: without --map, guessed from the
header names (the guess is printed); each --map field=Column overrides one
field, and field= (nothing after the =) leaves it out. Every row is checked
first: when any is bad the problems are printed
(`line 12, column Created Date: …`), nothing is imported and the exit status
is 1, unless --skip-invalid imports the good rows. Rows already imported (same
channel and id) are counted, not stored again. FILE may be `-` for standard
input (CSV).

--user names the staff member the inputs are recorded by (a member of the
agency); without it they are recorded by no one. Either way the import leaves
the same audit entries as the web page.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roundtable.agencies.models import Agency
from roundtable.core.command_args import agency_named, member_named
from roundtable.inputs import importing
from roundtable.inputs.import_forms import IMPORT_CHANNELS
from roundtable.inputs.models import Topic


class Command(BaseCommand):
    help = "Import a 311 or social-media export (CSV or Excel) into an agency's response ledger."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        importing_ = actions.add_parser("import", help="Import inputs from a file.")
        importing_.add_argument("file", help="A .csv or .xlsx file, or - for standard input.")
        importing_.add_argument("--agency", required=True, help="The agency's short name (slug).")
        importing_.add_argument(
            "--channel", required=True, choices=[str(c.value) for c in IMPORT_CHANNELS]
        )
        importing_.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"Which column holds a field ({', '.join(importing.FIELDS)}); repeatable.",
        )
        importing_.add_argument(
            "--topic", default=Topic.OTHER, choices=Topic.values, help="Topic when none is given."
        )
        importing_.add_argument(
            "--language",
            default="en",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language when none is given.",
        )
        importing_.add_argument("--user", help="Username of the staff member recording them.")
        importing_.add_argument(
            "--skip-invalid", action="store_true", help="Import the good rows even if some are bad."
        )
        importing_.add_argument(
            "--dry-run", action="store_true", help="Check and count, then save nothing."
        )
        importing_.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = agency_named(options["agency"])
        actor = member_named(options["user"], agency)
        name: str = options["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror}.") from None
        table = importing.read(data, name)
        if table.problems:
            for problem in table.problems:
                self.stdout.write(str(problem))
            raise CommandError("The file cannot be read; nothing was imported.")
        mapping = importing.guess_mapping(table.columns)
        overrides, wrong = importing.mapping_from_pairs(options["map"], table.columns)
        for pair in options["map"]:
            field = pair.partition("=")[0].strip()
            if field in importing.FIELDS and field not in overrides:
                mapping.pop(field, None)
        mapping.update(overrides)
        wrong += importing.mapping_problems(mapping)
        labels = dict(zip(table.columns, table.labels, strict=False))
        if not options["json"]:
            shown = ", ".join(f"{f}={labels[c]!r}" for f, c in mapping.items())
            self.stdout.write(f"Columns: {shown or 'none'}")
        if wrong:
            raise CommandError(" ".join(wrong))
        report = importing.import_table(
            actor=actor,
            agency=agency,
            channel=options["channel"],
            table=table,
            mapping=mapping,
            default_topic=options["topic"],
            default_language=options["language"],
            filename=Path(name).name,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for problem in report.errors:
                self.stdout.write(str(problem))
            self.stdout.write(self._summary(report, agency))
        if report.errors and not report.ran:
            hint = "" if options["skip_invalid"] else " Fix them, or use --skip-invalid."
            raise CommandError(
                f"{report.bad_rows} of {report.rows} rows have errors; nothing was imported.{hint}"
            )

    def _summary(self, report: importing.ImportReport, agency: Agency) -> str:
        if not report.ran:
            return f"{report.rows} rows read; nothing imported."
        c = report.counts
        figures = f"{c.created} new, {c.already} already imported, {c.skipped} skipped"
        if report.dry_run:
            return f"Dry run, nothing saved. {report.rows} rows would give: {figures}."
        return f"Imported into {agency.name}: {report.rows} rows, {figures}."
