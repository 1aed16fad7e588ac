"""Open data of what was decided and what is being done: the advisory group's
published decisions, the priorities they chose, and the problems worked on in
public with their goals and assessments.

Decisions come from `priorities.selectors_decisions.public_decisions` (published
only); how many inputs lie behind a priority goes through
`disclosure.public_count`. Problems come from `problems.selectors_public.public_problems`
(only those put on the public site) and carry what their public pages show:
never the problem statement, the analysis triangle, members' names, owners or
inputs. Free text typed by staff passes through `redact`, as on the pages. The
advisory group's vote tally stays on each decision's page (its `url`): it names
organisations beside small numbers of votes, which a table of counts should not.
An assessment's reading is given in words, without the sentence that repeats
its raw before-and-after counts.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency
from roundtable.disclosure import public_count
from roundtable.inputs.redaction import redact
from roundtable.opendata.dataset import (
    DATE,
    INTEGER,
    NUMBER,
    STRING,
    Dataset,
    Field,
    Row,
    iso,
)
from roundtable.priorities.models import Decision
from roundtable.priorities.selectors import Heard, candidate_title, heard_by_candidate
from roundtable.priorities.selectors_decisions import public_decisions
from roundtable.problems.models import Problem, ResponseAction, Stage, TeamMember
from roundtable.problems.rules import current_members_q
from roundtable.problems.selectors import assessment_figures, stage_steps
from roundtable.problems.selectors_public import public_problems
from roundtable.stakeholders.models import Organisation


def decision_rows(agency: Agency) -> list[Row]:
    language = get_language() or "en"
    return [
        {
            "id": f"decision-{decision.pk}",
            "title": redact(decision.title),
            "decided_by": redact(decision.decided_by),
            "decided_on": iso(decision.decided_on),
            "priorities": "; ".join(
                redact(candidate_title(c, language)) for c in decision.chosen.all()
            ),
            "rationale": redact(decision.rationale),
            "dissent": redact(decision.dissent),
            "url": reverse("priorities_public:decision", args=[agency.slug, decision.pk]),
        }
        for decision in public_decisions(agency=agency)
    ]


def priority_rows(agency: Agency) -> list[Row]:
    language = get_language() or "en"
    decisions = list(public_decisions(agency=agency))
    heard = heard_by_candidate([c.pk for d in decisions for c in d.chosen.all()])
    rows = []
    for decision in decisions:
        for candidate in decision.chosen.all():
            rows.append(
                {
                    "id": f"decision-{decision.pk}/priority-{candidate.pk}",
                    "decision": f"decision-{decision.pk}",
                    "decided_on": iso(decision.decided_on),
                    "title": redact(candidate_title(candidate, language)),
                    "description": redact(candidate.description),
                    "inputs": public_count(heard.get(candidate.pk, Heard()).total),
                }
            )
    return rows


def decisions_updated(agency: Agency) -> dt.date | None:
    found = Decision.objects.filter(agency=agency, status=Decision.Status.PUBLISHED).aggregate(
        latest=Max("published_at")
    )["latest"]
    return None if found is None else timezone.localdate(found)


def _problems(agency: Agency) -> list[Problem]:
    """The public problems with everything their rows need, in a fixed number of queries."""
    members = TeamMember.objects.filter(current_members_q()).select_related("organisation")
    actions = ResponseAction.objects.exclude(status=ResponseAction.Status.DROPPED)
    return list(
        public_problems(agency=agency).prefetch_related(
            "moves",
            "goals",
            "assessments",
            Prefetch("members", queryset=members),
            Prefetch("actions", queryset=actions),
        )
    )


def problem_rows(agency: Agency) -> list[Row]:
    rows = []
    for problem in _problems(agency):
        steps = stage_steps(problem, list(problem.moves.all()))
        current = next((s for s in steps if s.current), None)
        actions = list(problem.actions.all())
        assessments = sorted(problem.assessments.all(), key=lambda a: (a.after_end, a.pk))
        latest = assessment_figures(assessments[-1]).reading if assessments else None
        organisations = sorted(
            {
                m.organisation.name
                for m in problem.members.all()
                if m.organisation is not None
                and m.organisation.kind == Organisation.Kind.ORGANISATION
            }
        )
        rows.append(
            {
                "id": f"problem-{problem.pk}",
                "title": redact(problem.title),
                "summary": redact(problem.public_summary),
                "stage": problem.stage,
                "stage_label": str(Stage(problem.stage).label),
                "stage_since": iso(current.reached_on) if current else None,
                "area": "" if problem.area is None else problem.area.slug,
                "area_name": "" if problem.area is None else problem.area.name,
                "organisations": "; ".join(organisations),
                "actions": len(actions),
                "actions_done": sum(1 for a in actions if a.status == ResponseAction.Status.DONE),
                "latest_verdict": "" if latest is None else latest.verdict,
                "latest_reading": "" if latest is None else latest.headline,
                "url": reverse("problems_public:detail", args=[agency.slug, problem.pk]),
            }
        )
    return rows


def goal_rows(agency: Agency) -> list[Row]:
    return [
        {
            "id": f"problem-{problem.pk}/goal-{goal.pk}",
            "problem": f"problem-{problem.pk}",
            "metric": redact(goal.metric),
            "baseline": float(goal.baseline),
            "target": float(goal.target),
            "target_date": iso(goal.target_date),
            "result": None if goal.result is None else float(goal.result),
        }
        for problem in public_problems(agency=agency).prefetch_related("goals")
        for goal in problem.goals.all()
    ]


def assessment_rows(agency: Agency) -> list[Row]:
    rows = []
    for problem in public_problems(agency=agency).prefetch_related("assessments"):
        for assessment in problem.assessments.all():
            reading = assessment_figures(assessment).reading
            rows.append(
                {
                    "id": f"problem-{problem.pk}/assessment-{assessment.pk}",
                    "problem": f"problem-{problem.pk}",
                    "label": redact(assessment.label),
                    "before_start": iso(assessment.before_start),
                    "before_end": iso(assessment.before_end),
                    "after_start": iso(assessment.after_start),
                    "after_end": iso(assessment.after_end),
                    "verdict": reading.verdict,
                    "reading": reading.headline,
                    "comparison": reading.comparison,
                    "displacement": reading.displacement,
                    "conclusion": redact(assessment.conclusion),
                }
            )
    return rows


def problems_updated(agency: Agency) -> dt.date | None:
    found = Problem.objects.filter(agency=agency, is_public=True).aggregate(
        latest=Max("updated_at")
    )["latest"]
    return None if found is None else timezone.localdate(found)


PROBLEM = _("The problem's identifier (see the problems dataset).")

DECISIONS = Dataset(
    key="decisions",
    title=_("Decisions on priorities"),
    description=_(
        "The advisory group's published decisions: which priorities it chose, why, and "
        "what members who disagreed said. Each decision's page gives the vote."
    ),
    fields=(
        Field("id", STRING, _("Stable identifier: decision-<number>, as in its address.")),
        Field("title", STRING, _("Title of the decision.")),
        Field("decided_by", STRING, _("The group that decided, by its public name.")),
        Field("decided_on", DATE, _("Day of the decision.")),
        Field("priorities", STRING, _("The priorities chosen, separated by semicolons.")),
        Field("rationale", STRING, _("Why, in the group's words.")),
        Field("dissent", STRING, _("What members who disagreed said.")),
        Field("url", STRING, _("The decision's public page (path on this site).")),
    ),
    build=decision_rows,
    updated=decisions_updated,
)

PRIORITIES = Dataset(
    key="priorities",
    title=_("Priorities"),
    description=_(
        "The public safety priorities chosen with the community, one row per priority and "
        "decision, with how many inputs from the community lie behind each."
    ),
    fields=(
        Field("id", STRING, _("Stable identifier: decision-<number>/priority-<number>.")),
        Field("decision", STRING, _("The decision that chose it (see the decisions dataset).")),
        Field("decided_on", DATE, _("Day of the decision.")),
        Field("title", STRING, _("The priority.")),
        Field("description", STRING, _("What it covers.")),
        Field(
            "inputs",
            INTEGER,
            _("Inputs from the community linked to it (empty: fewer than the minimum)."),
            unit=_("inputs"),
            count="count",
        ),
    ),
    build=priority_rows,
    updated=decisions_updated,
)

PROBLEMS = Dataset(
    key="problems",
    title=_("Problem-solving"),
    description=_(
        "Problems the agency, residents and partners work on together in public (SARA: "
        "scanning, analysis, response, assessment): what is being done, by which "
        "organisations, how far it has got and whether it worked."
    ),
    fields=(
        Field("id", STRING, _("Stable identifier: problem-<number>, as in its address.")),
        Field("title", STRING, _("The problem.")),
        Field("summary", STRING, _("What is being done, in plain language.")),
        Field("stage", STRING, _("scanning, analysis, response, assessment or closed.")),
        Field("stage_label", STRING, _("The stage in words.")),
        Field("stage_since", DATE, _("Day the problem reached its stage.")),
        Field("area", STRING, _("Short name of the response area (empty: none).")),
        Field("area_name", STRING, _("Name of the response area.")),
        Field("organisations", STRING, _("Organisations on the team, separated by semicolons.")),
        Field("actions", INTEGER, _("Response actions planned, under way or done.")),
        Field("actions_done", INTEGER, _("Response actions done.")),
        Field(
            "latest_verdict",
            STRING,
            _("The latest assessment: fell, rose, no_clear_change or cannot_tell (empty: none)."),
        ),
        Field("latest_reading", STRING, _("The latest assessment in plain words.")),
        Field("url", STRING, _("The problem's public page (path on this site).")),
    ),
    build=problem_rows,
    updated=problems_updated,
)

PROBLEM_GOALS = Dataset(
    key="problem-goals",
    title=_("Problem-solving goals"),
    description=_(
        "The goals each public problem-solving team agreed before its response started, "
        "with the metric that measures success, and the result once known."
    ),
    fields=(
        Field("id", STRING, _("Stable identifier: problem-<number>/goal-<number>.")),
        Field("problem", STRING, PROBLEM),
        Field("metric", STRING, _("What is measured.")),
        Field("baseline", NUMBER, _("The starting point.")),
        Field("target", NUMBER, _("The target.")),
        Field("target_date", DATE, _("Day by which the target should be reached.")),
        Field("result", NUMBER, _("The result (empty: not yet known).")),
    ),
    build=goal_rows,
    updated=problems_updated,
)

PROBLEM_ASSESSMENTS = Dataset(
    key="problem-assessments",
    title=_("Problem-solving assessments"),
    description=_(
        "Whether each public problem-solving response worked: the periods compared and "
        "the reading of the test of change, against a comparison area where there is one, "
        "with any sign that crime moved next door."
    ),
    fields=(
        Field("id", STRING, _("Stable identifier: problem-<number>/assessment-<number>.")),
        Field("problem", STRING, PROBLEM),
        Field("label", STRING, _("What was counted.")),
        Field("before_start", DATE, _("First day before the response.")),
        Field("before_end", DATE, _("Last day before the response.")),
        Field("after_start", DATE, _("First day after the response.")),
        Field("after_end", DATE, _("Last day after the response.")),
        Field("verdict", STRING, _("fell, rose, no_clear_change or cannot_tell.")),
        Field("reading", STRING, _("The verdict in plain words.")),
        Field("comparison", STRING, _("The change against the comparison area's trend.")),
        Field("displacement", STRING, _("Whether crime moved to the area around it.")),
        Field("conclusion", STRING, _("The team's conclusion.")),
    ),
    build=assessment_rows,
    updated=problems_updated,
)
