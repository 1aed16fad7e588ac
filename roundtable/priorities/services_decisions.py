"""Writes to the advisory group's decisions: draft, votes, publish.

A decision is drafted and its votes recorded while it is a draft; publishing
it is one transaction that marks the chosen candidates CHOSEN and every other
candidate still on the shortlist NOT_CHOSEN, and tells the contributors of
the inputs linked to each of them (`inputs.services.linked_item_changed`).
A published decision is the public record and cannot be edited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.audit.models import AuditEntry
from roundtable.audit.services import audit_entry, audit_record, snapshot
from roundtable.engagement.models import Event
from roundtable.inputs.services import linked_item_changed
from roundtable.priorities.models import AdvisoryVote, Candidate, Decision
from roundtable.priorities.selectors import candidate_title
from roundtable.stakeholders.models import Organisation

DECISION_FIELDS = [
    "title",
    "decided_by",
    "decided_on",
    "event",
    "chosen",
    "rationale",
    "dissent",
    "status",
    "published_at",
]


def _check_draft(decision: Decision) -> None:
    if decision.status != Decision.Status.DRAFT:
        raise ValidationError(_("This decision is published and can no longer be changed."))


def _check_parts(agency: Agency, event: Event | None, chosen: list[Candidate]) -> None:
    if event is not None and event.agency_id != agency.pk:
        raise ValidationError({"event": _("This belongs to another agency.")})
    if any(c.agency_id != agency.pk for c in chosen):
        raise ValidationError({"chosen": _("This belongs to another agency.")})
    if any(c.status != Candidate.Status.ACTIVE for c in chosen):
        raise ValidationError({"chosen": _("Only candidates on the shortlist can be chosen.")})


def _texts(title: str, decided_by: str, rationale: str) -> tuple[str, str, str]:
    title, decided_by = " ".join(title.split()), " ".join(decided_by.split())
    errors = {}
    if not title:
        errors["title"] = _("Give the decision a title.")
    if not decided_by:
        errors["decided_by"] = _("Say who decided.")
    if not rationale.strip():
        errors["rationale"] = _("Say why: the rationale is published with the decision.")
    if errors:
        raise ValidationError(errors)
    return title, decided_by, rationale.strip()


@transaction.atomic
def decision_create(
    *,
    actor: User,
    agency: Agency,
    title: str,
    decided_by: str,
    decided_on: dt.date,
    rationale: str,
    dissent: str = "",
    event: Event | None = None,
    chosen: Iterable[Candidate] = (),
) -> Decision:
    chosen_list = list(chosen)
    _check_parts(agency, event, chosen_list)
    title, decided_by, rationale = _texts(title, decided_by, rationale)
    decision = Decision.objects.create(
        agency=agency,
        title=title,
        decided_by=decided_by,
        decided_on=decided_on,
        event=event,
        rationale=rationale,
        dissent=dissent.strip(),
        created_by=actor,
    )
    decision.chosen.set(chosen_list)
    audit_record(
        actor=actor,
        agency=agency,
        action="priorities.decision.create",
        instance=decision,
        after=snapshot(decision, DECISION_FIELDS),
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    actor: User,
    decision: Decision,
    title: str,
    decided_by: str,
    decided_on: dt.date,
    rationale: str,
    dissent: str,
    event: Event | None,
    chosen: Iterable[Candidate],
) -> Decision:
    _check_draft(decision)
    chosen_list = list(chosen)
    _check_parts(decision.agency, event, chosen_list)
    before = snapshot(decision, DECISION_FIELDS)
    decision.title, decision.decided_by, decision.rationale = _texts(title, decided_by, rationale)
    decision.decided_on = decided_on
    decision.dissent = dissent.strip()
    decision.event = event
    decision.save()
    decision.chosen.set(chosen_list)
    audit_record(
        actor=actor,
        agency=decision.agency,
        action="priorities.decision.update",
        instance=decision,
        before=before,
        after=snapshot(decision, DECISION_FIELDS),
    )
    return decision


@transaction.atomic
def advisory_vote_record(
    *,
    actor: User,
    decision: Decision,
    member_name: str,
    vote: AdvisoryVote.Vote | str,
    organisation: Organisation | None = None,
    note: str = "",
) -> AdvisoryVote:
    """Record how a member of the advisory group voted; recording the same
    member again corrects their vote."""
    _check_draft(decision)
    name = " ".join(member_name.split())
    if not name:
        raise ValidationError({"member_name": _("Give the member's name.")})
    if vote not in AdvisoryVote.Vote.values:
        raise ValidationError({"vote": _("Choose for, against or abstained.")})
    if organisation is not None and organisation.agency_id != decision.agency_id:
        raise ValidationError({"organisation": _("This belongs to another agency.")})
    existing = AdvisoryVote.objects.filter(decision=decision, member_name__iexact=name).first()
    before = (
        snapshot(existing, ["member_name", "organisation", "vote", "note"]) if existing else None
    )
    record = existing or AdvisoryVote(decision=decision)
    record.member_name = name
    record.organisation = organisation
    record.vote = vote
    record.note = note.strip()
    record.save()
    audit_record(
        actor=actor,
        agency=decision.agency,
        action="priorities.decision.vote",
        instance=decision,
        before=before,
        after=snapshot(record, ["member_name", "organisation", "vote", "note"]),
    )
    return record


@transaction.atomic
def advisory_vote_remove(*, actor: User, vote: AdvisoryVote) -> None:
    decision = vote.decision
    _check_draft(decision)
    before = snapshot(vote, ["member_name", "organisation", "vote", "note"])
    vote.delete()
    audit_record(
        actor=actor,
        agency=decision.agency,
        action="priorities.decision.vote_remove",
        instance=decision,
        before=before,
    )


def decision_public_url(decision: Decision) -> str:
    path = reverse("priorities_public:decision", args=[decision.agency.slug, decision.pk])
    return str(settings.ROUNDTABLE_PUBLIC_URL).rstrip("/") + path


def _message(
    candidate: Candidate, decision: Decision, url: str, *, chosen: bool
) -> Callable[[], str]:
    """The news for one candidate, rendered in each contributor's language."""

    def message() -> str:
        values = {"title": candidate_title(candidate), "group": decision.decided_by, "url": url}
        if chosen:
            return (
                _(
                    "“%(title)s”, which you spoke about, has been chosen as a public safety "
                    "priority by %(group)s. Read the decision and why: %(url)s"
                )
                % values
            )
        return (
            _(
                "“%(title)s”, which you spoke about, was not chosen as a priority this time by "
                "%(group)s. Read the decision and why: %(url)s"
            )
            % values
        )

    return message


@transaction.atomic
def decision_publish(
    *, actor: User, decision: Decision, now: dt.datetime | None = None
) -> Decision:
    """Publish the decision: the chosen candidates become CHOSEN, every other
    candidate on the shortlist NOT_CHOSEN, and the people whose inputs are
    linked to any of them are told, in their language, with the public page."""
    decision = Decision.objects.select_for_update().select_related("agency").get(pk=decision.pk)
    _check_draft(decision)
    agency = decision.agency
    chosen_ids = set(decision.chosen.values_list("pk", flat=True))
    if not chosen_ids:
        raise ValidationError({"chosen": _("Choose at least one priority before publishing.")})
    # The chosen candidates are locked with the rest of the shortlist, in one
    # query in pk order, and their status is checked on the locked rows: a
    # decision published at the same moment must not mark a candidate chosen
    # after this one marked it not chosen, or the other way round.
    locked = list(
        Candidate.objects.select_for_update()
        .filter(Q(agency=agency, status=Candidate.Status.ACTIVE) | Q(pk__in=chosen_ids))
        .order_by("pk")
    )
    chosen = [c for c in locked if c.pk in chosen_ids]
    _check_parts(agency, None, chosen)
    not_chosen = [c for c in locked if c.pk not in chosen_ids]
    now = now or timezone.now()
    before = snapshot(decision, DECISION_FIELDS)
    entries: list[AuditEntry] = []
    for group, status in (
        (chosen, Candidate.Status.CHOSEN),
        (not_chosen, Candidate.Status.NOT_CHOSEN),
    ):
        for candidate in group:
            entries.append(
                audit_entry(
                    actor=actor,
                    agency=agency,
                    action="priorities.candidate.status",
                    instance=candidate,
                    before={"status": candidate.status},
                    after={"status": status, "decision": decision.pk},
                )
            )
            candidate.status = status
        Candidate.objects.filter(pk__in=[c.pk for c in group]).update(status=status, updated_at=now)
    decision.status = Decision.Status.PUBLISHED
    decision.published_at = now
    decision.published_by = actor
    decision.save(update_fields=["status", "published_at", "published_by"])
    AuditEntry.objects.bulk_create(entries)
    audit_record(
        actor=actor,
        agency=agency,
        action="priorities.decision.publish",
        instance=decision,
        before=before,
        after={
            **snapshot(decision, DECISION_FIELDS),
            "not_chosen": sorted(str(c) for c in not_chosen),
        },
    )
    url = decision_public_url(decision)
    for candidate in chosen:
        linked_item_changed(
            item=candidate, message=_message(candidate, decision, url, chosen=True), now=now
        )
    for candidate in not_chosen:
        linked_item_changed(
            item=candidate, message=_message(candidate, decision, url, chosen=False), now=now
        )
    return decision
