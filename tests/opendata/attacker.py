"""A differencing attacker: what subtraction gives back from published totals and parts.

Given the published figures (None where withheld) and the sums a reader knows
hold between them (total = parts), it repeatedly solves every sum with exactly
one unknown cell, until nothing more comes back. A withheld small count it
recovers is a disclosure.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def recover(
    values: Mapping[K, float | None], relations: Sequence[tuple[K, Sequence[K]]]
) -> dict[K, float]:
    known: dict[K, float] = {k: v for k, v in values.items() if v is not None}
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            unknown = [c for c in (total, *parts) if c not in known]
            if len(unknown) != 1:
                continue
            (cell,) = unknown
            if cell == total:
                known[cell] = sum(known[p] for p in parts)
            else:
                known[cell] = known[total] - sum(known[p] for p in parts if p != cell)
            changed = True
    return known


def recovered_small(
    values: Mapping[K, float | None],
    relations: Sequence[tuple[K, Sequence[K]]],
    truth: Mapping[K, float],
    minimum: int,
) -> dict[K, float]:
    """The withheld cells whose true value is small and that subtraction gives back."""
    known = recover(values, relations)
    return {
        k: known[k]
        for k, v in values.items()
        if v is None and k in known and 0 < truth.get(k, 0) < minimum
    }
