"""Writing a problem's own fields: scanning, analysis, the public page, linked
inputs, and the co-leads' sign-off of a stage move."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from roundtable.accounts.access import TEAM_PARTICIPANTS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.problems import rules, services, stages
from roundtable.problems.forms import (
    AnalysisForm,
    LinkInputsForm,
    PublicForm,
    ScanningForm,
    SignOffForm,
)
from roundtable.problems.services import ANALYSIS_FIELDS, SCANNING_FIELDS
from roundtable.problems.views import detail_url, form_page, visible_problem, workable_problem


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def scanning_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team (members with an account) and coordinators: statement, data, areas."""
    problem = workable_problem(request, agency, pk)
    initial = {name: getattr(problem, name) for name in SCANNING_FIELDS}

    def make(data: QueryDict | None) -> ScanningForm:
        return ScanningForm(data, initial=initial, agency=agency)

    def perform(data: dict[str, Any]) -> object:
        fields = {name: data[name] for name in SCANNING_FIELDS}
        return services.problem_update(actor=acting_user(request), problem=problem, **fields)

    return form_page(
        request,
        problem,
        make_form=make,
        perform=perform,
        done=_("Scanning saved."),
        title=gettext_lazy("Scanning"),
        anchor="scanning",
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def analysis_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team and coordinators: the problem triangle and partner data."""
    problem = workable_problem(request, agency, pk)
    initial = {name: getattr(problem, name) for name in ANALYSIS_FIELDS}

    def make(data: QueryDict | None) -> AnalysisForm:
        return AnalysisForm(data, initial=initial)

    def perform(data: dict[str, Any]) -> object:
        fields = {name: data[name] for name in ANALYSIS_FIELDS}
        return services.problem_update(actor=acting_user(request), problem=problem, **fields)

    return form_page(
        request,
        problem,
        make_form=make,
        perform=perform,
        done=_("Analysis saved."),
        title=gettext_lazy("Analysis: the problem triangle"),
        anchor="analysis",
        intro=gettext_lazy(
            "Internal to the team: never shown on the public page. "
            "Describe patterns, not people: no names or addresses."
        ),
    )


@require_http_methods(["GET", "POST"])
@agency_view(TEAM_PARTICIPANTS)
def public_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The team drafts the public summary; coordinators and administrators also
    put the problem on the public site."""
    problem = workable_problem(request, agency, pk)
    user = acting_user(request)
    may_publish = rules.is_manager(user, problem)
    initial = {"public_summary": problem.public_summary, "is_public": problem.is_public}

    def make(data: QueryDict | None) -> PublicForm:
        return PublicForm(data, initial=initial, may_publish=may_publish)

    def perform(data: dict[str, Any]) -> object:
        return services.problem_public_set(
            actor=user,
            problem=problem,
            public_summary=data["public_summary"],
            is_public=data["is_public"] if may_publish else None,
        )

    return form_page(
        request,
        problem,
        make_form=make,
        perform=perform,
        done=_("Public page saved."),
        title=gettext_lazy("The public page"),
        anchor="public",
    )


@require_POST
@agency_view(TEAM_PARTICIPANTS)
def inputs_link(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Agency staff who may work on the problem: link inputs by their receipt codes."""
    problem = workable_problem(request, agency, pk)
    if not rules.is_staff(acting_user(request), problem):
        raise PermissionDenied

    def perform(data: dict[str, Any]) -> object:
        return services.problem_inputs_link(
            actor=acting_user(request), problem=problem, codes=data["codes"]
        )

    return form_page(
        request,
        problem,
        make_form=lambda data: LinkInputsForm(data),
        perform=perform,
        done=_("Linked. Their contributors will hear of the team's progress."),
        title=gettext_lazy("Link inputs"),
        anchor="inputs",
    )


@require_POST
@agency_view(TEAM_PARTICIPANTS)
def sign_off(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The two co-leads only: agree that the problem moves to its next stage."""
    problem = visible_problem(request, agency, pk)
    user = acting_user(request)
    if rules.co_lead_side(user, problem) is None:
        raise PermissionDenied
    form = SignOffForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        result = stages.stage_sign_off(actor=user, problem=problem, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if result.move is not None:
            messages.success(
                request,
                _("Both co-leads have signed: the problem is now in %(stage)s.")
                % {"stage": problem.get_stage_display()},
            )
        else:
            messages.success(request, _("Signed. The move waits for the other co-lead."))
    return HttpResponseRedirect(detail_url(problem, "stage"))
