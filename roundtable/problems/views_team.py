"""Forming the team: adding and changing members, naming the co-leads.
Coordinators and administrators only."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from roundtable.accounts.access import PROBLEM_MANAGERS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.problems import services_team
from roundtable.problems.forms import CoLeadsForm, MemberForm
from roundtable.problems.models import TeamMember
from roundtable.problems.views import form_page, visible_problem

MEMBER_FORM_FIELDS = ["side", "name", "user", "organisation", "role", "lives_in_area", "joined_on"]


@require_http_methods(["GET", "POST"])
@agency_view(PROBLEM_MANAGERS)
def member_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: a police, community or government member."""
    problem = visible_problem(request, agency, pk)
    initial = {"side": request.GET.get("side", "")}

    def make(data: QueryDict | None) -> MemberForm:
        return MemberForm(data, initial=initial, agency=agency)

    def perform(data: dict[str, Any]) -> object:
        fields = {name: data[name] for name in MEMBER_FORM_FIELDS}
        return services_team.member_add(actor=acting_user(request), problem=problem, **fields)

    return form_page(
        request,
        problem,
        make_form=make,
        perform=perform,
        done=_("Member added."),
        title=gettext_lazy("Add a team member"),
        anchor="team",
    )


@require_http_methods(["GET", "POST"])
@agency_view(PROBLEM_MANAGERS)
def member_edit(request: HttpRequest, agency: Agency, pk: int, member_pk: int) -> HttpResponse:
    """Coordinators and administrators: change a member, or record that they left."""
    problem = visible_problem(request, agency, pk)
    member = (
        TeamMember.objects.filter(problem=problem, pk=member_pk)
        .select_related("problem__agency", "user", "organisation")
        .first()
    )
    if member is None:
        raise Http404
    fields = [*MEMBER_FORM_FIELDS, "left_on"]
    initial = {name: getattr(member, name) for name in fields}

    def make(data: QueryDict | None) -> MemberForm:
        return MemberForm(data, initial=initial, agency=agency, editing=True)

    def perform(data: dict[str, Any]) -> object:
        changes = {name: data[name] for name in fields}
        return services_team.member_update(actor=acting_user(request), member=member, **changes)

    return form_page(
        request,
        problem,
        make_form=make,
        perform=perform,
        done=_("Member saved."),
        title=_("Team member: %(name)s") % {"name": member.name},
        anchor="team",
    )


@require_http_methods(["GET", "POST"])
@agency_view(PROBLEM_MANAGERS)
def co_leads_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: name the police and community co-leads."""
    problem = visible_problem(request, agency, pk)
    initial = {
        "police_co_lead": problem.police_co_lead,
        "community_co_lead": problem.community_co_lead,
    }

    def make(data: QueryDict | None) -> CoLeadsForm:
        return CoLeadsForm(data, initial=initial, problem=problem)

    def perform(data: dict[str, Any]) -> object:
        return services_team.co_leads_set(
            actor=acting_user(request),
            problem=problem,
            police_co_lead=data["police_co_lead"],
            community_co_lead=data["community_co_lead"],
        )

    return form_page(
        request,
        problem,
        make_form=make,
        perform=perform,
        done=_("Co-leads saved."),
        title=gettext_lazy("Co-leads"),
        anchor="team",
        intro=gettext_lazy(
            "Each co-lead signs off every move to the next stage; "
            "the problem moves when both have signed."
        ),
    )
