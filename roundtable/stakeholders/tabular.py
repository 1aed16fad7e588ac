"""The Community Map as a spreadsheet: its columns, and reading CSV or Excel files.

Import and export share these columns, so an export re-imports to no change.
Reading knows nothing of the database: it turns bytes into numbered rows of
text and reports problems with the file itself. Line numbers are spreadsheet
row numbers (the header is line 1, the first data row line 2) for CSV and xlsx
alike, so a coordinator finds the row the same way in either.

Rows are read one at a time and reading stops at the first sign of a wrong
file, so an upload costs memory in proportion to the rows it really has. An
xlsx file says how big its sheet is (its <dimension>), and openpyxl pads every
row to that size; a few kilobytes claiming A1:XFD3000 would otherwise become
49 million cells. The claim is ignored and at most MAX_COLUMNS cells of each
row and MAX_ROWS rows are read.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Collection, Generator, Iterable
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
# How many cells of each xlsx row are read: room for every column and a few
# stray cells to the right, which are reported as a row longer than the header.
MAX_COLUMNS = 2 * len(COLUMNS)
# 50,000 rows of 20 columns of text fit easily; a zip bomb does not.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

# Spreadsheet programs run a cell starting with these as a formula. Exports put
# an apostrophe in front (see exporting.py); reading takes it off again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse_cell(value: str) -> str:
    """A CSV cell that a spreadsheet will not run: one starting with = + - @
    is a formula once opened (CSV injection), and the apostrophe makes it text.
    `_cell` drops the apostrophe again when such a file is imported."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


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
    # The header cells as written in the file ("Case Number" for case_number).
    labels: list[str] = field(default_factory=list)
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


def read_table(
    data: bytes,
    filename: str,
    *,
    known_columns: Collection[str] | None = COLUMNS,
    required_columns: Collection[str] = REQUIRED_COLUMNS,
    max_columns: int = MAX_COLUMNS,
) -> Table:
    """The file's rows. By default the header must be the Community Map's;
    another importer passes its own columns, or `known_columns=None` to take
    whatever columns the file has (a 311 export mapped on a later page)."""
    fmt = format_for(filename, data)
    if fmt is None:
        return Table(problems=[Problem(None, "", _("Use a .csv or .xlsx file."))])
    rows = _xlsx_rows(data, max_columns) if fmt == "xlsx" else _csv_rows(data)
    try:
        # Closed when reading stops early, so the workbook is closed too.
        with contextlib.closing(rows):
            return _to_table(rows, known_columns, required_columns)
    except _Unreadable as error:
        return Table(problems=[Problem(None, "", str(error))])


class _Unreadable(Exception):
    pass


def _too_many_rows() -> _Unreadable:
    return _Unreadable(
        _("The file has more than %(max)d rows; import at most %(max)d at a time.")
        % {"max": MAX_ROWS}
    )


def _csv_rows(data: bytes) -> Generator[list[str], None, None]:
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
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    except csv.Error as error:
        raise _Unreadable(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _delimiter(text: str) -> str:
    """Excel in many languages (Spanish among them) writes ';'-separated "CSV"."""
    first_line = text[:4096].split("\n", 1)[0].split("\r", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _xlsx_rows(data: bytes, max_columns: int = MAX_COLUMNS) -> Generator[list[str], None, None]:
    """The first sheet's rows, one list of at most MAX_COLUMNS texts per line
    (an empty list for an empty line)."""
    import openpyxl  # imported here: only xlsx imports pay for it

    unreadable = _Unreadable(_("The file is not a readable Excel (.xlsx) workbook."))
    # What openpyxl raises on a damaged zip or sheet (SyntaxError covers XML
    # parse errors; defusedxml's refusals are ValueErrors).
    broken = (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError)
    try:
        # A small zip can unpack to gigabytes (openpyxl reads the shared-strings
        # table whole): refuse before unpacking when the parts claim too much.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise _Unreadable(_("The workbook is too large once unpacked."))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except broken:
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0]
        # Ignore the size the file claims (see the module docstring) and bound
        # both ways. Read-only sheets fill skipped rows in, so the position is
        # the line number; line MAX_ROWS + 2 is data row MAX_ROWS + 1.
        sheet.reset_dimensions()
        values_by_line = sheet.iter_rows(
            min_row=1, max_row=MAX_ROWS + 2, max_col=max_columns, values_only=True
        )
        for line, values in enumerate(values_by_line, start=1):
            if line > MAX_ROWS + 1:
                # openpyxl also fills in up to max_row when the sheet has rows
                # further down, so even an empty line here means the sheet
                # goes on: refuse rather than silently drop what follows.
                raise _too_many_rows()
            if all(value is None for value in values):
                yield []
            else:
                yield [_xlsx_text(value) for value in values]
    except broken:
        raise unreadable from None
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


def _to_table(
    raw_rows: Iterable[list[str]],
    known_columns: Collection[str] | None,
    required_columns: Collection[str],
) -> Table:
    """Rows of text, by line from 1, to a table; stops reading at the first
    sign of a wrong file. Raises _Unreadable from the reader."""
    rows = iter(raw_rows)
    first = next(rows, None)
    if first is None or not any(cell.strip() for cell in first):
        return Table(problems=[Problem(1, "", _("The first row must name the columns."))])
    header = [normalise_header(name) for name in first]
    # Trailing empty header cells are common (a column deleted in Excel).
    while header and not header[-1]:
        header.pop()
    labels = [name.strip() for name in first[: len(header)]]
    problems = _header_problems(header, known_columns, required_columns)
    if problems:
        return Table(columns=header, labels=labels, problems=problems)
    table = Table(columns=header, labels=labels)
    width = len(header)
    for line, values in enumerate(rows, start=2):
        # Blank lines are skipped, trailing ones included, so only a line with
        # something in it counts against MAX_ROWS.
        if not any(cell.strip() for cell in values):
            continue
        if line > MAX_ROWS + 1:
            return Table(
                columns=header, labels=labels, problems=[Problem(None, "", str(_too_many_rows()))]
            )
        if any(cell.strip() for cell in values[width:]):
            reason = _("This row has more cells than the header has columns.")
            table.row_problems.append(Problem(line, "", reason))
            continue
        padded = list(values[:width]) + [""] * (width - len(values))
        table.rows.append(
            Row(line, {name: _cell(value) for name, value in zip(header, padded, strict=True)})
        )
    return table


def _header_problems(
    header: list[str], known_columns: Collection[str] | None, required_columns: Collection[str]
) -> list[Problem]:
    problems = []
    if any(not name for name in header):
        problems.append(Problem(1, "", _("Every column needs a name in the first row.")))
    unknown = [
        name for name in header if name and known_columns is not None and name not in known_columns
    ]
    if unknown and known_columns is not None:
        reason = _("Unknown columns: %(unknown)s. The columns are: %(columns)s.") % {
            "unknown": ", ".join(unknown),
            "columns": ", ".join(known_columns),
        }
        problems.append(Problem(1, "", reason))
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        reason = _("Columns named more than once: %(columns)s.") % {"columns": ", ".join(repeated)}
        problems.append(Problem(1, "", reason))
    missing = [name for name in required_columns if name not in header]
    if missing:
        reason = _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
        problems.append(Problem(1, "", reason))
    return problems
