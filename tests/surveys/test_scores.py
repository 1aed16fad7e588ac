"""Respondents' 0–100 scores from their answers."""

from __future__ import annotations

import math

import pytest

from roundtable.surveys.models import Measure, Question
from roundtable.surveys.scores import (
    item_value,
    question_values,
    respondent_scores,
    score_arrays,
    score_keys,
)

SCALE, AGREE = Question.Kind.SCALE, Question.Kind.AGREE


def q(key: str, kind: str, measure: str) -> Question:
    return Question(key=key, kind=kind, measure=measure)


FIELD_SURVEY = [
    q("safety", SCALE, Measure.SAFETY),
    q("respect", SCALE, Measure.TRUST_RESPECT),
    q("listen", SCALE, Measure.TRUST_LISTEN),
    q("dignity", AGREE, Measure.PJ_DIGNITY),
    q("voice", AGREE, Measure.PJ_VOICE),
    q("neutral", AGREE, Measure.PJ_NEUTRALITY),
    q("motives", AGREE, Measure.PJ_MOTIVES),
    q("obey", AGREE, Measure.OBLIGATION),
    q("top_issue", Question.Kind.TEXT, Measure.TOP_ISSUE),
]


@pytest.mark.parametrize(
    ("kind", "answer", "value"),
    [
        (SCALE, 0, 0.0),
        (SCALE, 7, 70.0),
        (SCALE, 10, 100.0),
        (AGREE, 1, 0.0),  # strongly disagree
        (AGREE, 3, 50.0),
        (AGREE, 4, 75.0),
        (AGREE, 5, 100.0),
        (SCALE, 11, None),
        (AGREE, 0, None),
        (SCALE, True, None),
        (SCALE, "7", None),
        (SCALE, 6.5, None),
        (SCALE, None, None),
    ],
)
def test_every_answer_goes_on_0_to_100(kind, answer, value):
    assert item_value(kind, answer) == value


def test_a_respondent_who_answered_everything():
    answers = {
        "safety": 6,
        "respect": 8,
        "listen": 5,
        "dignity": 5,
        "voice": 4,
        "neutral": 3,
        "motives": 2,
        "obey": 4,
        "top_issue": "Speeding on Chicago Avenue",
    }

    assert respondent_scores(answers, FIELD_SURVEY) == {
        "safety": 60.0,
        "trust": 65.0,  # (80 + 50) / 2
        "procedural_justice": 62.5,  # (100 + 75 + 50 + 25) / 4
        "legitimacy": 75.0,
    }


def test_trust_from_one_of_its_two_items_is_that_one():
    assert respondent_scores({"listen": 3}, FIELD_SURVEY)["trust"] == 30.0
    assert respondent_scores({"respect": 9}, FIELD_SURVEY)["trust"] == 90.0


def test_a_score_with_no_item_answered_has_no_value():
    scores = respondent_scores({"safety": 4}, FIELD_SURVEY)

    assert scores["safety"] == 40.0
    assert scores["trust"] is None
    assert scores["procedural_justice"] is None


def test_satisfaction_and_wellness_take_either_scale():
    questions = [
        q("satisfied", AGREE, Measure.SATISFACTION),
        q("rested", SCALE, Measure.WELLNESS),
        q("supported", AGREE, Measure.WELLNESS),
    ]

    scores = respondent_scores({"satisfied": 2, "rested": 4, "supported": 5}, questions)

    assert scores == {"satisfaction": 25.0, "wellness": 70.0}  # (40 + 100) / 2


def test_the_survey_has_the_scores_its_questions_make_in_the_fields_order():
    assert [key for key, _label in score_keys(FIELD_SURVEY)] == [
        "safety",
        "trust",
        "procedural_justice",
        "legitimacy",
    ]
    assert score_keys([q("satisfied", SCALE, Measure.SATISFACTION)]) == [
        ("satisfaction", "Satisfaction")
    ]
    # A free-text or choice question never makes a score, whatever it measures.
    assert score_keys([q("top", Question.Kind.TEXT, Measure.SAFETY)]) == []


def test_arrays_have_nan_where_a_respondent_has_no_value():
    arrays = score_arrays([{"safety": 2}, {"listen": 10}, {}], FIELD_SURVEY)

    assert arrays["safety"][0] == 20.0
    assert math.isnan(arrays["safety"][1])
    assert arrays["trust"][1] == 100.0
    assert math.isnan(arrays["trust"][2])
    values = question_values([{"dignity": 2}, {"dignity": 9}], FIELD_SURVEY[3])
    assert values[0] == 25.0
    assert math.isnan(values[1])  # 9 is off the agree scale
