"""The write path of a Community Map import: validated rows in, organisations out.

`organisations_import` is the one function that writes an import. It takes
rows already checked by `importing.OrganisationRowForm` and writes them with a
fixed number of queries whatever the number of rows: existing organisations,
their area and sector links, contacts and referrals are read once into dicts,
and everything new or changed is written with bulk_create / bulk_update.

Matching, so that importing the same file twice changes nothing the second
time: a row with an `external_id` updates the organisation with that id; a row
without one (or with an id the map has not seen yet) updates the organisation
of the same name (ignoring case) that serves the row's first area. An
organisation without an external id adopts the row's id, so a spreadsheet can
gain ids after a first import without creating duplicates.

Only the columns present in the file are written: a file with just name and
category leaves descriptions, stances and contacts alone. A blank cell clears a
text field; a blank kind, stance, contact language or channel keeps the
current value (a new organisation gets the default).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record
from roundtable.stakeholders.models import (
    Contact,
    Organisation,
    OrganisationSector,
    Referral,
    StanceChange,
)
from roundtable.stakeholders.tabular import COLUMNS

BATCH_SIZE = 500
V = TypeVar("V", int, str)
OrganisationArea = Organisation.areas.through


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
        """The organisations this row would update: none (create), one, or several (ambiguous)."""
        if external_id and external_id in self.by_external_id:
            return [self.by_external_id[external_id]]
        same_name = self.by_name.get(name_key(name), [])
        if first_area_id is None:
            # No area to tell them apart: prefer the one without areas, else any one.
            candidates = [pk for pk in same_name if not self.areas.get(pk)] or same_name
        else:
            candidates = [pk for pk in same_name if first_area_id in self.areas.get(pk, ())]
        if external_id:
            # Never move an id from one organisation to another.
            candidates = [pk for pk in candidates if pk in self.without_id]
        return candidates


@transaction.atomic
def organisations_import(
    *,
    actor: User | None,
    agency: Agency,
    rows: Sequence[ImportRow],
    columns: Collection[str] = COLUMNS,
    skipped: int = 0,
) -> ImportCounts:
    """Create or update one organisation per row, with its sectors, areas,
    contact, stance history and referral; one audit entry for the whole import.

    `columns` are the columns the file had (absent ones are left alone);
    `skipped` is how many invalid rows the caller left out, for the record.
    """
    organisations = {o.pk: o for o in Organisation.objects.filter(agency=agency)}
    area_links = list(
        OrganisationArea.objects.filter(organisation__agency=agency).values_list(
            "pk", "organisation_id", "area_id"
        )
    )
    index = OrganisationIndex(
        ((o.pk, o.name, o.external_id) for o in organisations.values()),
        ((organisation_id, area_id) for _pk, organisation_id, area_id in area_links),
    )
    now = timezone.now()
    targets: dict[int, Organisation] = {}
    matched: set[int] = set()
    new: list[Organisation] = []
    new_lines: set[int] = set()
    changed: dict[int, Organisation] = {}
    changed_fields: set[str] = set()
    changed_lines: set[int] = set()
    stance_changes: list[StanceChange] = []
    for row in rows:
        found = index.match(
            external_id=row.external_id, name=row.name, first_area_id=row.first_area_id
        )
        if len(found) > 1:
            raise ValidationError(
                _("line %(line)d matches several organisations.") % {"line": row.line}
            )
        organisation = organisations[found[0]] if found else Organisation(agency=agency)
        if organisation.pk in matched:
            raise ValidationError(
                _("line %(line)d updates an organisation another line updates too.")
                % {"line": row.line}
            )
        if organisation.pk is not None:
            matched.add(organisation.pk)
        fields = _apply(organisation, row, columns)
        _full_clean(organisation, row.line, exclude=["agency"])
        if organisation.pk is None:
            new.append(organisation)
            new_lines.add(row.line)
        elif fields:
            organisation.updated_at = now
            changed[organisation.pk] = organisation
            changed_fields |= fields
            changed_lines.add(row.line)
        if organisation.pk is None or {"stance", "stance_note"} & fields:
            stance_changes.append(
                StanceChange(
                    organisation=organisation,
                    stance=organisation.stance,
                    note=organisation.stance_note,
                    changed_by=actor,
                )
            )
        targets[row.line] = organisation
    Organisation.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        Organisation.objects.bulk_update(
            changed.values(), sorted(changed_fields | {"updated_at"}), batch_size=BATCH_SIZE
        )
    StanceChange.objects.bulk_create(stance_changes, batch_size=BATCH_SIZE)

    if "areas" in columns:
        changed_lines |= _sync_areas(agency, rows, targets, area_links)
    if "sectors" in columns:
        changed_lines |= _sync_sectors(agency, rows, targets)
    contacts_created, contacts_updated, lines = _sync_contacts(agency, rows, targets, columns)
    changed_lines |= lines
    referrals_created, lines = _add_referrals(agency, rows, targets, organisations)
    changed_lines |= lines

    created = len(new)
    updated = len(changed_lines - new_lines)
    counts = ImportCounts(
        rows=len(rows) + skipped,
        created=created,
        updated=updated,
        unchanged=len(rows) - created - updated,
        skipped=skipped,
        contacts_created=contacts_created,
        contacts_updated=contacts_updated,
        referrals_created=referrals_created,
        stance_changes=len(stance_changes),
    )
    audit_record(
        actor=actor,
        agency=agency,
        action="organisation.import",
        instance=agency,
        after=counts.as_dict(),
    )
    return counts


def _apply(organisation: Organisation, row: ImportRow, columns: Collection[str]) -> set[str]:
    """Copy the row onto the organisation; the names of the fields that changed."""
    values: dict[str, str] = {"name": row.name, "category": row.category}
    if row.kind:
        values["kind"] = row.kind
    if row.stance:
        values["stance"] = row.stance
    for name in ("stance_note", "description", "website", "email", "phone"):
        if name in columns:
            values[name] = getattr(row, name)
    if row.external_id:
        values["external_id"] = row.external_id
    changed = set()
    for name, value in values.items():
        if getattr(organisation, name) != value:
            setattr(organisation, name, value)
            changed.add(name)
    return changed


def _full_clean(instance: models.Model, line: int, exclude: list[str]) -> None:
    # Field checks only: uniqueness is settled by matching, and the foreign
    # keys point at rows this import has just read.
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(
            _("line %(line)d: %(errors)s") % {"line": line, "errors": "; ".join(error.messages)}
        ) from error


def _sync_links(
    current: Mapping[int, Mapping[V, int]], wanted: Mapping[int, Sequence[V]]
) -> tuple[list[tuple[int, V]], list[int], set[int]]:
    """What to add and which link rows to delete so each organisation in
    `wanted` has exactly those values; and which organisations changed."""
    to_add: list[tuple[int, V]] = []
    to_delete: list[int] = []
    touched: set[int] = set()
    for organisation_id, values in wanted.items():
        have = current.get(organisation_id, {})
        for value in dict.fromkeys(values):
            if value not in have:
                to_add.append((organisation_id, value))
                touched.add(organisation_id)
        for value, link_id in have.items():
            if value not in values:
                to_delete.append(link_id)
                touched.add(organisation_id)
    return to_add, to_delete, touched


def _delete(model: type[models.Model], pks: list[int]) -> None:
    # Chunked: SQLite refuses statements with too many parameters.
    for start in range(0, len(pks), BATCH_SIZE):
        model._default_manager.filter(pk__in=pks[start : start + BATCH_SIZE]).delete()


def _lines_of(targets: dict[int, Organisation], organisation_ids: set[int]) -> set[int]:
    return {line for line, o in targets.items() if o.pk in organisation_ids}


def _sync_areas(
    agency: Agency,
    rows: Sequence[ImportRow],
    targets: dict[int, Organisation],
    links: list[tuple[int, int, int]],
) -> set[int]:
    own = set(Area.objects.filter(agency=agency).values_list("pk", flat=True))
    if any(area_id not in own for row in rows for area_id in row.area_ids):
        raise ValidationError(_("An organisation can only serve areas of its own agency."))
    current: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, organisation_id, area_id in links:
        current[organisation_id][area_id] = pk
    wanted = {targets[r.line].pk: r.area_ids for r in rows}
    to_add, to_delete, touched = _sync_links(current, wanted)
    _delete(OrganisationArea, to_delete)
    OrganisationArea.objects.bulk_create(
        [OrganisationArea(organisation_id=o, area_id=a) for o, a in to_add], batch_size=BATCH_SIZE
    )
    return _lines_of(targets, touched)


def _sync_sectors(
    agency: Agency, rows: Sequence[ImportRow], targets: dict[int, Organisation]
) -> set[int]:
    current: dict[int, dict[str, int]] = defaultdict(dict)
    existing = OrganisationSector.objects.filter(organisation__agency=agency).values_list(
        "pk", "organisation_id", "sector"
    )
    for pk, organisation_id, sector in existing:
        current[organisation_id][sector] = pk
    wanted = {targets[r.line].pk: r.sectors for r in rows}
    to_add, to_delete, touched = _sync_links(current, wanted)
    _delete(OrganisationSector, to_delete)
    OrganisationSector.objects.bulk_create(
        [OrganisationSector(organisation_id=o, sector=s) for o, s in to_add], batch_size=BATCH_SIZE
    )
    return _lines_of(targets, touched)


CONTACT_COLUMNS = {
    "role": "contact_role",
    "email": "contact_email",
    "phone": "contact_phone",
    "term_ends_on": "contact_term_ends",
}


def _sync_contacts(
    agency: Agency,
    rows: Sequence[ImportRow],
    targets: dict[int, Organisation],
    columns: Collection[str],
) -> tuple[int, int, set[int]]:
    """Create the row's contact unless the organisation has one with the same
    name or email already; then bring that one up to date."""
    if not any(row.contact for row in rows):
        return 0, 0, set()
    by_organisation: dict[int, list[Contact]] = defaultdict(list)
    for contact in Contact.objects.filter(organisation__agency=agency).order_by("pk"):
        by_organisation[contact.organisation_id].append(contact)
    new: list[Contact] = []
    changed: dict[int, Contact] = {}
    changed_fields: set[str] = set()
    lines: set[int] = set()
    for row in rows:
        values = row.contact
        if values is None:
            continue
        organisation = targets[row.line]
        found = _find_contact(by_organisation[organisation.pk], values)
        contact = found if found is not None else Contact(organisation=organisation)
        if found is None:
            by_organisation[organisation.pk].append(contact)
            new.append(contact)
        fields = {"name": values.name}
        fields |= {
            f: getattr(values, f) for f, column in CONTACT_COLUMNS.items() if column in columns
        }
        if values.language:
            fields["preferred_language"] = values.language
        if values.channel:
            fields["preferred_channel"] = values.channel
        diff = {f for f, v in fields.items() if getattr(contact, f) != v}
        for name in diff:
            setattr(contact, name, fields[name])
        _full_clean(contact, row.line, exclude=["organisation"])
        if contact.pk is not None and diff:
            changed[contact.pk] = contact
            changed_fields |= diff
        if diff or contact.pk is None:
            lines.add(row.line)
    Contact.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        Contact.objects.bulk_update(changed.values(), sorted(changed_fields), batch_size=BATCH_SIZE)
    return len(new), len(changed), lines


def _find_contact(contacts: list[Contact], values: ContactValues) -> Contact | None:
    for contact in contacts:
        if name_key(contact.name) == name_key(values.name):
            return contact
    if values.email:
        for contact in contacts:
            if contact.email and contact.email.casefold() == values.email.casefold():
                return contact
    return None


def _add_referrals(
    agency: Agency,
    rows: Sequence[ImportRow],
    targets: dict[int, Organisation],
    existing: dict[int, Organisation],
) -> tuple[int, set[int]]:
    wanted = [row for row in rows if row.referrer_line is not None or row.referrer_id is not None]
    if not wanted:
        return 0, set()
    pairs = set(Referral.objects.filter(agency=agency).values_list("referrer_id", "referred_id"))
    new: list[Referral] = []
    lines: set[int] = set()
    for row in wanted:
        referred = targets[row.line]
        if row.referrer_line is not None:
            if row.referrer_line not in targets:
                raise ValidationError(
                    _("line %(line)d refers to line %(other)d, which is not imported.")
                    % {"line": row.line, "other": row.referrer_line}
                )
            referrer_id = targets[row.referrer_line].pk
        elif row.referrer_id in existing:
            referrer_id = row.referrer_id
        else:
            raise ValidationError(
                _("line %(line)d: the referring organisation is not on this map.")
                % {"line": row.line}
            )
        if referrer_id == referred.pk or (referrer_id, referred.pk) in pairs:
            continue
        pairs.add((referrer_id, referred.pk))
        new.append(Referral(agency=agency, referrer_id=referrer_id, referred=referred))
        lines.add(row.line)
    Referral.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return len(new), lines
