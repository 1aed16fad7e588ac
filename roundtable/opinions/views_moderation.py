"""Staff pages of a conversation's statements: the moderation queue, moderating
one statement, adding a seed statement, the full record, and taking common
ground to the priority shortlist.

Moderating out hides a statement from voters and leaves it out of the map, but
never deletes it: rejected statements stay in the queue and the record, with
who moderated them and when. The queue's buttons swap their row in place with
htmx and fall back to a plain POST and redirect without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    CONVERSATION_MANAGERS,
    CONVERSATION_VIEWERS,
    WORKSHEET_EDITORS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.opinions import selectors, services
from roundtable.opinions.forms import ModerationForm, SeedStatementForm
from roundtable.opinions.models import Conversation, Statement
from roundtable.opinions.views import can_manage, managed_conversation, visible_conversation


def moderate_url(conversation: Conversation) -> str:
    return reverse("opinions:moderate", args=[conversation.agency.slug, conversation.pk])


def _statement(conversation: Conversation, number: int) -> Statement:
    return get_object_or_404(Statement, conversation=conversation, number=number)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_GET
@agency_view(CONVERSATION_MANAGERS)
def moderate(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Those who run it: statements awaiting moderation first, then the rest
    (moderated out included), and a form to add a seed statement."""
    conversation = managed_conversation(request, agency, pk)
    context = {
        "agency": agency,
        "conversation": conversation,
        "queue": selectors.moderation_queue(conversation=conversation),
        # Moderated-out statements stay listed (and can be let back in).
        "moderated": selectors.statements_with_counts(conversation=conversation).exclude(
            moderation=Statement.Moderation.UNMODERATED
        ),
        "add_form": SeedStatementForm(),
    }
    return render(request, "opinions/staff/moderate.html", context)


@require_POST
@agency_view(CONVERSATION_MANAGERS)
def statement_moderate(request: HttpRequest, agency: Agency, pk: int, number: int) -> HttpResponse:
    """Those who run it: accept or reject a statement, or mark it meta. With
    htmx the answer is the statement's new row; without, back to the queue."""
    conversation = managed_conversation(request, agency, pk)
    statement = _statement(conversation, number)
    form = ModerationForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(str(e) for e in form.non_field_errors() or form.errors.values())
    else:
        try:
            statement = services.statement_moderate(
                actor=acting_user(request),
                statement=statement,
                moderation=form.cleaned_data["moderation"] or statement.moderation,
                is_meta=form.cleaned_data["is_meta"],
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    if request.headers.get("HX-Request"):
        context = {
            "agency": agency,
            "conversation": conversation,
            "statement": statement,
            "error": error,
        }
        return render(
            request,
            "opinions/staff/_moderation_row.html",
            context,
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Statement %(number)s: %(moderation)s.")
            % {"number": statement.number, "moderation": statement.get_moderation_display()},
        )
    return HttpResponseRedirect(moderate_url(conversation))


@require_http_methods(["GET", "POST"])
@agency_view(CONVERSATION_MANAGERS)
def statement_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Those who run it: add a seed statement (accepted at once)."""
    conversation = managed_conversation(request, agency, pk)
    form = SeedStatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.statement_add_seed(
                actor=acting_user(request),
                conversation=conversation,
                text=form.cleaned_data["text"],
                is_meta=form.cleaned_data["is_meta"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Statement %(number)s added.") % {"number": statement.number}
            )
            return HttpResponseRedirect(moderate_url(conversation))
    status = 400 if form.is_bound else 200
    context = {"agency": agency, "conversation": conversation, "form": form}
    return render(request, "opinions/staff/statement_add.html", context, status=status)


@require_GET
@agency_view(CONVERSATION_VIEWERS)
def statements(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff and the partner who opened it: every statement ever made, with its
    votes and its moderation — the record, moderated-out statements included."""
    conversation = visible_conversation(request, agency, pk)
    context = {
        "agency": agency,
        "conversation": conversation,
        "statements": selectors.statements_with_counts(conversation=conversation),
        "can_manage": can_manage(request, conversation),
        "can_shortlist": holds_any(request, WORKSHEET_EDITORS),
    }
    return render(request, "opinions/staff/statements.html", context)


@require_POST
@agency_view(WORKSHEET_EDITORS)
def statement_shortlist(request: HttpRequest, agency: Agency, pk: int, number: int) -> HttpResponse:
    """Administrators, coordinators and analysts (who fill the worksheet): make
    a statement a candidate priority — common ground taken to the shortlist."""
    conversation = visible_conversation(request, agency, pk)
    statement = _statement(conversation, number)
    fallback = reverse("priorities:worksheet", args=[agency.slug])
    try:
        candidate = services.statement_to_candidate(actor=acting_user(request), statement=statement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is on the shortlist of candidate priorities.")
            % {"title": candidate.title},
        )
    return HttpResponseRedirect(_safe_next(request, fallback))
