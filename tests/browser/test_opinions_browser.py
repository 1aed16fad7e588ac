"""Opinion conversations in a real browser, as residents and a coordinator use them.

A resident with JavaScript off agrees, disagrees and passes, one statement at a
time (each a POST, a redirect and the next statement), then adds a statement
of their own to a strictly moderated conversation and is told it awaits a
moderator. With JavaScript on, htmx swaps the next statement in without a page
load and nothing breaks the Content-Security-Policy. On a 320-pixel phone the
three buttons fit across the screen. Casey Coordinator accepts a statement on
the moderation page (htmx swaps its row) and voters then get it. The public
report draws the map of opinion groups, in English and, after the header's
language switch, in Spanish.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.opinions import services
from roundtable.opinions.models import Conversation, Statement, Vote
from roundtable.opinions.services_analysis import analysis_run
from tests.browser.conftest import Session, sign_in
from tests.browser.test_community_map_browser import spanish
from tests.factories import verified_totp
from tests.opinions.conftest import PARK_STATEMENTS, plant_votes

pytestmark = pytest.mark.browser

FOUR = PARK_STATEMENTS[:4]
OWN_STATEMENT = "Benches near the playground, so parents can keep an eye on things."
# A participant's statement waiting for a moderator on the moderation page.
PENDING = "A water fountain by the basketball courts."


@pytest.fixture
def park(agency: Agency, casey: User) -> Conversation:
    """An open, strictly moderated conversation with four seed statements."""
    return services.conversation_create(
        actor=casey,
        agency=agency,
        title="Harlow Park after dark",
        question="What would make Harlow Park feel safe for everyone, day and night?",
        seed_statements=FOUR,
    )


def _url(name: str, conversation: Conversation) -> str:
    return reverse(f"opinions_public:{name}", args=[conversation.agency.slug, conversation.pk])


def _progress(voted: int, visible: int) -> str:
    return f"You have voted on {voted} of {visible} statements."


def _shown(page: Page) -> str:
    return page.locator("#opinion-statement").inner_text()


def _no_errors(session: Session) -> list[str]:
    """Console errors and uncaught exceptions (the CSP is checked by the fixture)."""
    return [m for m in session.console.messages if m.startswith(("[error]", "[pageerror]"))]


def test_a_resident_votes_and_adds_a_statement_without_javascript(
    open_session: Callable[..., Session], agency: Agency, park: Conversation
) -> None:
    resident = open_session(java_script_enabled=False)
    page = resident.new_page()
    page.goto(reverse("opinions_public:list", args=[agency.slug]))
    page.get_by_role("link", name=re.compile(r"^Take part")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harlow Park after dark")
    expect(page.locator(".rt-op-progress")).to_have_text(_progress(0, 4))

    seen: dict[str, int] = {}
    for count, (button, value) in enumerate(
        [("Agree", Vote.Value.AGREE), ("Disagree", Vote.Value.DISAGREE), ("Pass / unsure", 0)],
        start=1,
    ):
        text = _shown(page)
        assert text in FOUR and text not in seen, text
        seen[text] = value
        # A real form post: the browser leaves the page and follows the redirect.
        with page.expect_navigation():
            page.get_by_role("button", name=button, exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(_url("vote", park)) + r"\?voted=1$"))
        expect(page.locator("#opinion-vote [role=status]")).to_have_text(
            "Thank you, your vote is counted."
        )
        expect(page.locator(".rt-op-progress")).to_have_text(_progress(count, 4))
    assert _shown(page) not in seen

    votes = Vote.objects.filter(conversation=park).select_related("statement")
    assert {v.statement.text: v.value for v in votes} == seen
    assert len({v.participant_id for v in votes}) == 1
    voter = votes[0].participant
    assert voter.user is None and voter.token_hash  # anonymous, known by its cookie only

    page.get_by_role("link", name="Add a statement of your own").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a statement")
    expect(page.locator("main")).to_contain_text("A moderator reads every statement")
    page.get_by_label("Your statement").fill(OWN_STATEMENT)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the statement").click()
    expect(page).to_have_url(re.compile(re.escape(_url("vote", park)) + r"\?added=1$"))
    expect(page.locator("#opinion-vote [role=status]")).to_contain_text(
        "It will appear once a moderator has read it"
    )
    # Not shown to vote on yet: the count is still of the four accepted statements.
    expect(page.locator(".rt-op-progress")).to_have_text(_progress(3, 4))
    expect(page.locator("main")).not_to_contain_text(OWN_STATEMENT)

    own = Statement.objects.get(conversation=park, text=OWN_STATEMENT)
    assert own.moderation == Statement.Moderation.UNMODERATED and not own.is_seed
    assert own.author == voter  # the same participant, through the same cookie
    assert Vote.objects.get(statement=own).participant == voter  # counted as agreeing
    assert Vote.objects.get(statement=own).value == Vote.Value.AGREE


def test_with_javascript_the_next_statement_swaps_in_without_a_page_load(
    session: Session, park: Conversation
) -> None:
    page = session.new_page()
    page.goto(_url("vote", park))
    page.evaluate(
        """() => {
          window.stillTheSamePage = true;
          window.cspViolations = [];
          document.addEventListener("securitypolicyviolation",
            (event) => window.cspViolations.push(event.violatedDirective));
        }"""
    )
    seen: dict[str, int] = {}
    for count, (value, expected) in enumerate(
        [("agree", Vote.Value.AGREE), ("disagree", Vote.Value.DISAGREE), ("pass", 0)], start=1
    ):
        text = _shown(page)
        seen[text] = expected
        page.locator(f"button[name=vote][value={value}]").click()
        expect(page.locator(".rt-op-progress")).to_have_text(_progress(count, 4))
        expect(page.locator("#opinion-vote [role=status]")).to_have_text(
            "Thank you, your vote is counted."
        )
        # The new statement has the focus, so a screen reader reads it next.
        expect(page.locator("#opinion-statement")).to_be_focused()
        assert _shown(page) not in seen

    assert page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"
    assert page.url.endswith(_url("vote", park)), page.url  # no redirect was followed
    assert page.evaluate("window.cspViolations") == []
    assert _no_errors(session) == []
    votes = Vote.objects.filter(conversation=park).select_related("statement")
    assert {v.statement.text: v.value for v in votes} == seen
    assert len({v.participant_id for v in votes}) == 1

    # The last statement, then the end of the conversation, still in place.
    page.locator("button[name=vote][value=agree]").click()
    expect(page.locator(".rt-op-done")).to_contain_text("You have voted on every statement")
    expect(page.locator(".rt-op-done")).to_be_focused()
    assert page.evaluate("window.stillTheSamePage === true")
    assert Vote.objects.filter(conversation=park).count() == 4


def test_on_a_phone_the_three_buttons_fit_across_the_screen(
    open_session: Callable[..., Session], park: Conversation
) -> None:
    width = 320
    page = open_session(viewport={"width": width, "height": 640}).new_page()
    page.goto(_url("vote", park))
    for name in ("Agree", "Disagree", "Pass / unsure"):
        button = page.get_by_role("button", name=name, exact=True)
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
    # Nothing on the page is wider than the screen, so there is no sideways scroll.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("window.scrollX") == 0


def test_casey_accepts_a_statement_and_voters_then_get_it(
    open_session: Callable[..., Session],
    agency: Agency,
    casey: User,
    park: Conversation,
) -> None:
    author = services.participant_for(conversation=park, external_id="from-the-newsletter")
    assert author is not None
    pending = services.statement_submit(participant=author, text=PENDING)

    # A resident votes on the four seed statements: the pending one is not offered.
    resident = open_session().new_page()
    resident.goto(_url("vote", park))
    for count in range(1, 5):
        assert _shown(resident) != PENDING
        resident.locator("button[name=vote][value=agree]").click()
        expect(resident.locator(".rt-op-progress")).to_have_text(_progress(count, 4))
    expect(resident.locator(".rt-op-done")).to_be_visible()

    verified_totp(casey)
    staff = open_session().new_page()
    sign_in(staff, casey, next_url=reverse("opinions:moderate", args=[agency.slug, park.pk]))
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Moderation")
    staff.evaluate("window.stillTheSamePage = true")
    row = staff.locator(f"#statement-{pending.number}")
    expect(row).to_contain_text(PENDING)
    expect(row.locator(".badge")).to_have_text("Awaiting moderation")
    row.get_by_role("button", name="Accept").click()
    # htmx swapped the row in place: accepted, with no Accept button left.
    expect(row.locator(".badge")).to_have_text("Accepted")
    expect(row.get_by_role("button", name="Accept")).to_have_count(0)
    expect(row.get_by_role("button", name="Moderate out")).to_be_visible()
    assert staff.evaluate("window.stillTheSamePage === true"), "the page was reloaded"
    pending.refresh_from_db()
    assert pending.moderation == Statement.Moderation.ACCEPTED
    assert pending.moderated_by == casey

    resident.reload()
    expect(resident.locator("#opinion-statement")).to_have_text(PENDING)
    expect(resident.locator(".rt-op-progress")).to_have_text(_progress(4, 5))


@pytest.fixture
def mapped(agency: Agency, casey: User) -> Conversation:
    """The park with all seven statements, two camps of ten voters and a map."""
    conversation = services.conversation_create(
        actor=casey,
        agency=agency,
        title="Harlow Park after dark",
        question="What would make Harlow Park feel safe for everyone, day and night?",
        seed_statements=PARK_STATEMENTS,
    )
    plant_votes(conversation)
    analysis_run(conversation=conversation)
    return conversation


def _assert_the_map_is_drawn(page: Page) -> None:
    svg = page.locator("main svg.rt-om-svg[role=img]")
    expect(svg).to_be_visible()
    # One marker for each of the twenty participants, in two groups named A and B.
    expect(svg.locator("g.rt-om-group")).to_have_count(2)
    expect(svg.locator("g.rt-om-group > *")).to_have_count(20)
    expect(svg.locator("text.rt-om-label")).to_have_text(["A", "B"])
    expect(page.locator("article.rt-om-group-card")).to_have_count(2)


def test_the_public_report_draws_the_map_in_english_and_in_spanish(
    session: Session, mapped: Conversation
) -> None:
    page = session.new_page()
    page.goto(_url("report", mapped))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opinion map: Harlow Park after dark")
    _assert_the_map_is_drawn(page)
    expect(page.locator(".rt-om-counts")).to_have_text(
        "20 participants and 140 votes; 20 in an opinion group."
    )
    cards = page.locator("article.rt-om-group-card h4")
    expect(cards).to_have_text([re.compile(r"Group [AB] \(10 participants\)")] * 2)
    expect(page.locator("table.rt-om-shared")).to_contain_text(PARK_STATEMENTS[4])

    # The header's language switch: a plain POST that comes back to the report.
    page.locator("#language-select").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(re.escape(_url("report", mapped)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{spanish('Opinion map')}: Harlow Park after dark"
    )
    expect(page.get_by_role("heading", name=spanish("How to read this map"))).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name=spanish("The opinion groups and what sets each apart"), exact=True
        )
    ).to_be_visible()
    _assert_the_map_is_drawn(page)
    assert "Group A" not in page.locator("main").inner_text()
    assert _no_errors(session) == []


def test_the_report_redraws_its_map_in_place_as_votes_arrive(
    session: Session, mapped: Conversation
) -> None:
    page = session.new_page()
    page.clock.install()  # htmx's "every 30s" then runs on the test's clock, not the wall's
    page.goto(_url("report", mapped))
    expect(page.locator(".rt-om-counts")).to_have_text(
        "20 participants and 140 votes; 20 in an opinion group."
    )
    page.evaluate("window.stillTheSamePage = true")
    plant_votes(mapped, 3)
    analysis_run(conversation=mapped)
    page.clock.fast_forward("00:31")
    expect(page.locator(".rt-om-counts")).to_have_text(
        "26 participants and 182 votes; 26 in an opinion group."
    )
    expect(page.locator("main svg.rt-om-svg g.rt-om-group > *")).to_have_count(26)
    expect(page.locator("#rt-op-live")).to_have_count(1)  # swapped, not nested
    assert page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"
    assert _no_errors(session) == []


def test_a_statement_moderated_out_while_on_screen_is_not_voted_on(
    session: Session, casey: User, park: Conversation
) -> None:
    page = session.new_page()
    page.goto(_url("vote", park))
    shown = Statement.objects.get(conversation=park, text=_shown(page))
    services.statement_moderate(
        actor=casey, statement=shown, moderation=Statement.Moderation.REJECTED
    )
    page.locator("button[name=vote][value=agree]").click()
    # htmx swaps the refusal in (it would drop an error status): a notice and another statement.
    expect(page.locator("#opinion-vote [role=alert]")).to_have_text(
        "This statement is not open for votes. Here is another statement."
    )
    expect(page.locator(".rt-op-progress")).to_have_text(_progress(0, 3))
    assert _shown(page) != shown.text
    assert not Vote.objects.filter(conversation=park).exists()
