"""`roundtable sentiment import`: a perception series (Chicago Police Sentiment Scores).

    roundtable sentiment import chicago-police-sentiment-scores.csv --agency chicago \
        [--source "Chicago Police Sentiment Scores"] [--user USERNAME] [--json]

Each row's unit (city, area, district or sector) is matched to one of the
agency's areas (district "14" -> "District 14"); import boundaries first so
the districts exist. Units without a matching area are kept and listed.
Re-importing the same file updates the scores in place. Exit status 1 when the
file is not in that layout; nothing is saved then.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roundtable.core.command_args import agency_named, member_named
from roundtable.incidents.models import ImportRun
from roundtable.incidents.services_sentiment import sentiment_import, unmatched_units


class Command(BaseCommand):
    help = "Import survey sentiment scores (safety, trust) per area and period for an agency."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        importing = actions.add_parser("import", help="Import a sentiment series from a CSV file.")
        importing.add_argument("file", help="A CSV file in the Police Sentiment Scores layout.")
        importing.add_argument("--agency", required=True, help="The agency's short name (slug).")
        importing.add_argument(
            "--source",
            default="Chicago Police Sentiment Scores",
            help="The series' name; re-imports update the scores of the same source.",
        )
        importing.add_argument("--user", help="Username of the staff member importing them.")
        importing.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = agency_named(options["agency"])
        actor = member_named(options["user"], agency)
        run = sentiment_import(
            agency=agency, path=Path(options["file"]), actor=actor, source=options["source"]
        )
        if options["json"]:
            unmatched = unmatched_units(run) if run.status == ImportRun.Status.DONE else []
            report = {
                "status": run.status,
                "rows": run.rows,
                "imported": run.imported,
                "skipped": run.skipped,
                "unmatched_units": unmatched,
                "errors": run.errors,
                "error_total": run.error_total,
                "message": run.message,
            }
            self.stdout.write(json.dumps(report))
        else:
            self.stdout.write(run.message)
            for error in run.errors:
                self.stdout.write(
                    f"line {error['line']}, column {error['column']}: {error['reason']}"
                )
        if run.status == ImportRun.Status.FAILED:
            raise CommandError("Nothing was imported." if options["json"] else run.message)
