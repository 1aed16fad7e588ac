"""Which participation gaps become outreach suggestions, and in what order (hand-made tables:
the counts that make them come from `selectors_representation`, tested beside it)."""

from __future__ import annotations

from roundtable.agencies.models import Area
from roundtable.surveys.selectors_representation import GroupRow, Table
from roundtable.surveys.suggestions import suggestions

AUSTIN = Area(pk=1, name="Austin")
LOOP = Area(pk=2, name="Loop")


def row(key: tuple[str, ...], population: float, respondents: int, rate: float) -> GroupRow:
    """A group of a table whose overall rate is `rate` respondents per resident."""
    return GroupRow(
        key=key,
        label="",
        population=population,
        population_share=0.3,
        respondents=respondents,
        respondent_share=None,
        rate=respondents / population,
        relative=respondents / population / rate,
        expected=population * rate,
    )


def table(characteristics: tuple[str, ...], area: Area | None, *groups: GroupRow) -> Table:
    return Table(characteristics, "", area, "adults", False, None, list(groups), None)


def test_a_subgroup_at_about_its_groups_rate_is_left_to_the_group():
    # 18 to 34 in Austin: 40 of 100 expected. Black residents aged 18 to 34: 12 of 32, about
    # the same rate and a third of the missing answers: the broader sentence says it.
    found = suggestions(
        [
            table(("age_band",), AUSTIN, row(("18_34",), 1000, 40, 0.1)),
            table(("age_band", "race_ethnicity"), AUSTIN, row(("18_34", "black"), 320, 12, 0.1)),
        ]
    )

    assert found == [
        "Residents aged 18 to 34 in Austin are 40% as likely to have answered as residents of "
        "Austin overall."
    ]


def test_a_subgroup_with_most_of_the_missing_answers_replaces_its_group():
    # Hispanic residents aged 18 to 34: 15 of 70 expected, 55 of the group's 60 missing.
    found = suggestions(
        [
            table(("age_band",), AUSTIN, row(("18_34",), 1000, 40, 0.1)),
            table(("age_band", "race_ethnicity"), AUSTIN, row(("18_34", "hispanic"), 700, 15, 0.1)),
        ]
    )

    assert found == [
        "Hispanic or Latino residents aged 18 to 34 in Austin are 21% as likely to have "
        "answered as residents of Austin overall."
    ]


def test_a_much_lower_subgroup_with_part_of_the_gap_is_listed_beside_its_group():
    # 10 of 45 expected (22 %, where the group is at 40 %), 35 of the 60 missing: both tell
    # something, the group that the rest of it answered little too (30 of 55).
    found = suggestions(
        [
            table(("age_band",), AUSTIN, row(("18_34",), 1000, 40, 0.1)),
            table(("age_band", "race_ethnicity"), AUSTIN, row(("18_34", "hispanic"), 450, 10, 0.1)),
        ]
    )

    assert found == [
        "Residents aged 18 to 34 in Austin are 40% as likely to have answered as residents of "
        "Austin overall.",
        "Hispanic or Latino residents aged 18 to 34 in Austin are a quarter as likely to have "
        "answered as residents of Austin overall.",
    ]


def test_groups_of_an_area_come_first_and_explain_the_jurisdictions():
    found = suggestions(
        [
            # Jurisdiction-wide: 18 to 34 miss 90 answers, 60 of them in Austin and 25 in the
            # Loop (the two areas' groups do not overlap); renters miss 200, none of them listed.
            table(("age_band",), None, row(("18_34",), 2000, 110, 0.1)),
            table(("tenure",), None, row(("rent",), 4000, 200, 0.1)),
            table(("age_band",), AUSTIN, row(("18_34",), 1000, 40, 0.1)),
            table(("age_band",), LOOP, row(("18_34",), 500, 25, 0.1)),
        ]
    )

    assert found == [
        "Residents aged 18 to 34 in Austin are 40% as likely to have answered as residents of "
        "Austin overall.",
        "Residents aged 18 to 34 in Loop are half as likely to have answered as residents of "
        "Loop overall.",
        "Residents who rent their home are half as likely to have answered as residents overall.",
    ]


def test_groups_above_the_gap_and_estimated_pairs_get_no_sentence():
    estimated = table(("age_band", "tenure"), AUSTIN, row(("18_34", "own"), 1000, 20, 0.1))
    estimated.estimated = True  # young homeowners, guessed as if age and tenure were unrelated

    found = suggestions([table(("age_band",), AUSTIN, row(("18_34",), 1000, 61, 0.1)), estimated])

    assert found == []
