"""`roundtable measures refresh|import`: the measures' figures from the command line.

    roundtable measures refresh [--agency SLUG] [--months N]
    roundtable measures import FILE --agency SLUG [--user USERNAME] [--json]

`refresh` recomputes the figures of computed measures (all agencies unless
--agency; the last 24 months unless --months) through the same service as the
page's button; schedule it daily (docs/measures.md). `import` reads a CSV or
xlsx file of figures (columns measure, period, area, value, count, base; FILE
may be - for standard input): when any row is wrong it lists each problem
(`line 4, column period: …`), imports nothing and exits with status 1.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roundtable.agencies.models import Agency
from roundtable.core.command_args import agency_named, member_named
from roundtable.measures.services import measures_refresh
from roundtable.measures.services_values import values_import_csv


class Command(BaseCommand):
    help = "Recompute computed measures, or import figures from a CSV or Excel file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{refresh,import}")
        refresh = actions.add_parser("refresh", help="Recompute the figures of computed measures.")
        refresh.add_argument("--agency", help="One agency's short name (default: every agency).")
        refresh.add_argument(
            "--months", type=int, default=24, help="How many months back (default 24)."
        )
        importing = actions.add_parser("import", help="Import figures from a file.")
        importing.add_argument("file", help="A .csv or .xlsx file, or - for standard input.")
        importing.add_argument("--agency", required=True, help="The agency's short name (slug).")
        importing.add_argument("--user", help="The member the import is recorded as.")
        importing.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh":
            self.refresh(options)
        else:
            self.import_(options)

    def refresh(self, options: dict[str, Any]) -> None:
        months: int = options["months"]
        if months < 1:
            raise CommandError("--months must be at least 1.")
        agencies = (
            [agency_named(options["agency"])] if options["agency"] else list(Agency.objects.all())
        )
        for agency in agencies:
            report = measures_refresh(agency=agency, months=months)
            self.stdout.write(
                f"{agency.slug}: {report.measures} computed measures, "
                f"{report.written} figures written, {report.removed} removed."
            )

    def import_(self, options: dict[str, Any]) -> None:
        agency = agency_named(options["agency"])
        actor = member_named(options["user"], agency)
        name: str = options["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror}.") from None
        report = values_import_csv(
            actor=actor, agency=agency, data=data, file_name="stdin.csv" if name == "-" else name
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for problem in report.problems:
                self.stdout.write(str(problem))
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problems in {name}; nothing was imported.")
        if not options["json"]:
            self.stdout.write(
                f"Imported into {agency.name}: {report.rows} figures, {report.created} new, "
                f"{report.replaced} replaced, {report.unchanged} unchanged."
            )
