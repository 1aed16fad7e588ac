"""`roundtable serve`: the development web server on PORT (default 8000).

Production runs behind a WSGI server instead: see docs/deployment.md.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Roundtable on http://127.0.0.1:PORT for local use."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            f"Roundtable on http://{options['host']}:{options['port']}/ (Ctrl-C stops it)"
        )
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
