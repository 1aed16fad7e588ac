"""Staff pages of opinion-mapping conversations: the list, opening and editing
one, its opinion map (refreshed in place while votes arrive), opening and
closing, a recompute, participant links for other systems and the export.

Every view is wrapped in `agency_view`: CONVERSATION_VIEWERS read,
CONVERSATION_MANAGERS write. Partners pass both checks and then see and manage
only the conversations they opened (the selectors narrow it), so another's
conversation is a 404 to them, as if it did not exist. Moderation and the
statement record are `views_moderation`, the Polis import `views_import`, the
public pages `views_public`.
"""

from __future__ import annotations

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    CONVERSATION_MANAGERS,
    CONVERSATION_VIEWERS,
    MAP_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.accounts.models import Role
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.opinions import selectors, selectors_map, services
from roundtable.opinions.forms import ConversationForm, ParticipantLinkForm, StatusForm
from roundtable.opinions.models import Conversation
from roundtable.opinions.services_analysis import analysis_run
from roundtable.opinions.services_polis import conversation_export_polis

PAGE_SIZE = 50
# How often the detail page asks for a fresh map while it is open (htmx).
MAP_REFRESH = "every 15s"
# Importing a Polis export is for the agency's own coordinators and
# administrators; partners open conversations but do not bring in others' data.
IMPORTERS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR})


def roles_of(request: HttpRequest) -> frozenset[Role]:
    """The roles `agency_view` found, for the selectors that narrow by role."""
    roles: frozenset[Role] = getattr(request, "agency_roles", frozenset())
    return roles


def visible_conversation(request: HttpRequest, agency: Agency, pk: int) -> Conversation:
    """A conversation this person may see (404 otherwise, partners included)."""
    return selectors.conversation_for(
        agency=agency, user=acting_user(request), roles=roles_of(request), pk=pk
    )


def managed_conversation(request: HttpRequest, agency: Agency, pk: int) -> Conversation:
    """A conversation this person may change: 404 if they cannot see it, 403 if
    they see it but may not run it."""
    conversation = visible_conversation(request, agency, pk)
    if not selectors.can_manage(
        conversation=conversation, user=acting_user(request), roles=roles_of(request)
    ):
        raise PermissionDenied
    return conversation


def can_manage(request: HttpRequest, conversation: Conversation) -> bool:
    return selectors.can_manage(
        conversation=conversation, user=acting_user(request), roles=roles_of(request)
    )


def sees_community_map(request: HttpRequest) -> bool:
    """Agency staff choose a host organisation from the Community Map; partners
    do not see the map, so their forms leave the choice out."""
    return holds_any(request, MAP_VIEWERS)


def detail_url(conversation: Conversation) -> str:
    return reverse("opinions:detail", args=[conversation.agency.slug, conversation.pk])


@require_GET
@agency_view(CONVERSATION_VIEWERS)
def conversation_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Staff and partners: every conversation they may see, with its counts and
    the statements awaiting moderation."""
    rows = selectors.conversations_visible_to(
        agency=agency, user=acting_user(request), roles=roles_of(request)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "agency": agency,
        "page": page,
        "query": "",
        "can_create": holds_any(request, CONVERSATION_MANAGERS),
        "can_import": holds_any(request, IMPORTERS),
    }
    return render(request, "opinions/staff/list.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(CONVERSATION_MANAGERS)
def conversation_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Coordinators, administrators and partners: open a conversation with its
    question and seed statements."""
    form = ConversationForm(
        request.POST or None, agency=agency, with_organisation=sees_community_map(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_create(
                actor=acting_user(request), agency=agency, **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The conversation is open."))
            return HttpResponseRedirect(detail_url(conversation))
    status = 400 if form.is_bound else 200
    context = {"agency": agency, "form": form, "title": _("New conversation")}
    return render(request, "opinions/staff/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@agency_view(CONVERSATION_MANAGERS)
def conversation_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Those who run the conversation: its wording, moderation and publication."""
    conversation = managed_conversation(request, agency, pk)
    form = ConversationForm(
        request.POST or None,
        initial=ConversationForm.initial_for(conversation),
        agency=agency,
        with_seeds=False,
        with_organisation=sees_community_map(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_update(
                actor=acting_user(request),
                conversation=conversation,
                **form.service_fields(organisation=conversation.organisation),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(detail_url(conversation))
    status = 400 if form.is_bound else 200
    context = {
        "agency": agency,
        "form": form,
        "conversation": conversation,
        "title": _("Edit the conversation"),
    }
    return render(request, "opinions/staff/form.html", context, status=status)


def _map_context(
    request: HttpRequest, agency: Agency, conversation: Conversation
) -> dict[str, object]:
    return {
        "agency": agency,
        "conversation": conversation,
        "map": selectors_map.opinion_map(conversation=conversation, public=False),
        "map_refresh": MAP_REFRESH,
        "can_manage": can_manage(request, conversation),
    }


@require_GET
@agency_view(CONVERSATION_VIEWERS)
def conversation_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff and the partner who opened it: the opinion map, the participation
    figures, and the way to every page of the conversation."""
    # conversation_for's row carries the counts (participants, statements,
    # votes, awaiting moderation).
    conversation = visible_conversation(request, agency, pk)
    context = _map_context(request, agency, conversation)
    context["other_status"] = (
        Conversation.Status.CLOSED
        if conversation.status == Conversation.Status.OPEN
        else Conversation.Status.OPEN
    )
    return render(request, "opinions/staff/detail.html", context)


@require_GET
@agency_view(CONVERSATION_VIEWERS)
def map_fragment(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The map block of the detail page alone, for htmx to swap in every 15 s."""
    conversation = visible_conversation(request, agency, pk)
    return render(request, "opinions/staff/_map.html", _map_context(request, agency, conversation))


@require_POST
@agency_view(CONVERSATION_MANAGERS)
def conversation_status(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Those who run it: close the conversation to votes and statements, or reopen it."""
    conversation = managed_conversation(request, agency, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose open or closed."))
        return HttpResponseRedirect(detail_url(conversation))
    try:
        services.conversation_set_status(
            actor=acting_user(request),
            conversation=conversation,
            status=form.cleaned_data["status"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["status"] == Conversation.Status.CLOSED:
            messages.success(request, _("The conversation is closed; the report stays."))
        else:
            messages.success(request, _("The conversation is open again."))
    return HttpResponseRedirect(detail_url(conversation))


@require_POST
@agency_view(CONVERSATION_MANAGERS)
def recompute(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Those who run it: compute the map now rather than wait for the next vote."""
    conversation = managed_conversation(request, agency, pk)
    try:
        analysis = analysis_run(conversation=conversation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Map recomputed: %(participants)s participants, %(votes)s votes, "
                "%(groups)s opinion groups."
            )
            % {
                "participants": analysis.participant_count,
                "votes": analysis.vote_count,
                "groups": analysis.group_count,
            },
        )
    return HttpResponseRedirect(detail_url(conversation))


@require_http_methods(["GET", "POST"])
@agency_view(CONVERSATION_MANAGERS)
def participant_link(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Those who run it: the signed link through which a person known to another
    system (a panel, a members' app) takes part under that system's id."""
    conversation = managed_conversation(request, agency, pk)
    form = ParticipantLinkForm(request.POST or None)
    link = ""
    if request.method == "POST" and form.is_valid():
        try:
            query = services.participant_link(
                conversation=conversation, external_id=form.cleaned_data["external_id"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            # Signing stores nothing: the page shows the link and keeps no record.
            vote_page = reverse("opinions_public:vote", args=[agency.slug, conversation.pk])
            link = request.build_absolute_uri(vote_page) + "?" + query.lstrip("?")
    status = 400 if form.is_bound and not link else 200
    context = {"agency": agency, "conversation": conversation, "form": form, "link": link}
    return render(request, "opinions/staff/participant_link.html", context, status=status)


@require_GET
@agency_view(CONVERSATION_VIEWERS)
def export(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff and the partner who opened it: the conversation as a Polis export
    folder in a .zip, to re-analyse elsewhere or publish as open data."""
    conversation = visible_conversation(request, agency, pk)
    files = conversation_export_polis(conversation=conversation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            archive.writestr(f"conversation-{conversation.pk}/{name}", content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{agency.slug}-conversation-{conversation.pk}-polis.zip"'
    )
    return response
