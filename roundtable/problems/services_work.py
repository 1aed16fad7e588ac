"""The team's work on a problem: hypotheses, response actions, goals and
assessments. Team members with an account and coordinators may write them;
analysts may enter assessments too (`rules.py`). Every write is audited.

Goals are agreed up front: once the response has started they can no longer
be set or changed, only their result recorded, so the team is measured
against what it meant to achieve.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.audit.services import audit_record, snapshot
from roundtable.problems import rules
from roundtable.problems.models import (
    Assessment,
    Goal,
    Hypothesis,
    Problem,
    ResponseAction,
    Stage,
)
from roundtable.stakeholders.models import Organisation

HYPOTHESIS_FIELDS = ["text", "status", "evidence"]
ACTION_FIELDS = ["description", "owner_name", "owner", "partner", "due_on", "status", "done_on"]
GOAL_FIELDS = ["metric", "baseline", "target", "target_date"]
GOAL_RESULT_FIELDS = ["result", "result_note"]
ASSESSMENT_FIELDS = [
    "label",
    "before_start",
    "before_end",
    "after_start",
    "after_end",
    "target_before",
    "target_after",
    "control_before",
    "control_after",
    "buffer_before",
    "buffer_after",
    "buffer_control_before",
    "buffer_control_after",
    "source",
    "source_note",
    "conclusion",
]
COUNT_FIELDS = frozenset(name for name in ASSESSMENT_FIELDS if name.endswith(("_before", "_after")))
# Stages in which goals may still be agreed or changed.
GOAL_STAGES = frozenset({Stage.SCANNING, Stage.ANALYSIS})


def _check_work(actor: User, problem: Problem) -> None:
    if not rules.may_work(actor, problem):
        raise PermissionDenied(_("Only the team and coordinators may do this."))


def _audit(
    actor: User,
    problem: Problem,
    action: str,
    instance: models.Model,
    fields: list[str],
    before: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor,
        agency=problem.agency,
        action=action,
        instance=instance,
        before=before,
        after={"problem": problem.pk, **snapshot(instance, fields)}
        if before is None
        else snapshot(instance, fields),
    )


# --- Hypotheses ---


@transaction.atomic
def hypothesis_create(
    *,
    actor: User,
    problem: Problem,
    text: str,
    status: Hypothesis.Status | str = Hypothesis.Status.OPEN,
    evidence: str = "",
) -> Hypothesis:
    _check_work(actor, problem)
    item = Hypothesis(
        problem=problem,
        text=text.strip(),
        status=status,
        evidence=evidence.strip(),
        created_by=actor,
    )
    item.full_clean(exclude=["problem", "created_by"])
    item.save()
    _audit(actor, problem, "problems.hypothesis.create", item, HYPOTHESIS_FIELDS)
    return item


@transaction.atomic
def hypothesis_update(
    *,
    actor: User,
    hypothesis: Hypothesis,
    text: str,
    status: Hypothesis.Status | str,
    evidence: str,
) -> Hypothesis:
    problem = hypothesis.problem
    _check_work(actor, problem)
    before = snapshot(hypothesis, HYPOTHESIS_FIELDS)
    hypothesis.text = text.strip()
    hypothesis.status = status
    hypothesis.evidence = evidence.strip()
    hypothesis.full_clean(exclude=["problem", "created_by"])
    hypothesis.save()
    _audit(actor, problem, "problems.hypothesis.update", hypothesis, HYPOTHESIS_FIELDS, before)
    return hypothesis


# --- Response actions ---


def _prepare_action(item: ResponseAction) -> None:
    agency_id = item.problem.agency_id
    if item.partner is not None and item.partner.agency_id != agency_id:
        raise ValidationError({"partner": _("The partner must be on this agency's Community Map.")})
    if item.owner is not None and not item.owner.memberships.filter(agency_id=agency_id).exists():
        raise ValidationError({"owner": _("The owner must have a role in this agency.")})
    if not item.owner_name:
        item.owner_name = (
            str(item.owner) if item.owner else item.partner.name if item.partner else ""
        )
    if not item.owner_name:
        raise ValidationError({"owner_name": _("Say who owns this action.")})
    if item.status == ResponseAction.Status.DONE:
        item.done_on = item.done_on or timezone.localdate()
    else:
        item.done_on = None
    item.full_clean(exclude=["problem", "created_by", "owner", "partner"])


@transaction.atomic
def action_create(
    *,
    actor: User,
    problem: Problem,
    description: str,
    owner_name: str = "",
    owner: User | None = None,
    partner: Organisation | None = None,
    due_on: dt.date | None = None,
    status: ResponseAction.Status | str = ResponseAction.Status.PLANNED,
    done_on: dt.date | None = None,
) -> ResponseAction:
    """A response action: what will be done, who owns it, with which partner, by when."""
    _check_work(actor, problem)
    item = ResponseAction(
        problem=problem,
        description=description.strip(),
        owner_name=owner_name.strip(),
        owner=owner,
        partner=partner,
        due_on=due_on,
        status=status,
        done_on=done_on,
        created_by=actor,
    )
    _prepare_action(item)
    item.save()
    _audit(actor, problem, "problems.action.create", item, ACTION_FIELDS)
    return item


@transaction.atomic
def action_update(*, actor: User, action: ResponseAction, **fields: Any) -> ResponseAction:
    """Change an action (only the fields given); marking it done dates it today
    unless `done_on` is given."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"action_update cannot set {sorted(unknown)}")
    problem = action.problem
    _check_work(actor, problem)
    before = snapshot(action, ACTION_FIELDS)
    for name, value in fields.items():
        setattr(
            action, name, value.strip() if isinstance(value, str) and name != "status" else value
        )
    _prepare_action(action)
    action.save()
    _audit(actor, problem, "problems.action.update", action, ACTION_FIELDS, before)
    return action


# --- Goals ---


def _check_goal_stage(problem: Problem) -> None:
    # The stage is read from the locked row, not the caller's copy: the
    # co-leads' sign-off locks it too, so a goal cannot slip in (or change)
    # once the move to the response has happened.
    problem.stage = (
        Problem.objects.select_for_update().values_list("stage", flat=True).get(pk=problem.pk)
    )
    if problem.stage not in GOAL_STAGES:
        raise ValidationError(
            _("Goals are agreed before the response starts; now only their result can be recorded.")
        )


@transaction.atomic
def goal_create(
    *,
    actor: User,
    problem: Problem,
    metric: str,
    baseline: Decimal,
    target: Decimal,
    target_date: dt.date,
) -> Goal:
    """A goal agreed up front: its metric, where it stands, where it should get, by when."""
    _check_work(actor, problem)
    _check_goal_stage(problem)
    goal = Goal(
        problem=problem,
        metric=metric.strip(),
        baseline=baseline,
        target=target,
        target_date=target_date,
        created_by=actor,
    )
    goal.full_clean(exclude=["problem", "created_by"])
    goal.save()
    _audit(actor, problem, "problems.goal.create", goal, GOAL_FIELDS)
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    metric: str,
    baseline: Decimal,
    target: Decimal,
    target_date: dt.date,
) -> Goal:
    problem = goal.problem
    _check_work(actor, problem)
    _check_goal_stage(problem)
    before = snapshot(goal, GOAL_FIELDS)
    goal.metric = metric.strip()
    goal.baseline = baseline
    goal.target = target
    goal.target_date = target_date
    goal.full_clean(exclude=["problem", "created_by"])
    goal.save()
    _audit(actor, problem, "problems.goal.update", goal, GOAL_FIELDS, before)
    return goal


@transaction.atomic
def goal_result_record(
    *, actor: User, goal: Goal, result: Decimal | None, result_note: str = ""
) -> Goal:
    """Where the metric ended up, at any stage (None clears it)."""
    problem = goal.problem
    _check_work(actor, problem)
    before = snapshot(goal, GOAL_RESULT_FIELDS)
    goal.result = result
    goal.result_note = result_note.strip()
    goal.full_clean(exclude=["problem", "created_by"])
    goal.save(update_fields=["result", "result_note"])
    _audit(actor, problem, "problems.goal.result", goal, GOAL_RESULT_FIELDS, before)
    return goal


# --- Assessments ---


def _check_assessment(item: Assessment) -> None:
    errors: dict[str, str] = {}
    if item.before_end < item.before_start:
        errors["before_end"] = _("The before period cannot end before it starts.")
    if item.after_end < item.after_start:
        errors["after_end"] = _("The after period cannot end before it starts.")
    if item.after_start <= item.before_end:
        errors["after_start"] = _("The after period must start once the before period is over.")
    pairs = (
        (
            "control_before",
            "control_after",
            _("Give the comparison area's counts for both periods."),
        ),
        ("buffer_before", "buffer_after", _("Give the buffer area's counts for both periods.")),
        (
            "buffer_control_before",
            "buffer_control_after",
            _("Give the buffer's comparison counts for both periods."),
        ),
    )
    for before, after, message in pairs:
        if (getattr(item, before) is None) != (getattr(item, after) is None):
            errors[before] = message
    if item.buffer_before is not None and item.control_before is None:
        errors["control_before"] = _("A buffer area is read against a comparison area: give one.")
    if item.buffer_control_before is not None and item.buffer_before is None:
        errors["buffer_before"] = _("Give the buffer area's counts with its comparison.")
    if errors:
        raise ValidationError(errors)


def _check_assess(actor: User, problem: Problem) -> None:
    if not rules.may_assess(actor, problem):
        raise PermissionDenied(_("Only the team, coordinators and analysts enter assessments."))


@transaction.atomic
def assessment_create(*, actor: User, problem: Problem, **fields: Any) -> Assessment:
    """Counts before and after in the response, comparison and buffer areas.

    Entered by hand for now (the agency's incident data is not imported yet);
    the figures are computed when the assessment is read.
    """
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"assessment_create cannot set {sorted(unknown)}")
    _check_assess(actor, problem)
    fields.setdefault("source", Assessment.Source.HAND)
    item = Assessment(problem=problem, created_by=actor, **fields)
    _check_assessment(item)
    item.full_clean(exclude=["problem", "created_by"])
    item.save()
    _audit(actor, problem, "problems.assessment.create", item, ASSESSMENT_FIELDS)
    return item


@transaction.atomic
def assessment_update(*, actor: User, assessment: Assessment, **fields: Any) -> Assessment:
    """Change an assessment (only the fields given)."""
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"assessment_update cannot set {sorted(unknown)}")
    problem = assessment.problem
    _check_assess(actor, problem)
    before = snapshot(assessment, ASSESSMENT_FIELDS)
    counted = assessment.source == Assessment.Source.INCIDENTS
    for name, value in fields.items():
        setattr(assessment, name, value)
    if counted and any(
        getattr(assessment, name) != before[name] for name in fields if name in COUNT_FIELDS
    ):
        # Counts changed by hand no longer come from the incident data as such.
        assessment.source = Assessment.Source.HAND
    _check_assessment(assessment)
    assessment.full_clean(exclude=["problem", "created_by"])
    assessment.save()
    _audit(actor, problem, "problems.assessment.update", assessment, ASSESSMENT_FIELDS, before)
    return assessment
