"""Staff and team pages for problems: the list, opening one, and the team page.

Every view admits TEAM_PARTICIPANTS or narrower; then `visible_problem` gives
staff any problem of the agency and everyone else only the problems whose team
they are on (404 otherwise), and `workable_problem` refuses (403) those who
may see but not do the team's work. The forms of the team page post to
`views_edit`, `views_team` and `views_work`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import (
    LEDGER_VIEWERS,
    PROBLEM_MANAGERS,
    PROBLEM_STAFF,
    TEAM_PARTICIPANTS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.priorities.models import Candidate
from roundtable.problems import composition, rules, selectors, services
from roundtable.problems.forms import LinkInputsForm, ProblemCreateForm, SignOffForm
from roundtable.problems.models import Problem, Side
from roundtable.problems.services_work import GOAL_STAGES
from roundtable.problems.stages import move_blockers, next_stage


def detail_url(problem: Problem, anchor: str = "") -> str:
    url = reverse("problems:detail", args=[problem.agency.slug, problem.pk])
    return f"{url}#{anchor}" if anchor else url


def visible_problem(request: HttpRequest, agency: Agency, pk: int) -> Problem:
    """The problem, if this person may see it; 404 otherwise (even its existence
    is not told to someone outside the team)."""
    try:
        return selectors.problem_for(
            user=acting_user(request),
            agency=agency,
            pk=pk,
            staff=holds_any(request, PROBLEM_STAFF),
        )
    except Problem.DoesNotExist:
        raise Http404 from None


def workable_problem(request: HttpRequest, agency: Agency, pk: int) -> Problem:
    """The problem, if this person may do the team's work on it (403 if they may
    only read it)."""
    problem = visible_problem(request, agency, pk)
    if not rules.may_work(acting_user(request), problem):
        raise PermissionDenied
    return problem


def form_page(
    request: HttpRequest,
    problem: Problem,
    *,
    make_form: Callable[[QueryDict | None], forms.Form],
    perform: Callable[[dict[str, Any]], object],
    done: str,
    title: str | Promise,
    anchor: str = "",
    intro: str | Promise = "",
) -> HttpResponse:
    """Show a form on a page of its own (GET) or run it (POST): on success back
    to the team page, on a refusal the form again with the service's message."""
    status = 200
    if request.method == "POST":
        form = make_form(request.POST)
        if form.is_valid():
            try:
                perform(form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(detail_url(problem, anchor))
        status = 400
    else:
        form = make_form(None)
    context = {
        "agency": problem.agency,
        "problem": problem,
        "form": form,
        "title": title,
        "intro": intro,
        "anchor": anchor,
    }
    return render(request, "problems/form_page.html", context, status=status)


@require_GET
@agency_view(TEAM_PARTICIPANTS)
def problem_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff see every problem; team members and partners only their teams'."""
    problems = selectors.problem_list(
        user=acting_user(request), agency=agency, staff=holds_any(request, PROBLEM_STAFF)
    )
    context = {
        "agency": agency,
        "problems": problems,
        "can_create": holds_any(request, PROBLEM_MANAGERS),
    }
    return render(request, "problems/list.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(PROBLEM_MANAGERS)
def problem_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Coordinators and administrators; `?priority=<pk>` starts from a chosen priority."""
    if request.method == "POST":
        form = ProblemCreateForm(request.POST, agency=agency)
        if form.is_valid():
            data = form.cleaned_data
            try:
                problem = services.problem_create(
                    actor=acting_user(request),
                    agency=agency,
                    title=data["title"],
                    priority=data["priority"],
                    area=data["area"],
                    comparison_area=data["comparison_area"],
                    buffer_area=data["buffer_area"],
                    sectors=data["sectors"],
                    statement=data["statement"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The problem is open. Now form its team."))
                return HttpResponseRedirect(detail_url(problem))
    else:
        initial: dict[str, Any] = {}
        raw = request.GET.get("priority", "")
        if raw.isdigit():
            priority = (
                Candidate.objects.filter(agency=agency, status=Candidate.Status.CHOSEN, pk=int(raw))
                .prefetch_related("areas")
                .first()
            )
            if priority is not None:
                areas = list(priority.areas.all())
                initial.update(
                    priority=priority,
                    title=priority.title,
                    statement=priority.description,
                    area=areas[0] if len(areas) == 1 else None,
                )
        form = ProblemCreateForm(initial=initial, agency=agency)
    return render(request, "problems/create.html", {"agency": agency, "form": form})


@require_GET
@agency_view(TEAM_PARTICIPANTS)
def problem_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team page. Agency staff, and the problem's own team members."""
    problem = visible_problem(request, agency, pk)
    user = acting_user(request)
    page = selectors.team_page(problem)
    can_work = rules.may_work(user, problem)
    my_side = rules.co_lead_side(user, problem)
    to_stage = next_stage(problem.stage)
    is_staff = holds_any(request, PROBLEM_STAFF)
    signed = {s.side: s for s in page.sign_offs}
    context = {
        "agency": agency,
        "problem": problem,
        "page": page,
        "steps": selectors.stage_steps(problem, page.moves),
        "warnings": composition.composition_warnings(problem),
        "to_stage": to_stage,
        "blockers": move_blockers(problem) if to_stage is not None else [],
        "my_side": my_side,
        "i_signed": my_side is not None and my_side in signed,
        "police_signed": signed.get(Side.POLICE),
        "community_signed": signed.get(Side.COMMUNITY),
        "sign_off_form": SignOffForm() if my_side is not None else None,
        "is_staff": is_staff,
        "can_work": can_work,
        "can_manage": rules.is_manager(user, problem),
        "can_assess": rules.may_assess(user, problem),
        "can_set_goals": can_work and problem.stage in GOAL_STAGES,
        "can_link_inputs": can_work and is_staff,
        "can_open_ledger": holds_any(request, LEDGER_VIEWERS),
        "link_form": LinkInputsForm(),
    }
    return render(request, "problems/detail.html", context)
