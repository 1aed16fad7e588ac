"""`roundtable demo`: the fictional Riverside jurisdiction to try Roundtable with."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from roundtable.agencies.models import Agency
from roundtable.demo.accounts import DEMO_PASSWORD, DEMO_TOTP_BASE32, demo_logins
from roundtable.demo.problems import demo_co_leads
from roundtable.demo.services import DemoError, demo_build


class Command(BaseCommand):
    help = (
        "Build the fictional demo jurisdiction (Riverside police and the state university "
        "police), or print its sign-ins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo agencies and demo accounts first, then build again.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Build only if the database has no agency at all; otherwise say so and skip.",
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="Print the demo sign-ins and how to pass two-factor. "
            "On its own it builds nothing.",
        )

    def handle(self, *args: Any, reset: bool, if_empty: bool, logins: bool, **options: Any) -> None:
        if reset and if_empty:
            raise CommandError("--reset and --if-empty contradict each other; choose one.")
        only_print = logins and not (reset or if_empty)
        if not only_print:
            self._build(reset=reset, if_empty=if_empty)
        if logins:
            self._print_logins()

    def _build(self, *, reset: bool, if_empty: bool) -> None:
        if if_empty and Agency.objects.exists():
            self.stdout.write("The database already has agencies; the demo was not built.")
            return
        started = time.monotonic()
        try:
            summary = demo_build(reset=reset)
        except DemoError as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Built the demo in {seconds:.1f} s: {summary.agencies} agencies, "
                f"{summary.areas} areas ({summary.boundaries} with boundaries), "
                f"{summary.incidents} incidents, {summary.organisations} organisations, "
                f"{summary.contacts} contacts, {summary.referrals} referrals, "
                f"{summary.interactions} interactions, {summary.events} events, "
                f"{summary.inputs} inputs, {summary.candidates} candidate priorities, "
                f"{summary.comparisons} pairwise votes, {summary.problems} problems, "
                f"{summary.surveys} surveys with {summary.survey_responses} responses, "
                f"{summary.measures} measures with {summary.measure_values} figures "
                f"({summary.partner_submissions} partner submissions), "
                f"{summary.meeting_packs} meeting packs, "
                f"{summary.users} accounts."
            )
        )
        self.stdout.write("Sign-ins: roundtable demo --logins")

    def _print_logins(self) -> None:
        rows = demo_logins()
        if not rows:
            self.stdout.write(
                "There are no demo accounts in this database. "
                "Build them with `roundtable demo` (or `roundtable demo --reset`)."
            )
            return
        header = ("username", "role", "agency", "password", "2FA")
        table = [
            (row.username, row.role, row.agency, DEMO_PASSWORD, "TOTP" if row.two_factor else "-")
            for row in rows
        ]
        widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header))]
        self.stdout.write(f"Demo sign-ins (sign in at {reverse('accounts:login')}):\n")
        for line in [header, *table]:
            cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        speakers = [row for row in rows if row.represents]
        if speakers:
            self.stdout.write("")
        for row in speakers:
            self.stdout.write(f"{row.username} speaks for {row.represents}.")
        for username, problems in demo_co_leads().items():
            teams = "; ".join(f"{p.title} ({p.get_stage_display()})" for p in problems)
            self.stdout.write(f"{username} co-leads the problem-solving teams on: {teams}.")
        example = next((row.username for row in rows if row.two_factor), "coordinator")
        secret = " ".join(DEMO_TOTP_BASE32[i : i + 4] for i in range(0, len(DEMO_TOTP_BASE32), 4))
        self.stdout.write(
            "\nAccounts marked TOTP ask for a six-digit code after the password. Either add\n"
            "this secret to an authenticator app (time-based, 6 digits, every 30 seconds):\n\n"
            f"    {secret}\n\n"
            "or print the current code for an account:\n\n"
            f"    .venv/bin/roundtable totp {example}   (from the project folder)\n"
        )
