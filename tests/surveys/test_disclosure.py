"""Counts under 10 never come back by subtraction: the disclosure rules, and attacks on the
published figures that try to recover a hidden count and must fail.

An attack here reads only what is published (the pages, the API: `survey_results`,
`representativeness` and the API's JSON give nothing more) and knows the rules: a count
shown stands for itself ± 2 (rounded to the nearest 5, and at least 10), a cell "fewer than
10" for 0 to 9, a withheld cell for 10 or more. `candidates` is every value a hidden small
cell can take given all that; recovering the cell means narrowing it to one value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from typing import Any

import pytest

from roundtable.surveys import disclosure
from roundtable.surveys.disclosure import shown_count, suppress_table
from roundtable.surveys.models import Characteristic, Measure, Question, Survey
from roundtable.surveys.selectors_representation import representativeness
from roundtable.surveys.selectors_results import survey_results
from tests.factories import (
    AreaFactory,
    OptionFactory,
    PopulationMarginFactory,
    QuestionFactory,
    ReferencePopulationFactory,
    SurveyFactory,
)
from tests.surveys.census import answer

EVERY_SMALL_COUNT = set(range(10))


def candidates(
    total: tuple[int, int], visible: Sequence[tuple[int, int]], few: int, withheld: int
) -> set[int]:
    """The values one "fewer than 10" cell of a table can take, for an attacker who knows the
    total and the visible cells within the given (low, high) bounds, that the `few` − 1 other
    small hidden cells hold 0 to 9 each and the `withheld` cells 10 or more each."""
    low = total[0] - sum(high for _low, high in visible)
    high = total[1] - sum(low for low, _high in visible)
    values = set()
    for value in range(10):
        rest_low = 10 * withheld
        rest_high = 9 * (few - 1) if withheld == 0 else 10**9
        if any(rest_low <= s - value <= rest_high for s in range(max(low, 0), high + 1)):
            values.add(value)
    return values


def published(count: int | None) -> tuple[int, int]:
    """What a published count tells: itself ± 2, and at least the minimum."""
    assert count is not None
    assert count % 5 == 0, "published counts are rounded to the nearest 5"
    return max(count - 2, 10), count + 2


def exactly(count: int) -> tuple[int, int]:
    return count, count


# ---------------------------------------------------------------- the rules themselves


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, None), (9, None), (10, 10), (12, 10), (13, 15), (74, 75), (78, 80), (1002, 1000)],
)
def test_counts_are_rounded_to_five_and_hidden_under_ten(count, shown):
    assert shown_count(count) == shown


def test_a_lone_small_cell_takes_the_smallest_other_with_it():
    table = suppress_table({"a": 3, "b": 20, "c": 25, "d": 30})
    assert table.hidden == {"a", "b"}
    assert [table.reason(k) for k in "abcd"] == ["few", "withheld", "", ""]
    assert [table.count(k) for k in "abcd"] == [None, None, 25, 30]


def test_cover_is_added_until_the_small_cell_could_be_anything_under_ten():
    # 1 + (10 − 10) + (11 − 10) = 2: two withheld cells of 10 and 11 would leave the small
    # one at 1 or 2 when the total is known; the next one brings the slack to 9 or more.
    table = suppress_table({"a": 1, "b": 10, "c": 11, "d": 40, "e": 90})
    assert table.hidden == {"a", "b", "c", "d"}


def test_two_small_cells_still_need_a_withheld_one():
    # 9 + 9 = 18 with a known total: each is 18 − the other ≥ 9, so exactly 9.
    assert suppress_table({"a": 9, "b": 9, "c": 50, "d": 60}).hidden == {"a", "b", "c"}


def test_empty_cells_neither_need_nor_give_cover():
    assert suppress_table({"a": 0, "b": 50, "c": 60}).hidden == {"a"}
    assert suppress_table({"a": 0, "b": 4, "c": 50, "d": 60}).hidden == {"a", "b", "c"}


def test_one_unreliable_figure_is_covered_by_another():
    table = suppress_table({"a": 12, "b": 40, "c": 45}, unreliable={"a"})
    assert table.hidden == {"a", "b"}
    assert (table.reason("a"), table.count("a")) == ("thin", 10)  # no small count to protect
    # Beside a small cell, the unreliable one's count would pin it: hidden too.
    table = suppress_table({"a": 20, "b": 4, "c": 45}, unreliable={"a"})
    assert table.hidden == {"a", "b"} and table.count("a") is None


def test_no_small_cell_is_ever_pinned_by_its_table_even_with_exact_counts():
    """Thousands of random tables: with the total and every visible count known exactly
    (rounding defeated), each hidden small cell could still be any of 0–9."""
    rng = random.Random(7)
    checked = 0
    for _ in range(3000):
        size = rng.randint(2, 6)
        counts = {
            f"g{i}": rng.choice([0, *range(1, 10), *range(10, 40), rng.randint(40, 200)])
            for i in range(size)
        }
        table = suppress_table(counts)
        few = [k for k in table.hidden if counts[k] < 10]
        if not any(counts[k] for k in few) or table.hidden == set(counts):
            continue  # nothing to protect, or every cell hidden: only the total is shown
        withheld = len(table.hidden) - len(few)
        visible = [exactly(n) for k, n in counts.items() if k not in table.hidden]
        assert candidates(exactly(sum(counts.values())), visible, len(few), withheld) == (
            EVERY_SMALL_COUNT
        ), counts
        checked += 1
    assert checked > 1000


# ---------------------------------------------------------------- attacks on the pages


def _age_survey(agency: Any) -> Survey:
    survey = SurveyFactory.create(agency=agency)
    QuestionFactory.create(
        survey=survey, key="safety", kind=Question.Kind.SCALE, measure=Measure.SAFETY
    )
    question = QuestionFactory.create(
        survey=survey, key="age", kind=Question.Kind.SINGLE, characteristic=Characteristic.AGE_BAND
    )
    for value in ("18_34", "35_49", "50_64", "65_plus"):
        OptionFactory.create(question=question, value=value)
    return survey


def _census(agency: Any, *areas: Any) -> None:
    population = ReferencePopulationFactory.create(agency=agency)
    for area in areas:
        for band in ("18_34", "35_49", "50_64", "65_plus"):
            PopulationMarginFactory.create(
                population=population, area=area, category=band, count=1000
            )
        PopulationMarginFactory.create(
            population=population, area=area, characteristic="area", category="adults", count=4000
        )


def _representation_fingerprint(found: Any) -> Any:
    return (
        found.respondents,
        found.score,
        found.score_bound,
        found.suggestions,
        [
            (
                t.label,
                t.area and t.area.pk,
                t.respondents,
                t.score,
                t.score_bound,
                [dataclasses.astuple(g) for g in t.groups],
            )
            for t in found.tables + found.pairs
        ],
    )


def _results_fingerprint(found: Any) -> Any:
    return (
        found.respondents,
        [
            (
                dataclasses.astuple(p.weighting),
                {k: dataclasses.astuple(e) for k, e in p.overall.items()},
                [(a.slug, {k: dataclasses.astuple(e) for k, e in f.items()}) for a, f in p.by_area],
            )
            for p in found.periods
        ],
        [
            [{k: dataclasses.astuple(e) for k, e in f.items()} for f in q.by_period]
            for q in found.question_results
        ],
    )


@pytest.mark.django_db
def test_a_participation_tables_total_minus_its_groups_gives_no_small_count(agency):
    # The reviewer's table: 3 aged 18–34 hidden, 20, 25 and 30 shown, total 78 shown.
    survey = _age_survey(agency)
    area = AreaFactory.create(agency=agency)
    _census(agency, area)
    for band, count in (("18_34", 3), ("35_49", 20), ("50_64", 25), ("65_plus", 30)):
        answer(survey, area, count=count, safety=5, age=band)

    (ages,) = representativeness(survey=survey).tables
    rows = {g.key[0]: g for g in ages.groups}

    assert (rows["18_34"].hidden, rows["35_49"].hidden) == ("few", "withheld")
    assert ages.respondents == 80
    shown = [published(g.respondents) for g in ages.groups if g.respondents is not None]
    assert candidates(published(ages.respondents), shown, few=1, withheld=1) == EVERY_SMALL_COUNT
    # Even knowing every count shown exactly (78, 25, 30): 23 for two groups, one of 10 or more.
    exact = [exactly(25), exactly(30)]
    assert candidates(exactly(78), exact, few=1, withheld=1) == EVERY_SMALL_COUNT
    # The score is over the groups shown (25 and 30 per 1,000), marked as an upper bound:
    # score × highest rate × population gives a shown count back, not the hidden one.
    assert ages.score is not None and ages.score == pytest.approx(25 / 30) and ages.score_bound
    assert ages.score * max(g.rate for g in ages.groups if g.rate) * 1000 == pytest.approx(25)
    # Shares and rates are the rounded counts' (no decimals to work the exact ones from).
    assert rows["50_64"].respondent_share == pytest.approx(25 / 80)
    assert rows["50_64"].rate == pytest.approx(25 / 1000)


@pytest.mark.django_db
def test_one_or_nine_in_the_hidden_group_publish_the_same_figures(agency):
    survey = _age_survey(agency)
    area = AreaFactory.create(agency=agency)
    _census(agency, area)
    seen = []
    for young, cover in ((1, 24), (9, 16)):
        survey.responses.all().delete()
        for band, count in (("18_34", young), ("35_49", cover), ("50_64", 25), ("65_plus", 30)):
            answer(survey, area, count=count, safety=5, age=band)
        seen.append(_representation_fingerprint(representativeness(survey=survey)))
    assert seen[0] == seen[1]


@pytest.mark.django_db
def test_an_areas_table_against_the_jurisdictions_gives_an_interval_not_the_count(agency):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    south = AreaFactory.create(agency=agency, name="South", slug="south")
    _census(agency, north, south)
    survey = _age_survey(agency)
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    for area, counts in ((north, (3, 20, 25, 30)), (south, (12, 30, 30, 30))):
        for band, count in zip(("18_34", "35_49", "50_64", "65_plus"), counts, strict=True):
            answer(survey, area, count=count, safety=5, age=band)

    found = representativeness(survey=survey)

    def young(area: Any) -> Any:
        table = next(
            t for t in found.tables if t.characteristics == ("age_band",) and t.area == area
        )
        return next(g for g in table.groups if g.key == ("18_34",))

    assert young(north).hidden == "few"
    # The jurisdiction's 15 (as 15) minus South's 12 (as 10): North's is somewhere in 1–7.
    values = candidates(published(young(None).respondents), [published(young(south).respondents)],
                        few=1, withheld=0)  # fmt: skip
    assert 3 in values and len(values) >= 5


@pytest.mark.django_db
def test_the_hidden_area_of_a_period_is_not_overall_minus_the_others(agency):
    # The reviewer's case: A 35 answers (safety 5), B 4 (safety 0), C 35 (safety 6).
    survey = _age_survey(agency)
    a, b, c = (AreaFactory.create(agency=agency, name=n, slug=n.lower()) for n in "ABC")
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    answer(survey, a, period=dt.date(2025, 1, 1), count=35, safety=5, age="18_34")
    answer(survey, c, period=dt.date(2025, 2, 1), count=35, safety=6, age="18_34")
    answer(survey, b, period=dt.date(2025, 3, 1), count=4, safety=0, age="18_34")

    period = survey_results(survey=survey, grouping="quarter").periods[0]
    overall = period.overall["safety"]
    areas = {area.slug: figures["safety"] for area, figures in period.by_area}

    assert areas["b"].reason == "few"
    assert {areas["a"].reason, areas["c"].reason} == {"", "withheld"}
    shown = [e for e in areas.values() if e.shown]
    assert (
        candidates(published(overall.respondents), [published(e.respondents) for e in shown], 1, 1)
        == EVERY_SMALL_COUNT
    )
    # The reviewer's recovery: n = overall − the areas shown; mean by the same difference.
    (other,) = shown
    assert overall.respondents and overall.value is not None
    assert other.respondents and other.value is not None
    n = overall.respondents - other.respondents
    mean = (overall.value * overall.respondents - other.value * other.respondents) / n
    assert n >= 10 and mean > 20  # two areas together, not B's 4 answers of 0


@pytest.mark.django_db
def test_one_or_nine_in_the_hidden_area_publish_the_same_figures(agency):
    survey = _age_survey(agency)
    a, b, c = (AreaFactory.create(agency=agency, name=n, slug=n.lower()) for n in "ABC")
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    seen = []
    for hidden, cover in ((1, 38), (9, 30)):
        survey.responses.all().delete()
        answer(survey, a, count=cover, safety=5, age="35_49")
        answer(survey, b, count=hidden, safety=5, age="35_49")
        answer(survey, c, count=50, safety=6, age="50_64")
        seen.append(_results_fingerprint(survey_results(survey=survey, grouping="month")))
    assert seen[0] == seen[1]


@pytest.mark.django_db
def test_a_month_is_not_its_quarter_minus_the_other_months(agency):
    # The reviewer's case: the quarter's 74, two months of 35 and "fewer than 10".
    survey = _age_survey(agency)
    area = AreaFactory.create(agency=agency)
    for month, count in ((1, 35), (2, 35), (3, 4)):
        answer(survey, area, period=dt.date(2025, month, 1), count=count, safety=5, age="18_34")

    quarter = survey_results(survey=survey, grouping="quarter").periods[0].weighting
    months = [p.weighting for p in survey_results(survey=survey, grouping="month").periods]

    assert quarter is not None and quarter.respondents == 75
    assert [m.respondents for m in months if m] == [35, 35, None]
    assert [m.effective_n for m in months if m] == [35, 35, None]  # the count, with weights of 1
    shown = [published(m.respondents) for m in months if m and m.respondents]
    assert candidates(published(quarter.respondents), shown, 1, 0) == EVERY_SMALL_COUNT
    # Nor does a mean's decimals give the quarter's exact count: every count the rounding
    # allows (73–77) has a sum of answers that rounds to the published mean.
    found = survey_results(survey=survey, grouping="quarter")
    mean = found.periods[0].overall["safety"]
    assert mean.value is not None and mean.value == round(mean.value)
    for n in range(73, 78):
        assert any(round(10 * k / n) == mean.value for k in range(0, 10 * n + 1))


@pytest.mark.django_db
def test_an_answer_share_does_not_give_a_small_count(agency):
    # The reviewer's case: 65 and over at 5.4 % of 74 is 4 people; 18–34's 94.6 % leaves 4.
    survey = _age_survey(agency)
    answer(survey, None, count=70, safety=5, age="18_34")
    answer(survey, None, count=4, safety=5, age="65_plus")

    (ages,) = [q for q in survey_results(survey=survey).question_results if q.key == "age"]
    shares = ages.by_period[0]

    assert (shares["65_plus"].reason, shares["18_34"].reason) == ("few", "withheld")
    assert not any(e.shown for e in shares.values())
    assert shares["18_34"].respondents == 75  # the question's answers, rounded


@pytest.mark.django_db
def test_a_multiple_choice_option_chosen_by_all_but_a_few_is_hidden(agency):
    survey = SurveyFactory.create(agency=agency)
    worries = QuestionFactory.create(survey=survey, key="worries", kind=Question.Kind.MULTIPLE)
    for value in ("traffic", "noise", "theft"):
        OptionFactory.create(question=worries, value=value)
    answer(survey, None, count=40, worries=["traffic", "noise"])
    answer(survey, None, count=3, worries=["traffic", "theft"])
    answer(survey, None, count=20, worries=["theft"])

    figures = survey_results(survey=survey).question_results[0].by_period[0]

    # Traffic: 43 of 63, noise 40, theft 23: every option and its complement 10 or more.
    assert all(e.shown for e in figures.values())
    survey.responses.filter(answers__worries=["theft"]).delete()
    figures = survey_results(survey=survey).question_results[0].by_period[0]
    # Now traffic is 43 of 43 (shown), noise 40 of 43 (3 did not choose it: hidden, "withheld",
    # as it has 10 or more), theft 3 (hidden, "few").
    assert figures["traffic"].shown and figures["traffic"].value == 100
    assert (figures["noise"].reason, figures["theft"].reason) == ("withheld", "few")


@pytest.mark.django_db
def test_the_api_publishes_only_rounded_counts_and_whole_figures(agency, cleo, client_for):
    survey = _age_survey(agency)
    a, b, c = (AreaFactory.create(agency=agency, name=n, slug=n.lower()) for n in "ABC")
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    for area, count, safety in ((a, 36, 5), (b, 4, 0), (c, 33, 7)):
        for n in range(count):
            answer(survey, area, count=1, safety=(safety + n % 3) % 11, age="18_34")

    url = f"/api/v1/agencies/{agency.slug}/surveys/{survey.pk}/results"
    data = client_for(cleo).get(url, {"grouping": "quarter"}).json()

    def figures(node: Any) -> list[dict[str, Any]]:
        found = []
        if isinstance(node, dict):
            if "reason" in node:
                found.append(node)
            for value in node.values():
                found += figures(value)
        elif isinstance(node, list):
            for value in node:
                found += figures(value)
        return found

    estimates = figures(data)
    assert estimates
    for estimate in estimates:
        for key in ("respondents", "effective_n"):
            assert estimate[key] is None or estimate[key] % 5 == 0, estimate
        for key in ("value", "moe"):
            assert estimate[key] is None or estimate[key] == int(estimate[key]), estimate
    period = data["periods"][0]
    assert period["weighting"]["respondents"] == 75  # 73
    by_area = {row["area"]: row["scores"]["safety"] for row in period["by_area"]}
    assert by_area["b"]["reason"] == "few"
    shown = [published(e["respondents"]) for e in by_area.values() if e["shown"]]
    withheld = sum(1 for e in by_area.values() if e["reason"] == "withheld")
    assert withheld == 1
    overall = published(period["scores"]["safety"]["respondents"])
    assert candidates(overall, shown, 1, withheld) == EVERY_SMALL_COUNT


def test_every_pair_of_exact_small_counts_with_cover_leaves_the_full_range():
    """Two small cells and one withheld, with the total known exactly: 0–9 for either."""
    for first, second in itertools.product(range(1, 10), repeat=2):
        counts = {"a": first, "b": second, "c": 10, "d": 100}
        table = suppress_table(counts)
        assert {"a", "b", "c"} <= table.hidden
        withheld = len(table.hidden) - 2
        visible = [exactly(n) for k, n in counts.items() if k not in table.hidden]
        assert candidates(exactly(sum(counts.values())), visible, 2, withheld) == EVERY_SMALL_COUNT


def test_the_minimum_is_the_setting(settings):
    settings.ROUNDTABLE_SURVEY_MIN_COUNT = 20
    assert disclosure.minimum() == 20 and shown_count(19) is None and shown_count(22) == 20
