"""End to end: a million incidents imported, assigned to areas, hot spots computed.

The file is the real Chicago export (6,957 rows, 2014) resampled to
ROUNDTABLE_BENCH_ROWS rows (default 1,000,000): each row a random real row
with a new unique ID and case number, its date moved by up to a year (time of
day kept), its coordinates moved by about 100 m (normal, σ = 0.001°); blank
coordinates stay blank, so the real share of unlocated rows is kept.

Stages, each in its own Python process on the same SQLite bench database so
that each one's peak resident memory (ru_maxrss) is its own:
  boundaries  the real police beats (grouped into districts) and community areas
  import      `incidents_import` (helper B), which assigns the new incidents to
              areas inside its transaction
  assign      `assign_areas` again over every incident of the agency (what a
              boundary re-import does), timed on its own
  hotspots    `points_for_agency` then `hotspot_cells` (Gi*, settings'
              resolution, k and permutations)
"baseline" is a process that only starts Django, for scale.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import bench

DATA = Path(os.environ.get("ROUNDTABLE_DATA", "/work/shared/data")) / "incidents" / "chicago"
SOURCE = DATA / "crimes-2014-02-28_to_03-15.csv"
BEATS = DATA / "police-beats.shp"
COMMUNITY = DATA / "community-areas.geojson"
AGENCY = "bench-chicago"
DATE_FORMAT = "%m/%d/%Y %I:%M:%S %p"
STAGES = ("baseline", "boundaries", "import", "assign", "hotspots")


def make_file(path: Path, rows: int, seed: int = 5) -> None:
    """ROWS resampled rows of the real Chicago export (see the module docstring)."""
    rng = random.Random(seed)
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        source = list(reader)
    col = {name: i for i, name in enumerate(header)}
    dates = [dt.datetime.strptime(r[col["Date"]], DATE_FORMAT) for r in source]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for n in range(rows):
            pick = rng.randrange(len(source))
            row = list(source[pick])
            row[col["ID"]] = str(20_000_000 + n)
            row[col["Case Number"]] = f"BN{n:07d}"
            when = dates[pick] + dt.timedelta(days=rng.randrange(-365, 1))
            row[col["Date"]] = when.strftime(DATE_FORMAT)
            row[col["Year"]] = str(when.year)
            if row[col["Latitude"]]:
                lat = float(row[col["Latitude"]]) + rng.gauss(0, 0.001)
                lon = float(row[col["Longitude"]]) + rng.gauss(0, 0.001)
                row[col["Latitude"]], row[col["Longitude"]] = f"{lat:.9f}", f"{lon:.9f}"
                row[col["Location"]] = f"({lat:.9f}, {lon:.9f})"
            writer.writerow(row)


def stage(name: str, file: str) -> dict[str, Any]:
    """Run one stage in this process (Django already pointed at the bench database)."""
    import django

    django.setup()
    from django.conf import settings

    from roundtable.agencies.models import Agency
    from roundtable.incidents.hotspots import hotspot_cells, points_for_agency
    from roundtable.incidents.models import IncidentArea
    from roundtable.incidents.services_areas import assign_areas, boundaries_import
    from roundtable.incidents.services_import import incidents_import

    out: dict[str, Any] = {}
    started = time.perf_counter()
    if name == "boundaries":
        agency = Agency.objects.create(name="Bench Chicago", slug=AGENCY, kind="municipal")
        beats = boundaries_import(
            agency=agency,
            path=BEATS,
            kind="beat",
            name_field="BEAT_NUM",
            group_field="DISTRICT",
            group_kind="district",
        )
        community = boundaries_import(
            agency=agency, path=COMMUNITY, kind="neighbourhood", name_field="community"
        )
        out["boundaries"] = beats.imported + community.imported
    elif name == "import":
        agency = Agency.objects.get(slug=AGENCY)
        run = incidents_import(agency=agency, path=Path(file))
        out.update(
            status=run.status,
            rows=run.rows,
            imported=run.imported,
            missing_coordinates=run.missing_coordinates,
            areas_assigned=getattr(run, "areas_assigned", None),
            message=run.message[:200],
        )
    elif name == "assign":
        agency = Agency.objects.get(slug=AGENCY)
        out["links"] = assign_areas(agency=agency)
        out["incidents_in_a_beat"] = IncidentArea.objects.filter(
            area__agency=agency, area__kind="beat"
        ).count()
    elif name == "hotspots":
        agency = Agency.objects.get(slug=AGENCY)
        points = points_for_agency(agency)
        out["read_seconds"] = round(time.perf_counter() - started, 2)
        result = hotspot_cells(
            points,
            resolution=settings.ROUNDTABLE_HOTSPOT_RESOLUTION,
            k=settings.ROUNDTABLE_HOTSPOT_K,
            permutations=settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS,
        )
        out.update(
            points=len(points),
            cells=int(result.cells.size),
            hot_cells=int((result.bin > 0).sum()),
            cold_cells=int((result.bin < 0).sum()),
            statistics_seconds=round(result.seconds, 2),
        )
    out["seconds"] = round(time.perf_counter() - started, 2)
    # Linux reports ru_maxrss in KiB.
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def run() -> dict[str, str]:
    database = bench.setup_django()
    folder = Path(database).parent
    rows = int(os.environ.get("ROUNDTABLE_BENCH_ROWS", "1000000"))
    if not SOURCE.exists():
        return {"skipped": f"the real Chicago data is not at {DATA}"}
    path = folder / "chicago-resampled.csv"
    started = time.perf_counter()
    make_file(path, rows)
    results = {
        "file": f"{rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, written in "
        f"{time.perf_counter() - started:.1f} s"
    }
    for name in STAGES:
        # A fresh interpreter per stage: ru_maxrss is then that stage's own peak.
        done = subprocess.run(
            [sys.executable, "-m", "bench.incidents_end_to_end", name, str(path)],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            cwd=Path(__file__).resolve().parent.parent,
            check=False,
        )
        if done.returncode:
            results[name] = f"FAILED: {done.stderr.strip().splitlines()[-1:]}"
            break
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        seconds, peak = figures.pop("seconds"), figures.pop("peak_mb")
        line = f"{seconds:.1f} s, peak {peak:.0f} MB"
        if name == "import" and figures.get("rows"):
            line += f", {figures['rows'] / seconds:,.0f} rows/s"
        extra = ", ".join(f"{k}={v}" for k, v in figures.items() if k != "message")
        results[name] = f"{line}{'; ' + extra if extra else ''}"
    return results


if __name__ == "__main__":
    # A stage process: DATABASE_URL etc. come from the parent's setup_django().
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
    print(json.dumps(stage(sys.argv[1], sys.argv[2])))
