"""Measures computed from Roundtable's own data, against hand-made data: the
incidents, the response ledger, events, surveys and problem-solving teams; and
the refresh that writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roundtable.agencies.models import Area
from roundtable.audit.models import AuditEntry
from roundtable.engagement.models import Attendance, Event
from roundtable.incidents.models import Incident, IncidentArea
from roundtable.measures import catalogue
from roundtable.measures.computed import COMPUTATIONS
from roundtable.measures.models import MeasureValue, ValueSource
from roundtable.measures.periods import add_months
from roundtable.measures.services import measure_choose, measures_refresh
from roundtable.problems.models import ResponseAction, Stage
from roundtable.surveys.models import Audience, Measure, Question
from tests.factories import (
    AreaFactory,
    EventFactory,
    GoalFactory,
    IncidentFactory,
    InputFactory,
    ProblemFactory,
    QuestionFactory,
    ResponseActionFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

AUG, SEPT, OCT, NOV, DEC = (dt.date(2026, m, 1) for m in (8, 9, 10, 11, 12))
MONTHS = [(AUG, SEPT), (SEPT, OCT), (OCT, NOV), (NOV, DEC)]


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_every_computation_in_the_catalogue_exists():
    keys = {m.computation for m in catalogue.MEASURES.values() if m.computation}
    assert keys <= set(COMPUTATIONS)


@pytest.fixture
def north(agency):
    return AreaFactory.create(agency=agency, name="North", slug="north")


def incident(agency, day, offence, against, group="other", sensitive=False, area=None):
    item = IncidentFactory.create(
        agency=agency,
        occurred_at=at(day),
        occurred_on=day,
        offence=offence,
        against=against,
        crime_group=group,
        sensitive=sensitive,
    )
    if area is not None:
        IncidentArea.objects.create(incident=item, area=area)
    return item


def test_incidents_by_group_leave_sensitive_offences_out(agency, north):
    incident(agency, dt.date(2026, 9, 3), "simple_assault", "persons", area=north)
    incident(agency, dt.date(2026, 9, 14), "simple_assault", "persons", area=north)
    incident(agency, dt.date(2026, 9, 30), "aggravated_assault", "persons", "violent")
    incident(
        agency, dt.date(2026, 9, 21), "domestic_violence", "persons", sensitive=True, area=north
    )
    incident(agency, dt.date(2026, 9, 9), "theft", "property", "property", area=north)
    incident(agency, dt.date(2026, 10, 2), "simple_assault", "persons")
    persons = COMPUTATIONS["incidents.against_persons"]
    # August is before the first incident and November after the last: no figure, not 0.
    assert persons(agency, MONTHS, None) == {SEPT: (3.0, 3, None), OCT: (1.0, 1, None)}
    assert persons(agency, MONTHS, north) == {SEPT: (2.0, 2, None), OCT: (0.0, 0, None)}
    assert COMPUTATIONS["incidents.crimes"](agency, MONTHS, None)[SEPT] == (4.0, 4, None)
    assert COMPUTATIONS["incidents.against_property"](agency, MONTHS, north)[SEPT] == (1.0, 1, None)
    quarter = [(dt.date(2026, 7, 1), OCT), (OCT, dt.date(2027, 1, 1))]
    assert persons(agency, quarter, None) == {
        dt.date(2026, 7, 1): (3.0, 3, None),
        OCT: (1.0, 1, None),
    }


def test_violent_and_property_crime_count_their_groups_only(agency):
    """The catalogue's violent crime is homicide, robbery and aggravated assault
    (rape too, but it is sensitive and never public), not simple assault or
    kidnapping; property crime is burglary, theft, motor vehicle theft and arson,
    not fraud or vandalism."""
    day = dt.date(2026, 9, 10)
    for offence, against, group in [
        ("homicide", "persons", "violent"),
        ("robbery", "property", "violent"),
        ("aggravated_assault", "persons", "violent"),
        ("simple_assault", "persons", "other"),
        ("kidnapping", "persons", "other"),
        ("burglary", "property", "property"),
        ("theft", "property", "property"),
        ("motor_vehicle_theft", "property", "property"),
        ("arson", "property", "property"),
        ("fraud", "property", "other"),
        ("vandalism", "property", "other"),
    ]:
        incident(agency, day, offence, against, group)
    incident(agency, day, "sexual_assault", "persons", "violent", sensitive=True)

    def count(key: str) -> float:
        compute = COMPUTATIONS[catalogue.MEASURES[key].computation]
        return compute(agency, MONTHS, None)[SEPT][0]

    assert count("violent_crime") == 3
    assert count("property_crime") == 4


def test_no_incident_data_means_no_figures(agency):
    assert COMPUTATIONS["incidents.crimes"](agency, MONTHS, None) == {}


@pytest.fixture
def ledger(agency, north):
    """Four inputs in September (two answered on time, one late, one never), one
    in November still within its deadline."""
    on_time = InputFactory.create(
        agency=agency, received_at=at(dt.date(2026, 9, 2)), area=north, public_answer="Fixed."
    )
    on_time.answered_at = at(dt.date(2026, 9, 4))
    late = InputFactory.create(
        agency=agency, received_at=at(dt.date(2026, 9, 5)), public_answer="Done."
    )
    late.answered_at = at(dt.date(2026, 10, 15))
    never = InputFactory.create(agency=agency, received_at=at(dt.date(2026, 9, 8)), language="es")
    quick = InputFactory.create(agency=agency, received_at=at(dt.date(2026, 9, 20)), language="es")
    quick.answered_at = at(dt.date(2026, 9, 21))
    for item in (on_time, late, quick):
        item.save()
    InputFactory.create(agency=agency, received_at=timezone.now() - dt.timedelta(days=1))
    return never


def test_inputs_received_and_in_another_language(agency, north, ledger):
    received = COMPUTATIONS["inputs.received"](agency, MONTHS, None)
    assert received[SEPT] == (4.0, 4, None) and received[AUG] == (0.0, 0, None)
    assert received[NOV] == (1.0, 1, None)
    assert COMPUTATIONS["inputs.received"](agency, MONTHS, north)[SEPT] == (1.0, 1, None)
    assert COMPUTATIONS["inputs.other_language"](agency, MONTHS, None)[SEPT] == (50.0, 2, 4)
    # A month without inputs has no share at all.
    assert AUG not in COMPUTATIONS["inputs.other_language"](agency, MONTHS, None)


def test_answered_on_time_counts_only_inputs_whose_deadline_has_passed(agency, ledger):
    on_time = COMPUTATIONS["inputs.answered_on_time"](agency, MONTHS, None)
    assert on_time[SEPT] == (50.0, 2, 4)
    # November's input is still within its deadline: neither on time nor late yet.
    assert NOV not in on_time


def test_median_days_to_answer_and_public_answers(agency, ledger):
    median = COMPUTATIONS["inputs.median_days_to_answer"](agency, MONTHS, None)
    assert median == {SEPT: (2.0, 3, None)}  # 2, 40 and 1 days
    answers = COMPUTATIONS["inputs.public_answers"](agency, MONTHS, None)
    assert answers[SEPT] == (1.0, 1, None) and answers[OCT] == (1.0, 1, None)


def test_events_held_and_attendance(agency, north):
    def event(day, **fields):
        return EventFactory.create(
            agency=agency, starts_at=at(day, 18), ends_at=at(day, 20), **fields
        )

    town_hall = event(dt.date(2026, 9, 5), headcount=40, area=north)
    beat = event(dt.date(2026, 9, 12), kind="beat_meeting")
    for _ in range(3):
        Attendance.objects.create(event=beat, source=Attendance.Source.WALK_IN)
    event(dt.date(2026, 9, 20), status=Event.Status.CANCELLED)
    event(dt.date(2026, 9, 25), kind="scanning_interview")
    event(dt.date(2026, 9, 28), is_public=False)
    EventFactory.create(agency=agency)  # next week: not held yet
    assert COMPUTATIONS["events.held"](agency, MONTHS, None)[SEPT] == (2.0, 2, None)
    assert COMPUTATIONS["events.held"](agency, MONTHS, north)[SEPT] == (1.0, 1, None)
    assert COMPUTATIONS["events.attendance"](agency, MONTHS, None)[SEPT] == (43.0, 43, None)
    assert COMPUTATIONS["events.held"](agency, MONTHS, None)[NOV] == (0.0, 0, None)
    assert town_hall.headcount == 40


def test_survey_scores_are_the_published_figures(agency, north):
    survey = SurveyFactory.create(agency=agency, publish_results=True)
    QuestionFactory.create(
        survey=survey, key="safety", kind=Question.Kind.SCALE, measure=Measure.SAFETY
    )
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    for n in range(40):
        ResponseFactory.create(
            survey=survey, period=SEPT, area=north, answers={"safety": 8 if n % 2 else 6}
        )
    for _ in range(6):  # too few in October: no figure
        ResponseFactory.create(survey=survey, period=OCT, area=north, answers={"safety": 2})
    unpublished = SurveyFactory.create(agency=agency, publish_results=False)
    QuestionFactory.create(
        survey=unpublished, key="safety", kind=Question.Kind.SCALE, measure=Measure.SAFETY
    )
    for _ in range(40):
        ResponseFactory.create(survey=unpublished, period=OCT, answers={"safety": 1})
    safety = COMPUTATIONS["surveys.safety"](agency, MONTHS, None)
    assert safety == {SEPT: (70.0, None, 40)}
    assert COMPUTATIONS["surveys.safety"](agency, MONTHS, north) == {SEPT: (70.0, None, 40)}
    assert COMPUTATIONS["surveys.trust"](agency, MONTHS, None) == {}


def test_wellness_comes_from_internal_surveys_by_quarter(agency):
    survey = SurveyFactory.create(agency=agency, audience=Audience.INTERNAL)
    QuestionFactory.create(
        survey=survey, key="well", kind=Question.Kind.SCALE, measure=Measure.WELLNESS
    )
    for n in range(36):
        ResponseFactory.create(survey=survey, period=SEPT if n % 2 else AUG, answers={"well": 5})
    quarters = [(dt.date(2026, 7, 1), OCT), (OCT, dt.date(2027, 1, 1))]
    assert COMPUTATIONS["surveys.wellness"](agency, quarters, None) == {
        dt.date(2026, 7, 1): (50.0, None, 35)
    }


def test_problem_goals_met_and_overdue_actions(agency, north):
    problem = ProblemFactory.create(agency=agency, area=north, stage=Stage.RESPONSE)
    GoalFactory.create(
        problem=problem, baseline=20, target=12, result=10, target_date=dt.date(2026, 9, 15)
    )
    GoalFactory.create(
        problem=problem, baseline=5, target=10, result=8, target_date=dt.date(2026, 9, 30)
    )
    GoalFactory.create(problem=problem, target_date=dt.date(2026, 9, 30))  # no result yet
    goals = COMPUTATIONS["problems.goals_met"](agency, MONTHS, None)
    assert goals == {SEPT: (50.0, 1, 2)}

    def action(due, status=ResponseAction.Status.PLANNED, done=None, on=problem):
        item = ResponseActionFactory.create(problem=on, due_on=due, status=status, done_on=done)
        ResponseAction.objects.filter(pk=item.pk).update(created_at=at(dt.date(2026, 8, 1)))
        return item

    done = ResponseAction.Status.DONE
    action(dt.date(2026, 9, 10))  # never done
    action(dt.date(2026, 9, 20), done, dt.date(2026, 9, 25))
    action(dt.date(2026, 10, 5), done, dt.date(2026, 10, 31))
    action(dt.date(2026, 10, 10), done, dt.date(2026, 11, 2))
    action(dt.date(2026, 9, 1), ResponseAction.Status.DROPPED)
    closed = ProblemFactory.create(agency=agency, stage=Stage.CLOSED)
    action(dt.date(2026, 9, 1), on=closed)
    overdue = COMPUTATIONS["problems.overdue_actions"](agency, MONTHS, None)
    assert overdue[AUG] == (0.0, 0, None)
    assert overdue[SEPT] == (1.0, 1, None)
    assert overdue[OCT] == (2.0, 2, None)
    assert overdue[NOV] == (1.0, 1, None)  # so far this month
    assert COMPUTATIONS["problems.overdue_actions"](agency, MONTHS, north)[OCT] == (2.0, 2, None)


def test_refresh_upserts_computed_figures_and_leaves_others_alone(agency, casey, north, ledger):
    received = measure_choose(actor=casey, agency=agency, catalogue_key="inputs_received")
    dropped = measure_choose(actor=casey, agency=agency, catalogue_key="public_answers")
    dropped.active = False
    dropped.save()
    # The four months to the end of November, all complete on the first of December.
    report = measures_refresh(agency=agency, months=4, today=DEC)
    september = MeasureValue.objects.get(measure=received, period_start=SEPT, area=None)
    assert (september.value, september.source) == (4.0, ValueSource.COMPUTED)
    assert september.provenance == "roundtable:inputs.received"
    assert MeasureValue.objects.get(measure=received, period_start=SEPT, area=north).value == 1
    assert not MeasureValue.objects.filter(measure=dropped).exists()
    assert report.written == MeasureValue.objects.count() == 8  # 4 months × (all + North)
    again = measures_refresh(agency=agency, months=4, today=DEC)
    assert (again.written, again.removed) == (0, 0)
    ledger.delete()
    third = measures_refresh(agency=agency, months=4, today=DEC)
    assert third.written == 1
    assert MeasureValue.objects.get(measure=received, period_start=SEPT, area=None).value == 3


# --- Areas within areas ---


@pytest.fixture
def tree(agency):
    """Central district: the East and West neighbourhoods in it, a housing estate
    in East. Riverside Park is a neighbourhood outside it."""
    district = AreaFactory.create(
        agency=agency, name="Central", slug="central", kind=Area.Kind.DISTRICT
    )
    east = AreaFactory.create(agency=agency, name="East", slug="east", parent=district)
    west = AreaFactory.create(agency=agency, name="West", slug="west", parent=district)
    estate = AreaFactory.create(
        agency=agency, name="Estate", slug="estate", kind=Area.Kind.OTHER, parent=east
    )
    park = AreaFactory.create(agency=agency, name="Riverside Park", slug="park")
    return {"central": district, "east": east, "west": west, "estate": estate, "park": park}


def test_an_areas_figures_hold_those_of_the_areas_in_it(agency, tree):
    """Inputs, events, problems and incidents given a neighbourhood (or an
    estate in it) count in its district too: the demo's district figures were
    all 0 when only rows given the district itself counted."""
    for place in ("east", "east", "west", "estate", "central", "park"):
        InputFactory.create(agency=agency, received_at=at(dt.date(2026, 9, 3)), area=tree[place])
    InputFactory.create(agency=agency, received_at=at(dt.date(2026, 9, 4)))  # no area
    received = COMPUTATIONS["inputs.received"]
    assert received(agency, MONTHS, None)[SEPT] == (7.0, 7, None)
    assert received(agency, MONTHS, tree["central"])[SEPT] == (5.0, 5, None)
    assert received(agency, MONTHS, tree["east"])[SEPT] == (3.0, 3, None)
    assert received(agency, MONTHS, tree["estate"])[SEPT] == (1.0, 1, None)

    for place, people in (("east", 30), ("estate", 12), ("park", 50)):
        EventFactory.create(
            agency=agency,
            area=tree[place],
            headcount=people,
            starts_at=at(dt.date(2026, 9, 9), 18),
            ends_at=at(dt.date(2026, 9, 9), 20),
        )
    assert COMPUTATIONS["events.held"](agency, MONTHS, tree["central"])[SEPT] == (2.0, 2, None)
    assert COMPUTATIONS["events.attendance"](agency, MONTHS, tree["central"])[SEPT] == (
        42.0,
        42,
        None,
    )

    problem = ProblemFactory.create(agency=agency, area=tree["west"], stage=Stage.RESPONSE)
    GoalFactory.create(
        problem=problem, baseline=20, target=12, result=10, target_date=dt.date(2026, 9, 15)
    )
    late = ResponseActionFactory.create(problem=problem, due_on=dt.date(2026, 9, 10))
    ResponseAction.objects.filter(pk=late.pk).update(created_at=at(dt.date(2026, 8, 1)))
    assert COMPUTATIONS["problems.goals_met"](agency, MONTHS, tree["central"]) == {
        SEPT: (100.0, 1, 1)
    }
    assert COMPUTATIONS["problems.overdue_actions"](agency, MONTHS, tree["central"])[SEPT] == (
        1.0,
        1,
        None,
    )

    # An incident in the estate and East (and perhaps the district too) counts once.
    both = incident(
        agency, dt.date(2026, 9, 20), "theft", "property", "property", area=tree["east"]
    )
    IncidentArea.objects.create(incident=both, area=tree["estate"])
    IncidentArea.objects.create(incident=both, area=tree["central"])
    incident(agency, dt.date(2026, 9, 21), "burglary", "property", "property", area=tree["west"])
    incident(agency, dt.date(2026, 9, 22), "theft", "property", "property", area=tree["park"])
    crimes = COMPUTATIONS["incidents.property_crime"]
    assert crimes(agency, MONTHS, tree["central"])[SEPT] == (2.0, 2, None)
    assert crimes(agency, MONTHS, tree["east"])[SEPT] == (1.0, 1, None)
    assert crimes(agency, MONTHS, None)[SEPT] == (3.0, 3, None)


def test_areas_within_areas_take_no_query_each(agency, tree, django_assert_max_num_queries):
    for n in range(12):
        AreaFactory.create(agency=agency, parent=tree["west"] if n % 2 else tree["estate"])
    InputFactory.create(agency=agency, received_at=at(dt.date(2026, 9, 3)), area=tree["estate"])
    # One query for the agency's areas, one for the inputs.
    with django_assert_max_num_queries(2):
        assert COMPUTATIONS["inputs.received"](agency, MONTHS, tree["central"])[SEPT][0] == 1


# --- The refresh ---


def test_refresh_computes_complete_periods_only(agency, casey):
    """The month (and the quarter) under way has no figure: a nightly refresh would
    otherwise publish a part-month as the latest figure."""
    received = measure_choose(actor=casey, agency=agency, catalogue_key="inputs_received")
    goals = measure_choose(actor=casey, agency=agency, catalogue_key="problems_goal_met")
    problem = ProblemFactory.create(agency=agency)
    for target_date in (dt.date(2026, 9, 15), dt.date(2026, 10, 15)):
        GoalFactory.create(problem=problem, baseline=9, target=5, result=4, target_date=target_date)
    InputFactory.create(agency=agency, received_at=at(dt.date(2026, 10, 30)))
    InputFactory.create(agency=agency, received_at=at(dt.date(2026, 11, 2)))

    def starts(measure, **filters):
        rows = MeasureValue.objects.filter(measure=measure, area=None, **filters)
        return sorted(rows.values_list("period_start", flat=True))

    # By default, today: never the month under way.
    measures_refresh(agency=agency, months=2)
    this_month = timezone.localdate().replace(day=1)
    assert starts(received) == [add_months(this_month, -2), add_months(this_month, -1)]
    MeasureValue.objects.all().delete()

    measures_refresh(agency=agency, months=3, today=dt.date(2026, 11, 15))
    assert starts(received) == [AUG, SEPT, OCT]
    assert starts(goals) == [dt.date(2026, 7, 1)]  # the third quarter; the fourth is under way
    # On the first of the month, the month before is complete.
    measures_refresh(agency=agency, months=3, today=DEC)
    assert starts(received)[-3:] == [SEPT, OCT, NOV]
    assert MeasureValue.objects.get(measure=received, period_start=NOV, area=None).value == 1


def test_refresh_writes_in_bulk_whatever_the_number_of_figures(agency, casey, tree):
    """New figures in bulk INSERTs, changed ones in bulk UPDATEs, stale ones in one
    DELETE: the queries of a refresh that writes a hundred figures are those of
    one that writes none, plus a handful (a statement per batch of rows — SQLite
    takes about 90 to an INSERT —, the audit entry, savepoints). One query per
    figure, as before, was over 300 more."""
    received = measure_choose(actor=casey, agency=agency, catalogue_key="inputs_received")
    measure_choose(actor=casey, agency=agency, catalogue_key="meetings_held")
    violent = measure_choose(actor=casey, agency=agency, catalogue_key="violent_crime")
    for month in range(5, 11):
        InputFactory.create(
            agency=agency, received_at=at(dt.date(2026, month, 3)), area=tree["east"]
        )
        incident(
            agency, dt.date(2026, month, 4), "robbery", "property", "violent", area=tree["west"]
        )
    today = dt.date(2026, 11, 5)

    def refresh():
        with CaptureQueriesContext(connection) as queries:
            report = measures_refresh(agency=agency, months=6, today=today)
        return report, len(queries)

    first, writing = refresh()
    # 3 measures × 6 months × (the whole jurisdiction + 5 areas)
    assert first.written == MeasureValue.objects.count() == 108
    again, idle = refresh()
    assert (again.written, again.removed) == (0, 0)
    assert writing <= idle + 8
    september = MeasureValue.objects.get(measure=received, period_start=SEPT, area=None)
    october = MeasureValue.objects.get(measure=received, period_start=OCT, area=tree["east"])
    assert september.source == ValueSource.COMPUTED
    assert september.provenance == "roundtable:inputs.received"

    for month in range(5, 11):
        InputFactory.create(
            agency=agency, received_at=at(dt.date(2026, month, 8)), area=tree["west"]
        )
    changed, updating = refresh()
    # Every month of the jurisdiction, Central and West changed: 18 figures.
    assert (changed.written, changed.removed) == (18, 0)
    assert updating <= idle + 8
    updated = MeasureValue.objects.get(pk=september.pk)
    assert updated.value == 2 and updated.recorded_at > september.recorded_at
    assert MeasureValue.objects.get(pk=october.pk).recorded_at == october.recorded_at

    Incident.objects.filter(agency=agency).delete()
    gone, deleting = refresh()
    assert (gone.written, gone.removed) == (0, 36)
    assert deleting <= idle + 8
    assert not MeasureValue.objects.filter(measure=violent).exists()
    assert AuditEntry.objects.filter(action="measures.refresh").count() == 3


def test_refresh_leaves_figures_of_other_sources_alone(agency, casey):
    received = measure_choose(actor=casey, agency=agency, catalogue_key="inputs_received")
    entered = MeasureValue.objects.create(
        measure=received, period_start=NOV, value=99, source=ValueSource.ENTERED
    )
    InputFactory.create(agency=agency, received_at=at(dt.date(2026, 10, 3)))
    InputFactory.create(agency=agency, received_at=at(dt.date(2026, 11, 3)))
    report = measures_refresh(agency=agency, months=2, today=DEC)
    assert report.written == 1
    entered.refresh_from_db()
    assert (entered.value, entered.source) == (99, ValueSource.ENTERED)
    assert MeasureValue.objects.get(measure=received, period_start=OCT).value == 1
