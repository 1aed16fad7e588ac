"""Every write to an agency's measures and to who may share partner figures.

- measure_choose: take a measure from the CompStat360 catalogue;
- measure_create: the agency's own measure, with its texts and translations;
- measure_update, measure_drop: its target, publication, areas, partner …;
- data_sharer_grant, data_sharer_revoke: a partner's representative who may
  share figures for their organisation;
- measures_refresh: recompute the figures of COMPUTED measures.

Figures are written in `services_values.py` (staff entry, CSV import) and
`services_partners.py` (partner submissions and their approval). Every
function is keyword-only, runs in one transaction, checks who acts (None: the
command line or a background task) and leaves an audit entry with the values
before and after.

Internal measures (officer wellness) can never be public: choosing one makes
it internal, and making it public is refused, here, whatever the page sends.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.access import DATA_SHARERS, MEASURE_EDITORS, roles_in
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.measures import catalogue, computed
from roundtable.measures.models import (
    DataSharer,
    Frequency,
    Measure,
    MeasureValue,
    Polarity,
    Source,
    Unit,
    ValueSource,
)
from roundtable.measures.periods import add_months, next_period, periods_between
from roundtable.measures.texts import is_internal
from roundtable.stakeholders.models import Organisation

MEASURE_FIELDS = [
    "catalogue_key",
    "goal",
    "indicator",
    "name",
    "definition",
    "translations",
    "unit",
    "polarity",
    "frequency",
    "target",
    "source",
    "computation",
    "partner",
    "by_area",
    "counts_people",
    "is_public",
    "active",
]
SHARER_FIELDS = ["organisation", "user"]


class _Keep(enum.Enum):
    KEEP = enum.auto()


# "Leave this as it is" for measure_update's optional arguments.
KEEP = _Keep.KEEP


def check_editor(actor: User | None, agency: Agency) -> None:
    """Coordinators, analysts and administrators write measures (None: a command)."""
    if actor is not None and not roles_in(actor, agency) & MEASURE_EDITORS:
        raise PermissionDenied(_("Only coordinators, analysts and administrators may do this."))


def _check_partner(agency: Agency, partner: Organisation | None) -> None:
    if partner is not None and partner.agency_id != agency.pk:
        raise ValidationError({"partner": _("The partner must be on this agency's map.")})


def _check_measure(measure: Measure) -> None:
    """What every measure must satisfy, whoever made it and however."""
    errors: dict[str, str] = {}
    if measure.goal not in catalogue.GOALS:
        errors["goal"] = _("Choose one of the CompStat360 goals.")
    indicator = catalogue.INDICATORS.get(measure.indicator)
    if indicator is None or indicator.goal != measure.goal:
        errors["indicator"] = _("Choose an indicator of the measure's goal.")
    if measure.source == Source.COMPUTED and measure.computation not in computed.COMPUTATIONS:
        errors["computation"] = _("Say how Roundtable computes this measure.")
    if measure.source != Source.COMPUTED and measure.computation:
        errors["computation"] = _("Only a computed measure has a computation.")
    if measure.target is not None and measure.target != measure.target:  # NaN
        errors["target"] = _("Enter a number.")
    if measure.is_public and is_internal(measure):
        errors["is_public"] = _("This measure is internal to the agency and is never published.")
    if errors:
        raise ValidationError(errors)


def _computed_counts_people(computation: str, asked: bool) -> bool:
    """What a computed measure stores as `counts_people`: its computation's
    (`computed.counts_people`). Saying that figures about people count none
    is refused: it would publish their small figures."""
    about_people = computed.counts_people(computation)
    if about_people and not asked:
        raise ValidationError(
            {
                "counts_people": _(
                    "These figures count people or what people did, so small ones are "
                    "always withheld in public."
                )
            }
        )
    return about_people


def _audit(
    actor: User | None,
    agency: Agency,
    action: str,
    instance: Any,
    fields: list[str],
    before: dict[str, Any] | None,
) -> None:
    audit_record(
        actor=actor,
        agency=agency,
        action=action,
        instance=instance,
        before=before,
        after=snapshot(instance, fields),
    )


@transaction.atomic
def measure_choose(
    *,
    actor: User | None,
    agency: Agency,
    catalogue_key: str,
    target: float | None = None,
    is_public: bool | None = None,
    by_area: bool | None = None,
    partner: Organisation | None = None,
) -> Measure:
    """Take a catalogue measure into the agency's set (or bring back one dropped).

    Its unit, polarity, frequency, source and computation are the catalogue's;
    its name and definition are read from the catalogue in each reader's
    language. Internal measures are never public; asking for one to be is
    refused. `is_public` and `by_area` default to the catalogue's choice.
    """
    check_editor(actor, agency)
    entry = catalogue.MEASURES.get(catalogue_key)
    if entry is None:
        raise ValidationError({"catalogue_key": _("There is no such measure in the catalogue.")})
    if entry.internal and is_public:
        raise ValidationError(
            {"is_public": _("This measure is internal to the agency and is never published.")}
        )
    _check_partner(agency, partner)
    existing = Measure.objects.select_for_update().filter(agency=agency, catalogue_key=entry.key)
    measure = existing.first()
    before = snapshot(measure, MEASURE_FIELDS) if measure else None
    if measure is None:
        measure = Measure(
            agency=agency,
            catalogue_key=entry.key,
            goal=entry.goal,
            indicator=entry.indicator,
            unit=entry.unit,
            polarity=entry.polarity,
            frequency=entry.frequency,
            source=entry.source,
            computation=entry.computation,
            by_area=entry.by_area if by_area is None else by_area,
            counts_people=entry.counts_people,
            is_public=not entry.internal if is_public is None else is_public,
            created_by=actor,
        )
    else:
        measure.active = True
        if by_area is not None:
            measure.by_area = by_area
        if is_public is not None:
            measure.is_public = is_public
    if target is not None:
        measure.target = target
    if partner is not None:
        measure.partner = partner
    _check_measure(measure)
    measure.save()
    _audit(actor, agency, "measures.measure.choose", measure, MEASURE_FIELDS, before)
    return measure


def _clean_translations(translations: Mapping[str, Mapping[str, str]] | None) -> dict[str, Any]:
    """{"es": {"name": …, "definition": …}} with blanks dropped."""
    out: dict[str, Any] = {}
    for language, texts in (translations or {}).items():
        kept = {
            field: str(texts.get(field, "")).strip()
            for field in ("name", "definition")
            if str(texts.get(field, "")).strip()
        }
        if kept:
            out[language] = kept
    return out


@transaction.atomic
def measure_create(
    *,
    actor: User | None,
    agency: Agency,
    goal: str,
    indicator: str,
    name: str,
    definition: str,
    unit: str,
    polarity: str,
    frequency: str,
    source: str,
    target: float | None = None,
    computation: str = "",
    partner: Organisation | None = None,
    by_area: bool = False,
    counts_people: bool = True,
    is_public: bool | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Measure:
    """The agency's own measure, placed under a catalogue goal and indicator.

    `name` and `definition` are in the agency's usual language; `translations`
    gives the others ({"es": {"name": …, "definition": …}}). `counts_people`
    False says its figures count no people (meetings, inspections …), so public
    pages publish small ones too; for a computed measure the computation says
    (`computed.counts_people`), and saying a computation about people counts
    none is refused. `is_public` defaults to True unless the measure is
    internal (`texts.is_internal`: officer wellbeing, internal survey data),
    which is never published.
    """
    check_editor(actor, agency)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the measure a name.")
    if not definition.strip():
        errors["definition"] = _("Say precisely what the measure counts and how.")
    for field, value, choices in (
        ("unit", unit, Unit),
        ("polarity", polarity, Polarity),
        ("frequency", frequency, Frequency),
        ("source", source, Source),
    ):
        if value not in choices.values:
            errors[field] = _("Choose one of the options.")
    if errors:
        raise ValidationError(errors)
    _check_partner(agency, partner)
    if source == Source.COMPUTED:
        counts_people = _computed_counts_people(computation, counts_people)
    measure = Measure(
        agency=agency,
        goal=goal,
        indicator=indicator,
        name=name.strip(),
        definition=definition.strip(),
        translations=_clean_translations(translations),
        unit=unit,
        polarity=polarity,
        frequency=frequency,
        source=source,
        computation=computation,
        target=target,
        partner=partner,
        by_area=by_area,
        counts_people=counts_people,
        is_public=False if is_public is None else is_public,
        created_by=actor,
    )
    if is_public is None:
        measure.is_public = not is_internal(measure)
    _check_measure(measure)
    measure.save()
    _audit(actor, agency, "measures.measure.create", measure, MEASURE_FIELDS, None)
    return measure


@transaction.atomic
def measure_update(
    *,
    actor: User | None,
    measure: Measure,
    target: float | _Keep | None = KEEP,
    is_public: bool | _Keep = KEEP,
    active: bool | _Keep = KEEP,
    by_area: bool | _Keep = KEEP,
    counts_people: bool | _Keep = KEEP,
    partner: Organisation | _Keep | None = KEEP,
    polarity: str | _Keep = KEEP,
    name: str | _Keep = KEEP,
    definition: str | _Keep = KEEP,
    translations: Mapping[str, Mapping[str, str]] | _Keep = KEEP,
) -> Measure:
    """Change what may change once figures exist (unit, frequency and source stay:
    figures already recorded are in them). Arguments left at KEEP are kept.

    A catalogue measure's name and definition may be overridden (blank: the
    catalogue's again). Whether the figures count people is the catalogue's for
    a catalogue measure; only the agency's own measures take `counts_people`."""
    agency = measure.agency
    check_editor(actor, agency)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    before = snapshot(measure, MEASURE_FIELDS)
    if not isinstance(partner, _Keep):
        _check_partner(agency, partner)
        measure.partner = partner
    if not isinstance(target, _Keep):
        measure.target = target
    if not isinstance(is_public, _Keep):
        measure.is_public = is_public
    if not isinstance(active, _Keep):
        measure.active = active
    if not isinstance(by_area, _Keep):
        measure.by_area = by_area
    if not isinstance(counts_people, _Keep) and counts_people != measure.counts_people:
        if measure.catalogue_key:
            raise ValidationError(
                {"counts_people": _("The catalogue says whether this measure counts people.")}
            )
        if measure.source == Source.COMPUTED:
            counts_people = _computed_counts_people(measure.computation, counts_people)
        measure.counts_people = counts_people
    if not isinstance(polarity, _Keep):
        if polarity not in Polarity.values:
            raise ValidationError({"polarity": _("Choose one of the options.")})
        measure.polarity = polarity
    if not isinstance(name, _Keep):
        if not name.strip() and not measure.catalogue_key:
            raise ValidationError({"name": _("Give the measure a name.")})
        measure.name = name.strip()
    if not isinstance(definition, _Keep):
        if not definition.strip() and not measure.catalogue_key:
            raise ValidationError(
                {"definition": _("Say precisely what the measure counts and how.")}
            )
        measure.definition = definition.strip()
    if not isinstance(translations, _Keep):
        measure.translations = _clean_translations(translations)
    _check_measure(measure)
    measure.save()
    _audit(actor, agency, "measures.measure.update", measure, MEASURE_FIELDS, before)
    return measure


@transaction.atomic
def measure_drop(*, actor: User | None, measure: Measure) -> Measure:
    """Take a measure out of use: it leaves the pack and the dashboard, its figures stay."""
    return measure_update(actor=actor, measure=measure, active=False)


# --- Partner representatives ---


@transaction.atomic
def data_sharer_grant(
    *, actor: User | None, agency: Agency, organisation: Organisation, user: User
) -> DataSharer:
    """Let `user` share figures for `organisation` (idempotent).

    The person must hold a role that may share figures in this agency (a
    partner representative's, or a staff editor's)."""
    check_editor(actor, agency)
    if organisation.agency_id != agency.pk:
        raise ValidationError({"organisation": _("The organisation must be on this agency's map.")})
    if not roles_in(user, agency) & DATA_SHARERS:
        raise ValidationError(
            {
                "user": _(
                    "Give this person the partner representative role on the Members page first."
                )
            }
        )
    sharer, created = DataSharer.objects.get_or_create(
        organisation=organisation, user=user, defaults={"agency": agency, "granted_by": actor}
    )
    if created:
        _audit(actor, agency, "measures.sharer.grant", sharer, SHARER_FIELDS, None)
    return sharer


@transaction.atomic
def data_sharer_revoke(*, actor: User | None, sharer: DataSharer) -> None:
    """The person no longer shares figures for the organisation. Submissions stay."""
    agency = sharer.agency
    check_editor(actor, agency)
    audit_record(
        actor=actor,
        agency=agency,
        action="measures.sharer.revoke",
        instance=sharer,
        before=snapshot(sharer, SHARER_FIELDS),
        after=None,
    )
    sharer.delete()


# --- Computed figures ---

# Figures per INSERT or UPDATE statement (also under SQLite's variable limit).
BATCH = 500


@dataclass(frozen=True)
class RefreshReport:
    measures: int
    written: int  # figures created or changed
    removed: int  # figures no longer computable (their data gone)


def _refresh_periods(frequency: str, months: int, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The complete periods (ended before `today`) of the `months` months before
    this one: a month, quarter or year under way has no figure yet, so a part
    of it is never published as the latest."""
    first = add_months(today, -months)
    spans = [
        (start, next_period(start, frequency))
        for start in periods_between(first, today - dt.timedelta(days=1), frequency)
    ]
    return [(start, end) for start, end in spans if end <= today]


VALUE_FIELDS = [
    "value",
    "numerator",
    "denominator",
    "source",
    "provenance",
    "submission",
    "recorded_at",
    "recorded_by",
]


@transaction.atomic
def measures_refresh(
    *,
    agency: Agency,
    months: int = 24,
    actor: User | None = None,
    today: dt.date | None = None,
) -> RefreshReport:
    """Recompute the figures of the agency's active COMPUTED measures for the
    complete periods of the last `months` months (those that ended before
    `today`, by default the local date: the month or quarter under way has no
    figure until it is over).

    A figure whose value, count or base changed is rewritten; a new one is
    added; one whose period no longer has data is removed (the data behind it
    were removed); figures of other sources are never touched. The writes are
    a few bulk queries whatever the number of figures. One audit entry for the
    run, on the agency.
    """
    check_editor(actor, agency)
    if months < 1:
        raise ValidationError({"months": _("Refresh at least one month.")})
    today = today or timezone.localdate()
    chosen = list(
        Measure.objects.filter(agency=agency, active=True, source=Source.COMPUTED).exclude(
            computation=""
        )
    )
    areas = list(Area.objects.filter(agency=agency).order_by("pk"))
    spans = {m.pk: _refresh_periods(m.frequency, months, today) for m in chosen}
    # Every figure already recorded for those measures and periods, in one query.
    recorded: dict[tuple[int, dt.date, int | None], MeasureValue] = {
        (v.measure_id, v.period_start, v.area_id): v
        for v in MeasureValue.objects.filter(
            measure__in=chosen,
            period_start__in={start for periods in spans.values() for start, _end in periods},
        )
    }
    now = timezone.now()
    created: list[MeasureValue] = []
    changed: list[MeasureValue] = []
    seen: set[tuple[int, dt.date, int | None]] = set()
    refreshed: set[int] = set()  # measures computed (a computation no longer known is not)
    with computed.run_cache():
        for measure in chosen:
            compute = computed.COMPUTATIONS.get(measure.computation)
            if compute is None or not spans[measure.pk]:
                continue
            refreshed.add(measure.pk)
            targets: list[Area | None] = [None, *(areas if measure.by_area else [])]
            for area in targets:
                figures = compute(agency, spans[measure.pk], area)
                for start, (value, numerator, denominator) in figures.items():
                    key = (measure.pk, start, area.pk if area else None)
                    seen.add(key)
                    found = recorded.get(key)
                    if found is None:
                        created.append(
                            MeasureValue(
                                measure=measure,
                                period_start=start,
                                area=area,
                                value=value,
                                numerator=numerator,
                                denominator=denominator,
                                source=ValueSource.COMPUTED,
                                provenance=computed.provenance(measure.computation),
                                recorded_at=now,
                            )
                        )
                    elif found.source == ValueSource.COMPUTED and (
                        found.value,
                        found.numerator,
                        found.denominator,
                    ) != (value, numerator, denominator):
                        found.value, found.numerator, found.denominator = (
                            value,
                            numerator,
                            denominator,
                        )
                        found.provenance = computed.provenance(measure.computation)
                        found.submission = None
                        found.recorded_at = now
                        found.recorded_by = None
                        changed.append(found)
    MeasureValue.objects.bulk_create(created, batch_size=BATCH)
    MeasureValue.objects.bulk_update(changed, VALUE_FIELDS, batch_size=BATCH)
    stale = [
        v.pk
        for key, v in recorded.items()
        if v.source == ValueSource.COMPUTED and key[0] in refreshed and key not in seen
    ]
    removed = MeasureValue.objects.filter(pk__in=stale).delete()[0] if stale else 0
    written = len(created) + len(changed)
    report = RefreshReport(measures=len(chosen), written=written, removed=removed)
    if written or removed:
        audit_record(
            actor=actor,
            agency=agency,
            action="measures.refresh",
            instance=agency,
            before=None,
            after={"months": months, "written": written, "removed": removed},
        )
    return report
