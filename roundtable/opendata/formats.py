"""A dataset's rows as CSV, JSON or GeoJSON text. Pure: rows in, text out.

CSV: a header of the dictionary's field names, then one line per row; a byte
order mark first so spreadsheet programs read UTF-8; empty cells for missing
values; true/false for booleans; text cells defused (`defuse_cell`) so that a
spreadsheet never runs one as a formula. Geometry datasets' CSV leaves the
shapes out (their `id` names the place: an H3 cell, an area's short name).

JSON: {"dataset", "licence", "fields", "rows"}. GeoJSON: a FeatureCollection
whose features carry the row's `id` and its other fields as properties.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from roundtable.opendata.dataset import BOOLEAN, GEOMETRY, STRING, Dataset, Row
from roundtable.stakeholders.tabular import defuse_cell


def _cell(value: Any, field_type: str) -> str:
    if value is None:
        return ""
    if field_type == BOOLEAN:
        return "true" if value else "false"
    text = str(value)
    # Numbers and dates never start a formula; a negative number must stay a number.
    return defuse_cell(text) if field_type == STRING else text


def to_csv(dataset: Dataset, rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(dataset.field_names)
    types = [f.type for f in dataset.fields]
    for row in rows:
        writer.writerow(
            [_cell(row[name], t) for name, t in zip(dataset.field_names, types, strict=True)]
        )
    return out.getvalue()


def _properties(dataset: Dataset, row: Row) -> dict[str, Any]:
    return {name: row[name] for name in dataset.field_names}


def to_json(dataset: Dataset, rows: list[Row], *, licence: dict[str, str]) -> str:
    document = {
        "dataset": dataset.key,
        "title": str(dataset.title),
        "licence": licence,
        "fields": dataset.field_names,
        "rows": [_properties(dataset, row) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def feature_collection(dataset: Dataset, rows: list[Row]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["id"],
                "properties": _properties(dataset, row),
                "geometry": row.get(GEOMETRY),
            }
            for row in rows
        ],
    }


def to_geojson(dataset: Dataset, rows: list[Row], *, licence: dict[str, str]) -> str:
    document = {
        **feature_collection(dataset, rows),
        "dataset": dataset.key,
        "licence": licence,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
