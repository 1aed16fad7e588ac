"""`roundtable incidents`: import incident exports; list the built-in layouts.

    roundtable incidents import FILE [--profile NAME|auto|MAPPING.toml] \
        [--agency SLUG] [--dry-run] [--json] [--user USERNAME]
    roundtable incidents profiles

The layout is detected from the header unless --profile names a built-in
profile or a mapping file (docs/incidents-import.md). --agency may be left out
when there is exactly one agency. Rows with errors are skipped and listed
("line 12, column Date: …", the first 100, with the total); a fatal problem
(unknown layout, missing columns, bad mapping file, database error) saves
nothing and exits with status 1. --dry-run reads and checks everything and
reports what an import would do, then saves nothing but the run's record.

With --json, one object: {"profile", "rows", "imported", "updated", "skipped",
"missing_coordinates", "merged_offences", "areas_assigned", "errors": [{"line",
"column", "reason"}, …], "error_total", "status", "message"}.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roundtable.core.command_args import agency_named, member_named
from roundtable.incidents import profiles
from roundtable.incidents.models import ImportRun
from roundtable.incidents.services_import import incidents_import, updated_count


class Command(BaseCommand):
    help = "Import incident exports (CSV) for an agency, or list the built-in layouts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,profiles}")
        importing = actions.add_parser("import", help="Import incidents from a CSV export.")
        importing.add_argument(
            "file", help="The CSV file as the portal or records system wrote it."
        )
        importing.add_argument(
            "--profile",
            default="auto",
            help="auto (detect from the header), a built-in profile, or a .toml mapping file.",
        )
        importing.add_argument(
            "--agency", help="The agency's short name (slug); optional with one agency."
        )
        importing.add_argument(
            "--dry-run", action="store_true", help="Check and count, then save nothing."
        )
        importing.add_argument("--json", action="store_true", help="Print the report as JSON.")
        importing.add_argument("--user", help="Username of the staff member importing it.")
        actions.add_parser("profiles", help="List the built-in profiles and their headers.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "profiles":
            self._profiles()
            return
        agency = agency_named(options["agency"], only_one_may_be_implied=True)
        actor = member_named(options["user"], agency)
        profile: str = options["profile"]
        mapping_text = None
        if profile.endswith(".toml"):
            try:
                mapping_text = Path(profile).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot read {profile}: {error.strerror}.") from None
            profile = "auto"
        elif profile != "auto" and profile not in {p.name for p in profiles.all_profiles()}:
            known = ", ".join(p.name for p in profiles.all_profiles())
            raise CommandError(f"Unknown profile {profile!r}; use auto, {known} or a .toml file.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}.")
        run = incidents_import(
            agency=agency,
            path=path,
            profile=profile,
            mapping_text=mapping_text,
            dry_run=options["dry_run"],
            actor=actor,
        )
        report = {
            "profile": run.profile,
            "rows": run.rows,
            "imported": run.imported,
            "updated": updated_count(run) if run.status != ImportRun.Status.FAILED else 0,
            "skipped": run.skipped,
            "missing_coordinates": run.missing_coordinates,
            "merged_offences": run.merged_offences,
            "areas_assigned": getattr(run, "areas_assigned", 0),
            "errors": run.errors,
            "error_total": run.error_total,
            "status": run.status,
            "message": run.message,
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            self._print(report, dry_run=options["dry_run"])
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.message)

    def _print(self, report: dict[str, Any], *, dry_run: bool) -> None:
        if report["status"] == ImportRun.Status.FAILED:
            return
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"Profile {report['profile']}: {report['rows']} rows. {verb} {report['imported']} "
            f"new incidents, updated {report['updated']}, merged {report['merged_offences']} "
            f"offence rows, skipped {report['skipped']}; "
            f"{report['missing_coordinates']} without coordinates; "
            f"{report['areas_assigned']} area assignments."
        )
        for error in report["errors"]:
            self.stdout.write(f"line {error['line']}, column {error['column']}: {error['reason']}")
        if report["error_total"] > len(report["errors"]):
            self.stdout.write(f"… {report['error_total'] - len(report['errors'])} more errors.")

    def _profiles(self) -> None:
        for profile in profiles.all_profiles():
            self.stdout.write(f"{profile.name}: {profile.title}")
            self.stdout.write(f"  source: {profile.source_url}")
            self.stdout.write(f"  header: {', '.join(profile.header)}")
            self.stdout.write(f"  detected by: {', '.join(sorted(profile.signature))}")
            if profile.never_read:
                self.stdout.write(f"  never read: {', '.join(profile.never_read)}")
            if profile.notes:
                self.stdout.write(f"  {profile.notes}")
