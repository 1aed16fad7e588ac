"""axe-core on the meetings pages (public) and on the staff pages of listening
and answering: the ledger, an input, recording and importing input, events
and the rotation check. English and Spanish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.engagement.models import Event
from roundtable.inputs.models import Moderation
from tests.browser.conftest import Session, sign_in
from tests.browser.test_accessibility import LANGUAGES, axe_violations, in_language, report
from tests.factories import (
    ActionItemFactory,
    AreaFactory,
    EventFactory,
    InputFactory,
    OrganisationFactory,
    verified_totp,
)

pytestmark = pytest.mark.browser


def _meetings(agency: Agency) -> tuple[Event, Event]:
    area = AreaFactory.create(agency=agency, name="Eastgate", slug="eastgate")
    convener = OrganisationFactory.create(agency=agency, name="Eastgate Tenants Union")
    upcoming = EventFactory.create(
        agency=agency,
        area=area,
        convener=convener,
        languages=["en", "es"],
        interpretation="Spanish interpretation",
        childcare="Free childcare",
        format="hybrid",
        join_url="https://meet.example.org/eastgate",
    )
    held_at = timezone.now() - dt.timedelta(days=20)
    past = EventFactory.create(
        agency=agency,
        area=area,
        starts_at=held_at,
        ends_at=held_at + dt.timedelta(hours=1),
        minutes="Residents asked for lighting on Fulton Street.",
        minutes_published_at=held_at + dt.timedelta(days=1),
    )
    ActionItemFactory.create(event=past, description="Ask Public Works for a lighting survey.")
    return upcoming, past


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_meeting_pages_have_no_wcag_violations(
    open_session: Callable[..., Session], live_server: Any, agency: Agency, language: str
) -> None:
    upcoming, past = _meetings(agency)
    page = in_language(open_session, live_server, language)
    found: dict[str, list[str]] = {}
    base = f"/p/{agency.slug}/events/"
    for name, path in [
        ("calendar", base),
        ("upcoming meeting", f"{base}{upcoming.pk}/"),
        ("past meeting with minutes", f"{base}{past.pk}/"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        found[f"{name} ({language})"] = axe_violations(page)
    page.goto(f"{base}{upcoming.pk}/")
    page.locator("main form input[type=email]").fill("not an address")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errorlist, main [role=alert]").first).to_be_visible()
    found[f"registration with errors ({language})"] = axe_violations(page)
    assert not any(found.values()), report(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_with_its_map_has_no_wcag_violations(
    open_session: Callable[..., Session], live_server: Any, agency: Agency, language: str
) -> None:
    agency.map_latitude, agency.map_longitude = Decimal("33.95"), Decimal("-117.39")
    agency.save()
    page = in_language(open_session, live_server, language)
    page.goto(f"/p/{agency.slug}/say/")
    expect(page.locator(".rt-point-map-canvas")).to_be_visible()
    found = {f"form with the map ({language})": axe_violations(page)}
    assert not any(found.values()), report(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_listening_pages_have_no_wcag_violations(
    open_session: Callable[..., Session],
    live_server: Any,
    agency: Agency,
    casey: User,
    language: str,
) -> None:
    upcoming, past = _meetings(agency)
    item = InputFactory.create(agency=agency, event=past)
    InputFactory.create(agency=agency, moderation=Moderation.HELD, text="Abusive words")
    verified_totp(casey)
    casey.preferred_language = language
    casey.save(update_fields=["preferred_language"])
    page = in_language(open_session, live_server, language)
    sign_in(page, casey, next_url=f"/a/{agency.slug}/inputs/")
    found: dict[str, list[str]] = {}
    inputs = f"/a/{agency.slug}/inputs/"
    events = f"/a/{agency.slug}/events/"
    for name, path in [
        ("ledger", inputs),
        ("overdue", inputs + "overdue/"),
        ("moderation queue", inputs + "moderation/"),
        ("input", f"{inputs}{item.pk}/"),
        ("record input", inputs + "record/"),
        ("import", inputs + "import/"),
        ("events", events),
        ("new event", events + "new/"),
        ("upcoming event", f"{events}{upcoming.pk}/"),
        ("past event", f"{events}{past.pk}/"),
        ("rotation check", events + "rotation/"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[f"{name} ({language})"] = axe_violations(page)
    assert not any(found.values()), report(found)
