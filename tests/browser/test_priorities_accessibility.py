"""axe-core (WCAG 2.1 A and AA) on the public pages of priorities and problem
solving, in English and Spanish: the priorities home, a published decision, the
pairwise survey (its list, the vote with and without a vote just counted, the
suggestion form with its error) and its results with a table by area, and the
public problem list and page with an assessment. The `open_session` fixture
also fails any test whose pages broke the CSP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.priorities.models import AdvisoryVote, Candidate, Comparison, PairwiseSurvey
from roundtable.problems.models import Problem, ResponseAction, Side, Stage, StageMove
from roundtable.stakeholders.models import Stance
from tests.browser.conftest import Session, sign_in
from tests.browser.test_accessibility import LANGUAGES, axe_violations, in_language, report
from tests.factories import (
    AreaFactory,
    AssessmentFactory,
    CandidateFactory,
    DecisionFactory,
    GoalFactory,
    InputFactory,
    OrganisationFactory,
    PairwiseSurveyFactory,
    ProblemFactory,
    ResponseActionFactory,
    TeamMemberFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.browser

SHORTLIST = {
    "Speeding near schools": "Exceso de velocidad cerca de las escuelas",
    "Car break-ins downtown": "Robos en coches en el centro",
    "Drug dealing in the park": "Venta de drogas en el parque",
}


@pytest.fixture
def published(agency: Agency, casey: User) -> dict[str, int]:
    """An open survey with enough votes for results by area, a published
    decision, and a public problem with its team, goal, action and assessment."""
    eastbank = AreaFactory.create(agency=agency, name="Eastbank", slug="eastbank")
    westbank = AreaFactory.create(agency=agency, name="Westbank", slug="westbank")
    schools, breakins, park = (
        CandidateFactory.create(
            agency=agency,
            title=title,
            title_translations={"es": spanish},
            description="Drivers going fast past schools at drop-off and pick-up."
            if title.startswith("Speeding")
            else "",
        )
        for title, spanish in SHORTLIST.items()
    )
    survey: PairwiseSurvey = PairwiseSurveyFactory.create(
        agency=agency,
        candidates=[schools, breakins, park],
        question="Which should come first?",
        question_translations={"es": "¿Qué debería ir primero?"},
    )
    pairs = [(schools, breakins, "left"), (schools, park, "left"), (breakins, park, "right")]
    Comparison.objects.bulk_create(
        [
            Comparison(survey=survey, left=left, right=right, outcome=outcome, area=eastbank)
            for left, right, outcome in pairs
        ]
        * 12
        + [Comparison(survey=survey, left=park, right=breakins, outcome="cant_decide")]
    )

    parents = OrganisationFactory.create(
        agency=agency, name="Eastbank Parents for Safe Streets", stance=Stance.CRITIC
    )
    # Last year's decision; this year's survey is still open.
    lights = CandidateFactory.create(
        agency=agency,
        title="Streetlights out on the way home",
        title_translations={"es": "Farolas apagadas en el camino a casa"},
        status=Candidate.Status.CHOSEN,
    )
    decision = DecisionFactory.create(
        agency=agency,
        title="Priorities for last year",
        decided_on=timezone.localdate() - dt.timedelta(days=300),
        status="published",
        published_at=timezone.now(),
        published_by=casey,
        dissent="One member wanted the break-ins first.",
    )
    decision.chosen.set([lights])
    for member, vote in [("A", "for"), ("B", "for"), ("C", "against"), ("D", "abstain")]:
        AdvisoryVote.objects.create(
            decision=decision,
            member_name=f"Member {member}",
            vote=vote,
            organisation=parents if member == "A" else None,
        )

    problem: Problem = ProblemFactory.create(
        agency=agency,
        title="Streetlights out on the way home",
        priority=lights,
        area=eastbank,
        comparison_area=westbank,
        stage=Stage.ASSESSMENT,
        is_public=True,
        public_summary="Residents, the school and county roads are slowing traffic.",
    )
    moved = timezone.now() - dt.timedelta(days=200)
    for i, (start, end) in enumerate(
        [
            (Stage.SCANNING, Stage.ANALYSIS),
            (Stage.ANALYSIS, Stage.RESPONSE),
            (Stage.RESPONSE, Stage.ASSESSMENT),
        ]
    ):
        StageMove.objects.create(
            problem=problem, from_stage=start, to_stage=end, moved_at=moved + dt.timedelta(60 * i)
        )
    for side in (Side.POLICE, Side.COMMUNITY, Side.GOVERNMENT):
        TeamMemberFactory.create(problem=problem, side=side, organisation=parents)
    GoalFactory.create(problem=problem, result=9)
    ResponseActionFactory.create(
        problem=problem, partner=parents, status=ResponseAction.Status.DONE
    )
    ResponseActionFactory.create(problem=problem, description="Speed humps on River Road.")
    AssessmentFactory.create(problem=problem, conclusion="It worked, and nothing moved next door.")
    return {
        "survey": survey.pk,
        "decision": decision.pk,
        "chosen": lights.pk,
        "problem": problem.pk,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_priority_and_problem_pages_have_no_wcag_violations(
    open_session: Callable[..., Session],
    live_server: Any,
    agency: Agency,
    published: dict[str, int],
    language: str,
) -> None:
    slug, survey = agency.slug, published["survey"]
    page = in_language(open_session, live_server, language)
    found: dict[str, list[str]] = {}
    for name, path in {
        "priorities home": reverse("priorities_public:home", args=[slug]),
        "decision": reverse("priorities_public:decision", args=[slug, published["decision"]]),
        "surveys": reverse("priorities_public:surveys", args=[slug]),
        "vote": reverse("priorities_public:vote", args=[slug, survey]),
        "results": reverse("priorities_public:results", args=[slug, survey]),
        "suggest": reverse("priorities_public:suggest", args=[slug, survey]),
        "problems": reverse("problems_public:list", args=[slug]),
        "problem": reverse("problems_public:detail", args=[slug, published["problem"]]),
    }.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[f"{name} ({language}) {path}"] = axe_violations(page)

    # The results really have a table by area, and the problem its assessment.
    page.goto(reverse("priorities_public:results", args=[slug, survey]))
    expect(page.locator("table.rank-results")).to_have_count(2)
    page.goto(reverse("problems_public:detail", args=[slug, published["problem"]]))
    expect(page.locator(".problem-reading")).to_be_visible()

    # A suggestion sent empty comes back with its error.
    page.goto(reverse("priorities_public:suggest", args=[slug, survey]))
    page.locator("main form.rt-public-say button[type=submit]").click()
    expect(page.locator("main [role=alert]").first).to_be_visible()
    found[f"suggestion with an error ({language})"] = axe_violations(page)

    # A vote counted: the thanks and the next pair swapped in by htmx.
    page.goto(reverse("priorities_public:vote", args=[slug, survey]))
    page.locator("button[name=choice][value=left]").click()
    expect(page.locator("#rank-vote [role=status]")).to_be_visible()
    found[f"vote counted ({language})"] = axe_violations(page)

    assert not any(found.values()), report(found)


STREETLIGHTS = [
    "The streetlights on Maple Court have been out for three weeks.",
    "Streetlights out along Orchard Street, the whole block is dark at night.",
    "Please fix the streetlights by the bus stop, they are out and it is dark.",
    "Two streetlights out near the underpass; walking home in the dark is scary.",
]
SPEEDING = [
    "Cars speeding near the Eastbank school at drop-off time.",
    "Drivers speeding past the school on River Road every morning.",
    "Speeding near the school is dangerous for the children crossing.",
    "Someone will get hurt: cars keep speeding near the school gates.",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_priority_and_team_pages_have_no_wcag_violations(
    open_session: Callable[..., Session],
    live_server: Any,
    agency: Agency,
    casey: User,
    published: dict[str, int],
    language: str,
) -> None:
    """What a coordinator uses, with the suggestions to confirm, a draft decision
    to vote on and forms sent empty (their errors shown)."""
    for text in STREETLIGHTS + SPEEDING:
        InputFactory.create(agency=agency, text=text)
    theme = ThemeFactory.create(agency=agency, name="Speeding near schools")
    schools = Candidate.objects.get(title="Speeding near schools")
    schools.theme = theme
    schools.harm = 4
    schools.save(update_fields=["theme", "harm"])
    draft = DecisionFactory.create(agency=agency, title="Priorities for this year")
    draft.chosen.set([schools])
    casey.preferred_language = language
    casey.save(update_fields=["preferred_language"])
    slug, problem = agency.slug, published["problem"]
    priorities, problems = f"/a/{slug}/priorities/", f"/a/{slug}/problems/"

    page = in_language(open_session, live_server, language)
    sign_in(page, casey, next_url=priorities)
    found: dict[str, list[str]] = {}
    for name, path in {
        "shortlist": priorities,
        "themes": f"{priorities}themes/",
        "theme suggestions": f"{priorities}themes/suggestions/",
        "theme": f"{priorities}themes/{theme.pk}/",
        "candidate": f"{priorities}{schools.pk}/",
        "candidate form": f"{priorities}{schools.pk}/edit/",
        "worksheet": f"{priorities}worksheet/",
        "worksheet form": f"{priorities}{schools.pk}/worksheet/",
        "survey": f"{priorities}rank/{published['survey']}/",
        "decisions": f"{priorities}decisions/",
        "draft decision": f"{priorities}decisions/{draft.pk}/",
        "publish": f"{priorities}decisions/{draft.pk}/publish/",
        "problems": problems,
        "open a problem": f"{problems}new/?priority={published['chosen']}",
        "team page": f"{problems}{problem}/",
        "add a member": f"{problems}{problem}/members/new/",
        "co-leads": f"{problems}{problem}/co-leads/",
        "analysis": f"{problems}{problem}/analysis/",
    }.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[name] = axe_violations(page)

    # The suggestions page had both groups to confirm.
    page.goto(f"{priorities}themes/suggestions/")
    expect(page.locator("section.priorities-suggestion")).to_have_count(2)

    for name, path in {
        "decision form with errors": f"{priorities}decisions/new/",
        "vote form with errors": f"{priorities}decisions/{draft.pk}/",
        "assessment form with errors": f"{problems}{problem}/assessments/new/",
        "action form with errors": f"{problems}{problem}/actions/new/",
    }.items():
        page.goto(path)
        page.locator("main form").last.locator("button[type=submit]").last.click()
        expect(page.locator("main .errorlist").first).to_be_visible()
        found[name] = axe_violations(page)
    assert not any(found.values()), report({f"{k} ({language})": v for k, v in found.items()})
