"""Writes to surveys: building them (from instruments or by hand), opening and
closing them, their open link and one-time links.

Responses are written by `services_responses.py` (re-exported here:
`response_submit`, `responses_import`, and the audited
`responses_export_record`); after-contact invitations by
`services_invitations.py`. Every staff action here is audited; the open
link's token and one-time tokens never go into the audit log.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.surveys.completeness import open_problems
from roundtable.surveys.instruments import INSTRUMENTS, InstrumentQuestion
from roundtable.surveys.models import (
    Audience,
    Characteristic,
    Invitation,
    Option,
    Question,
    ReferencePopulation,
    Survey,
)
from roundtable.surveys.services_questions import (
    check_internal_question,
    clean_texts,
    options_set,
    question_add,
    question_delete,
    question_move,
    question_update,
    unique_key,
)
from roundtable.surveys.services_responses import (
    ImportRow,
    Submitted,
    response_submit,
    responses_export_record,
    responses_import,
    token_hash,
)
from roundtable.surveys.texts import Texts, language_codes

__all__ = [
    "ImportRow",
    "Submitted",
    "invitation_for",
    "invitations_create",
    "open_link_rotate",
    "open_problems",
    "options_set",
    "question_add",
    "question_delete",
    "question_move",
    "question_update",
    "response_submit",
    "responses_export_record",
    "responses_import",
    "survey_close",
    "survey_create",
    "survey_duplicate",
    "survey_open",
    "survey_update",
    "token_hash",
]

SURVEY_FIELDS = [
    "title",
    "introduction",
    "thanks",
    "languages",
    "instrument",
    "audience",
    "status",
    "area",
    "text_to_inputs",
    "publish_results",
    "population",
    "weighting_variables",
    "weight_cap",
]
# What survey_update may change (status and the open link have their own actions).
EDITABLE_FIELDS = frozenset(SURVEY_FIELDS) - {"status", "instrument"}
TEXT_FIELDS = ("title", "introduction", "thanks")
INVITATIONS_MAX = 10_000
DEFAULT_THANKS: Texts = {
    "en": "Thank you for taking the time to answer.",
    "es": "Gracias por tomarse el tiempo de responder.",
}
COPY_SUFFIX: Texts = {"en": " (copy)", "es": " (copia)"}


def _new_public_token() -> str:
    return secrets.token_urlsafe(24)


def _audit(actor: User | None, survey: Survey, action: str, before: dict[str, Any] | None) -> None:
    audit_record(
        actor=actor,
        agency=survey.agency,
        action=action,
        instance=survey,
        before=before,
        after=snapshot(survey, SURVEY_FIELDS),
    )


def _clean_languages(languages: Sequence[str]) -> list[str]:
    known = language_codes()
    chosen = list(dict.fromkeys(code for code in languages if code))
    if not chosen:
        raise ValidationError({"languages": _("Offer the survey in at least one language.")})
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise ValidationError(
            {"languages": _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return chosen


def _check_belongs(agency: Agency, **things: Area | ReferencePopulation | None) -> None:
    for name, thing in things.items():
        if thing is not None and thing.agency_id != agency.pk:
            raise ValidationError({name: _("This belongs to another agency.")})


def _audience_for(instruments: Sequence[str], audience: str | None) -> str:
    """The audience asked for, or the one the instruments imply; an internal
    instrument only in an internal survey, and nothing about the respondent in
    one (so that no answer points to one officer)."""
    implied = {INSTRUMENTS[key].audience for key in instruments}
    if audience is None:
        if Audience.INTERNAL in implied:
            audience = Audience.INTERNAL
        elif Audience.CONTACT in implied:
            audience = Audience.CONTACT
        else:
            audience = Audience.PUBLIC
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who the survey is for.")})
    if Audience.INTERNAL in implied and audience != Audience.INTERNAL:
        raise ValidationError(
            {"audience": _("The wellness pulse is for the agency's own staff: make it internal.")}
        )
    if audience == Audience.INTERNAL and "demographics" in instruments:
        raise ValidationError(
            {
                "instruments": _(
                    "An internal survey asks nothing about who answers (no demographics, no "
                    "area), so that no answer can be traced to one person."
                )
            }
        )
    return audience


def _copy_question(survey: Survey, position: int, key: str, spec: InstrumentQuestion) -> Question:
    return Question.objects.create(
        survey=survey,
        position=position,
        key=key,
        kind=spec.kind,
        text=dict(spec.text),
        help=dict(spec.help or {}),
        low_label=dict(spec.low_label or {}),
        high_label=dict(spec.high_label or {}),
        required=spec.required,
        measure=spec.measure,
        characteristic=spec.characteristic,
        show_if_values=list(spec.show_if_values),
    )


@transaction.atomic
def survey_create(
    *,
    agency: Agency,
    created_by: User | None,
    title: Texts,
    instruments: Sequence[str] = (),
    audience: str | None = None,
    languages: Sequence[str] = ("en", "es"),
    area: Area | None = None,
    introduction: Texts | None = None,
) -> Survey:
    """A draft survey with the questions of `instruments`, in order.

    Questions are copies: editing them never changes the instrument or
    another survey. A key that two instruments share gets a suffix (`area_2`).
    The audience, if not given, follows the instruments (internal for the
    wellness pulse, contact for satisfaction after a call, else public).
    """
    title = clean_texts(title, "title")
    if not any(title.values()):
        raise ValidationError({"title": _("Give the survey a title.")})
    unknown = [key for key in instruments if key not in INSTRUMENTS]
    if unknown:
        raise ValidationError(
            {"instruments": _("Unknown instrument: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    instruments = list(dict.fromkeys(instruments))
    audience = _audience_for(instruments, audience)
    _check_belongs(agency, area=area)
    first = INSTRUMENTS[instruments[0]] if instruments else None
    if introduction is None:
        introduction = dict(first.introduction) if first else {}
    survey = Survey.objects.create(
        agency=agency,
        title=title,
        introduction=clean_texts(introduction, "introduction"),
        thanks=dict(DEFAULT_THANKS),
        languages=_clean_languages(languages),
        instrument=first.key if first else "",
        audience=audience,
        area=area,
        # Internal answers never reach the input ledger, whatever is set later.
        text_to_inputs=audience != Audience.INTERNAL,
        created_by=created_by,
    )
    keys: set[str] = set()
    position = 0
    for instrument_key in instruments:
        copied: dict[str, Question] = {}
        for spec in INSTRUMENTS[instrument_key].questions:
            key = unique_key(spec.key, keys)
            keys.add(key)
            question = _copy_question(survey, position, key, spec)
            position += 1
            copied[spec.key] = question
            if spec.show_if:
                question.show_if = copied[spec.show_if]
                question.save(update_fields=["show_if"])
            if spec.options:
                Option.objects.bulk_create(
                    Option(question=question, position=n, value=value, label=dict(label))
                    for n, (value, label) in enumerate(spec.options)
                )
    _audit(created_by, survey, "surveys.survey.create", None)
    return survey


def _clean_update(survey: Survey, name: str, value: Any) -> Any:
    if name in TEXT_FIELDS:
        value = clean_texts(value, name)
        if name == "title" and not any(value.values()):
            raise ValidationError({"title": _("Give the survey a title.")})
        return value
    if name == "languages":
        return _clean_languages(value)
    if name in ("area", "population"):
        _check_belongs(survey.agency, **{name: value})
        return value
    if name == "audience":
        if value not in Audience.values:
            raise ValidationError({"audience": _("Choose who the survey is for.")})
        if value != survey.audience and survey.responses.exists():
            raise ValidationError(
                {"audience": _("People have answered already: duplicate the survey instead.")}
            )
        return value
    if name == "weighting_variables":
        allowed = set(Characteristic.values) - {""}
        chosen = list(dict.fromkeys(value or []))
        if any(v not in allowed for v in chosen):
            raise ValidationError({name: _("Weight only on the respondent characteristics.")})
        return chosen
    if name == "weight_cap":
        cap = float(value)
        if not cap > 1:
            raise ValidationError(
                {name: _("Trim weights at more than once the mean weight (5 is usual).")}
            )
        return cap
    return bool(value)  # text_to_inputs, publish_results


@transaction.atomic
def survey_update(*, survey: Survey, actor: User, **fields: Any) -> Survey:
    """Change the survey's texts, languages, audience, area and weighting.

    An open survey must stay complete in its languages; an internal one never
    publishes results nor sends free text to the input ledger.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"survey_update cannot change {', '.join(sorted(unknown))}")
    before = snapshot(survey, SURVEY_FIELDS)
    cleaned = {name: _clean_update(survey, name, value) for name, value in fields.items()}
    if cleaned.get("audience", survey.audience) == Audience.INTERNAL:
        if cleaned.get("publish_results"):
            raise ValidationError(
                {"publish_results": _("An internal survey's results are never published.")}
            )
        for question in survey.questions.all():
            check_internal_question(question.kind, question.characteristic)
        cleaned.update(publish_results=False, text_to_inputs=False)
    # Applied to the instance only once accepted: a caller that shows the form
    # again after a refusal must not see (or later save) the refused values.
    kept = {name: getattr(survey, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(survey, name, value)
    if survey.status == Survey.Status.OPEN:
        problems = open_problems(survey)
        if problems:
            for name, value in kept.items():
                setattr(survey, name, value)
            raise ValidationError(problems)
    survey.save()
    _audit(actor, survey, "surveys.survey.update", before)
    return survey


@transaction.atomic
def survey_duplicate(*, survey: Survey, actor: User) -> Survey:
    """A new draft with the same settings, questions, options and conditions
    (and none of the responses or one-time links), with its own open link."""
    title = {code: text + COPY_SUFFIX.get(code, "") for code, text in survey.title.items() if text}
    copy = Survey.objects.create(
        agency=survey.agency,
        title=title,
        introduction=dict(survey.introduction),
        thanks=dict(survey.thanks),
        languages=list(survey.languages),
        instrument=survey.instrument,
        audience=survey.audience,
        area=survey.area,
        public_token=_new_public_token(),
        text_to_inputs=survey.text_to_inputs,
        publish_results=False,
        population=survey.population,
        weighting_variables=list(survey.weighting_variables),
        weight_cap=survey.weight_cap,
        duplicated_from=survey,
        created_by=actor,
    )
    originals = list(survey.questions.prefetch_related("options").order_by("position", "pk"))
    copies: dict[int, Question] = {}
    for question in originals:
        copies[question.pk] = Question.objects.create(
            survey=copy,
            position=question.position,
            key=question.key,
            kind=question.kind,
            text=dict(question.text),
            help=dict(question.help),
            low_label=dict(question.low_label),
            high_label=dict(question.high_label),
            required=question.required,
            measure=question.measure,
            characteristic=question.characteristic,
            show_if_values=list(question.show_if_values),
        )
    Option.objects.bulk_create(
        Option(question=copies[q.pk], position=o.position, value=o.value, label=dict(o.label))
        for q in originals
        for o in q.options.all()
    )
    for question in originals:
        if question.show_if_id is not None and question.show_if_id in copies:
            dependent = copies[question.pk]
            dependent.show_if = copies[question.show_if_id]
            dependent.save(update_fields=["show_if"])
    audit_record(
        actor=actor,
        agency=copy.agency,
        action="surveys.survey.duplicate",
        instance=copy,
        after={**snapshot(copy, SURVEY_FIELDS), "duplicated_from": survey.pk},
    )
    return copy


@transaction.atomic
def survey_open(*, survey: Survey, actor: User) -> Survey:
    """Open the survey for answers, with an open link if it has none.

    Refused, with every problem listed at once, when a text is missing in one
    of the survey's languages or a choice question has nothing to choose.
    """
    if survey.status == Survey.Status.OPEN:
        return survey
    problems = open_problems(survey)
    if problems:
        raise ValidationError(problems)
    before = snapshot(survey, SURVEY_FIELDS)
    survey.status = Survey.Status.OPEN
    survey.opened_at = timezone.now()
    survey.closed_at = None
    if not survey.public_token:
        survey.public_token = _new_public_token()
    survey.save(update_fields=["status", "opened_at", "closed_at", "public_token"])
    _audit(actor, survey, "surveys.survey.open", before)
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, actor: User) -> Survey:
    """Stop taking answers (open link and one-time links alike); results stay."""
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    before = snapshot(survey, SURVEY_FIELDS)
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    _audit(actor, survey, "surveys.survey.close", before)
    return survey


@transaction.atomic
def open_link_rotate(*, survey: Survey, actor: User) -> Survey:
    """A new open link; the old one stops working at once (a link shared too
    widely, or a QR code that should no longer count)."""
    survey.public_token = _new_public_token()
    survey.save(update_fields=["public_token"])
    # The token itself stays out of the log: the entry records that it changed.
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="surveys.survey.rotate_link",
        instance=survey,
        after={"open_link": "rotated"},
    )
    return survey


@transaction.atomic
def invitations_create(
    *, survey: Survey, actor: User, count: int, batch: str, language: str = "en"
) -> list[str]:
    """`count` one-time links for a panel: the tokens, to be shown (or sent)
    once. Only their SHA-256 is stored; nothing about whom they go to."""
    batch = " ".join(batch.split())
    if not batch:
        raise ValidationError({"batch": _("Name the batch (“Panel, wave 1”).")})
    if len(batch) > Invitation._meta.get_field("batch").max_length:  # type: ignore[operator]
        raise ValidationError({"batch": _("The batch name is too long.")})
    if not 1 <= count <= INVITATIONS_MAX:
        raise ValidationError(
            {"count": _("Make between 1 and %(max)d links at a time.") % {"max": INVITATIONS_MAX}}
        )
    if language not in survey.languages:
        raise ValidationError({"language": _("The survey is not offered in this language.")})
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError(_("This survey is closed."))
    tokens = [secrets.token_urlsafe(32) for _n in range(count)]
    Invitation.objects.bulk_create(
        (
            Invitation(
                survey=survey,
                token_hash=token_hash(token),
                batch=batch,
                language=language,
                created_by=actor,
            )
            for token in tokens
        ),
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="surveys.invitations.create",
        instance=survey,
        after={"batch": batch, "count": count, "language": language},
    )
    return tokens


def invitation_for(*, survey: Survey, token: str) -> Invitation | None:
    """The one-time link `token` of this survey, used or not; None if unknown."""
    if not token:
        return None
    return Invitation.objects.filter(survey=survey, token_hash=token_hash(token)).first()
