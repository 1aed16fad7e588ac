"""Disclosure control in one place: what any public page, export or API
response may publish (docs/disclosure.md).

- counts: `public_count`, `protect_counts` (complementary suppression through
  additive relations), `check_published` (the last check before output),
  thresholds from `minimum_count` (the only reader of the settings);
- locations: `generalise_point`, the centre of the public H3 cell;
- categories: `is_sensitive_offence`.
"""

from roundtable.disclosure.categories import is_sensitive_offence
from roundtable.disclosure.locations import generalise_point, public_cell, public_resolution
from roundtable.disclosure.policy import (
    COUNT,
    RESPONDENTS,
    DisclosureError,
    check_published,
    is_small,
    minimum_count,
    protect_counts,
    public_count,
)

__all__ = [
    "COUNT",
    "RESPONDENTS",
    "DisclosureError",
    "check_published",
    "generalise_point",
    "is_sensitive_offence",
    "is_small",
    "minimum_count",
    "protect_counts",
    "public_cell",
    "public_count",
    "public_resolution",
]
