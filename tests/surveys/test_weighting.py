"""Weights for a period's responses: what is raked to, and the notes when it cannot be."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from roundtable.surveys import weighting
from roundtable.surveys.models import Characteristic, Question
from roundtable.surveys.weighting import Variable, WeightingPlan, period_weights, weigh
from tests.factories import (
    AreaFactory,
    PopulationMarginFactory,
    QuestionFactory,
    ReferencePopulationFactory,
    SurveyFactory,
)
from tests.surveys.census import answer, chicago_areas, chicago_population, demographics_survey

pytestmark = pytest.mark.django_db


def margins(population, area, characteristic, counts):
    for category, count in counts.items():
        PopulationMarginFactory.create(
            population=population,
            area=area,
            characteristic=characteristic,
            category=category,
            count=count,
        )


@pytest.fixture
def two_areas(agency):
    """North (600 adults) and South (400), with age bands, and a survey asking both."""
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    south = AreaFactory.create(agency=agency, name="South", slug="south")
    population = ReferencePopulationFactory.create(agency=agency)
    margins(population, north, "area", {"adults": 600})
    margins(population, south, "area", {"adults": 400})
    ages = {"18_34": 150, "35_49": 150, "50_64": 100, "65_plus": 100}
    margins(population, north, "age_band", {k: v * 1.2 for k, v in ages.items()})
    margins(population, south, "age_band", {k: v * 0.8 for k, v in ages.items()})
    survey = SurveyFactory.create(agency=agency)
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    QuestionFactory.create(
        survey=survey, key="age", kind=Question.Kind.SINGLE, characteristic="age_band"
    )
    return survey, north, south


def test_the_areas_are_weighted_to_their_adult_totals(two_areas):
    survey, north, south = two_areas
    responses = answer(survey, north, count=10, age="18_34") + answer(
        survey, south, count=30, age="18_34"
    )
    survey.weighting_variables = ["area"]

    weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")

    # North: 0.6 of 40 people from 10 respondents; South: 0.4 of 40 from 30.
    assert weights[:10] == pytest.approx([2.4] * 10)
    assert weights[10:] == pytest.approx([0.4 * 40 / 30] * 30)
    assert summary.variables == ["area"]
    assert summary.converged
    assert summary.respondents == 40
    # Kish: n Σw² / (Σw)² = 40 (10·2.4² + 30·(8/15)²) / 40²
    assert summary.design_effect == pytest.approx((10 * 2.4**2 + 30 * (8 / 15) ** 2) / 40)
    assert summary.effective_n == pytest.approx(40 / summary.design_effect)
    assert summary.notes == []


def test_nobody_in_a_group_drops_it_from_the_targets_with_a_note(two_areas):
    survey, north, _south = two_areas
    survey.weighting_variables = ["age_band"]
    responses = (
        answer(survey, north, count=10, age="18_34")
        + answer(survey, north, count=20, age="35_49")
        + answer(survey, north, count=10, age="50_64")
        + answer(survey, north, count=5)  # skipped the age question
    )

    weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")

    # Targets without 65+: 300, 300, 200 of 800 → 0.375, 0.375, 0.25 of the 40 who answered.
    assert weights[:10] == pytest.approx([1.5] * 10)
    assert weights[10:30] == pytest.approx([0.75] * 20)
    assert weights[30:40] == pytest.approx([1.0] * 10)
    assert weights[40:] == pytest.approx([1.0] * 5)  # left out of the age step (coded −1)
    assert summary.notes == [
        "Nobody aged 65 or older answered in March 2026: the weights cannot make up for them."
    ]


def test_a_variable_left_with_one_group_is_not_weighted_on(two_areas):
    survey, north, south = two_areas
    responses = answer(survey, north, count=12, age="35_49") + answer(
        survey, south, count=12, age="35_49"
    )

    weights, summary = period_weights(survey=survey, responses=responses, period="April 2026")

    assert summary.variables == ["area"]
    assert (
        "Age band is left out of the weighting in April 2026: only one of its groups answered."
        in summary.notes
    )
    assert weights[:12] == pytest.approx([0.6 * 24 / 12] * 12)


def test_without_a_reference_population_the_weights_are_all_one(agency):
    survey = SurveyFactory.create(agency=agency)
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    responses = answer(survey, AreaFactory.create(agency=agency), count=3)

    weights, summary = period_weights(survey=survey, responses=responses, period="May 2026")

    assert weights.tolist() == [1.0, 1.0, 1.0]
    assert summary.variables == []
    assert summary.design_effect == 1.0
    assert summary.notes == ["There is no reference population: the figures are not weighted."]


def test_income_and_tenure_are_household_counts_and_only_weighted_on_when_asked(agency):
    areas = chicago_areas(agency)
    chicago_population(agency)
    survey = SurveyFactory.create(agency=agency)
    demographics_survey(survey, income=True, tenure=True)
    responses = []
    for area, race, age, tenure in [
        ("austin", "black", "18_34", "rent"),
        ("austin", "hispanic", "65_plus", "own"),
        ("humboldt-park", "hispanic", "35_49", "rent"),
        ("lincoln-park", "white", "50_64", "own"),
        ("loop", "asian", "18_34", "rent"),
        ("loop", "white", "35_49", "other"),
        ("loop", "other", "65_plus", "own"),
        ("humboldt-park", "black", "50_64", "rent"),
        ("lincoln-park", "hispanic", "18_34", "own"),
    ]:
        responses += answer(survey, areas[area], race=race, age=age, tenure=tenure)

    _weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")
    assert summary.variables == ["area", "age_band", "race_ethnicity"]

    survey.weighting_variables = ["tenure"]
    weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")
    assert summary.variables == ["tenure"]
    # Households in the four areas; "other" has no census count, so it is coded missing
    # and keeps weight 1 while the 8 who rent or own share the other 8.
    owners = 13972 + 6673 + 14515 + 7423
    renters = 19489 + 11094 + 17505 + 13544
    tenures = [r.answers["tenure"] for r in responses]
    for weight, answered in zip(weights, tenures, strict=True):
        share = {"rent": renters, "own": owners}.get(answered)
        expected = share / (owners + renters) * 8 / 4 if share else 1.0
        assert weight == pytest.approx(expected)


def test_margins_not_counted_over_adults_are_noted(agency):
    # CMAP's race and ethnicity counts residents of all ages, tenure counts households:
    # both are raked to (tenure when named), and a note says whom they count.
    areas = chicago_areas(agency)
    chicago_population(agency)
    survey = SurveyFactory.create(agency=agency)
    demographics_survey(survey, tenure=True)
    responses = answer(survey, areas["austin"], race="black", age="18_34", tenure="rent")
    responses += answer(survey, areas["loop"], race="white", age="35_49", tenure="own")

    _weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")
    assert summary.variables == ["area", "age_band", "race_ethnicity"]
    assert (
        "Race or ethnicity is weighted to census counts of residents of all ages, children "
        "included: the respondents, adults, are matched to those shares." in summary.notes
    )
    assert not any("Age band" in note or "Area" in note for note in summary.notes)

    survey.weighting_variables = ["tenure"]
    _weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")
    assert summary.notes == [
        "Housing tenure is weighted to census counts of households, not residents: each "
        "respondent stands for their household."
    ]


def test_a_survey_of_one_area_is_weighted_to_that_area(agency):
    areas = chicago_areas(agency)
    chicago_population(agency)
    survey = SurveyFactory.create(agency=agency, area=areas["austin"])
    demographics_survey(survey, area=False)
    ages = ["18_34", "35_49", "50_64", "65_plus"]
    responses = [r for age in ages for r in answer(survey, areas["austin"], age=age)]

    weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")

    austin = [20020, 18532, 17146, 8406 + 4283 + 1767]
    assert summary.variables == ["age_band"]  # the race question went unanswered
    assert weights == pytest.approx([4 * count / sum(austin) for count in austin])


def test_a_cap_out_of_reach_gives_the_result_marked_not_converged(two_areas):
    survey, north, south = two_areas
    survey.weighting_variables = ["area"]
    survey.weight_cap = 1.2
    responses = answer(survey, north, count=10) + answer(survey, south, count=30)

    weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")

    assert not summary.converged
    assert weights.max() == pytest.approx(1.2)
    assert summary.max_margin_error > 0.01
    assert any(
        "did not settle" in note and "The cap on the weights (1.2 times the average)" in note
        for note in summary.notes
    )


@dataclass
class Sheet:
    area_id: int | None
    answers: dict[str, Any]


# 30 respondents and three variables whose census shares a cap of 2 only just allows: capped
# raking creeps towards them (6,512 rounds), 0.009 points away after 1,000.
CREEPING = (
    ("age_band", (182, 818), "111100011010000001101011011111"),
    ("race_ethnicity", (335, 370, 294), "120001021102222200102110102211"),
    ("tenure", (485, 515), "010100100001110010111000110000"),
)


def creeping_plan() -> tuple[WeightingPlan, list[Sheet]]:
    variables = tuple(
        Variable(name, name, tuple(str(i) for i in range(len(counts))),
                 tuple(str(i) for i in range(len(counts))), tuple(map(float, counts)))
        for name, counts, _codes in CREEPING
    )  # fmt: skip
    sheets = [
        Sheet(None, {name: codes[row] for name, _counts, codes in CREEPING}) for row in range(30)
    ]
    return WeightingPlan(variables, (), 2.0), sheets


def test_capped_weights_that_creep_towards_the_margins_get_the_rounds_to_reach_them():
    plan, sheets = creeping_plan()

    weights, summary = weigh(plan, sheets, period="March 2026")

    assert summary.converged and summary.iterations > weighting.WEIGHTING_ROUNDS
    assert summary.max_margin_error <= weighting.WEIGHTING_TOLERANCE
    assert weights.max() <= 2.0 + 1e-9
    assert summary.notes == []


def test_a_gap_too_small_to_show_is_not_reported_as_a_failure(monkeypatch):
    monkeypatch.setattr(weighting, "WEIGHTING_MORE_ROUNDS", 1500)
    plan, sheets = creeping_plan()

    _weights, summary = weigh(plan, sheets, period="March 2026")

    assert not summary.converged
    assert 0 < summary.max_margin_error <= weighting.IMMATERIAL_GAP
    assert summary.notes == [
        "The weights for March 2026 were still moving slightly after 1500 rounds, but every "
        "weighted group is within 0.05 points of its census share: too little to change the "
        "figures."
    ]


def test_a_named_variable_the_survey_does_not_ask_is_noted(two_areas):
    survey, north, _south = two_areas
    survey.weighting_variables = ["area", "race_ethnicity"]
    responses = answer(survey, north, count=3)

    _weights, summary = period_weights(survey=survey, responses=responses, period="June 2026")

    assert "Race or ethnicity is not weighted on: the survey does not ask it." in summary.notes
    assert "Nobody from South answered in June 2026" in summary.notes[1]


def test_the_area_question_counts_only_where_the_survey_is_not_of_one_area(agency):
    area = AreaFactory.create(agency=agency, name="Elsewhere", slug="elsewhere")
    chicago_areas(agency)
    chicago_population(agency)
    survey = SurveyFactory.create(agency=agency, area=area)
    demographics_survey(survey, area=False)
    responses = answer(survey, area, age="18_34") + answer(survey, area, age="65_plus")

    _weights, summary = period_weights(survey=survey, responses=responses, period="March 2026")

    assert summary.notes[0] == (
        "The reference population has no figures for Elsewhere: the survey is weighted to "
        "the whole jurisdiction's."
    )
    assert summary.variables == ["age_band"]
    assert Characteristic.AREA not in summary.variables
