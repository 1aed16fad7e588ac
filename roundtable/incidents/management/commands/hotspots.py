"""`roundtable hotspots FILE_OR_AGENCY`: Getis-Ord Gi* hot spots on H3 cells.

    roundtable hotspots crimes.csv [--profile auto] [--offence violent] [--since 2014-03-01]
        [--resolution 9] [--k 1] [--permutations 999] [--seed 0] [--json]
    roundtable hotspots riverside --offence burglary --json

An existing file path is read directly (no database needed); anything else is
an agency's short name and its imported incidents are used — the staff view,
sensitive incidents included. See docs/analytics/hot-spots.md for the method.
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roundtable.incidents import offences
from roundtable.incidents.hotspots import (
    HotspotResult,
    hotspot_cells,
    hotspot_json,
    points_for_agency,
    points_from_file,
)
from roundtable.incidents.reading import ProfileError

TOP = 10


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Getis-Ord Gi* hot spots on H3 hexagons, from an export file (no database needed) "
        "or from an agency's imported incidents (staff view: sensitive incidents included)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "source",
            metavar="FILE_OR_AGENCY",
            help="An incident export (CSV) or an agency's short name (slug).",
        )
        parser.add_argument(
            "--profile", default="auto", help="Export layout for a file: a profile name or auto."
        )
        parser.add_argument(
            "--offence",
            default="all",
            help="Offence filter: " + ", ".join([*offences.FILTERS, *offences.BY_CODE]) + ".",
        )
        parser.add_argument("--since", type=_date, help="Only incidents on or after this day.")
        parser.add_argument(
            "--resolution",
            type=int,
            default=settings.ROUNDTABLE_HOTSPOT_RESOLUTION,
            help="H3 resolution (0-15).",
        )
        parser.add_argument(
            "--k", type=int, default=settings.ROUNDTABLE_HOTSPOT_K, help="Neighbourhood rings."
        )
        parser.add_argument(
            "--permutations",
            type=int,
            default=settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS,
            help="Conditional permutations for the pseudo p-value (0: analytical p).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        offence: str = options["offence"]
        try:
            offences.check_filter(offence)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not 0 <= options["resolution"] <= 15:
            raise CommandError("--resolution must be between 0 and 15.")
        if options["k"] < 0 or options["permutations"] < 0:
            raise CommandError("--k and --permutations cannot be negative.")

        source: str = options["source"]
        path = Path(source)
        if path.is_file():
            try:
                points = points_from_file(
                    path, profile=options["profile"], offence=offence, since=options["since"]
                )
            except ProfileError as error:
                raise CommandError(str(error)) from None
        else:
            from roundtable.agencies.models import Agency

            agency = Agency.objects.filter(slug=source).first()
            if agency is None:
                raise CommandError(f"{source!r} is neither a file nor an agency's short name.")
            points = points_for_agency(agency, offence=offence, since=options["since"])

        result = hotspot_cells(
            points,
            resolution=options["resolution"],
            k=options["k"],
            permutations=options["permutations"],
            seed=options["seed"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(hotspot_json(result)))
        else:
            self.stdout.write(self._table(result, incidents=len(points)))

    def _table(self, result: HotspotResult, *, incidents: int) -> str:
        data = hotspot_json(result)
        cells = data["cells"]
        lines = [
            f"{incidents} located incidents, {len(cells)} cells "
            f"(H3 resolution {result.resolution}, k = {result.k}, "
            f"{result.permutations} permutations), {result.seconds:.2f} s.",
            f"Hot spots: {sum(c['bin'] > 0 for c in cells)}, "
            f"cold spots: {sum(c['bin'] < 0 for c in cells)} (FDR-adjusted p < 0.10).",
        ]
        by_z = sorted(cells, key=lambda c: c["z"])
        for title, chosen in (("Hottest", by_z[::-1][:TOP]), ("Coldest", by_z[:TOP])):
            chosen = [c for c in chosen if c["bin"] != 0]
            if not chosen:
                continue
            lines.append(f"{title} cells:")
            lines.append(f"  {'h3':<16} {'count':>6} {'z':>8} {'p':>7} {'p_fdr':>7} {'bin':>4}")
            for c in chosen:
                lines.append(
                    f"  {c['h3']:<16} {c['count']:>6} {c['z']:>8.2f} "
                    f"{c['p']:>7.3f} {c['p_fdr']:>7.3f} {c['bin']:>4}"
                )
        return "\n".join(lines)
