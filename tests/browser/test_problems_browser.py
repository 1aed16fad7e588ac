"""A problem-solving team's pages in a real browser, as new users would use them.

Marta Mendoza, a resident of Eastbank on the speeding team with a team-member
account, is its community co-lead; Cleo Command (agency staff) the police
co-lead. Marta signs in, sees only her own team, works the problem through
SARA (the problem triangle, a hypothesis, a goal, her sign-offs, a response
action) and enters the assessment with the published counts of Wheeler &
Ratcliffe (2018). A resident without an account, JavaScript off, then reads
the public page: what is being done and whether it worked, and nothing
private. No page may break the CSP.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency, Area
from roundtable.problems import services, services_team, services_work, stages
from roundtable.problems.models import Assessment, Problem, ResponseAction, Side, Stage
from roundtable.stakeholders.models import Organisation, Stance
from tests.browser.conftest import Session, sign_in
from tests.browser.test_priorities_browser import click_and_wait, field
from tests.factories import AreaFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser

TITLE = "Speeding near the Eastbank school"
OTHER_TITLE = "Drug dealing in Riverside Park"
# The problem triangle: private to the team, never on the public page.
PLACE = "River Road between the school gates and the Pine Street lights."
VICTIM = "Children aged 6 to 11 crossing at 8:15, often without an adult."
OFFENDER = "Commuters cutting through from the ring road to avoid the bridge queue."
GUARDIANS = "Crossing guard on weekdays only; parents at the gates."
MANAGERS = "County roads (signals, markings); the school (gate times)."
HANDLERS = "Employers of the commuters, through the business association."
HYPOTHESIS = "Drivers speed because the cut-through saves them five minutes at the bridge."
GOAL = "Vehicles over 30 mph on River Road per school-day morning"
ACTION = "Raised crossing and speed humps on River Road by the school gates."
SUMMARY = "Residents, the school and county roads are slowing traffic near the school."
# The published example: response 207→110, comparison 308→318, buffer 178→157,
# buffer's comparison 150→140 (WDD −118, SE √1568 ≈ 39.60, z −2.98).
COUNTS = {
    "Response area, before": "207",
    "Response area, after": "110",
    "Comparison area, before": "308",
    "Comparison area, after": "318",
    "Buffer area, before": "178",
    "Buffer area, after": "157",
    "Buffer's comparison area, before": "150",
    "Buffer's comparison area, after": "140",
}
# The verdict, however the rest of the sentence is worded.
WORKED = re.compile(r"^It worked: crime fell")
PERIODS = {
    "Before: from": "2025-01-01",
    "Before: to": "2025-06-30",
    "After: from": "2025-07-01",
    "After: to": "2025-12-31",
}


def _save(page: Page, done: str) -> None:
    click_and_wait(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.locator("main .messages")).to_contain_text(done)


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
def parents(agency: Agency) -> Organisation:
    return OrganisationFactory.create(
        agency=agency, name="Eastbank Parents for Safe Streets", stance=Stance.CRITIC
    )


def _resident_member(agency: Agency, username: str, first: str, last: str) -> User:
    user = UserFactory.create(username=username, first_name=first, last_name=last)
    MembershipFactory.create(user=user, agency=agency, role=Role.PST_MEMBER)
    return user


@pytest.fixture
def marta(agency: Agency) -> User:
    return _resident_member(agency, "marta", "Marta", "Mendoza")


@pytest.fixture
def problem(
    agency: Agency,
    casey: User,
    cleo: User,
    marta: User,
    parents: Organisation,
    eastbank: Area,
    westbank: Area,
    northgate: Area,
) -> Problem:
    """The speeding problem in scanning, with its team and both co-leads."""
    opened = services.problem_create(
        actor=casey,
        agency=agency,
        title=TITLE,
        area=eastbank,
        comparison_area=westbank,
        buffer_area=northgate,
        statement="Cars speed past the Eastbank school at drop-off and pick-up.",
    )
    services_team.member_add(
        actor=casey, problem=opened, side=Side.POLICE, name="Sgt Cleo Command", user=cleo
    )
    services_team.member_add(
        actor=casey,
        problem=opened,
        side=Side.COMMUNITY,
        name="Marta Mendoza",
        user=marta,
        organisation=parents,
        lives_in_area=True,
    )
    return services_team.co_leads_set(
        actor=casey, problem=opened, police_co_lead=cleo, community_co_lead=marta
    )


@pytest.fixture
def other_team(agency: Agency, casey: User, cleo: User) -> Problem:
    """Another team's problem, which Marta is not on."""
    opened = services.problem_create(actor=casey, agency=agency, title=OTHER_TITLE)
    jorge = _resident_member(agency, "jorge", "Jorge", "Alvarez")
    services_team.member_add(actor=casey, problem=opened, side=Side.COMMUNITY, user=jorge)
    return opened


def edit_the_analysis(page: Page) -> None:
    page.get_by_role("link", name="Edit the analysis").click()
    expect(page.locator("main")).to_contain_text("never shown on the public page")
    for label, text in [
        ("Place", PLACE),
        ("Victim", VICTIM),
        ("Offender", OFFENDER),
        ("Guardians (of victims)", GUARDIANS),
        ("Managers (of places)", MANAGERS),
        ("Handlers (of offenders)", HANDLERS),
    ]:
        field(page, label).fill(text)
    _save(page, "Analysis saved.")
    analysis = page.locator("#analysis")
    for text in (PLACE, VICTIM, OFFENDER, HANDLERS):
        expect(analysis).to_contain_text(text)


def add_a_hypothesis_and_a_goal(page: Page) -> None:
    page.get_by_role("link", name="Add a hypothesis").click()
    field(page, "Hypothesis").fill(HYPOTHESIS)
    _save(page, "Hypothesis added.")
    expect(page.locator("#analysis")).to_contain_text(HYPOTHESIS)

    page.get_by_role("link", name="Add a goal").click()
    field(page, "Metric").fill(GOAL)
    field(page, "Baseline").fill("40")
    field(page, "Target").fill("15")
    field(page, "By").fill("2025-12-31")
    _save(page, "Goal added.")
    expect(page.locator("#goals tbody tr", has_text=GOAL)).to_contain_text("15")


def sign_off(page: Page, to_stage: str, note: str = "") -> None:
    stage = page.locator("#stage")
    if note:
        field(stage, "Note (optional)").fill(note)
    click_and_wait(page, stage.get_by_role("button", name=f"Sign off: move to {to_stage}"))


def enter_the_assessment(page: Page) -> None:
    page.get_by_role("link", name="Add an assessment").click()
    field(page, "What was counted").fill("Speeding complaints and stops")
    for label, value in {**PERIODS, **COUNTS}.items():
        field(page, label).fill(value)
    field(page, "Where the counts come from").fill("County roads' speed cameras")
    _save(page, "Assessment saved: its figures are on the team page.")


def test_the_community_co_lead_works_her_problem_through_sara(
    open_session: Callable[..., Session],
    agency: Agency,
    cleo: User,
    marta: User,
    parents: Organisation,
    problem: Problem,
    other_team: Problem,
) -> None:
    page = open_session().new_page()
    sign_in(page, marta, next_url=f"/a/{agency.slug}/problems/")
    # Only her own team is listed; the other team's problem is not even named.
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(TITLE)
    expect(page.locator("main")).not_to_contain_text(OTHER_TITLE)
    rows.first.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    # A team member works on the problem but does not form the team.
    expect(page.get_by_role("link", name="Add a member")).to_have_count(0)

    edit_the_analysis(page)
    add_a_hypothesis_and_a_goal(page)

    sign_off(page, "Analysis", note="We know where and when; now why.")
    expect(page.locator("main .messages")).to_contain_text(
        "Signed. The move waits for the other co-lead."
    )
    expect(page.locator("#stage")).to_contain_text("it waits for the other co-lead")
    problem.refresh_from_db()
    assert problem.stage == Stage.SCANNING

    # Sergeant Command signs from the station.
    stages.stage_sign_off(actor=cleo, problem=problem)
    page.reload()
    expect(page.locator("#stage h2")).to_have_text("Stage: Analysis")
    expect(page.locator("ol.problem-stages [aria-current=step]")).to_contain_text("Analysis")

    # This time the police co-lead signed first: Marta's signature moves it.
    stages.stage_sign_off(actor=cleo, problem=problem)
    page.reload()
    sign_off(page, "Response")
    expect(page.locator("main .messages")).to_contain_text(
        "Both co-leads have signed: the problem is now in Response."
    )
    expect(page.locator("#stage h2")).to_have_text("Stage: Response")
    problem.refresh_from_db()
    assert problem.stage == Stage.RESPONSE
    assert list(problem.moves.values_list("from_stage", "to_stage")) == [
        (Stage.SCANNING, Stage.ANALYSIS),
        (Stage.ANALYSIS, Stage.RESPONSE),
    ]

    page.get_by_role("link", name="Add a response action").click()
    field(page, "What will be done").fill(ACTION)
    field(page, "Owner").fill("Marta Mendoza")
    field(page, "Partner").select_option(label="Eastbank Parents for Safe Streets")
    field(page, "Due on").fill("2025-09-01")
    field(page, "Status").select_option(label="In progress")
    _save(page, "Action added.")
    expect(page.locator("#response tbody tr", has_text=ACTION)).to_contain_text("In progress")

    # Another team's problem is not there for her, not even as a refusal.
    response = page.goto(f"/a/{agency.slug}/problems/{other_team.pk}/")
    assert response is not None and response.status == 404

    page.goto(f"/a/{agency.slug}/problems/{problem.pk}/")
    enter_the_assessment(page)
    assessment = page.locator("#assessment article.problem-assessment")
    expect(assessment.locator(".problem-verdict-fell .problem-headline")).to_have_text(WORKED)
    expect(assessment).to_contain_text("In the response area, incidents went from 207 to 110")
    wdd = assessment.locator("dt", has_text="Weighted displacement difference")
    expect(wdd.locator("xpath=following-sibling::dd[1]")).to_contain_text(
        re.compile(r"^-118 \(SE 39\.60, z -2\.98")
    )

    problem.refresh_from_db()
    assert (problem.place, problem.victim, problem.offender) == (PLACE, VICTIM, OFFENDER)
    assert problem.hypotheses.get().text == HYPOTHESIS
    goal = problem.goals.get()
    assert (goal.metric, goal.baseline, goal.target) == (GOAL, Decimal(40), Decimal(15))
    action = problem.actions.get()
    assert action.partner == parents and action.status == ResponseAction.Status.IN_PROGRESS
    saved = Assessment.objects.get(problem=problem)
    assert (saved.target_before, saved.target_after) == (207, 110)
    assert (saved.buffer_control_before, saved.buffer_control_after) == (150, 140)
    assert saved.created_by == marta
    signers = set(problem.sign_offs.values_list("user__username", "side"))
    assert signers == {("marta", Side.COMMUNITY), ("cleo", Side.POLICE)}


@pytest.fixture
def worked(
    problem: Problem, casey: User, cleo: User, marta: User, parents: Organisation
) -> Problem:
    """The speeding problem as the team left it: analysed, in response, assessed,
    and put on the public site by Casey Coordinator."""
    services.problem_update(
        actor=marta, problem=problem, place=PLACE, victim=VICTIM, offender=OFFENDER
    )
    services_work.goal_create(
        actor=marta,
        problem=problem,
        metric=GOAL,
        baseline=Decimal(40),
        target=Decimal(15),
        target_date=dt.date(2025, 12, 31),
    )
    for _move in ("analysis", "response"):
        stages.stage_sign_off(actor=marta, problem=problem)
        stages.stage_sign_off(actor=cleo, problem=problem)
    services_work.action_create(
        actor=marta,
        problem=problem,
        description=ACTION,
        owner_name="Marta Mendoza",
        partner=parents,
        status=ResponseAction.Status.DONE,
        done_on=dt.date(2025, 6, 20),
    )
    services_work.assessment_create(
        actor=marta,
        problem=problem,
        label="Speeding complaints and stops",
        before_start=dt.date(2025, 1, 1),
        before_end=dt.date(2025, 6, 30),
        after_start=dt.date(2025, 7, 1),
        after_end=dt.date(2025, 12, 31),
        **{
            name: int(value)
            for name, value in zip(
                [
                    "target_before",
                    "target_after",
                    "control_before",
                    "control_after",
                    "buffer_before",
                    "buffer_after",
                    "buffer_control_before",
                    "buffer_control_after",
                ],
                COUNTS.values(),
                strict=True,
            )
        },
        conclusion="Speeding fell by more than the comparison area's trend explains.",
    )
    return services.problem_public_set(
        actor=casey, problem=problem, public_summary=SUMMARY, is_public=True
    )


def test_a_resident_reads_how_it_went_without_javascript(
    open_session: Callable[..., Session], agency: Agency, worked: Problem, other_team: Problem
) -> None:
    page = open_session(java_script_enabled=False).new_page()
    page.goto(f"/p/{agency.slug}/")
    page.locator("header nav").get_by_role("link", name="Problem solving").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problems we are working on")
    listed = page.locator("ul.problem-public-list > li")
    # The other team's problem is not on the public site.
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("Stage: Response")
    click_and_wait(page, listed.first.get_by_role("link", name=TITLE))

    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main).to_contain_text(SUMMARY)
    expect(main.locator("table", has_text=ACTION)).to_contain_text("Done")
    expect(main.locator("table", has_text=ACTION)).to_contain_text(
        "Eastbank Parents for Safe Streets"
    )
    expect(main.locator("ol.problem-stages [aria-current=step]")).to_contain_text("Response")
    expect(main.get_by_role("heading", name="Did it work?")).to_be_visible()
    expect(main.locator(".problem-verdict-fell .problem-headline")).to_have_text(WORKED)
    expect(main).to_contain_text("In the response area, incidents went from 207 to 110")
    # One member on each side present: a count under five is not told.
    expect(main).to_contain_text("fewer than 5 members")

    text = main.inner_text()
    for private in (PLACE, VICTIM, OFFENDER, "Marta Mendoza", "Cleo", worked.statement):
        assert private not in text, f"the public page shows {private!r}"
