"""The pairwise survey in public: vote on pairs, suggest a priority, see the
results. Anyone may use these pages, with no account and no JavaScript.

Privacy: a vote stores the pair, the choice, the language and — only if the
participant gives it — an area; never an account, address or user agent. The
area they chose is remembered for the next pair in a cookie in their own
browser, not on the server. Repeated votes are limited per client by
`roundtable.core.ratelimit` (a keyed hash in the cache that expires; nothing in
the database): ROUNDTABLE_RANKING_VOTE_LIMIT votes per
ROUNDTABLE_RANKING_VOTE_WINDOW seconds, 200 an hour by default — plenty for a
person working through the pairs, few for a script. As on the input form, a use
is counted before the action, and a form sent back for correction costs nothing.

With htmx present the vote form swaps in the next pair without a full reload
(hx-boost); without JavaScript the same POST, redirect and GET happen in full.
htmx does not swap an error response in, so for its requests the refusal pages
answer 200 (the page says what happened either way).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from roundtable import disclosure
from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.inputs import public_limits
from roundtable.priorities import pairs
from roundtable.priorities import selectors_ranking as selectors
from roundtable.priorities import services_ranking as services
from roundtable.priorities.forms_ranking import SuggestionForm, VoteForm
from roundtable.priorities.models import PairwiseSurvey
from roundtable.priorities.selectors import candidate_title

TEMPLATES = "priorities/ranking/public/"
AREA_COOKIE = "rt_rank_area"


def vote_limit() -> public_limits.Limit:
    return public_limits.Limit(
        "pairwise-vote",
        settings.ROUNDTABLE_RANKING_VOTE_LIMIT,
        settings.ROUNDTABLE_RANKING_VOTE_WINDOW,
    )


def suggestion_limit() -> public_limits.Limit:
    """Suggestions: as many as inputs on the public form, counted apart."""
    return public_limits.Limit(
        "pairwise-suggestion",
        settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT,
        settings.ROUNDTABLE_PUBLIC_INPUT_WINDOW,
    )


def _survey(agency: Agency, pk: int) -> PairwiseSurvey:
    try:
        return selectors.public_survey(agency=agency, pk=pk)
    except PairwiseSurvey.DoesNotExist:
        raise Http404 from None


def _is_open(survey: PairwiseSurvey) -> bool:
    return survey.status == PairwiseSurvey.Status.OPEN


def _status(request: HttpRequest, status: int) -> int:
    return 200 if request.headers.get("HX-Request") else status


def _cookie_path(agency: Agency) -> str:
    return reverse("priorities_public:surveys", args=[agency.slug])


def _closed(request: HttpRequest, survey: PairwiseSurvey, status: int = 200) -> HttpResponse:
    context = {
        "agency": survey.agency,
        "survey": survey,
        "question": selectors.survey_question(survey),
    }
    return render(request, TEMPLATES + "closed.html", context, status=_status(request, status))


def _vote_page(
    request: HttpRequest,
    survey: PairwiseSurvey,
    *,
    notice: str = "",
    form: VoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The question and a fresh pair, with a ticket for it (never cached: single use)."""
    pair = pairs.choose_pair(selectors.ballot_ids(survey), selectors.pair_counts(survey))
    context: dict[str, Any] = {
        "agency": survey.agency,
        "survey": survey,
        "question": selectors.survey_question(survey),
        "notice": notice,
        "voted": request.GET.get("voted") == "1" and not notice,
    }
    if pair is not None:
        chosen = selectors.ballot(survey=survey, ids=pair)
        left, right = chosen[pair[0]], chosen[pair[1]]
        token = pairs.pair_token(survey_id=survey.pk, left_id=left.pk, right_id=right.pk)
        area = form.data.get("area") if form is not None else request.COOKIES.get(AREA_COOKIE)
        context.update(
            form=VoteForm(initial={"token": token, "area": area or None}, survey=survey),
            left=candidate_title(left),
            right=candidate_title(right),
            errors=form.errors if form is not None else None,
        )
    response = render(request, TEMPLATES + "vote.html", context, status=_status(request, status))
    add_never_cache_headers(response)
    return response


def _limited(
    request: HttpRequest, survey: PairwiseSurvey, limit: public_limits.Limit
) -> HttpResponse:
    context = {
        "agency": survey.agency,
        "survey": survey,
        "limited_minutes": limit.window_minutes,
    }
    response = render(request, TEMPLATES + "limited.html", context, status=_status(request, 429))
    response["Retry-After"] = str(limit.window_seconds)
    return response


@require_GET
@public_agency_view
def surveys(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the agency's open surveys to vote in, and closed ones with results."""
    listed = [(s, selectors.survey_question(s)) for s in selectors.public_surveys(agency=agency)]
    return render(request, TEMPLATES + "surveys.html", {"agency": agency, "surveys": listed})


@require_http_methods(["GET", "POST"])
@public_agency_view
def vote(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone, with no account: pick the more important of two candidates, or
    "Can't decide"; the next pair follows (POST, redirect, GET)."""
    survey = _survey(agency, pk)
    if not _is_open(survey):
        return _closed(request, survey, status=200 if request.method == "GET" else 409)
    if request.method != "POST":
        return _vote_page(request, survey)
    form = VoteForm(request.POST, survey=survey)
    if not form.is_valid():
        return _vote_page(request, survey, form=form, status=400)
    limit = vote_limit()
    if public_limits.exceeded(request, limit):
        return _limited(request, survey, limit)
    area = form.cleaned_data.get("area")
    try:
        services.vote_cast(
            survey=survey,
            token=form.cleaned_data["token"],
            outcome=form.cleaned_data["choice"],
            area=area,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    except ValidationError as error:
        if error.code == services.VOTE_CLOSED:
            return _closed(request, survey, status=409)
        status = 409 if error.code == services.VOTE_USED else 400
        return _vote_page(request, survey, notice=" ".join(error.messages), status=status)
    url = reverse("priorities_public:vote", args=[agency.slug, survey.pk]) + "?voted=1"
    response = HttpResponseRedirect(url)
    if area is not None:
        response.set_cookie(
            AREA_COOKIE,
            str(area.pk),
            path=_cookie_path(agency),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    elif "area" in form.fields:
        response.delete_cookie(AREA_COOKIE, path=_cookie_path(agency), samesite="Lax")
    return response


def _suggest_page(
    request: HttpRequest, survey: PairwiseSurvey, form: SuggestionForm, status: int = 200
) -> HttpResponse:
    context = {"agency": survey.agency, "survey": survey, "form": form}
    return render(request, TEMPLATES + "suggest.html", context, status=status)


@require_http_methods(["GET", "POST"])
@public_agency_view
def suggest(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone, with no account: suggest a priority of one's own, read by staff before
    it joins the survey."""
    survey = _survey(agency, pk)
    if not _is_open(survey):
        return _closed(request, survey, status=200 if request.method == "GET" else 409)
    if not survey.accepts_suggestions:
        raise Http404
    if request.method != "POST":
        return _suggest_page(request, survey, SuggestionForm())
    form = SuggestionForm(request.POST)
    # A bot in the honeypot is counted and answered exactly as a person would be.
    if not form.is_honeypot and not form.is_valid():
        return _suggest_page(request, survey, form, status=400)
    limit = suggestion_limit()
    if public_limits.exceeded(request, limit):
        return _limited(request, survey, limit)
    thanks = HttpResponseRedirect(
        reverse("priorities_public:suggest_thanks", args=[agency.slug, survey.pk])
    )
    if form.is_honeypot:
        return thanks
    try:
        services.suggestion_submit(
            survey=survey,
            text=form.cleaned_data["text"],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    except ValidationError as error:
        add_service_error(form, error)
        return _suggest_page(request, survey, form, status=400)
    return thanks


@require_GET
@public_agency_view
def suggest_thanks(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: thanks for a suggestion, which staff will read before it joins."""
    survey = _survey(agency, pk)
    return render(request, TEMPLATES + "suggest_thanks.html", {"agency": agency, "survey": survey})


@require_GET
@public_agency_view
def results(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: the scores with their intervals once enough votes are in
    (the small-cell minimum of decided votes), and by area where an area has enough.
    A "can't decide" count under that minimum is not shown (docs/disclosure.md)."""
    survey = _survey(agency, pk)
    found = selectors.survey_results(survey=survey)
    context = {
        "agency": agency,
        "survey": survey,
        "question": selectors.survey_question(survey),
        "results": found,
        "enough": found.decided >= disclosure.minimum_count(),
        "cant_decide": disclosure.public_count(found.cant_decide),
        "areas": [a for a in found.areas if a.rows],
        "small_cell": disclosure.minimum_count(),
    }
    return render(request, TEMPLATES + "results.html", context)
