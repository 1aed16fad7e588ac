"""`roundtable serve`: the development web server on PORT (default 8000), with
the background worker beside it so that notices to contributors are sent.

Production runs a WSGI server and `roundtable db_worker` as two services
instead: see docs/deployment.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Roundtable on http://127.0.0.1:PORT for local use, with a task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None
        uses_database_queue = settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")
        if not options["no_worker"] and uses_database_queue:
            worker = subprocess.Popen(
                [sys.executable, "-m", "roundtable", "db_worker", "--no-reload", "--interval=2"]
            )
            self.stdout.write("Background worker started (emails and texts to contributors).")
        self.stdout.write(
            f"Roundtable on http://{options['host']}:{options['port']}/ (Ctrl-C stops it)"
        )
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
