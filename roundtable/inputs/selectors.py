"""Reads of the response ledger: the list and its filters, overdue inputs, the
moderation queue, one input with everything around it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency
from roundtable.audit.models import AuditEntry
from roundtable.engagement.models import Event
from roundtable.inputs.catalogue import INTERVIEW_GUIDE
from roundtable.inputs.models import (
    OPEN_STATUSES,
    Input,
    InputReferral,
    Moderation,
    Status,
)

MINE = "mine"
NOBODY = "nobody"


@dataclass(frozen=True)
class LedgerFilter:
    q: str = ""
    status: str = ""
    topic: str = ""
    channel: str = ""
    # "", MINE, NOBODY, or a user's id as text.
    owner: str = ""
    area: int | None = None
    moderation: str = ""
    overdue: bool = False


def _late_referral(today: dt.date) -> Exists:
    return Exists(
        InputReferral.objects.filter(
            input=OuterRef("pk"), returned_at__isnull=True, expected_back_by__lt=today
        )
    )


def overdue_q(today: dt.date) -> Q:
    """New past its acknowledge-by date; still open past its answer-by date; or
    referred to someone who has not come back by the date expected."""
    return (
        Q(status=Status.NEW, acknowledge_by__lt=today)
        | Q(status__in=OPEN_STATUSES, answer_by__lt=today)
        | Q(_late_referral(today), status=Status.REFERRED)
    )


def _with_overdue(qs: QuerySet[Input], today: dt.date) -> QuerySet[Input]:
    return qs.annotate(
        is_overdue=Case(
            When(overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def ledger_list(
    *,
    agency: Agency,
    filters: LedgerFilter | None = None,
    user_id: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Input]:
    """The agency's inputs, newest first, each marked `is_overdue`.

    `user_id` is whose inputs "mine" means.
    """
    filters = filters or LedgerFilter()
    today = today or timezone.localdate()
    qs = _with_overdue(
        Input.objects.filter(agency=agency).select_related("owner", "area"), today
    ).order_by("-received_at", "-pk")
    if filters.q:
        qs = qs.filter(
            Q(text__icontains=filters.q)
            | Q(public_answer__icontains=filters.q)
            | Q(receipt_code__icontains=filters.q.replace("-", "").replace(" ", "").upper())
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.topic:
        qs = qs.filter(topic=filters.topic)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.owner == MINE:
        qs = qs.filter(owner_id=user_id)
    elif filters.owner == NOBODY:
        qs = qs.filter(owner__isnull=True)
    elif filters.owner.isdigit():
        qs = qs.filter(owner_id=int(filters.owner))
    if filters.area:
        qs = qs.filter(area_id=filters.area)
    if filters.moderation:
        qs = qs.filter(moderation=filters.moderation)
    if filters.overdue:
        qs = qs.filter(overdue_q(today))
    return qs


@dataclass(frozen=True)
class OverdueItem:
    input: Input
    reason: str | Promise
    due: dt.date


def overdue_list(*, agency: Agency, today: dt.date | None = None) -> list[OverdueItem]:
    """What is late, with why and since when, the longest late first."""
    today = today or timezone.localdate()
    rows = (
        _with_overdue(Input.objects.filter(agency=agency), today)
        .filter(overdue_q(today))
        .select_related("owner", "area")
        .prefetch_related("referrals")
    )
    items = []
    for item in rows:
        if item.status == Status.NEW and item.acknowledge_by < today:
            items.append(OverdueItem(item, _("not acknowledged"), item.acknowledge_by))
        elif item.answer_by < today:
            items.append(OverdueItem(item, _("answer late"), item.answer_by))
        else:
            late = [
                r.expected_back_by
                for r in item.referrals.all()
                if r.returned_at is None and r.expected_back_by and r.expected_back_by < today
            ]
            items.append(OverdueItem(item, _("referral not back"), min(late)))
    items.sort(key=lambda o: (o.due, o.input.pk))
    return items


def overdue_count(*, agency: Agency, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return Input.objects.filter(agency=agency).filter(overdue_q(today)).count()


def moderation_queue(*, agency: Agency) -> QuerySet[Input]:
    """Inputs held for a person to read before anything of them is public, oldest first."""
    return (
        Input.objects.filter(agency=agency, moderation=Moderation.HELD)
        .select_related("owner", "area")
        .order_by("received_at", "pk")
    )


def status_counts(*, agency: Agency, today: dt.date | None = None) -> dict[str, int]:
    """How many inputs in each status, plus `overdue` and `held`, in one query."""
    today = today or timezone.localdate()
    aggregates = {str(status): Count("pk", filter=Q(status=status)) for status in Status}
    aggregates["overdue"] = Count("pk", filter=overdue_q(today))
    aggregates["held"] = Count("pk", filter=Q(moderation=Moderation.HELD))
    aggregates["total"] = Count("pk")
    return Input.objects.filter(agency=agency).aggregate(**aggregates)


def input_detail(*, agency: Agency, pk: int, today: dt.date | None = None) -> Input:
    """One input with its notes, referrals, links, public updates and notices.

    Raises Input.DoesNotExist for an input of another agency.
    """
    today = today or timezone.localdate()
    return (
        _with_overdue(Input.objects.filter(agency=agency), today)
        .select_related("owner", "area", "event", "organisation", "recorded_by", "agency")
        .prefetch_related(
            "notes__author",
            "referrals__to_organisation",
            "referrals__referred_by",
            "links__content_type",
            "links__item",
            "updates",
            "notifications",
        )
        .get(pk=pk)
    )


def input_audit_trail(*, input: Input) -> QuerySet[AuditEntry]:
    """Every audited change to `input`, oldest first."""
    return (
        AuditEntry.objects.filter(object_type=Input._meta.label_lower, object_id=str(input.pk))
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def linkable_events(*, agency: Agency) -> QuerySet[Event]:
    """The agency's events an input may be tied to, latest first."""
    return Event.objects.filter(agency=agency).order_by("-starts_at", "-pk")


def interview_answers(*, input: Input) -> list[tuple[str, str]]:
    """A scanning interview's answers as (question, answer), in the guide's order."""
    return [
        (str(question), input.interview[key])
        for key, question in INTERVIEW_GUIDE
        if input.interview.get(key)
    ]
