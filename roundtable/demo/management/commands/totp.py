"""`roundtable totp USERNAME`: the current code of a user's authenticator.

For local trials and demos, where the person at the keyboard is also the
account holder. It reads the secret from the database, so it would defeat
the second factor on a real server: it refuses with ROUNDTABLE_ENV=production.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from roundtable.accounts.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of USERNAME's authenticator (not in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "`roundtable totp` would bypass two-factor sign-in; it does not run with "
                "ROUNDTABLE_ENV=production."
            )
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"{username!r} has no confirmed authenticator.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stderr.write(f"(valid for about {remaining} more seconds)")
