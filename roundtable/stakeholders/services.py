"""Every write to the Community Map goes through these functions.

Each one is keyword-only, runs in a transaction and leaves an audit entry with
the values before and after, so a coordinator's edit can always be traced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.stakeholders.models import (
    Category,
    Channel,
    Contact,
    Interaction,
    Organisation,
    OrganisationSector,
    Referral,
    Sector,
    Stance,
    StanceChange,
)

ORGANISATION_FIELDS = [
    "name",
    "kind",
    "category",
    "description",
    "website",
    "email",
    "phone",
    "stance",
    "stance_note",
    "external_id",
    "areas",
]
CONTACT_FIELDS = [
    "name",
    "role",
    "email",
    "phone",
    "preferred_language",
    "preferred_channel",
    "term_ends_on",
    "is_active",
]


def _organisation_snapshot(organisation: Organisation) -> dict[str, object]:
    data = snapshot(organisation, ORGANISATION_FIELDS)
    data["sectors"] = sorted(organisation.sectors.values_list("sector", flat=True))
    return data


def _check_areas(agency: Agency, areas: Iterable[Area]) -> list[Area]:
    areas = list(areas)
    if any(area.agency_id != agency.pk for area in areas):
        raise ValidationError(_("An organisation can only serve areas of its own agency."))
    return areas


def _set_sectors(organisation: Organisation, sectors: Iterable[Sector | str]) -> None:
    wanted = {Sector(s) for s in sectors}
    organisation.sectors.exclude(sector__in=wanted).delete()
    have = {Sector(s) for s in organisation.sectors.values_list("sector", flat=True)}
    OrganisationSector.objects.bulk_create(
        OrganisationSector(organisation=organisation, sector=s) for s in sorted(wanted - have)
    )


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    agency: Agency,
    name: str,
    category: Category | str,
    sectors: Iterable[Sector | str] = (),
    areas: Iterable[Area] = (),
    kind: Organisation.Kind | str = Organisation.Kind.ORGANISATION,
    stance: Stance | str = Stance.UNKNOWN,
    stance_note: str = "",
    description: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    external_id: str | None = None,
) -> Organisation:
    organisation = Organisation(
        agency=agency,
        name=name.strip(),
        kind=kind,
        category=category,
        stance=stance,
        stance_note=stance_note,
        description=description,
        website=website,
        email=email,
        phone=phone,
        external_id=external_id or None,
    )
    organisation.full_clean()
    organisation.save()
    organisation.areas.set(_check_areas(agency, areas))
    _set_sectors(organisation, sectors)
    StanceChange.objects.create(
        organisation=organisation, stance=organisation.stance, note=stance_note, changed_by=actor
    )
    audit_record(
        actor=actor,
        agency=agency,
        action="organisation.create",
        instance=organisation,
        after=_organisation_snapshot(organisation),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    category: Category | str,
    sectors: Iterable[Sector | str],
    areas: Iterable[Area],
    kind: Organisation.Kind | str,
    stance: Stance | str,
    stance_note: str,
    description: str,
    website: str,
    email: str,
    phone: str,
    external_id: str | None,
) -> Organisation:
    before = _organisation_snapshot(organisation)
    stance_changed = stance != organisation.stance or stance_note != organisation.stance_note
    organisation.name = name.strip()
    organisation.category = category
    organisation.kind = kind
    organisation.stance = stance
    organisation.stance_note = stance_note
    organisation.description = description
    organisation.website = website
    organisation.email = email
    organisation.phone = phone
    organisation.external_id = external_id or None
    organisation.full_clean()
    organisation.save()
    organisation.areas.set(_check_areas(organisation.agency, areas))
    _set_sectors(organisation, sectors)
    if stance_changed:
        StanceChange.objects.create(
            organisation=organisation, stance=stance, note=stance_note, changed_by=actor
        )
    audit_record(
        actor=actor,
        agency=organisation.agency,
        action="organisation.update",
        instance=organisation,
        before=before,
        after=_organisation_snapshot(organisation),
    )
    return organisation


@transaction.atomic
def organisation_delete(*, actor: User, organisation: Organisation) -> None:
    audit_record(
        actor=actor,
        agency=organisation.agency,
        action="organisation.delete",
        instance=organisation,
        # The cascade removes contacts, interactions and referrals too: keep what went.
        before={
            **_organisation_snapshot(organisation),
            "contacts": [snapshot(c, CONTACT_FIELDS) for c in organisation.contacts.all()],
            "interactions": organisation.interactions.count(),
            "referrals": organisation.referrals_made.count()
            + organisation.referrals_received.count(),
        },
    )
    organisation.delete()


@transaction.atomic
def contact_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
    preferred_channel: Channel | str = Channel.EMAIL,
    term_ends_on: dt.date | None = None,
) -> Contact:
    contact = Contact(
        organisation=organisation,
        name=name.strip(),
        role=role,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
        preferred_channel=preferred_channel,
        term_ends_on=term_ends_on,
    )
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        agency=organisation.agency,
        action="contact.create",
        instance=contact,
        after=snapshot(contact, CONTACT_FIELDS),
    )
    return contact


@transaction.atomic
def contact_update(
    *,
    actor: User | None,
    contact: Contact,
    name: str,
    role: str,
    email: str,
    phone: str,
    preferred_language: str,
    preferred_channel: Channel | str,
    term_ends_on: dt.date | None,
    is_active: bool,
) -> Contact:
    before = snapshot(contact, CONTACT_FIELDS)
    contact.name = name.strip()
    contact.role = role
    contact.email = email
    contact.phone = phone
    contact.preferred_language = preferred_language
    contact.preferred_channel = preferred_channel
    contact.term_ends_on = term_ends_on
    contact.is_active = is_active
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        agency=contact.organisation.agency,
        action="contact.update",
        instance=contact,
        before=before,
        after=snapshot(contact, CONTACT_FIELDS),
    )
    return contact


@transaction.atomic
def referral_create(
    *,
    actor: User | None,
    referrer: Organisation,
    referred: Organisation,
    note: str = "",
    referred_on: dt.date | None = None,
) -> Referral:
    if referrer.agency_id != referred.agency_id:
        raise ValidationError(_("Both organisations must belong to the same agency."))
    if referrer.pk == referred.pk:
        raise ValidationError(_("An organisation cannot refer itself."))
    if Referral.objects.filter(referrer=referrer, referred=referred).exists():
        raise ValidationError(_("This referral is already recorded."))
    try:
        # A savepoint: two people recording the same referral at once get the
        # message, not a server error, from the unique constraint.
        with transaction.atomic():
            referral = Referral.objects.create(
                agency=referrer.agency,
                referrer=referrer,
                referred=referred,
                note=note,
                referred_on=referred_on,
            )
    except IntegrityError:
        raise ValidationError(_("This referral is already recorded.")) from None
    audit_record(
        actor=actor,
        agency=referrer.agency,
        action="referral.create",
        instance=referral,
        after={"referrer": referrer.pk, "referred": referred.pk, "note": note},
    )
    return referral


@transaction.atomic
def interaction_record(
    *,
    actor: User | None,
    organisation: Organisation,
    kind: Interaction.Kind | str,
    occurred_on: dt.date,
    summary: str,
    contact: Contact | None = None,
) -> Interaction:
    if contact is not None and contact.organisation_id != organisation.pk:
        raise ValidationError(_("That contact belongs to another organisation."))
    interaction = Interaction(
        organisation=organisation,
        contact=contact,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        recorded_by=actor,
    )
    interaction.full_clean()
    interaction.save()
    audit_record(
        actor=actor,
        agency=organisation.agency,
        action="interaction.record",
        instance=interaction,
        after=snapshot(interaction, ["kind", "occurred_on", "summary", "contact"]),
    )
    return interaction


@transaction.atomic
def organisations_export_record(*, actor: User | None, agency: Agency, fmt: str) -> None:
    """Exports hold contacts' personal details; the audit log says who took one."""
    audit_record(
        actor=actor,
        agency=agency,
        action="organisation.export",
        instance=agency,
        after={"format": fmt, "organisations": agency.organisations.count()},
    )
