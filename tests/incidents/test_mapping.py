"""User-written mapping files: the documented example works; mistakes name their key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from roundtable.incidents.profiles import ProfileError
from roundtable.incidents.profiles.mapping import parse
from roundtable.incidents.reading import Record, RowError, open_export

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "incident-mapping.toml"
CSV = """Case No,Occurred,Offence Code,Offence,Location,Lat,Lon,DV,Officer
RV-1,01/03/2024 14:05,THF1,Theft from shop,100 MAIN ST,41.9,-87.7,N,Smith
RV-2,02/03/24 09:00,23F,Theft from car,200 MAIN ST,41.91,-87.71,,Jones
RV-3,2024-03-03 23:30:00,XYZ,Stolen vehicle,300 MAIN ST,,,N,Smith
RV-4,03/03/2024 08:00,ASLT,Assault,400 MAIN ST,41.92,-87.72,Y,Jones
RV-5,13/13/2024 08:00,ASLT,Assault,400 MAIN ST,41.92,-87.72,N,Jones
RV-6,04/03/2024 08:00,ZZZ,Something else,500 MAIN ST,41.93,-87.73,N,Jones
"""


def test_documented_example_reads_an_export(tmp_path: Path) -> None:
    path = tmp_path / "rms.csv"
    path.write_text(CSV)
    with open_export(path, str(EXAMPLE)) as export:
        items = list(export)
        assert export.profile_name == "riverside_rms"
    records = {i.source_id: i for i in items if isinstance(i, Record)}
    errors = [i for i in items if isinstance(i, RowError)]
    # Day first, as the file says: 1 March 2024 14:05 in Chicago (CST) is 20:05 UTC.
    assert records["RV-1"].occurred_at == dt.datetime(2024, 3, 1, 20, 5, tzinfo=dt.UTC)
    assert records["RV-2"].occurred_on == dt.date(2024, 3, 2)  # two-digit year form
    assert records["RV-3"].occurred_on == dt.date(2024, 3, 3)  # ISO always accepted
    assert records["RV-1"].offences[0].category == "theft"  # [offences.codes]
    assert records["RV-2"].offences[0].category == "theft"  # the nibrs table (23F)
    assert records["RV-3"].offences[0].category == "motor_vehicle_theft"  # keyword
    assert records["RV-6"].offences[0].category == "other_crime"  # default
    assert records["RV-3"].location == "missing"
    assert records["RV-4"].sensitive and not records["RV-1"].sensitive
    assert [(e.line, e.column) for e in errors] == [(6, "Occurred")]


def test_mapping_text_overrides_the_profile(tmp_path: Path) -> None:
    path = tmp_path / "rms.csv"
    path.write_text(CSV)
    with open_export(path, "chicago", EXAMPLE.read_text()) as export:
        assert export.profile_name == "riverside_rms"


MINIMAL = """
[columns]
source_id = "id"
occurred_at = "when"
offence_code = "code"
[dates]
time_zone = "UTC"
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns", "not valid TOML"),
        (MINIMAL.replace('source_id = "id"\n', ""), r"columns\.source_id: missing"),
        (MINIMAL.replace('"UTC"', '"Mars/Olympus"'), r"dates\.time_zone: 'Mars/Olympus'"),
        (MINIMAL + '\n[offences]\ndefault = "mayhem"\n', r"offences\.default: 'mayhem' is not"),
        (MINIMAL + '\n[offences.codes]\nX1 = "bad"\n', r"offences\.codes\.X1"),
        (MINIMAL + '\n[offences]\ntable = "ucr"\n', r"offences\.table"),
        (MINIMAL + "\ncolour = 1\n", "colour: unknown key"),
        (MINIMAL.replace('code = "code"', 'code = "code"\nlatitude = "y"'), r"columns\.latitude"),
        (MINIMAL.replace('"id"', "3"), r"columns\.source_id: must be text"),
        (
            MINIMAL + '\n[[offences.keywords]]\ncontains = "X"\n',
            r"offences\.keywords\[1\]\.offence",
        ),
        (MINIMAL.replace("[dates]", '[dates]\nformats = ["dd/mm/yyyy"]'), r"dates\.formats"),
        (MINIMAL.replace("[dates]", '[dates]\nutc = "yes"'), r"dates\.utc"),
        (f'name = "{"x" * 101}"\n{MINIMAL}', "name: must be 1 to 100"),
    ],
)
def test_mistakes_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        parse(text)


def test_minimal_mapping_defaults() -> None:
    profile = parse(MINIMAL)
    assert profile.name == "mapping"
    assert profile.classify("anything", "", ()) == "other_crime"
    assert profile.latitude == ""
