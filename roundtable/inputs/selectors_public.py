"""What the public sees of community input: receipts, answers, figures.

Everything here is safe to show anyone. The figures' small counts are
withheld by the one disclosure rule (docs/disclosure.md). Free text passes through `redact`
here, so a template cannot forget it; contact details, owners, internal notes
and referrals are never read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from roundtable import disclosure
from roundtable.agencies.models import Agency, Area
from roundtable.analytics.response_figures import Breakdown, Cell, linked_breakdowns
from roundtable.inputs import receipts
from roundtable.inputs.models import (
    PUBLIC_CHANNELS,
    Input,
    Moderation,
    PublicUpdate,
    Status,
    Topic,
)
from roundtable.inputs.redaction import redact

FIGURES_DAYS = 365
RECENT_ANSWERS = 5


@dataclass(frozen=True)
class PublicUpdateView:
    on: dt.date
    text: str


@dataclass(frozen=True)
class Receipt:
    receipt_code: str  # display form, "7K3MQ-9XD2F"
    topic_label: str
    status: str
    status_label: str
    received_on: dt.date
    answered_on: dt.date | None
    public_answer: str
    updates: list[PublicUpdateView]


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)


def receipt(*, code: str, agency: Agency | None = None) -> Receipt | None:
    """What the holder of a receipt code may read, or None for an unknown code.

    The code is read forgivingly (`receipts.normalise`). Only the status, the
    dates, the public answer and the public updates: never the text (the
    holder knows what they said; someone who found the code need not), never
    contact details, owner or notes. Codes are unique across agencies; the
    web page looks only within its agency, the API everywhere. Two queries.
    """
    stored = receipts.normalise(code)
    if not stored:
        return None
    found = Input.objects.filter(receipt_code=stored)
    if agency is not None:
        found = found.filter(agency=agency)
    item = (
        found.only("receipt_code", "topic", "status", "received_at", "answered_at", "public_answer")
        .prefetch_related(Prefetch("updates", queryset=PublicUpdate.objects.order_by("created_at")))
        .first()
    )
    if item is None:
        return None
    received_on = _local_date(item.received_at)
    assert received_on is not None
    return Receipt(
        receipt_code=receipts.display(item.receipt_code),
        topic_label=str(Topic(item.topic).label),
        status=item.status,
        status_label=str(Status(item.status).label),
        received_on=received_on,
        answered_on=_local_date(item.answered_at),
        public_answer=redact(item.public_answer),
        # Writers redact updates already; again here, in case one forgot.
        updates=[
            PublicUpdateView(on=timezone.localdate(u.created_at), text=redact(u.text))
            for u in item.updates.all()
        ],
    )


@dataclass(frozen=True)
class PublicAnswer:
    topic_label: str
    area: str
    received_on: dt.date
    answered_on: dt.date
    said: str
    answer: str


def recent_answers(*, agency: Agency, limit: int = RECENT_ANSWERS) -> list[PublicAnswer]:
    """The latest answered inputs that moderation lets the public see, redacted. One query.

    Only what people wrote to us through the public form or the public API,
    both of which say that it may be shown in public: a text message, an email,
    an imported post or 311 call, or notes from a call or an interview were
    never offered for publication, so their words stay off the public page
    (they still count in the figures, which reveal nothing of what was said).
    """
    rows = (
        Input.objects.filter(
            agency=agency,
            channel__in=PUBLIC_CHANNELS,
            moderation=Moderation.VISIBLE,
            answered_at__isnull=False,
        )
        .exclude(public_answer="")
        .select_related("area")
        .only("topic", "text", "public_answer", "received_at", "answered_at", "area__name")
        .order_by("-answered_at", "-pk")[:limit]
    )
    answers = []
    for item in rows:
        answered_on = _local_date(item.answered_at)
        assert answered_on is not None
        answers.append(
            PublicAnswer(
                topic_label=str(Topic(item.topic).label),
                area=item.area.name if item.area else "",
                received_on=timezone.localdate(item.received_at),
                answered_on=answered_on,
                said=redact(item.text),
                answer=redact(item.public_answer),
            )
        )
    return answers


@dataclass(frozen=True)
class FigureRow:
    label: str
    cell: Cell


@dataclass(frozen=True)
class AnswerFigures:
    since: dt.date
    small_cell: int
    overall: Cell
    by_topic: list[FigureRow]
    by_area: list[FigureRow]


def _rows(labels: list[str], result: Breakdown) -> list[FigureRow]:
    return [FigureRow(label, cell) for label, cell in zip(labels, result.groups, strict=True)]


def answer_figures(*, agency: Agency, now: dt.datetime | None = None) -> AnswerFigures:
    """ "You said, we did" over the inputs received in the last 365 days.

    Answered means an answer date is set; days to answer run from receipt to
    that date; small cells are suppressed by `analytics.response_figures`.
    Every input counts, whatever its channel or moderation (a count reveals
    nothing of what was said). Inputs without an area form their own group, so
    the area groups add up to the total. Both breakdowns are suppressed
    together (they share the overall figure), so no page shows what another
    hides.
    Two queries.
    """
    now = now or timezone.now()
    since = now - dt.timedelta(days=FIGURES_DAYS)
    rows = list(
        Input.objects.filter(agency=agency, received_at__gte=since).values_list(
            "topic", "area_id", "received_at", "answered_at"
        )
    )
    answered = np.array([r[3] is not None for r in rows], dtype=bool)
    days = np.array(
        [np.nan if r[3] is None else (r[3] - r[2]).total_seconds() / 86400 for r in rows],
        dtype=float,
    )
    small = disclosure.minimum_count()
    topics = list(Topic)
    topic_index = {t.value: i for i, t in enumerate(topics)}
    areas = list(Area.objects.filter(agency=agency).order_by("name").values_list("pk", "name"))
    area_index = {pk: i for i, (pk, _name) in enumerate(areas)}
    by_topic, by_area = linked_breakdowns(
        [
            (np.array([topic_index[r[0]] for r in rows], dtype=int), len(topics)),
            (np.array([area_index.get(r[1], len(areas)) for r in rows], dtype=int), len(areas) + 1),
        ],
        answered,
        days,
        small_cell=small,
    )
    overall = by_topic.overall
    return AnswerFigures(
        since=timezone.localdate(since),
        small_cell=small,
        overall=overall,
        by_topic=_rows([str(t.label) for t in topics], by_topic),
        by_area=_rows([name for _pk, name in areas] + [gettext("No area given")], by_area),
    )
