"""Writing responses: one answered form (`response_submit`) and many at once
(`responses_import`, historical or paper responses).

A response keeps its answers, its language, the month and area it counts for
and how it arrived: never an address, a user agent, an account or a cookie.
The callers pass none (there is no parameter to pass them through).

A response is dated by its local day only (`day_of`): the moment it was sent
is not kept, whatever the channel, because a moment can be matched against
something else that knows who answered (models.py says more).

Free-text answers of public and after-contact surveys become inputs of the
response ledger ("you said, we did"), anonymous, dated by the same day, with
an external id that names the survey and a random part: never the response,
so that whoever reads the ledger cannot join the text to the rest of the
answers. An internal (staff wellness) survey's text never leaves the survey.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Area
from roundtable.audit.services import audit_record
from roundtable.inputs.models import Input, InputChannel, Topic
from roundtable.inputs.services import input_create
from roundtable.inputs.services_bulk import AnonymousRow, inputs_create_anonymous
from roundtable.surveys.answering import clean_answers, questions_of
from roundtable.surveys.models import Audience, Invitation, Measure, Question, Response, Survey

IMPORT_CHANNELS = frozenset({Response.Channel.IMPORT, Response.Channel.PAPER})
IMPORT_BATCH = 1000
# How many row errors an import reports before "and N more".
IMPORT_ERRORS_SHOWN = 20


@dataclass
class Submitted:
    response: Response
    # Inputs made from its free-text answers (their receipt codes go on the thank-you page).
    inputs: list[Input] = field(default_factory=list)


@dataclass(frozen=True)
class ImportRow:
    submitted_at: dt.datetime
    # {question key: [raw strings]} as a form posts them, or typed values (7, ["a", "b"]).
    answers: Mapping[str, Any]
    language: str = "en"


def token_hash(token: str) -> str:
    """What is stored of a one-time link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def period_of(moment: dt.datetime) -> dt.date:
    """The month a response counts for: the first day of its month, local time."""
    return timezone.localdate(moment).replace(day=1)


def day_of(moment: dt.datetime) -> dt.datetime:
    """What is stored of when a response came: midnight of its local day (the
    time zone of settings.TIME_ZONE), so no time of day is kept."""
    day = timezone.localdate(moment, timezone.get_default_timezone())
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


def _language(survey: Survey, language: str) -> str:
    return language if language in survey.languages else (survey.languages or ["en"])[0]


def _sends_text(survey: Survey) -> bool:
    return survey.text_to_inputs and survey.audience != Audience.INTERNAL


def _text_answers(
    questions: list[Question], answers: Mapping[str, Any]
) -> list[tuple[Question, str]]:
    return [
        (q, answers[q.key])
        for q in questions
        if q.kind == Question.Kind.TEXT and isinstance(answers.get(q.key), str) and answers[q.key]
    ]


def _topic(question: Question) -> str:
    return Topic.SAFETY_CONCERN if question.measure == Measure.TOP_ISSUE else Topic.OTHER


def _external_id(survey: Survey) -> str:
    """Unique, and naming the survey only: the response's number would join the
    input's text to the response's other answers (its area, age, …)."""
    return f"survey:{survey.pk}:{secrets.token_hex(8)}"


def _use_invitation(survey: Survey, token: str) -> Invitation:
    """The one-time link, locked and marked used (with no time: models.py);
    refused when unknown, another survey's or used (a second tab, a forwarded
    link)."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    if invitation is None or invitation.survey_id != survey.pk:
        raise ValidationError(_("This link is not valid for this survey."))
    if invitation.used:
        raise ValidationError(_("This link has been used already: it takes one response."))
    invitation.used = True
    invitation.save(update_fields=["used"])
    return invitation


def _lock(survey: Survey) -> str:
    """The survey's status as stored now, its row locked until the transaction ends.

    The page that posts an answer loaded the survey earlier; a close in between
    (an update of the same row) is seen here, and a close that comes after
    waits for this transaction, so no answer is stored once the survey is
    closed. One short query on the primary key."""
    status: str = (
        Survey.objects.select_for_update()
        .filter(pk=survey.pk)
        .values_list("status", flat=True)
        .get()
    )
    return status


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    raw: Mapping[str, Any],
    language: str,
    channel: str,
    invitation_token: str | None = None,
    submitted_at: dt.datetime | None = None,
    recorded_by: User | None = None,
) -> Submitted:
    """Store one answered form.

    ValidationError (question key → message) when answers are invalid; a
    plain ValidationError when the survey is not open or the one-time link is
    unknown, another survey's or used. A response through a one-time link
    marks it used in the same transaction, under a row lock, so two tabs
    submitting at once store one response. `recorded_by` is staff typing in a
    paper form (audited); a respondent's own submission is not audited. The
    survey's status is read under a lock on its row, not taken from `survey`,
    which the page loaded before the survey may have closed. `submitted_at`
    (default now) is stored as its local day, and so is the date its
    free-text inputs were received (their due dates count from that day).
    """
    if channel not in Response.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if _lock(survey) != Survey.Status.OPEN:
        raise ValidationError(_("This survey is not open for answers."))
    if (channel == Response.Channel.INVITATION) != bool(invitation_token):
        raise ValidationError(_("This link is not valid for this survey."))
    language = _language(survey, language)
    questions = questions_of(survey)
    cleaned = clean_answers(survey=survey, questions=questions, raw=raw, language=language)
    if cleaned.errors:
        raise ValidationError(cleaned.errors)
    if invitation_token:
        _use_invitation(survey, invitation_token)
    submitted_at = day_of(submitted_at or timezone.now())
    response = Response.objects.create(
        survey=survey,
        submitted_at=submitted_at,
        period=period_of(submitted_at),
        language=language,
        channel=channel,
        area=cleaned.area or survey.area,
        answers=cleaned.answers,
    )
    inputs: list[Input] = []
    if _sends_text(survey):
        for question, text in _text_answers(questions, cleaned.answers):
            inputs.append(
                input_create(
                    agency=survey.agency,
                    channel=InputChannel.SURVEY,
                    topic=_topic(question),
                    text=text,
                    language=language,
                    area=response.area,
                    is_anonymous=True,
                    recorded_by=recorded_by,
                    external_id=_external_id(survey),
                    received_at=submitted_at,
                )
            )
        # The ledger stamps updated_at with the moment of saving; kept, it would
        # give back the exact time that submitted_at leaves out (see the module).
        Input.objects.filter(pk__in=[item.pk for item in inputs]).update(updated_at=submitted_at)
        for item in inputs:
            item.updated_at = submitted_at
    if recorded_by is not None:
        audit_record(
            actor=recorded_by,
            agency=survey.agency,
            action="surveys.response.record",
            instance=response,
            after={"channel": channel, "language": language, "period": response.period.isoformat()},
        )
    return Submitted(response=response, inputs=inputs)


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@transaction.atomic
def responses_import(
    *,
    survey: Survey,
    actor: User | None,
    rows: Iterable[ImportRow],
    channel: str = Response.Channel.IMPORT,
    text_to_inputs: bool = False,
) -> int:
    """Store many responses at once (a survey run on paper or elsewhere, or
    history): the number stored.

    Each row passes the same validator as the public form; a row with an
    error stops the whole import (nothing half-imported) and the errors say
    which rows. Rows may be of any survey status: history arrives after the
    fact. The work is a few queries in all (questions, areas, bulk inserts),
    not a few per row. Free-text answers go to the input ledger only if
    `text_to_inputs` and the survey sends text there. A row's time is kept as
    its local day, as `response_submit` does. The survey's row is
    locked once for the whole import, so that a status change made meanwhile
    comes before or after all of it.
    """
    if channel not in IMPORT_CHANNELS:
        raise ValueError(f"an import's channel is {sorted(IMPORT_CHANNELS)}, not {channel!r}")
    _lock(survey)
    questions = questions_of(survey)
    areas = {area.slug: area for area in Area.objects.filter(agency_id=survey.agency_id)}
    responses: list[Response] = []
    errors: list[str] = []
    error_count = 0
    for number, row in enumerate(rows, start=1):
        language = _language(survey, row.language)
        cleaned = clean_answers(
            survey=survey, questions=questions, raw=row.answers, language=language, areas=areas
        )
        if cleaned.errors:
            error_count += 1
            if len(errors) < IMPORT_ERRORS_SHOWN:
                detail = "; ".join(f"{key}: {message}" for key, message in cleaned.errors.items())
                errors.append(_("Row %(row)d: %(detail)s") % {"row": number, "detail": detail})
            continue
        submitted_at = day_of(_aware(row.submitted_at))
        responses.append(
            Response(
                survey=survey,
                submitted_at=submitted_at,
                period=period_of(submitted_at),
                language=language,
                channel=channel,
                area=cleaned.area or survey.area,
                answers=cleaned.answers,
            )
        )
    if error_count:
        if error_count > len(errors):
            errors.append(_("… and %(count)d more rows.") % {"count": error_count - len(errors)})
        raise ValidationError(errors)
    stored = Response.objects.bulk_create(responses, batch_size=IMPORT_BATCH)
    if text_to_inputs and _sends_text(survey):
        inputs_create_anonymous(
            agency=survey.agency,
            channel=InputChannel.SURVEY,
            recorded_by=actor,
            rows=(
                AnonymousRow(
                    topic=_topic(question),
                    text=text,
                    language=response.language,
                    area=response.area,
                    external_id=_external_id(survey),
                    received_at=response.submitted_at,
                )
                for response in stored
                for question, text in _text_answers(questions, response.answers)
            ),
        )
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="surveys.responses.import",
        instance=survey,
        after={"rows": len(stored), "channel": channel},
    )
    return len(stored)


@transaction.atomic
def responses_export_record(*, survey: Survey, actor: User) -> int:
    """Allow and audit an export of the responses, one row each, before it is
    made: the number of rows it holds.

    The record-level file is for analysts; the audit log says who took one
    and how many rows (counts only). Refused (PermissionDenied, with a
    sentence to show) for an internal survey: its answers are shown only as
    aggregates, since a row per officer, even without free text or area, is
    one colleague's answers among a few dozen.
    """
    if survey.audience == Audience.INTERNAL:
        raise PermissionDenied(
            _(
                "An internal survey's answers are not exported: they are shown only as "
                "overall figures on the results page."
            )
        )
    rows = Response.objects.filter(survey=survey).count()
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="surveys.responses.export",
        instance=survey,
        after={"rows": rows},
    )
    return rows
