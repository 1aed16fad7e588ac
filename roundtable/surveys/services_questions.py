"""Writes to a survey's questions and their options (the builder).

Keys and kinds are what stored answers hang on, so once people have answered,
a question's key and kind stay as they are, no question is deleted and no
answer option taken away: close the survey and duplicate it instead. Texts can
always be corrected. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.audit.services import audit_record, snapshot
from roundtable.surveys.models import Audience, Characteristic, Measure, Option, Question, Survey
from roundtable.surveys.texts import Texts, language_codes

QUESTION_FIELDS = [
    "position",
    "key",
    "kind",
    "text",
    "help",
    "low_label",
    "high_label",
    "required",
    "measure",
    "characteristic",
    "show_if",
    "show_if_values",
]
QUESTION_TEXTS = ("text", "help", "low_label", "high_label")
EDITABLE = frozenset(QUESTION_FIELDS) - {"position"}
KEY_MAX_LENGTH = 40
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)


def clean_texts(value: Any, name: str) -> Texts:
    """`{language: text}` with known languages only, stripped."""
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError({name: _("Give the text per language.")})
    known = set(language_codes())
    return {code: text.strip() for code, text in value.items() if code in known}


def unique_key(key: str, taken: set[str]) -> str:
    """`key`, or `key_2`, `key_3` … if taken (within the 40 characters of a key)."""
    if key not in taken:
        return key
    n = 2
    while True:
        suffix = f"_{n}"
        candidate = key[: KEY_MAX_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def check_internal_question(kind: str, characteristic: str) -> None:
    """An internal (staff wellness) survey asks nothing about who answers: in a
    small unit an age band and a district are enough to name someone."""
    if characteristic or kind == Question.Kind.AREA:
        raise ValidationError(
            _(
                "An internal survey asks nothing about who answers (no demographics, no area), "
                "so that no answer can be traced to one person."
            )
        )


def _answered(survey: Survey) -> bool:
    return survey.responses.exists()


def _clean_key(survey: Survey, key: str, question: Question | None) -> str:
    key = key.strip().lower()
    if len(key) > KEY_MAX_LENGTH:
        raise ValidationError(
            {"key": _("Keep the key to %(max)d characters.") % {"max": KEY_MAX_LENGTH}}
        )
    try:
        validate_slug(key)
    except ValidationError:
        raise ValidationError(
            {"key": _("A key is letters, digits, hyphens and underscores only.")}
        ) from None
    others = survey.questions.exclude(pk=question.pk) if question else survey.questions.all()
    if others.filter(key=key).exists():
        raise ValidationError({"key": _("Another question of this survey has this key.")})
    return key


def _clean_condition(survey: Survey, question: Question | None, parent: Any) -> Question | None:
    if parent is None:
        return None
    if not isinstance(parent, Question) or parent.survey_id != survey.pk:
        raise ValidationError({"show_if": _("A condition names a question of the same survey.")})
    ancestor: Question | None = parent
    seen: set[int] = set()
    while ancestor is not None and ancestor.pk not in seen:
        if question is not None and ancestor.pk == question.pk:
            raise ValidationError({"show_if": _("A question cannot depend on itself.")})
        seen.add(ancestor.pk)
        ancestor = ancestor.show_if
    if question is not None and parent.position > question.position:
        raise ValidationError({"show_if": _("A condition names a question that comes before.")})
    return parent


def _clean_fields(
    survey: Survey, question: Question | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"cannot set {', '.join(sorted(unknown))} on a question")
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name in QUESTION_TEXTS:
            cleaned[name] = clean_texts(value or {}, name)
        elif name == "kind":
            if value not in Question.Kind.values:
                raise ValidationError({"kind": _("Choose what kind of question it is.")})
            cleaned[name] = value
        elif name == "key":
            cleaned[name] = _clean_key(survey, value, question)
        elif name == "measure":
            if value not in Measure.values:
                raise ValidationError({"measure": _("Choose what the question measures.")})
            cleaned[name] = value
        elif name == "characteristic":
            if value not in Characteristic.values:
                raise ValidationError({"characteristic": _("Choose what the question describes.")})
            cleaned[name] = value
        elif name == "show_if":
            cleaned[name] = _clean_condition(survey, question, value)
        elif name == "show_if_values":
            cleaned[name] = [str(v).strip() for v in (value or []) if str(v).strip()]
        else:  # required
            cleaned[name] = bool(value)
    if "text" in cleaned and not any(cleaned["text"].values()):
        raise ValidationError({"text": _("Write the question.")})
    return cleaned


def _audit(actor: User, question: Question, action: str, before: dict[str, Any] | None) -> None:
    audit_record(
        actor=actor,
        agency=question.survey.agency,
        action=action,
        instance=question,
        before=before,
        after=snapshot(question, QUESTION_FIELDS) if question.pk else None,
    )


@transaction.atomic
def question_add(
    *, survey: Survey, actor: User, kind: str, text: Texts, key: str = "", **fields: Any
) -> Question:
    """A new question at the end of the survey. Without a key it gets `q<n>`."""
    if not key:
        taken = set(survey.questions.values_list("key", flat=True))
        key = unique_key(f"q{len(taken) + 1}", taken)
    cleaned = _clean_fields(survey, None, {**fields, "kind": kind, "text": text, "key": key})
    if survey.audience == Audience.INTERNAL:
        check_internal_question(cleaned["kind"], cleaned.get("characteristic", ""))
    last = survey.questions.aggregate(last=Max("position"))["last"]
    question = Question.objects.create(
        survey=survey, position=0 if last is None else last + 1, **cleaned
    )
    _audit(actor, question, "surveys.question.add", None)
    return question


@transaction.atomic
def question_update(*, question: Question, actor: User, **fields: Any) -> Question:
    """Change a question. Its key and kind are fixed once people have answered."""
    survey = question.survey
    cleaned = _clean_fields(survey, question, fields)
    changes_shape = any(
        name in cleaned and cleaned[name] != getattr(question, name) for name in ("key", "kind")
    )
    if changes_shape and _answered(survey):
        raise ValidationError(
            _(
                "People have answered already: the key and kind of a question stay as they are. "
                "Close the survey and duplicate it to change them."
            )
        )
    kind = cleaned.get("kind", question.kind)
    characteristic = cleaned.get("characteristic", question.characteristic)
    if survey.audience == Audience.INTERNAL:
        check_internal_question(kind, characteristic)
    before = snapshot(question, QUESTION_FIELDS)
    for name, value in cleaned.items():
        setattr(question, name, value)
    question.save()
    _audit(actor, question, "surveys.question.update", before)
    return question


def _renumber(survey: Survey, ordered: list[Question]) -> None:
    for position, question in enumerate(ordered):
        question.position = position
    Question.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def question_delete(*, question: Question, actor: User) -> None:
    """Remove a question not yet answered by anyone. Questions shown on its
    condition are then always shown."""
    survey = question.survey
    if _answered(survey):
        raise ValidationError(
            _(
                "People have answered already: close the survey and duplicate it to remove "
                "questions."
            )
        )
    before = snapshot(question, QUESTION_FIELDS)
    Question.objects.filter(show_if=question).update(show_if=None, show_if_values=[])
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="surveys.question.delete",
        instance=question,
        before=before,
    )
    question.delete()
    _renumber(survey, list(survey.questions.order_by("position", "pk")))


@transaction.atomic
def question_move(*, question: Question, actor: User, direction: int) -> None:
    """Move a question one place up (-1) or down (+1); a question stays after
    the one its condition names."""
    if direction not in (-1, 1):
        raise ValueError("direction is -1 (up) or +1 (down)")
    survey = question.survey
    ordered = list(survey.questions.order_by("position", "pk"))
    index = next(n for n, q in enumerate(ordered) if q.pk == question.pk)
    target = index + direction
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    places = {q.pk: n for n, q in enumerate(ordered)}
    for q in ordered:
        if q.show_if_id is not None and places.get(q.show_if_id, -1) > places[q.pk]:
            raise ValidationError(
                _("A question shown on a condition must come after the question it depends on.")
            )
    before = {"position": question.position}
    _renumber(survey, ordered)
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="surveys.question.move",
        instance=question,
        before=before,
        after={"position": places[question.pk]},
    )


@transaction.atomic
def options_set(
    *, question: Question, actor: User, options: Sequence[tuple[str, Texts]]
) -> list[Option]:
    """Replace a choice question's answers, in the order given. Once people
    have answered, answers can be added, reordered and relabelled, not removed."""
    if question.kind not in CHOICE_KINDS:
        raise ValidationError(_("Only a choice question has answers to choose from."))
    values: list[str] = []
    labels: list[Texts] = []
    for value, label in options:
        value = value.strip().lower()
        try:
            validate_slug(value)
        except ValidationError:
            raise ValidationError(
                {
                    "options": _(
                        "“%(value)s”: a value is letters, digits, hyphens and underscores."
                    )
                    % {"value": value}
                }
            ) from None
        if len(value) > KEY_MAX_LENGTH:
            raise ValidationError({"options": _("“%(value)s” is too long.") % {"value": value}})
        values.append(value)
        labels.append(clean_texts(label, "options"))
    if len(set(values)) != len(values):
        raise ValidationError({"options": _("Two answers have the same value.")})
    before = list(question.options.values_list("value", flat=True))
    removed = set(before) - set(values)
    if removed and _answered(question.survey):
        raise ValidationError(
            {
                "options": _("People have answered already: these answers stay: %(values)s.")
                % {"values": ", ".join(sorted(removed))}
            }
        )
    question.options.all().delete()
    created = Option.objects.bulk_create(
        Option(question=question, position=n, value=value, label=label)
        for n, (value, label) in enumerate(zip(values, labels, strict=True))
    )
    audit_record(
        actor=actor,
        agency=question.survey.agency,
        action="surveys.question.options",
        instance=question,
        before={"options": before},
        after={"options": values},
    )
    return created
