"""Figures shared by partner organisations, and their approval.

A partner's representative (a DataSharer of the organisation) submits
aggregate figures for a measure whose `partner` is their organisation: by form
or CSV, always with their provenance (where the figures come from and how they
were counted). Nothing reaches the measure's figures until staff approve the
submission; approval writes them with source PARTNER, the provenance and a
link to the submission, replacing earlier figures of the same period and area
(the audit entry keeps what they replaced). A rejection needs a note, which the
partner reads on their page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.access import DATA_SHARERS, roles_in
from roundtable.accounts.models import User
from roundtable.agencies.models import Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.measures.figures import (
    Figure,
    FigureRow,
    Lookup,
    figure_problems,
    read_figures,
)
from roundtable.measures.models import (
    DataSharer,
    Measure,
    PartnerSubmission,
    Source,
    ValueSource,
)
from roundtable.measures.services import check_editor
from roundtable.measures.services_values import upload_too_large, write_figures
from roundtable.stakeholders.models import Organisation

SUBMISSION_FIELDS = ["status", "reviewed_by", "reviewed_at", "review_note"]


def sharer_organisations(user: User, agency_id: int) -> list[Organisation]:
    """The organisations `user` may share figures for in the agency."""
    return [
        sharer.organisation
        for sharer in DataSharer.objects.filter(user=user, agency_id=agency_id).select_related(
            "organisation"
        )
    ]


def check_sharer(actor: User, measure: Measure) -> Organisation:
    """The organisation the actor shares `measure`'s figures for, or a refusal."""
    if not roles_in(actor, measure.agency) & DATA_SHARERS:
        raise PermissionDenied(_("Only a partner's representative may share figures."))
    if measure.source != Source.PARTNER or measure.partner_id is None:
        raise PermissionDenied(_("This measure's figures are not shared by a partner."))
    if not DataSharer.objects.filter(
        user=actor, organisation_id=measure.partner_id, agency_id=measure.agency_id
    ).exists():
        raise PermissionDenied(_("You do not share figures for this measure's organisation."))
    if not measure.active:
        raise ValidationError(_("This measure is no longer in use."))
    assert measure.partner is not None
    return measure.partner


def _clean_provenance(provenance: str) -> str:
    text = provenance.strip()
    if not text:
        raise ValidationError(
            {"provenance": _("Say where the figures come from and how they were counted.")}
        )
    return text


def _create(
    actor: User,
    measure: Measure,
    organisation: Organisation,
    rows: Sequence[FigureRow],
    provenance: str,
    method: str,
    file_name: str = "",
) -> PartnerSubmission:
    submission = PartnerSubmission.objects.create(
        agency=measure.agency,
        measure=measure,
        organisation=organisation,
        submitted_by=actor,
        method=method,
        file_name=file_name[:200],
        provenance=provenance,
        rows=[row.as_json() for row in rows],
    )
    audit_record(
        actor=actor,
        agency=measure.agency,
        action="measures.submission.create",
        instance=submission,
        before=None,
        after={"measure": measure.pk, "rows": submission.rows, "provenance": provenance},
    )
    return submission


@transaction.atomic
def partner_submit(
    *, actor: User, measure: Measure, figures: Sequence[Figure], provenance: str
) -> PartnerSubmission:
    """Figures typed into the partner's form, held for approval."""
    organisation = check_sharer(actor, measure)
    provenance = _clean_provenance(provenance)
    if not figures:
        raise ValidationError(_("Give at least one figure."))
    rows: list[FigureRow] = []
    seen: set[tuple[int, dt.date, int | None]] = set()
    for figure in figures:
        errors = figure_problems(
            measure=measure,
            period_start=figure.period_start,
            area=figure.area,
            value=figure.value,
            numerator=figure.numerator,
            denominator=figure.denominator,
        )
        if errors:
            raise ValidationError(errors)
        row = FigureRow(
            None,
            measure,
            figure.period_start,
            figure.area,
            figure.value,
            figure.numerator,
            figure.denominator,
        )
        if row.key in seen:
            raise ValidationError(_("The same period and area are given twice."))
        seen.add(row.key)
        rows.append(row)
    return _create(actor, measure, organisation, rows, provenance, PartnerSubmission.Method.FORM)


@transaction.atomic
def partner_submit_csv(
    *, actor: User, measure: Measure, data: bytes, file_name: str, provenance: str
) -> PartnerSubmission:
    """A partner's file of figures for one measure (columns period, area, value,
    count, base; a measure column, if any, must name this measure). Every row is
    checked; when any is wrong nothing is kept and the ValidationError lists
    each problem with its line."""
    organisation = check_sharer(actor, measure)
    provenance = _clean_provenance(provenance)
    too_large = upload_too_large(len(data))
    if too_large:
        raise ValidationError([str(too_large)])
    read = read_figures(
        data,
        file_name,
        lookup=Lookup([measure], Area.objects.filter(agency_id=measure.agency_id)),
        measure=measure,
    )
    if read.problems:
        raise ValidationError([str(problem) for problem in read.problems])
    return _create(
        actor,
        measure,
        organisation,
        read.rows,
        provenance,
        PartnerSubmission.Method.CSV,
        file_name.rsplit("/", 1)[-1],
    )


def submission_rows(submission: PartnerSubmission) -> list[FigureRow]:
    """The submission's figures, read back from JSON and checked again (an area
    may have been removed since). Raises ValidationError."""
    measure = submission.measure
    areas = {a.pk: a for a in Area.objects.filter(agency_id=submission.agency_id)}
    rows = []
    for item in submission.rows:
        area_id = item.get("area")
        area = areas.get(int(area_id)) if area_id is not None else None
        if area_id is not None and area is None:
            raise ValidationError(_("An area of this submission no longer exists."))
        row = FigureRow(
            None,
            measure,
            dt.date.fromisoformat(str(item["period"])),
            area,
            float(item["value"]),
            None if item.get("numerator") is None else int(item["numerator"]),
            None if item.get("denominator") is None else int(item["denominator"]),
        )
        errors = figure_problems(
            measure=measure,
            period_start=row.period_start,
            area=row.area,
            value=row.value,
            numerator=row.numerator,
            denominator=row.denominator,
        )
        if errors:
            raise ValidationError(errors)
        rows.append(row)
    return rows


def _locked_pending(submission: PartnerSubmission) -> PartnerSubmission:
    locked = (
        PartnerSubmission.objects.select_for_update()
        .select_related("measure__agency", "agency")
        .get(pk=submission.pk)
    )
    if locked.status != PartnerSubmission.Status.PENDING:
        raise ValidationError(_("This submission has been reviewed already."))
    return locked


def is_own_submission(actor: User | None, submission: PartnerSubmission) -> bool:
    """Whether `actor` made the submission (staff who are also a partner's
    representative): then someone else must review it."""
    return actor is not None and actor.pk == submission.submitted_by_id


def check_not_own(actor: User | None, submission: PartnerSubmission) -> None:
    """Four eyes: nobody approves or rejects their own submission."""
    if is_own_submission(actor, submission):
        raise PermissionDenied(_("Someone else must review a submission you made."))


@transaction.atomic
def submission_approve(
    *, actor: User | None, submission: PartnerSubmission, note: str = ""
) -> PartnerSubmission:
    """Write the submission's figures (source PARTNER, with its provenance),
    replacing earlier ones of the same periods and areas."""
    check_editor(actor, submission.agency)
    check_not_own(actor, submission)
    submission = _locked_pending(submission)
    if not submission.measure.active:
        raise ValidationError(_("This measure is no longer in use."))
    before = snapshot(submission, SUBMISSION_FIELDS)
    write_figures(
        actor=actor,
        rows=submission_rows(submission),
        source=ValueSource.PARTNER,
        provenance=submission.provenance,
        submission=submission,
        action="measures.values.partner",
    )
    submission.status = PartnerSubmission.Status.APPROVED
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.review_note = note.strip()
    submission.save(update_fields=SUBMISSION_FIELDS)
    audit_record(
        actor=actor,
        agency=submission.agency,
        action="measures.submission.approve",
        instance=submission,
        before=before,
        after=snapshot(submission, SUBMISSION_FIELDS),
    )
    return submission


@transaction.atomic
def submission_reject(
    *, actor: User | None, submission: PartnerSubmission, note: str
) -> PartnerSubmission:
    """Turn the submission down, saying why (the partner reads the note)."""
    check_editor(actor, submission.agency)
    check_not_own(actor, submission)
    if not note.strip():
        raise ValidationError({"note": _("Say why, so the partner can correct the figures.")})
    submission = _locked_pending(submission)
    before = snapshot(submission, SUBMISSION_FIELDS)
    submission.status = PartnerSubmission.Status.REJECTED
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.review_note = note.strip()
    submission.save(update_fields=SUBMISSION_FIELDS)
    audit_record(
        actor=actor,
        agency=submission.agency,
        action="measures.submission.reject",
        instance=submission,
        before=before,
        after=snapshot(submission, SUBMISSION_FIELDS),
    )
    return submission
