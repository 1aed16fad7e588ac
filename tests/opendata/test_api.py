"""Open data through the API: described by /api/v1/openapi.json, open to anyone,
the same rows as the files."""

from __future__ import annotations

import json

import pytest

from roundtable.opendata.registry import datasets
from tests.opendata.helpers import api_rows, json_rows

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_dataset_with_its_fields(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    assert "get" in paths["/api/v1/public/agencies/{agency}/datasets"]
    components = schema["components"]["schemas"]
    for found in datasets():
        operation = paths[f"/api/v1/public/agencies/{{agency}}/datasets/{found.key}"]["get"]
        assert "security" not in operation or operation["security"] == []
        reference = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert reference["$ref"].split("/")[-1] in components
        row = components["".join(p.capitalize() for p in found.key.split("-")) + "Row"]
        assert list(row["properties"]) == found.field_names
        assert all(p.get("description") for p in row["properties"].values()), found.key
    catalogue = components["CatalogueOut"]["properties"]
    assert {"agency", "licence", "datasets"} <= set(catalogue)


def test_anyone_reads_the_catalogue_without_signing_in(agency, city, client):
    response = client.get(f"/api/v1/public/agencies/{agency.slug}/datasets")
    assert response.status_code == 200
    body = response.json()
    assert body["licence"]["name"] == "CC BY 4.0"
    keys = [d["key"] for d in body["datasets"]]
    assert keys == [d.key for d in datasets()]
    measures = next(d for d in body["datasets"] if d["key"] == "measures")
    assert measures["fields"][0]["name"] == "id"
    assert measures["formats"]["csv"].endswith("/p/riverside/data/measures.csv")


def test_the_api_gives_the_same_rows_as_the_files(agency, city, client):
    for found in datasets():
        assert api_rows(client, agency, found.key) == json_rows(client, agency, found.key)


def test_geometry_datasets_come_as_feature_collections(agency, city, client):
    body = client.get(f"/api/v1/public/agencies/{agency.slug}/datasets/hotspots").json()
    assert body["type"] == "FeatureCollection" and body["features"]
    assert body["features"][0]["geometry"]["type"] == "Polygon"


def test_an_unknown_agency_is_not_found(client, db):
    assert client.get("/api/v1/public/agencies/nowhere/datasets").status_code == 404
    assert client.get("/api/v1/public/agencies/nowhere/datasets/measures").status_code == 404
    assert client.get("/api/v1/public/agencies/nowhere/datasets/secrets").status_code == 404
