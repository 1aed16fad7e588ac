"""Writing figures: one entered by staff, a CSV file of them, and (for
`services_partners`) the figures of an approved partner submission.

A figure is unique per measure, period and area: a new one replaces the old,
and the audit entry keeps what it replaced (one entry per measure written, with
the figures before and after). Figures of computed measures come from
`services.measures_refresh` only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record
from roundtable.measures.figures import FigureRow, Lookup, figure_problems, read_figures
from roundtable.measures.models import (
    Measure,
    MeasureValue,
    PartnerSubmission,
    Source,
    ValueSource,
)
from roundtable.measures.periods import format_period
from roundtable.measures.services import check_editor
from roundtable.stakeholders.tabular import Problem


def _figure_key(value: MeasureValue) -> str:
    area = value.area.slug if value.area else ""
    return f"{format_period(value.period_start, value.measure.frequency)} {area}".strip()


def _figure_snapshot(value: MeasureValue) -> dict[str, object]:
    return {
        "value": value.value,
        "count": value.numerator,
        "base": value.denominator,
        "source": value.source,
        "provenance": value.provenance,
    }


@dataclass
class Written:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0


def write_figures(
    *,
    actor: User | None,
    rows: Sequence[FigureRow],
    source: str,
    provenance: str,
    submission: PartnerSubmission | None = None,
    action: str,
) -> Written:
    """Upsert checked figures; one audit entry per measure with what changed.
    The caller holds the transaction."""
    written = Written()
    by_measure: dict[int, list[FigureRow]] = defaultdict(list)
    for row in rows:
        by_measure[row.measure.pk].append(row)
    for rows_of_measure in by_measure.values():
        measure = rows_of_measure[0].measure
        starts = {row.period_start for row in rows_of_measure}
        existing = {
            (v.period_start, v.area_id): v
            # of=("self",): the area join is an outer one, and PostgreSQL cannot lock
            # the nullable side of an outer join.
            for v in MeasureValue.objects.select_for_update(of=("self",))
            .filter(measure=measure, period_start__in=starts)
            .select_related("area", "measure")
        }
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        for row in rows_of_measure:
            found = existing.get((row.period_start, row.area.pk if row.area else None))
            fields = {
                "value": row.value,
                "numerator": row.numerator,
                "denominator": row.denominator,
                "source": source,
                "provenance": provenance,
                "submission": submission,
                "recorded_by": actor,
            }
            if found is not None:
                same = (found.value, found.numerator, found.denominator, found.source) == (
                    row.value,
                    row.numerator,
                    row.denominator,
                    source,
                )
                if same and found.provenance == provenance and found.submission == submission:
                    written.unchanged += 1
                    continue
                before[_figure_key(found)] = _figure_snapshot(found)
                for name, value in fields.items():
                    setattr(found, name, value)
                found.save()
                after[_figure_key(found)] = _figure_snapshot(found)
                written.replaced += 1
            else:
                created = MeasureValue.objects.create(
                    measure=measure, period_start=row.period_start, area=row.area, **fields
                )
                after[_figure_key(created)] = _figure_snapshot(created)
                written.created += 1
        if after:
            audit_record(
                actor=actor,
                agency=measure.agency,
                action=action,
                instance=measure,
                before=before,
                after=after,
            )
    return written


def _refuse_computed(measure: Measure) -> None:
    if measure.source == Source.COMPUTED:
        raise ValidationError(
            _(
                "Roundtable computes this measure from its own data: its figures "
                "cannot be entered or imported."
            )
        )


@transaction.atomic
def value_record(
    *,
    actor: User | None,
    measure: Measure,
    period_start: dt.date,
    value: float,
    area: Area | None = None,
    numerator: int | None = None,
    denominator: int | None = None,
    provenance: str = "",
) -> MeasureValue:
    """A figure entered by staff (replacing any for the same period and area)."""
    check_editor(actor, measure.agency)
    _refuse_computed(measure)
    if not measure.active:
        raise ValidationError(_("This measure is no longer in use."))
    errors = figure_problems(
        measure=measure,
        period_start=period_start,
        area=area,
        value=value,
        numerator=numerator,
        denominator=denominator,
    )
    if errors:
        raise ValidationError(errors)
    row = FigureRow(None, measure, period_start, area, value, numerator, denominator)
    write_figures(
        actor=actor,
        rows=[row],
        source=ValueSource.ENTERED,
        provenance=provenance.strip(),
        action="measures.value.record",
    )
    return MeasureValue.objects.get(measure=measure, period_start=period_start, area=area)


@transaction.atomic
def value_delete(*, actor: User | None, value: MeasureValue) -> None:
    """Remove a figure recorded by mistake (the audit entry keeps it)."""
    measure = value.measure
    check_editor(actor, measure.agency)
    _refuse_computed(measure)
    audit_record(
        actor=actor,
        agency=measure.agency,
        action="measures.value.delete",
        instance=measure,
        before={_figure_key(value): _figure_snapshot(value)},
        after={},
    )
    value.delete()


@dataclass
class ImportReport:
    """What an import did, or why it did nothing (`problems`)."""

    rows: int = 0
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "created": self.created,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "problems": [p.as_dict() for p in self.problems],
        }


def upload_too_large(size: int) -> Problem | None:
    limit = settings.ROUNDTABLE_MEASURE_UPLOAD_MAX_MB
    if size > limit * 1024 * 1024:
        return Problem(
            None, "", _("The file is larger than %(limit)d MB; split it.") % {"limit": limit}
        )
    return None


def agency_lookup(agency: Agency) -> Lookup:
    return Lookup(
        Measure.objects.filter(agency=agency).select_related("partner").order_by("-active", "pk"),
        Area.objects.filter(agency=agency),
    )


@transaction.atomic
def values_import_csv(
    *, actor: User | None, agency: Agency, data: bytes, file_name: str
) -> ImportReport:
    """Figures from a file (columns measure, period, area, value, count, base;
    see `figures.py`). Every row is checked first; when any is wrong, nothing is
    written and `problems` says which line and column, and why. Figures replace
    those of the same measure, period and area."""
    check_editor(actor, agency)
    too_large = upload_too_large(len(data))
    if too_large:
        return ImportReport(problems=[too_large])
    read = read_figures(
        data,
        file_name,
        lookup=agency_lookup(agency),
        accept={
            Source.COMPUTED: _(
                "Roundtable computes this measure from its own data: its figures cannot be "
                "imported."
            )
        },
    )
    if read.problems:
        return ImportReport(problems=read.problems)
    written = write_figures(
        actor=actor,
        rows=read.rows,
        source=ValueSource.IMPORTED,
        provenance=file_name.rsplit("/", 1)[-1][:200],
        action="measures.values.import",
    )
    return ImportReport(
        rows=len(read.rows),
        created=written.created,
        replaced=written.replaced,
        unchanged=written.unchanged,
    )
