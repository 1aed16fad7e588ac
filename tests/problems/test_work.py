"""The team's work: hypotheses, response actions, goals agreed up front, assessments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.problems import selectors, services_work, stages
from roundtable.problems.models import Assessment, Hypothesis, Problem, ResponseAction, Stage
from tests.factories import GoalFactory, OrganisationFactory, ResponseActionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def test_a_team_member_adds_and_tests_a_hypothesis(team, marta):
    item = services_work.hypothesis_create(
        actor=marta, problem=team, text="Break-ins follow the broken lights on level 2."
    )
    assert item.status == Hypothesis.Status.OPEN and item.created_by == marta
    services_work.hypothesis_update(
        actor=marta,
        hypothesis=item,
        text=item.text,
        status=Hypothesis.Status.SUPPORTED,
        evidence="18 of 25 break-ins were on level 2.",
    )
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["problems.hypothesis.create", "problems.hypothesis.update"]


@pytest.mark.parametrize("persona", ["pat", "ana", "cleo_off_team"])
def test_people_off_the_team_do_not_work_on_it(persona, team, request, cleo, casey):
    if persona == "cleo_off_team":
        from roundtable.problems import services_team

        services_team.co_leads_set(
            actor=casey, problem=team, police_co_lead=None, community_co_lead=None
        )
        member = team.members.get(user=cleo)
        services_team.member_update(actor=casey, member=member, left_on=member.joined_on)
        actor = cleo
    else:
        actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services_work.hypothesis_create(actor=actor, problem=team, text="x")
    with pytest.raises(PermissionDenied):
        services_work.action_create(actor=actor, problem=team, description="x", owner_name="y")


def test_a_coordinator_off_the_team_may_help(team, casey):
    services_work.hypothesis_create(actor=casey, problem=team, text="Lighting matters.")


def test_an_action_takes_its_owner_from_the_partner_and_is_audited(team, marta, health):
    action = services_work.action_create(
        actor=marta,
        problem=team,
        description="Fix the lights on level 2.",
        partner=health,
        due_on=TODAY,
    )
    assert action.owner_name == "County Health Department"
    entry = AuditEntry.objects.get(action="problems.action.create")
    assert entry.after is not None and entry.after["partner"] == health.pk


def test_an_action_needs_an_owner(team, marta):
    with pytest.raises(ValidationError) as error:
        services_work.action_create(actor=marta, problem=team, description="Fix the lights.")
    assert "owner_name" in error.value.message_dict


def test_an_action_partner_must_be_on_the_map(team, marta, other_agency):
    foreign = OrganisationFactory.create(agency=other_agency)
    with pytest.raises(ValidationError) as error:
        services_work.action_create(
            actor=marta, problem=team, description="x", owner_name="y", partner=foreign
        )
    assert "partner" in error.value.message_dict


def test_marking_an_action_done_dates_it(team, marta):
    action = ResponseActionFactory.create(problem=team)
    services_work.action_update(actor=marta, action=action, status=ResponseAction.Status.DONE)
    assert action.done_on == timezone.localdate()
    services_work.action_update(actor=marta, action=action, status=ResponseAction.Status.PLANNED)
    assert action.done_on is None


def test_overdue_actions_are_flagged(team):
    late = ResponseActionFactory.create(problem=team, due_on=TODAY - dt.timedelta(days=1))
    ResponseActionFactory.create(
        problem=team, due_on=TODAY - dt.timedelta(days=1), status=ResponseAction.Status.DONE
    )
    ResponseActionFactory.create(problem=team, due_on=TODAY)
    page = selectors.team_page(team, today=TODAY)
    assert [row.action for row in page.actions if row.overdue] == [late]


def _goal(actor, problem):
    return services_work.goal_create(
        actor=actor,
        problem=problem,
        metric="Thefts from vehicles per month",
        baseline=Decimal(20),
        target=Decimal(12),
        target_date=TODAY + dt.timedelta(days=180),
    )


def test_goals_are_agreed_up_front(team, marta):
    goal = _goal(marta, team)
    assert AuditEntry.objects.filter(action="problems.goal.create").count() == 1
    team.stage = Stage.RESPONSE
    team.save()
    with pytest.raises(ValidationError):
        _goal(marta, team)
    with pytest.raises(ValidationError):
        services_work.goal_update(
            actor=marta,
            goal=goal,
            metric=goal.metric,
            baseline=goal.baseline,
            target=Decimal(19),
            target_date=goal.target_date,
        )
    goal.refresh_from_db()
    assert goal.target == 12


def test_a_goals_result_is_recorded_at_any_stage(team, marta):
    goal = GoalFactory.create(problem=team)
    team.stage = Stage.ASSESSMENT
    team.save()
    services_work.goal_result_record(
        actor=marta, goal=goal, result=Decimal(14), result_note="Close, not there."
    )
    goal.refresh_from_db()
    assert goal.result == 14
    entry = AuditEntry.objects.get(action="problems.goal.result")
    assert entry.after == {"result": "14", "result_note": "Close, not there."}


COUNTS = {
    "label": "Thefts from vehicles",
    "before_start": dt.date(2025, 1, 1),
    "before_end": dt.date(2025, 6, 30),
    "after_start": dt.date(2025, 7, 1),
    "after_end": dt.date(2025, 12, 31),
    "target_before": 207,
    "target_after": 110,
    "control_before": 308,
    "control_after": 318,
}


def test_an_analyst_enters_an_assessment_by_hand(team, ana):
    item = services_work.assessment_create(actor=ana, problem=team, **COUNTS)
    assert item.source == Assessment.Source.HAND
    assert AuditEntry.objects.get(action="problems.assessment.create").actor == ana


def test_partners_off_the_team_do_not_enter_assessments(team, pat):
    with pytest.raises(PermissionDenied):
        services_work.assessment_create(actor=pat, problem=team, **COUNTS)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"before_end": dt.date(2024, 12, 1)}, "before_end"),
        ({"after_start": dt.date(2025, 6, 1)}, "after_start"),
        ({"control_after": None}, "control_before"),
        ({"buffer_before": 10, "buffer_after": None}, "buffer_before"),
        (
            {"control_before": None, "control_after": None, "buffer_before": 1, "buffer_after": 2},
            "control_before",
        ),
        ({"buffer_control_before": 1, "buffer_control_after": 2}, "buffer_before"),
    ],
)
def test_incomplete_or_disordered_counts_are_refused(changes, field, team, ana):
    with pytest.raises(ValidationError) as error:
        services_work.assessment_create(actor=ana, problem=team, **{**COUNTS, **changes})
    assert field in error.value.message_dict


def test_an_assessment_is_read_with_its_figures(team, ana):
    item = services_work.assessment_create(
        actor=ana,
        problem=team,
        **COUNTS,
        buffer_before=178,
        buffer_after=157,
        buffer_control_before=150,
        buffer_control_after=140,
    )
    view = selectors.assessment_figures(item)
    assert view.figures.wdd == -118
    assert view.figures.wdd_z == pytest.approx(-2.98, abs=0.01)
    assert view.reading.verdict == "fell"


def test_an_assessment_is_updated_and_audited(team, ana):
    item = services_work.assessment_create(actor=ana, problem=team, **COUNTS)
    services_work.assessment_update(actor=ana, assessment=item, target_after=200)
    entry = AuditEntry.objects.get(action="problems.assessment.update")
    assert entry.before == {"target_after": 110} and entry.after == {"target_after": 200}


def test_a_stale_copy_cannot_add_a_goal_after_the_response_started(team, marta, cleo):
    # Marta's page was loaded in Analysis; meanwhile both co-leads moved the
    # problem on to the response. Her copy still says Analysis.
    stale = Problem.objects.select_related("agency").get(pk=team.pk)
    _goal(marta, team)
    for _ in range(2):
        stages.stage_sign_off(actor=cleo, problem=team)
        stages.stage_sign_off(actor=marta, problem=team)
    assert team.stage == Stage.RESPONSE and stale.stage == Stage.SCANNING
    with pytest.raises(ValidationError):
        _goal(marta, stale)
    assert team.goals.count() == 1
