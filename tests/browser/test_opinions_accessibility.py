"""axe-core (WCAG 2.1 A and AA) on the opinion conversation pages, in English and
Spanish: the public list, the vote page (fresh, after a vote swapped in by htmx,
and with every statement voted on), the add form (empty and sent back with its
error), the report with its map of two groups (the table under the map opened)
and before any map, and a closed conversation; then the coordinator's pages,
the moderation queue and the conversation with its map. The `open_session`
fixture also fails any test whose pages broke the CSP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.opinions import services
from roundtable.opinions.models import Conversation
from roundtable.opinions.services_analysis import analysis_run
from tests.browser.conftest import Session, sign_in
from tests.browser.test_accessibility import LANGUAGES, axe_violations, in_language, report
from tests.factories import verified_totp
from tests.opinions.conftest import PARK_STATEMENTS, plant_votes

pytestmark = pytest.mark.browser


@pytest.fixture
def conversations(agency: Agency, casey: User) -> dict[str, Conversation]:
    """A mapped conversation (two camps of ten, a pending statement), one with
    no votes yet, and a closed one with its report published."""
    mapped = services.conversation_create(
        actor=casey,
        agency=agency,
        title="Harlow Park after dark",
        question="What would make Harlow Park feel safe for everyone, day and night?",
        description="The park's lights were cut back last spring.\n\nTell us what you think.",
        seed_statements=PARK_STATEMENTS,
    )
    plant_votes(mapped)
    analysis_run(conversation=mapped)
    author = services.participant_for(conversation=mapped, external_id="from-the-newsletter")
    assert author is not None
    services.statement_submit(participant=author, text="A water fountain by the courts.")
    fresh = services.conversation_create(
        actor=casey,
        agency=agency,
        title="The bus station at night",
        question="What would make waiting for the night bus feel safer?",
        seed_statements=["More light on the platforms.", "A staffed kiosk until midnight."],
    )
    closed = services.conversation_create(
        actor=casey,
        agency=agency,
        title="Fireworks on New Year's Eve",
        question="How should the city handle fireworks in residential streets?",
        seed_statements=["Fireworks only in the park."],
    )
    services.conversation_set_status(
        actor=casey, conversation=closed, status=Conversation.Status.CLOSED
    )
    return {"mapped": mapped, "fresh": fresh, "closed": closed}


def _public(name: str, conversation: Conversation) -> str:
    return reverse(f"opinions_public:{name}", args=[conversation.agency.slug, conversation.pk])


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_conversation_pages_have_no_wcag_violations(
    open_session: Callable[..., Session],
    live_server: Any,
    agency: Agency,
    conversations: dict[str, Conversation],
    language: str,
) -> None:
    mapped, fresh, closed = conversations["mapped"], conversations["fresh"], conversations["closed"]
    page = in_language(open_session, live_server, language)
    found: dict[str, list[str]] = {}
    for name, path in {
        "list": reverse("opinions_public:list", args=[agency.slug]),
        "vote": _public("vote", mapped),
        "add": _public("add", mapped),
        "report": _public("report", mapped),
        "report before a map": _public("report", fresh),
        "closed": _public("vote", closed),
    }.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[f"{name} ({language}) {path}"] = axe_violations(page)

    # The report really has its map; the table under it and the background, opened.
    page.goto(_public("report", mapped))
    expect(page.locator("svg.rt-om-svg g.rt-om-group")).to_have_count(2)
    page.locator("details.rt-om-table summary").click()
    expect(page.locator("details.rt-om-table table")).to_be_visible()
    found[f"report with the map's table open ({language})"] = axe_violations(page)

    # A statement sent empty comes back with its error.
    page.goto(_public("add", mapped))
    page.locator("main form.rt-op-add button[type=submit]").click()
    expect(page.locator("main [role=alert]").first).to_be_visible()
    found[f"add with an error ({language})"] = axe_violations(page)

    # A vote counted: the thanks and the next statement swapped in by htmx.
    page.goto(_public("vote", fresh))
    page.locator("button[name=vote][value=agree]").click()
    expect(page.locator("#opinion-vote [role=status]")).to_be_visible()
    found[f"vote counted ({language})"] = axe_violations(page)
    # And the last: nothing left to vote on.
    page.locator("button[name=vote][value=disagree]").click()
    expect(page.locator(".rt-op-done")).to_be_visible()
    found[f"every statement voted on ({language})"] = axe_violations(page)

    # The background of a conversation, opened.
    page.goto(_public("vote", mapped))
    page.locator("details.rt-op-background summary").click()
    expect(page.locator("details.rt-op-background")).to_have_attribute("open", "")
    found[f"vote with the background open ({language})"] = axe_violations(page)

    assert not any(found.values()), report(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_conversation_pages_have_no_wcag_violations(
    open_session: Callable[..., Session],
    live_server: Any,
    agency: Agency,
    casey: User,
    conversations: dict[str, Conversation],
    language: str,
) -> None:
    """What a coordinator uses: the list, the conversation with its map, the
    moderation queue (and a row swapped by htmx), the full record, and the
    forms, empty and sent back with their errors."""
    verified_totp(casey)
    casey.preferred_language = language  # signed in, the account's language wins over the cookie
    casey.save(update_fields=["preferred_language"])
    mapped = conversations["mapped"]
    slug = agency.slug
    page = in_language(open_session, live_server, language)
    sign_in(page, casey, next_url=reverse("opinions:list", args=[slug]))
    found: dict[str, list[str]] = {}
    for name, path in {
        "list": reverse("opinions:list", args=[slug]),
        "conversation": reverse("opinions:detail", args=[slug, mapped.pk]),
        "moderation": reverse("opinions:moderate", args=[slug, mapped.pk]),
        "statements": reverse("opinions:statements", args=[slug, mapped.pk]),
        "new conversation": reverse("opinions:create", args=[slug]),
        "edit": reverse("opinions:edit", args=[slug, mapped.pk]),
        "add a seed statement": reverse("opinions:statement_add", args=[slug, mapped.pk]),
    }.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[name] = axe_violations(page)

    page.goto(reverse("opinions:detail", args=[slug, mapped.pk]))
    expect(page.locator("svg.rt-om-svg g.rt-om-group")).to_have_count(2)

    # A statement accepted in place: the swapped row is checked too.
    page.goto(reverse("opinions:moderate", args=[slug, mapped.pk]))
    row = page.locator("#statement-7")
    row.locator("button[name=moderation][value=accepted]").click()
    expect(row.locator(".badge.rt-statement-accepted")).to_be_visible()
    found["moderation after a row swap"] = axe_violations(page)

    for name, path in {
        "new conversation with errors": reverse("opinions:create", args=[slug]),
        "seed statement with errors": reverse("opinions:statement_add", args=[slug, mapped.pk]),
    }.items():
        page.goto(path)
        page.locator("main form").last.locator("button[type=submit]").click()
        expect(page.locator("main .errorlist").first).to_be_visible()
        found[name] = axe_violations(page)

    assert not any(found.values()), report({f"{k} ({language})": v for k, v in found.items()})
