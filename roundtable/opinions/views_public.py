"""Opinion conversations in public: the list, voting one statement at a time,
and adding a statement. Anyone may take part, with no account and no JavaScript.

The vote page shows one statement, chosen by the Polis priority rule
(`selectors.next_statement`), and three buttons. Without JavaScript a vote is a
POST, a redirect and a GET of the next statement; with htmx the same form posts
in the background and the next statement swaps in (the view answers an htmx
request with the card alone). The POST names the statement it votes on, so a
double submit or a stale page can only vote on what the person saw.

Who is voting (an account, a signed link from another system, or an anonymous
cookie) is worked out in `views_public_identity`; nothing is created or set
until someone votes or writes. Rate limits are counted per client as on the
pairwise survey (`roundtable.inputs.public_limits`): a use is counted before
the action, and a form sent back for correction costs nothing. htmx does not
swap an error response in, so its refusals answer 200 with the message.

The report pages are in `views_public_report`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.inputs import public_limits
from roundtable.opinions import selectors, services
from roundtable.opinions import views_public_identity as identities
from roundtable.opinions.forms_public import StatementForm, VoteForm
from roundtable.opinions.models import Conversation, Participant

TEMPLATES = "opinions/public/"


def _is_htmx(request: HttpRequest) -> bool:
    """An htmx request for a fragment (its history restore needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _status(request: HttpRequest, status: int) -> int:
    return 200 if _is_htmx(request) else status


def _is_open(conversation: Conversation) -> bool:
    return conversation.status == Conversation.Status.OPEN


def _vote_url(agency: Agency, conversation: Conversation) -> str:
    return reverse("opinions_public:vote", args=[agency.slug, conversation.pk])


def _closed(
    request: HttpRequest, agency: Agency, conversation: Conversation, status: int = 200
) -> HttpResponse:
    context = {"agency": agency, "conversation": conversation}
    return render(request, TEMPLATES + "closed.html", context, status=_status(request, status))


def _limited(
    request: HttpRequest, agency: Agency, conversation: Conversation, limit: public_limits.Limit
) -> HttpResponse:
    context = {
        "agency": agency,
        "conversation": conversation,
        "limited_minutes": limit.window_minutes,
    }
    response = render(request, TEMPLATES + "limited.html", context, status=_status(request, 429))
    response["Retry-After"] = str(limit.window_seconds)
    return response


def _vote_page(
    request: HttpRequest,
    agency: Agency,
    conversation: Conversation,
    participant: Participant | None,
    *,
    notice: str = "",
    thanks: str = "",
    status: int = 200,
) -> HttpResponse:
    """The question, the next statement with its three buttons, and the progress
    (never cached: it is this participant's own)."""
    statement = selectors.next_statement(conversation=conversation, participant=participant)
    voted, visible = selectors.participant_progress(
        conversation=conversation, participant=participant
    )
    context: dict[str, Any] = {
        "agency": agency,
        "conversation": conversation,
        "statement": statement,
        "form": VoteForm(initial={"statement": statement.number}) if statement else None,
        "voted": voted,
        "visible": visible,
        "notice": notice,
        "thanks": thanks,
        "partial": _is_htmx(request),
    }
    template = "_vote_card.html" if context["partial"] else "vote.html"
    response = render(request, TEMPLATES + template, context, status=_status(request, status))
    add_never_cache_headers(response)
    return response


def _follow_link(request: HttpRequest, agency: Agency, conversation: Conversation) -> HttpResponse:
    """A link from another system: check its signature, remember the external id
    in a cookie and go on to the clean address (the id leaves the address bar)."""
    external_id = services.external_id_from(
        conversation=conversation,
        xid=request.GET.get("xid", ""),
        sig=request.GET.get("sig", ""),
    )
    if external_id is None:
        context = {"agency": agency, "conversation": conversation}
        return render(request, TEMPLATES + "bad_link.html", context, status=403)
    response = HttpResponseRedirect(_vote_url(agency, conversation))
    identities.remember_external_id(response, agency, conversation, external_id)
    return response


@require_GET
@public_agency_view
def conversations(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the agency's open conversations, and closed ones with a published report."""
    listed = selectors.public_conversations(agency=agency)
    return render(request, TEMPLATES + "list.html", {"agency": agency, "conversations": listed})


@require_http_methods(["GET", "POST"])
@public_agency_view
def vote(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone, with no account: agree, disagree or pass on one statement at a
    time; the next follows (POST, redirect, GET; or an htmx swap)."""
    conversation = selectors.public_conversation(agency=agency, pk=pk)
    if request.method == "GET" and ("xid" in request.GET or "sig" in request.GET):
        return _follow_link(request, agency, conversation)
    if not _is_open(conversation):
        return _closed(request, agency, conversation, 200 if request.method == "GET" else 409)
    identity = identities.identity_of(request, conversation)
    if request.method != "POST":
        thanks = ""
        if request.GET.get("added") == "1":
            thanks = _added_message(conversation)
        elif request.GET.get("voted") == "1":
            thanks = _("Thank you, your vote is counted.")
        participant = identities.existing_participant(conversation, identity)
        return _vote_page(request, agency, conversation, participant, thanks=thanks)
    form = VoteForm(request.POST)
    if not form.is_valid():
        participant = identities.existing_participant(conversation, identity)
        notice = _("Please choose Agree, Disagree or Pass.")
        return _vote_page(request, agency, conversation, participant, notice=notice, status=400)
    limit = public_limits.opinion_votes()
    if public_limits.exceeded(request, limit):
        return _limited(request, agency, conversation, limit)
    statement = (
        selectors.visible_statements(conversation)
        .filter(number=form.cleaned_data["statement"])
        .first()
    )
    try:
        if statement is None:
            raise ValidationError(_("This statement is not open for votes."))
        # One transaction: a vote the service refuses leaves no new participant.
        with transaction.atomic():
            participant, new_token = identities.acting_participant(conversation, identity)
            services.vote_cast(participant=participant, statement=statement, value=form.value)
    except ValidationError as error:
        participant = identities.existing_participant(conversation, identity)
        notice = " ".join(error.messages) + " " + _("Here is another statement.")
        return _vote_page(request, agency, conversation, participant, notice=notice, status=409)
    if _is_htmx(request):
        response = _vote_page(
            request, agency, conversation, participant, thanks=_("Thank you, your vote is counted.")
        )
    else:
        response = HttpResponseRedirect(_vote_url(agency, conversation) + "?voted=1")
    if new_token is not None:
        identities.remember_token(response, agency, conversation, new_token)
    return response


def _added_message(conversation: Conversation) -> str:
    if conversation.moderation == Conversation.Moderation.STRICT:
        return _(
            "Thank you for your statement. It will appear once a moderator has read it; "
            "meanwhile, here is another to vote on."
        )
    return _("Thank you for your statement: others can now vote on it.")


def _add_page(
    request: HttpRequest,
    agency: Agency,
    conversation: Conversation,
    form: StatementForm,
    status: int = 200,
) -> HttpResponse:
    context = {"agency": agency, "conversation": conversation, "form": form}
    return render(request, TEMPLATES + "add.html", context, status=status)


@require_http_methods(["GET", "POST"])
@public_agency_view
def add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone, with no account: add a statement of one's own (strict moderation:
    it appears once a moderator has read it; permissive: at once)."""
    conversation = selectors.public_conversation(agency=agency, pk=pk)
    if not _is_open(conversation):
        return _closed(request, agency, conversation, 200 if request.method == "GET" else 409)
    if not conversation.allow_statements:
        raise Http404
    if request.method != "POST":
        return _add_page(request, agency, conversation, StatementForm())
    form = StatementForm(request.POST)
    # A bot in the honeypot is counted and answered exactly as a person would be.
    if not form.is_honeypot and not form.is_valid():
        return _add_page(request, agency, conversation, form, status=400)
    limit = public_limits.opinion_statements()
    if public_limits.exceeded(request, limit):
        return _limited(request, agency, conversation, limit)
    done = HttpResponseRedirect(_vote_url(agency, conversation) + "?added=1")
    if form.is_honeypot:
        return done
    identity = identities.identity_of(request, conversation)
    try:
        with transaction.atomic():
            participant, new_token = identities.acting_participant(conversation, identity)
            services.statement_submit(
                participant=participant,
                text=form.cleaned_data["text"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
    except ValidationError as error:
        add_service_error(form, error)
        return _add_page(request, agency, conversation, form, status=400)
    if new_token is not None:
        identities.remember_token(done, agency, conversation, new_token)
    return done
