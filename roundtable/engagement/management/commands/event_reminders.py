from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roundtable.engagement.reminders import event_reminders_send


class Command(BaseCommand):
    help = (
        "Remind people who registered with contact details about events starting soon "
        "(run it every hour or so; each person is reminded once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=48,
            help="Remind about events starting within this many hours.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] <= 0:
            raise CommandError("--hours must be positive.")
        sent = event_reminders_send(hours=options["hours"])
        self.stdout.write(f"{sent} reminder(s) sent.")
