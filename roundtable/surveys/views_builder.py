"""The survey builder's forms: the survey's settings, adding and editing a
question, its options, moving and deleting it.

Coordinators and administrators (SURVEY_EDITORS) only. Moving and deleting
answer an htmx request with the question list alone, swapped in place; without
JavaScript the same buttons post and come back to the survey's page. What the
services refuse (changing the questions of a survey that has answers, say)
comes back as a form error or a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from roundtable.accounts.access import SURVEY_EDITORS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.surveys import services
from roundtable.surveys.categories import category_values
from roundtable.surveys.forms import SurveyEditForm, texts_initial
from roundtable.surveys.forms_builder import (
    BaseOptionFormSet,
    MoveForm,
    OptionFormSet,
    QuestionForm,
)
from roundtable.surveys.models import Question, Survey
from roundtable.surveys.texts import language_name, text_in
from roundtable.surveys.views import (
    TEMPLATES,
    builder_context,
    detail_url,
    is_htmx,
    refusal,
    survey_nav,
    survey_of,
)


def question_of(survey: Survey, question_pk: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("survey"), survey=survey, pk=question_pk
    )


def question_anchor(survey: Survey, question: Question) -> str:
    return f"{detail_url(survey)}#question-{question.pk}"


@require_http_methods(["GET", "POST"])
@agency_view(SURVEY_EDITORS)
def survey_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: the survey's title, introduction and
    thanks in each language, its languages, audience and weighting."""
    survey = survey_of(agency, pk)
    form = SurveyEditForm(
        request.POST or None, initial=SurveyEditForm.initial_for(survey), survey=survey
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(
                survey=survey, actor=acting_user(request), **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(detail_url(survey))
    status = 400 if form.is_bound else 200
    context = {"agency": agency, "survey": survey, "form": form, **survey_nav(request, survey)}
    return render(request, TEMPLATES + "edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@agency_view(SURVEY_EDITORS)
def question_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: a new question at the end of the survey;
    a choice question goes on to its options."""
    survey = survey_of(agency, pk)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            question = services.question_add(
                survey=survey,
                actor=acting_user(request),
                kind=fields.pop("kind"),
                text=fields.pop("text"),
                key=fields.pop("key"),
                **fields,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Question %(key)s added.") % {"key": question.key})
            if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                return HttpResponseRedirect(options_url(survey, question))
            return HttpResponseRedirect(question_anchor(survey, question))
    status = 400 if form.is_bound else 200
    context = {"agency": agency, "survey": survey, "form": form, "question": None}
    return render(request, TEMPLATES + "question.html", context, status=status)


@require_http_methods(["GET", "POST"])
@agency_view(SURVEY_EDITORS)
def question_edit(request: HttpRequest, agency: Agency, pk: int, question_pk: int) -> HttpResponse:
    """Coordinators and administrators: a question's texts in each language, its
    help and scale labels, whether it is required, what it measures and when it
    is shown."""
    survey = survey_of(agency, pk)
    question = question_of(survey, question_pk)
    form = QuestionForm(
        request.POST or None,
        initial=QuestionForm.initial_for(question),
        survey=survey,
        question=question,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question, actor=acting_user(request), **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Question %(key)s saved.") % {"key": question.key})
            return HttpResponseRedirect(question_anchor(survey, question))
    status = 400 if form.is_bound else 200
    context = {"agency": agency, "survey": survey, "form": form, "question": question}
    return render(request, TEMPLATES + "question.html", context, status=status)


def options_url(survey: Survey, question: Question) -> str:
    return reverse("surveys:question_options", args=[survey.agency.slug, survey.pk, question.pk])


@require_http_methods(["GET", "POST"])
@agency_view(SURVEY_EDITORS)
def question_options(
    request: HttpRequest, agency: Agency, pk: int, question_pk: int
) -> HttpResponse:
    """Coordinators and administrators: the choices of a single- or
    multiple-choice question, a value and a label per language each; blank rows
    are left out, ticked ones removed."""
    survey = survey_of(agency, pk)
    question = question_of(survey, question_pk)
    if question.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        messages.error(request, _("Only choice questions have options."))
        return HttpResponseRedirect(question_anchor(survey, question))
    languages = list(survey.languages)
    existing = list(question.options.order_by("position", "pk"))
    initial = [
        {"value": option.value, **texts_initial("label", option.label, languages)}
        for option in existing
    ]
    formset = OptionFormSet(
        request.POST or None,
        initial=initial,
        prefix="options",
        form_kwargs={"languages": languages},
    )
    service_errors: list[str] = []
    assert isinstance(formset, BaseOptionFormSet)
    if request.method == "POST" and formset.is_valid():
        old = {option.value: option.label for option in existing}
        try:
            services.options_set(
                question=question, actor=acting_user(request), options=formset.options(old)
            )
        except ValidationError as error:
            service_errors = refusal(error)
        else:
            messages.success(request, _("Options of %(key)s saved.") % {"key": question.key})
            return HttpResponseRedirect(question_anchor(survey, question))
    status = 400 if formset.is_bound else 200
    context = {
        "agency": agency,
        "survey": survey,
        "question": question,
        "question_text": text_in(question.text, request.LANGUAGE_CODE),
        "formset": formset,
        "service_errors": service_errors,
        "languages": [(code, language_name(code)) for code in languages],
        # Demographic options must use the population's categories to be weighted.
        "categories": category_values(question.characteristic) if question.characteristic else [],
    }
    return render(request, TEMPLATES + "options.html", context, status=status)


def _list_or_back(
    request: HttpRequest, agency: Agency, survey: Survey, error: str, anchor: str
) -> HttpResponse:
    """The question list for htmx (with the error above it), else back to the page."""
    if is_htmx(request):
        context = builder_context(request, agency, survey)
        context["error"] = error
        return render(
            request, "surveys/partials/questions.html", context, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(anchor)


@require_POST
@agency_view(SURVEY_EDITORS)
def question_move(request: HttpRequest, agency: Agency, pk: int, question_pk: int) -> HttpResponse:
    """Coordinators and administrators: move a question one place up or down."""
    survey = survey_of(agency, pk)
    question = question_of(survey, question_pk)
    form = MoveForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose up or down.")
    else:
        try:
            services.question_move(
                question=question,
                actor=acting_user(request),
                direction=form.cleaned_data["direction"],
            )
        except ValidationError as refused:
            error = " ".join(refusal(refused))
    return _list_or_back(request, agency, survey, error, question_anchor(survey, question))


@require_POST
@agency_view(SURVEY_EDITORS)
def question_delete(
    request: HttpRequest, agency: Agency, pk: int, question_pk: int
) -> HttpResponse:
    """Coordinators and administrators: remove a question (refused by the
    service once the survey has answers to it)."""
    survey = survey_of(agency, pk)
    question = question_of(survey, question_pk)
    key = question.key
    error = ""
    try:
        services.question_delete(question=question, actor=acting_user(request))
    except ValidationError as refused:
        error = " ".join(refusal(refused))
    else:
        if not is_htmx(request):
            messages.success(request, _("Question %(key)s removed.") % {"key": key})
    return _list_or_back(request, agency, survey, error, detail_url(survey) + "#questions")
