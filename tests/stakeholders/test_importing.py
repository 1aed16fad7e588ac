"""Importing the Community Map from CSV and Excel: checks first, then all or nothing."""

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from roundtable.audit.models import AuditEntry
from roundtable.stakeholders import import_index, import_rows, tabular
from roundtable.stakeholders.importing import import_file, organisations_import
from roundtable.stakeholders.models import (
    Contact,
    Organisation,
    Referral,
    Stance,
    StanceChange,
)
from roundtable.stakeholders.tabular import read_table
from tests.factories import AreaFactory, ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
HEADER = ["external_id", "name", "category", "sectors", "areas", "stance", "email"]


@pytest.fixture
def northside(agency):
    return AreaFactory.create(agency=agency, name="Northside", slug="northside")


@pytest.fixture
def riverbend(agency):
    return AreaFactory.create(agency=agency, name="Riverbend", slug="riverbend")


def csv_bytes(rows, header=HEADER, line_end="\r\n"):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def big_map(count, bad_lines):
    """`count` rows of good organisations, except at the spreadsheet lines in
    `bad_lines` (line 2 is the first row), each broken in a different column."""
    breakages = [("email", "not-an-email"), ("category", "bakery"), ("areas", "atlantis")]
    rows = []
    for line in range(2, count + 2):
        row = {
            "external_id": f"ORG-{line:05d}",
            "name": f"Organisation {line}",
            "category": "community_group" if line % 2 else "Faith community",
            "sectors": "health;housing",
            "areas": "northside",
            "stance": "supporter",
            "email": f"info{line}@example.org",
        }
        if line in bad_lines:
            column, value = breakages[sorted(bad_lines).index(line) % len(breakages)]
            row[column] = value
        rows.append([row[c] for c in HEADER])
    return rows


def run(agency, data, actor=None, filename="map.csv", **options):
    return import_file(actor=actor, agency=agency, data=data, filename=filename, **options)


def test_it_creates_organisations_with_their_sectors_areas_contact_and_stance(
    agency, northside, riverbend, casey
):
    header = ["name", "category", "sectors", "areas", "stance", "stance_note"]
    header += ["contact_name", "contact_email", "contact_language", "contact_term_ends"]
    data = csv_bytes(
        [
            [
                "Eastgate Tenants Union",
                "Community group",
                "Housing; justice_crime",
                "Riverbend; northside",
                "critic",
                "Wants the stop data published.",
                "Lena Ortiz",
                "lena@example.org",
                "Spanish",
                "2027-06-30",
            ]
        ],
        header=header,
    )

    report = run(agency, data, actor=casey)

    assert report.errors == []
    assert (report.counts.created, report.counts.updated) == (1, 0)
    union = Organisation.objects.get(agency=agency)
    assert union.name == "Eastgate Tenants Union"
    assert union.category == "community_group"
    assert set(union.sectors.values_list("sector", flat=True)) == {"housing", "justice_crime"}
    assert set(union.areas.all()) == {northside, riverbend}
    assert union.stance == Stance.CRITIC
    contact = union.contacts.get()
    assert (contact.name, contact.email, contact.preferred_language) == (
        "Lena Ortiz",
        "lena@example.org",
        "es",
    )
    assert contact.term_ends_on == dt.date(2027, 6, 30)
    change = StanceChange.objects.get(organisation=union)
    assert (change.stance, change.note, change.changed_by) == (
        "critic",
        "Wants the stop data published.",
        casey,
    )


def test_a_5000_row_file_with_3_bad_rows_reports_exactly_those_and_imports_nothing(
    agency, northside, tmp_path
):
    path = tmp_path / "map.csv"
    path.write_bytes(csv_bytes(big_map(5000, bad_lines={14, 2500, 5001})))

    report = run(agency, path.read_bytes())

    assert [(p.line, p.column) for p in report.errors] == [
        (14, "email"),
        (2500, "category"),
        (5001, "areas"),
    ]
    assert report.rows == 5000
    assert not report.ran
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_with_skip_invalid_it_imports_the_4997_good_rows(agency, northside, tmp_path):
    path = tmp_path / "map.csv"
    path.write_bytes(csv_bytes(big_map(5000, bad_lines={14, 2500, 5001})))

    report = run(agency, path.read_bytes(), skip_invalid=True)

    assert len(report.errors) == 3
    assert (report.counts.created, report.counts.skipped) == (4997, 3)
    assert Organisation.objects.filter(agency=agency).count() == 4997
    assert not Organisation.objects.filter(external_id__in=["ORG-00014", "ORG-02500"]).exists()
    assert report.as_dict()["skipped"] == 3


def test_importing_the_same_file_again_updates_instead_of_duplicating(agency, northside):
    rows = big_map(20, bad_lines=set())
    run(agency, csv_bytes(rows))
    rows[0][HEADER.index("stance")] = "critic"
    rows[1][HEADER.index("sectors")] = "labour_economy"

    report = run(agency, csv_bytes(rows))

    assert Organisation.objects.filter(agency=agency).count() == 20
    assert (report.counts.created, report.counts.updated, report.counts.unchanged) == (0, 2, 18)
    first = Organisation.objects.get(external_id="ORG-00002")
    assert first.stance == "critic"
    assert first.stance_history.count() == 2
    second = Organisation.objects.get(external_id="ORG-00003")
    assert list(second.sectors.values_list("sector", flat=True)) == ["labour_economy"]


def test_without_an_external_id_it_matches_on_name_and_first_area_ignoring_case(
    agency, northside, riverbend
):
    at_northside = OrganisationFactory.create(agency=agency, name="Grace Chapel", areas=[northside])
    at_riverbend = OrganisationFactory.create(agency=agency, name="Grace Chapel", areas=[riverbend])
    header = ["name", "category", "areas", "description"]

    report = run(
        agency,
        csv_bytes([["GRACE chapel", "faith", "riverbend", "Food bank on Tuesdays"]], header=header),
    )

    assert (report.counts.created, report.counts.updated) == (0, 1)
    at_riverbend.refresh_from_db()
    at_northside.refresh_from_db()
    assert at_riverbend.description == "Food bank on Tuesdays"
    assert at_riverbend.name == "GRACE chapel"
    assert at_northside.description == ""


def test_areas_added_in_a_later_import_update_the_organisation_instead_of_duplicating_it(
    agency, northside
):
    header = ["name", "category", "areas"]
    run(agency, csv_bytes([["Grace Chapel", "faith", ""]], header))

    report = run(agency, csv_bytes([["Grace Chapel", "faith", "northside"]], header))

    assert (report.counts.created, report.counts.updated) == (0, 1)
    chapel = Organisation.objects.get()
    assert list(chapel.areas.all()) == [northside]


def test_a_row_without_areas_updates_the_one_organisation_of_that_name_whatever_its_areas(
    agency, northside
):
    chapel = OrganisationFactory.create(agency=agency, name="Grace Chapel", areas=[northside])

    report = run(
        agency,
        csv_bytes([["Grace Chapel", "faith", "Food bank"]], ["name", "category", "description"]),
    )

    assert (report.counts.created, report.counts.updated) == (0, 1)
    chapel.refresh_from_db()
    assert chapel.description == "Food bank"
    assert list(chapel.areas.all()) == [northside]


def test_when_no_one_serves_the_area_two_organisations_without_areas_are_ambiguous(
    agency, northside
):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")
    OrganisationFactory.create(agency=agency, name="Grace Chapel")

    report = run(
        agency, csv_bytes([["Grace Chapel", "faith", "northside"]], ["name", "category", "areas"])
    )

    assert [(p.line, p.column) for p in report.errors] == [(2, "name")]
    assert Organisation.objects.count() == 2


def test_two_areas_cannot_both_take_the_one_organisation_without_areas(
    agency, northside, riverbend
):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")
    rows = [["Grace Chapel", "faith", "northside"], ["Grace Chapel", "faith", "riverbend"]]

    report = run(agency, csv_bytes(rows, ["name", "category", "areas"]))

    assert [(p.line, p.column) for p in report.errors] == [(3, "name")]
    assert "line 2" in report.errors[0].reason


def test_an_organisation_without_an_id_adopts_the_id_of_its_row(agency, northside):
    chapel = OrganisationFactory.create(agency=agency, name="Grace Chapel", areas=[northside])

    run(agency, csv_bytes([["CH-1", "Grace Chapel", "faith", "", "northside", "", ""]]))

    chapel.refresh_from_db()
    assert chapel.external_id == "CH-1"
    assert Organisation.objects.count() == 1


def test_columns_left_out_of_the_file_are_left_alone(agency, northside):
    chapel = OrganisationFactory.create(
        agency=agency,
        name="Grace Chapel",
        areas=[northside],
        sectors=["health"],
        description="Food bank",
        stance=Stance.SUPPORTER,
    )

    run(agency, csv_bytes([["Grace Chapel", "faith"]], header=["name", "category"]))

    chapel.refresh_from_db()
    assert (chapel.category, chapel.description, chapel.stance) == (
        "faith",
        "Food bank",
        "supporter",
    )
    assert list(chapel.areas.all()) == [northside]
    assert list(chapel.sectors.values_list("sector", flat=True)) == ["health"]


def test_a_blank_stance_keeps_the_current_one(agency):
    chapel = OrganisationFactory.create(agency=agency, name="Grace Chapel", stance=Stance.SUPPORTER)

    run(agency, csv_bytes([["Grace Chapel", "faith", ""]], header=["name", "category", "stance"]))

    chapel.refresh_from_db()
    assert chapel.stance == "supporter"


def test_reimporting_a_contact_does_not_duplicate_it(agency):
    header = ["external_id", "name", "category", "contact_name", "contact_email", "contact_role"]
    run(
        agency,
        csv_bytes([["A", "Eastgate", "other", "Lena Ortiz", "lena@example.org", ""]], header),
    )

    run(
        agency,
        csv_bytes([["A", "Eastgate", "other", "lena ortiz", "lena@example.org", "Chair"]], header),
    )
    run(
        agency,
        csv_bytes([["A", "Eastgate", "other", "Lena O.", "LENA@example.org", "Chair"]], header),
    )

    contact = Contact.objects.get()
    assert (contact.name, contact.role) == ("Lena O.", "Chair")


def test_an_inactive_contact_is_left_alone_and_the_person_comes_back_as_a_new_contact(agency):
    organisation = OrganisationFactory.create(agency=agency, name="Eastgate", external_id="A")
    old = ContactFactory.create(
        organisation=organisation, name="Lena Ortiz", role="Chair", is_active=False
    )
    header = ["external_id", "name", "category", "contact_name", "contact_role"]

    report = run(agency, csv_bytes([["A", "Eastgate", "other", "Lena Ortiz", "Treasurer"]], header))

    assert (report.counts.contacts_created, report.counts.contacts_updated) == (1, 0)
    old.refresh_from_db()
    assert (old.role, old.is_active) == ("Chair", False)
    new = organisation.contacts.exclude(pk=old.pk).get()
    assert (new.name, new.role, new.is_active) == ("Lena Ortiz", "Treasurer", True)


def test_a_new_contact_is_added_next_to_the_existing_ones(agency):
    organisation = OrganisationFactory.create(agency=agency, name="Eastgate", external_id="A")
    ContactFactory.create(organisation=organisation, name="Lena Ortiz", email="lena@example.org")
    header = ["external_id", "name", "category", "contact_name", "contact_email"]

    run(agency, csv_bytes([["A", "Eastgate", "other", "Sam Reyes", "sam@example.org"]], header))

    assert sorted(organisation.contacts.values_list("name", flat=True)) == [
        "Lena Ortiz",
        "Sam Reyes",
    ]


def test_real_file_quirks_bom_cr_line_ends_blank_rows_and_loose_headers(agency, northside):
    data = (DATA / "bom_cr.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r" in data and b"\n" not in data

    report = run(agency, data)

    assert report.errors == []
    assert report.rows == 2
    names = set(Organisation.objects.values_list("name", flat=True))
    assert names == {"Eastgate Tenants Union", "Iglesia Nueva Esperanza"}
    union = Organisation.objects.get(name="Eastgate Tenants Union")
    assert union.description == "Meets on Tuesdays.\rBring chairs."


def test_bad_line_numbers_count_the_header_as_line_1_with_crlf_and_quoted_line_breaks(agency):
    data = b'name,category,description\r\nOne,other,"two\r\nline description"\r\nTwo,bakery,\r\n'

    report = run(agency, data)

    assert [(p.line, p.column) for p in report.errors] == [(3, "category")]


def test_semicolon_separated_files_from_spanish_excel_are_read(agency):
    data = b"name;category;sectors\r\nIglesia;faith;health;\r\n"

    report = run(agency, data)

    # The trailing empty cell is a blank column; "health" is the sectors cell.
    assert report.errors == []
    assert Organisation.objects.get().sectors.get().sector == "health"


def test_an_unknown_column_is_a_file_level_error_naming_it(agency):
    report = run(agency, csv_bytes([["x", "other", "y"]], header=["name", "category", "Colour "]))

    assert len(report.errors) == 1
    problem = report.errors[0]
    assert (problem.line, problem.column) == (1, "")
    assert "colour" in problem.reason
    assert not report.readable
    assert not Organisation.objects.exists()


def test_name_and_category_columns_are_required(agency):
    report = run(agency, csv_bytes([["x"]], header=["name"]))

    assert "category" in report.errors[0].reason


def test_a_row_longer_than_the_header_is_reported(agency):
    report = run(agency, b"name,category\nA,other,surprise\nB,other\n")

    assert [(p.line, p.column) for p in report.errors] == [(2, "")]


def test_the_same_organisation_twice_in_a_file_is_an_error(agency):
    report = run(
        agency,
        csv_bytes(
            [["A", "One", "other"], ["A", "Two", "other"]], ["external_id", "name", "category"]
        ),
    )

    assert [(p.line, p.column) for p in report.errors] == [(3, "external_id")]


def test_an_ambiguous_name_says_how_to_tell_the_organisations_apart(agency):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")
    OrganisationFactory.create(agency=agency, name="Grace Chapel")

    report = run(agency, csv_bytes([["Grace Chapel", "faith"]], header=["name", "category"]))

    assert [str(p) for p in report.errors] == [
        "line 2, column name: 2 organisations on the map have this name and could be this "
        "row. Give each of them an external_id (edit them on the map), then put the right "
        "one in this row's external_id column."
    ]


def test_referred_by_can_point_at_another_row_of_the_same_file(agency):
    header = ["external_id", "name", "category", "referred_by"]
    data = csv_bytes(
        [
            ["B", "Youth League", "community_group", "Grace Chapel"],
            ["A", "Grace Chapel", "faith", ""],
            ["C", "Corner Store", "business", "B"],
        ],
        header,
    )

    report = run(agency, data)

    assert report.errors == []
    pairs = set(Referral.objects.values_list("referrer__name", "referred__name"))
    assert pairs == {("Grace Chapel", "Youth League"), ("Youth League", "Corner Store")}
    assert report.counts.referrals_created == 2
    run(agency, data)
    assert Referral.objects.count() == 2


def test_referred_by_can_point_at_an_organisation_already_on_the_map(agency):
    chapel = OrganisationFactory.create(agency=agency, name="Grace Chapel")

    run(
        agency,
        csv_bytes([["Youth League", "other", "Grace Chapel"]], ["name", "category", "referred_by"]),
    )

    assert Referral.objects.get().referrer == chapel


def test_an_unknown_or_self_referral_is_a_row_error(agency):
    header = ["external_id", "name", "category", "referred_by"]
    data = csv_bytes([["A", "One", "other", "Nobody"], ["B", "Two", "other", "B"]], header)

    report = run(agency, data)

    assert [(p.line, p.column) for p in report.errors] == [(2, "referred_by"), (3, "referred_by")]


def test_a_reference_to_a_bad_row_says_which_line(agency):
    header = ["external_id", "name", "category", "referred_by"]
    data = csv_bytes([["A", "One", "bakery", ""], ["B", "Two", "other", "A"]], header)

    report = run(agency, data, skip_invalid=True)

    assert [(p.line, p.column) for p in report.errors] == [(2, "category"), (3, "referred_by")]
    assert "2" in report.errors[1].reason
    assert not report.ran


def test_labels_and_values_are_accepted_in_any_case(agency):
    header = ["name", "kind", "category", "sectors", "stance", "contact_name", "contact_channel"]
    row = [
        "Ana",
        "INDIVIDUAL",
        "government agency or service",
        "Health;HOUSING",
        "Neutral",
        "Ana",
        "Text message",
    ]

    report = run(agency, csv_bytes([row], header))

    assert report.errors == []
    ana = Organisation.objects.get()
    assert (ana.kind, ana.category, ana.stance) == ("individual", "government", "neutral")
    assert ana.contacts.get().preferred_channel == "sms"


def test_every_bad_column_of_a_row_is_reported_with_its_column(agency):
    header = ["name", "category", "website", "contact_email", "contact_term_ends", "stance"]
    row = ["", "other", "not a url", "nope", "30/06/2027", "angry"]

    report = run(agency, csv_bytes([row], header))

    assert {p.column for p in report.errors} == {
        "name",
        "website",
        "contact_email",
        "contact_term_ends",
        "stance",
    }
    assert all(p.line == 2 for p in report.errors)


def test_contact_details_need_a_contact_name(agency):
    report = run(
        agency, csv_bytes([["A", "other", "x@example.org"]], ["name", "category", "contact_email"])
    )

    assert [(p.line, p.column) for p in report.errors] == [(2, "contact_name")]


def test_xlsx_line_numbers_are_spreadsheet_rows(agency, northside):
    rows = [["", "One", "other", "", "", "", ""], ["", "Two", "other", "", "", "", "nope"]]

    report = run(agency, xlsx_bytes(rows), filename="map.xlsx")

    assert [(p.line, p.column) for p in report.errors] == [(3, "email")]


def test_xlsx_dates_and_numbers_are_read_as_text(agency):
    header = ["name", "category", "phone", "contact_name", "contact_term_ends"]
    rows = [["Eastgate", "other", 5550100, "Lena", dt.datetime(2027, 6, 30)]]

    report = run(agency, xlsx_bytes(rows, header), filename="map.xlsx")

    assert report.errors == []
    organisation = Organisation.objects.get()
    assert organisation.phone == "5550100"
    assert organisation.contacts.get().term_ends_on == dt.date(2027, 6, 30)


def claim_dimension(data, ref):
    """The workbook with its first sheet claiming to span `ref`, as some
    programs (and attackers) write it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = content.index(b'<dimension ref="') + len(b'<dimension ref="')
                end = content.index(b'"', start)
                content = content[:start] + ref.encode() + content[end:]
            target.writestr(info, content)
    return out.getvalue()


def test_an_xlsx_claiming_a_huge_sheet_reads_only_the_cells_it_has():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [["name", "category"], ["One", "other"], ["Two", "faith"]]:
        sheet.append(row)
    # An empty but formatted row further down: openpyxl fills the rows in
    # between, each as wide as the sheet claims to be.
    sheet.row_dimensions[500].height = 20
    out = io.BytesIO()
    workbook.save(out)
    # Believed, the claim is 8 million cells: plenty to show, yet small enough
    # that a regression fails this test instead of exhausting memory.
    data = claim_dimension(out.getvalue(), "A1:XFD500")
    assert len(data) < 10_000

    raw = list(tabular._xlsx_rows(data))
    table = read_table(data, "map.xlsx")

    assert len(raw) == 500
    assert max(len(values) for values in raw) == tabular.MAX_COLUMNS
    assert [(row.line, row.cells["name"]) for row in table.rows] == [(2, "One"), (3, "Two")]
    assert table.problems == table.row_problems == []


def test_reading_stops_at_the_first_row_past_the_limit(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    rows = [[f"Org {n}", "other"] for n in range(10)]

    for data, filename in [
        (csv_bytes(rows, ["name", "category"]), "map.csv"),
        (xlsx_bytes(rows, ["name", "category"]), "map.xlsx"),
    ]:
        table = read_table(data, filename)

        assert table.rows == []
        assert [str(p) for p in table.problems] == [
            "The file has more than 3 rows; import at most 3 at a time."
        ]


def test_rows_up_to_the_limit_are_read_and_blank_lines_after_them_do_not_count(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    rows = [["A", "other"], ["B", "other"], ["C", "other"], ["", ""], ["", ""]]

    for data, filename in [
        (csv_bytes(rows, ["name", "category"]), "map.csv"),
        (xlsx_bytes(rows[:3], ["name", "category"]), "map.xlsx"),
    ]:
        table = read_table(data, filename)

        assert table.problems == []
        assert [row.cells["name"] for row in table.rows] == ["A", "B", "C"]


def test_an_xlsx_row_far_below_a_gap_is_refused_not_dropped(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["name", "category"])
    sheet.append(["A", "other"])
    sheet["A50"] = "Stray"
    out = io.BytesIO()
    workbook.save(out)

    table = read_table(out.getvalue(), "map.xlsx")

    assert table.rows == []
    assert "more than 3 rows" in str(table.problems[0])


def test_a_workbook_that_unpacks_too_large_is_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 4_000)
    rows = [[f"Organisation with a fairly long name {n}", "other"] for n in range(200)]
    data = xlsx_bytes(rows, ["name", "category"])

    table = read_table(data, "map.xlsx")

    assert table.rows == []
    assert [str(p) for p in table.problems] == ["The workbook is too large once unpacked."]


def test_a_file_that_is_not_a_workbook_is_reported(agency):
    report = run(agency, b"PK\x03\x04 broken", filename="map.xlsx")

    assert not report.readable
    assert report.errors[0].line is None


def test_a_dry_run_counts_and_saves_nothing(agency, northside):
    report = run(agency, csv_bytes(big_map(10, set())), dry_run=True)

    assert report.counts.created == 10
    assert not report.imported
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_one_audit_entry_records_the_whole_import(agency, northside, casey):
    run(agency, csv_bytes(big_map(30, set())), actor=casey)

    entry = AuditEntry.objects.get(action="organisation.import")
    assert (entry.action, entry.actor, entry.agency) == ("organisation.import", casey, agency)
    assert (entry.object_type, entry.object_id) == ("agencies.agency", str(agency.pk))
    assert entry.before is None
    assert entry.after == {
        "rows": 30,
        "created": 30,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "contacts_created": 0,
        "contacts_updated": 0,
        "referrals_created": 0,
        "stance_changes": 30,
    }


def test_each_organisation_created_gets_an_audit_entry_with_what_it_was_given(
    agency, northside, casey
):
    header = ["external_id", "name", "category", "sectors", "areas", "contact_name"]
    run(agency, csv_bytes([["G-1", "Grace Chapel", "faith", "health", "northside", "Ana"]], header))

    entry = AuditEntry.objects.get(action="organisation.import.create")
    chapel = Organisation.objects.get()
    assert (entry.object_type, entry.object_id) == ("stakeholders.organisation", str(chapel.pk))
    assert entry.before is None
    after = entry.after or {}
    assert (after["name"], after["external_id"]) == ("Grace Chapel", "G-1")
    assert (after["areas"], after["sectors"]) == (["Northside"], ["health"])
    assert after["contact"]["name"] == "Ana"


def test_an_update_records_the_changed_values_before_and_after(agency, northside, casey):
    header = ["external_id", "name", "category", "stance", "email", "contact_name", "contact_role"]
    run(
        agency,
        csv_bytes(
            [
                ["G-1", "Grace Chapel", "faith", "supporter", "info@grace.org", "Ana", "Pastor"],
                ["E-1", "Eastgate", "other", "neutral", "", "", ""],
            ],
            header,
        ),
    )

    run(
        agency,
        csv_bytes(
            [
                ["G-1", "Grace Chapel", "faith", "critic", "", "Ana", "Deacon"],
                ["E-1", "Eastgate", "other", "neutral", "", "", ""],
            ],
            header,
        ),
        actor=casey,
    )

    entry = AuditEntry.objects.get(action="organisation.import.update")
    chapel = Organisation.objects.get(external_id="G-1")
    assert (entry.actor, entry.agency, entry.object_id) == (casey, agency, str(chapel.pk))
    assert entry.before == {
        "stance": "supporter",
        "email": "info@grace.org",
        "contact": {"name": "Ana", "role": "Pastor"},
    }
    assert entry.after == {
        "stance": "critic",
        "email": "",
        "contact": {"name": "Ana", "role": "Deacon"},
    }


def test_unchanged_rows_write_no_audit_entry_of_their_own(agency, northside):
    data = csv_bytes(big_map(5, set()))
    run(agency, data)

    run(agency, data)

    assert AuditEntry.objects.filter(action="organisation.import").count() == 2
    assert AuditEntry.objects.filter(action="organisation.import.create").count() == 5
    assert not AuditEntry.objects.filter(action="organisation.import.update").exists()


def test_nothing_is_half_imported_when_a_write_fails(agency, northside, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_rows, "audit_record", fail)

    with pytest.raises(RuntimeError):
        run(agency, csv_bytes(big_map(10, set())))

    assert not Organisation.objects.exists()
    assert not StanceChange.objects.exists()


def test_the_service_refuses_areas_of_another_agency(agency, other_agency):
    elsewhere = AreaFactory.create(agency=other_agency)
    row = import_index.ImportRow(line=2, name="X", category="other", area_ids=(elsewhere.pk,))

    with pytest.raises(Exception, match="own agency"):
        organisations_import(actor=None, agency=agency, rows=[row])

    assert not Organisation.objects.exists()


def test_importing_200_rows_takes_a_fixed_number_of_queries(
    agency, northside, django_assert_max_num_queries
):
    header = [*HEADER, "contact_name", "referred_by"]
    rows = [
        [*row, f"Person {i}", "ORG-00002" if i else ""] for i, row in enumerate(big_map(200, set()))
    ]
    data = csv_bytes(rows, header)

    with django_assert_max_num_queries(40):
        report = run(agency, data)
    assert report.counts.created == 200
    assert Referral.objects.count() == 199

    rows = [[*row[:5], "critic", *row[6:]] for row in rows]
    with django_assert_max_num_queries(40):
        report = run(agency, csv_bytes(rows, header))
    assert report.counts.updated == 200


def test_reading_keeps_blank_rows_out_and_their_numbers_in():
    table = read_table(b"name,category\n\nA,other\n,\n\n", "map.csv")

    assert [(row.line, row.cells["name"]) for row in table.rows] == [(3, "A")]


def test_two_rows_for_one_organisation_on_the_map_are_an_error(agency, northside):
    OrganisationFactory.create(agency=agency, name="Grace Chapel", areas=[northside])
    header = ["external_id", "name", "category", "areas"]
    rows = [
        ["", "Grace Chapel", "faith", "northside"],
        ["G-1", "grace chapel", "faith", "northside"],
    ]

    report = run(agency, csv_bytes(rows, header))

    assert [(p.line, p.column) for p in report.errors] == [(3, "external_id")]
    assert "line 2" in report.errors[0].reason


def test_an_ambiguous_referred_by_asks_for_an_external_id(agency):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")
    OrganisationFactory.create(agency=agency, name="Grace Chapel")

    report = run(
        agency, csv_bytes([["Youth", "other", "Grace Chapel"]], ["name", "category", "referred_by"])
    )

    assert [(p.line, p.column) for p in report.errors] == [(2, "referred_by")]
    assert "external_id" in report.errors[0].reason


def test_a_change_on_the_map_between_check_and_write_is_reported_not_raised(agency, monkeypatch):
    from django.core.exceptions import ValidationError

    from roundtable.stakeholders import importing

    def refuse(**kwargs):
        raise ValidationError("line 2 matches several organisations.")

    monkeypatch.setattr(importing, "organisations_import", refuse)

    report = run(agency, csv_bytes([["Grace Chapel", "faith"]], ["name", "category"]))

    assert not report.ran
    assert [str(p) for p in report.errors] == ["line 2 matches several organisations."]
