"""Measures computed from Roundtable's own data: the COMPUTATIONS registry.

A computation is `function(agency, periods, area) -> {period_start: (value,
numerator, denominator)}`:

- `periods` are (first day, first day of the next period) pairs, oldest first,
  each a whole number of months (a month, a quarter, a year);
- `area` None means the whole jurisdiction, otherwise the figures of that area;
- the result holds only the periods it has a figure for. A period with no data
  at all (before the agency imported any incidents, say) has no figure, which
  is not the same as a figure of 0;
- `numerator` is the count of people or events behind the value (the count
  itself for a count), `denominator` its base, so that public pages can
  withhold small cells (`selectors`); None where there is none.

Each definition, precisely (docs/measures.md says the same in words):

incidents.<group>  Incidents whose primary offence falls in the group
    (`incidents.offences`: crimes, violent, property-crime, against-persons,
    against-property, against-society), by the local day they occurred on.
    Sensitive offences (sexual offences, domestic violence, offences against
    children) are left out, as from every public incident figure: a count that
    held them could be set beside the public safety report's to give them back.
    Periods outside the span of the imported data have no figure.
inputs.received  Inputs received in the period, every channel.
inputs.other_language  Of those, the share (%) written in a language other
    than the site's default (English).
inputs.answered_on_time  Of the inputs received in the period whose answer
    deadline (`Input.answer_by`, set from the agency's answer_within_days) has
    passed or that were answered, the share (%) answered on or before it.
inputs.median_days_to_answer  Median days (to the hour) from receipt to answer,
    inputs received in the period and answered; the count is the answered inputs.
inputs.public_answers  Inputs given a public answer in the period (by the date
    answered).
events.held  Public meetings and events, not cancelled, that started in the
    period and have ended (one-to-one scanning interviews are not meetings).
events.attendance  People at those meetings: each meeting's headcount where
    one was recorded, otherwise its attendance records.
surveys.trust|safety|satisfaction|wellness  The weighted score (0–100) of the
    surveys that ask it (`surveys.scores`), per month or quarter, as the survey
    results show it (only figures with enough respondents; rounded to whole
    points). Trust and safety come from surveys of residents, satisfaction
    from surveys of people who had contact, wellness from internal surveys.
    Several surveys in one period are combined, weighted by their effective
    sample sizes; the denominator is the effective sample size, rounded.
    Surveys of residents count only when their results are published.
problems.goals_met  Goals of problem-solving teams whose target date falls in
    the period and whose result is recorded: the share (%) that reached their
    target (at or below it when the target is below the baseline, at or above
    otherwise).
problems.overdue_actions  Response actions of problems not closed that were
    due on or before the period's last day (or today, for the current period)
    and were not done by then; dropped actions do not count.

Areas: an area's figure counts what is in that area or in any area under it
(its children, their children …: `Area.parent`), so a district's figures hold
its neighbourhoods' and beats' as well as what was given the district itself:
incidents by the areas they lie in (an incident in several of them counts
once), inputs, events and problems by the area they were given. Survey scores
are not counts: they follow the survey layer, by their respondents' area.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import cast

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.engagement.models import Event, EventKind
from roundtable.incidents.selectors_counts import incidents_in
from roundtable.inputs.models import Input
from roundtable.measures import computed_surveys
from roundtable.measures.computed_surveys import cached, run_cache
from roundtable.problems.models import Goal, ResponseAction, Stage
from roundtable.problems.models import Problem as ProblemModel

Figure = tuple[float, int | None, int | None]
Span = tuple[dt.date, dt.date]
Computation = Callable[[Agency, Sequence[Span], Area | None], dict[dt.date, Figure]]

__all__ = [
    "COMPUTATIONS",
    "COUNTS_PEOPLE",
    "INTERNAL_COMPUTATIONS",
    "LABELS",
    "counts_people",
    "provenance",
    "run_cache",
]

COMPUTATIONS: dict[str, Computation] = {}
# What each computation counts, for pages and provenance (docs/measures.md in full).
LABELS: dict[str, object] = {}


def register(key: str, label: object) -> Callable[[Computation], Computation]:
    def add(function: Computation) -> Computation:
        COMPUTATIONS[key] = function
        LABELS[key] = label
        return function

    return add


def provenance(key: str) -> str:
    """What a computed figure records as its provenance: stable, language-free."""
    return f"roundtable:{key}"


# --- Helpers ---


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _month_of(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.replace(day=1)


def _sum_months(monthly: dict[dt.date, int], periods: Sequence[Span]) -> dict[dt.date, int]:
    return {
        start: sum(count for month, count in monthly.items() if start <= month < end)
        for start, end in periods
    }


def _span_of(periods: Sequence[Span], start: dt.date) -> dt.date | None:
    for first, end in periods:
        if first <= start < end:
            return first
    return None


def _counts(periods: Sequence[Span], totals: dict[dt.date, int]) -> dict[dt.date, Figure]:
    return {start: (float(n), n, None) for start, n in totals.items()}


def _started(periods: Sequence[Span]) -> list[Span]:
    """Only periods that have begun: nothing is known of the future."""
    today = timezone.localdate()
    return [(start, end) for start, end in periods if start <= today]


def within(area: Area) -> list[int]:
    """The ids of `area` and of every area under it (its children, theirs …).
    The agency's areas are read in one query (once per refresh, in `run_cache`)."""

    def load() -> dict[int | None, list[int]]:
        children: dict[int | None, list[int]] = defaultdict(list)
        rows = Area.objects.filter(agency_id=area.agency_id).values_list("pk", "parent_id")
        for pk, parent_id in rows.order_by("pk"):
            children[parent_id].append(pk)
        return children

    children = cast(dict[int | None, list[int]], cached(("areas", area.agency_id), load))
    found = [area.pk]
    seen = {area.pk}
    for pk in found:  # grows as it goes: breadth first, each area once
        for child in children.get(pk, []):
            if child not in seen:
                seen.add(child)
                found.append(child)
    return found


def _share(part: int, whole: int) -> Figure | None:
    if whole == 0:
        return None
    return (round(100.0 * part / whole, 1), part, whole)


def _shares(parts: Mapping[dt.date, int], wholes: Mapping[dt.date, int]) -> dict[dt.date, Figure]:
    """Each period's share of `parts` in `wholes`, periods with nothing in the whole left out."""
    out = {}
    for start, whole in wholes.items():
        figure = _share(parts[start], whole)
        if figure is not None:
            out[start] = figure
    return out


# --- Incidents ---

INCIDENT_GROUPS = {
    "crimes": ("crimes", _("Crimes recorded (sensitive offences left out)")),
    "violent": ("violent", _("Violent crimes recorded (sensitive offences left out)")),
    "property_crime": ("property-crime", _("Property crimes recorded")),
    "against_persons": (
        "against-persons",
        _("Crimes against persons recorded (sensitive offences left out)"),
    ),
    "against_property": ("against-property", _("Crimes against property recorded")),
    "against_society": (
        "against-society",
        _("Crimes against society recorded (sensitive offences left out)"),
    ),
}


def _incidents(
    offence: str, agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    # The span of the data: periods outside it have no figure (not a zero).
    bounds = incidents_in(agency).aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
    if bounds["first"] is None:
        return {}
    inside = [(s, e) for s, e in periods if s <= bounds["last"] and e > bounds["first"]]
    if not inside:
        return {}
    qs = incidents_in(
        agency,
        offence=offence,
        start=inside[0][0],
        end=inside[-1][1] - dt.timedelta(days=1),
        public=True,
    )
    if area is not None:
        qs = qs.filter(areas__in=within(area))
    rows = (
        qs.annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(n=Count("pk", distinct=True))
    )
    monthly = {_month_of(row["month"]): row["n"] for row in rows}
    return _counts(inside, _sum_months(monthly, inside))


for _key, (_filter, _label) in INCIDENT_GROUPS.items():
    register(f"incidents.{_key}", _label)(partial(_incidents, _filter))


# --- The response ledger ---


def _inputs(agency: Agency, periods: Sequence[Span], area: Area | None) -> QuerySet[Input]:
    qs = Input.objects.filter(
        agency=agency,
        received_at__gte=_local_midnight(periods[0][0]),
        received_at__lt=_local_midnight(periods[-1][1]),
    )
    return qs.filter(area_id__in=within(area)) if area is not None else qs


def _by_period(periods: Sequence[Span], moments: Iterable[dt.datetime]) -> dict[dt.date, int]:
    counts = {start: 0 for start, _end in periods}
    for moment in moments:
        start = _span_of(periods, _month_of(moment))
        if start is not None:
            counts[start] += 1
    return counts


def _monthly_inputs(qs: QuerySet[Input]) -> dict[dt.date, int]:
    rows = qs.annotate(month=TruncMonth("received_at")).values("month").annotate(n=Count("pk"))
    return {_month_of(row["month"]): row["n"] for row in rows}


@register("inputs.received", _("Inputs received, every channel"))
def inputs_received(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    totals = _sum_months(_monthly_inputs(_inputs(agency, periods, area)), periods)
    return _counts(periods, totals)


@register("inputs.other_language", _("Share of inputs in a language other than English"))
def inputs_other_language(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    default = settings.LANGUAGE_CODE.split("-")[0]
    qs = _inputs(agency, periods, area)
    everything = _sum_months(_monthly_inputs(qs), periods)
    other = _sum_months(_monthly_inputs(qs.exclude(language=default)), periods)
    return _shares(other, everything)


@register("inputs.answered_on_time", _("Share of inputs answered by their deadline"))
def inputs_answered_on_time(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    today = timezone.localdate()
    # Only inputs whose deadline has passed, or that were answered: one still
    # inside its deadline is neither on time nor late yet.
    rows = _inputs(agency, periods, area).filter(
        Q(answered_at__isnull=False) | Q(answer_by__lt=today)
    )
    due: dict[dt.date, int] = defaultdict(int)
    on_time: dict[dt.date, int] = defaultdict(int)
    for received_at, answered_at, answer_by in rows.values_list(
        "received_at", "answered_at", "answer_by"
    ):
        start = _span_of(periods, _month_of(received_at))
        if start is None:
            continue
        due[start] += 1
        if answered_at is not None and timezone.localtime(answered_at).date() <= answer_by:
            on_time[start] += 1
    return _shares(on_time, due)


@register("inputs.median_days_to_answer", _("Median days from receipt to answer"))
def inputs_median_days(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    days: dict[dt.date, list[float]] = defaultdict(list)
    rows = _inputs(agency, periods, area).filter(answered_at__isnull=False)
    for received_at, answered_at in rows.values_list("received_at", "answered_at"):
        start = _span_of(periods, _month_of(received_at))
        if start is not None and answered_at is not None:
            hours = round((answered_at - received_at).total_seconds() / 3600)
            days[start].append(max(hours, 0) / 24)
    return {
        start: (round(statistics.median(values), 1), len(values), None)
        for start, values in days.items()
    }


@register("inputs.public_answers", _("Public answers published"))
def inputs_public_answers(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    qs = Input.objects.filter(
        agency=agency,
        answered_at__gte=_local_midnight(periods[0][0]),
        answered_at__lt=_local_midnight(periods[-1][1]),
    ).exclude(public_answer="")
    if area is not None:
        qs = qs.filter(area_id__in=within(area))
    rows = qs.annotate(month=TruncMonth("answered_at")).values("month").annotate(n=Count("pk"))
    monthly = {_month_of(row["month"]): row["n"] for row in rows}
    return _counts(periods, _sum_months(monthly, periods))


# --- Events ---


def _events_held(agency: Agency, periods: Sequence[Span], area: Area | None) -> QuerySet[Event]:
    qs = Event.objects.filter(
        agency=agency,
        is_public=True,
        status=Event.Status.SCHEDULED,
        starts_at__gte=_local_midnight(periods[0][0]),
        starts_at__lt=_local_midnight(periods[-1][1]),
        ends_at__lte=timezone.now(),
    ).exclude(kind=EventKind.SCANNING_INTERVIEW)
    return qs.filter(area_id__in=within(area)) if area is not None else qs


@register("events.held", _("Public meetings and events held"))
def events_held(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    moments = _events_held(agency, periods, area).values_list("starts_at", flat=True)
    return _counts(periods, _by_period(periods, moments))


@register("events.attendance", _("People at public meetings"))
def events_attendance(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    events = list(
        _events_held(agency, periods, area)
        .annotate(recorded=Count("attendances"))
        .values_list("starts_at", "headcount", "recorded")
    )
    totals = {start: 0 for start, _end in periods}
    for starts_at, headcount, recorded in events:
        start = _span_of(periods, _month_of(starts_at))
        if start is not None:
            totals[start] += headcount if headcount is not None else recorded
    return _counts(periods, totals)


# --- Problems ---


def _goal_met(goal: Goal) -> bool:
    assert goal.result is not None
    if goal.target < goal.baseline:
        return goal.result <= goal.target
    return goal.result >= goal.target


@register("problems.goals_met", _("Share of problem-solving goals met"))
def problems_goals_met(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    goals = Goal.objects.filter(
        problem__agency=agency,
        result__isnull=False,
        target_date__gte=periods[0][0],
        target_date__lt=periods[-1][1],
    ).only("baseline", "target", "result", "target_date")
    if area is not None:
        goals = goals.filter(problem__area_id__in=within(area))
    met: dict[dt.date, int] = defaultdict(int)
    assessed: dict[dt.date, int] = defaultdict(int)
    for goal in goals:
        start = _span_of(periods, goal.target_date.replace(day=1))
        if start is None:
            continue
        assessed[start] += 1
        met[start] += _goal_met(goal)
    return _shares(met, assessed)


@register("problems.overdue_actions", _("Overdue response actions"))
def problems_overdue_actions(
    agency: Agency, periods: Sequence[Span], area: Area | None
) -> dict[dt.date, Figure]:
    periods = _started(periods)
    if not periods:
        return {}
    today = timezone.localdate()
    problems = ProblemModel.objects.filter(agency=agency).exclude(stage=Stage.CLOSED)
    if area is not None:
        problems = problems.filter(area_id__in=within(area))
    actions = [
        (due_on, status, done_on, timezone.localtime(created_at).date())
        for due_on, status, done_on, created_at in ResponseAction.objects.filter(
            problem__in=problems, due_on__isnull=False
        )
        .exclude(status=ResponseAction.Status.DROPPED)
        .values_list("due_on", "status", "done_on", "created_at")
    ]
    out: dict[dt.date, Figure] = {}
    for start, end in periods:
        last_day = end - dt.timedelta(days=1)
        late = 0
        for due_on, status, done_on, created_on in actions:
            if due_on is None:
                continue
            if last_day < today:
                # At the end of the period's last day: due on it or before, not done by then.
                as_of = last_day
                overdue = due_on <= last_day
            else:
                # The current period, so far: due before today.
                as_of = today
                overdue = due_on < today
            if not overdue or created_on > as_of:
                continue
            done = status == ResponseAction.Status.DONE and (done_on is None or done_on <= as_of)
            late += not done
        out[start] = (float(late), late, None)
    return out


# --- Surveys (computed_surveys reads the survey results) ---

for _score, (_audiences, _score_label) in computed_surveys.SCORES.items():
    register(f"surveys.{_score}", _score_label)(partial(computed_surveys.survey_score, _score))


# --- What each computation's figures are ---

# Computations over data that is internal to the agency (its officers' own
# survey answers): a measure computed from one is never published, whatever it
# is called or wherever it is filed (`texts.is_internal`).
INTERNAL_COMPUTATIONS: frozenset[str] = frozenset({"surveys.wellness"})

# Computations whose figures count people or what people did or suffered
# (crimes, inputs, attendance, survey respondents), so public pages withhold
# their small figures. The others count meetings held, goals and actions,
# which disclose nobody. For a computed measure this, not the agency's say,
# decides (`texts.counts_people`).
COUNTS_PEOPLE: frozenset[str] = frozenset(
    key
    for key in COMPUTATIONS
    if key.startswith(("incidents.", "inputs.", "surveys.")) or key == "events.attendance"
)


def counts_people(key: str) -> bool:
    """Whether the figures of computation `key` are about people (an unknown
    computation is taken to be: withholding is the safe side)."""
    return key in COUNTS_PEOPLE or key not in COMPUTATIONS
