"""Benchmarks. `make bench` (`python -m bench`) runs every module's `run()`.

Each bench works on a throwaway SQLite database in a temporary folder, never
on the developer's own data: `setup_django()` points DATABASE_URL there before
Django starts, migrates it quietly and removes the folder at exit. Benches
compare against a reference measured in the same run and print figures; they
set no thresholds.
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

_ready = False


def setup_django() -> str:
    """Start Django on a fresh, migrated SQLite database; the database path."""
    global _ready
    folder = os.environ.get("ROUNDTABLE_BENCH_DIR", "")
    if not _ready:
        folder = tempfile.mkdtemp(prefix="roundtable-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["ROUNDTABLE_BENCH_DIR"] = folder
        # Always override: a bench must never write to a real database.
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["ROUNDTABLE_VAR_DIR"] = folder
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
        os.environ.setdefault("ROUNDTABLE_LOG_LEVEL", "WARNING")

        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        _ready = True
    return os.path.join(folder, "bench.sqlite3")


def timed(work: Callable[[], Any], runs: int) -> tuple[Any, float, float]:
    """The last result, the best and the median seconds of `runs` runs."""
    seconds = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return result, min(seconds), statistics.median(seconds)
