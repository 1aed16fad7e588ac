"""Reads of the staff incident pages: freshness, import runs, perception table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.incidents import selectors
from roundtable.incidents.models import ImportRun
from tests.factories import (
    AreaBoundaryFactory,
    AreaFactory,
    ImportRunFactory,
    InputFactory,
    SentimentScoreFactory,
)
from tests.incidents.helpers import AS_OF, incident

pytestmark = pytest.mark.django_db


def test_freshness_counts_latest_and_last_finished_import(agency, other_agency):
    incident(agency, dt.date(2024, 1, 3))
    incident(agency, AS_OF, sensitive=True)
    incident(agency, AS_OF, latitude=None, longitude=None, location="missing")
    incident(other_agency, dt.date(2025, 1, 1))
    done = ImportRunFactory.create(agency=agency)
    ImportRunFactory.create(agency=agency, status=ImportRun.Status.FAILED)
    figures = selectors.freshness(agency=agency)
    assert figures.count == 3
    assert (figures.first, figures.latest) == (dt.date(2024, 1, 3), AS_OF)
    assert figures.located == 2 and figures.sensitive == 1
    assert figures.last_import == done


def test_freshness_of_an_agency_without_data(agency):
    figures = selectors.freshness(agency=agency)
    assert figures.count == 0 and figures.latest is None and figures.last_import is None


def test_import_run_is_found_only_in_its_agency(agency, other_agency):
    run = ImportRunFactory.create(agency=other_agency)
    with pytest.raises(ImportRun.DoesNotExist):
        selectors.import_run(agency=agency, pk=run.pk)
    assert selectors.import_run(agency=other_agency, pk=run.pk) == run


def test_latest_import_id_changes_with_a_new_finished_import(agency):
    assert selectors.latest_import_id(agency=agency) == 0
    first = ImportRunFactory.create(agency=agency)
    ImportRunFactory.create(agency=agency, status=ImportRun.Status.RUNNING)
    assert selectors.latest_import_id(agency=agency) == first.pk


def test_perception_table_puts_rates_beside_scores_and_inputs(agency):
    bounded = AreaBoundaryFactory.create(area__agency=agency, area__name="Austin", square_km=4.0)
    austin = bounded.area
    bare = AreaFactory.create(agency=agency, name="Campus")
    for _i in range(6):
        incident(agency, AS_OF, areas=(austin, bare))
    incident(agency, AS_OF - dt.timedelta(days=40), areas=(austin,))
    SentimentScoreFactory.create(
        agency=agency,
        area=austin,
        unit="district 15",
        period_start=dt.date(2024, 3, 1),
        period_end=dt.date(2024, 3, 31),
        safety=51.0,
        trust=62.0,
    )
    SentimentScoreFactory.create(
        agency=agency,
        area=None,
        unit="city",
        period_start=dt.date(2024, 3, 1),
        period_end=dt.date(2024, 3, 31),
        safety=58.0,
        trust=66.0,
    )
    # An unmatched unit has no area either, but it is not the city: never used.
    SentimentScoreFactory.create(
        agency=agency,
        area=None,
        unit="district 99",
        period_start=dt.date(2024, 2, 1),
        period_end=dt.date(2024, 2, 29),
        safety=10.0,
        trust=10.0,
    )
    InputFactory.create(
        agency=agency,
        area=austin,
        received_at=timezone.make_aware(dt.datetime(2024, 3, 2, 10)),
    )
    rows = selectors.perception_table(agency=agency, as_of=AS_OF, months=2)
    table = {(r.area.name, r.month): r for r in rows}
    march = table[("Austin", dt.date(2024, 3, 1))]
    assert (march.incidents, march.per_km2) == (6, 1.5)
    assert (march.safety, march.trust, march.agency_wide_score) == (51.0, 62.0, False)
    assert march.inputs == 1
    feb = table[("Austin", dt.date(2024, 2, 1))]
    assert feb.incidents == 1 and feb.safety is None and feb.inputs == 0
    campus = table[("Campus", dt.date(2024, 3, 1))]
    assert campus.per_km2 is None  # no boundary, no area to divide by
    assert (campus.safety, campus.agency_wide_score) == (58.0, True)


def test_perception_table_queries_do_not_grow_with_areas(agency, django_assert_max_num_queries):
    for i in range(8):
        area = AreaBoundaryFactory.create(area__agency=agency, area__name=f"Beat {i}").area
        incident(agency, AS_OF, areas=(area,))
    with django_assert_max_num_queries(4):
        rows = selectors.perception_table(agency=agency, as_of=AS_OF)
    assert len(rows) == 8 * selectors.PERCEPTION_MONTHS


def test_area_names_at_finds_the_areas_holding_a_point(agency):
    AreaBoundaryFactory.create(area__agency=agency, area__name="West", corner=(-87.70, 41.90))
    AreaBoundaryFactory.create(area__agency=agency, area__name="East", corner=(-87.60, 41.90))
    names = selectors.area_names_at(agency, [(41.905, -87.695), (41.905, -87.595), (40.0, -80.0)])
    assert names == [["West"], ["East"], []]
