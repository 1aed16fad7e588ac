"""Reading a calls-for-service (CAD) export: one `ContactRecord` per row.

Only read, never stored: `services_invitations` uses the records to decide
who is asked and to send the links, then forgets them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from roundtable.incidents.models import OffenceCategory
from roundtable.stakeholders.tabular import normalise_header


@dataclass(frozen=True)
class ContactRecord:
    """One caller of one call, as read from the export; never stored."""

    reference: str
    call_type: str
    in_progress: bool
    category: str = ""  # an OffenceCategory value, when the export has one
    email: str = ""
    phone: str = ""
    language: str = ""


# CAD statuses of a finished call; any other status counts as in progress.
FINISHED_STATUSES = frozenset(
    {"CLOSED", "CLEARED", "CLR", "COMPLETE", "COMPLETED", "CMP", "DONE", "RESOLVED", "FINISHED"}
)


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^0-9A-Z]+", " ", text.upper()).split())


# Column names (lower case, spaces and hyphens as underscores) read as each field.
COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": (
        "reference",
        "incident_number",
        "incident_no",
        "event_number",
        "call_number",
        "cad_number",
        "case_number",
        "id",
    ),
    # Every call-type column present is read, so an export with initial and
    # final call types, or a type and a description, is matched on all of them.
    "call_type": (
        "call_type",
        "initial_call_type",
        "final_call_type",
        "call_type_description",
        "nature",
        "nature_of_call",
        "problem",
        "incident_type",
        "type",
        "primary_type",
        "description",
        "offense_description",
        "offence_description",
        "offense_code_group",
    ),
    "category": ("category", "offence_category", "offense_category"),
    "domestic": ("domestic", "domestic_flag", "dv"),
    "email": ("email", "email_address", "caller_email"),
    "phone": ("phone", "phone_number", "caller_phone", "callback_number", "mobile", "cell"),
    "language": ("language", "lang", "preferred_language"),
    "in_progress": ("in_progress",),
    "status": ("status", "call_status", "disposition_status"),
}
TRUE = frozenset({"1", "true", "t", "yes", "y", "si", "sí"})
FALSE = frozenset({"0", "false", "f", "no", "n", ""})
LANGUAGE_NAMES = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
    "es": "es",
    "spa": "es",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
}


def _boolean(value: str, row: int, column: str) -> bool:
    value = value.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValidationError(
        _("Row %(row)d: “%(value)s” in %(column)s is neither yes nor no.")
        % {"row": row, "value": value, "column": column}
    )


def contacts_from_csv(text: str) -> list[ContactRecord]:
    """The calls of a CAD or calls-for-service export (CSV, header row).

    Columns (names in any case; spaces or hyphens for underscores):
    - reference: the call or incident number (`incident_number`, `event_number`,
      `cad_number` …); rows sharing one are one incident. Optional.
    - call_type: the call type or offence description (`nature`, `problem`,
      `primary_type`, `description` …); every such column present is read.
    - category: the common offence category (incidents/offences.py). Optional.
    - domestic: a domestic-incident flag (Chicago's `Domestic`). Optional.
    - email, phone (`phone_number`, `callback_number` …), language (en/es,
      English/Spanish): how and in what language to reach the caller.
    - in_progress (yes/no) or status (CLOSED, CLEARED, COMPLETED … are
      finished; anything else is in progress): one of them is required.
    A byte-order mark and CR line endings are accepted.
    """
    # newline="": the csv module reads CR, LF and CRLF endings itself and keeps
    # line breaks inside quoted cells.
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise ValidationError(_("The file is empty: it needs a header row and one row per call."))
    names = [normalise_header(cell) for cell in header]
    where = {
        field_name: [names.index(alias) for alias in aliases if alias in names]
        for field_name, aliases in COLUMNS.items()
    }
    if not where["call_type"] and not where["category"]:
        raise ValidationError(
            _(
                "The file needs a call type or an offence category column to tell which calls "
                "to skip."
            )
        )
    if not where["in_progress"] and not where["status"]:
        raise ValidationError(
            _(
                "The file needs a status or in_progress column: without it a call still in "
                "progress cannot be told from a finished one."
            )
        )
    if not where["email"] and not where["phone"]:
        raise ValidationError(_("The file has no email or phone column: nobody could be reached."))
    known_categories = set(OffenceCategory.values)
    contacts: list[ContactRecord] = []
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(names):
            raise ValidationError(
                _("Row %(row)d has more cells than the header.") % {"row": row_number}
            )
        row = row + [""] * (len(names) - len(row))

        def first(field_name: str, row: list[str] = row) -> str:
            return next((row[i].strip() for i in where[field_name] if row[i].strip()), "")

        category = first("category").lower()
        if category and category not in known_categories:
            raise ValidationError(
                _("Row %(row)d: “%(value)s” is not an offence category.")
                % {"row": row_number, "value": category}
            )
        if where["domestic"] and _boolean(first("domestic"), row_number, "domestic"):
            category = category or OffenceCategory.DOMESTIC_VIOLENCE
        if where["in_progress"]:
            in_progress = _boolean(first("in_progress"), row_number, "in_progress")
        else:
            in_progress = normalised(first("status")) not in FINISHED_STATUSES
        contacts.append(
            ContactRecord(
                reference=first("reference"),
                call_type=" / ".join(row[i].strip() for i in where["call_type"] if row[i].strip()),
                in_progress=in_progress,
                category=category,
                email=first("email"),
                phone=first("phone"),
                language=LANGUAGE_NAMES.get(first("language").lower(), ""),
            )
        )
    return contacts
