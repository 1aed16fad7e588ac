"""Exporting the Community Map to CSV or Excel, in the columns import reads.

One row per organisation, with its first active contact (the earliest
recorded) and its first referrer. Values are written the way import reads them
back (stored values, area short names, ISO dates), so exporting and importing
the file again changes nothing. CSV is produced row by row, so a large map
streams instead of being built in memory.

One limit: a row is tied to its organisation only by the external_id, or
without one by name and first area (see import_rows for the rule). Two
organisations of the same name without external ids that both serve the area
one of them lists first, or that both serve none, export as rows that cannot
say which is which: the re-import refuses those rows as ambiguous, and its
message says to give each organisation an external_id. The export does not
invent ids for them: an id the coordinator never chose would then live in
their spreadsheets and on the map as if it were theirs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import IO

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.stakeholders.models import Contact, Organisation, OrganisationSector, Referral
from roundtable.stakeholders.tabular import COLUMNS, LIST_SEPARATOR, defuse_cell

CHUNK_SIZE = 1000


def organisations_for_export(agency: Agency) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(agency=agency)
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch("sectors", queryset=OrganisationSector.objects.order_by("sector")),
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(is_active=True).order_by("created_at", "pk"),
                to_attr="active_contacts",
            ),
            Prefetch(
                "referrals_received",
                queryset=Referral.objects.select_related("referrer").order_by("created_at", "pk"),
                to_attr="referrers",
            ),
        )
    )


def organisation_row(organisation: Organisation) -> list[str]:
    """The organisation as cells in COLUMNS order."""
    contacts: list[Contact] = getattr(organisation, "active_contacts", [])
    referrals: list[Referral] = getattr(organisation, "referrers", [])
    contact = contacts[0] if contacts else None
    referrer = referrals[0].referrer if referrals else None
    values = {
        "external_id": organisation.external_id or "",
        "name": organisation.name,
        "kind": organisation.kind,
        "category": organisation.category,
        "sectors": LIST_SEPARATOR.join(s.sector for s in organisation.sectors.all()),
        "areas": LIST_SEPARATOR.join(a.slug for a in organisation.areas.all()),
        "stance": organisation.stance,
        "stance_note": organisation.stance_note,
        "description": organisation.description,
        "website": organisation.website,
        "email": organisation.email,
        "phone": organisation.phone,
        "referred_by": (referrer.external_id or referrer.name) if referrer else "",
    }
    if contact is not None:
        values |= {
            "contact_name": contact.name,
            "contact_role": contact.role,
            "contact_email": contact.email,
            "contact_phone": contact.phone,
            "contact_language": contact.preferred_language,
            "contact_channel": contact.preferred_channel,
            "contact_term_ends": _date(contact.term_ends_on),
        }
    return [values.get(column, "") for column in COLUMNS]


def export_rows(agency: Agency) -> Iterator[list[str]]:
    """The header, then one row per organisation, read from the database in chunks."""
    yield list(COLUMNS)
    for organisation in organisations_for_export(agency).iterator(chunk_size=CHUNK_SIZE):
        yield organisation_row(organisation)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class _Line:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(agency: Agency) -> Iterator[str]:
    """The CSV text in pieces, for a streaming response. It starts with a byte
    order mark so Excel opens it as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in export_rows(agency):
        yield writer.writerow([defuse_cell(value) for value in row])


def write_csv(agency: Agency, out: IO[str]) -> int:
    """Write the CSV to a text file opened with newline=''; the number of organisations."""
    lines = 0
    for chunk in csv_chunks(agency):
        out.write(chunk)
        lines += chunk.endswith("\n")
    return lines - 1


def write_xlsx(agency: Agency, out: IO[bytes]) -> int:
    """Write an Excel workbook; the number of organisations."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Community Map")
    sheet.freeze_panes = "A2"
    rows = 0
    for row in export_rows(agency):
        rows += 1
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            # Text stays text: openpyxl would otherwise store "=…" as a formula.
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(out)
    return rows - 1


def xlsx_bytes(agency: Agency) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(agency, buffer)
    return buffer.getvalue()


def export_filename(agency: Agency, fmt: str) -> str:
    return f"{agency.slug}-community-map-{timezone.localdate():%Y-%m-%d}.{fmt}"
