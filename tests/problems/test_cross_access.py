"""Object-level access walked over every problem page that takes a pk: a
coordinator of another agency gets nothing of Riverside's through her own
agency's address, and a team member of one problem gets nothing of another's,
not even by pairing her own problem's address with the other's items."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roundtable.engagement.models import Event
from roundtable.problems.models import Hypothesis, ProblemMeeting
from tests.factories import (
    AssessmentFactory,
    EventFactory,
    GoalFactory,
    ProblemFactory,
    ResponseActionFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db

PROBLEM_PAGES = [
    "problems:detail",
    "problems:scanning",
    "problems:analysis",
    "problems:public",
    "problems:inputs_link",
    "problems:sign_off",
    "problems:member_add",
    "problems:co_leads",
    "problems:hypothesis_add",
    "problems:action_add",
    "problems:goal_add",
    "problems:assessment_add",
    "problems:meetings_add",
]
ITEM_PAGES = {
    "problems:member_edit": "member",
    "problems:hypothesis_edit": "hypothesis",
    "problems:action_edit": "action",
    "problems:goal_edit": "goal",
    "problems:goal_result": "goal",
    "problems:assessment_edit": "assessment",
    "problems:agenda": "meeting",
}


def _items(problem):
    event: Event = EventFactory.create(agency=problem.agency)
    return {
        "member": TeamMemberFactory.create(problem=problem).pk,
        "hypothesis": Hypothesis.objects.create(problem=problem, text="Lights are out").pk,
        "action": ResponseActionFactory.create(problem=problem).pk,
        "goal": GoalFactory.create(problem=problem).pk,
        "assessment": AssessmentFactory.create(problem=problem).pk,
        "meeting": ProblemMeeting.objects.create(problem=problem, event=event).pk,
    }


# Pages that answer one method only refuse the other (405) before any lookup.
POST_ONLY = {"problems:inputs_link", "problems:sign_off"}
GET_ONLY = {"problems:detail"}


def _statuses(client, url, page=""):
    get = None if page in POST_ONLY else client.get(url).status_code
    post = None if page in GET_ONLY else client.post(url, {}).status_code
    return {code for code in (get, post) if code is not None}


@pytest.mark.parametrize("page", PROBLEM_PAGES)
def test_another_agencys_coordinator_reaches_no_problem_by_pk(
    page, team, uma, other_agency, client_for
):
    url = reverse(page, args=[other_agency.slug, team.pk])
    assert _statuses(client_for(uma), url, page) == {404}


@pytest.mark.parametrize("page", sorted(ITEM_PAGES))
def test_another_agencys_coordinator_reaches_no_item_by_pk(
    page, team, uma, other_agency, client_for
):
    items = _items(team)
    url = reverse(page, args=[other_agency.slug, team.pk, items[ITEM_PAGES[page]]])
    assert _statuses(client_for(uma), url) == {404}
    # Her own agency's problem, with Riverside's item: still nothing.
    own = ProblemFactory.create(agency=other_agency)
    url = reverse(page, args=[other_agency.slug, own.pk, items[ITEM_PAGES[page]]])
    assert _statuses(client_for(uma), url) == {404}


@pytest.mark.parametrize("page", PROBLEM_PAGES)
def test_a_team_member_reaches_nothing_of_another_team(page, agency, team, marta, client_for):
    other = ProblemFactory.create(agency=agency, title="Speeding on Oak Avenue")
    url = reverse(page, args=[agency.slug, other.pk])
    # Pages for managers only refuse her by role before looking at the problem.
    expected = 403 if page in ("problems:member_add", "problems:co_leads") else 404
    assert _statuses(client_for(marta), url, page) == {expected}


@pytest.mark.parametrize("page", sorted(ITEM_PAGES))
def test_a_team_member_cannot_reach_another_teams_items_through_her_own(
    page, agency, team, marta, client_for
):
    other = ProblemFactory.create(agency=agency, title="Speeding on Oak Avenue")
    items = _items(other)
    expected = 403 if page == "problems:member_edit" else 404
    for problem in (other, team):
        url = reverse(page, args=[agency.slug, problem.pk, items[ITEM_PAGES[page]]])
        assert _statuses(client_for(marta), url) == {expected}
