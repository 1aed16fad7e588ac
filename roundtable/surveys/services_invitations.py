"""Satisfaction surveys after a call for service: one-time links sent to callers.

The agency exports its calls for service (CAD) with the callers' contact
details; Roundtable sends each eligible caller a one-time link by email or
text message, in their language, and forgets them: no contact detail, no
call reference, nothing from the file is stored, and the audit log records
the batch with counts only.

Never sent (counted, by reason, in the outcome):
- after domestic violence (including orders of protection and stalking,
  where a message could reach the abuser), sexual assault and other sexual
  offences, and the other sensitive offences of `incidents/offences.py`
  (offences against children, trafficking), homicide and death calls;
- for incidents still in progress;
- to a caller with no usable email or phone number; twice to the same one.

Exclusion is decided from the common offence category when the export has
one and from the call-type text always (a category can be missing or wrong;
a match on either excludes), and for an incident that has several rows (one
per offence or per update, as CAD and records exports often have), from all
of them: one sensitive row excludes every row with the same reference.

Messages go out at once, not through the task queue: a queued task would
have to store the address it writes to. The invitations are committed
first, so a link works as soon as it arrives. Since the sending happens in
the request (or the command), one file holds at most MAX_CALLS rows, and the
emails share one connection to the mail server rather than one each.

The links are created in a random order, not the file's: their numbers (and
creation times) would otherwise follow the file's rows, and the agency keeps
the file.
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.accounts.models import User
from roundtable.audit.services import audit_record
from roundtable.core.phones import NotAPhoneNumber, to_e164
from roundtable.incidents import offences
from roundtable.incidents.models import OffenceCategory
from roundtable.inputs.sms import send_sms
from roundtable.surveys.contact_files import ContactRecord, contacts_from_csv, normalised
from roundtable.surveys.models import Audience, Invitation, Survey
from roundtable.surveys.services_responses import token_hash
from roundtable.surveys.texts import text_in

__all__ = [
    "ContactOutcome",
    "ContactRecord",
    "Exclusion",
    "contact_invitations_send",
    "contacts_from_csv",
    "exclusion_of",
]

logger = logging.getLogger(__name__)

# Rows (calls) of one file: the sending happens while the coordinator's page
# or the command waits, a few seconds per hundred messages.
MAX_CALLS = 2000


@dataclass
class ContactOutcome:
    sent: int
    excluded: dict[str, int] = field(default_factory=dict)  # Exclusion value → count


class Exclusion(models.TextChoices):
    DOMESTIC_VIOLENCE = "domestic_violence", gettext_lazy("Domestic violence")
    SEXUAL_OFFENCE = "sexual_offence", gettext_lazy("Sexual assault or another sexual offence")
    SENSITIVE = "sensitive", gettext_lazy("Another sensitive call (children, trafficking, a death)")
    IN_PROGRESS = "in_progress", gettext_lazy("Incident still in progress")
    NO_CONTACT = "no_contact", gettext_lazy("No way to reach (no email or phone number)")
    DUPLICATE = "duplicate", gettext_lazy("Same person twice in the batch")
    SEND_FAILED = "send_failed", gettext_lazy("Sending failed")


# Category → reason. Every sensitive offence of the common set is excluded
# (SENSITIVE unless named here), so a category marked sensitive later is too;
# homicide and kidnapping are not "sensitive" on maps but a satisfaction survey
# to a victim's family would be cruel.
CATEGORY_EXCLUSIONS: dict[str, Exclusion] = {
    **dict.fromkeys(offences.SENSITIVE_CODES, Exclusion.SENSITIVE),
    OffenceCategory.HOMICIDE: Exclusion.SENSITIVE,
    OffenceCategory.KIDNAPPING: Exclusion.SENSITIVE,
    OffenceCategory.DOMESTIC_VIOLENCE: Exclusion.DOMESTIC_VIOLENCE,
    OffenceCategory.SEXUAL_ASSAULT: Exclusion.SEXUAL_OFFENCE,
    OffenceCategory.SEX_OFFENCE: Exclusion.SEXUAL_OFFENCE,
}

# Call-type patterns, matched on the text upper-cased with punctuation made
# spaces ("D/V" → "D V", "273.5" → "273 5"). Built from the call and offence
# descriptions of the Chicago and Boston exports in shared/data/incidents
# ("DOMESTIC BATTERY SIMPLE", "VIOLATE ORDER OF PROTECTION", "VIOL. OF
# RESTRAINING ORDER W ARREST", "CRIM SEXUAL ASSAULT", "SEX OFFENSE",
# "AGG CRIM SEX ABUSE FAM MEMBER", "PUBLIC INDECENCY", "HUMAN TRAFFICKING -
# COMMERCIAL SEX ACTS", "CHILD ENDANGERMENT", "OFFENSE INVOLVING CHILDREN") and
# common CAD call types (DV, "FAMILY DISTURBANCE", California's 273.5 and 261).
CALL_TYPE_PATTERNS: tuple[tuple[Exclusion, re.Pattern[str]], ...] = (
    (
        Exclusion.DOMESTIC_VIOLENCE,
        re.compile(
            r"\b(DOMESTIC|DV|D V|IPV|INTIMATE PARTNER|FAMILY (DISTURBANCE|FIGHT|VIOLENCE)"
            r"|ORDER OF PROTECTION|PROTECTIVE ORDER|PROTECTION ORDER|RESTRAINING ORDER"
            r"|NO CONTACT ORDER|209A|STALK\w*|273 5|243 E)\b"
        ),
    ),
    (
        Exclusion.SEXUAL_OFFENCE,
        re.compile(
            r"\b(SEX\w*|RAPE\w*|CRIM SEX\w*|MOLEST\w*|INDECEN\w*|LEWD\w*|SODOMY|FONDL\w*"
            r"|PORN\w*|261|288)\b"
        ),
    ),
    (
        Exclusion.SENSITIVE,
        re.compile(
            r"\b(CHILD (ABUSE|ABDUCTION|ENDANGER\w*|NEGLECT|ABANDONMENT)"
            r"|OFFENSES? (INVOLVING|AGAINST) CHILD\w*|HUMAN TRAFFICKING|PROSTITUT\w*"
            r"|ELDER ABUSE|ABUSE NEGLECT|KIDNAP\w*|ABDUCT\w*|HOMICIDE|MURDER|SUICID\w*"
            r"|DEATH|DEAD BODY|DOA|DECEASED)\b"
        ),
    ),
)


def exclusion_of(contact: ContactRecord) -> Exclusion | None:
    """Why this call (taken alone) gets no survey, or None if it may get one."""
    category = contact.category.strip().lower()
    if category in CATEGORY_EXCLUSIONS:
        return CATEGORY_EXCLUSIONS[category]
    text = normalised(contact.call_type)
    for reason, pattern in CALL_TYPE_PATTERNS:
        if pattern.search(text):
            return reason
    if contact.in_progress:
        return Exclusion.IN_PROGRESS
    return None


# --- Sending ---


@dataclass
class _Outgoing:
    channel: str  # "email" | "sms"
    address: str
    language: str
    token: str = ""
    invitation_pk: int | None = None


def _address(contact: ContactRecord) -> tuple[str, str] | None:
    """("email", address) or ("sms", E.164 number), email first; None if neither works."""
    email = contact.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            pass
        else:
            return "email", email.lower()
    try:
        phone = to_e164(contact.phone)
    except NotAPhoneNumber:
        phone = ""
    return ("sms", phone) if phone else None


def invitation_url(survey: Survey, token: str) -> str:
    path = reverse("surveys_public:invitation", args=[survey.agency.slug, token])
    return settings.ROUNDTABLE_PUBLIC_URL.rstrip("/") + path


def _message(survey: Survey, outgoing: _Outgoing) -> tuple[str, str]:
    """(subject, body) in the caller's language."""
    url = invitation_url(survey, outgoing.token)
    with translation.override(outgoing.language):
        context = {
            "agency": survey.agency.name,
            "title": text_in(survey.title, outgoing.language),
            "url": url,
        }
        if outgoing.channel == "sms":
            body = _(
                "%(agency)s: how did we do on your recent call? A two-minute anonymous survey: "
                "%(url)s (the link works once). Ignore this message if you prefer not to answer."
            )
            return "", body % context
        subject = _("How did we do? A short survey from %(agency)s") % context
        body = _(
            "You were recently in contact with %(agency)s. We would like to hear how it went.\n\n"
            "The survey “%(title)s” takes about two minutes, and your answers are anonymous:\n\n"
            "%(url)s\n\n"
            "The link works once. If you would rather not answer, simply ignore this message."
        )
        return subject, body % context


def _failure(channel: str, error: Exception) -> None:
    # The error's type only: its text may hold the address, which is kept nowhere.
    logger.warning("A survey invitation by %s failed (%s).", channel, type(error).__name__)


def _reconnect(connection: BaseEmailBackend) -> None:
    """After a failed message: a fresh connection for the rest (the failure may
    have been the connection's). If it cannot open, the next messages fail
    and are counted as failed."""
    with contextlib.suppress(Exception):
        connection.close()
    with contextlib.suppress(Exception):
        connection.open()


def _send_emails(survey: Survey, items: list[_Outgoing]) -> list[_Outgoing]:
    """Send over one connection (one login to the mail server for the batch,
    not one per message): the messages that failed."""
    if not items:
        return []
    failed: list[_Outgoing] = []
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:
        _failure("email", error)
        return list(items)
    try:
        for item in items:
            try:
                subject, body = _message(survey, item)
                message = EmailMessage(subject, body, None, [item.address], connection=connection)
                sent = connection.send_messages([message])
            except Exception as error:
                _failure("email", error)
                sent = 0
                _reconnect(connection)
            if not sent:
                failed.append(item)
    finally:
        # Every message is sent or counted as failed by now.
        with contextlib.suppress(Exception):
            connection.close()
    return failed


def _send_all(survey: Survey, outgoing: list[_Outgoing]) -> list[_Outgoing]:
    """Send every message: the ones that failed."""
    failed = _send_emails(survey, [item for item in outgoing if item.channel == "email"])
    for item in outgoing:
        if item.channel != "sms":
            continue
        try:
            _subject, body = _message(survey, item)
            send_sms(item.address, body)
        except Exception as error:
            _failure("text message", error)
            failed.append(item)
    return failed


def _check_survey(survey: Survey, batch: str) -> str:
    if survey.audience != Audience.CONTACT:
        raise ValidationError(
            _("Only a survey of people who had contact with the agency is sent after calls.")
        )
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Open the survey before sending its links."))
    batch = " ".join(batch.split())
    if not batch:
        raise ValidationError({"batch": _("Name the batch (“Calls for service, 1–7 March”).")})
    if len(batch) > Invitation._meta.get_field("batch").max_length:  # type: ignore[operator]
        raise ValidationError({"batch": _("The batch name is too long.")})
    return batch


def _select(survey: Survey, contacts: list[ContactRecord]) -> tuple[list[_Outgoing], Counter[str]]:
    """Who gets a link (one per person) and how many are left out, by reason."""
    unknown = {
        c.category for c in contacts if c.category and c.category not in OffenceCategory.values
    }
    if unknown:
        raise ValidationError(
            _("Unknown offence category: %(values)s.") % {"values": ", ".join(sorted(unknown))}
        )
    by_reference: dict[str, Exclusion] = {}
    for contact in contacts:
        reason = exclusion_of(contact)
        reference = contact.reference.strip()
        # The first reason seen for an incident wins; a sensitive reason beats "in progress".
        if (
            reason
            and reference
            and (reference not in by_reference or by_reference[reference] == Exclusion.IN_PROGRESS)
        ):
            by_reference[reference] = reason
    excluded: Counter[str] = Counter()
    outgoing: list[_Outgoing] = []
    seen: set[tuple[str, str]] = set()
    default_language = (survey.languages or ["en"])[0]
    for contact in contacts:
        reference = contact.reference.strip()
        reason = (by_reference.get(reference) if reference else None) or exclusion_of(contact)
        if reason is not None:
            excluded[reason] += 1
            continue
        address = _address(contact)
        if address is None:
            excluded[Exclusion.NO_CONTACT] += 1
            continue
        if address in seen:
            excluded[Exclusion.DUPLICATE] += 1
            continue
        seen.add(address)
        language = contact.language if contact.language in survey.languages else default_language
        outgoing.append(_Outgoing(channel=address[0], address=address[1], language=language))
    return outgoing, excluded


def contact_invitations_send(
    *, survey: Survey, actor: User, contacts: Iterable[ContactRecord], batch: str
) -> ContactOutcome:
    """Send each eligible caller a one-time link to the survey, in their language.

    Refused unless the survey is open and for people who had contact with the
    agency, and for more than MAX_CALLS calls at once. Not one transaction on
    purpose: the invitations are committed
    before the messages go (a link must work when it arrives, and a long send
    must not hold the database), and those whose message failed are removed
    afterwards.
    """
    batch = _check_survey(survey, batch)
    contacts = list(contacts)
    if len(contacts) > MAX_CALLS:
        raise ValidationError(
            _(
                "The file has %(count)d calls; send at most %(max)d at a time (split the "
                "file by date)."
            )
            % {"count": len(contacts), "max": MAX_CALLS}
        )
    outgoing, excluded = _select(survey, contacts)
    # Not in the file's order: see the module.
    secrets.SystemRandom().shuffle(outgoing)
    with transaction.atomic():
        for item in outgoing:
            item.token = secrets.token_urlsafe(32)
        created = Invitation.objects.bulk_create(
            Invitation(
                survey=survey,
                token_hash=token_hash(item.token),
                batch=batch,
                language=item.language,
                created_by=actor,
            )
            for item in outgoing
        )
        for item, invitation in zip(outgoing, created, strict=True):
            item.invitation_pk = invitation.pk
    failed = [item.invitation_pk for item in _send_all(survey, outgoing)]
    if failed:
        excluded[Exclusion.SEND_FAILED] += len(failed)
    outcome = ContactOutcome(sent=len(outgoing) - len(failed), excluded=dict(excluded))
    with transaction.atomic():
        Invitation.objects.filter(pk__in=failed).delete()
        # Counts only: no address, no call reference.
        audit_record(
            actor=actor,
            agency=survey.agency,
            action="surveys.invitations.contact",
            instance=survey,
            after={"batch": batch, "sent": outcome.sent, "excluded": outcome.excluded},
        )
    return outcome
