"""Reference populations from the real CMAP community-area profiles and the long layout."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.surveys.models import PopulationMargin
from roundtable.surveys.services_population import (
    area_key,
    population_import,
    population_margins,
)
from tests.factories import AreaFactory
from tests.surveys.census import census_text, chicago_areas, chicago_population

pytestmark = pytest.mark.django_db

LONG = """area,characteristic,category,count,universe
Austin,age_band,18_34,100,
Austin,age_band,65_plus,50,
Austin,tenure,rent,70,
Austin,race_ethnicity+age_band,hispanic+18_34,30,adults
Humboldt Park,area,adults,400,
Humboldt Park,race_ethnicity,black,90,people
Atlantis,age_band,18_34,5,
"""


def test_it_reads_the_cmap_profile_of_the_matched_community_areas(agency, casey):
    areas = chicago_areas(agency)

    population = chicago_population(agency, casey)

    austin = areas["austin"].pk
    ages = population_margins(population, "age_band")
    assert ages[(austin, "18_34")] == 20020  # A20_34: 18- and 19-year-olds are in A5_19
    assert ages[(austin, "35_49")] == 18532
    assert ages[(austin, "50_64")] == 17146
    assert ages[(austin, "65_plus")] == 8406 + 4283 + 1767  # A65_74 + A75_84 + OV85
    assert population_margins(population, "area") == {
        (austin, "adults"): 20020 + 18532 + 17146 + 8406 + 4283 + 1767,
        (areas["humboldt-park"].pk, "adults"): 13199 + 10862 + 9094 + 3068 + 1405 + 623,
        (areas["lincoln-park"].pk, "adults"): 29869 + 11292 + 9326 + 4059 + 1731 + 634,
        (areas["loop"].pk, "adults"): 18419 + 8080 + 4386 + 2916 + 953 + 307,
    }
    race = population_margins(population, "race_ethnicity")
    assert race[(austin, "hispanic")] == 16210
    assert race[(austin, "black")] == 71951
    assert population_margins(population, "income_band")[(austin, "lt_25k")] == 12476
    assert population_margins(population, "income_band")[(austin, "gt_150k")] == 1788
    assert population_margins(population, "tenure") == {
        (austin, "own"): 13972,
        (austin, "rent"): 19489,
        (areas["humboldt-park"].pk, "own"): 6673,
        (areas["humboldt-park"].pk, "rent"): 11094,
        (areas["lincoln-park"].pk, "own"): 14515,
        (areas["lincoln-park"].pk, "rent"): 17505,
        (areas["loop"].pk, "own"): 7423,
        (areas["loop"].pk, "rent"): 13544,
    }


def test_each_characteristic_keeps_the_universe_the_census_counts_it_in(agency):
    chicago_areas(agency)
    population = chicago_population(agency)

    universes = dict(
        PopulationMargin.objects.filter(population=population)
        .values_list("characteristic", "universe")
        .distinct()
    )

    assert universes == {
        "age_band": "adults",
        "area": "adults",
        "race_ethnicity": "people",
        "income_band": "households",
        "tenure": "households",
    }


def test_areas_the_agency_does_not_have_are_reported_not_refused(agency, casey):
    chicago_areas(agency)

    population = chicago_population(agency, casey)

    assert len(population.unmatched_areas) == 77 - 4
    assert "Rogers Park" in population.unmatched_areas
    assert "The Loop" not in population.unmatched_areas  # matched to the agency's "Loop"
    entry = AuditEntry.objects.get(action="surveys.population_import")
    assert entry.actor == casey
    assert entry.after is not None
    assert (entry.after["layout"], entry.after["areas"]) == ("cmap", 4)
    assert entry.after["margins"] == 4 * (4 + 5 + 6 + 2 + 1)


def test_names_match_whatever_their_case_spaces_punctuation_or_leading_the():
    assert area_key("The Loop") == area_key("loop") == area_key("LOOP")
    assert area_key("O'Hare") == area_key("ohare")
    assert area_key("Humboldt  Park") == area_key("humboldt-park")
    assert area_key("The") == "the"


def test_an_area_matches_by_its_slug_too(agency):
    AreaFactory.create(agency=agency, name="Community area 25", slug="austin")

    population = chicago_population(agency)

    assert (
        population.margins.filter(characteristic="age_band", category="18_34").get().count == 20020
    )


def test_a_byte_order_mark_and_cr_line_endings_read_the_same(agency):
    areas = chicago_areas(agency)
    old_mac = "\ufeff" + census_text().replace("\r\n", "\r")

    population = population_import(
        agency=agency, actor=None, name="ACS", source="CMAP", text=old_mac
    )

    assert population_margins(population, "age_band")[(areas["loop"].pk, "18_34")] == 18419
    assert len(population.unmatched_areas) == 73


def test_fractional_counts_are_kept(agency):
    norwood = AreaFactory.create(agency=agency, name="Norwood Park", slug="norwood-park")

    population = chicago_population(agency)

    ages = population_margins(population, "age_band")
    assert ages[(norwood.pk, "18_34")] == pytest.approx(6335.100829)


def test_a_file_of_which_no_area_matches_is_refused(agency):
    AreaFactory.create(agency=agency, name="Riverside Central", slug="central")

    with pytest.raises(ValidationError, match="No area in the file matches"):
        chicago_population(agency)

    assert not agency.reference_populations.exists()


def test_a_file_in_another_layout_is_refused(agency):
    with pytest.raises(ValidationError, match="neither a CMAP community-area profile"):
        population_import(agency=agency, actor=None, name="x", source="", text="a,b\n1,2\n")


def test_the_long_layout_with_a_cross_tabulation(agency):
    areas = chicago_areas(agency)

    population = population_import(agency=agency, actor=None, name="Hand", source="", text=LONG)

    austin, humboldt = areas["austin"].pk, areas["humboldt-park"].pk
    assert population.unmatched_areas == ["Atlantis"]
    assert population_margins(population, "race_ethnicity+age_band") == {
        (austin, "hispanic+18_34"): 30
    }
    # No "area" row for Austin: its adult total is the sum of its age bands.
    assert population_margins(population, "area") == {
        (austin, "adults"): 150,
        (humboldt, "adults"): 400,
    }
    universes = dict(population.margins.values_list("characteristic", "universe"))
    assert universes["tenure"] == "households"  # the default for household characteristics
    assert universes["race_ethnicity"] == "people"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Austin,age_band,18_24,5", "18_24 is not a category of age_band"),
        ("Austin,shoe_size,42,5", "shoe_size is not one of"),
        ("Austin,race_ethnicity+age_band,hispanic,5", "not a characteristic and its category"),
        ("Austin,age_band,18_34,many", "is not a number"),
        ("Austin,age_band,18_34,-3", "a count cannot be"),
        ("Austin,area,total,5", 'needs the category "adults"'),
        ("Austin,age_band,18_34,5,martians", "universe martians"),
    ],
)
def test_the_long_layout_names_what_is_wrong_and_where(agency, row, message):
    chicago_areas(agency)
    text = f"area,characteristic,category,count,universe\nLoop,age_band,50_64,9,\n{row}\n"

    with pytest.raises(ValidationError) as error:
        population_import(agency=agency, actor=None, name="Hand", source="", text=text)

    assert message in " ".join(error.value.messages)
    assert "line 3" in " ".join(error.value.messages)


def test_a_repeated_cell_is_refused(agency):
    chicago_areas(agency)
    text = "area,characteristic,category,count\nLoop,age_band,50_64,9\nloop,age_band,50_64,10\n"

    with pytest.raises(ValidationError, match="line 3 repeats age_band = 50_64"):
        population_import(agency=agency, actor=None, name="Hand", source="", text=text)


def test_a_population_needs_a_name(agency):
    chicago_areas(agency)

    with pytest.raises(ValidationError):
        population_import(agency=agency, actor=None, name="  ", source="", text=census_text())
