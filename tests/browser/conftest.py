"""Real-browser fixtures: Debian's Chromium driven by Playwright's sync API.

Playwright cannot download its own browser on this network, so the browser is
the system one (`apt-get install chromium`). Every test gets a fresh context
(cookies, language, JavaScript switch) against pytest-django's `live_server`,
and fails if the page logged a Content-Security-Policy violation: the CSP
forbids inline scripts and inline style attributes, and a browser is the only
place a breach shows.

Run with `make test-browser` (which sets DJANGO_ALLOW_ASYNC_UNSAFE: the sync
API keeps an event loop running in the test thread, and Django refuses ORM
calls under a running loop unless told it is safe).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from roundtable.accounts.models import User
from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home on start and logs failures on a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright waits this long (ms) for an element or a navigation before failing.
TIMEOUT_MS = 10_000

CSP_MESSAGE = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues() -> None:
    """`make test-browser` compiles the .po files; a bare `pytest` run should too."""
    call_command("compilemessages_po", verbosity=0)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run).")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Console:
    """What the pages of one context said on the console."""

    messages: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        self.messages.append(
            f"[{message.type}] {message.text} ({message.page.url if message.page else '?'})"
        )

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if CSP_MESSAGE.search(m)]


@dataclass
class Session:
    """A browser context and the console of its pages, checked for CSP violations at the end."""

    context: BrowserContext
    console: Console

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("console", self.console.record)
        page.on("pageerror", lambda error: self.console.messages.append(f"[pageerror] {error}"))
        return page


@pytest.fixture
def open_session(browser: Browser, live_server: Any) -> Iterator[Callable[..., Session]]:
    """Opens browser contexts on the live server (`java_script_enabled=False` for a no-JS one)."""
    sessions: list[Session] = []

    def make(**context_options: Any) -> Session:
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        session = Session(context=context, console=Console())
        sessions.append(session)
        return session

    yield make
    violations = [v for s in sessions for v in s.console.csp_violations]
    for session in sessions:
        session.context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def session(open_session: Callable[..., Session]) -> Session:
    return open_session()


@pytest.fixture
def page(session: Session) -> Page:
    return session.new_page()


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app holding `device`'s key shows right now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(code).zfill(device.digits)


def submit_password(
    page: Page, user: User, *, password: str = PASSWORD, next_url: str = ""
) -> None:
    """Fills in and sends the real sign-in form (field ids, so any language works)."""
    page.goto("/accounts/sign-in/" + (f"?next={next_url}" if next_url else ""))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def pass_second_factor(page: Page, user: User) -> None:
    """Types the current TOTP code, for an enrolled authenticator or one being enrolled.

    On the first sign-in the page has just created an unconfirmed device (the
    one its QR code shows); afterwards the confirmed one is asked for.
    """
    assert "/accounts/two-factor/" in page.url, f"expected the TOTP step, got {page.url}"
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-pk").first()
    assert device is not None, f"{user.username} has no authenticator device"
    page.locator("#id_token").fill(totp_code(device))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/two-factor/" not in page.url, "the TOTP code was refused"


def sign_in(page: Page, user: User, *, next_url: str = "") -> None:
    """Signs `user` in through the real forms, including the TOTP step for staff."""
    submit_password(page, user, next_url=next_url)
    assert "/accounts/sign-in/" not in page.url, f"sign-in refused for {user.username}"
    if "/accounts/two-factor/" in page.url:
        pass_second_factor(page, user)
