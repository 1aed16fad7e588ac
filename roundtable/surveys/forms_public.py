"""The public answer form: every question of a survey on one page, as plain HTML.

Answers are checked by `answering.clean_answers`, the one validator the
service uses too, so this module only lays the questions out and reads them
back: which control each kind gets, its choices in the respondent's language,
what was answered (kept when the page comes back with errors), the error
next to each question, and the note that says when a conditional question
applies.

Controls are named "q-<key>" so that no question key, whatever a coordinator
calls it, can collide with the page's own fields (the CSRF token, the
honeypot, `via`, `again`, `form_id`). Element ids join the key and what they are with a
dot ("q-safety.7", "q-safety.error"), which no key or option value (slugs)
contains, so no two questions' ids can meet.

Scale ends, agree–disagree labels and condition notes are in the *survey's*
language (the one its texts are shown in), so a question never mixes two
languages; the page around it follows the site's language.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import QueryDict
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Area
from roundtable.core import honeypot
from roundtable.surveys import answering
from roundtable.surveys.models import Audience, Question, Survey
from roundtable.surveys.texts import text_in

PREFIX = "q-"
TEXT_MAX = answering.TEXT_MAX_LENGTH
HONEYPOT_FIELD = honeypot.FIELD_NAME

AGREE_LABELS = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
)


def field_name(key: str) -> str:
    return f"{PREFIX}{key}"


def raw_answers(data: QueryDict) -> dict[str, list[str]]:
    """The answers in a POST, by question key, as `clean_answers` reads them."""
    return {name[len(PREFIX) :]: data.getlist(name) for name in data if name.startswith(PREFIX)}


# --- One use per page load ---
#
# An open link's page carries a random form id, new on every load. Once a
# POST with it is stored, the id is kept in the cache for FORM_ID_SECONDS as
# used, and another POST with it (a double click, the back button, also after
# "answer as another person", which the answered cookie cannot stop) gets the
# "already answered" page. The id names a page load, not a person, and is
# stored nowhere else.

FORM_ID_FIELD = "form_id"
FORM_ID_SECONDS = 3600
_FORM_ID = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)


def new_form_id() -> str:
    return secrets.token_urlsafe(16)


def posted_form_id(data: QueryDict) -> str:
    """The form id a POST carries, or "" (none, or not one of ours)."""
    value = data.get(FORM_ID_FIELD, "")
    return value if _FORM_ID.fullmatch(value) else ""


def _form_id_key(form_id: str) -> str:
    return f"surveys:form-used:{form_id}"


def form_id_take(form_id: str) -> bool:
    """Mark the page load's answers as being stored: False if they were already.
    Taken before storing, atomically (the cache's add), so that two POSTs at
    once store one response; `form_id_release` undoes it when nothing was
    stored."""
    return bool(cache.add(_form_id_key(form_id), True, FORM_ID_SECONDS))


def form_id_release(form_id: str) -> None:
    cache.delete(_form_id_key(form_id))


def free_text_to_ledger(survey: Survey) -> bool:
    """Whether free-text answers become inputs in the response ledger (never for
    internal surveys: what officers write about their wellness stays in the survey)."""
    return survey.text_to_inputs and survey.audience != Audience.INTERNAL


def survey_language(survey: Survey, site_language: str) -> str:
    """The language the survey's texts are shown in: the visitor's when the survey
    offers it, else English when offered, else the survey's first language."""
    offered = list(survey.languages or [])
    base = site_language.split("-")[0]
    for code in (site_language, base, "en"):
        if code in offered:
            return code
    return offered[0] if offered else base


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    id: str
    checked: bool
    # Read to screen readers only (a scale's end meaning: "0, Not at all safe").
    described: str = ""


@dataclass
class Item:
    """One question as the template draws it."""

    question: Question
    number: int
    name: str
    id: str
    kind: str
    text: str
    help: str
    required: bool
    choices: list[Choice] = field(default_factory=list)
    value: str = ""
    low_label: str = ""
    high_label: str = ""
    error: str = ""
    # Free text that goes to the response ledger says so (and what that means).
    note: str = ""
    condition: str = ""
    # For survey.js: the field whose answer shows this question, and the values that do.
    show_if_name: str = ""
    show_if_values: str = ""

    @property
    def help_id(self) -> str:
        return f"{self.id}.help" if self.help or self.note else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}.error" if self.error else ""

    @property
    def condition_id(self) -> str:
        return f"{self.id}.condition" if self.condition else ""

    @property
    def described_by(self) -> str:
        return " ".join(i for i in (self.condition_id, self.help_id, self.error_id) if i)

    @property
    def first_control_id(self) -> str:
        """Where the error summary's link for this question leads."""
        if self.is_group and self.choices:
            return self.choices[0].id
        return self.id

    @property
    def is_group(self) -> bool:
        """Radio buttons and checkboxes: a fieldset whose legend is the question."""
        return self.kind in (
            Question.Kind.SINGLE,
            Question.Kind.MULTIPLE,
            Question.Kind.SCALE,
            Question.Kind.AGREE,
        )


class AnswerSheet:
    """The questions of `survey` laid out for the answer page.

    `data` is the POST being shown again (answers kept), `errors` the
    validator's messages by question key (any other key is shown above the
    questions). `areas` are the choices of an area pick (default:
    `answering.area_choices`).
    """

    def __init__(
        self,
        *,
        survey: Survey,
        questions: Sequence[Question],
        language: str,
        data: QueryDict | None = None,
        errors: Mapping[str, str] | None = None,
        areas: Sequence[Area] | None = None,
    ) -> None:
        self.survey = survey
        self.text_max = TEXT_MAX
        self.to_ledger = free_text_to_ledger(survey)
        self.language = language
        self.errors = dict(errors or {})
        self._raw = raw_answers(data) if data is not None else {}
        self._areas = list(areas) if areas is not None else None
        self._numbers = {q.pk: n for n, q in enumerate(questions, start=1)}
        # Conditions name their question among these (prefetched options, no query).
        self._by_pk = {q.pk: q for q in questions}
        with translation.override(language):
            self.items = [self._item(q, n) for n, q in enumerate(questions, start=1)]

        keys = {question.key for question in questions}
        self.general_errors = [str(m) for key, m in self.errors.items() if key not in keys]

    @property
    def has_errors(self) -> bool:
        return bool(self.error_items or self.general_errors)

    @property
    def error_items(self) -> list[Item]:
        return [item for item in self.items if item.error]

    @property
    def honeypot_field(self) -> str:
        return HONEYPOT_FIELD

    def _areas_of_survey(self) -> list[Area]:
        if self._areas is None:
            self._areas = answering.area_choices(self.survey)
        return self._areas

    def _given(self, key: str) -> list[str]:
        return [value for value in self._raw.get(key, []) if value != ""]

    def _item(self, question: Question, number: int) -> Item:
        key = question.key
        item = Item(
            question=question,
            number=number,
            name=field_name(key),
            id=f"q-{key}",
            kind=question.kind,
            text=text_in(question.text, self.language),
            help=text_in(question.help, self.language),
            required=question.required,
            error=str(self.errors.get(key, "")),
        )
        given = self._given(key)
        kind = question.kind
        if kind == Question.Kind.SCALE:
            item.low_label = text_in(question.low_label, self.language)
            item.high_label = text_in(question.high_label, self.language)
            item.choices = [
                self._choice(item, str(value), str(value), given, self._scale_end(item, value))
                for value in range(11)
            ]
        elif kind == Question.Kind.AGREE:
            item.choices = [
                self._choice(item, str(value), str(label), given) for value, label in AGREE_LABELS
            ]
        elif kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            item.choices = [
                self._choice(item, option.value, text_in(option.label, self.language), given)
                for option in question.options.all()
            ]
        elif kind == Question.Kind.AREA:
            item.choices = [
                self._choice(item, area.slug, area.name, given) for area in self._areas_of_survey()
            ]
        else:
            item.value = given[0] if given else ""
            item.note = self._text_note()
        parent = self._by_pk.get(question.show_if_id) if question.show_if_id else None
        if parent is not None:
            self._condition(item, question, parent)
        return item

    def _text_note(self) -> str:
        limit = gettext("Up to %(max)s characters.") % {"max": self.text_max}
        if not self.to_ledger:
            return limit
        return " ".join(
            (
                limit,
                gettext(
                    "What you write also reaches the staff who answer what the community "
                    "tells us, and you will get a receipt code to follow their answer. Once "
                    "answered, it may be shown in public without anything that could identify "
                    "you; please leave out names and addresses."
                ),
            )
        )

    def _choice(
        self, item: Item, value: str, label: str, given: list[str], described: str = ""
    ) -> Choice:
        return Choice(
            value=value,
            label=label,
            id=f"{item.id}.{value}",
            checked=value in given,
            described=described,
        )

    def _scale_end(self, item: Item, value: int) -> str:
        if value == 0:
            return item.low_label
        if value == 10:
            return item.high_label
        return ""

    def _condition(self, item: Item, question: Question, parent: Question) -> None:
        values = [str(value) for value in question.show_if_values or []]
        number = self._numbers.get(parent.pk)
        labels = [f"“{label}”" for label in self._labels_of(parent, values)]
        if number is None or not labels:
            return
        item.condition = gettext("Answer only if you answered %(answers)s to question %(n)s.") % {
            "answers": get_text_list(labels, gettext("or")),
            "n": number,
        }
        item.show_if_name = field_name(parent.key)
        item.show_if_values = json.dumps(values)

    def _labels_of(self, parent: Question, values: list[str]) -> list[str]:
        """The answers `values` of `parent` in words, as the respondent saw them."""
        if parent.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            labels = {o.value: text_in(o.label, self.language) for o in parent.options.all()}
        elif parent.kind == Question.Kind.AGREE:
            labels = {str(value): str(label) for value, label in AGREE_LABELS}
        elif parent.kind == Question.Kind.AREA:
            labels = {area.slug: area.name for area in self._areas_of_survey()}
        else:
            labels = {}
        return [labels.get(value, value) for value in values]
