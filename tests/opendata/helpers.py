"""Reading the open data back, as a reuser would: every format, parsed into rows."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from roundtable.agencies.models import Agency
from roundtable.opendata.registry import dataset


def _number(text: str) -> Any:
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return {"true": True, "false": False}.get(text, text)


def csv_rows(client: Client, agency: Agency, key: str) -> list[dict[str, Any]]:
    response = client.get(reverse("opendata:csv", args=[agency.slug, key]))
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return [
        {name: _number(value) for name, value in row.items()}
        for row in csv.DictReader(io.StringIO(text[1:]))
    ]


def json_rows(client: Client, agency: Agency, key: str) -> list[dict[str, Any]]:
    if dataset(key).geometry:
        response = client.get(reverse("opendata:geojson", args=[agency.slug, key]))
        assert response.status_code == 200
        return [f["properties"] for f in json.loads(response.content)["features"]]
    response = client.get(reverse("opendata:json", args=[agency.slug, key]))
    assert response.status_code == 200
    rows: list[dict[str, Any]] = json.loads(response.content)["rows"]
    return rows


def api_rows(client: Client, agency: Agency, key: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/public/agencies/{agency.slug}/datasets/{key}")
    assert response.status_code == 200, response.content
    body = response.json()
    if dataset(key).geometry:
        return [f["properties"] for f in body["features"]]
    rows: list[dict[str, Any]] = body["rows"]
    return rows


FORMATS = {"csv": csv_rows, "json": json_rows, "api": api_rows}


def every_format(client: Client, agency: Agency, key: str) -> dict[str, list[dict[str, Any]]]:
    return {name: read(client, agency, key) for name, read in FORMATS.items()}
