"""Reads of problems for the agency's pages: the list, the team page, the
figures of an assessment.

Staff see every problem of the agency; anyone else only those whose team they
are on with their own account (`problems_visible_to`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.analytics.displacement import Counts, Figures, assess
from roundtable.incidents.models import AreaBoundary
from roundtable.incidents.selectors_counts import has_incidents
from roundtable.inputs.models import Input, Moderation
from roundtable.inputs.redaction import redact
from roundtable.inputs.services import inputs_linked_to
from roundtable.problems.models import (
    STAGE_ORDER,
    Assessment,
    Goal,
    Hypothesis,
    Problem,
    ProblemMeeting,
    ResponseAction,
    Stage,
    StageMove,
    StageSignOff,
    TeamMember,
)
from roundtable.problems.reading import Reading, period_days, reading
from roundtable.problems.rules import current_members_q
from roundtable.problems.stages import next_stage

OPEN_ACTION_STATUSES = (ResponseAction.Status.PLANNED, ResponseAction.Status.IN_PROGRESS)


def problems_visible_to(*, user: User, agency: Agency, staff: bool) -> QuerySet[Problem]:
    qs = Problem.objects.filter(agency=agency)
    if staff:
        return qs
    mine = TeamMember.objects.filter(current_members_q(), user=user).values("problem_id")
    return qs.filter(pk__in=mine)


def problem_list(*, user: User, agency: Agency, staff: bool) -> QuerySet[Problem]:
    """The problems the person may see, newest first, with their team's size."""
    today = timezone.localdate()
    return (
        problems_visible_to(user=user, agency=agency, staff=staff)
        .select_related("area", "priority", "police_co_lead", "community_co_lead")
        .annotate(
            member_count=Count(
                "members", filter=current_members_q(today, prefix="members__"), distinct=True
            ),
            overdue_count=Count(
                "actions",
                filter=Q(actions__due_on__lt=today, actions__status__in=OPEN_ACTION_STATUSES),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def problem_for(*, user: User, agency: Agency, pk: int, staff: bool) -> Problem:
    """One problem the person may see. Raises Problem.DoesNotExist."""
    return (
        problems_visible_to(user=user, agency=agency, staff=staff)
        .select_related(
            "agency",
            "area",
            "comparison_area",
            "buffer_area",
            "priority",
            "police_co_lead",
            "community_co_lead",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class AssessmentView:
    assessment: Assessment
    figures: Figures
    reading: Reading


def assessment_figures(assessment: Assessment) -> AssessmentView:
    """The figures of an assessment, computed now, and their reading."""

    def counts(before: int | None, after: int | None) -> Counts | None:
        return None if before is None or after is None else Counts(before, after)

    target = Counts(assessment.target_before, assessment.target_after)
    figures = assess(
        target=target,
        control=counts(assessment.control_before, assessment.control_after),
        buffer=counts(assessment.buffer_before, assessment.buffer_after),
        buffer_control=counts(assessment.buffer_control_before, assessment.buffer_control_after),
    )
    return AssessmentView(
        assessment=assessment,
        figures=figures,
        reading=reading(
            figures,
            target=target,
            before_days=period_days(assessment.before_start, assessment.before_end),
            after_days=period_days(assessment.after_start, assessment.after_end),
        ),
    )


@dataclass(frozen=True)
class StageStep:
    stage: Stage
    label: str
    reached_on: dt.date | None
    current: bool
    done: bool


def stage_steps(problem: Problem, moves: list[StageMove]) -> list[StageStep]:
    """The stage bar: each stage, when it was reached, which one is current."""
    reached: dict[str, dt.date] = {
        move.to_stage: timezone.localdate(move.moved_at) for move in moves
    }
    reached.setdefault(Stage.SCANNING, timezone.localdate(problem.created_at))
    current_index = STAGE_ORDER.index(Stage(problem.stage))
    return [
        StageStep(
            stage=stage,
            label=str(stage.label),
            reached_on=reached.get(stage),
            current=index == current_index,
            done=index < current_index,
        )
        for index, stage in enumerate(STAGE_ORDER)
    ]


@dataclass(frozen=True)
class ActionRow:
    action: ResponseAction
    overdue: bool


@dataclass(frozen=True)
class LinkedInput:
    input: Input
    text: str  # redacted; empty when held from view


@dataclass(frozen=True)
class TeamPage:
    members: list[TeamMember]
    former_members: list[TeamMember]
    sign_offs: list[StageSignOff]  # for the move out of the current stage
    moves: list[StageMove]
    hypotheses: list[Hypothesis]
    goals: list[Goal]
    actions: list[ActionRow]
    assessments: list[AssessmentView]
    meetings: list[ProblemMeeting]
    inputs: list[LinkedInput]
    # Whether assessments can be counted from imported incidents (some boundary exists).
    has_incidents: bool


def is_overdue(action: ResponseAction, today: dt.date) -> bool:
    return (
        action.due_on is not None
        and action.due_on < today
        and action.status in OPEN_ACTION_STATUSES
    )


def team_page(problem: Problem, *, today: dt.date | None = None) -> TeamPage:
    """Everything the team page shows besides the problem's own fields.

    Linked inputs show their text redacted (team members need not be agency
    staff; staff open the input in the ledger for the rest), and none of the
    text of an input held from public view.
    """
    today = today or timezone.localdate()
    members = list(problem.members.select_related("user", "organisation"))
    current = [m for m in members if m.left_on is None or m.left_on > today]
    to_stage = next_stage(problem.stage)
    sign_offs = (
        list(
            StageSignOff.objects.filter(
                problem=problem, from_stage=problem.stage, to_stage=to_stage
            ).select_related("user")
        )
        if to_stage is not None
        else []
    )
    actions = problem.actions.select_related("owner", "partner")
    meetings = problem.meetings.select_related("event")
    return TeamPage(
        members=current,
        former_members=[m for m in members if m not in current],
        sign_offs=sign_offs,
        moves=list(problem.moves.all()),
        hypotheses=list(problem.hypotheses.all()),
        goals=list(problem.goals.all()),
        actions=[ActionRow(a, is_overdue(a, today)) for a in actions],
        assessments=[assessment_figures(a) for a in problem.assessments.all()],
        meetings=list(meetings),
        inputs=[
            LinkedInput(item, redact(item.text) if item.moderation == Moderation.VISIBLE else "")
            for item in inputs_linked_to(problem).select_related("area").order_by("-received_at")
        ],
        has_incidents=has_incidents(problem.agency)
        and AreaBoundary.objects.filter(area__agency=problem.agency).exists(),
    )
