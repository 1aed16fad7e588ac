"""Open data in the public API, under /api/v1/public/agencies/{agency}/datasets.

No sign-in: these are the open data files as JSON. `GET {agency}/datasets` is the
catalogue with every dataset's data dictionary; `GET {agency}/datasets/{key}` is
one dataset: its rows, or a GeoJSON FeatureCollection for the datasets with
shapes (hot spots, areas). One endpoint per dataset is made from the registry,
each with a response schema built from the data dictionary, so that
/api/v1/openapi.json describes every field. The rows are those of the
download files (`selectors.dataset_rows`): disclosure-checked, cached, in the
language of the request's Accept-Language header.

The agency's short name is the path parameter `agency`, as in the other public
endpoints: `{slug}` marks the endpoints of agency staff, which the access tests
check refuse the public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import create_model

from roundtable.agencies.models import Agency
from roundtable.opendata import formats, selectors
from roundtable.opendata.dataset import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    STRING,
    Dataset,
)
from roundtable.opendata.registry import datasets

router = Router(tags=["Open data"])

PYTHON_TYPES: dict[str, Any] = {
    STRING: str,
    INTEGER: int,
    NUMBER: float,
    BOOLEAN: bool,
    DATE: dt.date,
    DATETIME: dt.datetime,
}


class ErrorOut(Schema):
    detail: str


class LicenceOut(Schema):
    name: str
    url: str


class FieldOut(Schema):
    name: str
    type: str = Field(description="Frictionless Table Schema type")
    description: str
    unit: str = ""


class DatasetOut(Schema):
    key: str = Field(description="Stable key, part of every address of the dataset")
    title: str
    description: str
    geometry: bool = Field(description="True when the dataset is served as GeoJSON")
    updated: dt.date | None = Field(description="Day its data last changed")
    formats: dict[str, str] = Field(description="Download address per format")
    fields: list[FieldOut] = Field(description="The data dictionary")


class CatalogueOut(Schema):
    agency: str
    licence: LicenceOut
    datasets: list[DatasetOut]


class GeometryOut(Schema):
    type: str = Field(description="A GeoJSON geometry type (Polygon, MultiPolygon)")
    coordinates: list[Any] = Field(description="Longitude, latitude (WGS 84)")


def _agency(slug: str) -> Agency:
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        raise HttpError(404, "No such agency.")
    return agency


def _licence() -> LicenceOut:
    chosen = selectors.licence()
    return LicenceOut(name=chosen.name, url=chosen.url)


@router.get("{agency}/datasets", response={200: CatalogueOut, 404: ErrorOut})
def list_datasets(request: HttpRequest, agency: str) -> dict[str, Any]:
    """Every public dataset of the agency, with its data dictionary, licence and downloads."""
    site = request.build_absolute_uri("/").rstrip("/")
    return selectors.dictionary(agency=_agency(agency), absolute=site)


def _camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("-"))


def _model(name: str, definitions: dict[str, Any]) -> type[Schema]:
    model: type[Schema] = create_model(name, __base__=Schema, **definitions)
    return model


def row_schema(dataset: Dataset) -> type[Schema]:
    """The schema of one row, from the data dictionary (every field but `id` may be empty)."""
    definitions: dict[str, Any] = {}
    for field in dataset.fields:
        python = PYTHON_TYPES[field.type]
        description = str(field.description)
        if field.unit:
            description += f" Unit: {field.unit}."
        if field.name == "id":
            definitions[field.name] = (python, Field(description=description))
        else:
            definitions[field.name] = (python | None, Field(None, description=description))
    return _model(f"{_camel(dataset.key)}Row", definitions)


# GeoJSON's fixed member values, as types for the schemas below.
FEATURE: Any = Literal["Feature"]
FEATURE_COLLECTION: Any = Literal["FeatureCollection"]


def response_schema(dataset: Dataset) -> type[Schema]:
    """Rows in an envelope, or a FeatureCollection of them for a geometry dataset."""
    row: Any = row_schema(dataset)
    name = _camel(dataset.key)
    if not dataset.geometry:
        return _model(
            f"{name}Rows",
            {
                "dataset": (str, ...),
                "title": (str, ...),
                "licence": (LicenceOut, ...),
                "fields": (list[str], ...),
                "rows": (list[row], ...),
            },
        )
    feature: Any = _model(
        f"{name}Feature",
        {
            "type": (FEATURE, ...),
            "id": (str, ...),
            "properties": (row, ...),
            "geometry": (GeometryOut | None, ...),
        },
    )
    return _model(
        f"{name}FeatureCollection",
        {
            "type": (FEATURE_COLLECTION, ...),
            "dataset": (str, ...),
            "licence": (LicenceOut, ...),
            "features": (list[feature], ...),
        },
    )


def _endpoint(dataset: Dataset) -> Any:
    def endpoint(request: HttpRequest, agency: str) -> dict[str, Any]:
        rows = selectors.dataset_rows(dataset=dataset, agency=_agency(agency))
        licence = _licence()
        if dataset.geometry:
            return {
                **formats.feature_collection(dataset, rows),
                "dataset": dataset.key,
                "licence": licence,
            }
        return {
            "dataset": dataset.key,
            "title": str(dataset.title),
            "licence": licence,
            "fields": dataset.field_names,
            "rows": [{name: row[name] for name in dataset.field_names} for row in rows],
        }

    endpoint.__name__ = f"dataset_{dataset.key.replace('-', '_')}"
    return endpoint


def _register() -> None:
    for dataset in datasets():
        router.add_api_operation(
            f"{{agency}}/datasets/{dataset.key}",
            ["GET"],
            _endpoint(dataset),
            response={200: response_schema(dataset), 404: ErrorOut},
            operation_id=f"open_data_{dataset.key.replace('-', '_')}",
            summary=str(dataset.title),
            description=str(dataset.description)
            + (" A GeoJSON FeatureCollection." if dataset.geometry else ""),
        )


_register()
