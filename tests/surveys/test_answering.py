"""The one validator of answers: types per kind, conditional display, required
only when shown, areas of the survey's own agency."""

from __future__ import annotations

import pytest

from roundtable.surveys.answering import (
    TEXT_MAX_LENGTH,
    area_choices,
    clean_answers,
    is_shown,
    questions_of,
)
from roundtable.surveys.models import Question, Survey
from tests.factories import (
    AreaFactory,
    OptionFactory,
    PopulationMarginFactory,
    QuestionFactory,
    ReferencePopulationFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

Kind = Question.Kind


@pytest.fixture
def survey(agency) -> Survey:
    """Every kind once; `why` shown when safety is 0–4, `why_more` when `why`'s
    answer says so and `seen` when "police" is among the things seen."""
    survey = SurveyFactory.create(agency=agency)
    safety = QuestionFactory.create(survey=survey, key="safety", kind=Kind.SCALE, required=True)
    QuestionFactory.create(survey=survey, key="respect", kind=Kind.AGREE)
    tenure = QuestionFactory.create(survey=survey, key="tenure", kind=Kind.SINGLE)
    for value in ("own", "rent"):
        OptionFactory.create(question=tenure, value=value)
    seen = QuestionFactory.create(survey=survey, key="seen", kind=Kind.MULTIPLE)
    for value in ("police", "patrols", "cameras"):
        OptionFactory.create(question=seen, value=value)
    why = QuestionFactory.create(
        survey=survey,
        key="why",
        kind=Kind.SINGLE,
        required=True,
        show_if=safety,
        show_if_values=["0", "1", "2", "3", "4"],
    )
    for value in ("dark", "other"):
        OptionFactory.create(question=why, value=value)
    QuestionFactory.create(
        survey=survey,
        key="why_more",
        kind=Kind.TEXT,
        required=True,
        show_if=why,
        show_if_values=["other"],
    )
    QuestionFactory.create(
        survey=survey, key="police_where", kind=Kind.TEXT, show_if=seen, show_if_values=["police"]
    )
    QuestionFactory.create(survey=survey, key="area", kind=Kind.AREA, characteristic="area")
    return survey


def _clean(survey, raw, language="en"):
    return clean_answers(survey=survey, questions=questions_of(survey), raw=raw, language=language)


def test_questions_come_in_order_and_conditions_are_read_without_queries(
    survey, django_assert_num_queries
):
    with django_assert_num_queries(2):
        questions = questions_of(survey)
    assert [q.key for q in questions][:3] == ["safety", "respect", "tenure"]
    with django_assert_num_queries(0):
        shown = [q.key for q in questions if is_shown(q, {"safety": 3, "why": "dark"})]
        assert [o.value for o in questions[2].options.all()] == ["own", "rent"]
    assert "why" in shown and "why_more" not in shown


def test_answers_are_typed_by_kind(survey, agency):
    area = AreaFactory.create(agency=agency, slug="harlow")
    cleaned = _clean(
        survey,
        {
            "safety": ["8"],
            "respect": ["5"],
            "tenure": ["rent"],
            "seen": ["patrols", "police", "patrols"],
            "police_where": ["  By the station.  "],
            "area": ["harlow"],
        },
    )
    assert cleaned.errors == {}
    assert cleaned.answers == {
        "safety": 8,
        "respect": 5,
        "tenure": "rent",
        "seen": ["patrols", "police"],
        "police_where": "By the station.",
        "area": "harlow",
    }
    assert cleaned.area == area


def test_typed_values_from_an_import_pass_the_same_checks(survey):
    cleaned = _clean(survey, {"safety": 10, "respect": 1, "seen": ["cameras"], "tenure": "own"})
    assert cleaned.errors == {}
    assert cleaned.answers == {"safety": 10, "respect": 1, "seen": ["cameras"], "tenure": "own"}


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("safety", ["11"], "0 to 10"),
        ("safety", ["-1"], "0 to 10"),
        ("safety", ["7.5"], "0 to 10"),
        ("safety", ["seven"], "0 to 10"),
        ("safety", ["3", "4"], "0 to 10"),
        ("respect", ["0"], "strongly disagree"),
        ("respect", ["6"], "strongly disagree"),
        ("tenure", ["castle"], "answers offered"),
        ("tenure", ["own", "rent"], "only one"),
        ("seen", ["police", "drones"], "answers offered"),
        ("area", ["atlantis"], "areas offered"),
        ("police_where", ["x" * (TEXT_MAX_LENGTH + 1)], "2000 characters"),
    ],
)
def test_wrong_answers_are_refused_with_a_message_naming_the_problem(survey, key, value, fragment):
    raw = {"safety": ["9"], key: value}
    if key == "police_where":
        raw["seen"] = ["police"]
    cleaned = _clean(survey, raw)
    assert fragment in cleaned.errors[key]
    assert key not in cleaned.answers


def test_an_area_of_another_agency_is_not_an_answer(survey, other_agency):
    AreaFactory.create(agency=other_agency, slug="campus")
    cleaned = _clean(survey, {"safety": ["5"], "area": ["campus"]})
    assert "area" in cleaned.errors and cleaned.area is None


def test_blank_answers_are_no_answers_and_required_questions_say_so(survey):
    cleaned = _clean(survey, {"safety": [""], "police_where": ["   "], "seen": []})
    assert cleaned.errors == {"safety": "Please answer this question."}
    assert cleaned.answers == {}


def test_a_hidden_question_is_not_required_and_its_answer_is_dropped(survey):
    cleaned = _clean(survey, {"safety": ["9"], "why_more": ["It is dark"], "police_where": ["x"]})
    assert cleaned.errors == {}
    assert cleaned.answers == {"safety": 9}


def test_a_shown_question_is_required_when_marked_so(survey):
    cleaned = _clean(survey, {"safety": ["2"]})
    assert cleaned.errors == {"why": "Please answer this question."}
    cleaned = _clean(survey, {"safety": ["2"], "why": ["other"]})
    assert cleaned.errors == {"why_more": "Please answer this question."}
    cleaned = _clean(survey, {"safety": ["2"], "why": ["other"], "why_more": ["No lights"]})
    assert cleaned.errors == {}
    assert cleaned.answers == {"safety": 2, "why": "other", "why_more": "No lights"}


def test_a_hidden_question_hides_the_questions_that_depend_on_it(survey):
    # `why` is answered "other" but hidden (safety 9): `why_more` hangs on it.
    cleaned = _clean(survey, {"safety": ["9"], "why": ["other"], "why_more": ["x"]})
    assert cleaned.errors == {} and cleaned.answers == {"safety": 9}
    questions = {q.key: q for q in questions_of(survey)}
    assert not is_shown(questions["why_more"], {"safety": 9, "why": "other"})
    assert is_shown(questions["why_more"], {"safety": 0, "why": "other"})


def test_a_condition_on_a_multiple_choice_is_met_by_any_of_its_values(survey):
    questions = {q.key: q for q in questions_of(survey)}
    assert is_shown(questions["police_where"], {"seen": ["cameras", "police"]})
    assert not is_shown(questions["police_where"], {"seen": ["cameras"]})
    assert not is_shown(questions["police_where"], {})


def test_an_error_on_the_condition_question_hides_its_dependents(survey):
    cleaned = _clean(survey, {"safety": ["12"], "why": ["castle"]})
    assert set(cleaned.errors) == {"safety"}


def test_the_area_question_offers_the_populations_areas_or_else_all(survey, agency):
    north, south = AreaFactory.create(agency=agency), AreaFactory.create(agency=agency)
    assert {a.pk for a in area_choices(survey)} == {north.pk, south.pk}
    population = ReferencePopulationFactory.create(agency=agency)
    PopulationMarginFactory.create(population=population, area=north)
    assert [a.pk for a in area_choices(survey)] == [north.pk]
