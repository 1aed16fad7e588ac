"""Surveys in public: the list, answering through an open link, a QR code or a
one-time link, and the thank-you page. Anyone may answer, with no account and
no JavaScript.

One page holds every question. It is a plain form: a POST that the validator
(`answering.clean_answers`, which the service runs again) finds wanting comes
back with each error next to its question and every answer kept; a good one
is stored by `services.response_submit` and redirected to the thank-you page.
When free-text answers became inputs in the response ledger, the thank-you
page is the answer to the POST itself and is never cached: it shows receipt
codes, and a receipt code is never put in an address (see
`roundtable.inputs.views_public`).

Open links and one-time links (docs/surveys.md says this for coordinators):

- A one-time link takes one set of answers; the service marks it used in the
  same transaction, and the link then shows a page saying so.
- An open link (or its QR code, `?via=qr`) cannot know who is answering, and
  stores nothing that would tell. After answering, an HttpOnly cookie scoped
  to the link's path marks the survey answered *in that browser*, and the
  link then says so instead of showing the form. It offers "answer as
  someone else on this device" (families share a phone, a meeting passes a
  tablet round), which is an explicit choice, never a slip: each page load
  carries a one-use form id (`forms_public.form_id_take`), so a form sent
  twice from one page (a double submit, the back button) is stored once.
- Open links are rate-limited per client (`public_limits.survey_responses`,
  a keyed hash in the cache); one-time links are not, since each counts
  once anyway and a station's staff may all answer from one address.

Which surveys anyone can find: only open surveys for the PUBLIC audience are
listed. CONTACT and INTERNAL surveys are answered through links the agency
sends (an open link of an INTERNAL survey works for whoever holds it, so it
is shared only inside the agency); they are never listed and never have
public results.

Nothing about the client is stored: a response keeps its answers, language,
month, area and channel. Unknown tokens and tokens replaced by a new open
link answer the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.core import honeypot
from roundtable.inputs import public_limits, receipts
from roundtable.inputs.forms_public import ReceiptLookupForm
from roundtable.inputs.models import Input
from roundtable.surveys import answering, services
from roundtable.surveys.forms_public import (
    FORM_ID_FIELD,
    AnswerSheet,
    form_id_release,
    form_id_take,
    new_form_id,
    posted_form_id,
    raw_answers,
    survey_language,
)
from roundtable.surveys.models import Audience, Invitation, Response, Survey
from roundtable.surveys.services_responses import token_hash
from roundtable.surveys.texts import text_in

TEMPLATES = "surveys/public/"
# An open link remembers it was answered for a year: longer than surveys run.
ANSWERED_COOKIE_MAX_AGE = 365 * 24 * 3600
# One name for every survey: the cookie is scoped to the link's path, and a
# survey's number in its name would say which surveys the browser answered.
ANSWERED_COOKIE = "rt_sv_answered"


@dataclass(frozen=True)
class Link:
    """How the respondent came: the survey's open link, or a one-time link."""

    agency: Agency
    survey: Survey
    token: str
    invitation: Invitation | None = None

    @property
    def is_open_link(self) -> bool:
        return self.invitation is None

    @property
    def answer_url(self) -> str:
        name = "surveys_public:answer" if self.is_open_link else "surveys_public:invitation"
        return reverse(name, args=[self.agency.slug, self.token])

    @property
    def thanks_url(self) -> str:
        name = "surveys_public:thanks" if self.is_open_link else "surveys_public:invitation_thanks"
        return reverse(name, args=[self.agency.slug, self.token])

    def channel(self, request: HttpRequest) -> str:
        if not self.is_open_link:
            return Response.Channel.INVITATION
        if request.POST.get("via") == "qr":
            return Response.Channel.QR
        return Response.Channel.LINK


# --- Finding the survey ---


def _by_open_link(agency: Agency, token: str) -> Link:
    survey = Survey.objects.filter(agency=agency, public_token=token).first()
    if survey is None:  # unknown, or replaced by a new link: the same answer
        raise Http404
    return Link(agency=agency, survey=survey, token=token)


def _by_invitation(agency: Agency, token: str) -> Link:
    # The address names no survey (see urls_public), so the token finds it.
    invitation = (
        Invitation.objects.select_related("survey")
        .filter(token_hash=token_hash(token), survey__agency=agency)
        .first()
    )
    if invitation is None:
        raise Http404
    return Link(agency=agency, survey=invitation.survey, token=token, invitation=invitation)


def is_listed(survey: Survey) -> bool:
    """Whether anyone may find the survey on the public list (and its results)."""
    return survey.audience == Audience.PUBLIC


def _results_url(link: Link) -> str | None:
    survey = link.survey
    if is_listed(survey) and survey.publish_results and survey.status != Survey.Status.DRAFT:
        return reverse("surveys_public:results", args=[link.agency.slug, survey.pk])
    return None


# --- Pages ---


def _language(request: HttpRequest, link: Link) -> str:
    """The survey's language for this visitor: the one a one-time link was made
    in, unless the visitor chose another with the site's language switch."""
    invitation = link.invitation
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if invitation is not None and invitation.language and not chosen:
        return survey_language(link.survey, invitation.language)
    return survey_language(link.survey, translation.get_language() or settings.LANGUAGE_CODE)


def _render(
    request: HttpRequest,
    link: Link,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """A page about `link`'s survey, in the survey's language (the visitor's when
    the survey offers it), never cached: it depends on this browser's cookie,
    carries a CSRF token or shows receipt codes."""
    language = _language(request, link)
    with translation.override(language):
        page = {
            "agency": link.agency,
            "survey": link.survey,
            "link": link,
            "language": language,
            "title": text_in(link.survey.title, language),
            "results_url": _results_url(link),
            "list_url": reverse("surveys_public:list", args=[link.agency.slug]),
            **(context or {}),
        }
        response = render(request, TEMPLATES + template, page, status=status)
    add_never_cache_headers(response)
    return response


def _answer_page(
    request: HttpRequest,
    link: Link,
    *,
    data: Any = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    language = _language(request, link)
    sheet = AnswerSheet(
        survey=link.survey,
        questions=answering.questions_of(link.survey),
        language=language,
        data=data,
        errors=errors,
    )
    params = request.POST if request.method == "POST" else request.GET
    context = {
        "sheet": sheet,
        "introduction": text_in(link.survey.introduction, language),
        "form_action": link.answer_url,
        "via": "qr" if params.get("via") == "qr" else "",
        "again": link.is_open_link and params.get("again") == "1",
        "form_id_field": FORM_ID_FIELD,
        "form_id": new_form_id() if link.is_open_link else "",
        **extra,
    }
    return _render(request, link, "answer.html", context, status=status)


def _not_open(request: HttpRequest, link: Link) -> HttpResponse:
    status = 200 if request.method == "GET" else 409
    return _render(request, link, "not_open.html", status=status)


def _used(request: HttpRequest, link: Link) -> HttpResponse:
    status = 200 if request.method == "GET" else 409
    return _render(request, link, "used.html", status=status)


def _already_answered(request: HttpRequest, link: Link) -> HttpResponse:
    status = 200 if request.method == "GET" else 409
    params = request.POST if request.method == "POST" else request.GET
    query = "?again=1" + ("&via=qr" if params.get("via") == "qr" else "")
    context = {"again_url": link.answer_url + query}
    return _render(request, link, "answered.html", context, status=status)


def _answered_here(request: HttpRequest, link: Link) -> bool:
    return link.is_open_link and request.COOKIES.get(ANSWERED_COOKIE) == "1"


def _mark_answered(response: HttpResponse, link: Link) -> None:
    """Remember in this browser only (not on our side) that it answered the open link."""
    if not link.is_open_link:
        return
    response.set_cookie(
        ANSWERED_COOKIE,
        "1",
        max_age=ANSWERED_COOKIE_MAX_AGE,
        path=link.answer_url,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _thanks_page(request: HttpRequest, link: Link, inputs: list[Input]) -> HttpResponse:
    codes = [receipts.display(item.receipt_code) for item in inputs]
    context = {
        "thanks": text_in(link.survey.thanks, _language(request, link)),
        "codes": codes,
        "lookup_form": ReceiptLookupForm(initial={"code": codes[0]}) if codes else None,
    }
    return _render(request, link, "thanks.html", context)


def _done(request: HttpRequest, link: Link, inputs: list[Input]) -> HttpResponse:
    """After answering: the thank-you page, itself when it shows receipt codes
    (never in an address), else by redirect so a reload sends nothing again."""
    response: HttpResponse
    if inputs:
        response = _thanks_page(request, link, inputs)
    else:
        response = HttpResponseRedirect(link.thanks_url)
    _mark_answered(response, link)
    return response


def _limited(request: HttpRequest, link: Link, limit: public_limits.Limit) -> HttpResponse:
    """The form again as filled in, saying to try later (nothing is lost)."""
    response = _answer_page(
        request, link, data=request.POST, status=429, limited_minutes=limit.window_minutes
    )
    response["Retry-After"] = str(limit.window_seconds)
    return response


def _submit(request: HttpRequest, link: Link) -> HttpResponse:
    survey = link.survey
    language = _language(request, link)
    raw = raw_answers(request.POST)
    # A bot in the honeypot is counted and answered exactly as a person would be.
    trapped = honeypot.is_filled(request.POST)
    if not trapped:
        cleaned = answering.clean_answers(
            survey=survey, questions=answering.questions_of(survey), raw=raw, language=language
        )
        if cleaned.errors:
            return _answer_page(request, link, data=request.POST, errors=cleaned.errors, status=400)
    if link.is_open_link:
        limit = public_limits.survey_responses()
        if public_limits.exceeded(request, limit):
            return _limited(request, link, limit)
    if trapped:
        return _done(request, link, [])
    # A page from before form ids (none posted) is taken as it comes.
    form_id = posted_form_id(request.POST) if link.is_open_link else ""
    if form_id and not form_id_take(form_id):
        return _already_answered(request, link)
    stored = False
    try:
        submitted = services.response_submit(
            survey=survey,
            raw=raw,
            language=language,
            channel=link.channel(request),
            invitation_token=None if link.is_open_link else link.token,
        )
        stored = True
    except ValidationError as error:
        return _refused(request, link, error)
    finally:
        # Nothing stored (refused, or an error): the same page may be sent again.
        if form_id and not stored:
            form_id_release(form_id)
    return _done(request, link, list(submitted.inputs))


def _refused(request: HttpRequest, link: Link, error: ValidationError) -> HttpResponse:
    """The service said no: the survey closed or the link was used meanwhile, or
    the answers fail a check (shown next to their questions)."""
    survey = Survey.objects.get(pk=link.survey.pk)
    if survey.status != Survey.Status.OPEN:
        return _not_open(request, Link(link.agency, survey, link.token, link.invitation))
    invitation = link.invitation
    if invitation is not None and Invitation.objects.filter(pk=invitation.pk, used=True).exists():
        return _used(request, link)
    errors = {key: " ".join(messages) for key, messages in _messages(error).items()}
    return _answer_page(request, link, data=request.POST, errors=errors, status=400)


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"": list(error.messages)}


# --- Views ---


@require_GET
@public_agency_view
def survey_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the agency's open surveys for the public, and published results."""
    site_language = translation.get_language() or settings.LANGUAGE_CODE
    public = Survey.objects.filter(agency=agency, audience=Audience.PUBLIC)
    open_surveys = public.filter(status=Survey.Status.OPEN, public_token__gt="")
    published = public.filter(publish_results=True).exclude(status=Survey.Status.DRAFT)

    def entry(survey: Survey) -> dict[str, Any]:
        language = survey_language(survey, site_language)
        return {
            "survey": survey,
            "language": language,
            "title": text_in(survey.title, language),
            "introduction": text_in(survey.introduction, language),
            "answer_url": reverse("surveys_public:answer", args=[agency.slug, survey.public_token]),
            "results_url": reverse("surveys_public:results", args=[agency.slug, survey.pk])
            if survey.publish_results
            else None,
        }

    def results_entry(survey: Survey) -> dict[str, Any]:
        language = survey_language(survey, site_language)
        return {
            "survey": survey,
            "language": language,
            "title": text_in(survey.title, language),
            "results_url": reverse("surveys_public:results", args=[agency.slug, survey.pk]),
        }

    context = {
        "agency": agency,
        "surveys": [entry(survey) for survey in open_surveys],
        "results": [results_entry(survey) for survey in published],
    }
    return render(request, TEMPLATES + "list.html", context)


@require_http_methods(["GET", "POST"])
@public_agency_view
def answer(request: HttpRequest, agency: Agency, token: str) -> HttpResponse:
    """Anyone holding the open link (or its QR code, `?via=qr`): every question on
    one page; one set of answers per browser unless they choose to answer again."""
    link = _by_open_link(agency, token)
    if link.survey.status != Survey.Status.OPEN:
        return _not_open(request, link)
    params = request.POST if request.method == "POST" else request.GET
    if _answered_here(request, link) and params.get("again") != "1":
        return _already_answered(request, link)
    if request.method != "POST":
        return _answer_page(request, link)
    return _submit(request, link)


@require_http_methods(["GET", "POST"])
@public_agency_view
def invitation(request: HttpRequest, agency: Agency, token: str) -> HttpResponse:
    """Whoever was sent this one-time link: the same page, good for one set of answers."""
    link = _by_invitation(agency, token)
    if link.survey.status != Survey.Status.OPEN:
        return _not_open(request, link)
    assert link.invitation is not None
    if link.invitation.used:
        return _used(request, link)
    if request.method != "POST":
        return _answer_page(request, link)
    return _submit(request, link)


@require_GET
@public_agency_view
def thanks(request: HttpRequest, agency: Agency, token: str) -> HttpResponse:
    """After answering through the open link: the survey's thank-you text."""
    return _thanks_page(request, _by_open_link(agency, token), [])


@require_GET
@public_agency_view
def invitation_thanks(request: HttpRequest, agency: Agency, token: str) -> HttpResponse:
    """After answering through a one-time link: the survey's thank-you text."""
    return _thanks_page(request, _by_invitation(agency, token), [])
