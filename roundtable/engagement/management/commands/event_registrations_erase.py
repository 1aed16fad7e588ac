"""`roundtable event_registrations_erase`: forget what registrants told us, on schedule.

Blanks the name, email, phone and needs of registrations for events that ended
more than ROUNDTABLE_REGISTRATION_KEEP_DAYS days ago (30 unless set); the
registrations stay, so their number is kept. Run it from cron once a day:

    15 3 * * *  roundtable event_registrations_erase
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roundtable.engagement.attendance import registrations_erase


class Command(BaseCommand):
    help = (
        "Erase registrants' names, emails, phone numbers and needs some days after "
        "their event ends (run it daily; the number of registrations is kept)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep details this many days after the event ends "
            "(default: ROUNDTABLE_REGISTRATION_KEEP_DAYS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days cannot be negative.")
        erased = registrations_erase(keep_days=options["days"])
        self.stdout.write(f"{erased} registration(s) erased.")
