"""The built-in instruments: complete in English and Spanish, measuring what
results read, and copied into surveys that can open as they are."""

from __future__ import annotations

import pytest

from roundtable.surveys.categories import category_values
from roundtable.surveys.instruments import INSTRUMENTS, Instrument, InstrumentQuestion
from roundtable.surveys.models import Audience, Characteristic, Measure, Question
from roundtable.surveys.services import open_problems, survey_create

Kind = Question.Kind


def _texts(instrument: Instrument) -> list[dict[str, str]]:
    texts = [instrument.title, instrument.introduction]
    for question in instrument.questions:
        texts += [question.text, question.help or {}, question.low_label or {}]
        texts += [question.high_label or {}]
        texts += [label for _value, label in question.options]
    return [t for t in texts if t]


def _by_measure(instrument: Instrument, measure: str) -> list[InstrumentQuestion]:
    return [q for q in instrument.questions if q.measure == measure]


@pytest.mark.parametrize("key", sorted(INSTRUMENTS))
def test_every_text_of_every_instrument_is_in_english_and_spanish(key):
    instrument = INSTRUMENTS[key]
    for texts in _texts(instrument):
        assert texts["en"].strip() and texts["es"].strip(), texts
        assert texts["en"] != texts["es"] or texts["en"] in {"No"}, texts


@pytest.mark.parametrize("key", sorted(INSTRUMENTS))
def test_keys_are_unique_slugs_and_conditions_name_an_earlier_question(key):
    questions = INSTRUMENTS[key].questions
    keys = [q.key for q in questions]
    assert len(set(keys)) == len(keys)
    assert all(len(k) <= 40 and k.replace("_", "").isalnum() for k in keys)
    for n, question in enumerate(questions):
        if question.show_if:
            parent = next(q for q in questions[:n] if q.key == question.show_if)
            assert question.show_if_values
            assert all(isinstance(v, str) for v in question.show_if_values)
            if parent.options:
                assert set(question.show_if_values) <= {v for v, _label in parent.options}
        assert (question.kind in (Kind.SINGLE, Kind.MULTIPLE)) == bool(question.options)


def test_trust_and_safety_asks_the_sentiment_score_questions_on_0_to_10():
    instrument = INSTRUMENTS["trust_safety"]
    for measure in (Measure.SAFETY, Measure.TRUST_RESPECT, Measure.TRUST_LISTEN):
        (question,) = _by_measure(instrument, measure)
        assert question.kind == Kind.SCALE
        assert question.low_label and question.high_label
    (issue,) = _by_measure(instrument, Measure.TOP_ISSUE)
    assert issue.kind == Kind.TEXT
    assert "number one issue" in issue.text["en"]
    assert instrument.audience == Audience.PUBLIC


def test_procedural_justice_covers_each_dimension_and_obligation_on_agree_scales():
    instrument = INSTRUMENTS["procedural_justice"]
    for measure in (
        Measure.PJ_DIGNITY,
        Measure.PJ_VOICE,
        Measure.PJ_NEUTRALITY,
        Measure.PJ_MOTIVES,
        Measure.OBLIGATION,
    ):
        found = _by_measure(instrument, measure)
        assert found and all(q.kind == Kind.AGREE for q in found)
    follow_up = next(q for q in instrument.questions if q.show_if)
    assert follow_up.show_if == "pj_contact" and follow_up.show_if_values == ("yes",)


def test_satisfaction_after_contact_asks_what_to_improve_only_of_the_dissatisfied():
    instrument = INSTRUMENTS["contact_satisfaction"]
    assert instrument.audience == Audience.CONTACT
    (overall,) = _by_measure(instrument, Measure.SATISFACTION)
    assert overall.kind == Kind.SCALE and overall.required
    improve = next(q for q in instrument.questions if q.show_if == overall.key)
    assert improve.kind == Kind.TEXT
    assert improve.show_if_values == tuple(str(n) for n in range(7))


def test_the_wellness_pulse_is_internal_and_asks_nothing_about_who_answers():
    instrument = INSTRUMENTS["wellness_pulse"]
    assert instrument.audience == Audience.INTERNAL
    assert len(instrument.questions) >= 5
    for question in instrument.questions:
        assert question.measure == Measure.WELLNESS
        assert question.kind in (Kind.SCALE, Kind.AGREE)
        assert not question.characteristic


def test_demographics_are_optional_and_offer_the_census_categories():
    instrument = INSTRUMENTS["demographics"]
    characteristics = {q.characteristic for q in instrument.questions}
    assert characteristics == set(Characteristic.values) - {""}
    for question in instrument.questions:
        assert not question.required
        if question.kind == Kind.AREA:
            assert question.characteristic == Characteristic.AREA
        else:
            assert [v for v, _label in question.options] == category_values(question.characteristic)


@pytest.mark.parametrize(
    "keys",
    [
        ["trust_safety", "demographics"],
        ["procedural_justice"],
        ["contact_satisfaction", "demographics"],
        ["wellness_pulse"],
    ],
)
def test_a_survey_copied_from_instruments_can_open_as_it_is(agency, casey, keys):
    survey = survey_create(
        agency=agency, created_by=casey, title={"en": "Ours", "es": "Nuestra"}, instruments=keys
    )
    assert open_problems(survey) == []
    expected = [q.key for key in keys for q in INSTRUMENTS[key].questions]
    assert list(survey.questions.order_by("position").values_list("key", flat=True)) == expected
