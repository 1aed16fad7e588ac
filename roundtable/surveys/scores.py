"""Respondents' scores (0–100) from their answers, the way the field reports them.

Every scale is put on 0–100 first: a 0–10 answer ×10 (the Chicago Police
Sentiment Scores' convention, so the imported series and a survey's own sit
on one axis), an agree–disagree answer (1 strongly disagree … 5 strongly
agree) as (v − 1) / 4 × 100. A score is then the mean of its items' 0–100
values over the items the respondent answered:

- safety: the SAFETY item;
- trust: the TRUST_RESPECT and TRUST_LISTEN items (one of the two when the
  respondent answered only one);
- procedural_justice: the PJ_DIGNITY, PJ_VOICE, PJ_NEUTRALITY and PJ_MOTIVES items;
- legitimacy: the OBLIGATION item;
- satisfaction: the SATISFACTION item;
- wellness: the WELLNESS items.

A respondent who answered none of a score's items has no value for it (NaN in
the arrays), and weighted means skip them. Answers that are not on the
question's scale (a hand-edited import) count as unanswered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.surveys.models import Measure, Question

SCORES: tuple[tuple[str, Promise, tuple[str, ...]], ...] = (
    ("safety", _("Safety"), (Measure.SAFETY,)),
    ("trust", _("Trust"), (Measure.TRUST_RESPECT, Measure.TRUST_LISTEN)),
    (
        "procedural_justice",
        _("Procedural justice"),
        (Measure.PJ_DIGNITY, Measure.PJ_VOICE, Measure.PJ_NEUTRALITY, Measure.PJ_MOTIVES),
    ),
    ("legitimacy", _("Legitimacy"), (Measure.OBLIGATION,)),
    ("satisfaction", _("Satisfaction"), (Measure.SATISFACTION,)),
    ("wellness", _("Wellness"), (Measure.WELLNESS,)),
)
SCORED_KINDS = (Question.Kind.SCALE, Question.Kind.AGREE)


def item_value(kind: str, answer: Any) -> float | None:
    """One SCALE or AGREE answer on 0–100; None when absent or off the scale."""
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return None
    if isinstance(answer, float) and not answer.is_integer():
        return None
    if kind == Question.Kind.SCALE and 0 <= answer <= 10:
        return float(answer) * 10.0
    if kind == Question.Kind.AGREE and 1 <= answer <= 5:
        return (float(answer) - 1.0) / 4.0 * 100.0
    return None


def _score_items(questions: Sequence[Question]) -> dict[str, list[Question]]:
    by_measure: dict[str, list[Question]] = {}
    for question in questions:
        if question.kind in SCORED_KINDS and question.measure:
            by_measure.setdefault(question.measure, []).append(question)
    items: dict[str, list[Question]] = {}
    for key, _label, measures in SCORES:
        found = [q for measure in measures for q in by_measure.get(measure, [])]
        if found:
            items[key] = found
    return items


def score_keys(questions: Sequence[Question]) -> list[tuple[str, str]]:
    """(key, label) of every score the survey's questions make, in the field's order."""
    items = _score_items(questions)
    return [(key, str(label)) for key, label, _measures in SCORES if key in items]


def respondent_scores(
    answers: Mapping[str, Any], questions: Sequence[Question]
) -> dict[str, float | None]:
    """One respondent's scores, for every score the survey has (None: no item answered)."""
    out: dict[str, float | None] = {}
    for key, items in _score_items(questions).items():
        values = [item_value(q.kind, answers.get(q.key)) for q in items]
        answered = [v for v in values if v is not None]
        out[key] = sum(answered) / len(answered) if answered else None
    return out


def item_arrays(
    answer_sets: Sequence[Mapping[str, Any]], questions: Sequence[Question]
) -> dict[str, np.ndarray]:
    """Every SCALE and AGREE question's answers on 0–100, by key; NaN where unanswered."""
    return {
        question.key: question_values(answer_sets, question)
        for question in questions
        if question.kind in SCORED_KINDS
    }


def score_arrays(
    answer_sets: Sequence[Mapping[str, Any]],
    questions: Sequence[Question],
    items: Mapping[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Each score for every respondent as a float array, NaN where there is none.

    `items` (from `item_arrays`) saves reading the answers twice."""
    items = item_arrays(answer_sets, questions) if items is None else items
    arrays = {}
    for key, found in _score_items(questions).items():
        stacked = np.vstack([items[q.key] for q in found])
        answered = (~np.isnan(stacked)).sum(axis=0)
        total = np.nansum(stacked, axis=0)
        arrays[key] = np.divide(
            total, answered, out=np.full(len(answer_sets), np.nan), where=answered > 0
        )
    return arrays


def question_values(answer_sets: Sequence[Mapping[str, Any]], question: Question) -> np.ndarray:
    """A SCALE or AGREE question's answers on 0–100 for every respondent, NaN if unanswered."""
    out = np.full(len(answer_sets), np.nan)
    key, kind = question.key, question.kind
    for row, answers in enumerate(answer_sets):
        value = item_value(kind, answers.get(key))
        if value is not None:
            out[row] = value
    return out
