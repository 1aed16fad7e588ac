"""Reads for the open data pages and the public API: a dataset's rows (cached),
the catalogue with its data dictionary, and the Frictionless Data Package
descriptor (https://specs.frictionlessdata.io/data-package/).

Rows are cached per agency, dataset and language for
ROUNDTABLE_DASHBOARD_CACHE_SECONDS: survey weighting and hot spots take a
while, and the files are read far more often than the data change. What is
cached is what `Dataset.rows` returned, after its disclosure check, so a
cached file is the same figures as a fresh one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from roundtable.agencies.models import Agency
from roundtable.opendata.dataset import Dataset, Row
from roundtable.opendata.registry import datasets

CACHE_PREFIX = "opendata:rows"


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def dataset_rows(*, dataset: Dataset, agency: Agency) -> list[Row]:
    """The dataset's rows for the agency, in the active language, from the cache if fresh."""
    key = f"{CACHE_PREFIX}:{agency.pk}:{dataset.key}:{_language()}"
    rows: list[Row] | None = cache.get(key)
    if rows is None:
        rows = dataset.rows(agency)
        cache.set(key, rows, settings.ROUNDTABLE_DASHBOARD_CACHE_SECONDS)
    return rows


@dataclass(frozen=True)
class Licence:
    name: str
    url: str


def licence() -> Licence:
    return Licence(
        name=settings.ROUNDTABLE_OPEN_DATA_LICENCE, url=settings.ROUNDTABLE_OPEN_DATA_LICENCE_URL
    )


@dataclass(frozen=True)
class Download:
    format: str
    url: str
    media_type: str


MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "geojson": "application/geo+json",
}


def downloads(*, dataset: Dataset, agency: Agency) -> list[Download]:
    return [
        Download(
            format=fmt,
            url=reverse(f"opendata:{fmt}", args=[agency.slug, dataset.key]),
            media_type=MEDIA_TYPES[fmt],
        )
        for fmt in dataset.formats
    ]


@dataclass(frozen=True)
class Entry:
    dataset: Dataset
    downloads: list[Download]
    updated: dt.date | None


def catalogue(*, agency: Agency) -> list[Entry]:
    """Every dataset with its downloads and the day its data last changed."""
    return [
        Entry(dataset=d, downloads=downloads(dataset=d, agency=agency), updated=d.updated(agency))
        for d in datasets()
    ]


def field_dictionary(dataset: Dataset) -> list[dict[str, Any]]:
    """The dataset's fields as a Frictionless Table Schema's `fields` (unit added where set)."""
    out = []
    for field in dataset.fields:
        entry: dict[str, Any] = {
            "name": field.name,
            "type": field.type,
            "description": str(field.description),
        }
        if field.unit:
            entry["unit"] = str(field.unit)
        if field.name == "id":
            entry["constraints"] = {"required": True, "unique": True}
        out.append(entry)
    return out


def dictionary(*, agency: Agency, absolute: str = "") -> dict[str, Any]:
    """The catalogue and data dictionary as one JSON object (also the API's answer)."""
    chosen = licence()
    return {
        "agency": agency.name,
        "licence": {"name": chosen.name, "url": chosen.url},
        "datasets": [
            {
                "key": entry.dataset.key,
                "title": str(entry.dataset.title),
                "description": str(entry.dataset.description),
                "geometry": entry.dataset.geometry,
                "updated": None if entry.updated is None else entry.updated.isoformat(),
                "formats": {d.format: absolute + d.url for d in entry.downloads},
                "fields": field_dictionary(entry.dataset),
            }
            for entry in catalogue(agency=agency)
        ],
    }


def datapackage(*, agency: Agency, absolute: str) -> dict[str, Any]:
    """A Frictionless Data Package descriptor: every dataset as a resource, with its
    schema (the data dictionary), primary key and the licence. `absolute` is the
    site's scheme and host, so the paths are full addresses."""
    chosen = licence()
    resources: list[dict[str, Any]] = []
    for d in datasets():
        schema = {"fields": field_dictionary(d), "primaryKey": ["id"]}
        csv_url = absolute + reverse("opendata:csv", args=[agency.slug, d.key])
        resources.append(
            {
                "name": d.key,
                "title": str(d.title),
                "description": str(d.description),
                "path": csv_url,
                "format": "csv",
                "mediatype": MEDIA_TYPES["csv"],
                "encoding": "utf-8-sig",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
        if d.geometry:
            resources.append(
                {
                    "name": f"{d.key}-geojson",
                    "title": str(d.title),
                    "description": str(d.description),
                    "path": absolute + reverse("opendata:geojson", args=[agency.slug, d.key]),
                    "format": "geojson",
                    "mediatype": MEDIA_TYPES["geojson"],
                    "profile": "data-resource",
                }
            )
    return {
        "profile": "data-package",
        "name": f"roundtable-{agency.slug}",
        "title": str(agency.name),
        "homepage": absolute + reverse("opendata:catalogue", args=[agency.slug]),
        # The spec wants `name` to be an Open Definition id; the setting is a title.
        "licenses": [{"path": chosen.url, "title": chosen.name}],
        "resources": resources,
    }
