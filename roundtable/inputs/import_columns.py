"""The columns of a 311 or social-media import: Roundtable's fields, what
they hold, the header names that give them away, and checking a mapping
(field → the file's column) before any row is read."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.stakeholders.tabular import normalise_header

# Roundtable's fields, in the order the mapping page shows them.
FIELDS: tuple[str, ...] = (
    "text",
    "received_at",
    "external_id",
    "topic",
    "area",
    "latitude",
    "longitude",
    "language",
)
REQUIRED_FIELDS: tuple[str, ...] = ("text",)
FIELD_LABELS: dict[str, Promise] = {
    "text": gettext_lazy("What was said"),
    "received_at": gettext_lazy("When it was received"),
    "external_id": gettext_lazy("Case number or post id"),
    "topic": gettext_lazy("Topic"),
    "area": gettext_lazy("Area"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "language": gettext_lazy("Language"),
}
FIELD_HELP: dict[str, Promise] = {
    "text": gettext_lazy("Required. The description, details or post text."),
    "received_at": gettext_lazy(
        "A date, or date and time, in a common format (2024-03-05 14:03, "
        "03/05/2024 02:03:00 PM …); local time unless it says otherwise. "
        "Without this column, the import time is used."
    ),
    "external_id": gettext_lazy(
        "The id in the source system. Strongly advised: re-importing the same export "
        "then skips the rows already imported."
    ),
    "topic": gettext_lazy("A topic as its short value or English label (e.g. policy)."),
    "area": gettext_lazy("One of the agency's areas, by short name or name."),
    "latitude": gettext_lazy("Decimal degrees (with longitude)."),
    "longitude": gettext_lazy("Decimal degrees (with latitude)."),
    "language": gettext_lazy("en or es, or English or Spanish."),
}
# Header names (normalised as tabular.normalise_header does) that usually hold
# each field, most likely first: Open311 GeoReport v2, Socrata 311 datasets
# (Chicago, NYC, Boston, San Francisco) and social-media exports.
GUESSES: dict[str, tuple[str, ...]] = {
    "text": (
        "description",
        "details",
        "request_details",
        "text",
        "message",
        "content",
        "body",
        "post_text",
        "post_message",
        "comment",
        "comments",
        "descriptor",
    ),
    "received_at": (
        "created_date",
        "open_date",
        "opened",
        "requested_datetime",
        "created_at",
        "created_time",
        "date_created",
        "created",
        "posted_at",
        "published_at",
        "date",
        "timestamp",
    ),
    "external_id": (
        "case_number",
        "service_request_id",
        "service_request_number",
        "sr_number",
        "case_enquiry_id",
        "unique_key",
        "case_id",
        "request_id",
        "post_id",
        "tweet_id",
        "message_id",
        "id",
    ),
    "topic": ("topic", "roundtable_topic"),
    "area": (
        "area",
        "neighborhood",
        "neighbourhood",
        "community_area",
        "police_district",
        "district",
        "beat",
    ),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "long", "lon", "lng", "x"),
    "language": ("language", "lang", "locale"),
}


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """{field: column} for the fields whose column the header names give away."""
    mapping: dict[str, str] = {}
    for name in FIELDS:
        for candidate in GUESSES[name]:
            if candidate in columns and candidate not in mapping.values():
                mapping[name] = candidate
                break
    return mapping


def mapping_from_pairs(pairs: list[str], columns: list[str]) -> tuple[dict[str, str], list[str]]:
    """`field=Header` pairs (the command line) to a mapping; and what is wrong with them."""
    mapping: dict[str, str] = {}
    wrong = []
    for pair in pairs:
        name, sep, header = pair.partition("=")
        name = name.strip()
        column = normalise_header(header)
        if not sep or name not in FIELDS:
            wrong.append(
                _("“%(pair)s”: write field=Column, the field one of %(fields)s.")
                % {"pair": pair, "fields": ", ".join(FIELDS)}
            )
        elif column and column not in columns:
            wrong.append(
                _("“%(pair)s”: the file has no column “%(header)s”.")
                % {"pair": pair, "header": header}
            )
        elif column:
            mapping[name] = column
        else:
            mapping.pop(name, None)
    return mapping, wrong


def mapping_problems(mapping: dict[str, str]) -> list[str]:
    problems = []
    if not mapping.get("text"):
        problems.append(_("Say which column holds the text."))
    if bool(mapping.get("latitude")) != bool(mapping.get("longitude")):
        problems.append(_("Map both latitude and longitude, or neither."))
    repeated = {c for c in mapping.values() if list(mapping.values()).count(c) > 1}
    if repeated:
        problems.append(
            _("A column can hold one field only: %(columns)s.")
            % {"columns": ", ".join(sorted(repeated))}
        )
    return problems
