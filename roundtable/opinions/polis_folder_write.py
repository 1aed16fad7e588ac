"""Writing a `PolisFolder` in the layout Polis exports (see `polis_folder`).

Separate from the reader only for size. The agree/disagree counts and the
n-… columns are recounted from the votes written, so a file never contradicts
itself; what we write reads back (`polis_folder.parse_polis_files`) to the
same comments, votes, groups and external ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from roundtable.opinions.polis_folder import (
    COMMENTS,
    MATRIX_FIXED,
    PARTICIPANTS_VOTES,
    SUMMARY,
    VOTES,
    PolisFolder,
)

# What we write: the newer comments layout (it carries is-meta, is-seed and the
# group-informed consensus) with the older one's datetime kept for people
# reading the file.
COMMENTS_HEADER = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees",
                   "moderated", "is-meta", "is-seed", "group-informed-consensus",
                   "comment-body"]  # fmt: skip
VOTES_HEADER = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]


def _datetime_text(millis: int) -> str:
    if not millis:
        return ""
    moment = dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def _millis(moment: dt.datetime | None) -> int:
    return round(moment.timestamp() * 1000) if moment is not None else 0


def _csv(rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def polis_folder_files(folder: PolisFolder) -> dict[str, bytes]:
    """The folder as Polis lays it out: `{filename: contents}` for the four files.

    Votes: the latest per pair, in time order. The agree and disagree counts and
    participants-votes.csv's n-… columns are counted from those votes, so they
    always match them; the group ids are `folder.exported_groups`.
    """
    keep = folder.latest_votes()
    participants = folder.participants[keep]
    statements = folder.statements[keep]
    values = folder.values[keep]
    stamps = folder.timestamps[keep]
    numbers = [comment.number for comment in folder.comments]
    column_of = {number: i for i, number in enumerate(numbers)}
    agrees = np.zeros(len(numbers), dtype=np.int64)
    disagrees = np.zeros(len(numbers), dtype=np.int64)
    if values.size:
        cols = np.asarray([column_of[int(s)] for s in statements], dtype=np.int64)
        np.add.at(agrees, cols[values == 1], 1)
        np.add.at(disagrees, cols[values == -1], 1)

    comment_rows: list[Sequence[object]] = [COMMENTS_HEADER]
    for i, comment in enumerate(folder.comments):
        millis = _millis(comment.created)
        gic = comment.group_informed_consensus
        comment_rows.append([
            millis or "", _datetime_text(millis), comment.number,
            "" if comment.author is None else comment.author, int(agrees[i]),
            int(disagrees[i]), comment.moderated, str(comment.is_meta).lower(),
            str(comment.is_seed).lower(), "" if gic is None else repr(float(gic)), comment.text,
        ])  # fmt: skip

    vote_rows: list[Sequence[object]] = [VOTES_HEADER]
    for p, s, v, t in zip(participants.tolist(), statements.tolist(), values.tolist(),
                          stamps.tolist(), strict=True):  # fmt: skip
        vote_rows.append([t or "", _datetime_text(t), s, p, v])

    return {
        COMMENTS: _csv(comment_rows),
        VOTES: _csv(vote_rows),
        PARTICIPANTS_VOTES: _matrix_csv(folder, participants, statements, values, numbers),
        SUMMARY: _csv(folder.summary.items()),
    }


def _matrix_csv(
    folder: PolisFolder,
    participants: np.ndarray,
    statements: np.ndarray,
    values: np.ndarray,
    numbers: list[int],
) -> bytes:
    authored: dict[int, int] = {}
    for comment in folder.comments:
        if comment.author is not None:
            authored[comment.author] = authored.get(comment.author, 0) + 1
    people = sorted(set(participants.tolist()) | set(folder.exported_groups) | set(authored))
    row_of = {person: i for i, person in enumerate(people)}
    column_of = {number: i for i, number in enumerate(numbers)}
    matrix: list[list[object]] = [[""] * len(numbers) for _ in people]
    for p, s, v in zip(participants.tolist(), statements.tolist(), values.tolist(), strict=True):
        matrix[row_of[p]][column_of[s]] = v
    rows: list[list[object]] = [[*MATRIX_FIXED, *numbers]]
    for person, cells in zip(people, matrix, strict=True):
        group = folder.exported_groups.get(person)
        cast = [cell for cell in cells if cell != ""]
        rows.append([
            person, folder.xids.get(person, ""), "" if group is None else group,
            authored.get(person, 0), len(cast), cast.count(1), cast.count(-1), *cells,
        ])  # fmt: skip
    return _csv(rows)


def write_polis_folder(path: Path | str, folder: PolisFolder) -> list[Path]:
    """Write the four files into `path` (created if need be); the files written."""
    target = Path(path)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in polis_folder_files(folder).items():
        (target / name).write_bytes(data)
        written.append(target / name)
    return written
