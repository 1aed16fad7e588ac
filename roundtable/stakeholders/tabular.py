"""The Community Map as a spreadsheet: its columns, and reading CSV or Excel files.

Import and export share these columns, so an export re-imports to no change.
Reading knows nothing of the database: it turns bytes into numbered rows of
text and reports problems with the file itself. Line numbers are spreadsheet
row numbers (the header is line 1, the first data row line 2) for CSV and xlsx
alike, so a coordinator finds the row the same way in either.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COLUMNS: tuple[str, ...] = (
    "external_id",
    "name",
    "kind",
    "category",
    "sectors",
    "areas",
    "stance",
    "stance_note",
    "description",
    "website",
    "email",
    "phone",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
    "contact_language",
    "contact_channel",
    "contact_term_ends",
    "referred_by",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("name", "category")
# What each column holds, for the import page.
COLUMN_HELP: dict[str, Promise] = {
    "external_id": gettext_lazy("Your own stable id for the organisation; re-imports match on it."),
    "name": gettext_lazy("Name of the organisation or person."),
    "kind": gettext_lazy("organisation or individual (default organisation)."),
    "category": gettext_lazy("Category, as its short value or English label, e.g. faith."),
    "sectors": gettext_lazy("CS360 areas served, separated by semicolons, e.g. health; housing."),
    "areas": gettext_lazy(
        "The agency's areas by short name or name, separated by semicolons. "
        "Without an external_id, name and first area identify the organisation."
    ),
    "stance": gettext_lazy("supporter, neutral, critic or unknown (default unknown)."),
    "stance_note": gettext_lazy("Why this stance."),
    "description": gettext_lazy("What the organisation does."),
    "website": gettext_lazy("Web address."),
    "email": gettext_lazy("The organisation's email address."),
    "phone": gettext_lazy("The organisation's phone number."),
    "contact_name": gettext_lazy(
        "A person to contact; needed when other contact columns are filled."
    ),
    "contact_role": gettext_lazy("Their role."),
    "contact_email": gettext_lazy("Their email address."),
    "contact_phone": gettext_lazy("Their phone number."),
    "contact_language": gettext_lazy("en or es."),
    "contact_channel": gettext_lazy("email, phone, sms, in_person or post."),
    "contact_term_ends": gettext_lazy("When their term ends, as YYYY-MM-DD."),
    "referred_by": gettext_lazy(
        "external_id or exact name of the organisation that referred this one, "
        "in the file or already on the map."
    ),
}
# Inside one cell, several sectors or areas are separated by this.
LIST_SEPARATOR = ";"
# A guard against a wrong file (a whole database dump) rather than a real limit.
MAX_ROWS = 50_000

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

# Spreadsheet programs run a cell starting with these as a formula. Exports put
# an apostrophe in front (see exporting.py); reading takes it off again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file (line None), its header (line 1) or one row."""

    line: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        if self.line is None:
            return self.reason
        if not self.column:
            return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}
        return _("line %(line)d, column %(column)s: %(reason)s") % {
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
        }

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "reason": self.reason}


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]


@dataclass
class Table:
    """A file read into rows. `problems` are about the whole file or its header
    (when there are any, `rows` is empty); `row_problems` are rows whose shape
    is wrong, left out of `rows`."""

    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_problems: list[Problem] = field(default_factory=list)


def format_for(filename: str, data: bytes = b"") -> str | None:
    """'csv' or 'xlsx' from the file name, or from the content when the name says nothing."""
    lowered = filename.lower()
    for fmt in FORMATS:
        if lowered.endswith("." + fmt):
            return fmt
    if "." in lowered.rsplit("/", 1)[-1]:
        return None
    return "xlsx" if data.startswith(b"PK\x03\x04") else "csv"


def read_table(data: bytes, filename: str) -> Table:
    fmt = format_for(filename, data)
    if fmt is None:
        return Table(problems=[Problem(None, "", _("Use a .csv or .xlsx file."))])
    try:
        raw_rows = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    except _Unreadable as error:
        return Table(problems=[Problem(None, "", str(error))])
    return _to_table(raw_rows)


class _Unreadable(Exception):
    pass


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        # utf-8-sig drops the byte order mark Excel writes at the start.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”, or upload the .xlsx.")
        ) from None
    # newline="" lets the csv module see CR, LF and CRLF line ends itself, also
    # inside quoted cells.
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise _Unreadable(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _delimiter(text: str) -> str:
    """Excel in many languages (Spanish among them) writes ';'-separated "CSV"."""
    first_line = text[:4096].split("\n", 1)[0].split("\r", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl  # imported here: only xlsx imports pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _Unreadable(_("The file is not a readable Excel (.xlsx) workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        # Read-only sheets fill skipped empty rows, so the position is the row number.
        return [
            [_xlsx_text(value) for value in values]
            for values in sheet.iter_rows(min_row=1, values_only=True)
        ]
    finally:
        workbook.close()


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _cell(value: str) -> str:
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def _to_table(raw_rows: list[list[str]]) -> Table:
    if not raw_rows or not any(cell.strip() for cell in raw_rows[0]):
        return Table(problems=[Problem(1, "", _("The first row must name the columns."))])
    header = [normalise_header(name) for name in raw_rows[0]]
    # Trailing empty header cells are common (a column deleted in Excel).
    while header and not header[-1]:
        header.pop()
    problems = _header_problems(header)
    if problems:
        return Table(columns=header, problems=problems)
    data_rows = raw_rows[1:]
    while data_rows and not any(cell.strip() for cell in data_rows[-1]):
        data_rows.pop()
    if len(data_rows) > MAX_ROWS:
        reason = _("The file has %(count)d rows; import at most %(max)d at a time.") % {
            "count": len(data_rows),
            "max": MAX_ROWS,
        }
        return Table(columns=header, problems=[Problem(None, "", reason)])
    table = Table(columns=header)
    width = len(header)
    for line, values in enumerate(data_rows, start=2):
        if not any(cell.strip() for cell in values):
            continue
        if any(cell.strip() for cell in values[width:]):
            reason = _("This row has more cells than the header has columns.")
            table.row_problems.append(Problem(line, "", reason))
            continue
        padded = list(values[:width]) + [""] * (width - len(values))
        table.rows.append(
            Row(line, {name: _cell(value) for name, value in zip(header, padded, strict=True)})
        )
    return table


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    if any(not name for name in header):
        problems.append(Problem(1, "", _("Every column needs a name in the first row.")))
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        reason = _("Unknown columns: %(unknown)s. The columns are: %(columns)s.") % {
            "unknown": ", ".join(unknown),
            "columns": ", ".join(COLUMNS),
        }
        problems.append(Problem(1, "", reason))
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        reason = _("Columns named more than once: %(columns)s.") % {"columns": ", ".join(repeated)}
        problems.append(Problem(1, "", reason))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        reason = _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
        problems.append(Problem(1, "", reason))
    return problems
