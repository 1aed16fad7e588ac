"""The write path of a Community Map import: validated rows in, organisations out.

`organisations_import` is the one function that writes an import. It takes
rows already checked by `importing.OrganisationRowForm` and writes them with a
fixed number of queries whatever the number of rows: existing organisations,
their area and sector links, contacts and referrals are read once into dicts,
and everything new or changed is written with bulk_create / bulk_update.

Matching, so that importing the same file twice changes nothing the second
time. A row with an `external_id` the map knows updates that organisation.
Otherwise the row's name (ignoring case and repeated spaces) picks the
organisations of that name, and of those:

- a row with areas updates the one serving its first area; when none does, the
  one serving no area at all, because areas are often filled in after a first
  import (`Grace Chapel,faith` then `Grace Chapel,faith,northside` is one
  organisation);
- a row without areas updates the one serving no area; when there is none, the
  one of that name whatever its areas, because a list without areas still
  names the organisation (when the file has an areas column, its blank cell
  then clears the areas, as a blank cell does).

Two or more candidates at the step that decides is a row error, never a
guess: the coordinator gives the organisations external ids. No candidate
creates a new organisation. A row with an id the map has not seen yet only
considers organisations without an id, and the one it matches adopts the id,
so a spreadsheet can gain ids after a first import without creating
duplicates, and an id never moves from one organisation to another.

Only the columns present in the file are written: a file with just name and
category leaves descriptions, stances and contacts alone. A blank cell clears a
text field; a blank kind, stance, contact language or channel keeps the
current value (a new organisation gets the default). Contacts are matched
among the organisation's active ones only: a row naming someone who left
(an inactive contact) adds them again as a new, active contact and leaves the
old record as it was.

The audit log gets one entry for the import as a whole (its counts) and one
per organisation created or changed, with the values before and after of what
changed (areas, sectors, the row's contact and a new referral included),
written in bulk. Unchanged organisations get no entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.models import AuditEntry
from roundtable.audit.services import audit_record, snapshot
from roundtable.stakeholders.import_index import (
    CONTACT_FIELDS,
    ContactValues,
    ImportCounts,
    ImportRow,
    ImportTrail,
    OrganisationArea,
    OrganisationIndex,
    V,
    ambiguous_match_reason,
    name_key,
)
from roundtable.stakeholders.models import (
    Contact,
    Organisation,
    OrganisationSector,
    Referral,
    StanceChange,
)
from roundtable.stakeholders.tabular import COLUMNS

BATCH_SIZE = 500


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
    contact, stance history and referral; an audit entry for the whole import
    and one per organisation created or changed.

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
    trail = ImportTrail()
    targets: dict[int, Organisation] = {}
    matched: set[int] = set()
    new: list[Organisation] = []
    new_lines: set[int] = set()
    changed: dict[int, Organisation] = {}
    changed_fields: set[str] = set()
    stance_changes: list[StanceChange] = []
    for row in rows:
        found = index.match(
            external_id=row.external_id, name=row.name, first_area_id=row.first_area_id
        )
        if len(found) > 1:
            raise ValidationError(
                _("line %(line)d: %(reason)s")
                % {"line": row.line, "reason": ambiguous_match_reason(len(found))}
            )
        organisation = organisations[found[0]] if found else Organisation(agency=agency)
        if organisation.pk in matched:
            raise ValidationError(
                _("line %(line)d updates an organisation another line updates too.")
                % {"line": row.line}
            )
        if organisation.pk is not None:
            matched.add(organisation.pk)
        old = _apply(organisation, row, columns)
        _full_clean(organisation, row.line, exclude=["agency"])
        if organisation.pk is None:
            new.append(organisation)
            new_lines.add(row.line)
        elif old:
            organisation.updated_at = now
            changed[organisation.pk] = organisation
            changed_fields |= old.keys()
            for name, value in old.items():
                trail.note(row.line, name, value, getattr(organisation, name))
        if organisation.pk is None or {"stance", "stance_note"} & old.keys():
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
        _sync_areas(agency, rows, targets, area_links, trail)
    if "sectors" in columns:
        _sync_sectors(agency, rows, targets, trail)
    contacts_created, contacts_updated = _sync_contacts(agency, rows, targets, columns, trail)
    referrals_created = _add_referrals(agency, rows, targets, organisations, trail)

    created = len(new)
    updated = len(trail.lines - new_lines)
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
    AuditEntry.objects.bulk_create(
        trail.entries(actor=actor, agency=agency, targets=targets, new_lines=new_lines),
        batch_size=BATCH_SIZE,
    )
    audit_record(
        actor=actor,
        agency=agency,
        action="organisation.import",
        instance=agency,
        after=counts.as_dict(),
    )
    return counts


def _apply(
    organisation: Organisation, row: ImportRow, columns: Collection[str]
) -> dict[str, str | None]:
    """Copy the row onto the organisation; the fields that changed, with their old values."""
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
    old: dict[str, str | None] = {}
    for name, value in values.items():
        if getattr(organisation, name) != value:
            old[name] = getattr(organisation, name)
            setattr(organisation, name, value)
    return old


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


def _sync_areas(
    agency: Agency,
    rows: Sequence[ImportRow],
    targets: dict[int, Organisation],
    links: list[tuple[int, int, int]],
    trail: ImportTrail,
) -> None:
    own = {area.pk: str(area) for area in Area.objects.filter(agency=agency)}
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
    for row in rows:
        pk = targets[row.line].pk
        if pk in touched:
            before = sorted(own[area_id] for area_id in current.get(pk, {}))
            trail.note(row.line, "areas", before, sorted(own[a] for a in set(row.area_ids)))


def _sync_sectors(
    agency: Agency,
    rows: Sequence[ImportRow],
    targets: dict[int, Organisation],
    trail: ImportTrail,
) -> None:
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
    for row in rows:
        pk = targets[row.line].pk
        if pk in touched:
            trail.note(row.line, "sectors", sorted(current.get(pk, {})), sorted(set(row.sectors)))


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
    trail: ImportTrail,
) -> tuple[int, int]:
    """Create the row's contact unless the organisation has an active one with
    the same name or email already; then bring that one up to date. Numbers
    of contacts created and updated."""
    if not any(row.contact for row in rows):
        return 0, 0
    by_organisation: dict[int, list[Contact]] = defaultdict(list)
    # Someone marked inactive has left: updating their old record would count
    # as an update yet leave them off every list, so they come back as new.
    active = Contact.objects.filter(organisation__agency=agency, is_active=True)
    for contact in active.order_by("pk"):
        by_organisation[contact.organisation_id].append(contact)
    new: list[Contact] = []
    changed: dict[int, Contact] = {}
    changed_fields: set[str] = set()
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
        diff = sorted(f for f, v in fields.items() if getattr(contact, f) != v)
        # The name says whose details these are, changed or not.
        before = {"name": contact.name} | snapshot(contact, diff)
        for name in diff:
            setattr(contact, name, fields[name])
        _full_clean(contact, row.line, exclude=["organisation"])
        if contact.pk is None:
            trail.note(row.line, "contact", None, snapshot(contact, CONTACT_FIELDS))
        elif diff:
            changed[contact.pk] = contact
            changed_fields.update(diff)
            trail.note(
                row.line, "contact", before, {"name": contact.name} | snapshot(contact, diff)
            )
    Contact.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        Contact.objects.bulk_update(changed.values(), sorted(changed_fields), batch_size=BATCH_SIZE)
    return len(new), len(changed)


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
    trail: ImportTrail,
) -> int:
    """Add the referrals the rows name (an import never removes one); how many."""
    wanted = [row for row in rows if row.referrer_line is not None or row.referrer_id is not None]
    if not wanted:
        return 0
    pairs = set(Referral.objects.filter(agency=agency).values_list("referrer_id", "referred_id"))
    new: list[Referral] = []
    for row in wanted:
        referred = targets[row.line]
        if row.referrer_line is not None:
            if row.referrer_line not in targets:
                raise ValidationError(
                    _("line %(line)d refers to line %(other)d, which is not imported.")
                    % {"line": row.line, "other": row.referrer_line}
                )
            referrer = targets[row.referrer_line]
        elif row.referrer_id in existing:
            referrer = existing[row.referrer_id]
        else:
            raise ValidationError(
                _("line %(line)d: the referring organisation is not on this map.")
                % {"line": row.line}
            )
        if referrer.pk == referred.pk or (referrer.pk, referred.pk) in pairs:
            continue
        pairs.add((referrer.pk, referred.pk))
        new.append(Referral(agency=agency, referrer=referrer, referred=referred))
        # As the referred_by column names it.
        trail.note(row.line, "referred_by", None, referrer.external_id or referrer.name)
    Referral.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return len(new)
