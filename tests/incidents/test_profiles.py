"""Built-in profiles: detection from each real header, code tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from roundtable.incidents import offences, profiles
from roundtable.incidents.profiles import ProfileError, codes, detect, normalise
from roundtable.incidents.reading import Record, open_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents"
NAMES = ["chicago", "boston", "san_francisco", "seattle", "los_angeles", "philadelphia"]


def fixture_header(name: str) -> list[str]:
    with (FIXTURES / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


@pytest.mark.parametrize("name", NAMES)
def test_each_profile_detected_from_its_fixture_header(name: str) -> None:
    assert detect(fixture_header(name)).name == name


@pytest.mark.parametrize("name", NAMES)
def test_each_profile_detected_from_its_published_header(name: str) -> None:
    assert detect(list(profiles.get(name).header)).name == name


@pytest.mark.parametrize("name", NAMES)
def test_each_fixture_reads_without_errors(name: str) -> None:
    with open_export(FIXTURES / f"{name}.csv") as export:
        items = list(export)
    found = [i for i in items if isinstance(i, Record)]
    assert found and len(found) == len(items)
    assert all(i.offences[0].category in offences.BY_CODE for i in found)


def test_api_style_snake_case_header_is_the_same_layout() -> None:
    header = [c.lower().replace(" ", "_") for c in profiles.get("seattle").header]
    assert detect(header).name == "seattle"
    assert normalise("\ufeffOffense Start DateTime ") == "offense_start_datetime"


def test_unknown_header_and_unknown_name() -> None:
    with pytest.raises(ProfileError, match="Header: a, b"):
        detect(["a", "b"])
    with pytest.raises(ProfileError, match="unknown profile 'atlantis'"):
        profiles.get("atlantis")


def test_registry_lists_the_six_cities() -> None:
    assert [p.name for p in profiles.all_profiles()] == sorted(NAMES)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("0820", "$500 AND UNDER", ("06", "THEFT")), "theft"),
        (("0486", "DOMESTIC BATTERY SIMPLE", ("08B", "BATTERY")), "domestic_violence"),
        (
            ("1710", "ENDANGERING LIFE/HEALTH CHILD", ("26", "OFFENSE INVOLVING CHILDREN")),
            "child_abuse",
        ),
        (("1330", "TO LAND", ("26", "CRIMINAL TRESPASS")), "trespass"),
        (("0110", "FIRST DEGREE MURDER", ("01A", "HOMICIDE")), "homicide"),
    ],
)
def test_chicago_codes(args: tuple[str, str, tuple[str, ...]], expected: str) -> None:
    assert codes.chicago(*args) == expected


def test_boston_groups_then_code_ranges() -> None:
    assert codes.boston("3115", "INVESTIGATE PERSON", ("Investigate Person",)) == "non_criminal"
    assert codes.boston("520", "BURGLARY - RESIDENTIAL", ("Residential Burglary",)) == "burglary"
    # Newer files: no group; words first, then the code's range.
    assert codes.boston("802", "ASSAULT - SIMPLE", ("",)) == "simple_assault"
    assert codes.boston("2647", "THREATS TO DO BODILY HARM", ("",)) == "simple_assault"
    assert codes.boston("724", "", ("",)) == "motor_vehicle_theft"


def test_seattle_nibrs_and_not_a_crime() -> None:
    assert codes.seattle("23F", "Theft From Motor Vehicle", ("PROPERTY",)) == "theft"
    assert codes.seattle("11A", "Rape", ("PERSON",)) == "sexual_assault"
    assert codes.seattle("999", "Not a crime", ("NOT_A_CRIME",)) == "non_criminal"


def test_san_francisco_assaults_by_description() -> None:
    assert codes.san_francisco("04134", "Battery", ("Assault",)) == "simple_assault"
    assert (
        codes.san_francisco("04014", "Assault, Aggravated, W/ Gun", ("Assault",))
        == "aggravated_assault"
    )


def test_philadelphia_and_los_angeles() -> None:
    assert codes.philadelphia("600", "Thefts", ()) == "theft"
    assert codes.philadelphia("100.0", "Homicide - Criminal", ()) == "homicide"
    assert codes.philadelphia("100", "Homicide - Justifiable", ()) == "non_criminal"
    assert codes.los_angeles("626", "INTIMATE PARTNER - SIMPLE ASSAULT", ()) == "domestic_violence"
    assert codes.los_angeles("999", "SHOPLIFTING - PETTY THEFT", ()) == "theft"


def test_every_table_maps_to_common_offences() -> None:
    tables = [codes.NIBRS, codes.CHICAGO_FBI, codes.CHICAGO_TYPES, codes.BOSTON_GROUPS,
              codes.SAN_FRANCISCO, codes.LOS_ANGELES]  # fmt: skip
    values = {v for table in tables for v in table.values()}
    values |= set(codes.PHILADELPHIA.values()) | {c for _w, c in codes.KEYWORDS}
    assert values <= set(offences.BY_CODE)
