"""The open data pages and files: catalogue, dictionary, licence, stable ids,
defused CSV, cache headers; open to anyone, for the agency named only."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import override_settings
from django.urls import reverse

from roundtable.opendata.registry import dataset, datasets
from tests.opendata.city import FORMULA
from tests.opendata.helpers import csv_rows, json_rows

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_every_dataset_with_formats_dictionary_licence_and_update(
    agency, city, client
):
    response = client.get(reverse("opendata:catalogue", args=[agency.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    for found in datasets():
        assert f'id="dataset-{found.key}"' in body
        assert reverse("opendata:dataset", args=[agency.slug, found.key]) in body
        for fmt in found.formats:
            assert reverse(f"opendata:{fmt}", args=[agency.slug, found.key]) in body
    assert "CC BY 4.0" in body and "https://creativecommons.org/licenses/by/4.0/" in body
    entries = {e.dataset.key: e for e in response.context["entries"]}
    assert entries["measure-values"].updated is not None
    assert reverse("opendata:datapackage", args=[agency.slug]) in body


@override_settings(
    ROUNDTABLE_OPEN_DATA_LICENCE="Open Government Licence",
    ROUNDTABLE_OPEN_DATA_LICENCE_URL="https://example.gov/licence",
)
def test_the_licence_is_the_configured_one_on_pages_and_in_files(agency, city, client):
    page = client.get(reverse("opendata:dataset", args=[agency.slug, "measures"])).content
    assert b"Open Government Licence" in page and b"https://example.gov/licence" in page
    document = json.loads(
        client.get(reverse("opendata:json", args=[agency.slug, "measures"])).content
    )
    assert document["licence"] == {
        "name": "Open Government Licence",
        "url": "https://example.gov/licence",
    }
    package = client.get(reverse("opendata:datapackage", args=[agency.slug])).json()
    assert package["licenses"] == [
        {"path": "https://example.gov/licence", "title": "Open Government Licence"}
    ]


def test_anyone_may_read_them_signed_in_or_not(agency, city, client, rosa, pat, uma, client_for):
    url = reverse("opendata:json", args=[agency.slug, "ledger-figures"])
    expected = client.get(url).content
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).content == expected


def test_an_agency_s_files_hold_its_own_data_only(agency, other_agency, city, client):
    rows = json_rows(client, other_agency, "incidents-by-area")
    assert rows == [] or all(r["area"] == "" for r in rows)
    assert json_rows(client, other_agency, "public-answers") == []
    assert client.get(reverse("opendata:catalogue", args=["nowhere"])).status_code == 404


def test_an_unknown_dataset_or_format_is_not_found(agency, client):
    assert client.get(reverse("opendata:dataset", args=[agency.slug, "secrets"])).status_code == 404
    assert client.get(reverse("opendata:csv", args=[agency.slug, "secrets"])).status_code == 404
    assert (
        client.get(reverse("opendata:geojson", args=[agency.slug, "measures"])).status_code == 404
    )
    assert client.get(reverse("opendata:json", args=[agency.slug, "areas"])).status_code == 404


def test_every_row_has_a_unique_id_that_stays_the_same_between_requests(agency, city, client):
    from django.core.cache import cache

    for found in datasets():
        first = [r["id"] for r in json_rows(client, agency, found.key)]
        cache.clear()  # assembled again, not served from the cache
        second = [r["id"] for r in json_rows(client, agency, found.key)]
        assert first == second, found.key
        assert len(set(first)) == len(first), found.key


def test_ids_are_built_from_stable_keys(agency, city, client):
    ids = {r["id"] for r in json_rows(client, agency, "incidents-by-area")}
    assert {"all/crimes/28d", "north/theft/ytd", "south/burglary/28d"} <= ids
    ids = {r["id"] for r in json_rows(client, agency, "measure-values")}
    assert f"custom-{city.measure.pk}/2026-09/north" in ids
    ids = {r["id"] for r in json_rows(client, agency, "areas")}
    assert ids == {"north", "south"}


def test_the_dictionary_covers_every_field_of_every_dataset(agency, city, client):
    for found in datasets():
        names = found.field_names
        assert names[0] == "id" and len(set(names)) == len(names)
        assert all(str(f.description).strip() for f in found.fields), found.key
        header = next(
            csv.reader(
                io.StringIO(
                    client.get(
                        reverse("opendata:csv", args=[agency.slug, found.key])
                    ).content.decode()[1:]
                )
            )
        )
        assert header == names, found.key
        for row in found.rows(agency):
            assert set(row) - {"geometry"} == set(names), found.key
        page = client.get(reverse("opendata:dataset", args=[agency.slug, found.key])).content
        for name in names:
            assert f"<code>{name}</code>".encode() in page, (found.key, name)


def test_the_dictionary_json_and_the_data_package_describe_every_field(agency, city, client):
    dictionary = client.get(reverse("opendata:dictionary", args=[agency.slug])).json()
    package = client.get(reverse("opendata:datapackage", args=[agency.slug])).json()
    assert package["profile"] == "data-package"
    resources = {r["name"]: r for r in package["resources"]}
    for found in datasets():
        described = next(d for d in dictionary["datasets"] if d["key"] == found.key)
        assert [f["name"] for f in described["fields"]] == found.field_names
        schema = resources[found.key]["schema"]
        assert [f["name"] for f in schema["fields"]] == found.field_names
        assert schema["primaryKey"] == ["id"]
        assert resources[found.key]["path"].startswith("http://testserver/p/riverside/data/")
    assert resources["hotspots-geojson"]["format"] == "geojson"


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(agency, city, client):
    rows = csv_rows(client, agency, "public-answers")
    said = [r["said"] for r in rows if "HYPERLINK" in str(r["said"])]
    assert said == ["'" + FORMULA]
    # JSON keeps the text as it is: no spreadsheet reads it.
    assert FORMULA in [r["said"] for r in json_rows(client, agency, "public-answers")]


def test_negative_numbers_stay_numbers_in_csv():
    from roundtable.opendata.formats import to_csv

    found = dataset("incidents-by-area")
    row = dict.fromkeys(found.field_names)
    row.update(id="all/crimes/28d", offence="-crimes", change_percent=-12.5, current=10)
    text = to_csv(found, [row])
    assert ",-12.5," in text and ",'-crimes," in text


def test_files_are_cacheable_and_answer_304_when_unchanged(agency, city, client):
    url = reverse("opendata:csv", args=[agency.slug, "meetings"])
    response = client.get(url)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Disposition"] == 'attachment; filename="riverside-meetings.csv"'
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_geometry_datasets_are_geojson_feature_collections(agency, city, client):
    response = client.get(reverse("opendata:geojson", args=[agency.slug, "areas"]))
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(response.content)
    assert document["type"] == "FeatureCollection"
    feature = document["features"][0]
    assert feature["id"] == feature["properties"]["id"]
    assert feature["geometry"]["type"] == "Polygon"


def test_files_are_compressed_for_clients_that_accept_it(agency, city, client):
    import gzip

    url = reverse("opendata:json", args=[agency.slug, "incidents-by-area"])
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    # The weakened ETag still answers a repeated request with 304.
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304
