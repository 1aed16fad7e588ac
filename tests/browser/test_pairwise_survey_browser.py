"""The pairwise survey in a real browser, as new users would do it.

A resident votes with JavaScript off: picks an area, chooses one of two big
buttons, gets the next pair with the area remembered, says "Can't decide", and
suggests a priority of their own. With JavaScript on, htmx swaps the next pair
in without reloading the page. Casey Coordinator then approves the suggestion
and reads the results. No page may break the Content-Security-Policy.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.priorities.models import Candidate, Comparison, PairwiseSurvey
from tests.browser.conftest import Session, sign_in
from tests.factories import AreaFactory, CandidateFactory, PairwiseSurveyFactory, verified_totp

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(agency: Agency) -> PairwiseSurvey:
    shortlist = [
        CandidateFactory.create(agency=agency, title=title)
        for title in ("Speeding near schools", "Car break-ins downtown", "Drug dealing in the park")
    ]
    return PairwiseSurveyFactory.create(
        agency=agency, candidates=shortlist, question="Which should come first?"
    )


def _vote_url(survey: PairwiseSurvey) -> str:
    return f"/p/{survey.agency.slug}/priorities/rank/{survey.pk}/"


def _click_and_wait(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_a_resident_votes_and_suggests_without_javascript(
    open_session, agency: Agency, survey: PairwiseSurvey
):
    eastbank = AreaFactory.create(agency=agency, name="Eastbank")
    resident: Session = open_session(java_script_enabled=False)
    page = resident.new_page()
    page.goto(f"/p/{agency.slug}/priorities/rank/")
    page.get_by_role("link", name="Vote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which should come first?")
    page.get_by_label("Your area (optional)").select_option(label="Eastbank")
    left = page.locator("button[name=choice][value=left]").inner_text()
    _click_and_wait(page, "button[name=choice][value=left]")
    expect(page.locator("#rank-vote")).to_contain_text("your vote is counted")
    expect(page.get_by_label("Your area (optional)")).to_have_value(str(eastbank.pk))
    _click_and_wait(page, "button[name=choice][value=cant_decide]")

    first, second = Comparison.objects.order_by("pk")
    assert first.outcome == "left" and first.left.title == left and first.area == eastbank
    assert second.outcome == "cant_decide" and second.area == eastbank

    page.get_by_role("link", name="Suggest your own").click()
    page.get_by_label("Your suggestion").fill("Noise from late-night parties")
    _click_and_wait(page, "form.rt-public-say button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your suggestion")
    suggestion = Candidate.objects.get(source=Candidate.Source.PUBLIC)
    assert suggestion.status == Candidate.Status.PROPOSED


def test_with_javascript_the_next_pair_comes_without_a_reload(
    session: Session, survey: PairwiseSurvey
):
    page = session.new_page()
    page.goto(_vote_url(survey))
    page.evaluate("window.stillTheSamePage = true")
    first_token = page.locator("input[name=token]").input_value()
    page.locator("button[name=choice][value=right]").click()
    expect(page.locator("#rank-vote")).to_contain_text("your vote is counted")
    assert page.evaluate("window.stillTheSamePage === true")
    assert page.locator("input[name=token]").input_value() != first_token
    assert Comparison.objects.get().outcome == "right"


def test_casey_approves_a_suggestion_and_reads_the_results(
    session: Session, agency: Agency, casey: User, survey: PairwiseSurvey
):
    verified_totp(casey)
    suggestion = CandidateFactory.create(
        agency=agency, title="Noise at nigth", status="proposed", source="public"
    )
    survey.candidates.add(suggestion)
    schools = Candidate.objects.get(title="Speeding near schools")
    park = Candidate.objects.get(title="Drug dealing in the park")
    Comparison.objects.bulk_create(
        [Comparison(survey=survey, left=schools, right=park, outcome="left")] * 6
    )
    page = session.new_page()
    sign_in(page, casey, next_url=f"/a/{agency.slug}/priorities/rank/suggestions/")
    page.get_by_label("Title on the ballot").fill("Noise at night")
    _click_and_wait(page, "button:has-text('Approve')")
    expect(page.locator(".messages")).to_contain_text("Approved")
    suggestion.refresh_from_db()
    assert suggestion.status == Candidate.Status.ACTIVE and suggestion.title == "Noise at night"

    page.goto(f"/a/{agency.slug}/priorities/rank/{survey.pk}/")
    expect(page.locator("main")).to_contain_text("6 decided votes")
    first_row = page.locator("table.rank-results tbody tr").first
    expect(first_row).to_contain_text("Speeding near schools")
    expect(first_row.locator("svg.rank-bar")).to_be_visible()
