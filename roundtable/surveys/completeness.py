"""Whether a survey is complete enough to open: every text in each of its
languages, something to choose in every choice question, conditions that can
work. Read by `services.survey_open` (which refuses with the list) and by the
builder page (which shows it before anyone tries)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.utils.translation import gettext as _

from roundtable.surveys.models import Audience, Option, Question, Survey
from roundtable.surveys.texts import language_name, missing_languages


def option_labels_problems(
    name: str, options: Sequence[Option], languages: Sequence[str]
) -> list[str]:
    names = dict(settings.LANGUAGES)
    problems = []
    for option in options:
        missing = missing_languages(option.label, languages)
        if missing:
            problems.append(
                _("%(question)s: the answer “%(value)s” has no text in %(languages)s.")
                % {
                    "question": name,
                    "value": option.value,
                    "languages": ", ".join(str(names.get(code, code)) for code in missing),
                }
            )
    return problems


def missing_codes(
    texts: Mapping[str, str] | None, languages: Sequence[str], *, required: bool
) -> list[str]:
    """Codes of the languages a text lacks: all of them for a required text, and
    for an optional one only if it is given in some language (half-translated)."""
    texts = texts or {}
    if not required and not any(v.strip() for v in texts.values() if isinstance(v, str)):
        return []
    return missing_languages(texts, languages)


# The survey's own texts, and whether each must be given.
SURVEY_TEXTS = (("title", True), ("introduction", False), ("thanks", False))


def survey_text_gaps(survey: Survey) -> dict[str, list[str]]:
    """{"title": ["es"], …}: the survey's own texts missing in one of its languages
    (the builder page lists them; `open_problems` refuses to open with them)."""
    gaps = {
        name: missing_codes(getattr(survey, name), survey.languages, required=required)
        for name, required in SURVEY_TEXTS
    }
    return {name: codes for name, codes in gaps.items() if codes}


def open_problems(survey: Survey) -> list[str]:
    """Everything that keeps the survey from opening, one sentence each: texts
    missing in one of its languages, choice questions without answers,
    conditions that cannot work. Empty when it can open."""
    languages = survey.languages
    problems: list[str] = []

    def problem(what: str, missing: Sequence[str]) -> None:
        if missing:
            problems.append(
                _("%(what)s has no text in %(languages)s.")
                % {"what": what, "languages": ", ".join(language_name(c) for c in missing)}
            )

    def text_problem(what: str, texts: Mapping[str, str], required: bool) -> None:
        problem(what, missing_codes(texts, languages, required=required))

    survey_texts = {
        "title": _("The title"),
        "introduction": _("The introduction"),
        "thanks": _("The thank-you message"),
    }
    for name, missing in survey_text_gaps(survey).items():
        problem(survey_texts[name], missing)
    questions = list(survey.questions.prefetch_related("options").order_by("position", "pk"))
    if not questions:
        problems.append(_("The survey has no questions yet."))
    positions = {question.pk: n for n, question in enumerate(questions)}
    for n, question in enumerate(questions, start=1):
        name = _("Question %(number)d (%(key)s)") % {"number": n, "key": question.key}
        text_problem(name, question.text, True)
        text_problem(_("%(question)s: the help text") % {"question": name}, question.help, False)
        if question.kind == Question.Kind.SCALE:
            for label, texts in (
                (_("the label at 0"), question.low_label),
                (_("the label at 10"), question.high_label),
            ):
                text_problem(f"{name}: {label}", texts, False)
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            options = list(question.options.all())
            if not options:
                problems.append(
                    _("%(question)s offers no answers to choose from.") % {"question": name}
                )
            problems += option_labels_problems(name, options, languages)
        if question.show_if_id is not None:
            if question.show_if_id not in positions or positions[question.show_if_id] >= n - 1:
                problems.append(
                    _("%(question)s depends on a question that does not come before it.")
                    % {"question": name}
                )
            elif not question.show_if_values:
                problems.append(
                    _("%(question)s is shown on a condition that names no answer.")
                    % {"question": name}
                )
        if survey.audience == Audience.INTERNAL and (
            question.characteristic or question.kind == Question.Kind.AREA
        ):
            problems.append(
                _("%(question)s asks about the respondent, which an internal survey must not.")
                % {"question": name}
            )
    return problems
