"""The import pages: upload, map the columns, check, import."""

from pathlib import Path

import pytest
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import Input, InputChannel
from roundtable.inputs.views_io import SESSION_KEY
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def _upload(client, agency, name="311-export.csv", channel="311"):
    with (DATA / name).open("rb") as handle:
        return client.post(
            reverse("inputs:import_upload", args=[agency.slug]),
            {"channel": channel, "file": handle},
        )


def _mapping(**overrides):
    fields = {
        "map_text": "description",
        "map_received_at": "created_date",
        "map_external_id": "service_request_id",
        "map_topic": "",
        "map_area": "",
        "map_latitude": "latitude",
        "map_longitude": "longitude",
        "map_language": "",
        "default_topic": "safety_concern",
        "default_language": "en",
    }
    return {**fields, **overrides}


def test_anonymous_visitors_are_sent_to_sign_in(agency, client):
    for name in ("inputs:import_upload", "inputs:import_map"):
        response = client.get(reverse(name, args=[agency.slug]))
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_only_ledger_editors_of_the_agency_may_import(
    agency, rosa, pat, ana, cleo, uma, client_for
):
    for person in (rosa, pat, ana, cleo, uma):
        client = client_for(person)
        for name in ("inputs:import_upload", "inputs:import_map"):
            assert client.get(reverse(name, args=[agency.slug])).status_code == 403
        assert _upload(client, agency).status_code == 403
    assert Input.objects.count() == 0


def test_the_upload_page_asks_for_the_channel_and_the_file(agency, adam, client_for):
    page = client_for(adam).get(reverse("inputs:import_upload", args=[agency.slug]))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'type="file"' in content and 'value="social_media"' in content


def test_an_unreadable_file_is_refused_at_the_upload(agency, casey, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(casey)
    bad = SimpleUploadedFile("export.csv", "Description\n".encode("utf-16"))
    page = client.post(
        reverse("inputs:import_upload", args=[agency.slug]), {"channel": "311", "file": bad}
    )
    assert page.status_code == 200
    assert "The file is not UTF-8 text" in page.content.decode()
    assert SESSION_KEY not in client.session


def test_the_mapping_page_guesses_the_columns_and_previews_the_first_rows(
    agency, casey, client_for
):
    client = client_for(casey)
    response = _upload(client, agency)
    assert response.status_code == 302
    assert response["Location"] == reverse("inputs:import_map", args=[agency.slug])
    page = client.get(response["Location"]).content.decode()
    assert '<option value="description" selected>Description</option>' in page
    assert '<option value="created_date" selected>Created Date</option>' in page
    assert "Streetlight out at the bus stop" in page
    # The fifth row is previewed, the sixth is not.
    assert "Loud parties every weekend" in page and "Hay gente vendiendo" not in page
    assert "<code>Contact Phone</code>" in page  # listed among the columns not imported
    assert "Dana Whitfield" not in page  # and never shown


def test_rows_with_problems_are_listed_and_nothing_is_imported(agency, casey, client_for):
    client = client_for(casey)
    _upload(client, agency)
    page = client.post(
        reverse("inputs:import_map", args=[agency.slug]), {**_mapping(), "import": "1"}
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "2 rows have problems" in content
    assert "<code>Created Date</code>" in content and "The text is empty." in content
    assert Input.objects.count() == 0
    assert SESSION_KEY in client.session  # kept, to try again


def test_the_valid_rows_are_imported_when_asked_and_the_file_is_forgotten(
    agency, casey, client_for
):
    AreaFactory.create(agency=agency, name="Millbrook", slug="millbrook")
    client = client_for(casey)
    _upload(client, agency)
    response = client.post(
        reverse("inputs:import_map", args=[agency.slug]),
        {**_mapping(map_area="neighborhood"), "skip_invalid": "on", "import": "1"},
        follow=True,
    )
    content = response.content.decode()
    # Only Millbrook exists: rows of other neighbourhoods are skipped too.
    imported = Input.objects.filter(channel=InputChannel.THREE_ONE_ONE)
    assert imported.count() == 5
    assert f"Imported {imported.count()} inputs" in content
    assert "Skipped 25 rows with errors" in content
    assert set(imported.values_list("topic", flat=True)) == {"safety_concern"}
    assert all(i.recorded_by == casey and i.is_anonymous for i in imported)
    assert AuditEntry.objects.filter(action="inputs.import", actor=casey).count() == 1
    assert SESSION_KEY not in client.session


def test_a_column_can_hold_one_field_only(agency, casey, client_for):
    client = client_for(casey)
    _upload(client, agency)
    page = client.post(
        reverse("inputs:import_map", args=[agency.slug]),
        {**_mapping(map_external_id="description"), "import": "1"},
    )
    assert "This column is already used for" in page.content.decode()
    assert Input.objects.count() == 0


def test_the_preview_follows_the_chosen_mapping(agency, casey, client_for):
    client = client_for(casey)
    _upload(client, agency)
    page = client.post(
        reverse("inputs:import_map", args=[agency.slug]),
        {**_mapping(map_text="service_request_type"), "preview": "1"},
    ).content.decode()
    assert "Police - Non-Emergency Concern" in page
    assert Input.objects.count() == 0


def test_cancel_discards_the_file(agency, casey, client_for):
    client = client_for(casey)
    _upload(client, agency)
    response = client.post(reverse("inputs:import_map", args=[agency.slug]), {"cancel": "1"})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    again = client.get(reverse("inputs:import_map", args=[agency.slug]))
    assert again["Location"] == reverse("inputs:import_upload", args=[agency.slug])


def test_a_file_uploaded_for_one_agency_is_not_imported_into_another(
    agency, other_agency, casey, client_for
):
    from roundtable.accounts.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory.create(user=casey, agency=other_agency, role=Role.COORDINATOR)
    client = client_for(casey)
    _upload(client, agency)
    response = client.get(reverse("inputs:import_map", args=[other_agency.slug]))
    assert response.status_code == 302


def test_the_mapping_page_reads_the_file_with_few_queries(
    agency, casey, client_for, django_assert_max_num_queries
):
    client = client_for(casey)
    _upload(client, agency)
    with django_assert_max_num_queries(8):
        client.get(reverse("inputs:import_map", args=[agency.slug]))
