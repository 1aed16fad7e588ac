"""Exporting the Community Map: the columns import reads, so a round trip changes nothing."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from roundtable.audit.models import AuditEntry
from roundtable.stakeholders.exporting import csv_chunks, export_rows, xlsx_bytes
from roundtable.stakeholders.importing import import_file
from roundtable.stakeholders.models import (
    Contact,
    Organisation,
    OrganisationSector,
    Referral,
    Stance,
    StanceChange,
)
from roundtable.stakeholders.tabular import COLUMNS
from tests.factories import AreaFactory, ContactFactory, OrganisationFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community_map(agency):
    """A small but varied map: ids and none, areas, sectors, contacts, a referral."""
    northside = AreaFactory.create(agency=agency, name="Northside", slug="northside")
    riverbend = AreaFactory.create(agency=agency, name="Riverbend", slug="riverbend")
    chapel = OrganisationFactory.create(
        agency=agency,
        name="Grace Chapel",
        category="faith",
        areas=[riverbend, northside],
        sectors=["health", "housing"],
        stance=Stance.SUPPORTER,
        stance_note="Hosts the listening sessions.",
        website="https://grace.example.org",
        phone="+1 555 0100",
    )
    union = OrganisationFactory.create(
        agency=agency,
        name="Eastgate Tenants Union",
        external_id="ETU",
        areas=[northside],
        stance=Stance.CRITIC,
        description="Tenants of the Eastgate towers.\nMeets on Tuesdays.",
    )
    OrganisationFactory.create(
        agency=agency, name="Ana Flores", kind="individual", category="other"
    )
    ContactFactory.create(organisation=chapel, name="Old Pastor", is_active=False)
    ContactFactory.create(
        organisation=chapel,
        name="Rev. Miller",
        role="Pastor",
        email="miller@example.org",
        preferred_language="es",
        preferred_channel="phone",
        term_ends_on=dt.date(2027, 6, 30),
    )
    ContactFactory.create(organisation=chapel, name="Deacon Ray")
    ReferralFactory.create(referrer=chapel, referred=union)
    return agency


def exported_csv(agency):
    return "".join(csv_chunks(agency)).encode("utf-8")


def rows_by_name(data):
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return {row["name"]: row for row in reader}


def state(agency):
    """Everything an import could change, to compare before and after."""
    organisations = Organisation.objects.filter(agency=agency)
    return {
        "organisations": sorted(
            organisations.values_list(
                "pk",
                "name",
                "kind",
                "category",
                "stance",
                "stance_note",
                "description",
                "website",
                "email",
                "phone",
                "external_id",
                "updated_at",
            )
        ),
        "areas": sorted(
            Organisation.areas.through.objects.values_list("organisation_id", "area_id")
        ),
        "sectors": sorted(OrganisationSector.objects.values_list("organisation_id", "sector")),
        "contacts": sorted(
            Contact.objects.values_list(
                "pk",
                "organisation_id",
                "name",
                "role",
                "email",
                "phone",
                "preferred_language",
                "preferred_channel",
                "term_ends_on",
                "is_active",
            )
        ),
        "referrals": sorted(Referral.objects.values_list("referrer_id", "referred_id")),
        "stance_changes": StanceChange.objects.count(),
    }


def test_it_writes_one_row_per_organisation_with_its_first_active_contact(community_map):
    rows = rows_by_name(exported_csv(community_map))

    assert list(next(iter(rows.values())).keys()) == list(COLUMNS)
    assert sorted(rows) == ["Ana Flores", "Eastgate Tenants Union", "Grace Chapel"]
    chapel = rows["Grace Chapel"]
    assert chapel["areas"] == "northside;riverbend"
    assert chapel["sectors"] == "health;housing"
    assert (chapel["contact_name"], chapel["contact_language"], chapel["contact_term_ends"]) == (
        "Rev. Miller",
        "es",
        "2027-06-30",
    )
    # A phone number starting with + would run as a formula in a spreadsheet.
    assert chapel["phone"] == "'+1 555 0100"
    assert rows["Eastgate Tenants Union"]["referred_by"] == "Grace Chapel"
    assert rows["Ana Flores"]["contact_name"] == ""


def test_export_then_import_changes_nothing(community_map):
    before = state(community_map)

    report = import_file(
        actor=None, agency=community_map, data=exported_csv(community_map), filename="map.csv"
    )

    assert report.errors == []
    assert (report.counts.created, report.counts.updated, report.counts.unchanged) == (0, 0, 3)
    assert state(community_map) == before
    assert [e.action for e in AuditEntry.objects.all()] == ["organisation.import"]


def test_an_xlsx_export_imports_back_to_no_change_and_edits_come_through(community_map):
    before = state(community_map)
    data = xlsx_bytes(community_map)

    report = import_file(actor=None, agency=community_map, data=data, filename="map.xlsx")
    assert report.errors == []
    assert state(community_map) == before

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    for row in sheet.iter_rows(min_row=2):
        if row[COLUMNS.index("name")].value == "Eastgate Tenants Union":
            row[COLUMNS.index("stance")].value = "neutral"
    edited = io.BytesIO()
    workbook.save(edited)

    report = import_file(
        actor=None, agency=community_map, data=edited.getvalue(), filename="m.xlsx"
    )

    assert (report.counts.created, report.counts.updated) == (0, 1)
    assert Organisation.objects.get(external_id="ETU").stance == "neutral"
    assert Organisation.objects.count() == 3


def test_namesakes_without_ids_do_not_round_trip_and_the_error_says_how_to_fix_it(agency):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")
    OrganisationFactory.create(agency=agency, name="Grace Chapel")

    report = import_file(actor=None, agency=agency, data=exported_csv(agency), filename="map.csv")

    assert not report.ran
    assert {(p.line, p.column) for p in report.errors} == {(2, "name"), (3, "name")}
    assert report.errors[0].reason == (
        "2 organisations on the map have this name and could be this row. Give each of them "
        "an external_id (edit them on the map), then put the right one in this row's "
        "external_id column."
    )
    first, second = Organisation.objects.order_by("pk")
    for organisation, external_id in [(first, "GC-1"), (second, "GC-2")]:
        organisation.external_id = external_id
        organisation.save()

    report = import_file(actor=None, agency=agency, data=exported_csv(agency), filename="map.csv")

    assert report.errors == []
    assert report.counts.unchanged == 2


def test_a_value_that_looks_like_a_formula_stays_text_and_round_trips(agency):
    OrganisationFactory.create(agency=agency, name='=HYPERLINK("http://evil.example","x")')

    assert rows_by_name(exported_csv(agency)).popitem()[1]["name"].startswith("'=")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(agency))).active
    assert sheet.cell(row=2, column=COLUMNS.index("name") + 1).data_type == "s"

    report = import_file(actor=None, agency=agency, data=exported_csv(agency), filename="map.csv")

    assert report.counts.unchanged == 1
    assert Organisation.objects.get().name == '=HYPERLINK("http://evil.example","x")'


def test_the_csv_starts_with_a_byte_order_mark_for_excel(community_map):
    assert exported_csv(community_map).startswith(b"\xef\xbb\xbf")


def test_only_the_agencys_own_organisations_are_exported(community_map, other_agency):
    OrganisationFactory.create(agency=other_agency, name="Campus Safety Council")

    assert "Campus Safety Council" not in rows_by_name(exported_csv(community_map))


def test_exporting_reads_in_a_fixed_number_of_queries(agency, django_assert_max_num_queries):
    northside = AreaFactory.create(agency=agency)
    first = OrganisationFactory.create(agency=agency)
    for _ in range(60):
        organisation = OrganisationFactory.create(
            agency=agency, areas=[northside], sectors=["health"]
        )
        ContactFactory.create(organisation=organisation)
        ReferralFactory.create(referrer=first, referred=organisation)

    with django_assert_max_num_queries(8):
        rows = list(export_rows(agency))

    assert len(rows) == 62
