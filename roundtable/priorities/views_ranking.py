"""Staff pages of the community ranking: surveys and their results, moderation
of participants' suggestions, and dots from in-person meetings.

Staff who read priorities (PRIORITY_VIEWERS) see everything here; those who run
the ranking (PRIORITY_EDITORS) create, open, close and moderate, and enter dots.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    PRIORITY_EDITORS,
    PRIORITY_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.priorities import selectors_ranking as selectors
from roundtable.priorities import services_ranking as services
from roundtable.priorities.forms_ranking import ApproveForm, DotsForm, RejectForm, SurveyForm
from roundtable.priorities.models import Candidate, DotVote, PairwiseSurvey
from roundtable.stakeholders.tabular import CSV_CONTENT_TYPE, defuse_cell

TEMPLATES = "priorities/ranking/"


def _survey(agency: Agency, pk: int) -> PairwiseSurvey:
    try:
        return selectors.staff_survey(agency=agency, pk=pk)
    except PairwiseSurvey.DoesNotExist:
        raise Http404 from None


def survey_url(survey: PairwiseSurvey) -> str:
    return reverse("priorities:survey", args=[survey.agency.slug, survey.pk])


@require_GET
@agency_view(PRIORITY_VIEWERS)
def survey_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Staff who read priorities: the agency's pairwise surveys with their counts."""
    context = {
        "agency": agency,
        "surveys": list(selectors.surveys_for_staff(agency=agency)),
        "pending": selectors.suggestions(agency=agency, status=Candidate.Status.PROPOSED).count(),
        "can_edit": holds_any(request, PRIORITY_EDITORS),
    }
    return render(request, TEMPLATES + "surveys.html", context)


def _save(
    request: HttpRequest, agency: Agency, form: SurveyForm, survey: PairwiseSurvey | None
) -> PairwiseSurvey | None:
    data = form.cleaned_data
    fields: dict[str, Any] = {
        "question": data["question"],
        "question_translations": form.translations(),
        "candidates": list(data["candidates"]),
        "accepts_suggestions": data["accepts_suggestions"],
        "asks_area": data["asks_area"],
    }
    try:
        if survey is None:
            return services.survey_create(actor=acting_user(request), agency=agency, **fields)
        return services.survey_update(actor=acting_user(request), survey=survey, **fields)
    except ValidationError as error:
        add_service_error(form, error)
        return None


@require_http_methods(["GET", "POST"])
@agency_view(PRIORITY_EDITORS)
def survey_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators and coordinators: a new survey, saved as a draft."""
    form = SurveyForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        survey = _save(request, agency, form, None)
        if survey is not None:
            messages.success(request, _("The survey is saved as a draft. Open it when ready."))
            return HttpResponseRedirect(survey_url(survey))
    return render(request, TEMPLATES + "survey_form.html", {"agency": agency, "form": form})


@require_http_methods(["GET", "POST"])
@agency_view(PRIORITY_EDITORS)
def survey_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: change a draft or open survey."""
    survey = _survey(agency, pk)
    if request.method == "POST":
        form = SurveyForm(request.POST, agency=agency)
        if form.is_valid() and _save(request, agency, form, survey) is not None:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(survey_url(survey))
    else:
        form = SurveyForm(initial=SurveyForm.initial_for(survey), agency=agency)
    context = {"agency": agency, "form": form, "survey": survey}
    return render(request, TEMPLATES + "survey_form.html", context)


@require_GET
@agency_view(PRIORITY_VIEWERS)
def survey_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff who read priorities: the survey, its ballot and its results (overall and by
    area); editors also open, close and edit it here."""
    survey = _survey(agency, pk)
    context = {
        "agency": agency,
        "survey": survey,
        "question": selectors.survey_question(survey),
        "results": selectors.survey_results(survey=survey),
        "can_edit": holds_any(request, PRIORITY_EDITORS),
        "pending": selectors.suggestions(agency=agency, status=Candidate.Status.PROPOSED)
        .filter(pairwise_surveys=survey)
        .count(),
    }
    return render(request, TEMPLATES + "survey.html", context)


def _status_change(request: HttpRequest, agency: Agency, pk: int, opening: bool) -> HttpResponse:
    survey = _survey(agency, pk)
    try:
        if opening:
            services.survey_open(actor=acting_user(request), survey=survey)
            messages.success(request, _("The survey is open: anyone with the link can vote."))
        else:
            services.survey_close(actor=acting_user(request), survey=survey)
            messages.success(request, _("The survey is closed; its results stay public."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(survey_url(survey))


@require_POST
@agency_view(PRIORITY_EDITORS)
def survey_open(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: open the survey to the public."""
    return _status_change(request, agency, pk, opening=True)


@require_POST
@agency_view(PRIORITY_EDITORS)
def survey_close(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: stop taking votes."""
    return _status_change(request, agency, pk, opening=False)


def _cell(value: object) -> str:
    # Suggestions are typed by the public: defused for spreadsheets.
    return defuse_cell("" if value is None else str(value))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@require_GET
@agency_view(PRIORITY_VIEWERS)
def results_csv(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff who read priorities: the results as a spreadsheet (overall, then by area)."""
    survey = _survey(agency, pk)
    results = selectors.survey_results(survey=survey)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["area", "rank", "candidate", "score", "low", "high", "wins", "losses", "cant_decide"]
    )
    groups = [("", results.rows)] + [(a.area.name, a.rows) for a in results.areas if a.rows]
    for area_name, rows in groups:
        for row in rows:
            writer.writerow(
                [
                    _cell(area_name),
                    row.rank or "",
                    _cell(row.title),
                    _number(row.score),
                    _number(row.low),
                    _number(row.high),
                    row.wins,
                    row.losses,
                    row.cant_decide,
                ]
            )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type=CSV_CONTENT_TYPE)
    name = slugify(f"ranking-{agency.slug}-{survey.pk}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_GET
@agency_view(PRIORITY_VIEWERS)
def suggestions(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Staff who read priorities: participants' suggestions awaiting moderation, and
    those moderated out (kept in the record); editors approve or reject."""
    pending = list(selectors.suggestions(agency=agency, status=Candidate.Status.PROPOSED))
    can_edit = holds_any(request, PRIORITY_EDITORS)
    context = {
        "agency": agency,
        "pending": [
            (
                c,
                ApproveForm(initial={"title": c.title}, prefix=f"a{c.pk}"),
                RejectForm(prefix=f"r{c.pk}"),
            )
            for c in pending
        ],
        "rejected": list(
            selectors.suggestions(agency=agency, status=Candidate.Status.REJECTED)[:100]
        ),
        "can_edit": can_edit,
    }
    return render(request, TEMPLATES + "suggestions.html", context)


def _suggestion(agency: Agency, pk: int) -> Candidate:
    try:
        return selectors.suggestions(agency=agency, status=Candidate.Status.PROPOSED).get(pk=pk)
    except Candidate.DoesNotExist:
        raise Http404 from None


def _moderated(request: HttpRequest, agency: Agency) -> HttpResponse:
    return HttpResponseRedirect(reverse("priorities:suggestions", args=[agency.slug]))


@require_POST
@agency_view(PRIORITY_EDITORS)
def suggestion_approve(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: put a suggestion on the shortlist and the ballot."""
    candidate = _suggestion(agency, pk)
    form = ApproveForm(request.POST, prefix=f"a{pk}")
    if form.is_valid():
        try:
            services.suggestion_approve(
                actor=acting_user(request), candidate=candidate, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Approved: it is on the ballot now."))
    else:
        messages.error(request, _("The title is too long."))
    return _moderated(request, agency)


@require_POST
@agency_view(PRIORITY_EDITORS)
def suggestion_reject(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: keep a suggestion off the ballot, saying why."""
    candidate = _suggestion(agency, pk)
    form = RejectForm(request.POST, prefix=f"r{pk}")
    if not form.is_valid():
        messages.error(request, _("Say why the suggestion is not accepted."))
        return _moderated(request, agency)
    try:
        services.suggestion_reject(
            actor=acting_user(request), candidate=candidate, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Not accepted; the suggestion and your note stay on record."))
    return _moderated(request, agency)


DOT_ENTRIES_SHOWN = 50


def _dots_page(request: HttpRequest, agency: Agency, form: DotsForm | None) -> HttpResponse:
    can_edit = holds_any(request, PRIORITY_EDITORS)
    totals = selectors.dot_totals(agency=agency)
    candidates = form.candidates if form else selectors.dot_candidates(agency=agency)
    if can_edit and form is None:
        form = DotsForm(agency=agency, candidates=candidates)
    rows = sorted(
        ((c, totals.get(c.pk, 0)) for c in candidates), key=lambda row: (-row[1], row[0].title)
    )
    context = {
        "agency": agency,
        "form": form,
        "rows": rows,
        "entries": list(selectors.dot_entries(agency=agency)[:DOT_ENTRIES_SHOWN]),
        "can_edit": can_edit,
    }
    status = 400 if form is not None and form.is_bound else 200
    return render(request, TEMPLATES + "dots.html", context, status=status)


@require_GET
@agency_view(PRIORITY_VIEWERS)
def dots(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Staff who read priorities: dots placed at in-person meetings, with totals;
    editors enter a meeting's dots here."""
    return _dots_page(request, agency, None)


@require_POST
@agency_view(PRIORITY_EDITORS)
def dots_record(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators and coordinators: the dots counted at one meeting."""
    candidates = selectors.dot_candidates(agency=agency)
    form = DotsForm(request.POST, agency=agency, candidates=candidates)
    if form.is_valid():
        try:
            services.dot_votes_record(
                actor=acting_user(request),
                agency=agency,
                dots=form.dots(),
                event=form.cleaned_data["event"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The dots are recorded."))
            return HttpResponseRedirect(reverse("priorities:dots", args=[agency.slug]))
    return _dots_page(request, agency, form)


@require_POST
@agency_view(PRIORITY_EDITORS)
def dot_delete(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and coordinators: take back an entry made in error."""
    try:
        vote = selectors.dot_entries(agency=agency).get(pk=pk)
    except DotVote.DoesNotExist:
        raise Http404 from None
    services.dot_vote_delete(actor=acting_user(request), vote=vote)
    messages.success(request, _("The entry is removed."))
    return HttpResponseRedirect(reverse("priorities:dots", args=[agency.slug]))
