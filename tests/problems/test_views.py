"""The team pages: who may see which problem, and who may do what on it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from roundtable.inputs.services import input_link
from roundtable.priorities.models import Candidate
from roundtable.problems import services_team
from roundtable.problems.models import Problem, ProblemMeeting, Stage
from tests.factories import (
    AreaFactory,
    CandidateFactory,
    GoalFactory,
    InputFactory,
    ProblemFactory,
    ResponseActionFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db


def _url(name, problem, *extra):
    return reverse(name, args=[problem.agency.slug, problem.pk, *extra])


def _list(agency):
    return reverse("problems:list", args=[agency.slug])


def test_staff_see_every_problem_of_the_agency(agency, team, casey, ana, cleo, adam, client_for):
    other = ProblemFactory.create(agency=agency, title="Speeding on Oak Avenue")
    for person in (casey, ana, cleo, adam):
        body = client_for(person).get(_list(agency)).content.decode()
        assert team.title in body and other.title in body
        assert client_for(person).get(_url("problems:detail", other)).status_code == 200


def test_a_team_member_sees_only_their_own_team(agency, team, marta, client_for):
    other = ProblemFactory.create(agency=agency, title="Speeding on Oak Avenue")
    client = client_for(marta)
    body = client.get(_list(agency)).content.decode()
    assert team.title in body and other.title not in body
    assert client.get(_url("problems:detail", team)).status_code == 200
    assert client.get(_url("problems:detail", other)).status_code == 404


def test_a_partner_on_no_team_sees_none(agency, team, pat, client_for):
    client = client_for(pat)
    response = client.get(_list(agency))
    assert response.status_code == 200
    assert team.title not in response.content.decode()
    assert client.get(_url("problems:detail", team)).status_code == 404
    assert client.get(_url("problems:scanning", team)).status_code == 404


def test_a_partner_on_the_team_sees_it(agency, team, casey, pat, client_for):
    services_team.member_add(actor=casey, problem=team, side="government", user=pat)
    assert client_for(pat).get(_url("problems:detail", team)).status_code == 200


def test_a_member_who_left_no_longer_sees_the_team(agency, team, casey, pat, client_for):
    member = services_team.member_add(actor=casey, problem=team, side="government", user=pat)
    services_team.member_update(actor=casey, member=member, left_on=timezone.localdate())
    assert client_for(pat).get(_url("problems:detail", team)).status_code == 404


@pytest.mark.parametrize("page", ["problems:list", "problems:create"])
def test_residents_and_other_agencies_are_refused(page, agency, rosa, uma, client, client_for):
    url = reverse(page, args=[agency.slug])
    assert client_for(rosa).get(url).status_code == 403
    assert client_for(uma).get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_team_page_refuses_outsiders(team, rosa, uma, client, client_for):
    url = _url("problems:detail", team)
    assert client.get(url).status_code == 302
    assert client_for(rosa).get(url).status_code == 403
    assert client_for(uma).get(url).status_code == 403


def test_a_problem_of_another_agency_is_not_found(agency, other_agency, casey, client_for):
    foreign = ProblemFactory.create(agency=other_agency)
    url = reverse("problems:detail", args=[agency.slug, foreign.pk])
    assert client_for(casey).get(url).status_code == 404


def test_the_list_costs_the_same_queries_for_many_problems(
    agency, casey, marta, client_for, django_assert_max_num_queries
):
    for n in range(12):
        problem = ProblemFactory.create(agency=agency, area=AreaFactory.create(agency=agency))
        TeamMemberFactory.create(problem=problem, user=marta if n % 2 else None)
        ResponseActionFactory.create(problem=problem, due_on=dt.date(2020, 1, 1))
    for person in (casey, marta):
        client = client_for(person)
        with django_assert_max_num_queries(12):
            response = client.get(_list(agency))
        assert response.status_code == 200


def test_the_team_page_is_bounded_too(team, casey, client_for, django_assert_max_num_queries):
    for _ in range(5):
        ResponseActionFactory.create(problem=team)
        GoalFactory.create(problem=team)
    client = client_for(casey)
    with django_assert_max_num_queries(40):
        assert client.get(_url("problems:detail", team)).status_code == 200


def test_a_coordinator_opens_a_problem_from_a_chosen_priority(agency, casey, client_for):
    eastbank = AreaFactory.create(agency=agency, name="Eastbank Riverside")
    candidate = CandidateFactory.create(
        agency=agency,
        title="Break-ins near the station",
        status=Candidate.Status.CHOSEN,
    )
    candidate.areas.set([eastbank])
    item = InputFactory.create(agency=agency)
    input_link(actor=casey, input=item, item=candidate)
    client = client_for(casey)
    form = client.get(reverse("problems:create", args=[agency.slug]) + f"?priority={candidate.pk}")
    body = form.content.decode()
    assert 'value="Break-ins near the station"' in body
    assert f'<option value="{eastbank.pk}" selected>' in body
    response = client.post(
        reverse("problems:create", args=[agency.slug]),
        {"title": "Break-ins near the station", "priority": candidate.pk, "area": eastbank.pk},
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("problems:detail", problem)
    assert problem.priority == candidate
    page = client.get(_url("problems:detail", problem)).content.decode()
    assert "1 input behind this problem" in page


def test_a_shortlisted_candidate_does_not_prefill(agency, casey, client_for):
    candidate = CandidateFactory.create(agency=agency, title="Only shortlisted")
    body = client_for(casey).get(
        reverse("problems:create", args=[agency.slug]) + f"?priority={candidate.pk}"
    )
    assert "Only shortlisted" not in body.content.decode()


def test_the_team_page_shows_the_team_and_its_gaps(team, tenants, casey, client_for):
    tenants.stance = "supporter"
    tenants.save()
    body = client_for(casey).get(_url("problems:detail", team)).content.decode()
    assert "Marta Mendoza" in body and "Dr Gloria Hayes" in body
    assert "community co-lead" in body
    assert "No member comes from an organisation critical of the agency" in body
    assert "Add a member" in body


def test_only_co_leads_see_and_use_the_sign_off(team, cleo, marta, casey, client_for):
    assert (
        "Sign off: move to Analysis"
        not in client_for(casey).get(_url("problems:detail", team)).content.decode()
    )
    assert client_for(casey).post(_url("problems:sign_off", team)).status_code == 403
    cleo_client = client_for(cleo)
    assert (
        "Sign off: move to Analysis"
        in cleo_client.get(_url("problems:detail", team)).content.decode()
    )
    response = cleo_client.post(_url("problems:sign_off", team), {"note": "Ready"}, follow=True)
    assert "Signed. The move waits for the other co-lead." in response.content.decode()
    assert "You have signed this move" in response.content.decode()
    again = cleo_client.post(_url("problems:sign_off", team), follow=True)
    assert "You have already signed off this move." in again.content.decode()
    response = client_for(marta).post(_url("problems:sign_off", team), follow=True)
    assert "the problem is now in Analysis" in response.content.decode()
    team.refresh_from_db()
    assert team.stage == Stage.ANALYSIS


def test_the_sign_off_says_why_the_response_must_wait(team, cleo, marta, client_for):
    team.stage = Stage.ANALYSIS
    team.save()
    body = client_for(cleo).get(_url("problems:detail", team)).content.decode()
    assert "Agree at least one goal" in body
    assert "Sign off: move to Response" not in body
    response = client_for(cleo).post(_url("problems:sign_off", team), follow=True)
    assert "Agree at least one goal" in response.content.decode()


def test_a_team_member_writes_the_analysis(team, marta, client_for):
    client = client_for(marta)
    assert client.get(_url("problems:analysis", team)).status_code == 200
    response = client.post(_url("problems:analysis", team), {"place": "Level 2, unlit"})
    assert response.status_code == 302 and response["Location"].endswith("#analysis")
    team.refresh_from_db()
    assert team.place == "Level 2, unlit"


def test_staff_off_the_team_read_but_do_not_work(agency, ana, client_for):
    problem = ProblemFactory.create(agency=agency)
    client = client_for(ana)
    body = client.get(_url("problems:detail", problem)).content.decode()
    assert "Edit scanning" not in body
    assert client.get(_url("problems:scanning", problem)).status_code == 403
    assert client.post(_url("problems:hypothesis_add", problem), {"text": "x"}).status_code == 403
    # … but an analyst may enter an assessment.
    assert client.get(_url("problems:assessment_add", problem)).status_code == 200


def test_team_members_do_not_form_the_team_or_link_inputs(team, marta, agency, client_for):
    client = client_for(marta)
    assert client.get(_url("problems:member_add", team)).status_code == 403
    assert client.get(_url("problems:co_leads", team)).status_code == 403
    item = InputFactory.create(agency=agency)
    response = client.post(_url("problems:inputs_link", team), {"codes": item.receipt_code})
    assert response.status_code == 403


def test_a_coordinator_links_inputs_and_a_bad_code_is_shown_on_the_form(
    team, agency, casey, client_for
):
    item = InputFactory.create(agency=agency, text="Lights out on level 2, call 312-555-0198")
    client = client_for(casey)
    response = client.post(_url("problems:inputs_link", team), {"codes": "NOPE"})
    assert response.status_code == 400
    assert "No input of this agency has the receipt code NOPE" in response.content.decode()
    response = client.post(_url("problems:inputs_link", team), {"codes": item.receipt_code})
    assert response.status_code == 302
    body = client.get(_url("problems:detail", team)).content.decode()
    assert "Lights out on level 2" in body and "312-555-0198" not in body


def test_the_team_drafts_the_summary_but_only_a_coordinator_publishes(
    team, marta, casey, client_for
):
    page = client_for(marta).get(_url("problems:public", team)).content.decode()
    assert 'name="is_public"' not in page
    client_for(marta).post(
        _url("problems:public", team), {"public_summary": "Lights fixed", "is_public": "on"}
    )
    team.refresh_from_db()
    assert team.public_summary == "Lights fixed" and not team.is_public
    client_for(casey).post(
        _url("problems:public", team), {"public_summary": "Lights fixed", "is_public": "on"}
    )
    team.refresh_from_db()
    assert team.is_public


def test_a_bad_assessment_comes_back_with_the_services_message(team, ana, client_for):
    data = {
        "label": "Thefts",
        "before_start": "2025-01-01",
        "before_end": "2025-06-30",
        "after_start": "2025-03-01",
        "after_end": "2025-12-31",
        "target_before": 20,
        "target_after": 10,
    }
    response = client_for(ana).post(_url("problems:assessment_add", team), data)
    assert response.status_code == 400
    assert "The after period must start once the before period is over." in (
        response.content.decode()
    )


def test_an_assessment_shows_its_figures_and_reading(team, ana, client_for):
    from tests.factories import AssessmentFactory

    AssessmentFactory.create(problem=team)
    body = client_for(ana).get(_url("problems:detail", team)).content.decode()
    assert "It worked" in body
    assert "-118" in body and "-2.98" in body


def test_a_team_member_schedules_meetings_edits_agendas_and_reads_minutes(
    team, marta, casey, client_for
):
    client = client_for(marta)
    first = (timezone.localtime() + dt.timedelta(days=10)).replace(hour=18, minute=0)
    response = client.post(
        _url("problems:meetings_add", team),
        {
            "first_starts_at": first.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "months": 2,
            "format": "in_person",
            "place_name": "Eastbank Library",
        },
    )
    assert response.status_code == 302
    meeting = ProblemMeeting.objects.filter(problem=team).select_related("event").first()
    assert meeting is not None
    response = client.post(_url("problems:agenda", team, meeting.pk), {"agenda": "1. Lights"})
    assert response.status_code == 302
    meeting.event.minutes = "Agreed to ask the car park owner about lighting."
    meeting.event.save()
    body = client.get(_url("problems:detail", team)).content.decode()
    assert "1. Lights" in body and "ask the car park owner" in body
    assert "Open the event" not in body
    events = reverse("engagement:detail", args=[team.agency.slug, meeting.event.pk])
    assert client.get(events).status_code == 403
    staff_body = client_for(casey).get(_url("problems:detail", team)).content.decode()
    assert "Open the event" in staff_body


def test_an_item_of_another_problem_is_not_found(team, agency, casey, client_for):
    other = ProblemFactory.create(agency=agency)
    goal = GoalFactory.create(problem=other)
    assert client_for(casey).get(_url("problems:goal_edit", team, goal.pk)).status_code == 404


def test_meetings_need_a_place(team, marta, client_for):
    response = client_for(marta).post(
        _url("problems:meetings_add", team),
        {
            "first_starts_at": "2030-04-07T18:00",
            "duration_minutes": 90,
            "months": 2,
            "format": "in_person",
        },
    )
    assert response.status_code == 400
    assert "A meeting in person needs a place or an address." in response.content.decode()
    assert not ProblemMeeting.objects.exists()


def test_a_team_member_is_not_shown_every_account_of_the_agency(
    agency, team, marta, rosa, cleo, client_for
):
    # Marta is a resident on the team, not staff: the owner list on the action
    # form offers the team and the agency's staff, not every registered resident.
    rosa.first_name, rosa.last_name = "Rosa", "Quintero"
    rosa.save()
    body = client_for(marta).get(_url("problems:action_add", team)).content.decode()
    assert "Rosa Quintero" not in body
    assert str(cleo) in body and str(marta) in body


def test_an_action_keeps_its_owner_after_they_leave_the_team(agency, team, casey, pat, client_for):
    member = services_team.member_add(actor=casey, problem=team, side="government", user=pat)
    action = ResponseActionFactory.create(problem=team, owner=pat, owner_name="Pat")
    services_team.member_update(actor=casey, member=member, left_on=timezone.localdate())
    url = _url("problems:action_edit", team, action.pk)
    response = client_for(casey).post(
        url,
        {"description": action.description, "owner_name": "Pat", "owner": pat.pk, "status": "done"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner == pat and action.status == "done"
