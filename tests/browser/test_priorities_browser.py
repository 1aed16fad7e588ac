"""From what people said to a chosen priority and its team, in a real browser.

Casey Coordinator starts from the shortlist with a dozen untagged inputs about
two things (streetlights out, speeding near the Eastbank school). The text
grouping proposes both; Casey confirms the speeding group as a theme, leaving
out one input that does not belong, makes a candidate from it, fills in its
worksheet row and reads its community rank. The advisory group's decision is
drafted, three votes are recorded (for, against, abstained) and it is
published; anyone, in English or Spanish, reads the chosen priority and the
tally without a member's name. Casey then opens a problem for the priority,
forms its team and names the co-leads. No page may break the CSP.

The pairwise vote itself and the moderation of suggestions are in
test_pairwise_survey_browser.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency, Area
from roundtable.inputs.models import Input, PublicUpdate
from roundtable.priorities.models import (
    AdvisoryVote,
    Candidate,
    Comparison,
    Decision,
    InputTheme,
    PairwiseSurvey,
    Theme,
)
from roundtable.problems.models import Problem, Side
from roundtable.stakeholders.models import Organisation, Sector, Stance
from tests.browser.conftest import Session, sign_in
from tests.browser.test_accessibility import in_language
from tests.factories import (
    AreaFactory,
    CandidateFactory,
    InputFactory,
    MembershipFactory,
    OrganisationFactory,
    PairwiseSurveyFactory,
    UserFactory,
    verified_totp,
)

pytestmark = pytest.mark.browser

STREETLIGHTS = [
    "The streetlights on Maple Court have been out for three weeks.",
    "Streetlights out along Orchard Street, the whole block is dark at night.",
    "Please fix the streetlights by the bus stop, they are out and it is dark.",
    "Two streetlights out near the underpass; walking home in the dark is scary.",
    "The streetlights in the alley behind the library are out again.",
    "It is dark on Pine Street since the streetlights went out.",
]
SPEEDING = [
    "Cars speeding near the Eastbank school at drop-off time.",
    "Drivers speeding past the school on River Road every morning.",
    "Speeding near the school is dangerous for the children crossing.",
    "Someone will get hurt: cars keep speeding near the school gates.",
    "Speeding cars near the Eastbank school, please put in speed bumps.",
    # Casey judges this one to be about something else and leaves it out.
    "The speeding near the school at pick-up time is out of control.",
]
LEFT_OUT = SPEEDING[-1]
THEME = "Speeding near the Eastbank school"
PRIORITY = "Safe streets around the Eastbank school"
PRIORITY_ES = "Calles seguras alrededor de la escuela de Eastbank"
OTHERS = ["Car break-ins downtown", "Drug dealing in the park"]
VOTERS = [
    ("Marisol Reyes", "For"),
    ("Tom Becker", "Against"),
    ("Priya Natarajan", "Abstained"),
]


def click_and_wait(page: Page, target: Locator) -> None:
    with page.expect_navigation():
        target.click()


def field(page: Page | Locator, label: str) -> Locator:
    """The field labelled exactly `label` (Django adds a colon to staff forms' labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def _message(page: Page) -> Locator:
    return page.locator("main .messages")


@pytest.fixture
def eastbank(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Eastbank", slug="eastbank")


@pytest.fixture
def westbank(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Westbank", slug="westbank")


@pytest.fixture
def northgate(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Northgate", slug="northgate")


@pytest.fixture
def said(agency: Agency, eastbank: Area) -> list[Input]:
    """Twelve untagged inputs over the last fortnight, oldest first."""
    start = timezone.now() - dt.timedelta(days=14)
    return [
        InputFactory.create(
            agency=agency, text=text, area=eastbank, received_at=start + dt.timedelta(hours=i)
        )
        for i, text in enumerate(STREETLIGHTS + SPEEDING)
    ]


@pytest.fixture
def survey(agency: Agency) -> PairwiseSurvey:
    """An open survey with two other candidates, already voted on."""
    others = [CandidateFactory.create(agency=agency, title=title) for title in OTHERS]
    opened = PairwiseSurveyFactory.create(agency=agency, candidates=others)
    Comparison.objects.bulk_create(
        [Comparison(survey=opened, left=others[0], right=others[1], outcome="left")] * 3
    )
    return opened


@pytest.fixture
def roads(agency: Agency) -> Organisation:
    return OrganisationFactory.create(
        agency=agency,
        name="County Roads Department",
        category="government",
        sectors=[Sector.PUBLIC_WORKS_TRAFFIC],
    )


@pytest.fixture
def parents(agency: Agency) -> Organisation:
    return OrganisationFactory.create(
        agency=agency, name="Eastbank Parents for Safe Streets", stance=Stance.CRITIC
    )


@pytest.fixture
def marta(agency: Agency) -> User:
    """A resident of Eastbank with an account, who will be the community co-lead."""
    user = UserFactory.create(username="marta", first_name="Marta", last_name="Mendoza")
    MembershipFactory.create(user=user, agency=agency, role=Role.RESIDENT)
    return user


def confirm_the_speeding_theme(page: Page, agency: Agency) -> Theme:
    """From the shortlist to the suggestions; confirm the speeding group without LEFT_OUT."""
    page.get_by_role("link", name="Make one from a theme").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Themes across inputs")
    page.get_by_role("link", name="Suggestions from the text").click()
    groups = page.locator("section.priorities-suggestion")
    expect(groups).to_have_count(2)
    lights = groups.filter(has=page.get_by_role("heading", name=re.compile("streetlights")))
    expect(lights.locator("input[name=inputs]")).to_have_count(len(STREETLIGHTS))
    speeding = groups.filter(has=page.get_by_role("heading", name=re.compile("speeding")))
    expect(speeding.locator("input[name=inputs]:checked")).to_have_count(len(SPEEDING))
    speeding.locator("li", has_text=LEFT_OUT).get_by_role("checkbox").uncheck()
    speeding.get_by_label("or name a new theme").fill(THEME)
    click_and_wait(page, speeding.get_by_role("button", name="Confirm the ticked inputs"))
    expect(_message(page)).to_contain_text("Confirmed: the ticked inputs are in the theme.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(THEME)
    theme = Theme.objects.get(agency=agency, name=THEME)
    tagged = set(InputTheme.objects.filter(theme=theme).values_list("input__text", flat=True))
    assert tagged == set(SPEEDING) - {LEFT_OUT}
    assert all(theme.tags.values_list("from_suggestion", flat=True))
    return theme


def fill_the_worksheet(page: Page, candidate: Candidate) -> None:
    page.get_by_role("link", name="Fill in the worksheet").click()
    field(page, "Harm").select_option(label="4 — high")
    page.get_by_label("Why this harm").fill("Children cross River Road twice a day.")
    field(page, "Feasibility").select_option(label="5 — very high")
    page.get_by_label("Why this feasibility").fill("Roads can add speed humps within a month.")
    page.get_by_label("Who is affected").fill("Families walking to the Eastbank school.")
    page.get_by_label("Who was heard, and who was not").fill(
        "Parents were heard; the drivers who cut through were not."
    )
    page.get_by_label("County Roads Department").check()
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(_message(page)).to_contain_text("Worksheet saved.")
    candidate.refresh_from_db()
    assert (candidate.harm, candidate.feasibility) == (4, 5)
    assert candidate.equity_affected == "Families walking to the Eastbank school."
    assert [o.name for o in candidate.partners.all()] == ["County Roads Department"]


def draft_vote_and_publish(page: Page, agency: Agency, candidate: Candidate) -> Decision:
    page.locator("nav.priorities-nav").get_by_role("link", name="Decisions").click()
    page.get_by_role("link", name="Draft a decision").click()
    field(page, "Title").fill("Priorities for the school year")
    page.get_by_label("Decided by").fill("Riverside Community Advisory Board")
    page.get_by_label(PRIORITY).check()
    page.get_by_label("Rationale").fill("Ranked first by the community; partners can act soon.")
    page.get_by_label("Dissent").fill("One member wanted the break-ins first.")
    click_and_wait(page, page.get_by_role("button", name="Save the draft"))
    expect(_message(page)).to_contain_text("Draft saved.")

    for member, vote in VOTERS:
        field(page, "Member").fill(member)
        if member == "Marisol Reyes":
            page.get_by_label("Organisation").select_option(
                label="Eastbank Parents for Safe Streets"
            )
        page.get_by_label(vote, exact=True).check()
        click_and_wait(page, page.get_by_role("button", name="Record", exact=True))
        expect(_message(page)).to_contain_text("Vote recorded.")
    tally = page.locator("main ul.priorities-tally")
    for line in ("For: 1", "Against: 1", "Abstained: 1"):
        expect(tally).to_contain_text(line)

    page.get_by_role("link", name="Publish…").click()
    expect(page.locator("main")).to_contain_text("The people behind 5 linked inputs will be told")
    click_and_wait(page, page.get_by_role("button", name="Publish", exact=True))
    expect(_message(page)).to_contain_text("Published.")
    decision = Decision.objects.get(agency=agency)
    assert decision.status == Decision.Status.PUBLISHED
    assert sorted(decision.votes.values_list("vote", flat=True)) == [
        AdvisoryVote.Vote.ABSTAIN,
        AdvisoryVote.Vote.AGAINST,
        AdvisoryVote.Vote.FOR,
    ]
    return decision


def read_the_public_decision(page: Page, decision: Decision, title: str) -> None:
    response = page.goto(f"/p/{decision.agency.slug}/priorities/decisions/{decision.pk}/")
    assert response is not None and response.status == 200
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities for the school year")
    expect(main.locator(".priorities-public-list")).to_contain_text(title)
    # One line per way to vote (for, against, abstained), each with one vote.
    lines = main.locator("ul.priorities-tally li")
    expect(lines).to_have_count(3)
    for line in lines.all():
        expect(line).to_contain_text(re.compile(r":\s*1\b"))
    tally = main.locator("ul.priorities-tally")
    expect(tally).to_contain_text("Eastbank Parents for Safe Streets")
    text = main.inner_text()
    # The tally, never who voted how.
    assert not any(member in text for member, _vote in VOTERS)


def open_a_problem_and_form_its_team(
    page: Page, candidate: Candidate, cleo: User, marta: User
) -> Problem:
    page.goto(f"/a/{candidate.agency.slug}/priorities/{candidate.pk}/")
    page.get_by_role("link", name="Open a problem for this priority").click()
    expect(field(page, "Title")).to_have_value(PRIORITY)
    expect(page.get_by_label("Chosen priority")).to_have_value(str(candidate.pk))
    page.get_by_label("Response area").select_option(label="Eastbank")
    page.get_by_label("Comparison area").select_option(label="Westbank")
    page.get_by_label("Buffer area").select_option(label="Northgate")
    page.get_by_label("Public works and traffic").check()
    click_and_wait(page, page.get_by_role("button", name="Open the problem"))
    expect(_message(page)).to_contain_text("The problem is open. Now form its team.")
    problem = Problem.objects.get(priority=candidate)
    # Opened from the priority, the problem takes over the inputs behind it.
    expect(page.locator("#inputs")).to_contain_text("5 inputs behind this problem")

    members: list[dict[str, Any]] = [
        {"Side": "Police", "Name": "Sgt Cleo Command", "Account": str(cleo)},
        {
            "Side": "Community",
            "Name": "",
            "Account": str(marta),
            "Organisation": "Eastbank Parents for Safe Streets",
            "lives": True,
        },
        {"Side": "Government", "Name": "Dana Ortiz", "Organisation": "County Roads Department"},
    ]
    for member in members:
        page.get_by_role("link", name="Add a member").click()
        page.get_by_label("Side").select_option(label=member["Side"])
        field(page, "Name").fill(member["Name"])
        for name in ("Account", "Organisation"):
            if name in member:
                field(page, name).select_option(label=member[name])
        if member.get("lives"):
            page.get_by_label("Lives or works in the affected area").check()
        click_and_wait(page, page.get_by_role("button", name="Save"))
        expect(_message(page)).to_contain_text("Member added.")

    page.get_by_role("link", name="Name the co-leads").click()
    page.get_by_label("Police co-lead").select_option(str(cleo.pk))
    page.get_by_label("Community co-lead").select_option(str(marta.pk))
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(_message(page)).to_contain_text("Co-leads saved.")
    team = page.locator("#team")
    expect(team.locator("tr", has_text="Sgt Cleo Command")).to_contain_text("police co-lead")
    expect(team.locator("tr", has_text="Marta Mendoza")).to_contain_text("community co-lead")
    # A critic, a local resident and the roads department: nothing is missing.
    expect(team.locator(".problem-warnings")).to_have_count(0)
    problem.refresh_from_db()
    return problem


def test_casey_takes_what_people_said_to_a_chosen_priority_and_its_team(
    open_session: Callable[..., Session],
    live_server: Any,
    agency: Agency,
    casey: User,
    cleo: User,
    marta: User,
    said: list[Input],
    survey: PairwiseSurvey,
    roads: Organisation,
    parents: Organisation,
    westbank: Area,
    northgate: Area,
) -> None:
    verified_totp(casey)
    page = open_session().new_page()
    sign_in(page, casey, next_url=f"/a/{agency.slug}/priorities/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Candidate priorities")

    theme = confirm_the_speeding_theme(page, agency)
    page.get_by_label("Title of the candidate").fill(PRIORITY)
    click_and_wait(page, page.get_by_role("button", name="Make a candidate from this theme"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PRIORITY)
    candidate = Candidate.objects.get(agency=agency, title=PRIORITY)
    assert candidate.theme == theme and candidate.source == Candidate.Source.THEME
    cards = page.locator("main .cards")
    expect(cards.locator(".card").first).to_contain_text("5")
    expect(cards.locator(".card").first).to_contain_text("inputs linked")

    # The public will read the decision in Spanish too.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Title in Spanish").fill(PRIORITY_ES)
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(_message(page)).to_contain_text("Changes saved.")

    # Meanwhile the candidate joined the open survey and residents voted on it.
    survey.candidates.add(candidate)
    others = list(Candidate.objects.filter(title__in=OTHERS))
    Comparison.objects.bulk_create(
        [Comparison(survey=survey, left=candidate, right=o, outcome="left") for o in others] * 4
    )
    fill_the_worksheet(page, candidate)
    row = page.locator("table.priorities-worksheet tbody tr", has_text=PRIORITY)
    expect(row).to_contain_text("#1")
    expect(row).to_contain_text("8 comparisons")
    expect(row).to_contain_text("4 — high")
    expect(row).to_contain_text("County Roads Department")
    first = page.locator("table.priorities-worksheet tbody tr").first
    expect(first.locator("th")).to_contain_text(PRIORITY)

    decision = draft_vote_and_publish(page, agency, candidate)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.CHOSEN
    assert set(Candidate.objects.filter(title__in=OTHERS).values_list("status", flat=True)) == {
        Candidate.Status.NOT_CHOSEN
    }
    # Everyone whose input is behind the priority was told, through the ledger.
    linked = [i for i in said if i.text in set(SPEEDING) - {LEFT_OUT}]
    assert all(PublicUpdate.objects.filter(input=i).exists() for i in linked)
    assert not PublicUpdate.objects.filter(input__text=LEFT_OUT).exists()

    read_the_public_decision(open_session().new_page(), decision, PRIORITY)
    in_spanish = in_language(open_session, live_server, "es")
    read_the_public_decision(in_spanish, decision, PRIORITY_ES)
    expect(in_spanish.locator("html")).to_have_attribute("lang", "es")

    problem = open_a_problem_and_form_its_team(page, candidate, cleo, marta)
    assert (problem.police_co_lead, problem.community_co_lead) == (cleo, marta)
    assert problem.area is not None and problem.area.name == "Eastbank"
    assert problem.comparison_area == westbank and problem.buffer_area == northgate
    assert problem.sectors == [Sector.PUBLIC_WORKS_TRAFFIC]
    sides = dict(problem.members.values_list("name", "side"))
    assert sides == {
        "Sgt Cleo Command": Side.POLICE,
        "Marta Mendoza": Side.COMMUNITY,
        "Dana Ortiz": Side.GOVERNMENT,
    }
    # A resident on the team may now sign in to its pages.
    assert marta.memberships.filter(agency=agency, role=Role.PST_MEMBER).exists()
