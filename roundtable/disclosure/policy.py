"""The thresholds and the count rules every public page, export and API response uses.

The one place that reads ROUNDTABLE_SMALL_CELL and ROUNDTABLE_SURVEY_MIN_COUNT
(a structural test checks it). The maths is `roundtable.analytics.suppression`;
docs/disclosure.md gives the rules and where each page applies them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from roundtable.analytics import suppression

K = TypeVar("K", bound=Hashable)

COUNT = "count"  # people or events counted on a public page (ROUNDTABLE_SMALL_CELL)
RESPONDENTS = "respondents"  # survey respondents (ROUNDTABLE_SURVEY_MIN_COUNT)
KINDS = (COUNT, RESPONDENTS)
# How long a suppression decision is kept: it depends only on the figures, so
# it never goes stale; the timeout only bounds the cache's size.
DECISION_TIMEOUT = 24 * 60 * 60


class DisclosureError(Exception):
    """A figure about to be published would disclose a small count."""


def minimum_count(kind: str = COUNT) -> int:
    """The smallest count that may be published: counts from 1 to this − 1 are withheld."""
    if kind == COUNT:
        return int(settings.ROUNDTABLE_SMALL_CELL)
    if kind == RESPONDENTS:
        return int(settings.ROUNDTABLE_SURVEY_MIN_COUNT)
    raise ValueError(f"unknown kind of count {kind!r}; use one of {', '.join(KINDS)}")


def is_small(value: int | None, *, kind: str = COUNT) -> bool:
    """Whether a count must not be published: 0 < value < the minimum."""
    return value is not None and 0 < value < minimum_count(kind)


def public_count(value: int | None, *, kind: str = COUNT) -> int | None:
    """The count as published: None when 0 < value < the minimum (withheld);
    0 stays 0, because an empty cell discloses nobody."""
    if value is None or is_small(value, kind=kind):
        return None
    return value


def protect_counts(
    values: Mapping[K, int],
    relations: Sequence[tuple[K, Sequence[K]]] = (),
    *,
    kind: str = COUNT,
    labelled: bool = False,
    hide_zeros: bool = False,
    fixed: Collection[K] = (),
    forced: Collection[K] = (),
    unpublished: Collection[K] = (),
) -> frozenset[K]:
    """The cells to withhold: every 0 < v < minimum, and the complementary cells
    that keep each of them from being worked out by subtraction through any
    relation (total, parts), alone or together. Totals may be withheld too.

    The keyword arguments after `kind` describe the page (see
    analytics/suppression.py): `labelled` when it tells a small hidden cell
    ("fewer than N") from a withheld one, `hide_zeros` when it hides empty
    cells as small, `fixed` cells it always shows, `forced` cells it hides for
    another reason, `unpublished` cells it never shows but that sit in a
    relation (the reader only knows they are at least 0).
    """
    keys = list(values)
    index = {k: i for i, k in enumerate(keys)}
    minimum = minimum_count(kind)
    # The decision depends only on the figures, the sums, the page and the keys'
    # order for ties: a big table's (the public safety report's) is worked out
    # once, then read from the cache until a figure changes.
    digest = hashlib.sha256(
        json.dumps(
            [
                minimum,
                labelled,
                hide_zeros,
                [[suppression.order_key(k), int(values[k])] for k in keys],
                [[index[t], [index[p] for p in parts]] for t, parts in relations],
                sorted(index[k] for k in fixed if k in index),
                sorted(index[k] for k in forced if k in index),
                sorted(index[k] for k in unpublished if k in index),
            ]
        ).encode()
    ).hexdigest()
    cache_key = f"disclosure:protect:{digest}"
    cached: list[int] | None = cache.get(cache_key)
    if cached is not None:
        return frozenset(keys[i] for i in cached)
    hidden = suppression.protect(
        values,
        relations,
        minimum=minimum,
        labelled=labelled,
        hide_zeros=hide_zeros,
        fixed=fixed,
        forced=forced,
        unpublished=unpublished,
    )
    cache.set(cache_key, sorted(index[k] for k in hidden), DECISION_TIMEOUT)
    return hidden


def check_published(
    rows: Iterable[Mapping[str, object]], *, count_fields: Sequence[str], kind: str = COUNT
) -> None:
    """Raise DisclosureError if any row holds a small count (0 < v < minimum) in
    one of `count_fields`. Defence in depth: every open-data export and public
    API response passes its rows through this after the selectors have
    suppressed. A missing field or None (withheld) passes."""
    least = minimum_count(kind)
    for number, row in enumerate(rows):
        for name in count_fields:
            value = row.get(name)
            if value is None or isinstance(value, bool):
                continue
            if not isinstance(value, int | float):
                raise DisclosureError(
                    f"row {number}: {name} is {type(value).__name__}, not a count"
                )
            if 0 < value < least:
                raise DisclosureError(
                    f"row {number}: {name} = {value} is under the minimum of {least}"
                )
