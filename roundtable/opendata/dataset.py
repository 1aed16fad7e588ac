"""What a public dataset is: its data dictionary and how its rows are made.

Each dataset names its fields (name, type, unit, description: the data
dictionary, translated like the rest of the interface) and builds its rows for
an agency from the *public* selectors of the app it comes from, the same ones
the public pages use, which apply the disclosure rules (`roundtable.disclosure`).
`Dataset.rows` then checks, as a last line of defence, that no field the
dictionary declares a count holds a figure from 1 to the minimum − 1
(`disclosure.check_published`), and that every row carries exactly the
dictionary's fields and a unique `id`.

Rows are plain JSON values (str, int, float, bool, None; dates as ISO 8601
text), so the CSV, JSON, GeoJSON and API forms are the same figures. A
geometry dataset's rows carry one more key, `geometry`, a GeoJSON geometry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from roundtable.agencies.models import Agency
from roundtable.disclosure import check_published

Row = dict[str, Any]

# Frictionless Table Schema types (https://specs.frictionlessdata.io/table-schema/).
STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
)
TYPES = (STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME)
GEOMETRY = "geometry"
# The row id of a figure for the whole jurisdiction rather than one area.
ALL_AREAS = "all"


@dataclass(frozen=True)
class Field:
    """One column of a dataset, as the data dictionary describes it.

    `count` names the disclosure rule for a count of people or events
    ("count": incidents, inputs; "respondents": survey answers): such a field
    never holds a figure from 1 to the minimum − 1 (`disclosure.minimum_count`).
    """

    name: str
    type: str
    description: Promise | str
    unit: Promise | str = ""
    count: str = ""

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown field type {self.type!r}")


@dataclass(frozen=True)
class Dataset:
    key: str  # stable: part of every address and of the API's paths
    title: Promise | str
    description: Promise | str
    fields: tuple[Field, ...]
    build: Callable[[Agency], list[Row]]
    # The day the data last changed, for the catalogue (None: nothing yet).
    updated: Callable[[Agency], dt.date | None]
    geometry: bool = False

    @property
    def formats(self) -> tuple[str, ...]:
        """Geometry datasets: GeoJSON, and CSV without the shapes. Others: CSV and JSON."""
        return ("geojson", "csv") if self.geometry else ("csv", "json")

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def count_fields(self, kind: str) -> list[str]:
        return [f.name for f in self.fields if f.count == kind]

    def rows(self, agency: Agency) -> list[Row]:
        """The agency's rows, checked against the dictionary and the disclosure rules."""
        rows = self.build(agency)
        expected = set(self.field_names) | ({GEOMETRY} if self.geometry else set())
        ids: set[str] = set()
        for row in rows:
            if set(row) != expected:
                raise ValueError(
                    f"{self.key}: row fields {sorted(row)} differ from the dictionary's"
                )
            if row["id"] in ids:
                raise ValueError(f"{self.key}: duplicate id {row['id']!r}")
            ids.add(row["id"])
        for kind in sorted({f.count for f in self.fields if f.count}):
            check_published(rows, count_fields=self.count_fields(kind), kind=kind)
        return rows


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def month_id(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def text_id(*parts: str, length: int = 16) -> str:
    """A short identifier that depends only on `parts` (for rows with no key of their own)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def unique_ids(rows: Sequence[Row]) -> list[Row]:
    """Rows whose ids repeat get "-2", "-3" … in order, so ids stay unique and stable
    for as long as the rows keep their order."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        base = str(row["id"])
        seen[base] = seen.get(base, 0) + 1
        out.append(row if seen[base] == 1 else {**row, "id": f"{base}-{seen[base]}"})
    return out
