"""Reading incident exports row by row, in constant memory.

    with open_export(path) as export:          # profile detected from the header
        for item in export:                    # Record or RowError, in file order
            ...

The file is read as a stream (one row in memory at a time), so a million-row
export costs no more memory than a small one. Each data row gives either a
Record or a RowError naming the physical line (the header is line 1), the
file's own column name and what is wrong; problems with the whole file (an
unknown layout, missing columns, a bad mapping file) raise ProfileError before
the first row.

Real-file quirks handled here:
- byte-order marks (read as utf-8-sig) and CR-only, CRLF or LF line endings
  (csv with newline="" recognises all three, also inside one file);
- dates as ISO 8601, "MM/DD/YYYY hh:mm:ss AM", two-digit years ("12/31/15 23:25"),
  a separate HHMM time column; local times made aware in the profile's zone,
  UTC columns read as UTC; every time returned in UTC, with the local day;
- coordinates missing, 0 or -1 (location "missing"/"zero"), or outside ±90/±180
  ("out_of_range"): latitude and longitude are then None, the row is kept;
- one row per offence: each row is yielded; merging rows of the same source id
  is the importer's job.

Pure Python (no Django, no database): the `hotspots` command reads bare files
with it.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from roundtable.incidents import offences
from roundtable.incidents.profiles import Profile, ProfileError, detect, get, normalise
from roundtable.incidents.profiles.mapping import parse as parse_mapping

__all__ = [
    "Export",
    "OffenceRow",
    "ProfileError",
    "Record",
    "RowError",
    "open_export",
]

Location = Literal["ok", "missing", "zero", "out_of_range"]
UTC = dt.UTC
# Parsed dates kept for reuse (exports repeat times a lot); cleared when full
# so memory stays bounded.
_CACHE_LIMIT = 50_000
# Source id, code and text lengths the database keeps.
MAX_SOURCE_ID = 64
MAX_CODE = 40
MAX_TEXT = 200
_SENSITIVE = offences.SENSITIVE_CODES
# Values exports use for "no coordinates".
_ZERO_ABS = 1e-6


# Not frozen: a frozen dataclass sets each field through object.__setattr__,
# measurably slower at a million rows; nothing mutates them.
@dataclass(slots=True)
class OffenceRow:
    code: str
    description: str
    category: str


@dataclass(slots=True)
class Record:
    line: int
    source_id: str
    occurred_at: dt.datetime
    occurred_on: dt.date
    offences: tuple[OffenceRow, ...]
    block: str
    latitude: float | None
    longitude: float | None
    location: Location
    sensitive: bool


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, int | str]:
        return {"line": self.line, "column": self.column, "reason": self.reason}


def coordinates(lat_text: str, lon_text: str) -> tuple[float | None, float | None, Location]:
    """Latitude, longitude and the location flag from two cells."""
    lat_text = lat_text.strip()
    lon_text = lon_text.strip()
    if not lat_text or not lon_text:
        return None, None, "missing"
    try:
        lat = float(lat_text)
        lon = float(lon_text)
    except ValueError:
        return None, None, "missing"
    if math.isnan(lat) or math.isnan(lon):
        return None, None, "missing"
    # Seattle writes 0E-9, Boston -1, Los Angeles 0 for "unknown".
    if abs(lat) < _ZERO_ABS or abs(lon) < _ZERO_ABS or lat == -1.0 or lon == -1.0:
        return None, None, "zero"
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or math.isinf(lat + lon):
        return None, None, "out_of_range"
    return lat, lon, "ok"


# strptime directives the fast path understands, as regex groups.
_DIRECTIVES = {
    "%m": r"(?P<m>\d{1,2})",
    "%d": r"(?P<d>\d{1,2})",
    "%Y": r"(?P<Y>\d{4})",
    "%y": r"(?P<y>\d{2})",
    "%H": r"(?P<H>\d{1,2})",
    "%I": r"(?P<I>\d{1,2})",
    "%M": r"(?P<M>\d{2})",
    "%S": r"(?P<S>\d{2})",
    "%p": r"(?P<p>[AaPp][Mm])",
}


def _compile(fmt: str) -> re.Pattern[str] | None:
    """A regex for a strptime format made of the directives above, else None.

    strptime costs several microseconds a call; a regex and int() a fraction,
    which matters at a million rows. Formats with other directives use strptime.
    """
    parts: list[str] = []
    seen: set[str] = set()
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            directive = fmt[i : i + 2]
            if directive not in _DIRECTIVES or directive in seen:
                return None
            seen.add(directive)
            parts.append(_DIRECTIVES[directive])
            i += 2
        elif fmt[i] == " ":
            parts.append(r"\s+")
            i += 1
        else:
            parts.append(re.escape(fmt[i]))
            i += 1
    return re.compile("".join(parts) + r"\Z")


def _from_match(match: re.Match[str]) -> dt.datetime | None:
    found = match.groupdict()
    if "Y" in found:
        year = int(found["Y"])
    else:
        # strptime's rule for %y: 69-99 -> 1969-1999, 00-68 -> 2000-2068.
        short = int(found["y"])
        year = short + (1900 if short >= 69 else 2000)
    if "I" in found:
        hour = int(found["I"])
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found["p"].upper() == "PM" else 0)
    else:
        hour = int(found.get("H") or 0)
    try:
        return dt.datetime(
            year,
            int(found["m"]),
            int(found["d"]),
            hour,
            int(found.get("M") or 0),
            int(found.get("S") or 0),
        )
    except ValueError:
        return None


def _hhmm(text: str) -> dt.time | None:
    """LAPD's TIME OCC: "2230", "0005" or unpadded "5" (00:05)."""
    text = text.strip()
    if not text.isdigit() or len(text) > 4:
        return None
    text = text.zfill(4)
    hour, minute = int(text[:2]), int(text[2:])
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class Export:
    """An open export: iterate for Records and RowErrors; see the module docstring."""

    def __init__(
        self, path: Path | str, profile: str = "auto", mapping_text: str | None = None
    ) -> None:
        self.path = Path(path)
        self._requested = profile
        self._mapping_text = mapping_text
        self.rows = 0
        self.header: list[str] = []
        self._file: IO[str] | None = None
        self.profile: Profile | None = None
        self._cache: dict[str, tuple[dt.datetime, dt.date]] = {}

    @property
    def profile_name(self) -> str:
        return self.profile.name if self.profile else ""

    # Context management -------------------------------------------------

    def __enter__(self) -> Export:
        try:
            self._file = self.path.open(encoding="utf-8-sig", newline="", errors="strict")
        except OSError as error:
            raise ProfileError(f"cannot open {self.path}: {error.strerror}") from None
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _start(self) -> None:
        assert self._file is not None
        self._reader = csv.reader(self._file)
        try:
            self.header = next(self._reader)
        except StopIteration:
            raise ProfileError(f"{self.path.name} is empty (no header row)") from None
        except UnicodeDecodeError:
            raise ProfileError(f"{self.path.name} is not UTF-8 text") from None
        except csv.Error as error:
            raise ProfileError(f"{self.path.name}: the header cannot be read ({error})") from None
        self.profile = self._resolve_profile()
        self._bind(self.profile)

    def _resolve_profile(self) -> Profile:
        if self._mapping_text is not None:
            return parse_mapping(self._mapping_text)
        requested = self._requested
        if requested.endswith(".toml"):
            try:
                text = Path(requested).read_text(encoding="utf-8")
            except OSError as error:
                raise ProfileError(
                    f"cannot read mapping file {requested}: {error.strerror}"
                ) from None
            return parse_mapping(text)
        if requested == "auto":
            return detect(self.header)
        return get(requested)

    def _bind(self, profile: Profile) -> None:
        """Column positions for the profile's fields; missing required ones are fatal."""
        positions: dict[str, int] = {}
        for i, column in enumerate(self.header):
            positions.setdefault(normalise(column), i)
        labels = {normalise(c): c.strip().lstrip("\ufeff") for c in self.header}

        def at(column: str) -> int:
            return positions.get(normalise(column), -1) if column else -1

        missing = [c for c in profile.required() if at(c) < 0]
        if missing:
            shown = ", ".join(labels.values())
            raise ProfileError(
                f"the file has no {', '.join(repr(c) for c in missing)} column "
                f"(profile {profile.name}); header: {shown}"
            )
        self._width = len(self.header)
        self._id = at(profile.source_id)
        self._date = at(profile.date)
        self._date_label = labels[normalise(profile.date)]
        self._use_utc = False
        if at(profile.utc_date) >= 0:
            self._date = at(profile.utc_date)
            self._date_label = labels[normalise(profile.utc_date)]
            self._use_utc = True
        self._time = at(profile.time)
        self._time_label = labels.get(normalise(profile.time), profile.time)
        self._code = at(profile.code)
        self._code_label = labels[normalise(profile.code)]
        self._id_label = labels[normalise(profile.source_id)]
        self._description = at(profile.description)
        self._block = at(profile.block)
        self._lat, self._lon = at(profile.latitude), at(profile.longitude)
        if self._lat < 0 or self._lon < 0:
            self._lat, self._lon = at(profile.alt_latitude), at(profile.alt_longitude)
        self._extra = tuple(i for i in (at(c) for c in profile.extra_codes) if i >= 0)
        self._context = tuple(at(c) for c in profile.context)
        self._sensitive = at(profile.sensitive)
        self._sensitive_values = profile.sensitive_values
        self._zone = zoneinfo.ZoneInfo(profile.time_zone)
        self._formats = [(fmt, _compile(fmt)) for fmt in profile.date_formats]
        self._classify_cache: dict[tuple[str, str, tuple[str, ...]], str] = {}

    # Rows ----------------------------------------------------------------

    def __iter__(self) -> Iterator[Record | RowError]:
        if self.profile is None:
            raise RuntimeError("use open_export(...) as a context manager")
        reader = self._reader
        previous = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                # The rest of the file cannot be decoded; report where and stop.
                yield RowError(previous + 1, "", "not UTF-8 text; the rest of the file is skipped")
                return
            except csv.Error as error:
                line = previous + 1
                previous = reader.line_num
                self.rows += 1
                yield RowError(line, "", f"cannot be read as CSV ({error})")
                continue
            line = previous + 1
            previous = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            self.rows += 1
            yield self._row(line, row)

    def _row(self, line: int, row: list[str]) -> Record | RowError:
        if len(row) < self._width:
            return RowError(line, "", f"has {len(row)} values, the header has {self._width}")
        source_id = row[self._id].strip()
        if not source_id:
            return RowError(line, self._id_label, "empty; every row needs an id")
        if len(source_id) > MAX_SOURCE_ID:
            return RowError(line, self._id_label, f"longer than {MAX_SOURCE_ID} characters")
        when = self._when(row)
        if isinstance(when, RowError):
            return RowError(line, when.column, when.reason)
        occurred_at, occurred_on = when
        code = row[self._code].strip()
        if not code:
            return RowError(line, self._code_label, "empty; every row needs an offence code")
        if len(code) > MAX_CODE:
            return RowError(line, self._code_label, f"longer than {MAX_CODE} characters")
        description = row[self._description].strip()[:MAX_TEXT] if self._description >= 0 else ""
        context = tuple([row[i] if i >= 0 else "" for i in self._context])
        category = self._category(code, description, context)
        found: tuple[OffenceRow, ...] = (OffenceRow(code, description, category),)
        sensitive = category in _SENSITIVE
        for i in self._extra:
            extra = row[i].strip()
            if extra and len(extra) <= MAX_CODE and all(o.code != extra for o in found):
                more = self._category(extra, "", context)
                found += (OffenceRow(extra, "", more),)
                sensitive = sensitive or more in _SENSITIVE
        if self._lat >= 0:
            lat, lon, location = coordinates(row[self._lat], row[self._lon])
        else:
            lat, lon, location = None, None, "missing"
        if self._sensitive >= 0 and not sensitive:
            sensitive = row[self._sensitive].strip().lower() in self._sensitive_values
        block = " ".join(row[self._block].split())[:MAX_TEXT] if self._block >= 0 else ""
        # Positional: measurably cheaper than keywords at a million rows.
        return Record(
            line, source_id, occurred_at, occurred_on, found, block, lat, lon, location, sensitive
        )

    def _category(self, code: str, description: str, context: tuple[str, ...]) -> str:
        key = (code, description, context)
        found = self._classify_cache.get(key)
        if found is None:
            assert self.profile is not None
            found = self.profile.classify(code, description, context)
            if found not in offences.BY_CODE:
                found = "other_crime"
            if len(self._classify_cache) > _CACHE_LIMIT:
                self._classify_cache.clear()
            self._classify_cache[key] = found
        return found

    def _when(self, row: list[str]) -> tuple[dt.datetime, dt.date] | RowError:
        text = row[self._date].strip()
        time_text = row[self._time].strip() if self._time >= 0 else ""
        key = f"{text}|{time_text}" if self._time >= 0 else text
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if not text:
            return RowError(0, self._date_label, "empty; every row needs a date")
        parsed = self._parse(text)
        if parsed is None:
            expected = " or ".join(["ISO 8601", *(fmt for fmt, _ in self._formats)])
            return RowError(0, self._date_label, f"{text!r} is not a date ({expected})")
        if self._time >= 0:
            clock = _hhmm(time_text)
            if clock is None:
                return RowError(0, self._time_label, f"{time_text!r} is not a time (HHMM)")
            parsed = dt.datetime.combine(parsed.date(), clock, parsed.tzinfo)
        if parsed.tzinfo is not None:
            at_utc = parsed.astimezone(UTC)
        elif self._use_utc or (self.profile is not None and self.profile.utc):
            at_utc = parsed.replace(tzinfo=UTC)
        else:
            # fold=0: an ambiguous autumn hour is read as the first (daylight) one.
            at_utc = parsed.replace(tzinfo=self._zone).astimezone(UTC)
        result = (at_utc, at_utc.astimezone(self._zone).date())
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _parse(self, text: str) -> dt.datetime | None:
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            try:
                return dt.datetime.fromisoformat(text)
            except ValueError:
                pass
        formats = self._formats
        for i, (fmt, pattern) in enumerate(formats):
            parsed: dt.datetime | None
            if pattern is not None:
                match = pattern.match(text)
                parsed = _from_match(match) if match else None
            else:
                try:
                    parsed = dt.datetime.strptime(text, fmt)
                except ValueError:
                    parsed = None
            if parsed is None:
                continue
            if i:
                # Most files use one form throughout: try it first next time.
                formats.insert(0, formats.pop(i))
            return parsed
        return None


def open_export(path: Path | str, profile: str = "auto", mapping_text: str | None = None) -> Export:
    """An export to use as a context manager; see the module docstring.

    `profile` is "auto" (detect from the header), a built-in profile's name, or
    the path of a .toml mapping file; `mapping_text` (the text of a mapping
    file) overrides it.
    """
    return Export(path, profile, mapping_text)
