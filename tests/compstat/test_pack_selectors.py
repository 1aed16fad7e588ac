"""What a month's pack holds, computed on hand-made data as of the month's end:
nothing dated after it leaks in, overdue actions and inputs are counted as they
stood, measures are read against target, survey scores keep their margins."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable.compstat import months, selectors
from roundtable.inputs.models import Topic
from roundtable.measures.models import Polarity, Unit
from roundtable.problems.models import Goal, ResponseAction, Stage, StageMove
from roundtable.surveys.models import Audience, Survey
from tests.compstat.helpers import (
    AFTER,
    MID,
    MONTH,
    MONTH_END,
    action,
    an_input,
    answers,
    incident,
    many,
    moment,
    problem,
    set_created,
    trust_survey,
)
from tests.factories import (
    AreaFactory,
    AssessmentFactory,
    EventFactory,
    GoalFactory,
    MeasureFactory,
    MeasureValueFactory,
)

pytestmark = pytest.mark.django_db


def _row(report, key):
    return next(r for r in report.rows if r.key == key)


def _cell(row, period):
    return next(c for c in row.cells if c.period == period)


# --- 1. The period table ---


def test_the_period_table_runs_to_the_months_last_day_and_no_further(agency):
    many(agency, MID, 3, "burglary")
    incident(agency, MONTH_END, "burglary")
    many(agency, AFTER, 5, "burglary")  # the next month: never in this pack
    incident(agency, MID - dt.timedelta(days=364), "burglary")  # a year earlier

    pack = selectors.pack(agency=agency, month=MONTH, area=None)

    assert pack.as_of == MONTH_END and pack.complete
    burglary = _row(pack.period_report, "burglary")
    assert _cell(burglary, "28d").current == 4
    assert _cell(burglary, "28d").prior == 1
    assert _cell(_row(pack.period_report, "crimes"), "ytd").current == 4


def test_an_areas_pack_counts_only_its_incidents(agency):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    many(agency, MID, 2, areas=(north,))
    many(agency, MID, 7)
    pack = selectors.pack(agency=agency, month=MONTH, area=north)
    assert _cell(_row(pack.period_report, "crimes"), "28d").current == 2


def test_the_running_month_runs_to_today(agency):
    today = MONTH_END + dt.timedelta(days=40)
    running = months.first_day(today)
    pack = selectors.pack(agency=agency, month=running, area=None, today=today)
    assert pack.as_of == today and not pack.complete


# --- 2. Measures against target and trend ---


def test_measures_are_read_against_target_up_to_the_month_and_grouped(agency):
    reports = MeasureFactory.create(
        agency=agency,
        goal="trust",
        indicator="transparency",
        name="Public reports published",
        unit=Unit.COUNT,
        polarity=Polarity.HIGHER_IS_BETTER,
        target=10,
    )
    MeasureValueFactory.create(measure=reports, period_start=months.shift(MONTH, -1), value=12)
    MeasureValueFactory.create(measure=reports, period_start=MONTH, value=8)
    MeasureValueFactory.create(measure=reports, period_start=months.shift(MONTH, 1), value=30)
    injuries = MeasureFactory.create(
        agency=agency,
        goal="crime_harm",
        indicator="crime_harm",
        name="Assaults with injury",
        polarity=Polarity.LOWER_IS_BETTER,
        target=20,
    )
    MeasureValueFactory.create(measure=injuries, period_start=MONTH, value=15)

    pack = selectors.pack(agency=agency, month=MONTH, area=None)

    # Crime and public safety comes first, as in the catalogue.
    assert [d.key for d in pack.measures] == ["crime", "community"]
    found = {
        series.name: series
        for dimension in pack.measures
        for goal in dimension.goals
        for series in goal.measures
    }
    series = found["Public reports published"]
    assert series.latest is not None and series.latest.value == 8  # not the next month's 30
    assert series.latest.period_start == MONTH
    assert series.previous is not None and series.previous.value == 12
    assert series.on_target is False
    assert found["Assaults with injury"].on_target is True


def test_the_pack_names_on_and_off_target_in_words(agency, cleo, client_for):
    measure = MeasureFactory.create(agency=agency, name="Oversight meetings held", target=4)
    MeasureValueFactory.create(measure=measure, period_start=MONTH, value=2)
    pack = selectors.pack(agency=agency, month=MONTH, area=None)
    from roundtable.compstat.rendering import render_body

    body = render_body(pack)
    assert "Oversight meetings held" in body
    assert "off target" in body
    assert 'class="rt-ms-spark"' in body  # its trend, with the figures in a table beside it


# --- 3. Survey scores with margins of error ---


def test_survey_scores_of_the_month_carry_their_margin_of_error(agency):
    survey = trust_survey(agency)
    answers(survey, period=MONTH, count=20, safety=8, respect=7, listen=7, satisfied=6)
    answers(survey, period=MONTH, count=20, safety=4, respect=5, listen=3, satisfied=4)
    answers(survey, period=months.shift(MONTH, 1), count=40, safety=0, respect=0, listen=0)

    (found,) = selectors.pack(agency=agency, month=MONTH, area=None).surveys

    scores = {s.key: s.estimate for s in found.scores}
    assert list(scores) == ["trust", "safety", "satisfaction"]
    safety = scores["safety"]
    assert safety.shown and safety.value == 60  # the next month's zeros are not in it
    assert safety.moe is not None and safety.moe > 0
    assert safety.respondents == 40 and safety.effective_n == 40
    assert found.whole_survey


def test_survey_figures_keep_the_survey_layers_suppression(agency):
    survey = trust_survey(agency)
    answers(survey, period=MONTH, count=6, safety=8)  # under the minimum of 10
    (found,) = selectors.pack(agency=agency, month=MONTH, area=None).surveys
    safety = next(s.estimate for s in found.scores if s.key == "safety")
    assert not safety.shown and safety.value is None and safety.reason == "few"


def test_internal_and_draft_surveys_and_other_months_stay_out(agency):
    internal = trust_survey(agency, audience=Audience.INTERNAL)
    answers(internal, period=MONTH, count=40, safety=5)
    draft = trust_survey(agency, status=Survey.Status.DRAFT)
    answers(draft, period=MONTH, count=40, safety=5)
    later = trust_survey(agency)
    answers(later, period=months.shift(MONTH, 1), count=40, safety=5)
    assert selectors.pack(agency=agency, month=MONTH, area=None).surveys == []


def test_an_areas_pack_shows_the_areas_part_of_a_wider_survey(agency):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    south = AreaFactory.create(agency=agency, name="South", slug="south")
    survey = trust_survey(agency)
    answers(survey, period=MONTH, count=40, area=north, safety=9)
    answers(survey, period=MONTH, count=40, area=south, safety=3)
    (found,) = selectors.pack(agency=agency, month=MONTH, area=north).surveys
    assert not found.whole_survey
    assert next(s.estimate.value for s in found.scores if s.key == "safety") == 90


# --- 4. Problem-solving teams ---


def test_overdue_actions_are_counted_as_they_stood_at_the_months_end(agency):
    team = problem(agency, created=MONTH - dt.timedelta(days=60), stage=Stage.RESPONSE)
    late = action(
        team, created=MONTH, description="Fix the car park lights", due_on=MID, owner_name="Works"
    )
    action(team, created=MONTH, due_on=MID, status=ResponseAction.Status.DONE, done_on=MID)
    # Done only after the month ended: still overdue at its end.
    done_late = action(
        team,
        created=MONTH,
        due_on=MID,
        status=ResponseAction.Status.DONE,
        done_on=AFTER + dt.timedelta(days=3),
    )
    action(team, created=MONTH, due_on=AFTER + dt.timedelta(days=5))  # not due yet
    action(team, created=AFTER, due_on=MID)  # added after the month: not in this pack
    action(team, created=MONTH, due_on=MID, status=ResponseAction.Status.DROPPED)

    (item,) = selectors.pack(agency=agency, month=MONTH, area=None).problems

    assert [a.pk for a in item.overdue] == sorted([late.pk, done_late.pk])
    assert item.actions_done == 1
    assert item.actions_total == 4  # the dropped one and the later one left out


def test_a_problems_stage_is_the_one_it_had_at_the_months_end(agency):
    team = problem(agency, created=MONTH - dt.timedelta(days=90), stage=Stage.ASSESSMENT)
    StageMove.objects.create(
        problem=team, from_stage=Stage.SCANNING, to_stage=Stage.ANALYSIS, moved_at=moment(MID)
    )
    StageMove.objects.create(
        problem=team, from_stage=Stage.ANALYSIS, to_stage=Stage.RESPONSE, moved_at=moment(AFTER)
    )
    (item,) = selectors.pack(agency=agency, month=MONTH, area=None).problems
    assert item.stage == Stage.ANALYSIS and item.stage_since == MID


def test_closed_problems_and_later_ones_are_not_in_the_pack_and_areas_filter(agency):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    closed = problem(agency, created=MONTH - dt.timedelta(days=90), title="Closed one")
    StageMove.objects.create(
        problem=closed, from_stage=Stage.ASSESSMENT, to_stage=Stage.CLOSED, moved_at=moment(MID)
    )
    problem(agency, created=AFTER, title="Opened later")
    problem(agency, created=MONTH, title="In the north", area=north)
    problem(agency, created=MONTH, title="Elsewhere")
    titles = [
        p.problem.title for p in selectors.pack(agency=agency, month=MONTH, area=None).problems
    ]
    assert titles == ["In the north", "Elsewhere"]
    in_north = selectors.pack(agency=agency, month=MONTH, area=north).problems
    assert [p.problem.title for p in in_north] == ["In the north"]


def test_goals_and_the_latest_assessments_reading_are_shown(agency):
    team = problem(agency, created=MONTH - dt.timedelta(days=200))
    goal = GoalFactory.create(problem=team, baseline=20, target=12, result=10)
    Goal.objects.filter(pk=goal.pk).update(created_at=moment(MONTH - dt.timedelta(days=100)))
    first = AssessmentFactory.create(problem=team, label="First count")
    set_created(type(first), first.pk, moment(MID))
    later = AssessmentFactory.create(problem=team, label="After the month")
    set_created(type(later), later.pk, moment(AFTER))

    (item,) = selectors.pack(agency=agency, month=MONTH, area=None).problems

    (progress,) = item.goals
    assert progress.met is True  # 10 reaches a target of 12 down from 20
    assert item.assessment is not None
    assert item.assessment.assessment.label == "First count"
    assert item.assessment.reading.headline


# --- 5. The response ledger ---


def test_ledger_figures_of_the_month(agency):
    agency.answer_within_days = 10
    agency.save()
    # Received in the month, answered in 2 days: on time.
    an_input(agency, received=moment(MONTH), answered_at=moment(MONTH + dt.timedelta(days=2)))
    # Received before the month, due in it, answered late (after its date) in the month.
    an_input(
        agency,
        received=moment(MONTH - dt.timedelta(days=5)),
        answered_at=moment(MONTH + dt.timedelta(days=20)),
        topic=Topic.POLICY,
    )
    # Received in the month, due in it, never answered: overdue at the end.
    an_input(agency, received=moment(MID - dt.timedelta(days=10)))
    # Received in the month, answered only after it ended: overdue at the end too.
    an_input(
        agency,
        received=moment(MONTH + dt.timedelta(days=1)),
        answered_at=moment(AFTER + dt.timedelta(days=2)),
    )
    # After the month: not counted at all.
    an_input(agency, received=moment(AFTER))

    ledger = selectors.pack(agency=agency, month=MONTH, area=None).ledger

    total = ledger.total
    assert total.received == 3
    assert total.answered == 2
    assert total.due == 4  # answer-by dates in the month
    assert total.on_time == pytest.approx(1 / 4)
    assert total.median_days == pytest.approx((2 + 25) / 2)
    assert total.overdue == 2
    by_topic = {row.key: row for row in ledger.by_topic}
    assert set(by_topic) == {Topic.SAFETY_CONCERN, Topic.POLICY}
    assert by_topic[Topic.POLICY].answered == 1 and by_topic[Topic.POLICY].received == 0


# --- 6. Meetings ahead ---


def test_meetings_in_the_six_weeks_after_the_month(agency):
    north = AreaFactory.create(agency=agency, name="North", slug="north")
    EventFactory.create(agency=agency, title="Beat meeting", starts_at=moment(AFTER, 18))
    EventFactory.create(
        agency=agency,
        title="North walk",
        area=north,
        starts_at=moment(AFTER + dt.timedelta(days=9), 18),
    )
    EventFactory.create(
        agency=agency, title="Too far ahead", starts_at=moment(AFTER + dt.timedelta(weeks=7), 18)
    )
    EventFactory.create(agency=agency, title="Last month", starts_at=moment(MID, 18))

    meetings = selectors.pack(agency=agency, month=MONTH, area=None).meetings
    assert [e.title for e in meetings] == ["Beat meeting", "North walk"]
    in_north = selectors.pack(agency=agency, month=MONTH, area=north).meetings
    assert [e.title for e in in_north] == ["North walk"]
