"""The team's work: hypotheses, response actions, goals, assessments, meetings.

Team members with an account and coordinators (analysts too, for
assessments). Each page shows its form on its own (GET) and saves it (POST),
so nothing needs JavaScript.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from roundtable.accounts.access import TEAM_PARTICIPANTS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.problems import rules, services_assessment, services_meetings, services_work
from roundtable.problems.forms_work import (
    ActionForm,
    AgendaForm,
    AssessmentForm,
    GoalForm,
    GoalResultForm,
    HypothesisForm,
    IncidentAssessmentForm,
    MeetingsForm,
)
from roundtable.problems.models import (
    Assessment,
    Goal,
    Hypothesis,
    Problem,
    ProblemMeeting,
    ResponseAction,
)
from roundtable.problems.views import form_page, visible_problem, workable_problem

M = TypeVar("M", bound=models.Model)

ACTION_FORM_FIELDS = [
    "description",
    "owner_name",
    "owner",
    "partner",
    "due_on",
    "status",
    "done_on",
]
GOAL_FORM_FIELDS = ["metric", "baseline", "target", "target_date"]
ASSESSMENT_FORM_FIELDS = [
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
    "source_note",
    "conclusion",
]


def _item(model: type[M], problem: Problem, pk: int) -> M:
    """One of the problem's own items (404 for another problem's)."""
    item = model._default_manager.filter(problem=problem, pk=pk).first()
    if item is None:
        raise Http404
    item.problem = problem  # type: ignore[attr-defined]
    return item


def _initial(item: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in fields}


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def hypothesis_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team and coordinators."""
    problem = workable_problem(request, agency, pk)
    return form_page(
        request,
        problem,
        make_form=lambda data: HypothesisForm(data),
        perform=lambda d: services_work.hypothesis_create(
            actor=acting_user(request), problem=problem, **d
        ),
        done=_("Hypothesis added."),
        title=gettext_lazy("Add a hypothesis"),
        anchor="analysis",
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def hypothesis_edit(request: HttpRequest, agency: Agency, pk: int, item_pk: int) -> HttpResponse:
    """The team and coordinators: status and evidence as testing goes on."""
    problem = workable_problem(request, agency, pk)
    item = _item(Hypothesis, problem, item_pk)
    initial = _initial(item, ["text", "status", "evidence"])
    return form_page(
        request,
        problem,
        make_form=lambda data: HypothesisForm(data, initial=initial),
        perform=lambda d: services_work.hypothesis_update(
            actor=acting_user(request), hypothesis=item, **d
        ),
        done=_("Hypothesis saved."),
        title=gettext_lazy("Hypothesis"),
        anchor="analysis",
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def action_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team and coordinators."""
    problem = workable_problem(request, agency, pk)
    return form_page(
        request,
        problem,
        make_form=lambda data: ActionForm(data, agency=agency, problem=problem),
        perform=lambda d: services_work.action_create(
            actor=acting_user(request), problem=problem, **d
        ),
        done=_("Action added."),
        title=gettext_lazy("Add a response action"),
        anchor="response",
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def action_edit(request: HttpRequest, agency: Agency, pk: int, item_pk: int) -> HttpResponse:
    """The team and coordinators: status, owner, dates."""
    problem = workable_problem(request, agency, pk)
    item = _item(ResponseAction, problem, item_pk)
    initial = _initial(item, ACTION_FORM_FIELDS)
    return form_page(
        request,
        problem,
        make_form=lambda data: ActionForm(data, initial=initial, agency=agency, problem=problem),
        perform=lambda d: services_work.action_update(actor=acting_user(request), action=item, **d),
        done=_("Action saved."),
        title=gettext_lazy("Response action"),
        anchor="response",
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def goal_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team and coordinators, before the response starts."""
    problem = workable_problem(request, agency, pk)
    return form_page(
        request,
        problem,
        make_form=lambda data: GoalForm(data),
        perform=lambda d: services_work.goal_create(
            actor=acting_user(request), problem=problem, **d
        ),
        done=_("Goal added."),
        title=gettext_lazy("Add a goal"),
        anchor="goals",
        intro=gettext_lazy(
            "Goals are agreed before the response starts and cannot change after; "
            "the assessment measures the response against them."
        ),
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def goal_edit(request: HttpRequest, agency: Agency, pk: int, item_pk: int) -> HttpResponse:
    """The team and coordinators, before the response starts."""
    problem = workable_problem(request, agency, pk)
    item = _item(Goal, problem, item_pk)
    initial = _initial(item, GOAL_FORM_FIELDS)
    return form_page(
        request,
        problem,
        make_form=lambda data: GoalForm(data, initial=initial),
        perform=lambda d: services_work.goal_update(actor=acting_user(request), goal=item, **d),
        done=_("Goal saved."),
        title=gettext_lazy("Goal"),
        anchor="goals",
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def goal_result(request: HttpRequest, agency: Agency, pk: int, item_pk: int) -> HttpResponse:
    """The team and coordinators, at any stage: where the metric ended up."""
    problem = workable_problem(request, agency, pk)
    item = _item(Goal, problem, item_pk)
    initial = _initial(item, ["result", "result_note"])
    return form_page(
        request,
        problem,
        make_form=lambda data: GoalResultForm(data, initial=initial),
        perform=lambda d: services_work.goal_result_record(
            actor=acting_user(request), goal=item, **d
        ),
        done=_("Result recorded."),
        title=_("Result: %(metric)s") % {"metric": item.metric},
        anchor="goals",
    )


def _assessable(request: HttpRequest, agency: Agency, pk: int) -> Problem:
    problem = visible_problem(request, agency, pk)
    if not rules.may_assess(acting_user(request), problem):
        raise PermissionDenied
    return problem


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def assessment_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team, coordinators and analysts: counts entered by hand."""
    problem = _assessable(request, agency, pk)
    return form_page(
        request,
        problem,
        make_form=lambda data: AssessmentForm(data),
        perform=lambda d: services_work.assessment_create(
            actor=acting_user(request), problem=problem, **d
        ),
        done=_("Assessment saved: its figures are on the team page."),
        title=gettext_lazy("Add an assessment"),
        anchor="assessment",
        intro=gettext_lazy(
            "Counts of incidents before and after the response, in the response area, a "
            "comparison area and the buffer area around it. Periods of equal length compare best."
        ),
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def assessment_from_incidents(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team, coordinators and analysts: counts taken from the imported incidents."""
    problem = _assessable(request, agency, pk)
    return form_page(
        request,
        problem,
        make_form=lambda data: IncidentAssessmentForm(data, agency=agency),
        perform=lambda d: services_assessment.assessment_from_incidents(
            actor=acting_user(request), problem=problem, **d
        ),
        done=_("Assessment counted from the incident data: its figures are on the team page."),
        title=gettext_lazy("Count an assessment from the incident data"),
        anchor="assessment",
        intro=gettext_lazy(
            "Choose which incidents to count, the periods before and after the response, and the "
            "areas. Only areas with a boundary are listed: incidents are assigned to them by where "
            "they happened. Periods of equal length compare best."
        ),
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def assessment_edit(request: HttpRequest, agency: Agency, pk: int, item_pk: int) -> HttpResponse:
    """The team, coordinators and analysts."""
    problem = _assessable(request, agency, pk)
    item = _item(Assessment, problem, item_pk)
    initial = _initial(item, ASSESSMENT_FORM_FIELDS)
    return form_page(
        request,
        problem,
        make_form=lambda data: AssessmentForm(data, initial=initial),
        perform=lambda d: services_work.assessment_update(
            actor=acting_user(request), assessment=item, **d
        ),
        done=_("Assessment saved."),
        title=gettext_lazy("Assessment"),
        anchor="assessment",
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def meetings_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team and coordinators: a monthly series of team meetings."""
    problem = workable_problem(request, agency, pk)

    def make(data: QueryDict | None) -> MeetingsForm:
        return MeetingsForm(data)

    def perform(d: dict[str, Any]) -> object:
        return services_meetings.meetings_schedule(
            actor=acting_user(request),
            problem=problem,
            first_starts_at=d["first_starts_at"],
            months=d["months"],
            duration=MeetingsForm.duration_of(d),
            format=d["format"],
            place_name=d["place_name"],
            address=d["address"],
            join_url=d["join_url"],
            agenda=d["agenda"],
        )

    return form_page(
        request,
        problem,
        make_form=make,
        perform=perform,
        done=_("Meetings scheduled. They are in Events too, off the public calendar."),
        title=gettext_lazy("Schedule team meetings"),
        anchor="meetings",
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def agenda_edit(request: HttpRequest, agency: Agency, pk: int, item_pk: int) -> HttpResponse:
    """The team and coordinators: one meeting's agenda."""
    problem = workable_problem(request, agency, pk)
    meeting = (
        ProblemMeeting.objects.filter(problem=problem, pk=item_pk).select_related("event").first()
    )
    if meeting is None:
        raise Http404
    meeting.problem = problem
    return form_page(
        request,
        problem,
        make_form=lambda data: AgendaForm(data, initial={"agenda": meeting.agenda}),
        perform=lambda d: services_meetings.meeting_agenda_save(
            actor=acting_user(request), meeting=meeting, agenda=d["agenda"]
        ),
        done=_("Agenda saved."),
        title=_("Agenda: %(title)s") % {"title": meeting.event.title},
        anchor="meetings",
    )
