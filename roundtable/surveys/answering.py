"""Answering a survey: which questions are shown, and the one validator of answers.

The public form, staff typing in a paper form and imports all clean answers
here, so an answer stored in `Response.answers` always has the same shape:
SCALE an int 0–10, AGREE an int 1–5, SINGLE an option value, MULTIPLE a list of
option values, TEXT a string, AREA an area's slug. Nothing here writes.

Raw answers come as strings, the way a form posts them (`{key: [values]}`);
imports may give typed values (an int, a list), which are read as their
strings so that both pass the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Area
from roundtable.surveys.models import Question, ReferencePopulation, Survey

TEXT_MAX_LENGTH = 2000
SCALE_RANGE = range(0, 11)
AGREE_RANGE = range(1, 6)
CHOICE_KINDS = frozenset({Question.Kind.SINGLE, Question.Kind.MULTIPLE})


@dataclass
class Cleaned:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    # The area the response counts for, when a shown AREA question was answered.
    area: Area | None = None


def questions_of(survey: Survey) -> list[Question]:
    """The survey's questions in order, options prefetched and each condition's
    question set from the same list (so `is_shown` never queries)."""
    questions = list(
        Question.objects.filter(survey=survey)
        .prefetch_related("options")
        .order_by("position", "pk")
    )
    by_pk = {question.pk: question for question in questions}
    for question in questions:
        question.survey = survey
        if question.show_if_id is not None and question.show_if_id in by_pk:
            question.show_if = by_pk[question.show_if_id]
    return questions


def area_choices(survey: Survey) -> list[Area]:
    """The areas an AREA question offers: those of the reference population the
    survey is weighted to (so every answer meets a census count), else every
    area of the agency. Any area of the agency is accepted as an answer."""
    population = survey.population or (
        ReferencePopulation.objects.filter(agency_id=survey.agency_id)
        .order_by("-imported_at", "-pk")
        .first()
    )
    areas = Area.objects.filter(agency_id=survey.agency_id)
    if population is not None:
        counted = areas.filter(pk__in=population.margins.values("area_id"))
        if counted.exists():
            areas = counted
    return list(areas.order_by("name"))


def _as_strings(value: Any) -> list[str]:
    """A raw answer as a list of non-blank strings (a form's list, or an import's
    typed value)."""
    if value is None:
        return []
    if isinstance(value, str | int) and not isinstance(value, bool):
        values: Sequence[Any] = [value]
    elif isinstance(value, list | tuple):
        values = value
    else:
        values = [str(value)]
    return [text for text in (str(v).strip() for v in values) if text]


def _answer_strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def is_shown(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether `question` is asked, given the (cleaned) answers so far.

    A question with a condition is shown when its condition question was
    answered with one of `show_if_values` (for a multiple choice: any of its
    values) and that question is itself shown: hiding a question hides all that
    hang on it.
    """
    seen: set[int] = set()
    current = question
    while current.show_if_id is not None:
        if current.pk in seen:  # a cycle of conditions: never satisfiable
            return False
        seen.add(current.pk)
        parent = current.show_if
        if parent is None:
            return True
        answer = answers.get(parent.key)
        if answer is None:
            return False
        wanted = {str(value) for value in current.show_if_values}
        if not wanted.intersection(_answer_strings(answer)):
            return False
        current = parent
    return True


@dataclass(frozen=True)
class _TooLong:
    length: int

    def __str__(self) -> str:
        return str(
            _("Keep your answer to %(limit)d characters (this one has %(length)d).")
            % {"limit": TEXT_MAX_LENGTH, "length": self.length}
        )


# Error messages stay lazy until a row has one: an import cleans thousands of
# rows, and switching the language for each would cost more than the checks.
Message = str | Promise | _TooLong


def _option_values(question: Question) -> frozenset[str]:
    """The question's option values, kept on the instance: an import cleans
    thousands of rows against the same questions."""
    known = question.__dict__.get("_option_values")
    if known is None:
        known = frozenset(option.value for option in question.options.all())
        question.__dict__["_option_values"] = known
    return known


def _one_integer(values: list[str], allowed: range) -> int | None:
    if len(values) != 1:
        return None
    try:
        number = int(values[0])
    except ValueError:
        return None
    return number if number in allowed else None


def _clean_one(
    question: Question, values: list[str], areas: Mapping[str, Area] | None, agency_id: int
) -> tuple[Any, Message]:
    """(answer, error) for one question's non-empty raw values."""
    kind = question.kind
    if kind == Question.Kind.SCALE:
        number = _one_integer(values, SCALE_RANGE)
        return (number, "") if number is not None else (None, _("Choose a number from 0 to 10."))
    if kind == Question.Kind.AGREE:
        number = _one_integer(values, AGREE_RANGE)
        if number is None:
            return None, _("Choose one answer, from strongly disagree to strongly agree.")
        return number, ""
    if kind in CHOICE_KINDS:
        known = _option_values(question)
        if kind == Question.Kind.SINGLE:
            if len(values) != 1:
                return None, _("Choose only one answer.")
            if values[0] not in known:
                return None, _("Choose one of the answers offered.")
            return values[0], ""
        unknown = [value for value in values if value not in known]
        if unknown:
            return None, _("Choose among the answers offered.")
        return list(dict.fromkeys(values)), ""
    if kind == Question.Kind.TEXT:
        text = "\n".join(values).strip()
        if len(text) > TEXT_MAX_LENGTH:
            return None, _TooLong(len(text))
        return text, ""
    if kind == Question.Kind.AREA:
        if len(values) != 1:
            return None, _("Choose only one area.")
        if areas is not None:
            found = areas.get(values[0])
        else:
            found = Area.objects.filter(agency_id=agency_id, slug=values[0]).first()
        if found is None:
            return None, _("Choose one of the areas offered.")
        return found, ""
    return None, _("This question cannot be answered.")


def clean_answers(
    *,
    survey: Survey,
    questions: list[Question],
    raw: Mapping[str, Any],
    language: str,
    areas: Mapping[str, Area] | None = None,
) -> Cleaned:
    """Check and type the raw answers to `questions` (from `questions_of`).

    Answers to questions that are not shown are dropped (a respondent who
    changed an earlier answer may have left them filled in); a required
    question is required only when shown. Errors are keyed by question key, in
    `language`. `areas` (slug → Area of the survey's agency) saves a query per
    call when many rows are cleaned at once (imports).
    """
    typed: dict[str, Any] = {}
    errors: dict[str, Message] = {}
    picked_areas: dict[str, Area] = {}
    for question in questions:
        values = _as_strings(raw.get(question.key))
        if not values:
            continue
        answer, error = _clean_one(question, values, areas, survey.agency_id)
        if error:
            errors[question.key] = error
        elif question.kind == Question.Kind.TEXT and not answer:
            continue
        elif isinstance(answer, Area):
            picked_areas[question.key] = answer
            typed[question.key] = answer.slug
        else:
            typed[question.key] = answer
    cleaned = Cleaned()
    shown_errors: dict[str, Message] = {}
    for question in questions:
        if not is_shown(question, typed):
            continue
        if question.key in errors:
            shown_errors[question.key] = errors[question.key]
        elif question.key in typed:
            cleaned.answers[question.key] = typed[question.key]
        elif question.required:
            shown_errors[question.key] = _("Please answer this question.")
    if shown_errors:
        with translation.override(language):
            cleaned.errors = {key: str(message) for key, message in shown_errors.items()}
    cleaned.area = _response_area(questions, cleaned.answers, picked_areas)
    return cleaned


def _response_area(
    questions: list[Question], answers: Mapping[str, Any], picked: Mapping[str, Area]
) -> Area | None:
    """The area of residence if asked (characteristic AREA), else the first area picked."""
    answered = [q for q in questions if q.kind == Question.Kind.AREA and q.key in answers]
    answered.sort(key=lambda q: q.characteristic != "area")
    return picked[answered[0].key] if answered else None
