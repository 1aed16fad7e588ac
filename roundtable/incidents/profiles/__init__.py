"""Layouts of incident exports: which column holds what, and how to read it.

A Profile names the columns the reader takes (every other column, such as a
victim's age or descent, is never read), the date forms and time zone, and a
classifier from the source's own offence code and words to the common offence
set of `offences.py`. Built-in profiles cover the open-data exports of six US
cities (`builtin.py`); anything else is described by a user-written TOML
mapping file (`mapping.py`). `detect` picks the built-in profile from a header.

Column names are compared normalised (`normalise`): case, spaces and
punctuation ignored, so "Report Number" and "report_number" (the same Socrata
dataset exported through the portal or the API) are the same column.

Pure Python, no Django: the `hotspots` command reads bare files with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# (source code, source description, values of Profile.context) -> common offence code.
Classifier = Callable[[str, str, tuple[str, ...]], str]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


class ProfileError(ValueError):
    """The file cannot be imported at all: unknown layout, missing columns, bad mapping."""


def normalise(column: str) -> str:
    """A column name compared without case, spaces or punctuation ("Lat" == "LAT")."""
    return _NON_ALNUM.sub("_", column.strip().lstrip("\ufeff").lower()).strip("_")


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    source_id: str
    date: str
    code: str
    classify: Classifier
    time_zone: str
    # Tried in order; ISO 8601 is always tried first.
    date_formats: tuple[str, ...] = ()
    # The date column holds UTC times (otherwise local times in time_zone).
    utc: bool = False
    # A column of UTC times preferred over `date` when the file has it.
    utc_date: str = ""
    # A separate time-of-day column such as LAPD's "TIME OCC" ("2230").
    time: str = ""
    description: str = ""
    block: str = ""
    latitude: str = ""
    longitude: str = ""
    # Used when latitude/longitude are absent from the file (Philadelphia's point_y/point_x).
    alt_latitude: str = ""
    alt_longitude: str = ""
    # Further offence code columns of the same row (LAPD's "Crm Cd 2" …), no description.
    extra_codes: tuple[str, ...] = ()
    # Columns passed to `classify` besides code and description.
    context: tuple[str, ...] = ()
    # A column that, when one of sensitive_values, marks the incident sensitive.
    sensitive: str = ""
    sensitive_values: frozenset[str] = frozenset({"true", "t", "y", "yes", "1"})
    # Header columns that identify the layout; all must be present to auto-detect.
    signature: frozenset[str] = frozenset()
    # Columns deliberately never read, listed so the documentation can say so.
    never_read: tuple[str, ...] = ()
    notes: str = ""
    source_url: str = ""
    # The layout's real header, in order (for `incidents profiles` and the docs).
    header: tuple[str, ...] = field(default=())

    def required(self) -> tuple[str, ...]:
        return tuple(c for c in (self.source_id, self.date, self.code) if c)


REGISTRY: dict[str, Profile] = {}


def register(profile: Profile) -> Profile:
    REGISTRY[profile.name] = profile
    return profile


def get(name: str) -> Profile:
    _load_builtin()
    try:
        return REGISTRY[name]
    except KeyError:
        raise ProfileError(
            f"unknown profile {name!r}; built-in profiles: {', '.join(sorted(REGISTRY))}"
        ) from None


def all_profiles() -> list[Profile]:
    _load_builtin()
    return [REGISTRY[name] for name in sorted(REGISTRY)]


def detect(header: Sequence[str]) -> Profile:
    """The built-in profile whose signature columns are all in the header.

    When several match, the one with the most signature columns wins (the most
    specific). No match is fatal and the error shows the header.
    """
    _load_builtin()
    columns = {normalise(c) for c in header}
    matches = [p for p in REGISTRY.values() if {normalise(c) for c in p.signature} <= columns]
    if not matches:
        shown = ", ".join(c.strip().lstrip("\ufeff") for c in header) or "(empty)"
        raise ProfileError(
            "unknown layout: the header matches no built-in profile "
            f"({', '.join(sorted(REGISTRY))}); write a mapping file. Header: {shown}"
        )
    return max(matches, key=lambda p: len(p.signature))


def _load_builtin() -> None:
    # Imported late: builtin.py registers itself and needs the names above.
    from roundtable.incidents.profiles import builtin  # noqa: F401


__all__ = [
    "REGISTRY",
    "Classifier",
    "Profile",
    "ProfileError",
    "all_profiles",
    "detect",
    "get",
    "normalise",
    "register",
]
