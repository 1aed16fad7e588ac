"""Reading, mapping and checking 311 and social-media exports; the command line."""

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.inputs import importing
from roundtable.inputs.import_forms import parse_datetime_cell
from roundtable.inputs.models import Input, InputChannel, Notification, Topic
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NEIGHBOURHOODS = (
    "Millbrook",
    "Cedar Heights",
    "Harlow Park",
    "Old Town",
    "Eastgate",
    "Southbank",
    "Linden Grove",
)


@pytest.fixture
def areas(agency):
    return {
        name: AreaFactory.create(agency=agency, name=name, slug=name.lower().replace(" ", "-"))
        for name in NEIGHBOURHOODS
    }


def _import(agency, name, channel, *, actor=None, skip_invalid=False, dry_run=False, **extra):
    table = importing.read((DATA / name).read_bytes(), name)
    return importing.import_table(
        actor=actor,
        agency=agency,
        channel=channel,
        table=table,
        mapping=extra.pop("mapping", importing.guess_mapping(table.columns)),
        default_topic=extra.pop("default_topic", Topic.OTHER),
        default_language=extra.pop("default_language", "en"),
        filename=name,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
    )


def test_the_mapping_is_guessed_from_a_311_exports_headers():
    table = importing.read((DATA / "311-export.csv").read_bytes(), "311-export.csv")
    assert importing.guess_mapping(table.columns) == {
        "text": "description",
        "received_at": "created_date",
        "external_id": "service_request_id",
        "area": "neighborhood",
        "latitude": "latitude",
        "longitude": "longitude",
    }
    assert table.labels[4] == "Created Date"


def test_the_mapping_is_guessed_from_a_social_media_exports_headers():
    table = importing.read(
        (DATA / "social-media-export.csv").read_bytes(), "social-media-export.csv"
    )
    mapping = importing.guess_mapping(table.columns)
    assert mapping == {
        "text": "text",
        "received_at": "created_at",
        "external_id": "id",
        "language": "lang",
    }
    # The author's handle and name are never proposed for anything.
    assert "author_handle" not in mapping.values() and "author_name" not in mapping.values()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/05/2024 02:03:00 PM", (2024, 3, 5, 14, 3)),
        ("2024-03-05 14:03", (2024, 3, 5, 14, 3)),
        ("2024-03-05T14:03:00.000", (2024, 3, 5, 14, 3)),
        ("03/05/2024", (2024, 3, 5, 0, 0)),
        ("12/31/18 23:16", (2018, 12, 31, 23, 16)),
        ("March 5, 2024 2:03 PM", (2024, 3, 5, 14, 3)),
    ],
)
def test_local_dates_in_common_formats_are_read_in_the_agencys_time_zone(text, expected):
    value = parse_datetime_cell(text)
    assert value is not None
    local = timezone.localtime(value)
    assert (local.year, local.month, local.day, local.hour, local.minute) == expected


@pytest.mark.parametrize(
    "text",
    ["2024-03-05T14:03:00Z", "2024-03-05T08:03:00-06:00", "Tue Mar 05 14:03:00 +0000 2024"],
)
def test_dates_with_an_offset_keep_it(text):
    assert parse_datetime_cell(text) == dt.datetime(2024, 3, 5, 14, 3, tzinfo=dt.UTC)


def test_an_unreadable_date_is_none():
    assert parse_datetime_cell("yesterday") is None
    assert parse_datetime_cell("13/45/2024 09:00:00 AM") is None


def test_bad_rows_are_reported_by_line_and_the_files_column_and_nothing_is_written(
    agency, areas, casey
):
    report = _import(agency, "311-export.csv", InputChannel.THREE_ONE_ONE, actor=casey)
    assert [str(p) for p in report.errors] == [
        "line 12, column Created Date: “13/45/2024 09:00:00 AM” is not a date we can read; "
        "use e.g. 2024-03-05 14:03 or 03/05/2024 02:03:00 PM.",
        "line 18, column Description: The text is empty.",
    ]
    assert not report.ran
    assert Input.objects.count() == 0
    assert not AuditEntry.objects.filter(action="inputs.import").exists()


def test_the_valid_rows_of_a_311_export_import_as_anonymous_inputs(agency, areas, casey):
    report = _import(
        agency, "311-export.csv", InputChannel.THREE_ONE_ONE, actor=casey, skip_invalid=True
    )
    assert report.imported
    assert (report.counts.created, report.counts.skipped, report.counts.rows) == (28, 2, 30)
    first = Input.objects.get(external_id="SR24-0031870")
    assert first.channel == InputChannel.THREE_ONE_ONE
    assert first.text.startswith("Streetlight out at the bus stop")
    assert first.area == areas["Millbrook"]
    assert (first.latitude, first.longitude) == (Decimal("41.881204"), Decimal("-87.640311"))
    assert timezone.localtime(first.received_at).strftime("%Y-%m-%d %H:%M:%S") == (
        "2024-03-01 07:42:10"
    )
    assert first.recorded_by == casey and first.topic == Topic.OTHER
    # The file's contact columns never reach the ledger; nobody is written to.
    assert first.is_anonymous and first.contact_name == "" and first.contact_phone == ""
    assert first.contact_email == "" and first.reply_channel == ""
    assert not Input.objects.exclude(contact_name="", contact_phone="", contact_email="").exists()
    assert Notification.objects.count() == 0
    entry = AuditEntry.objects.get(action="inputs.import")
    assert entry.actor == casey
    assert entry.after == {
        "channel": "311",
        "file": "311-export.csv",
        "rows": 30,
        "created": 28,
        "already_imported": 0,
        "skipped": 2,
    }


def test_importing_the_same_export_again_stores_nothing_twice(agency, areas, casey):
    _import(agency, "311-export.csv", InputChannel.THREE_ONE_ONE, actor=casey, skip_invalid=True)
    again = _import(
        agency, "311-export.csv", InputChannel.THREE_ONE_ONE, actor=casey, skip_invalid=True
    )
    assert (again.counts.created, again.counts.already, again.counts.skipped) == (0, 28, 2)
    assert Input.objects.count() == 28
    # Only the row errors are errors: "already imported" is not one.
    assert {p.line for p in again.errors} == {12, 18}


def test_the_same_id_from_another_channel_is_another_input(agency, areas):
    _import(agency, "311-export.csv", InputChannel.THREE_ONE_ONE, skip_invalid=True)
    _import(agency, "311-export.csv", InputChannel.SOCIAL_MEDIA, skip_invalid=True)
    assert Input.objects.filter(external_id="SR24-0031870").count() == 2


def test_a_social_media_export_keeps_the_language_and_never_the_author(agency, casey):
    report = _import(
        agency, "social-media-export.csv", InputChannel.SOCIAL_MEDIA, actor=casey, skip_invalid=True
    )
    assert str(report.errors[0]).startswith("line 13, column created_at: “yesterday”")
    assert report.counts.created == 18
    spanish = Input.objects.get(external_id="fb_10160000000000101")
    assert spanish.language == "es"
    assert spanish.received_at == dt.datetime(2024, 3, 3, 15, 12, 45, tzinfo=dt.UTC)
    stored = " ".join(Input.objects.values_list("text", flat=True))
    assert "Marisol" not in stored and "@millbrook_mom " not in stored


def test_a_repeated_id_in_the_file_is_an_error_on_the_later_line(agency, areas):
    data = b"Case Number,Details\nA-1,First\nA-2,Second\nA-1,Third\n"
    table = importing.read(data, "cases.csv")
    report = importing.import_table(
        actor=None,
        agency=agency,
        channel=InputChannel.THREE_ONE_ONE,
        table=table,
        mapping=importing.guess_mapping(table.columns),
        default_topic=Topic.SAFETY_CONCERN,
        default_language="es",
    )
    assert [str(p) for p in report.errors] == [
        "line 4, column Case Number: The same id is on line 2."
    ]
    assert Input.objects.count() == 0


def test_topic_area_and_coordinates_are_checked_per_row(agency, areas):
    data = (
        "text;topic;area;lat;lng\n"
        "Fine;Agency technology (body cameras, licence-plate readers …);old town;41.5;-87.5\n"
        "Bad topic;potholes;;;\n"
        "Bad area;;Atlantis;;\n"
        "Half a point;;;41.5;\n"
        "Off the map;;;95;10\n"
    ).encode()
    table = importing.read(data, "mixed.csv")
    report = importing.import_table(
        actor=None,
        agency=agency,
        channel=InputChannel.SOCIAL_MEDIA,
        table=table,
        mapping=importing.guess_mapping(table.columns),
        default_topic=Topic.OTHER,
        default_language="en",
        skip_invalid=True,
    )
    assert [(p.line, p.column) for p in report.errors] == [
        (3, "topic"),
        (4, "area"),
        (5, "lng"),
        (6, "lat"),
    ]
    fine = Input.objects.get()
    assert fine.topic == Topic.TECHNOLOGY and fine.area == areas["Old Town"]


def test_a_mapping_without_text_or_with_half_a_point_is_refused(agency):
    assert importing.mapping_problems({"received_at": "date"}) == [
        "Say which column holds the text."
    ]
    assert importing.mapping_problems({"text": "t", "latitude": "lat"}) == [
        "Map both latitude and longitude, or neither."
    ]


def test_an_xlsx_export_with_many_columns_is_read(agency):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header = [f"Extra {n}" for n in range(45)] + ["Description", "Created Date"]
    sheet.append(header)
    sheet.append([""] * 45 + ["Needle in the haystack", dt.datetime(2024, 3, 5, 14, 3)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = importing.read(buffer.getvalue(), "wide.xlsx")
    assert table.problems == []
    report = importing.import_table(
        actor=None,
        agency=agency,
        channel=InputChannel.THREE_ONE_ONE,
        table=table,
        mapping=importing.guess_mapping(table.columns),
        default_topic=Topic.OTHER,
        default_language="en",
    )
    assert report.imported
    assert Input.objects.get().text == "Needle in the haystack"


def test_the_command_prints_row_errors_and_exits_with_an_error(agency, areas, capsys):
    with pytest.raises(CommandError, match="2 of 30 rows have errors"):
        call_command(
            "inputs", "import", str(DATA / "311-export.csv"), "--agency", "riverside",
            "--channel", "311",
        )  # fmt: skip
    out = capsys.readouterr().out
    assert "line 12, column Created Date:" in out
    assert "line 18, column Description: The text is empty." in out
    assert Input.objects.count() == 0


def test_the_command_maps_columns_dry_runs_and_imports(agency, areas, casey, capsys):
    args = [
        "inputs", "import", str(DATA / "311-export.csv"), "--agency", "riverside",
        "--channel", "311", "--map", "received_at=Closed Date", "--map", "area=",
        "--topic", "safety_concern", "--user", "casey", "--skip-invalid",
    ]  # fmt: skip
    call_command(*args, "--dry-run")
    assert "Dry run, nothing saved. 30 rows would give: " in capsys.readouterr().out
    assert Input.objects.count() == 0
    call_command(*args)
    out = capsys.readouterr().out
    assert "received_at='Closed Date'" in out and "area=" not in out
    # Open cases have no closed date: with the column mapped, that is an error.
    assert "line 3, column Closed Date: The date is empty." in out
    closed = Input.objects.get(external_id="SR24-0031870")
    assert timezone.localtime(closed.received_at).strftime("%m/%d %H:%M") == "03/04 14:10"
    assert closed.area is None and closed.topic == Topic.SAFETY_CONCERN
    assert closed.recorded_by == casey


def test_the_command_reports_as_json_and_refuses_a_bad_map(agency, capsys):
    path = str(DATA / "social-media-export.csv")
    base = ["inputs", "import", path, "--agency", "riverside", "--channel", "social_media"]
    call_command(*base, "--json", "--skip-invalid")
    report = json.loads(capsys.readouterr().out)
    assert report["created"] == 18 and len(report["errors"]) == 2
    with pytest.raises(CommandError, match="the file has no column “Body”"):
        call_command(*base, "--map", "text=Body")
    with pytest.raises(CommandError, match="not a member"):
        call_command(*base, "--user", "nobody")
