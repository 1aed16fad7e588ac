"""The reader who tries to work a withheld count out of what a page publishes.

Given the published figures (None where a figure is withheld), the sums they
obey and any cells the reader never sees, it finds by integer programming
(`scipy.optimize.linprog` with integrality) the least and greatest value a
withheld cell can have. It knows no true value: only what is published and
that a withheld count is at least 1 (empty cells are shown as 0), an unseen
one at least 0.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from html import unescape
from typing import Any

import numpy as np
from scipy.optimize import linprog

BIG = 10**6
Relation = tuple[Any, Sequence[Any]]


def feasible_range(
    published: Mapping[Any, int | None],
    relations: Sequence[Relation],
    target: Any,
    *,
    unseen: Collection[Any] = (),
) -> tuple[int, int]:
    keys = [*published, *(k for k in unseen if k not in published)]
    at = {k: i for i, k in enumerate(keys)}
    rows = []
    for total, parts in relations:
        row = np.zeros(len(keys))
        row[at[total]] -= 1
        for p in parts:
            row[at[p]] += 1
        rows.append(row)
    bounds = []
    for k in keys:
        value = published.get(k)
        if k in unseen:
            bounds.append((0, BIG))
        elif value is None:
            bounds.append((1, BIG))
        else:
            bounds.append((value, value))
    ends = []
    for sign in (1, -1):
        c = np.zeros(len(keys))
        c[at[target]] = sign
        result = linprog(
            c,
            A_eq=np.array(rows),
            b_eq=np.zeros(len(rows)),
            bounds=bounds,
            integrality=np.ones(len(keys)),
        )
        assert result.status == 0, result.message
        ends.append(round(sign * result.fun))
    return ends[0], ends[1]


def cell_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def table_rows(html: str, start_marker: str = "<table") -> dict[str, list[str]]:
    """{row header: [the text of each numeric cell]} for the first table after
    `start_marker`."""
    table = html[html.index(start_marker) :]
    table = table[: table.index("</table>")]
    rows = {}
    for header, body in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, flags=re.DOTALL):
        rows[cell_text(header)] = [
            cell_text(c)
            for c in re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', body, re.DOTALL)
        ]
    return rows


def count_or_none(text: str) -> int | None:
    """A published count, or None for a withheld one ("fewer than 5", "Not shown …")."""
    return int(text) if text.isdigit() else None
