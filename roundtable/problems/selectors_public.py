"""What the public may read of a problem: only problems put on the public site,
and of them only what is safe to publish.

Shown: the plain-language summary, the response actions' descriptions and
status (with the partner only when it is an organisation, never a person's
name), which organisations and sides are on the team (counts of members, small
counts withheld by `roundtable.disclosure`, docs/disclosure.md; no team total
is shown, so no sum can give one back), the stages with their dates, the goals, and each assessment
in plain words. Never shown: the problem statement and the analysis (place,
victim, offender …), members' names, owners, addresses, inputs. Free text typed
by the team passes through `redact` first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from roundtable import disclosure
from roundtable.agencies.models import Agency
from roundtable.inputs.redaction import redact
from roundtable.problems.models import Problem, ResponseAction, Side, Stage
from roundtable.problems.reading import Reading
from roundtable.problems.rules import current_members_q
from roundtable.problems.selectors import StageStep, assessment_figures, stage_steps
from roundtable.stakeholders.models import Organisation


def public_problems(*, agency: Agency) -> QuerySet[Problem]:
    return (
        Problem.objects.filter(agency=agency, is_public=True)
        .select_related("area")
        .order_by("-created_at", "-pk")
    )


def public_problem_list(*, agency: Agency) -> list[Problem]:
    """The public problems for the list page, their titles redacted as on each
    problem's own page. The instances are display copies: never saved."""
    problems = list(public_problems(agency=agency))
    for problem in problems:
        problem.title = redact(problem.title)
    return problems


@dataclass(frozen=True)
class PublicAction:
    description: str
    status: str
    status_label: str
    partner: str
    due_on: dt.date | None
    done_on: dt.date | None


@dataclass(frozen=True)
class SideCount:
    label: str
    count: int | None  # None: withheld, fewer than the small-cell threshold


@dataclass(frozen=True)
class PublicGoal:
    metric: str
    baseline: Decimal
    target: Decimal
    target_date: dt.date
    result: Decimal | None


@dataclass(frozen=True)
class PublicAssessment:
    label: str
    before_start: dt.date
    before_end: dt.date
    after_start: dt.date
    after_end: dt.date
    reading: Reading
    conclusion: str


@dataclass(frozen=True)
class PublicProblem:
    pk: int
    title: str
    summary: str
    stage: Stage
    stage_label: str
    area: str
    steps: list[StageStep]
    actions: list[PublicAction]
    organisations: list[str]
    sides: list[SideCount]
    goals: list[PublicGoal]
    assessments: list[PublicAssessment]
    small_cell: int


def _sides(problem: Problem) -> tuple[list[SideCount], list[str]]:
    members = list(problem.members.filter(current_members_q()).select_related("organisation"))
    sides = []
    for side in Side:
        count = sum(1 for m in members if m.side == side)
        sides.append(SideCount(str(side.label), disclosure.public_count(count)))
    organisations = sorted(
        {
            m.organisation.name
            for m in members
            if m.organisation is not None and m.organisation.kind == Organisation.Kind.ORGANISATION
        }
    )
    return sides, organisations


def _actions(problem: Problem) -> list[PublicAction]:
    actions = problem.actions.exclude(status=ResponseAction.Status.DROPPED).select_related(
        "partner"
    )
    return [
        PublicAction(
            description=redact(a.description),
            status=a.status,
            status_label=a.get_status_display(),
            partner=a.partner.name
            if a.partner is not None and a.partner.kind == Organisation.Kind.ORGANISATION
            else "",
            due_on=a.due_on,
            done_on=a.done_on,
        )
        for a in actions
    ]


def public_problem(*, agency: Agency, pk: int) -> PublicProblem:
    """A public problem in its publishable parts. Raises Problem.DoesNotExist."""
    problem = public_problems(agency=agency).get(pk=pk)
    sides, organisations = _sides(problem)
    assessments = []
    for assessment in problem.assessments.all():
        view = assessment_figures(assessment)
        assessments.append(
            PublicAssessment(
                label=redact(assessment.label),
                before_start=assessment.before_start,
                before_end=assessment.before_end,
                after_start=assessment.after_start,
                after_end=assessment.after_end,
                reading=view.reading,
                conclusion=redact(assessment.conclusion),
            )
        )
    return PublicProblem(
        pk=problem.pk,
        title=redact(problem.title),
        summary=redact(problem.public_summary),
        stage=Stage(problem.stage),
        stage_label=problem.get_stage_display(),
        area=problem.area.name if problem.area is not None else "",
        steps=stage_steps(problem, list(problem.moves.all())),
        actions=_actions(problem),
        organisations=organisations,
        sides=sides,
        goals=[
            PublicGoal(redact(g.metric), g.baseline, g.target, g.target_date, g.result)
            for g in problem.goals.all()
        ],
        assessments=assessments,
        small_cell=disclosure.minimum_count(),
    )
