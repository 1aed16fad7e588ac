"""`roundtable send_notifications`: the scheduled sweep for notices to contributors.

Each notice is sent by a background task as soon as it is queued; this sends
those still queued after a few minutes because their task was lost (a worker
was down, the queue was flushed). Run it from cron every few minutes:

    */5 * * * *  roundtable send_notifications
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from roundtable.inputs.notifications import notifications_send_queued


class Command(BaseCommand):
    help = "Send notices to contributors still queued after a few minutes (a lost task)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=5,
            metavar="MINUTES",
            help="Only notices queued at least this many minutes ago (default 5).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notifications_send_queued(older_than=dt.timedelta(minutes=options["older_than"]))
        self.stdout.write(f"{sent} notice(s) sent.")
