"""Staff pages of surveys: the list, a new survey, the builder (the survey's
page), opening, closing, duplicating, the preview and the responses export.

Every view is wrapped in `agency_view`: SURVEY_VIEWERS read, SURVEY_EDITORS
build and send, SURVEY_ANALYSTS export the answers. Another agency's survey is
a 404. Editing questions is `views_builder`, links and QR codes
`views_distribution`, results `views_results`, reference populations
`views_population`; the respondents' pages are `views_public`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    SURVEY_ANALYSTS,
    SURVEY_EDITORS,
    SURVEY_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.stakeholders.tabular import CSV_CONTENT_TYPE, defuse_cell
from roundtable.surveys import answering, completeness, selectors, selectors_staff, services
from roundtable.surveys.forms import PreviewForm, SurveyCreateForm
from roundtable.surveys.forms_public import AnswerSheet
from roundtable.surveys.models import Audience, Survey
from roundtable.surveys.texts import language_name, text_in

TEMPLATES = "surveys/staff/"
PAGE_SIZE = 50


def survey_of(agency: Agency, pk: int) -> Survey:
    """The agency's survey `pk` (404 for another agency's)."""
    return selectors.survey_for(agency=agency, pk=pk)


def detail_url(survey: Survey) -> str:
    return reverse("surveys:detail", args=[survey.agency.slug, survey.pk])


def is_htmx(request: HttpRequest) -> bool:
    """An htmx swap (django-htmx's middleware reads the headers), not a page
    load: a history restore asks for the whole page, as in stakeholders/views.py."""
    details = request.htmx  # type: ignore[attr-defined]
    return bool(details) and not details.history_restore_request


def refusal(error: ValidationError) -> list[str]:
    """A service's refusal as sentences, keyed or not."""
    return [str(message) for message in error.messages]


def survey_nav(request: HttpRequest, survey: Survey) -> dict[str, bool]:
    """What the survey's page menu offers this person (staff/_nav.html). An
    internal survey has no export (`services.responses_export_record`)."""
    internal = survey.audience == Audience.INTERNAL
    return {
        "can_edit": holds_any(request, SURVEY_EDITORS),
        "can_export": holds_any(request, SURVEY_ANALYSTS) and not internal,
    }


def builder_context(request: HttpRequest, agency: Agency, survey: Survey) -> dict[str, object]:
    return {
        "agency": agency,
        "survey": survey,
        "rows": selectors_staff.builder_rows(survey=survey),
        "languages": [(code, language_name(code)) for code in survey.languages],
        **survey_nav(request, survey),
    }


@require_GET
@agency_view(SURVEY_VIEWERS)
def survey_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Staff: every survey of the agency with its status, audience and responses."""
    rows = selectors.surveys_for(agency=agency).select_related("area")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "agency": agency,
        "page": page,
        "can_create": holds_any(request, SURVEY_EDITORS),
        "can_import": holds_any(request, SURVEY_ANALYSTS),
    }
    return render(request, TEMPLATES + "list.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(SURVEY_EDITORS)
def survey_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Coordinators and administrators: a new survey, in draft, copied from the
    built-in instruments (trust and safety unless told otherwise)."""
    form = SurveyCreateForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                agency=agency, created_by=acting_user(request), **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The survey is saved as a draft. Check its questions, then open it.")
            )
            return HttpResponseRedirect(detail_url(survey))
    status = 400 if form.is_bound else 200
    return render(
        request, TEMPLATES + "create.html", {"agency": agency, "form": form}, status=status
    )


@require_GET
@agency_view(SURVEY_VIEWERS)
def survey_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff: the survey's questions in order, with every text in every language
    and what is missing; editors change them here and open or close the survey."""
    survey = survey_of(agency, pk)
    context = builder_context(request, agency, survey)
    context.update(
        {
            "missing_texts": completeness.survey_text_gaps(survey),
            "response_count": survey.responses.count(),
            # What keeps a draft from opening (the same check opening makes).
            "open_problems": (
                services.open_problems(survey)
                if holds_any(request, SURVEY_EDITORS) and survey.status != Survey.Status.OPEN
                else []
            ),
        }
    )
    return render(request, TEMPLATES + "detail.html", context)


def _status_change(request: HttpRequest, agency: Agency, pk: int, *, opening: bool) -> HttpResponse:
    survey = survey_of(agency, pk)
    actor = acting_user(request)
    try:
        if opening:
            services.survey_open(survey=survey, actor=actor)
        else:
            services.survey_close(survey=survey, actor=actor)
    except ValidationError as error:
        heading = _("The survey cannot be opened yet:") if opening else ""
        for line in ([heading] if heading else []) + refusal(error):
            messages.error(request, line)
    else:
        if opening:
            messages.success(request, _("The survey is open for answers."))
        else:
            messages.success(request, _("The survey is closed; its answers and results stay."))
    return HttpResponseRedirect(detail_url(survey))


@require_POST
@agency_view(SURVEY_EDITORS)
def survey_open(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: open the survey (refused, with the
    reasons, while a text is missing in one of its languages or a choice
    question has no options)."""
    return _status_change(request, agency, pk, opening=True)


@require_POST
@agency_view(SURVEY_EDITORS)
def survey_close(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: stop taking answers."""
    return _status_change(request, agency, pk, opening=False)


@require_POST
@agency_view(SURVEY_EDITORS)
def survey_duplicate(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: a new draft with the same questions
    (no answers, no links), e.g. for next year's wave."""
    survey = survey_of(agency, pk)
    try:
        copy = services.survey_duplicate(survey=survey, actor=acting_user(request))
    except ValidationError as error:
        for line in refusal(error):
            messages.error(request, line)
        return HttpResponseRedirect(detail_url(survey))
    messages.success(request, _("This is the copy, saved as a draft."))
    return HttpResponseRedirect(detail_url(copy))


@require_GET
@agency_view(SURVEY_VIEWERS)
def survey_preview(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff: the answer page as respondents see it, in one of the survey's
    languages (?language=es), through the public page's own template; nothing
    can be sent from it."""
    survey = survey_of(agency, pk)
    form = PreviewForm(request.GET or None, survey=survey)
    language = form.cleaned_data["language"] if form.is_valid() else form["language"].initial
    with translation.override(language):
        context = {
            "agency": agency,
            "survey": survey,
            "language": language,
            "title": text_in(survey.title, language),
            "introduction": text_in(survey.introduction, language),
            "sheet": AnswerSheet(
                survey=survey, questions=answering.questions_of(survey), language=language
            ),
            "preview": True,
        }
        return render(request, "surveys/public/answer.html", context)


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer streaming."""

    def write(self, value: str) -> str:
        return value


@require_GET
@agency_view(SURVEY_ANALYSTS)
def responses_export(request: HttpRequest, agency: Agency, pk: int) -> HttpResponseBase:
    """Analysts, coordinators and administrators: the answers as CSV, one row per
    response, with nothing that identifies a person; each export is audited.
    An internal survey has none (403, saying why): its answers are shown only
    as aggregates."""
    survey = survey_of(agency, pk)
    try:
        services.responses_export_record(survey=survey, actor=acting_user(request))
    except PermissionDenied as refused:
        context = {"agency": agency, "survey": survey, "reason": str(refused)}
        context.update(survey_nav(request, survey))
        return render(request, TEMPLATES + "export_refused.html", context, status=403)
    table = selectors_staff.responses_export(survey=survey)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(table.columns)
        for row in table.rows:
            yield writer.writerow([defuse_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{agency.slug}-survey-{survey.pk}-responses.csv"'
    )
    return response
