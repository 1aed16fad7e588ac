"""Whom the respondents represent: participation per group against the census, and the gaps
as sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable.surveys.models import Audience
from roundtable.surveys.selectors_representation import representativeness
from roundtable.surveys.services_population import population_import
from roundtable.surveys.suggestions import group_phrase, ratio_words
from tests.factories import SurveyFactory
from tests.surveys.census import answer, chicago_areas, chicago_population, demographics_survey

pytestmark = pytest.mark.django_db

# Austin has the cross-tabulation; Humboldt Park only the two margins (race counted in
# people of all ages), so its pairs are estimated as if age and race were independent.
HAND = """area,characteristic,category,count,universe
Austin,age_band,18_34,400,
Austin,age_band,35_49,600,
Austin,race_ethnicity,hispanic,500,people
Austin,race_ethnicity,black,500,people
Austin,race_ethnicity+age_band,hispanic+18_34,300,
Austin,race_ethnicity+age_band,hispanic+35_49,200,
Austin,race_ethnicity+age_band,black+18_34,100,
Austin,race_ethnicity+age_band,black+35_49,400,
Humboldt Park,age_band,18_34,400,
Humboldt Park,age_band,35_49,600,
Humboldt Park,race_ethnicity,hispanic,800,people
Humboldt Park,race_ethnicity,black,200,people
"""


def table(found, characteristics, area=None):
    tables = found.tables + found.pairs
    return next(
        t
        for t in tables
        if t.characteristics == characteristics and (t.area.slug if t.area else None) == area
    )


def groups(found_table):
    return {g.key: g for g in found_table.groups}


@pytest.fixture
def chicago_survey(agency):
    areas = chicago_areas(agency)
    chicago_population(agency)
    survey = SurveyFactory.create(agency=agency)
    demographics_survey(survey)
    return survey, areas


def test_participation_per_age_band_in_an_area_against_the_census(chicago_survey):
    survey, areas = chicago_survey
    austin = areas["austin"]
    answer(survey, austin, count=10, age="18_34", race="black")
    answer(survey, austin, count=30, age="35_49", race="black")
    answer(survey, austin, count=30, age="50_64", race="black")
    answer(survey, austin, count=30, age="65_plus", race="black")

    found = representativeness(survey=survey)

    ages = table(found, ("age_band",), "austin")
    assert ages.universe == "adults"
    assert ages.respondents == 100
    by_age = groups(ages)
    adults = 20020 + 18532 + 17146 + 14456
    young = by_age[("18_34",)]
    assert young.label == "18 to 34"
    assert young.population == 20020
    assert young.population_share == pytest.approx(20020 / adults)
    assert young.respondents == 10
    assert young.respondent_share == pytest.approx(0.1)
    assert young.rate == pytest.approx(10 / 20020)
    assert young.relative == pytest.approx((10 / 20020) / (100 / adults))
    assert young.expected == pytest.approx(20020 * 100 / adults)
    # Lowest rate (18–34) ÷ highest (65 and over).
    assert ages.score == pytest.approx((10 / 20020) / (30 / 14456))
    assert (
        "Residents aged 18 to 34 in Austin are a third as likely to have answered as "
        "residents of Austin overall." in found.suggestions
    )


def test_groups_under_ten_respondents_show_fewer_than_ten(chicago_survey):
    survey, areas = chicago_survey
    austin = areas["austin"]
    answer(survey, austin, count=4, age="18_34", race="black")
    answer(survey, austin, count=60, age="35_49", race="black")

    found = representativeness(survey=survey)

    ages = groups(table(found, ("age_band",), "austin"))
    young = ages[("18_34",)]
    assert (young.respondents, young.respondent_share, young.rate, young.relative) == (
        None,
        None,
        None,
        None,
    )
    assert young.hidden == "few"
    # The table's total is shown (64, as 65): 35 to 49 would leave 18 to 34 as the rest.
    assert (ages[("35_49",)].respondents, ages[("35_49",)].hidden) == (None, "withheld")
    assert young.expected == pytest.approx(20020 * 65 / 70154)
    # Even 9 answers of 18 expected would be half the rate: a gap, named without the count.
    assert (
        "Fewer than 10 residents aged 18 to 34 in Austin have answered, where about 19 would "
        "have at the rate of residents of Austin overall." in found.suggestions
    )
    assert table(found, ("age_band",), "loop").respondents is None
    assert found.respondents == 65


def test_a_hidden_group_that_may_have_answered_nearly_as_often_gets_no_sentence(chicago_survey):
    survey, areas = chicago_survey
    austin = areas["austin"]
    # About 13 expected of 18 to 34: fewer than 10 could be 9, 70 % of the rate.
    answer(survey, austin, count=4, age="18_34", race="black")
    answer(survey, austin, count=40, age="35_49", race="black")

    found = representativeness(survey=survey)

    assert not any("aged 18 to 34 in Austin" in s for s in found.suggestions)


def test_tiny_groups_and_groups_too_small_to_expect_ten_answers_get_no_sentence(agency):
    areas = chicago_areas(agency)
    chicago_population(agency)
    austin = areas["austin"]
    survey = SurveyFactory.create(agency=agency, area=austin)
    demographics_survey(survey, area=False)
    # Ages as in Austin's census, every respondent Black (76 % of Austin's residents).
    for age, count in (("18_34", 29), ("35_49", 26), ("50_64", 24), ("65_plus", 21)):
        answer(survey, austin, count=count, age=age, race="black")

    found = representativeness(survey=survey)

    race = groups(table(found, ("race_ethnicity",), "austin"))
    assert race[("asian",)].population_share < 0.02
    assert found.suggestions == [
        # 17 % of Austin: 17 answers expected. White residents are 5 % of Austin but only 5
        # answers would be expected; Asian residents are 0.3 %.
        "Fewer than 10 Hispanic or Latino residents in Austin have answered, where about 17 "
        "would have at the rate of residents of Austin overall."
    ]
    assert any("all ages" in note for note in found.notes)  # race counts people of all ages


def test_pairs_use_the_cross_tabulation_or_else_independence(agency):
    areas = chicago_areas(agency)
    population_import(agency=agency, actor=None, name="Hand", source="", text=HAND)
    survey = SurveyFactory.create(agency=agency)
    demographics_survey(survey)
    austin = areas["austin"]
    answer(survey, austin, count=10, age="18_34", race="hispanic")
    answer(survey, austin, count=20, age="35_49", race="hispanic")
    answer(survey, austin, count=20, age="18_34", race="black")
    answer(survey, austin, count=50, age="35_49", race="black")

    found = representativeness(survey=survey)

    crossed = table(found, ("age_band", "race_ethnicity"), "austin")
    assert not crossed.estimated
    assert {key: g.population for key, g in groups(crossed).items()} == {
        ("18_34", "hispanic"): 300,
        ("35_49", "hispanic"): 200,
        ("18_34", "black"): 100,
        ("35_49", "black"): 400,
    }
    young_hispanic = groups(crossed)[("18_34", "hispanic")]
    assert young_hispanic.label == "18 to 34, Hispanic or Latino"
    assert young_hispanic.relative == pytest.approx((10 / 300) / (100 / 1000))
    assert crossed.score == pytest.approx((10 / 300) / (20 / 100))

    estimated = table(found, ("age_band", "race_ethnicity"), "humboldt-park")
    assert estimated.estimated
    assert estimated.universe == "adults"
    assert {key: g.population for key, g in groups(estimated).items()} == pytest.approx(
        {
            ("18_34", "hispanic"): 400 * 0.8,
            ("35_49", "hispanic"): 600 * 0.8,
            ("18_34", "black"): 400 * 0.2,
            ("35_49", "black"): 600 * 0.2,
        }
    )

    assert found.suggestions == [
        # Groups of an area first. 20 answers missing of Hispanic residents in Austin (60 % of
        # the rate), all of them aged 18 to 34 (a third): the younger group says it better.
        "Hispanic or Latino residents aged 18 to 34 in Austin are a third as likely to have "
        "answered as residents of Austin overall.",
        # Humboldt Park: 50 expected at the jurisdiction's rate, none received.
        "Fewer than 10 residents of Humboldt Park have answered, where about 50 would have "
        "at the rate of residents overall.",
        # 1,300 of 2,000: 65 expected, 30 received; Austin's young account for 20 of the 35.
        "Hispanic or Latino residents are half as likely to have answered as residents overall.",
    ]
    # The survey's score: the lowest of the jurisdiction-wide tables' over the groups shown,
    # race's (Hispanic 30 of 1,300, Black 70 of 700); an upper bound, since the area table
    # hides areas with fewer than 10 respondents (none, here), whose rate may be lower.
    assert found.score == pytest.approx((30 / 1300) / (70 / 700))
    assert found.score_bound
    assert table(found, ("area",)).score is None  # one area shown beside hidden ones


def test_the_area_table_compares_the_areas_adult_totals(chicago_survey):
    survey, areas = chicago_survey
    answer(survey, areas["austin"], count=20, age="35_49")
    answer(survey, areas["loop"], count=20, age="35_49")

    found = representativeness(survey=survey)

    by_area = {g.label: g for g in table(found, ("area",)).groups}
    assert set(by_area) == {"Austin", "Humboldt Park", "Lincoln Park", "Loop"}
    assert by_area["Loop"].population == 18419 + 8080 + 4386 + 2916 + 953 + 307
    assert by_area["Loop"].respondents == 20
    assert by_area["Humboldt Park"].respondents is None


def test_a_period_window_counts_only_its_months(chicago_survey):
    survey, areas = chicago_survey
    answer(survey, areas["austin"], period=dt.date(2026, 1, 1), count=12, age="35_49")
    answer(survey, areas["austin"], period=dt.date(2026, 4, 1), count=30, age="18_34")

    found = representativeness(survey=survey, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))

    assert found.respondents == 10  # 12, rounded to the nearest 5
    ages = groups(table(found, ("age_band",), "austin"))
    assert ages[("35_49",)].respondents == 10
    assert ages[("18_34",)].respondents is None


def test_a_survey_of_one_area_names_it(agency):
    areas = chicago_areas(agency)
    chicago_population(agency)
    survey = SurveyFactory.create(agency=agency, area=areas["loop"])
    demographics_survey(survey, area=False)
    answer(survey, areas["loop"], count=10, age="18_34")
    answer(survey, areas["loop"], count=60, age="35_49")

    found = representativeness(survey=survey)

    assert [t.area for t in found.tables] == [areas["loop"], areas["loop"]]
    assert any(s.endswith("as residents of Loop overall.") for s in found.suggestions)


def test_without_a_population_there_is_nothing_to_compare(agency):
    survey = SurveyFactory.create(agency=agency)
    demographics_survey(survey)

    found = representativeness(survey=survey)

    assert (found.tables, found.pairs, found.suggestions, found.score) == ([], [], [], None)
    assert found.notes == ["There is no reference population to compare the respondents with."]


def test_an_internal_survey_is_not_compared_with_the_census(chicago_survey):
    survey, areas = chicago_survey
    survey.audience = Audience.INTERNAL
    answer(survey, areas["austin"], count=40, age="35_49", race="black")

    found = representativeness(survey=survey)

    assert (found.tables, found.pairs, found.suggestions, found.respondents) == ([], [], [], None)


def test_the_number_of_queries_is_fixed(chicago_survey, django_assert_max_num_queries):
    survey, areas = chicago_survey
    for area in areas.values():
        answer(survey, area, count=5, age="50_64", race="white")

    with django_assert_max_num_queries(6):
        representativeness(survey=survey)


@pytest.mark.parametrize(
    ("relative", "words"),
    [(0.5, "half"), (0.46, "half"), (0.34, "a third"), (0.26, "a quarter"), (0.4, "40%")],
)
def test_ratios_in_words(relative, words):
    assert ratio_words(relative) == words


def test_groups_in_words():
    assert (
        group_phrase(("age_band", "race_ethnicity"), ("18_34", "hispanic"), "")
        == "Hispanic or Latino residents aged 18 to 34"
    )
    assert group_phrase(("tenure",), ("rent",), "") == "residents who rent their home"
    assert (
        group_phrase(("gender", "income_band"), ("woman", "lt_25k"), "")
        == "women with a household income under $25,000"
    )
    assert group_phrase(("age_band",), ("99_plus",), "99+") == "residents in the group 99+"
