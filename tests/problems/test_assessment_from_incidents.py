"""Ana counts the car-park team's assessment from the imported incidents.

Eastbank (the response area) and Westbank (the comparison area) have
boundaries; incidents are assigned to them as the importer would. The counts on
the assessment must be exactly the incidents of the chosen kind, areas and
periods, and nobody outside the team, coordinators and analysts may count one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roundtable.incidents.models import IncidentArea
from roundtable.problems.models import Assessment
from roundtable.problems.services_assessment import assessment_from_incidents
from tests.factories import AreaBoundaryFactory, AreaFactory, IncidentFactory

BEFORE = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
AFTER = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def _incident(agency, area, day, offence="theft", against="property", group="property"):
    item = IncidentFactory.create(
        agency=agency,
        occurred_on=day,
        offence=offence,
        against=against,
        crime_group=group,
    )
    IncidentArea.objects.create(incident=item, area=area)
    return item


@pytest.fixture
def counted(agency, eastbank, westbank):
    """Eastbank: 6 thefts before, 2 after, plus a robbery after; Westbank: 4 and 4."""
    AreaBoundaryFactory.create(area=eastbank, corner=(-87.70, 41.90))
    AreaBoundaryFactory.create(area=westbank, corner=(-87.72, 41.90))
    for n in range(6):
        _incident(agency, eastbank, BEFORE[0] + dt.timedelta(days=n * 10))
    for n in range(2):
        _incident(agency, eastbank, AFTER[0] + dt.timedelta(days=n * 10))
    _incident(agency, eastbank, AFTER[0], offence="robbery", against="property", group="violent")
    for n in range(4):
        _incident(agency, westbank, BEFORE[0] + dt.timedelta(days=n))
        _incident(agency, westbank, AFTER[1] - dt.timedelta(days=n))
    # Outside both periods: never counted.
    _incident(agency, eastbank, dt.date(2025, 12, 31))


def _url(name, problem):
    return reverse(name, args=[problem.agency.slug, problem.pk])


def test_counts_come_from_the_incidents_of_the_chosen_kind_areas_and_periods(
    team, ana, eastbank, westbank, counted
):
    item = assessment_from_incidents(
        actor=ana,
        problem=team,
        label="Thefts from cars",
        offence="theft",
        before_start=BEFORE[0],
        before_end=BEFORE[1],
        after_start=AFTER[0],
        after_end=AFTER[1],
        target_area=eastbank,
        control_area=westbank,
    )
    assert (item.target_before, item.target_after) == (6, 2)
    assert (item.control_before, item.control_after) == (4, 4)
    assert item.buffer_before is None and item.buffer_control_after is None
    assert item.source == Assessment.Source.INCIDENTS
    assert "Eastbank" in item.source_note and "Westbank" in item.source_note


def test_a_wider_filter_counts_the_robbery_too(team, ana, eastbank, counted):
    item = assessment_from_incidents(
        actor=ana,
        problem=team,
        label="Crimes against property",
        offence="against-property",
        before_start=BEFORE[0],
        before_end=BEFORE[1],
        after_start=AFTER[0],
        after_end=AFTER[1],
        target_area=eastbank,
    )
    assert (item.target_before, item.target_after) == (6, 3)


def test_the_same_area_in_two_roles_is_refused(team, ana, eastbank, counted):
    with pytest.raises(ValidationError):
        assessment_from_incidents(
            actor=ana,
            problem=team,
            label="x",
            offence="theft",
            before_start=BEFORE[0],
            before_end=BEFORE[1],
            after_start=AFTER[0],
            after_end=AFTER[1],
            target_area=eastbank,
            control_area=eastbank,
        )


def test_another_agencys_area_is_refused(team, ana, other_agency, counted):
    theirs = AreaFactory.create(agency=other_agency, name="Campus", slug="campus")
    with pytest.raises(ValidationError):
        assessment_from_incidents(
            actor=ana,
            problem=team,
            label="x",
            offence="theft",
            before_start=BEFORE[0],
            before_end=BEFORE[1],
            after_start=AFTER[0],
            after_end=AFTER[1],
            target_area=theirs,
        )


def test_the_page_counts_and_the_team_page_shows_the_figures(
    team, ana, eastbank, westbank, counted, client_for
):
    client = client_for(ana)
    detail = client.get(_url("problems:detail", team)).content.decode()
    assert _url("problems:assessment_from_incidents", team) in detail
    response = client.post(
        _url("problems:assessment_from_incidents", team),
        {
            "label": "Thefts from cars",
            "offence": "theft",
            "before_start": BEFORE[0].isoformat(),
            "before_end": BEFORE[1].isoformat(),
            "after_start": AFTER[0].isoformat(),
            "after_end": AFTER[1].isoformat(),
            "target_area": eastbank.pk,
            "control_area": westbank.pk,
        },
    )
    assert response.status_code == 302
    item = team.assessments.get()
    assert (item.target_before, item.target_after, item.control_before) == (6, 2, 4)
    body = client.get(_url("problems:detail", team)).content.decode()
    assert "From the incident data" in body and "Thefts from cars" in body


def test_an_area_without_a_boundary_is_not_offered(team, ana, counted, agency, client_for):
    AreaFactory.create(agency=agency, name="Nowhere Without Lines", slug="nowhere")
    body = client_for(ana).get(_url("problems:assessment_from_incidents", team)).content.decode()
    assert "Eastbank" in body and "Nowhere Without Lines" not in body


def test_who_may_not_count_an_assessment(team, counted, rosa, pat, uma, client, client_for):
    url = _url("problems:assessment_from_incidents", team)
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    for outsider in (rosa, pat, uma):
        assert client_for(outsider).get(url).status_code in (403, 404)


def test_without_incident_data_the_team_page_offers_only_hand_entry(team, ana, client_for):
    body = client_for(ana).get(_url("problems:detail", team)).content.decode()
    assert _url("problems:assessment_from_incidents", team) not in body


def test_counts_edited_by_hand_are_no_longer_labelled_as_counted(team, ana, eastbank, counted):
    from roundtable.problems.services_work import assessment_update

    item = assessment_from_incidents(
        actor=ana,
        problem=team,
        label="Thefts from cars",
        offence="theft",
        before_start=BEFORE[0],
        before_end=BEFORE[1],
        after_start=AFTER[0],
        after_end=AFTER[1],
        target_area=eastbank,
    )
    assessment_update(actor=ana, assessment=item, conclusion="Fewer thefts.")
    item.refresh_from_db()
    assert item.source == Assessment.Source.INCIDENTS
    assessment_update(actor=ana, assessment=item, target_after=1)
    item.refresh_from_db()
    assert item.source == Assessment.Source.HAND
