"""The streaming reader: real-file quirks, line numbers, row errors (no database)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from roundtable.incidents.reading import (
    ProfileError,
    Record,
    RowError,
    coordinates,
    open_export,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents"
UTC = dt.UTC

BOSTON_HEADER = (
    "INCIDENT_NUMBER,OFFENSE_CODE,OFFENSE_CODE_GROUP,OFFENSE_DESCRIPTION,DISTRICT,"
    "REPORTING_AREA,OCCURRED_ON_DATE,YEAR,MONTH,DAY_OF_WEEK,HOUR,UCR_PART,STREET,Lat,Long,Location"
)


def boston_row(
    number: str = "I1", date: str = "12/31/15 23:25", lat: str = "42.27", lon: str = "-71.09"
) -> str:
    return (
        f"{number},3115,Investigate Person,INVESTIGATE PERSON,B3,448,{date},2015,12,Thursday,"
        f'23,Part Three,MILLET ST,{lat},{lon},"({lat}, {lon})"'
    )


def read_all(
    path: Path, profile: str = "auto", mapping_text: str | None = None
) -> list[Record | RowError]:
    with open_export(path, profile, mapping_text) as export:
        return list(export)


def records(path: Path) -> list[Record]:
    """Every item of a file that must have no errors."""
    items = read_all(path)
    assert all(isinstance(i, Record) for i in items), items
    return [i for i in items if isinstance(i, Record)]


def write(tmp_path: Path, name: str, text: str, *, bom: bool = False, ending: str = "\n") -> Path:
    path = tmp_path / name
    data = text.replace("\n", ending).encode()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def test_real_chicago_rows() -> None:
    with open_export(FIXTURES / "chicago.csv") as export:
        assert export.profile_name == "chicago"
    items = records(FIXTURES / "chicago.csv")
    assert len(items) == 6
    first, second = items[0], items[1]
    # 03/15/2014 12:00:00 AM in Chicago (CDT from March 9) is 05:00 UTC.
    assert first.occurred_at == dt.datetime(2014, 3, 15, 5, 0, tzinfo=UTC)
    assert first.occurred_on == dt.date(2014, 3, 15)
    assert first.source_id == "9567561"
    assert first.offences[0].code == "0820"
    assert first.offences[0].category == "theft"
    assert (first.latitude, first.longitude, first.location) == (None, None, "missing")
    assert second.latitude == pytest.approx(41.93193179666549)
    assert second.block == "030XX W DIVERSEY AVE"
    # 11:40 PM local on the 14th is the 15th in UTC; the local day stays the 14th.
    domestic = items[3]
    assert domestic.occurred_at == dt.datetime(2014, 3, 15, 4, 40, tzinfo=UTC)
    assert domestic.occurred_on == dt.date(2014, 3, 14)
    assert domestic.sensitive  # Domestic = true
    assert not second.sensitive
    assert items[5].offences[0].category == "child_abuse"
    assert items[5].sensitive  # a sensitive offence


def test_real_boston_rows_bom_and_cr_only_line_endings() -> None:
    raw = (FIXTURES / "boston.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\n" not in raw and b"\r" in raw
    with open_export(FIXTURES / "boston.csv") as export:
        assert export.profile_name == "boston"
    items = records(FIXTURES / "boston.csv")
    assert [i.line for i in items] == [2, 3, 4, 5, 6]
    # One row per offence: both rows of I162000007 are yielded, merging is the importer's.
    assert [i.source_id for i in items[:2]] == ["I162000007", "I162000007"]
    assert [i.offences[0].code for i in items[:2]] == ["3803", "2905"]
    # "12/31/15 23:25": two-digit year, Boston local time (EST) -> 04:25 UTC next day.
    assert items[0].occurred_at == dt.datetime(2016, 1, 1, 4, 25, tzinfo=UTC)
    assert items[0].occurred_on == dt.date(2015, 12, 31)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [True, False])
def test_line_endings_and_bom(tmp_path: Path, ending: str, bom: bool) -> None:
    text = "\n".join([BOSTON_HEADER, boston_row("I1"), boston_row("I2"), ""])
    items = records(write(tmp_path, "b.csv", text, bom=bom, ending=ending))
    assert [(i.line, i.source_id) for i in items] == [(2, "I1"), (3, "I2")]


def test_iso_dates_and_time_zone_offsets(tmp_path: Path) -> None:
    text = "\n".join(
        [
            BOSTON_HEADER,
            boston_row("I1", "2019-07-01 12:00:00"),
            boston_row("I2", "2023-01-01 00:00:00+00"),
            boston_row("I3", "2019-07-01T12:00:00Z"),
        ]
    )
    a, b, c = records(write(tmp_path, "b.csv", text))
    assert a.occurred_at == dt.datetime(2019, 7, 1, 16, 0, tzinfo=UTC)  # EDT is UTC-4
    assert b.occurred_at == dt.datetime(2023, 1, 1, 0, 0, tzinfo=UTC)  # offset given: kept
    assert b.occurred_on == dt.date(2022, 12, 31)  # evening of the 31st in Boston
    assert c.occurred_at == dt.datetime(2019, 7, 1, 12, 0, tzinfo=UTC)


def test_twelve_hour_clock_noon_and_midnight(tmp_path: Path) -> None:
    header = (
        "Report Number,Offense ID,Offense Start DateTime,Crime Against Category,Offense,"
        "Offense Code,100 Block Address,Longitude,Latitude"
    )
    rows = [
        "R1,1,07/04/2021 12:00:00 AM,PROPERTY,Shoplifting,23C,X,-122.3,47.6",
        "R2,2,07/04/2021 12:30:00 PM,PROPERTY,Shoplifting,23C,X,-122.3,47.6",
        "R3,3,07/04/2021 11:59:00 PM,PROPERTY,Shoplifting,23C,X,-122.3,47.6",
    ]
    items = records(write(tmp_path, "s.csv", "\n".join([header, *rows])))
    local = [i.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=-7))) for i in items]
    assert [(t.hour, t.minute) for t in local] == [(0, 0), (12, 30), (23, 59)]


def test_utc_column_preferred_when_present(tmp_path: Path) -> None:
    header = (
        "dc_key,dispatch_date_time,dispatch_date_time_utc,ucr_general,text_general_code,"
        "location_block,lat,lng"
    )
    local_only = "dc_key,dispatch_date_time,ucr_general,text_general_code,location_block,lat,lng"
    with_utc = records(
        write(
            tmp_path,
            "p1.csv",
            f"{header}\n1,2018-10-11 11:10:00,2018-10-11 15:10:00,600,Thefts,X,39.9,-75.1\n",
        )
    )
    local = records(
        write(tmp_path, "p2.csv", f"{local_only}\n1,2018-10-11 11:10:00,600,Thefts,X,39.9,-75.1\n")
    )
    # Same moment either way: 11:10 EDT is 15:10 UTC.
    assert (
        with_utc[0].occurred_at
        == local[0].occurred_at
        == dt.datetime(2018, 10, 11, 15, 10, tzinfo=UTC)
    )


def test_separate_time_column_including_unpadded(tmp_path: Path) -> None:
    items = read_all(FIXTURES / "los_angeles.csv")
    times = {i.source_id: i.occurred_at for i in items if isinstance(i, Record)}
    # TIME OCC "5" is 00:05 local (PST, UTC-8) on 1 March 2020.
    assert times["201100401"] == dt.datetime(2020, 3, 1, 8, 5, tzinfo=UTC)
    assert times["201220752"] == dt.datetime(2020, 9, 17, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("41.9", "-87.7", "ok"),
        ("", "", "missing"),
        ("41.9", "", "missing"),
        ("n/a", "x", "missing"),
        ("0", "0", "zero"),
        ("0E-9", "0E-9", "zero"),
        ("-1", "-1", "zero"),
        ("-1.0", "-71.0", "zero"),
        ("141.9", "-87.7", "out_of_range"),
        ("41.9", "-187.7", "out_of_range"),
    ],
)
def test_coordinates(lat: str, lon: str, expected: str) -> None:
    latitude, longitude, location = coordinates(lat, lon)
    assert location == expected
    assert (latitude is None) == (expected != "ok")
    assert (longitude is None) == (expected != "ok")


def test_boston_minus_one_coordinates_kept_and_flagged(tmp_path: Path) -> None:
    text = "\n".join([BOSTON_HEADER, boston_row("I1", lat="-1", lon="-1")])
    (item,) = read_all(write(tmp_path, "b.csv", text))
    assert isinstance(item, Record)
    assert (item.latitude, item.longitude, item.location) == (None, None, "zero")


def test_row_errors_name_line_and_column(tmp_path: Path) -> None:
    text = "\n".join(
        [
            BOSTON_HEADER,
            boston_row("I1", "31/12/2015 25:00"),
            boston_row(""),
            "I3,3115,short",
            boston_row("I4"),
        ]
    )
    items = read_all(write(tmp_path, "b.csv", text))
    errors = [i for i in items if isinstance(i, RowError)]
    assert [(e.line, e.column) for e in errors] == [
        (2, "OCCURRED_ON_DATE"),
        (3, "INCIDENT_NUMBER"),
        (4, ""),
    ]
    assert "31/12/2015 25:00" in errors[0].reason
    assert "empty" in errors[1].reason
    assert "3 values" in errors[2].reason
    assert isinstance(items[-1], Record) and items[-1].line == 5


def test_physical_line_numbers_after_multiline_field_and_blank_line(tmp_path: Path) -> None:
    text = "\n".join(
        [
            BOSTON_HEADER,
            boston_row("I1").replace("MILLET ST", '"MILLET\nST"'),
            "",
            boston_row("I2"),
        ]
    )
    items = records(write(tmp_path, "b.csv", text))
    assert [(i.line, i.source_id) for i in items] == [(2, "I1"), (5, "I2")]
    assert items[0].block == "MILLET ST"


def test_unknown_layout_is_fatal_and_shows_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "case,when,what\n1,2,3\n")
    with pytest.raises(ProfileError, match=r"unknown layout.*case, when, what"):
        read_all(path)


def test_named_profile_with_missing_columns_is_fatal(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "ID,Case Number,Block\n1,2,3\n")
    with pytest.raises(ProfileError, match=r"'Date'.*'IUCR'"):
        read_all(path, "chicago")


def test_empty_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="empty"):
        read_all(write(tmp_path, "e.csv", ""))
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(BOSTON_HEADER.encode() + b"\n" + boston_row("I1").encode() + b"\xe9\xff\n")
    # Undecodable in the first block read: the file as a whole is not UTF-8.
    with pytest.raises(ProfileError, match="not UTF-8"):
        read_all(bad)
    # Further down: the rows before are read, then one error says where it stopped.
    rows = "\n".join(boston_row(f"I{n}") for n in range(2000))
    bad.write_bytes(f"{BOSTON_HEADER}\n{rows}\n".encode() + b"I9,\xe9\xff\n")
    items = read_all(bad)
    assert isinstance(items[-1], RowError) and "UTF-8" in items[-1].reason
    assert sum(isinstance(i, Record) for i in items) > 1000


def test_victim_columns_are_never_read() -> None:
    with open_export(FIXTURES / "los_angeles.csv") as export:
        items = [i for i in export if isinstance(i, Record)]
        profile = export.profile
    assert profile is not None
    read_columns = {
        profile.source_id, profile.date, profile.time, profile.code, profile.description,
        profile.block, profile.latitude, profile.longitude, *profile.extra_codes,
        *profile.context, profile.sensitive,
    }  # fmt: skip
    assert not {"Vict Age", "Vict Sex", "Vict Descent"} & read_columns
    assert set(profile.never_read) >= {"Vict Age", "Vict Sex", "Vict Descent"}
    values = {str(getattr(item, name)) for item in items for name in Record.__slots__} | {
        o.description for item in items for o in item.offences
    }
    # The rows' victims are 47 M O, 28 F B, 62 M H: none of it reaches a record.
    assert not {"47", "28", "62", "M", "F", "O", "B", "H"} & values


def test_extra_offence_columns_become_offences() -> None:
    items = records(FIXTURES / "los_angeles.csv")
    partner = next(i for i in items if i.source_id == "200320258")
    assert [o.code for o in partner.offences] == ["626", "930"]
    assert partner.sensitive  # intimate partner assault: domestic violence


def test_reader_streams(tmp_path: Path) -> None:
    """Iterating yields before the file is read to the end (nothing is preloaded)."""
    text = "\n".join([BOSTON_HEADER, *(boston_row(f"I{n}") for n in range(5000))])
    path = write(tmp_path, "big.csv", text)
    with open_export(path) as export:
        iterator = iter(export)
        next(iterator)
        assert export.rows == 1
        assert export._file is not None
        assert os.lseek(export._file.fileno(), 0, os.SEEK_CUR) < path.stat().st_size / 10
