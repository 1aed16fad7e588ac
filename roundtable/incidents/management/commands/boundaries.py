"""`roundtable boundaries import`: beats, districts or neighbourhoods from a boundary file.

    roundtable boundaries import police-beats.shp --agency chicago --kind beat \
        --name-field BEAT_NUM [--group-field DISTRICT --group-kind district] \
        [--source "City of Chicago"] [--user USERNAME] [--json]

FILE is a GeoJSON file (.geojson/.json), a shapefile (.shp with its .shx, .dbf
and .prj beside it) or a .zip holding one. Coordinates in another system than
WGS 84 (a State Plane .prj) are reprojected. Each feature becomes an area
(matched by name or short name, so areas made by hand get their boundary);
with --group-field, features sharing that field's value are grouped under a
parent area whose boundary is their union ("District 14"). Incidents already
imported are then assigned to the areas again. Exit status 1 when the file
cannot be imported; nothing is saved then.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roundtable.agencies.models import Area
from roundtable.core.command_args import agency_named, member_named
from roundtable.incidents.models import ImportRun
from roundtable.incidents.services_areas import boundaries_import


class Command(BaseCommand):
    help = "Import area boundaries (GeoJSON or shapefile) for an agency."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        importing = actions.add_parser("import", help="Import boundaries from a file.")
        importing.add_argument("file", help="A .geojson, .json, .shp or .zip file.")
        importing.add_argument("--agency", required=True, help="The agency's short name (slug).")
        importing.add_argument(
            "--kind", required=True, choices=Area.Kind.values, help="What the features are."
        )
        importing.add_argument(
            "--name-field", required=True, help="The attribute holding each area's name."
        )
        importing.add_argument(
            "--group-field", help="An attribute grouping features into parent areas."
        )
        importing.add_argument(
            "--group-kind",
            choices=Area.Kind.values,
            default=Area.Kind.DISTRICT,
            help="The kind of the parent areas (default: district).",
        )
        importing.add_argument("--source", default="", help="Where the boundaries come from.")
        importing.add_argument("--user", help="Username of the staff member importing them.")
        importing.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = agency_named(options["agency"])
        actor = member_named(options["user"], agency)
        run = boundaries_import(
            agency=agency,
            path=Path(options["file"]),
            kind=options["kind"],
            name_field=options["name_field"],
            group_field=options["group_field"],
            group_kind=options["group_kind"] if options["group_field"] else None,
            actor=actor,
            source=options["source"],
        )
        if options["json"]:
            report = {
                "status": run.status,
                "format": run.profile,
                "features": run.rows,
                "boundaries": run.imported,
                "notes": run.errors,
                "note_total": run.error_total,
                "message": run.message,
            }
            self.stdout.write(json.dumps(report))
        else:
            self.stdout.write(run.message)
        if run.status == ImportRun.Status.FAILED:
            raise CommandError("Nothing was imported." if options["json"] else run.message)
