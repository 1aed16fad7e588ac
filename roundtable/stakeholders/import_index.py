"""What an import matches against: the rows, the map's organisations indexed
for matching, and the trail of changes the audit log records.

Split from import_rows.py, which holds the write path; the matching rules are
described there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.audit.models import AuditEntry
from roundtable.audit.services import audit_entry, snapshot
from roundtable.stakeholders import services
from roundtable.stakeholders.models import (
    Organisation,
)

V = TypeVar("V", int, str)
OrganisationArea = Organisation.areas.through
# What an import writes, named as the audit log records it: the services' own
# lists, less what an import handles apart (area links, a contact's active flag).
ORGANISATION_FIELDS = [f for f in services.ORGANISATION_FIELDS if f != "areas"]
CONTACT_FIELDS = [f for f in services.CONTACT_FIELDS if f != "is_active"]


@dataclass(frozen=True)
class ContactValues:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""  # blank: keep (or the default for a new contact)
    channel: str = ""
    term_ends_on: dt.date | None = None


@dataclass(frozen=True)
class ImportRow:
    """One validated row. Blank `kind` and `stance` mean "keep / default"."""

    line: int
    name: str
    category: str
    external_id: str = ""
    kind: str = ""
    sectors: tuple[str, ...] = ()
    area_ids: tuple[int, ...] = ()
    stance: str = ""
    stance_note: str = ""
    description: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    contact: ContactValues | None = None
    # Who referred this organisation: another row of the same import, or an
    # organisation already on the map.
    referrer_line: int | None = None
    referrer_id: int | None = None

    @property
    def first_area_id(self) -> int | None:
        return self.area_ids[0] if self.area_ids else None


@dataclass(frozen=True)
class ImportCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    referrals_created: int = 0
    stance_changes: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def ambiguous_match_reason(count: int) -> str:
    return _(
        "%(count)d organisations on the map have this name and could be this row. "
        "Give each of them an external_id (edit them on the map), then put the "
        "right one in this row's external_id column."
    ) % {"count": count}


class OrganisationIndex:
    """An agency's organisations, keyed the ways an import row can point at them."""

    def __init__(
        self, records: Iterable[tuple[int, str, str | None]], area_links: Iterable[tuple[int, int]]
    ) -> None:
        self.by_external_id: dict[str, int] = {}
        self.by_exact_name: dict[str, list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.without_id: set[int] = set()
        areas: dict[int, set[int]] = defaultdict(set)
        for organisation_id, area_id in area_links:
            areas[organisation_id].add(area_id)
        self.areas = areas
        for pk, name, external_id in records:
            if external_id:
                self.by_external_id[external_id] = pk
            else:
                self.without_id.add(pk)
            self.by_exact_name[name.strip()].append(pk)
            self.by_name[name_key(name)].append(pk)

    @classmethod
    def load(cls, agency: Agency) -> OrganisationIndex:
        records = Organisation.objects.filter(agency=agency).values_list(
            "pk", "name", "external_id"
        )
        links = OrganisationArea.objects.filter(organisation__agency=agency).values_list(
            "organisation_id", "area_id"
        )
        return cls(records, links)

    def match(self, *, external_id: str, name: str, first_area_id: int | None) -> list[int]:
        """The organisations this row would update: none (create), one, or
        several (ambiguous). The rule is in the module docstring."""
        if external_id and external_id in self.by_external_id:
            return [self.by_external_id[external_id]]
        same_name = self.by_name.get(name_key(name), [])
        if external_id:
            # Never move an id from one organisation to another.
            same_name = [pk for pk in same_name if pk in self.without_id]
        without_areas = [pk for pk in same_name if not self.areas.get(pk)]
        if first_area_id is None:
            return without_areas or same_name
        serving = [pk for pk in same_name if first_area_id in self.areas.get(pk, ())]
        return serving or without_areas


class ImportTrail:
    """What an import changed, by line of the file: each value before and after."""

    def __init__(self) -> None:
        self.before: dict[int, dict[str, Any]] = {}
        self.after: dict[int, dict[str, Any]] = {}

    def note(self, line: int, name: str, before: Any, after: Any) -> None:
        self.before.setdefault(line, {})[name] = before
        self.after.setdefault(line, {})[name] = after

    @property
    def lines(self) -> set[int]:
        return set(self.after)

    def entries(
        self,
        *,
        actor: User | None,
        agency: Agency,
        targets: Mapping[int, Organisation],
        new_lines: Collection[int],
    ) -> list[AuditEntry]:
        """One entry per organisation created or changed. A new one's `after`
        is all it was given; a changed one's holds only what changed."""
        entries = []
        for line, organisation in targets.items():
            before: dict[str, Any] | None
            if line in new_lines:
                action = "organisation.import.create"
                before = None
                after = snapshot(organisation, ORGANISATION_FIELDS) | self.after.get(line, {})
            elif line in self.after:
                action = "organisation.import.update"
                before, after = self.before[line], self.after[line]
            else:
                continue
            entries.append(
                audit_entry(
                    actor=actor,
                    agency=agency,
                    action=action,
                    instance=organisation,
                    before=before,
                    after=after,
                )
            )
        return entries
