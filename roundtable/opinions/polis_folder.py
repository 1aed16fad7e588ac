"""Polis open-data folders: read one into a `PolisFolder` (`polis_folder_write` writes one).

The layout (the Computational Democracy Project's openData exports, see
docs/opinions-import.md):

- `comments.csv`: timestamp, datetime, comment-id, author-id, agrees, disagrees,
  moderated (1 in, -1 out, 0 unmoderated), comment-body; the newer layout (2024,
  e.g. bg2050) drops datetime and adds is-meta, is-seed and
  group-informed-consensus before comment-body.
- `votes.csv`: timestamp, datetime, comment-id, voter-id, vote (1 agree,
  -1 disagree, 0 pass). A voter who changes their mind has several rows for one
  comment; the latest counts.
- `participants-votes.csv`: participant, [xid], group-id (Polis's own group,
  blank = not clustered), n-comments, n-votes, n-agree, n-disagree, then one
  column per comment id holding the participant's current vote (blank = none).
- `summary.csv`: key,value rows without a header (topic, url, voters, …).

No Django here on purpose: `roundtable opinions analyze FOLDER` reads a folder
and runs the analysis without a database, and the benches do the same.

Votes stay as read, re-votes included, sorted by time (stable, so rows with the
same time keep the file's order): `VoteTable.from_votes` keeps the latest vote
per pair and orders participants by their first vote, as Polis's matrix grows,
which needs the earlier votes too. `latest_votes` gives the deduplicated votes
for storing. Without votes.csv the votes come from participants-votes.csv's
matrix (no times: row by row, in the file's order).

Exported files are read with `utf-8-sig` (a byte-order mark is dropped) and
`newline=""`, so LF, CRLF and CR-only line endings and line breaks inside quoted
comment bodies all read the same. Every problem names the file, the line and the
reason (`PolisFolderError`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from roundtable.analytics.polis import VoteTable

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"
SUMMARY = "summary.csv"
FILES = (COMMENTS, VOTES, PARTICIPANTS_VOTES, SUMMARY)

# The columns each file must have; the others are optional.
COMMENT_COLUMNS = ("comment-id", "comment-body")
VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
MATRIX_FIXED = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")

_TRUE = {"true", "1", "t", "yes"}
_FALSE = {"false", "0", "f", "no", ""}


class PolisFolderError(ValueError):
    """A folder that cannot be read: which file, which line (0: the file itself), why."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class PolisComment:
    number: int
    author: int | None
    text: str
    moderated: int  # 1 in, -1 moderated out, 0 not moderated yet
    is_meta: bool = False
    is_seed: bool = False
    created: dt.datetime | None = None
    agrees: int = 0
    disagrees: int = 0
    group_informed_consensus: float | None = None


def _empty_int() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class PolisFolder:
    """One conversation as exported. Vote arrays are parallel and in time order.

    `timestamps` are milliseconds since 1970 (UTC), 0 when unknown.
    `exported_groups` maps a participant to the group the exporter assigned
    (None: not clustered); `xids` the external ids some exports carry.
    """

    comments: list[PolisComment]
    participants: np.ndarray = field(default_factory=_empty_int)
    statements: np.ndarray = field(default_factory=_empty_int)
    values: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    timestamps: np.ndarray = field(default_factory=_empty_int)
    exported_groups: dict[int, int | None] = field(default_factory=dict)
    xids: dict[int, str] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)

    @property
    def vote_rows(self) -> int:
        return int(self.values.size)

    def latest_votes(self) -> np.ndarray:
        """Indices of the latest vote per (participant, statement), in time order."""
        n = self.values.size
        if n == 0:
            return _empty_int()
        # Stable sort by pair keeps time order inside a pair: the last is the latest.
        order = np.lexsort((np.arange(n), self.statements, self.participants))
        p, s = self.participants[order], self.statements[order]
        last = np.ones(n, dtype=bool)
        last[:-1] = (p[1:] != p[:-1]) | (s[1:] != s[:-1])
        kept: np.ndarray = np.sort(order[last])
        return kept

    def first_voted(self) -> np.ndarray:
        """For each vote of `latest_votes()`, the time of the pair's first vote.

        A stored Vote keeps both times (created_at, updated_at); the analysis
        orders participants by their first vote, as Polis's matrix grows.
        """
        n = self.values.size
        if n == 0:
            return _empty_int()
        order = np.lexsort((np.arange(n), self.statements, self.participants))
        p, s = self.participants[order], self.statements[order]
        start = np.ones(n, dtype=bool)
        start[1:] = (p[1:] != p[:-1]) | (s[1:] != s[:-1])
        # Each vote's pair starts at the last run start at or before it; the
        # first vote of a pair (in time order) is that start.
        first_of_run = np.maximum.accumulate(np.where(start, np.arange(n), 0))
        first = np.empty(n, dtype=np.int64)
        first[order] = self.timestamps[order][first_of_run]
        kept: np.ndarray = first[self.latest_votes()]
        return kept


# -- reading ---------------------------------------------------------------


def read_polis_folder(path: Path | str) -> PolisFolder:
    """Read the folder at `path` (see the module docstring); PolisFolderError if it is wrong."""
    folder = Path(path)
    if not folder.is_dir():
        raise PolisFolderError(str(folder), 0, "no such folder")
    files: dict[str, str] = {}
    for name in FILES:
        file = folder / name
        if file.is_file():
            try:
                files[name] = file.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise PolisFolderError(name, 0, f"not UTF-8 text ({error.reason})") from None
            except OSError as error:
                raise PolisFolderError(name, 0, f"cannot be read ({error.strerror})") from None
    return parse_polis_files(files)


def parse_polis_files(files: Mapping[str, str | bytes]) -> PolisFolder:
    """A folder from its files' contents (`{filename: text or bytes}`)."""
    texts = {
        name: (data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff"))
        for name, data in files.items()
    }
    if COMMENTS not in texts:
        raise PolisFolderError(COMMENTS, 0, "missing: every Polis export has one")
    if VOTES not in texts and PARTICIPANTS_VOTES not in texts:
        raise PolisFolderError(
            VOTES, 0, f"missing, and so is {PARTICIPANTS_VOTES}: there are no votes to read"
        )
    comments = _read_comments(texts[COMMENTS])
    known = {comment.number for comment in comments}
    groups: dict[int, int | None] = {}
    xids: dict[int, str] = {}
    matrix: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    if PARTICIPANTS_VOTES in texts:
        groups, xids, matrix = _read_matrix(texts[PARTICIPANTS_VOTES], known)
    if VOTES in texts:
        participants, statements, values, timestamps = _read_votes(texts[VOTES], known)
    else:
        assert matrix is not None
        participants, statements, values = matrix
        timestamps = np.zeros(values.size, dtype=np.int64)
    summary = _read_summary(texts[SUMMARY]) if SUMMARY in texts else {}
    return PolisFolder(
        comments=comments,
        participants=participants,
        statements=statements,
        values=values,
        timestamps=timestamps,
        exported_groups=groups,
        xids=xids,
        summary=summary,
    )


def _rows(text: str, name: str, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each row of a CSV with a header; checks the required columns."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise PolisFolderError(name, 1, "the file is empty (no header)") from None
    except csv.Error as error:
        raise PolisFolderError(name, 1, f"not CSV ({error})") from None
    doubled = sorted({column for column in header if header.count(column) > 1})
    if doubled:
        raise PolisFolderError(name, 1, f"the header names {', '.join(doubled)} twice")
    missing = [column for column in required if column not in header]
    if missing:
        raise PolisFolderError(name, 1, f"no {', '.join(missing)} column in the header")
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise PolisFolderError(
                    name, start, f"{len(row)} fields where the header has {len(header)}"
                )
            yield start, dict(zip(header, row, strict=True))
    except csv.Error as error:
        raise PolisFolderError(name, line + 1, f"not CSV ({error})") from None


def _int(value: str, name: str, line: int, column: str, *, blank: int | None = None) -> int:
    text = value.strip()
    if not text and blank is not None:
        return blank
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number.is_integer():  # "3.0" from a spreadsheet round trip
            return int(number)
        raise PolisFolderError(
            name, line, f"{column} must be a whole number, not {value!r}"
        ) from None


def _vote(value: str, name: str, line: int, column: str) -> int:
    vote = _int(value, name, line, column)
    if vote not in (1, -1, 0):
        raise PolisFolderError(name, line, f"{column} must be 1, -1 or 0, not {value!r}")
    return vote


def _bool(value: str, name: str, line: int, column: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise PolisFolderError(name, line, f"{column} must be true or false, not {value!r}")


def _time(value: str, name: str, line: int) -> dt.datetime | None:
    if not value.strip():
        return None
    millis = _int(value, name, line, "timestamp")
    return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC)


def _read_comments(text: str) -> list[PolisComment]:
    comments: list[PolisComment] = []
    seen: dict[int, int] = {}
    for line, row in _rows(text, COMMENTS, COMMENT_COLUMNS):
        number = _int(row["comment-id"], COMMENTS, line, "comment-id")
        if number < 0:
            raise PolisFolderError(COMMENTS, line, f"comment-id must not be negative ({number})")
        if number in seen:
            raise PolisFolderError(
                COMMENTS, line, f"comment {number} appears twice (also line {seen[number]})"
            )
        seen[number] = line
        moderated = _vote(row.get("moderated", "0") or "0", COMMENTS, line, "moderated")
        gic = row.get("group-informed-consensus", "").strip()
        try:
            consensus = float(gic) if gic else None
        except ValueError:
            raise PolisFolderError(
                COMMENTS, line, f"group-informed-consensus must be a number, not {gic!r}"
            ) from None
        author = _int(row.get("author-id", ""), COMMENTS, line, "author-id", blank=-1)
        comments.append(
            PolisComment(
                number=number,
                author=None if author < 0 else author,
                text=row["comment-body"],
                moderated=moderated,
                is_meta=_bool(row.get("is-meta", ""), COMMENTS, line, "is-meta"),
                is_seed=_bool(row.get("is-seed", ""), COMMENTS, line, "is-seed"),
                created=_time(row.get("timestamp", ""), COMMENTS, line),
                agrees=_int(row.get("agrees", ""), COMMENTS, line, "agrees", blank=0),
                disagrees=_int(row.get("disagrees", ""), COMMENTS, line, "disagrees", blank=0),
                group_informed_consensus=consensus,
            )
        )
    comments.sort(key=lambda comment: comment.number)
    return comments


def _read_votes(
    text: str, known: set[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    participants: list[int] = []
    statements: list[int] = []
    values: list[int] = []
    times: list[int] = []
    for line, row in _rows(text, VOTES, VOTE_COLUMNS):
        statement = _int(row["comment-id"], VOTES, line, "comment-id")
        if statement not in known:
            raise PolisFolderError(VOTES, line, f"a vote on comment {statement}, not in {COMMENTS}")
        voter = _int(row["voter-id"], VOTES, line, "voter-id")
        if voter < 0:
            raise PolisFolderError(VOTES, line, f"voter-id must not be negative ({voter})")
        participants.append(voter)
        statements.append(statement)
        values.append(_vote(row["vote"], VOTES, line, "vote"))
        times.append(_int(row.get("timestamp", ""), VOTES, line, "timestamp", blank=0))
    stamps = np.asarray(times, dtype=np.int64)
    order = np.argsort(stamps, kind="stable")
    return (
        np.asarray(participants, dtype=np.int64)[order],
        np.asarray(statements, dtype=np.int64)[order],
        np.asarray(values, dtype=np.int8)[order],
        stamps[order],
    )


def _read_matrix(
    text: str, known: set[int]
) -> tuple[dict[int, int | None], dict[int, str], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """participants-votes.csv: groups, xids and the votes of its matrix (row order)."""
    name = PARTICIPANTS_VOTES
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip() for column in next(reader, [])]
    if "participant" not in header:
        raise PolisFolderError(name, 1, "no participant column in the header")
    columns: list[tuple[int, int]] = []  # (position, comment number)
    for position, column in enumerate(header):
        if column in MATRIX_FIXED:
            continue
        try:
            number = int(column)
        except ValueError:
            raise PolisFolderError(name, 1, f"unexpected column {column!r}") from None
        if number not in known:
            raise PolisFolderError(name, 1, f"a column for comment {number}, not in {COMMENTS}")
        columns.append((position, number))
    groups: dict[int, int | None] = {}
    xids: dict[int, str] = {}
    xid_lines: dict[str, int] = {}
    participants: list[int] = []
    statements: list[int] = []
    values: list[int] = []
    for line, row in _rows(text, name, ("participant",)):
        participant = _int(row["participant"], name, line, "participant")
        if participant in groups:
            raise PolisFolderError(name, line, f"participant {participant} appears twice")
        group = row.get("group-id", "").strip()
        groups[participant] = _int(group, name, line, "group-id") if group else None
        xid = row.get("xid", "").strip()
        if xid:
            if xid in xid_lines:
                raise PolisFolderError(
                    name, line, f"xid {xid!r} appears twice (also line {xid_lines[xid]})"
                )
            xid_lines[xid] = line
            xids[participant] = xid
        cells = list(row.values())
        for position, number in columns:
            cell = cells[position].strip()
            if cell:
                participants.append(participant)
                statements.append(number)
                values.append(_vote(cell, name, line, f"column {number}"))
    return (
        groups,
        xids,
        (
            np.asarray(participants, dtype=np.int64),
            np.asarray(statements, dtype=np.int64),
            np.asarray(values, dtype=np.int8),
        ),
    )


def _read_summary(text: str) -> dict[str, str]:
    summary: dict[str, str] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if not row or not row[0].strip():
                continue
            if len(row) > 2:
                raise PolisFolderError(
                    SUMMARY, reader.line_num, f"{len(row)} fields where key,value has 2"
                )
            summary[row[0].strip()] = row[1] if len(row) > 1 else ""
    except csv.Error as error:
        raise PolisFolderError(SUMMARY, reader.line_num, f"not CSV ({error})") from None
    return summary


# -- helpers for the analysis ----------------------------------------------


def vote_table(folder: PolisFolder) -> VoteTable:
    """The analysis's vote table (latest vote per pair, rows by first vote)."""
    return VoteTable.from_votes(folder.participants, folder.statements, folder.values)


def moderated_out(folder: PolisFolder) -> list[int]:
    """Comments a moderator took out: zeroed in the matrix, never representative."""
    return [comment.number for comment in folder.comments if comment.moderated < 0]


def meta(folder: PolisFolder) -> list[int]:
    """Meta comments (about the conversation itself): left out of the map."""
    return [comment.number for comment in folder.comments if comment.is_meta]
