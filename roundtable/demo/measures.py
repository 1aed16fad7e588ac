"""The demo's CompStat360 measures, partner data and meeting packs, through the
measures services as Riverside's staff and partners would use them.

- Riverside's coordinator chooses most of the catalogue (every goal has a
  measure; `all_crime` and `reporting_rate` are left on offer), sets targets,
  names the partner behind each shared measure, and adds two measures of the
  city's own (street lights repaired on time, youth programme places filled)
  in English and Spanish. The university police choose a small set of
  computed measures, so its page warns of the goals it leaves empty.
- Computed measures are refreshed for 24 months (`measures_refresh`).
- The analyst imports the rest from files built in memory the way an analyst
  would: two years of history in one file, then last month's in another
  (`values_import_csv`). Quarterly figures cover the quarters that ended.
- Four partners share their figures (school attendance, emergency-room
  assault visits, code-enforcement complaints by district, volunteer hours):
  each sends a catch-up file for its first year (`partner_submit_csv`), then
  a form a month (`partner_submit`), each approved by the analyst. One month
  from the hospital is turned down with a note and sent again; last month's
  code-enforcement figures wait for approval.
- Command staff issue the meeting packs of the last two complete months.

Figures come from `measure_series.py` (one NumPy generator seeded from the
builder's state without advancing it); dates are relative to the builder's
`today`, and dates the services stamp themselves are moved back (past.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.compstat.models import MeetingPack
from roundtable.compstat.services import pack_issue
from roundtable.demo.incidents import child_seed, rise_start
from roundtable.demo.measure_series import TARGETS, Row, Series, demo_months
from roundtable.demo.measure_texts import (
    HISTORY_FILE,
    MONTH_FILE,
    OWN_MEASURES,
    PARTNERS,
    PENDING_MEASURE,
    REJECTED_MEASURE,
    REJECTION_NOTE,
    PartnerText,
)
from roundtable.demo.past import backdate
from roundtable.incidents.selectors_counts import count_incidents
from roundtable.measures import catalogue
from roundtable.measures.figures import Figure
from roundtable.measures.models import (
    Measure,
    MeasureValue,
    PartnerSubmission,
    Polarity,
    Source,
)
from roundtable.measures.periods import add_months, format_period, next_period
from roundtable.measures.services import (
    data_sharer_grant,
    measure_choose,
    measure_create,
    measures_refresh,
)
from roundtable.measures.services_partners import (
    partner_submit,
    partner_submit_csv,
    submission_approve,
    submission_reject,
)
from roundtable.measures.services_values import values_import_csv
from roundtable.stakeholders.models import Organisation

# Suggested measures Riverside has not chosen (the choose page offers them).
UNCHOSEN = ("all_crime", "reporting_rate")
# Monthly survey scores for the whole city only: a month is too thin to show
# every district (the own quarterly measure gives them).
OVERALL_ONLY = ("trust_score", "feeling_safe")
# The university police's few measures, all computed from its own data.
CAMPUS_MEASURES: dict[str, float | None] = {
    "violent_crime": None,
    "property_crime": None,
    "meetings_held": None,
    "inputs_received": None,
    "answered_on_time": 90.0,
}
HISTORY_MONTHS = 24
CATCH_UP_MONTHS = 12  # the partners' first file: their first year of figures
PACK_MONTHS = 2


@dataclass(frozen=True)
class DemoMeasures:
    measures: dict[str, Measure]  # Riverside's, by catalogue key or own key
    campus: list[Measure]
    pending: PartnerSubmission
    rejected: PartnerSubmission
    packs: list[MeetingPack]


def _local(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _csv(rows: Sequence[Row], measures: dict[str, Measure], areas: dict[str, Area]) -> bytes:
    """The figures as a spreadsheet saves them: with a measure column when they
    are of several measures (the analyst's file), without for one (a partner's)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    with_measure = len({row.measure for row in rows}) > 1
    header = ["period", "area", "value", "count", "base"]
    writer.writerow(["measure", *header] if with_measure else header)
    for row in rows:
        measure = measures[row.measure]
        cells = [
            format_period(row.period, measure.frequency),
            areas[row.area].name if row.area else "",
            f"{row.value:g}",
            "" if row.count is None else str(row.count),
            "" if row.base is None else str(row.base),
        ]
        # Own measures by their name, the catalogue's by their key, as the template has them.
        name = measure.name if not measure.catalogue_key else measure.catalogue_key
        writer.writerow([name, *cells] if with_measure else cells)
    return out.getvalue().encode("utf-8")


class _Build:
    def __init__(
        self,
        rng: random.Random,
        today: dt.date,
        agencies: dict[str, Agency],
        users: dict[str, User],
    ) -> None:
        self.today = today
        # Nothing is dated after the builder's today (a demo built for another day).
        self.now = min(timezone.now(), _local(today + dt.timedelta(days=1), 0))
        self.city = agencies["riverside"]
        self.campus = agencies["rsu"]
        self.users = users
        self.rng = random.Random(child_seed(rng, "measures"))
        self.months = demo_months(today, HISTORY_MONTHS)
        self.last_day = today.replace(day=1) - dt.timedelta(days=1)
        self.series = Series(
            child_seed(rng, "measure-series"),
            self.months,
            rise_start(self.last_day).replace(day=1),
        )
        self.areas = {a.slug: a for a in Area.objects.filter(agency=self.city)}
        self.measures: dict[str, Measure] = {}

    def when(self, day: dt.date) -> dt.datetime:
        """A working-hours moment on `day`, never after now."""
        moment = _local(day, self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45)))
        return min(moment, self.now - dt.timedelta(hours=1))

    # ------------------------------------------------------------ choosing

    def choose(self) -> None:
        coordinator = self.users["coordinator"]
        partners = {
            p.measure: Organisation.objects.get(agency=self.city, name=p.organisation)
            for p in PARTNERS
        }
        for key in catalogue.MEASURES:
            if key in UNCHOSEN:
                continue
            self.measures[key] = measure_choose(
                actor=coordinator,
                agency=self.city,
                catalogue_key=key,
                target=TARGETS.get(key),
                partner=partners.get(key),
                by_area=False if key in OVERALL_ONLY else None,
            )
        for own in OWN_MEASURES:
            self.measures[own.key] = measure_create(
                actor=self.users["analyst"],
                agency=self.city,
                goal=own.goal,
                indicator=own.indicator,
                name=own.name,
                definition=own.definition,
                unit=own.unit,
                polarity=Polarity.HIGHER_IS_BETTER,
                frequency=own.frequency,
                source=Source.COMPUTED if own.computation else Source.IMPORTED,
                computation=own.computation,
                by_area=own.by_area,
                target=TARGETS.get(own.key),
                translations={"es": {"name": own.name_es, "definition": own.definition_es}},
            )
        # Chosen when the agency took up CompStat360, a year ago, with two years' history.
        taken_up = self.when(self.months[CATCH_UP_MONTHS] + dt.timedelta(days=3))
        backdate(list(self.measures.values()), taken_up)

    def choose_campus(self) -> list[Measure]:
        actor = self.users["unicoordinator"]
        return [
            measure_choose(actor=actor, agency=self.campus, catalogue_key=key, target=target)
            for key, target in CAMPUS_MEASURES.items()
        ]

    # ------------------------------------------------------------ figures

    def refresh(self) -> None:
        """Two years of computed figures, ending with last month's like the rest
        (the refresh computes complete periods only, never the month under way)."""
        for agency, actor in ((self.city, "analyst"), (self.campus, "unicoordinator")):
            measures_refresh(
                agency=agency,
                months=HISTORY_MONTHS,
                actor=self.users[actor],
                today=self.today,
            )

    def imports(self) -> None:
        """The analyst's two files: the history, then last month's figures."""
        held = {
            start: round(value)
            for start, value in MeasureValue.objects.filter(
                measure=self.measures["meetings_held"], area__isnull=True
            ).values_list("period_start", "value")
        }
        violent = {
            quarter: count_incidents(
                self.city,
                offence="violent",
                start=quarter,
                end=add_months(quarter, 3) - dt.timedelta(days=1),
            )
            for quarter in self.series.quarters
        }
        rows = self.series.imported(held, violent)
        last = self.months[-1]
        # Figures of periods that ended before last month are history; the rest
        # (last month's, and the quarter it closed) come in the month's file.
        history = [r for r in rows if self._ended_before(r, last)]
        recent = [r for r in rows if not self._ended_before(r, last)]
        first_name = HISTORY_FILE.format(
            first=f"{self.months[0]:%Y-%m}", last=f"{add_months(last, -1):%Y-%m}"
        )
        files = ((history, first_name), (recent, MONTH_FILE.format(month=f"{last:%Y-%m}")))
        for chosen, name in files:
            report = values_import_csv(
                actor=self.users["analyst"],
                agency=self.city,
                data=_csv(chosen, self.measures, self.areas),
                file_name=name,
            )
            if not report.ok:
                raise RuntimeError(f"The demo's {name} did not import: {report.as_dict()}")

    def _ended_before(self, row: Row, month: dt.date) -> bool:
        return next_period(row.period, self.measures[row.measure].frequency) <= month

    # ------------------------------------------------------------ partners

    def partners(self) -> tuple[PartnerSubmission, PartnerSubmission]:
        pending = rejected = None
        for text in PARTNERS:
            measure = self.measures[text.measure]
            sharer = self.users[text.username]
            assert measure.partner is not None
            data_sharer_grant(
                actor=self.users["coordinator"],
                agency=self.city,
                organisation=measure.partner,
                user=sharer,
            )
            rows = self.series.partner(text.measure)
            first_monthly = self.months[CATCH_UP_MONTHS]
            self._catch_up(text, measure, sharer, [r for r in rows if r.period < first_monthly])
            for month in self.months[CATCH_UP_MONTHS:]:
                figures = [r for r in rows if r.period == month]
                if not figures:
                    continue  # no school in July
                sent = add_months(month, 1) + dt.timedelta(days=self.rng.randint(3, 9))
                if text.measure == PENDING_MEASURE and month == self.months[-1]:
                    pending = self._submit(measure, sharer, text, figures, sent)
                    continue
                if text.measure == REJECTED_MEASURE and month == self.months[-5]:
                    wrong = [_all_visits(r, self.rng) for r in figures]
                    rejected = self._submit(measure, sharer, text, wrong, sent)
                    rejected = submission_reject(
                        actor=self.users["analyst"], submission=rejected, note=REJECTION_NOTE
                    )
                    reviewed = self.when(sent + dt.timedelta(days=1))
                    backdate([rejected], reviewed, "reviewed_at")
                    sent += dt.timedelta(days=3)
                self._approve(self._submit(measure, sharer, text, figures, sent))
        assert pending is not None and rejected is not None
        return pending, rejected

    def _catch_up(self, text: PartnerText, measure: Measure, sharer: User, rows: list[Row]) -> None:
        first, last = rows[0].period, rows[-1].period
        submission = partner_submit_csv(
            actor=sharer,
            measure=measure,
            data=_csv(rows, self.measures, self.areas),
            file_name=text.history_file.format(first=f"{first:%Y-%m}", last=f"{last:%Y-%m}"),
            provenance=text.provenance,
        )
        sent = self.months[CATCH_UP_MONTHS] + dt.timedelta(days=self.rng.randint(5, 12))
        backdate([submission], self.when(sent), "submitted_at")
        self._approve(submission)

    def _submit(
        self, measure: Measure, sharer: User, text: PartnerText, rows: list[Row], sent: dt.date
    ) -> PartnerSubmission:
        figures = [
            Figure(
                period_start=r.period,
                value=r.value,
                area=self.areas[r.area] if r.area else None,
                numerator=r.count,
                denominator=r.base,
            )
            for r in rows
        ]
        submission = partner_submit(
            actor=sharer, measure=measure, figures=figures, provenance=text.provenance
        )
        backdate([submission], self.when(sent), "submitted_at")
        return submission

    def _approve(self, submission: PartnerSubmission) -> None:
        submission = submission_approve(actor=self.users["analyst"], submission=submission)
        reviewed = submission.submitted_at.date() + dt.timedelta(days=self.rng.randint(1, 3))
        backdate([submission], max(self.when(reviewed), submission.submitted_at), "reviewed_at")

    # ------------------------------------------------------------ packs

    def packs(self) -> list[MeetingPack]:
        issued: list[MeetingPack] = []
        for month in self.months[-PACK_MONTHS:]:
            packs = pack_issue(
                agency=self.city,
                month=month,
                area=None,
                actor=self.users["command"],
                today=self.today,
            )
            # Issued for the month's meeting, in the first week after it.
            backdate(packs, self.when(add_months(month, 1) + dt.timedelta(days=4)), "issued_at")
            issued += packs
        return issued


def _all_visits(row: Row, rng: random.Random) -> Row:
    """The figure the hospital sent by mistake: every emergency visit of the month."""
    visits = row.value * 10 + rng.randint(40, 90)
    return Row(row.measure, row.period, visits, row.area, int(visits), None)


def measures_build(
    *, rng: random.Random, today: dt.date, agencies: dict[str, Agency], users: dict[str, User]
) -> DemoMeasures:
    """Riverside's and the university's measures, figures, partners and packs (see the module)."""
    build = _Build(rng, today, agencies, users)
    build.choose()
    campus = build.choose_campus()
    build.refresh()
    build.imports()
    pending, rejected = build.partners()
    return DemoMeasures(
        measures=build.measures,
        campus=campus,
        pending=pending,
        rejected=rejected,
        packs=build.packs(),
    )


def demo_measure_counts(agencies: Sequence[Agency]) -> tuple[int, int, int]:
    """Measures, their figures and partner submissions in the agencies (DemoSummary)."""
    measures = Measure.objects.filter(agency__in=agencies)
    return (
        measures.count(),
        MeasureValue.objects.filter(measure__agency__in=agencies).count(),
        PartnerSubmission.objects.filter(agency__in=agencies).count(),
    )
