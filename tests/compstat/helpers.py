"""Dates and makers shared by the meeting pack tests.

MONTH is two months before the current one, so it has ended whatever day the
tests run; AFTER is the first day after it, where nothing may leak in from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.compstat import months
from roundtable.problems.models import Problem, ResponseAction
from roundtable.surveys.models import Measure, Question, Survey
from tests.factories import (
    InputFactory,
    ProblemFactory,
    QuestionFactory,
    ResponseActionFactory,
    ResponseFactory,
    SurveyFactory,
)
from tests.incidents.helpers import incident, many

TODAY = timezone.localdate()
MONTH = months.shift(months.first_day(TODAY), -2)
MONTH_END = months.last_day(MONTH)
AFTER = MONTH_END + dt.timedelta(days=1)
MID = MONTH.replace(day=15)

__all__ = ["incident", "many"]


def moment(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def set_created(model: type[Any], pk: int, when: dt.datetime) -> None:
    """Backdate an auto_now_add field (factories cannot set it)."""
    model.objects.filter(pk=pk).update(created_at=when)


def problem(agency: Agency, *, created: dt.date, area: Area | None = None, **extra: Any) -> Problem:
    made = ProblemFactory.create(agency=agency, area=area, **extra)
    set_created(Problem, made.pk, moment(created))
    made.refresh_from_db()
    return made


def action(problem: Problem, *, created: dt.date, **extra: Any) -> ResponseAction:
    made = ResponseActionFactory.create(problem=problem, **extra)
    set_created(ResponseAction, made.pk, moment(created))
    return made


def trust_survey(agency: Agency, **extra: Any) -> Survey:
    """A survey of residents asking safety, trust (two items) and satisfaction on 0–10."""
    survey = SurveyFactory.create(agency=agency, **{"status": Survey.Status.CLOSED, **extra})
    for key, measure in (
        ("safety", Measure.SAFETY),
        ("respect", Measure.TRUST_RESPECT),
        ("listen", Measure.TRUST_LISTEN),
        ("satisfied", Measure.SATISFACTION),
    ):
        QuestionFactory.create(survey=survey, key=key, kind=Question.Kind.SCALE, measure=measure)
    return survey


def answers(
    survey: Survey, *, period: dt.date, count: int, area: Area | None = None, **values: int
) -> None:
    for _ in range(count):
        ResponseFactory.create(
            survey=survey,
            period=period,
            submitted_at=moment(period),
            area=area,
            answers=dict(values),
        )


def an_input(agency: Agency, *, received: dt.datetime, **extra: Any) -> Any:
    return InputFactory.create(agency=agency, received_at=received, **extra)
