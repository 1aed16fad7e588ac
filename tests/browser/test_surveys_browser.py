"""Surveys in a real browser, tried as a new user would.

Casey Coordinator (signed in, TOTP passed) builds a survey from the trust and
safety instrument and the demographics block on the staff pages, adds a
follow-up question shown only to people who feel unsafe, rewords a Spanish
text, previews the survey in Spanish, opens it and finds the open link and its
QR code. Residents answer on a phone, in English and (through the header's
language switch) in Spanish, the follow-up appearing and disappearing as they
answer; with JavaScript off a resident sends the form with a required answer
missing, gets it back with the error and everything kept, and corrects it.
A one-time link takes one set of answers and then says it has been used.
Casey then reads the weighted results per area, with margins of error, an area
too thin for an estimate and one under ten respondents, and the outreach
suggestions. The `open_session` fixture fails any test whose pages broke the CSP.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.inputs.models import Input
from roundtable.surveys import services
from roundtable.surveys.models import Invitation, Response, Survey
from tests.browser.conftest import Session, sign_in
from tests.browser.survey_setup import (
    FOLLOW_UP,
    FOLLOW_UP_KEY,
    SAFETY_ES,
    THANKS_ES,
    TITLE,
    answer_url,
    areas_of,
    census,
    harlow_survey,
    invitation_url,
    public_list_url,
    seed_answers,
    staff_url,
)
from tests.browser.test_community_map_browser import field
from tests.factories import verified_totp

pytestmark = pytest.mark.browser

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
TOP_ISSUE_ES = "¿Qué problema quiere que la policía atienda primero en su barrio?"
ESTIMATE = re.compile(r"^\s*\d+ ± \d+\s*$")  # a weighted score and its margin of error
FOLLOW_UP_BLOCK = f'[data-show-if="q-safety"]#q-{FOLLOW_UP_KEY}\\.block'


def _errors(session: Session) -> list[str]:
    """Console errors and uncaught exceptions (the CSP is checked by the fixture)."""
    return [m for m in session.console.messages if m.startswith(("[error]", "[pageerror]"))]


def _choose(page: Page, key: str, value: str) -> None:
    """Taps the label of answer `value` to question `key`, as a finger would."""
    page.locator(f'label[for="q-{key}.{value}"]').tap()


def _send(page: Page) -> None:
    with page.expect_navigation():
        page.locator("button.rt-sv-send").tap()


def _fits_the_screen(page: Page) -> None:
    width = PHONE["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "sideways scroll"


def test_a_coordinator_builds_previews_and_opens_a_survey(
    open_session: Callable[..., Session], agency: Agency, casey: User
) -> None:
    verified_totp(casey)
    session = open_session()
    page = session.new_page()
    sign_in(page, casey, next_url=f"/a/{agency.slug}/surveys/")
    page.get_by_role("link", name="New survey").click()

    field(page, "Title (English)").fill(TITLE["en"])
    field(page, "Title (Spanish)").fill(TITLE["es"])
    expect(page.get_by_label("Trust and safety (0–10)")).to_be_checked()  # the default
    page.get_by_label("Demographics", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Create the draft").click()

    survey = Survey.objects.get(agency=agency)
    expect(page).to_have_url(re.compile(re.escape(staff_url("detail", survey)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["en"])
    expect(page.locator("main .messages")).to_contain_text("The survey is saved as a draft")
    keys = page.locator("#questions .rt-svs-q-head code")
    expect(keys).to_have_text(
        [
            "safety",
            "trust_respect",
            "trust_listen",
            "top_issue",
            "age_band",
            "gender",
            "race_ethnicity",
            "income_band",
            "tenure",
            "area",
        ]
    )

    # A follow-up question for people who feel unsafe (0 to 4 on the safety scale).
    page.get_by_role("link", name="Add a question").first.click()
    field(page, "Kind").select_option(label="Free text")
    field(page, "Key").fill(FOLLOW_UP_KEY)
    field(page, "Question (English)").fill(FOLLOW_UP["en"])
    field(page, "Question (Spanish)").fill(FOLLOW_UP["es"])
    field(page, "Show only if the answer to").select_option(
        label="safety: How safe do you feel from crime in your neighbourhood?"
    )
    field(page, "is one of").fill("0, 1, 2, 3, 4")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the question").click()
    follow_up = survey.questions.get(key=FOLLOW_UP_KEY)
    assert follow_up.show_if == survey.questions.get(key="safety")
    assert follow_up.show_if_values == ["0", "1", "2", "3", "4"]
    added = page.locator(f"#question-{follow_up.pk}")
    expect(added).to_contain_text("Shown only if the answer to safety is one of: 0, 1, 2, 3, 4.")
    expect(added.locator("dd[lang=es]")).to_have_text(FOLLOW_UP["es"])

    # The top issue, reworded in Spanish.
    top_issue = survey.questions.get(key="top_issue")
    page.locator(f"#question-{top_issue.pk}").get_by_role("link", name="Edit").click()
    spanish_text = field(page, "Question (Spanish)")
    expect(spanish_text).to_have_value(re.compile(r"^¿Cuál es el problema número uno"))
    spanish_text.fill(TOP_ISSUE_ES)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#question-{top_issue.pk} dd[lang=es]")).to_have_text(TOP_ISSUE_ES)
    top_issue.refresh_from_db()
    assert top_issue.text["es"] == TOP_ISSUE_ES
    assert top_issue.text["en"].startswith("What is the number one issue")  # left alone

    # The Spanish preview: the respondents' page, in Spanish, that sends nothing.
    page.locator('nav.rt-svs-nav a[href$="?language=es"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["es"])
    expect(page.locator("main")).to_contain_text(SAFETY_ES)
    expect(page.locator("main")).to_contain_text(TOP_ISSUE_ES)
    expect(page.locator("main")).to_contain_text(FOLLOW_UP["es"])
    expect(page.locator("main form button")).to_be_disabled()
    page.go_back()

    with page.expect_navigation():
        page.get_by_role("button", name="Open the survey").click()
    expect(page.locator("main .messages")).to_contain_text("The survey is open for answers.")
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.public_token

    page.get_by_role("link", name="Links and QR code").click()
    link = field(page, "Open link")
    expect(link).to_have_value(re.compile(re.escape(answer_url(survey)) + "$"))
    qr = page.locator(".rt-svs-qr .qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] > 100, box  # big enough to scan from a screen
    expect(page.locator(".rt-svs-qr")).to_contain_text(answer_url(survey) + "?via=qr")

    # The link works: a resident gets the form.
    resident = open_session().new_page()
    resident.goto(link.input_value())
    expect(resident.get_by_role("heading", level=1)).to_have_text(TITLE["en"])
    expect(resident.locator("button.rt-sv-send")).to_be_enabled()
    assert _errors(session) == []


@pytest.fixture
def areas(agency: Agency) -> dict[str, Area]:
    return areas_of(agency)


@pytest.fixture
def harlow(agency: Agency, casey: User, areas: dict[str, Area]) -> Survey:
    """The survey Casey builds above, open."""
    return harlow_survey(agency, casey)


def _answer_on_a_phone(page: Page, *, follow_up: str, top_issue: str) -> None:
    """Safety low enough for the follow-up to appear, then high (it goes), then
    low again (it comes back, with what was typed), trust, the area and age."""
    block = page.locator(FOLLOW_UP_BLOCK)
    text = block.locator("textarea")
    expect(block).to_be_hidden()
    _choose(page, "safety", "3")
    expect(block).to_be_visible()
    text.fill(follow_up)
    _choose(page, "safety", "8")
    expect(block).to_be_hidden()
    expect(text).to_be_disabled()  # sends nothing while hidden
    _choose(page, "safety", "2")
    expect(block).to_be_visible()
    expect(text).to_have_value(follow_up)
    _choose(page, "trust_respect", "6")
    _choose(page, "trust_listen", "4")
    page.locator("textarea[name=q-top_issue]").fill(top_issue)
    _choose(page, "age_band", "35_49")
    page.locator("select[name=q-area]").select_option("south")
    _fits_the_screen(page)


def test_residents_answer_on_a_phone_in_english_and_in_spanish(
    open_session: Callable[..., Session], agency: Agency, harlow: Survey
) -> None:
    english = open_session(**PHONE)
    page = english.new_page()
    page.goto(public_list_url(agency))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # "Answer", with the survey's title for screen readers.
    page.get_by_role("link", name=re.compile(rf"^Answer\b.*{TITLE['en']}$")).tap()
    expect(page).to_have_url(re.compile(re.escape(answer_url(harlow)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["en"])
    _fits_the_screen(page)
    _answer_on_a_phone(page, follow_up="More patrols by the bus stop.", top_issue="Speeding.")
    _send(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your answers are in")
    expect(page.locator(".rt-sv-thanks")).to_have_text("Thank you for taking the time to answer.")
    # Each free-text answer went to the input ledger, with a receipt code to follow it.
    expect(page.locator(".rt-sv-codes .rt-public-code")).to_have_count(2)
    _fits_the_screen(page)

    spanish = open_session(**PHONE)
    page_es = spanish.new_page()
    page_es.goto(answer_url(harlow))
    # The header's language switch: a plain POST that comes back to the survey.
    page_es.locator("#language-select").select_option("es")
    with page_es.expect_navigation():
        page_es.locator(".language-form button[type=submit]").tap()
    expect(page_es.locator("html")).to_have_attribute("lang", "es")
    expect(page_es).to_have_url(re.compile(re.escape(answer_url(harlow)) + "$"))
    expect(page_es.get_by_role("heading", level=1)).to_have_text(TITLE["es"])
    expect(page_es.locator("#q-safety\\.block legend")).to_contain_text(SAFETY_ES)
    expect(page_es.locator(FOLLOW_UP_BLOCK).locator("label")).to_contain_text(FOLLOW_UP["es"])
    _answer_on_a_phone(page_es, follow_up="Más luz en la calle.", top_issue="La velocidad.")
    _send(page_es)
    expect(page_es.locator("html")).to_have_attribute("lang", "es")
    expect(page_es.locator(".rt-sv-thanks")).to_have_text(THANKS_ES)
    expect(page_es.locator(".rt-sv-codes .rt-public-code")).to_have_count(2)

    by_language = {r.language: r for r in Response.objects.filter(survey=harlow)}
    assert set(by_language) == {"en", "es"}
    common = {"safety": 2, "trust_respect": 6, "trust_listen": 4, "age_band": "35_49"}
    for language, follow_up, top_issue in (
        ("en", "More patrols by the bus stop.", "Speeding."),
        ("es", "Más luz en la calle.", "La velocidad."),
    ):
        response = by_language[language]
        assert response.answers == {
            **common,
            "area": "south",
            "top_issue": top_issue,
            FOLLOW_UP_KEY: follow_up,
        }
        assert response.channel == Response.Channel.LINK and response.area is not None
    assert Input.objects.filter(agency=agency).count() == 4
    assert _errors(english) == [] and _errors(spanish) == []


def test_without_javascript_a_missing_answer_comes_back_and_is_corrected(
    open_session: Callable[..., Session], harlow: Survey
) -> None:
    session = open_session(java_script_enabled=False, **PHONE)
    page = session.new_page()
    page.goto(answer_url(harlow))
    # Without JavaScript every question shows; the follow-up says when it applies.
    block = page.locator(FOLLOW_UP_BLOCK)
    expect(block).to_be_visible()
    expect(block).to_contain_text(
        "Answer only if you answered “0”, “1”, “2”, “3” or “4” to question 1."
    )
    # Safety (required) left out; the rest answered, the follow-up too.
    _choose(page, "trust_respect", "7")
    _choose(page, "trust_listen", "9")
    block.locator("textarea").fill("Nothing, really.")
    _choose(page, "age_band", "65_plus")
    _send(page)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_text(["Question 1: Please answer this question."])
    expect(page.locator("#q-safety\\.block")).to_contain_text("Please answer this question.")
    for kept in ("q-trust_respect.7", "q-trust_listen.9", "q-age_band.65_plus"):
        expect(page.locator(f'input[id="{kept}"]')).to_be_checked()
    expect(block.locator("textarea")).to_have_value("Nothing, really.")
    assert not Response.objects.filter(survey=harlow).exists()

    # The summary's link leads to the question (a plain anchor without JavaScript).
    summary.get_by_role("link").tap()
    expect(page).to_have_url(re.compile(r"#q-safety\.0$"))
    _choose(page, "safety", "9")
    _send(page)
    expect(page).to_have_url(re.compile(r"/thanks/$"))  # nothing for the ledger: a redirect
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your answers are in")
    response = Response.objects.get(survey=harlow)
    # Safety 9: the follow-up did not apply, so its answer was dropped.
    assert response.answers == {
        "safety": 9,
        "trust_respect": 7,
        "trust_listen": 9,
        "age_band": "65_plus",
    }

    # Back on the open link: this browser has answered.
    page.goto(answer_url(harlow))
    expect(page.locator("main [role=status]")).to_contain_text(
        "This survey has already been answered on this device."
    )


def test_a_one_time_link_takes_one_set_of_answers(
    open_session: Callable[..., Session], casey: User, harlow: Survey
) -> None:
    token, _other = services.invitations_create(
        survey=harlow, actor=casey, count=2, batch="Residents' panel, wave 1"
    )
    page = open_session().new_page()
    page.goto(invitation_url(harlow, token))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["en"])
    for key, value in (("safety", "6"), ("trust_respect", "5"), ("trust_listen", "5")):
        page.locator(f'label[for="q-{key}.{value}"]').click()
    with page.expect_navigation():
        page.locator("button.rt-sv-send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your answers are in")
    assert Response.objects.get(survey=harlow).channel == Response.Channel.INVITATION

    # The link, not a cookie, knows: opened again in another browser, it takes no answers.
    again = open_session().new_page()
    again.goto(invitation_url(harlow, token))
    expect(again.get_by_role("heading", level=1)).to_have_text(TITLE["en"])
    expect(again.locator("main [role=status]")).to_contain_text(
        "This personal link has already been used"
    )
    expect(again.locator("main form")).to_have_count(0)
    assert Response.objects.filter(survey=harlow).count() == 1
    # The other link of the batch is still unused.
    assert Invitation.objects.filter(survey=harlow, used=False).count() == 1


def test_a_one_time_link_opens_in_the_language_it_was_made_in(
    session: Session, casey: User, harlow: Survey
) -> None:
    (token,) = services.invitations_create(
        survey=harlow, actor=casey, count=1, batch="Panel, en español", language="es"
    )
    page = session.new_page()  # an English browser, with no language chosen on the site
    page.goto(invitation_url(harlow, token))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["es"], timeout=1000)


def test_the_coordinator_sees_weighted_results_per_area_and_whom_they_represent(
    session: Session, agency: Agency, casey: User, areas: dict[str, Area]
) -> None:
    census(agency, casey)
    survey = harlow_survey(agency, casey)
    seed_answers(survey, areas)
    verified_totp(casey)
    page = session.new_page()
    sign_in(page, casey, next_url=staff_url("detail", survey))
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    main = page.locator("main")
    expect(main).to_contain_text("Responses: 90 · weighted to Census 2020")

    scores = page.locator(
        "table", has=page.locator("caption", has_text="Weighted scores per period")
    )
    expect(scores.locator("tbody tr")).to_have_count(1)
    expect(scores.locator("tbody td")).to_have_text([ESTIMATE] * 2)

    by_area = page.locator(
        "table", has=page.locator("caption", has_text="Weighted scores per area")
    )
    rows = {
        name: by_area.locator("tbody tr", has=page.get_by_role("rowheader", name=name))
        for name in ("North", "South", "East")
    }
    expect(rows["North"].locator("td")).to_have_text([ESTIMATE] * 2)
    expect(rows["South"].locator("td")).to_have_text(["too few for a reliable estimate"] * 2)
    expect(rows["East"].locator("td")).to_have_text(["fewer than 10"] * 2)

    representation = page.locator("section.rt-svs-representation")
    expect(representation.locator(".rt-svs-score")).to_contain_text("Representativeness score:")
    expect(representation.locator(".rt-svs-suggestions li")).to_contain_text(
        [
            "Residents aged 18 to 34 in North are a third as likely to have answered as "
            "residents of North overall."
        ]
    )
