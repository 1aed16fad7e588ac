"""Incident import: our reader and full import against DuckDB's read_csv, same file, same run.

The file is the real Chicago export (6,957 rows, 2014) resampled to
ROUNDTABLE_BENCH_ROWS rows (default 1,000,000) by `incidents_end_to_end.make_file`:
new unique IDs, dates moved by up to a year, coordinates moved by about 100 m,
blank coordinates kept blank (the real quirk), so the reader does real work.

Measured:
  reader   `reading.open_export` iterated to the end (parse dates to UTC, map
           offences, check coordinates): rows per second;
  duckdb   `duckdb.read_csv(file).fetchnumpy()`: every column parsed and
           materialised (DuckDB's multi-threaded C++ reader, types sniffed);
           the ratios use this; `count(*)` over read_csv is shown beside it;
  import   `incidents_import` into a fresh SQLite bench database, in its own
           process: rows per second and peak resident memory (VmHWM);
           also run on a file a tenth the size, so that the two peaks show
           whether memory grows with the file (it should not).
"baseline" is a process that only starts Django and migrates, for scale.
Ratios are DuckDB's rate over ours (how many times faster DuckDB is).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench

ROWS = int(os.environ.get("ROUNDTABLE_BENCH_ROWS", "1000000"))


def child(kind: str, file: str) -> dict[str, Any]:
    """One measured process: "baseline" (Django only) or "import" of FILE."""
    bench.setup_django()
    result: dict[str, Any] = {}
    if kind == "import":
        from roundtable.agencies.models import Agency
        from roundtable.incidents.services_import import incidents_import, updated_count

        agency = Agency.objects.create(
            name="Bench Chicago", slug="bench-chicago", kind=Agency.Kind.MUNICIPAL
        )
        started = time.perf_counter()
        run = incidents_import(agency=agency, path=Path(file))
        seconds = time.perf_counter() - started
        result = {
            "status": run.status,
            "message": run.message,
            "rows": run.rows,
            "imported": run.imported,
            "updated": updated_count(run),
            "skipped": run.skipped,
            "missing_coordinates": run.missing_coordinates,
            "seconds": seconds,
        }
    result["peak_mb"] = peak_mb()
    return result


def peak_mb() -> float:
    """This process's peak resident memory.

    VmHWM, not ru_maxrss: a child started by fork and exec reports in
    ru_maxrss the parent's peak at the fork (here the DuckDB arrays), while
    VmHWM belongs to the new program's own memory map.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    # Elsewhere (macOS reports bytes, Linux kilobytes): the fallback above's caveat applies.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def in_child(kind: str, file: str = "") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_incidents", "--child", kind, file],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def time_reader(path: Path) -> tuple[int, float]:
    from roundtable.incidents.reading import Record, open_export

    started = time.perf_counter()
    records = 0
    with open_export(path) as export:
        for item in export:
            records += isinstance(item, Record)
    return records, time.perf_counter() - started


def time_duckdb(path: Path) -> tuple[int, float, float]:
    """Rows, seconds to materialise every column, seconds to count the rows."""
    import duckdb

    connection = duckdb.connect()
    started = time.perf_counter()
    columns = connection.read_csv(str(path)).fetchnumpy()
    rows = len(next(iter(columns.values())))
    materialised = time.perf_counter() - started
    del columns
    started = time.perf_counter()
    connection.sql(f"SELECT count(*) FROM read_csv('{path}')").fetchall()
    counted = time.perf_counter() - started
    connection.close()
    return rows, materialised, counted


def run() -> dict[str, str]:
    from bench.incidents_end_to_end import make_file

    folder = Path(tempfile.mkdtemp(prefix="roundtable-bench-import-"))
    try:
        big = folder / "chicago-resampled.csv"
        small = folder / "chicago-resampled-tenth.csv"
        started = time.perf_counter()
        make_file(big, ROWS)
        make_file(small, max(1, ROWS // 10), seed=6)
        made = time.perf_counter() - started
        # The measured children first, before this process grows.
        baseline = in_child("baseline")
        tenth = in_child("import", str(small))
        full = in_child("import", str(big))
        records, reader_s = time_reader(big)
        duck_rows, duck_s, count_s = time_duckdb(big)
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    reader_rate = records / reader_s
    duck_rate = duck_rows / duck_s
    import_rate = full["rows"] / full["seconds"]
    return {
        "file": f"{ROWS:,} rows resampled from the real Chicago export (built in {made:.1f} s)",
        "duckdb read_csv + fetchnumpy": f"{duck_rows:,} rows in {duck_s:.2f} s "
        f"({duck_rate:,.0f} rows/s); count(*) over read_csv alone {count_s:.2f} s "
        f"({duck_rows / count_s:,.0f} rows/s)",
        "our reader (records)": f"{records:,} rows in {reader_s:.2f} s "
        f"({reader_rate:,.0f} rows/s); DuckDB is {duck_rate / reader_rate:.1f}x faster",
        "our full import (SQLite)": f"{full['rows']:,} rows in {full['seconds']:.1f} s "
        f"({import_rate:,.0f} rows/s); DuckDB is {duck_rate / import_rate:.1f}x faster; "
        f"imported {full['imported']:,}, skipped {full['skipped']:,}, "
        f"without coordinates {full['missing_coordinates']:,}, status {full['status']}",
        "peak memory (VmHWM)": f"Django only {baseline['peak_mb']:.0f} MB; "
        f"import of {tenth['rows']:,} rows {tenth['peak_mb']:.0f} MB; "
        f"import of {full['rows']:,} rows {full['peak_mb']:.0f} MB",
    }


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")))
    else:
        for key, value in run().items():
            print(f"{key}: {value}")
