"""The pack's queries do not grow with the data: more problems, actions, measures,
inputs and meetings cost no more queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from roundtable.compstat import months
from tests.compstat.helpers import (
    AFTER,
    MID,
    MONTH,
    action,
    an_input,
    answers,
    many,
    moment,
    problem,
    trust_survey,
)
from tests.factories import EventFactory, GoalFactory, MeasureFactory, MeasureValueFactory

pytestmark = pytest.mark.django_db


def _data(agency, n: int) -> None:
    many(agency, MID, n, "burglary")
    for i in range(n):
        measure = MeasureFactory.create(agency=agency, name=f"Measure {i}", target=5)
        MeasureValueFactory.create(measure=measure, period_start=MONTH, value=i)
        team = problem(agency, created=MONTH - dt.timedelta(days=30), title=f"Problem {i}")
        GoalFactory.create(problem=team)
        action(team, created=MONTH, due_on=MID)
        action(team, created=MONTH, due_on=AFTER)
        an_input(agency, received=moment(MID))
        EventFactory.create(agency=agency, starts_at=moment(AFTER + dt.timedelta(days=i + 1), 18))
    survey = trust_survey(agency)
    answers(survey, period=MONTH, count=40, safety=6, respect=6, listen=5, satisfied=7)


def _count_queries(client, agency, django_assert_max_num_queries, bound: int) -> None:
    url = reverse("compstat:pack", args=[agency.slug, months.key(MONTH)])
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [2, 8])
def test_the_pack_page_has_a_bounded_number_of_queries(
    agency, cleo, client_for, django_assert_max_num_queries, n
):
    _data(agency, n)
    client = client_for(cleo)
    # 5 for the session, user, TOTP device, agency and roles; 1 issued pack; 1 period
    # table; 2 measures; 1 survey list and 6 for its results; 5 problems; 1 ledger;
    # 1 meetings; 1 the area picker.
    _count_queries(client, agency, django_assert_max_num_queries, 24)


def test_the_index_has_a_bounded_number_of_queries(
    agency, cleo, client_for, django_assert_max_num_queries
):
    from tests.factories import MeetingPackFactory

    for back in range(1, 13):
        MeetingPackFactory.create(agency=agency, month=months.shift(MONTH, -back), issued_by=cleo)
    client = client_for(cleo)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("compstat:index", args=[agency.slug]))
    assert response.status_code == 200
