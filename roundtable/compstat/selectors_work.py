"""The pack's account of the work: problem-solving teams, the response ledger and
the meetings ahead, each as it stood at the end of the pack's day.

"As it stood" is read from the dates each record keeps: a problem's stage from
its logged moves, an action as done only if its done date is on or before the
day, an input as answered only if its answer date is; nothing created after
the day is counted. (A goal's result carries no date of its own, so the live
pack shows the result recorded now; the issued pack keeps the one it showed.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Prefetch, Q
from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.analytics.response_figures import median, share
from roundtable.engagement.models import Event
from roundtable.inputs.models import Input, Topic
from roundtable.problems.models import (
    Assessment,
    Goal,
    Problem,
    ResponseAction,
    Stage,
    StageMove,
)
from roundtable.problems.selectors import AssessmentView, assessment_figures

MEETINGS_AHEAD = dt.timedelta(weeks=6)
OPEN_ACTIONS = (ResponseAction.Status.PLANNED, ResponseAction.Status.IN_PROGRESS)


def day_end(day: dt.date) -> dt.datetime:
    """The first moment after `day`, in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- Problem-solving teams ---


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    result: Decimal | None
    met: bool | None  # None without a result; "met" reads the direction from baseline to target


@dataclass(frozen=True)
class ProblemProgress:
    problem: Problem
    stage: str
    stage_label: str
    stage_since: dt.date
    goals: list[GoalProgress]
    actions_total: int
    actions_done: int
    overdue: list[ResponseAction]
    assessment: AssessmentView | None


def _goal_progress(goal: Goal) -> GoalProgress:
    if goal.result is None:
        return GoalProgress(goal, None, None)
    lower_is_better = goal.target < goal.baseline
    met = goal.result <= goal.target if lower_is_better else goal.result >= goal.target
    return GoalProgress(goal, goal.result, met)


def _stage_at(problem: Problem, moves: list[StageMove], end: dt.datetime) -> tuple[str, dt.date]:
    """The stage at `end` and the day it was reached: after the last move made
    before it; else the stage the first later move left; else (no move logged at
    all) the stage the problem is in."""
    before = [m for m in moves if m.moved_at < end]
    if before:
        return before[-1].to_stage, timezone.localdate(before[-1].moved_at)
    if moves:
        return moves[0].from_stage, timezone.localdate(problem.created_at)
    since = problem.stage_changed_at if problem.stage != Stage.SCANNING else None
    return problem.stage, timezone.localdate(since or problem.created_at)


def pack_problems(
    *, agency: Agency, area: Area | None, as_of: dt.date, overdue_before: dt.date
) -> list[ProblemProgress]:
    """Each problem open at the end of `as_of` (for the area, if given): its stage
    then, its goals, its actions, those due before `overdue_before` and not done by
    `as_of`, and its latest assessment's reading. Five queries."""
    end = day_end(as_of)
    qs = Problem.objects.filter(agency=agency, created_at__lt=end)
    if area is not None:
        qs = qs.filter(area=area)
    problems = qs.select_related("area").prefetch_related(
        Prefetch(
            "moves",
            queryset=StageMove.objects.order_by("moved_at", "pk"),
            to_attr="all_moves",
        ),
        Prefetch(
            "goals",
            queryset=Goal.objects.filter(created_at__lt=end).order_by("target_date", "pk"),
            to_attr="goals_then",
        ),
        Prefetch(
            "actions",
            queryset=ResponseAction.objects.filter(created_at__lt=end).order_by("due_on", "pk"),
            to_attr="actions_then",
        ),
        Prefetch(
            "assessments",
            queryset=Assessment.objects.filter(created_at__lt=end).order_by("created_at", "pk"),
            to_attr="assessments_then",
        ),
    )
    found = []
    for problem in problems.order_by("created_at", "pk"):
        stage, since = _stage_at(problem, problem.all_moves, end)
        if stage == Stage.CLOSED:
            continue
        actions: list[ResponseAction] = problem.actions_then
        done = [
            a
            for a in actions
            if a.status == ResponseAction.Status.DONE and (a.done_on is None or a.done_on <= as_of)
        ]
        overdue = [
            a
            for a in actions
            if a.due_on is not None
            and a.due_on < overdue_before
            and (
                a.status in OPEN_ACTIONS
                or (a.status == ResponseAction.Status.DONE and a not in done)
            )
        ]
        assessments: list[Assessment] = problem.assessments_then
        found.append(
            ProblemProgress(
                problem=problem,
                stage=stage,
                stage_label=str(Stage(stage).label),
                stage_since=since,
                goals=[_goal_progress(g) for g in problem.goals_then],
                actions_total=len(
                    [a for a in actions if a.status != ResponseAction.Status.DROPPED]
                ),
                actions_done=len(done),
                overdue=overdue,
                assessment=assessment_figures(assessments[-1]) if assessments else None,
            )
        )
    return found


# --- The response ledger ---


@dataclass(frozen=True)
class LedgerRow:
    key: str  # a Topic value, or "all"
    label: str
    received: int  # received in the month
    answered: int  # answered in the month (whenever received)
    due: int  # whose answer-by date fell in the month, up to the pack's day
    on_time: float | None  # the share of those answered by their date (0–1)
    median_days: float | None  # from receipt to answer, of those answered in the month
    overdue: int  # still unanswered at the end of the day, past their answer-by date


@dataclass(frozen=True)
class LedgerFigures:
    total: LedgerRow
    by_topic: list[LedgerRow]  # the topics with any figure


# (topic, received_at, answered_at, closed_at, answer_by)
_InputRow = tuple[str, dt.datetime, dt.datetime | None, dt.datetime | None, dt.date]


@dataclass(frozen=True)
class _Window:
    start: dt.datetime  # the month's first moment
    end: dt.datetime  # the first moment after the pack's day
    first: dt.date
    as_of: dt.date
    overdue_before: dt.date


def _ledger_row(key: str, label: str, rows: list[_InputRow], window: _Window) -> LedgerRow:
    start, end = window.start, window.end
    received = [r for r in rows if start <= r[1] < end]
    answered = [r for r in rows if r[2] is not None and start <= r[2] < end]
    due = [r for r in rows if window.first <= r[4] <= window.as_of and r[1] < end]
    on_time = [
        r for r in due if r[2] is not None and r[2] < end and timezone.localdate(r[2]) <= r[4]
    ]
    overdue = [
        r
        for r in rows
        if (r[2] is None or r[2] >= end)
        and (r[3] is None or r[3] >= end)
        and r[4] < window.overdue_before
    ]
    days = np.array(
        [(r[2] - r[1]).total_seconds() / 86400 for r in answered if r[2] is not None],
        dtype=float,
    )
    return LedgerRow(
        key=key,
        label=label,
        received=len(received),
        answered=len(answered),
        due=len(due),
        on_time=share(len(on_time), len(due)),
        median_days=median(days),
        overdue=len(overdue),
    )


def pack_ledger(
    *,
    agency: Agency,
    area: Area | None,
    month: dt.date,
    as_of: dt.date,
    overdue_before: dt.date,
) -> LedgerFigures:
    """The month in the response ledger, overall and by topic (one query).

    Staff figures: exact counts, no small-cell suppression (the public figures
    in `inputs.selectors_public` apply it).
    """
    window = _Window(day_start(month), day_end(as_of), month, as_of, overdue_before)
    qs = Input.objects.filter(agency=agency, received_at__lt=window.end).filter(
        # Still open, answered since the month began, or due in it (answered early).
        Q(answered_at__isnull=True) | Q(answered_at__gte=window.start) | Q(answer_by__gte=month)
    )
    if area is not None:
        qs = qs.filter(area=area)
    rows: list[_InputRow] = list(
        qs.values_list("topic", "received_at", "answered_at", "closed_at", "answer_by")
    )
    by_topic = [
        _ledger_row(topic.value, str(topic.label), [r for r in rows if r[0] == topic], window)
        for topic in Topic
    ]
    return LedgerFigures(
        total=_ledger_row("all", "", rows, window),
        by_topic=[
            row for row in by_topic if row.received or row.answered or row.due or row.overdue
        ],
    )


# --- Meetings ahead ---


def pack_meetings(*, agency: Agency, area: Area | None, as_of: dt.date) -> list[Event]:
    """Meetings starting in the six weeks after the pack's day.

    Unlike the figures, these are the meetings as known when the pack is read or
    issued: the pack is prepared after its month for a meeting that looks ahead,
    and a meeting set up in the first days of the new month belongs in it.
    """
    start = day_end(as_of)
    qs = Event.objects.filter(
        agency=agency, starts_at__gte=start, starts_at__lt=start + MEETINGS_AHEAD
    )
    if area is not None:
        qs = qs.filter(area=area)
    return list(qs.select_related("area", "convener").order_by("starts_at", "pk"))
