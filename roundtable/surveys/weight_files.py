"""The files of `roundtable surveys weight`: RESPONSES.csv and TARGETS.csv in, WEIGHTS.csv out.

No Django: the command reads with these functions, `analytics.raking` does
the maths. docs/analytics/survey-weighting.md describes the files:

- RESPONSES.csv: a header with an `id` column and one column per weighting
  variable; one row per respondent; each cell is the respondent's category.
  A blank cell means the respondent did not answer that variable: anesrake's
  rule applies (they are left out of that variable's adjustment, and its
  targets apply to those who answered). Surrounding spaces are ignored.
- TARGETS.csv: `variable,category,share`, one row per category; the shares
  of a variable sum to 1 (within 1e-6).
- WEIGHTS.csv: `id,weight`, in the order of RESPONSES.csv.

Both inputs may start with a UTF-8 byte-order mark (Excel writes one) and use
CR, LF or CRLF line endings. Every problem is a WeightFileError whose message
names the file, the line, the variable and the category concerned.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ID = "id"
TARGET_COLUMNS = ("variable", "category", "share")
SHARE_SUM_TOLERANCE = 1e-6
# How many offending lines an error message quotes.
SHOWN = 5


class WeightFileError(ValueError):
    """A weighting file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Responses:
    ids: list[str]
    variables: list[str]  # the columns other than id, in file order
    values: dict[str, list[str]]  # variable → one value per respondent ("" = missing)
    name: str = "RESPONSES.csv"


@dataclass(frozen=True)
class Targets:
    shares: dict[str, dict[str, float]]  # variable → category → share, in file order
    name: str = "TARGETS.csv"


@dataclass(frozen=True)
class WeightingInput:
    """What `rake` takes: codes (−1 = missing) and shares per variable, with their names."""

    ids: list[str]
    variables: list[str]
    categories: list[list[str]]
    codes: list[np.ndarray]
    targets: list[np.ndarray]


def _lines(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN])
    more = f" and {len(numbers) - SHOWN} more" if len(numbers) > SHOWN else ""
    return f"line {shown}{more}" if len(numbers) == 1 else f"lines {shown}{more}"


def _rows(path: Path) -> list[list[str]]:
    try:
        # utf-8-sig drops a byte-order mark; newline="" lets csv take CR, LF and CRLF.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    except FileNotFoundError:
        raise WeightFileError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise WeightFileError(f"{path} is a folder, not a CSV file.") from None
    except UnicodeDecodeError:
        raise WeightFileError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8.") from None
    except csv.Error as error:
        raise WeightFileError(f"{path.name}: not a readable CSV file ({error}).") from None
    except OSError as error:
        raise WeightFileError(f"Cannot read {path}: {error.strerror}.") from None


def read_responses(path: Path) -> Responses:
    rows = _rows(path)
    name = path.name
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise WeightFileError(f"{name} is empty; it needs a header with an id column.")
    header = [cell.strip() for cell in rows[0]]
    if ID not in header:
        raise WeightFileError(
            f"{name} has no id column (its header is: {', '.join(header)}); the first "
            "line must name an id column and one column per weighting variable."
        )
    blank = [i + 1 for i, column in enumerate(header) if not column]
    if blank:
        raise WeightFileError(f"{name}: column {blank[0]} of the header has no name.")
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise WeightFileError(f"{name}: the header names {', '.join(repeated)} twice.")
    variables = [column for column in header if column != ID]
    if not variables:
        raise WeightFileError(f"{name} has only an id column; add one column per variable.")
    id_at = header.index(ID)
    at = {variable: header.index(variable) for variable in variables}
    ids: list[str] = []
    values: dict[str, list[str]] = {variable: [] for variable in variables}
    first_line: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, often the last one
        if len(row) != len(header):
            raise WeightFileError(
                f"{name}, line {line}: {len(row)} fields where the header has {len(header)}."
            )
        respondent = row[id_at].strip()
        if not respondent:
            raise WeightFileError(f"{name}, line {line}: the id is empty.")
        if respondent in first_line:
            duplicates.setdefault(respondent, [first_line[respondent]]).append(line)
        else:
            first_line[respondent] = line
        ids.append(respondent)
        for variable in variables:
            values[variable].append(row[at[variable]].strip())
    if duplicates:
        respondent, lines = next(iter(duplicates.items()))
        others = f" ({len(duplicates) - 1} more ids repeat too)" if len(duplicates) > 1 else ""
        raise WeightFileError(
            f"{name}: the id {respondent!r} appears on {_lines(lines)}; each respondent "
            f"needs one row and a unique id{others}."
        )
    if not ids:
        raise WeightFileError(f"{name} has a header but no respondents.")
    return Responses(ids=ids, variables=variables, values=values, name=name)


def read_targets(path: Path) -> Targets:
    rows = _rows(path)
    name = path.name
    if not rows:
        raise WeightFileError(f"{name} is empty; it needs the header variable,category,share.")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in TARGET_COLUMNS if column not in header]
    if missing:
        raise WeightFileError(
            f"{name} needs the columns variable,category,share; its header "
            f"({', '.join(rows[0])}) lacks {', '.join(missing)}."
        )
    at = {column: header.index(column) for column in TARGET_COLUMNS}
    shares: dict[str, dict[str, float]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise WeightFileError(
                f"{name}, line {line}: {len(row)} fields where the header has {len(header)}."
            )
        variable, category, text = (row[at[c]].strip() for c in TARGET_COLUMNS)
        if not variable or not category:
            raise WeightFileError(f"{name}, line {line}: the variable or the category is empty.")
        try:
            share = float(text)
        except ValueError:
            raise WeightFileError(
                f"{name}, line {line}: the share of {variable} = {category} is {text!r}, "
                "not a number (write 0.25, not 25%)."
            ) from None
        if not math.isfinite(share) or share < 0:
            raise WeightFileError(
                f"{name}, line {line}: the share of {variable} = {category} must be a number "
                f"from 0 to 1, not {text}."
            )
        categories = shares.setdefault(variable, {})
        if category in categories:
            raise WeightFileError(f"{name}, line {line}: {variable} = {category} is listed twice.")
        categories[category] = share
    if not shares:
        raise WeightFileError(f"{name} has a header but no targets.")
    for variable, categories in shares.items():
        total = sum(categories.values())
        if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
            raise WeightFileError(
                f"{name}: the shares of {variable} sum to {total:.6g}, not 1 "
                f"(within {SHARE_SUM_TOLERANCE:g})."
            )
    return Targets(shares=shares, name=name)


def weighting_input(responses: Responses, targets: Targets) -> WeightingInput:
    """Match responses to targets: codes per variable, with the checks that need both files."""
    without = [v for v in responses.variables if v not in targets.shares]
    if without:
        raise WeightFileError(
            f"{responses.name} has the column {', '.join(without)} but {targets.name} has no "
            "targets for it; add its shares or remove the column."
        )
    absent = [v for v in targets.shares if v not in responses.variables]
    if absent:
        raise WeightFileError(
            f"{targets.name} has targets for {', '.join(absent)} but {responses.name} has no "
            "such column."
        )
    codes: list[np.ndarray] = []
    shares: list[np.ndarray] = []
    categories: list[list[str]] = []
    for variable in responses.variables:
        known = list(targets.shares[variable])
        index = {category: i for i, category in enumerate(known)}
        index[""] = -1
        column = responses.values[variable]
        code = np.fromiter((index.get(value, -2) for value in column), dtype=np.int64,
                           count=len(column))  # fmt: skip
        unknown = np.flatnonzero(code == -2)
        if unknown.size:
            value = column[int(unknown[0])]
            lines = [int(i) + 2 for i in np.flatnonzero([v == value for v in column])]
            raise WeightFileError(
                f"{responses.name}, {_lines(lines)}: {variable} = {value!r} is not a category "
                f"in {targets.name} (its categories: {', '.join(known)})."
            )
        present = np.bincount(code[code >= 0], minlength=len(known))
        for i, category in enumerate(known):
            if targets.shares[variable][category] > 0 and present[i] == 0:
                raise WeightFileError(
                    f"Empty cell: no respondent in {responses.name} has {variable} = "
                    f"{category}, whose target share is {targets.shares[variable][category]:g}; "
                    "merge the category with a neighbouring one in both files, or drop the "
                    "variable."
                )
        codes.append(code)
        shares.append(np.array([targets.shares[variable][c] for c in known], dtype=np.float64))
        categories.append(known)
    return WeightingInput(
        ids=responses.ids,
        variables=list(responses.variables),
        categories=categories,
        codes=codes,
        targets=shares,
    )


def read_weighting_files(responses: Path, targets: Path) -> WeightingInput:
    return weighting_input(read_responses(responses), read_targets(targets))


def write_weights(path: Path, ids: Sequence[str], weights: np.ndarray) -> None:
    """`id,weight`, one row per respondent; 17 significant digits, so nothing is lost.

    Written to a temporary file beside `path` and moved into place, so a write
    that fails half-way (a full disk) leaves an earlier WEIGHTS file whole."""
    partial: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.",
            delete=False,
        ) as handle:  # fmt: skip
            partial = Path(handle.name)
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([ID, "weight"])
            writer.writerows(zip(ids, (repr(float(w)) for w in weights), strict=True))
        os.replace(partial, path)
    except OSError as error:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise WeightFileError(f"Cannot write {path}: {error.strerror}.") from None
