"""The import and export pages, with who may and may not use each."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.stakeholders.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

GOOD = b"name,category,email\nGrace Chapel,faith,\nEastgate Tenants Union,other,\n"
ONE_BAD = GOOD + b"Corner Store,bakery,not-an-email\n"


def import_url(agency):
    return reverse("stakeholders:import", args=[agency.slug])


def export_url(agency, fmt):
    return reverse("stakeholders:export", args=[agency.slug, fmt])


def upload(client, agency, data, name="map.csv", **fields):
    return client.post(import_url(agency), {"file": SimpleUploadedFile(name, data), **fields})


def test_coordinators_see_the_upload_form(agency, casey, client_for):
    response = client_for(casey).get(import_url(agency))

    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b'name="skip_invalid"' in response.content
    # Strict CSP: no inline script or style.
    assert b"<script>" not in response.content and b"style=" not in response.content


def test_a_good_file_is_imported_and_the_coordinator_sent_to_the_map(agency, casey, client_for):
    client = client_for(casey)

    response = upload(client, agency, GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("stakeholders:list", args=[agency.slug])
    assert Organisation.objects.filter(agency=agency).count() == 2
    entry = AuditEntry.objects.get(action="organisation.import")
    assert entry.actor == casey
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Imported 2 rows: 2 created, 0 updated, 0 unchanged."]


def test_bad_rows_are_shown_as_a_table_and_nothing_is_imported(agency, casey, client_for):
    response = upload(client_for(casey), agency, ONE_BAD)

    assert response.status_code == 200
    assert not Organisation.objects.exists()
    problems = [(p.line, p.column) for p in response.context["report"].errors]
    assert problems == [(4, "category"), (4, "email")]
    assert b"Nothing was imported" in response.content
    assert b"<code>email</code>" in response.content
    assert b"Enter a valid email address." in response.content


def test_skip_invalid_imports_the_good_rows_and_says_which_were_skipped(agency, casey, client_for):
    response = upload(client_for(casey), agency, ONE_BAD, skip_invalid="on")

    assert response.status_code == 302
    assert Organisation.objects.count() == 2
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[1] == "Skipped 1 row with errors (line 4)."


def test_an_excel_file_is_imported(agency, casey, client_for):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Category"])
    workbook.active.append(["Grace Chapel", "Faith community"])
    data = io.BytesIO()
    workbook.save(data)

    response = upload(client_for(casey), agency, data.getvalue(), name="map.xlsx")

    assert response.status_code == 302
    assert Organisation.objects.get().category == "faith"


def test_an_unknown_column_is_explained(agency, casey, client_for):
    response = upload(client_for(casey), agency, b"name,category,colour\nA,other,red\n")

    assert response.status_code == 200
    assert b"The file cannot be imported" in response.content
    assert b"Unknown columns: colour." in response.content


def test_only_csv_and_xlsx_files_are_accepted(agency, casey, client_for):
    response = upload(client_for(casey), agency, b"whatever", name="map.xls")

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["report"] is None


def test_analysts_command_and_admins_may_export_but_only_editors_import(
    agency, ana, cleo, adam, casey, client_for
):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")
    for person in (ana, cleo):
        client = client_for(person)
        assert client.get(import_url(agency)).status_code == 403, person
        assert upload(client, agency, GOOD).status_code == 403, person
    for person in (casey, adam):
        assert client_for(person).get(import_url(agency)).status_code == 200, person
    for person in (ana, cleo, adam, casey):
        assert client_for(person).post(export_url(agency, "csv")).status_code == 200, person
    assert not Organisation.objects.exclude(name="Grace Chapel").exists()


def test_residents_partners_and_other_agencies_may_do_neither(agency, rosa, pat, uma, client_for):
    for person in (rosa, pat, uma):
        client = client_for(person)
        assert client.get(import_url(agency)).status_code == 403, person
        assert upload(client, agency, GOOD).status_code == 403, person
        assert client.post(export_url(agency, "csv")).status_code == 403, person
        assert client.post(export_url(agency, "xlsx")).status_code == 403, person
    assert not Organisation.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(agency, client):
    for response in (client.get(import_url(agency)), client.post(export_url(agency, "csv"))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_csv_export_streams_an_attachment(agency, ana, client_for):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")

    response = client_for(ana).post(export_url(agency, "csv"))

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="riverside-community-map-'
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("external_id,name,kind,category")
    assert "Grace Chapel" in body


def test_an_export_is_recorded_in_the_audit_log(agency, ana, client_for):
    from roundtable.audit.models import AuditEntry

    OrganisationFactory.create(agency=agency)
    client_for(ana).post(export_url(agency, "xlsx"))
    entry = AuditEntry.objects.get(action="organisation.export")
    assert entry.actor == ana
    assert entry.after == {"format": "xlsx", "organisations": 1}


def test_the_xlsx_export_is_a_workbook(agency, ana, client_for):
    OrganisationFactory.create(agency=agency, name="Grace Chapel")

    response = client_for(ana).post(export_url(agency, "xlsx"))

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == "Grace Chapel"


def test_other_formats_are_not_found_and_export_is_post_only(agency, ana, client_for):
    client = client_for(ana)

    assert client.post(export_url(agency, "pdf")).status_code == 404
    # A GET would let a link on another site make a staff browser take an export.
    assert client.get(export_url(agency, "csv")).status_code == 405
