"""User-written mapping files: any agency's CSV layout described in TOML.

A mapping says which column holds each field, how dates are written and in
which zone, and how the agency's offence codes map to the common set (a code
table, keyword rules on the description, a default). The format, with a full
example, is in docs/incidents-import.md and docs/examples/incident-mapping.toml.

Every problem is reported as "key: what is wrong", so the person who wrote
the file can fix it without reading code.
"""

from __future__ import annotations

import tomllib
import zoneinfo
from collections.abc import Mapping
from typing import Any

from roundtable.incidents import offences
from roundtable.incidents.profiles import Classifier, Profile, ProfileError, codes

COLUMN_KEYS = {
    "source_id": True,
    "occurred_at": True,
    "offence_code": True,
    "occurred_time": False,
    "occurred_at_utc": False,
    "offence_description": False,
    "block": False,
    "latitude": False,
    "longitude": False,
    "sensitive": False,
}
# The profile's name is stored on every incident (Incident.profile).
MAX_NAME = 100
TOP_KEYS = {"name", "title", "columns", "dates", "offences", "sensitive"}


def _fail(key: str, problem: str) -> ProfileError:
    return ProfileError(f"mapping file, {key}: {problem}")


def _string(table: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if value is None:
        raise _fail(path, "missing (required)")
    if not isinstance(value, str):
        raise _fail(path, f"must be text in quotes, not {value!r}")
    return value


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise _fail(key, "must be a table ([" + key + "])")
    return value


def _offence_code(value: Any, path: str) -> str:
    if not isinstance(value, str) or value not in offences.BY_CODE:
        raise _fail(
            path,
            f"{value!r} is not a common offence; use one of {', '.join(offences.BY_CODE)}",
        )
    return value


def _unknown(table: Mapping[str, Any], allowed: set[str] | dict[str, bool], path: str) -> None:
    extra = sorted(set(table) - set(allowed))
    if extra:
        where = f"{path}.{extra[0]}" if path else extra[0]
        raise _fail(where, f"unknown key; allowed: {', '.join(sorted(allowed))}")


def _classifier(
    table: dict[str, str], keywords: tuple[tuple[str, str], ...], default: str
) -> Classifier:
    def classify(code: str, description: str, context: tuple[str, ...]) -> str:
        found = table.get(code.strip()) or table.get(code.strip().upper())
        if found is not None:
            return found
        text = description.upper()
        for word, category in keywords:
            if word in text:
                return category
        return default

    return classify


def parse(text: str) -> Profile:
    """The Profile a mapping file describes; ProfileError naming the bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"mapping file is not valid TOML: {error}") from None
    _unknown(data, TOP_KEYS, "")
    name = _string(data, "name", "name", "mapping").strip()
    if not name or len(name) > MAX_NAME:
        raise _fail("name", f"must be 1 to {MAX_NAME} characters")

    columns = _table(data, "columns")
    _unknown(columns, COLUMN_KEYS, "columns")
    cols: dict[str, str] = {}
    for key, required in COLUMN_KEYS.items():
        if key in columns or required:
            cols[key] = _string(columns, key, f"columns.{key}")
    if ("latitude" in cols) != ("longitude" in cols):
        raise _fail("columns.latitude", "latitude and longitude go together; give both or none")

    dates = _table(data, "dates")
    _unknown(dates, {"formats", "time_zone", "utc"}, "dates")
    formats = dates.get("formats", [])
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise _fail("dates.formats", 'must be a list of strptime formats, e.g. ["%m/%d/%Y %H:%M"]')
    for fmt in formats:
        if "%" not in fmt:
            raise _fail("dates.formats", f"{fmt!r} has no % directive (strptime format)")
    time_zone = _string(dates, "time_zone", "dates.time_zone")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _fail(
            "dates.time_zone", f'{time_zone!r} is not a time zone (e.g. "America/Chicago")'
        ) from None
    utc = dates.get("utc", False)
    if not isinstance(utc, bool):
        raise _fail("dates.utc", "must be true or false")

    rules = _table(data, "offences")
    _unknown(rules, {"default", "table", "codes", "keywords"}, "offences")
    default = _offence_code(rules.get("default", "other_crime"), "offences.default")
    table: dict[str, str] = {}
    base = rules.get("table")
    if base is not None:
        if base not in codes.TABLES:
            raise _fail(
                "offences.table", f"{base!r} is not a built-in table; use {', '.join(codes.TABLES)}"
            )
        table.update(codes.TABLES[base])
    code_rules = rules.get("codes", {})
    if not isinstance(code_rules, dict):
        raise _fail("offences.codes", 'must be a table of "source code" = "common offence"')
    for code, category in code_rules.items():
        table[str(code).strip()] = _offence_code(category, f"offences.codes.{code}")
    keywords: list[tuple[str, str]] = []
    raw_keywords = rules.get("keywords", [])
    if not isinstance(raw_keywords, list):
        raise _fail("offences.keywords", "must be a list of {contains = …, offence = …}")
    for i, rule in enumerate(raw_keywords, start=1):
        path = f"offences.keywords[{i}]"
        if not isinstance(rule, dict):
            raise _fail(path, 'must be {contains = "WORDS", offence = "common offence"}')
        _unknown(rule, {"contains", "offence"}, path)
        word = _string(rule, "contains", f"{path}.contains")
        if not word.strip():
            raise _fail(f"{path}.contains", "is empty")
        keywords.append((word.upper(), _offence_code(rule.get("offence"), f"{path}.offence")))

    sensitive = _table(data, "sensitive")
    _unknown(sensitive, {"values"}, "sensitive")
    values = sensitive.get("values", ["true", "t", "y", "yes", "1"])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _fail("sensitive.values", 'must be a list of texts, e.g. ["Y", "true"]')

    return Profile(
        name=name,
        title=_string(data, "title", "title", name),
        source_id=cols["source_id"],
        date=cols["occurred_at"],
        time=cols.get("occurred_time", ""),
        utc_date=cols.get("occurred_at_utc", ""),
        date_formats=tuple(formats),
        time_zone=time_zone,
        utc=utc,
        code=cols["offence_code"],
        description=cols.get("offence_description", ""),
        block=cols.get("block", ""),
        latitude=cols.get("latitude", ""),
        longitude=cols.get("longitude", ""),
        sensitive=cols.get("sensitive", ""),
        sensitive_values=frozenset(v.strip().lower() for v in values),
        classify=_classifier(table, tuple(keywords), default),
        signature=frozenset({cols["source_id"], cols["occurred_at"], cols["offence_code"]}),
    )
