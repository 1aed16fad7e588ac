"""Measures as series: the public ones with disclosure applied (a small count
withheld, and no withheld count recoverable by differencing the areas against
the whole), the meeting pack's (nothing after its month) and goal coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roundtable.agencies.models import Area
from roundtable.measures.models import Source, Unit
from roundtable.measures.selectors import (
    Point,
    goal_coverage,
    pack_series,
    public_area_series,
    public_series,
)
from roundtable.measures.services import measure_choose
from roundtable.opendata.registry import dataset
from tests.factories import AreaFactory, MeasureFactory, MeasureValueFactory

pytestmark = pytest.mark.django_db

SEPT, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def figure(measure, start, value, area=None, numerator=None, denominator=None):
    return MeasureValueFactory.create(
        measure=measure,
        period_start=start,
        value=value,
        area=area,
        numerator=numerator,
        denominator=denominator,
    )


def value_of(point: Point | None) -> float | None:
    assert point is not None
    return point.value


def test_public_series_hold_only_published_measures_in_use(agency, casey):
    shown = measure_choose(actor=casey, agency=agency, catalogue_key="unemployment")
    hidden = measure_choose(
        actor=casey, agency=agency, catalogue_key="clearance_rate", is_public=False
    )
    dropped = measure_choose(actor=casey, agency=agency, catalogue_key="oversight_meetings")
    dropped.active = False
    dropped.save()
    wellness = measure_choose(actor=casey, agency=agency, catalogue_key="officer_wellness")
    # Even a row forced public behind the services' back stays off public pages.
    wellness.is_public = True
    wellness.save()
    for measure in (shown, hidden, dropped, wellness):
        figure(measure, SEPT, 40.0)
    assert [s.public_id for s in public_series(agency=agency)] == ["unemployment"]
    assert [s.public_id for s in pack_series(agency=agency, month=OCT, area=None)] == [
        "clearance_rate",
        "unemployment",
        "officer_wellness",
    ]


def test_a_series_knows_its_latest_previous_and_year_earlier_figures(agency, casey):
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="unemployment", target=5.0)
    figure(measure, dt.date(2025, 10, 1), 6.5)
    figure(measure, SEPT, 5.2)
    figure(measure, OCT, 4.8)
    (series,) = public_series(agency=agency, months=13)
    assert series.points[0].period_start == dt.date(2025, 10, 1)
    assert len(series.points) == 13 and series.points[-1].period_start == OCT
    assert value_of(series.latest) == 4.8
    assert value_of(series.previous) == 5.2
    assert value_of(series.year_earlier) == 6.5
    assert series.on_target is True  # lower is better, 4.8 ≤ 5
    assert series.name == "Unemployment rate" and series.goal == "community_factors"
    assert series.dimension == "community" and series.unit == Unit.PERCENT
    # Missing months are gaps, not zeros.
    assert series.points[5].value is None and not series.points[5].suppressed


def test_a_small_count_behind_a_share_is_withheld(agency, casey):
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="answered_on_time")
    measure.source = Source.IMPORTED  # figures by hand for the test
    measure.computation = ""
    measure.save()
    figure(measure, dt.date(2026, 7, 1), 75.0, numerator=3, denominator=4)
    figure(measure, dt.date(2026, 8, 1), 94.0, numerator=30, denominator=32)  # 2 not on time
    figure(measure, SEPT, 60.0, numerator=30, denominator=50)
    (series,) = public_series(agency=agency, months=3)
    july, august, september = series.points
    assert july.value is None and july.suppressed
    assert august.value is None and august.suppressed
    assert september.value == 60.0 and not september.suppressed
    assert series.latest == september
    # Staff see every figure.
    (staff,) = pack_series(agency=agency, month=SEPT, area=None, months=3)
    assert [p.value for p in staff.points] == [75.0, 94.0, 60.0]


@pytest.fixture
def districts(agency):
    return [
        AreaFactory.create(agency=agency, name=name, slug=name.lower(), kind=Area.Kind.DISTRICT)
        for name in ("North", "South", "East")
    ]


def published(agency):
    overall = {s.public_id: s for s in public_series(agency=agency, months=1)}
    areas = {
        (s.public_id, s.area.slug if s.area else ""): s
        for s in public_area_series(agency=agency, months=1)
    }
    return overall, areas


def cannot_recover(shown: dict[str | None, float | None]) -> bool:
    """Whether the withheld areas stay unknown to someone who subtracts the shown
    areas from the shown whole: either the whole is withheld, or two or more
    areas are, and what they add up to is not itself a small count."""
    total = shown[None]
    hidden = [key for key, value in shown.items() if key is not None and value is None]
    if total is None or not hidden:
        return True
    together = total - sum(v for k, v in shown.items() if k is not None and v is not None)
    return len(hidden) >= 2 and not 0 < together < 5


def test_complementary_suppression_across_areas(agency, casey, districts):
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    north, south, east = districts
    figure(measure, OCT, 20, numerator=20)
    figure(measure, OCT, 3, area=north)
    figure(measure, OCT, 10, area=south)
    figure(measure, OCT, 7, area=east)
    overall, areas = published(agency)
    shown: dict[str | None, float | None] = {
        None: overall["code_complaints"].points[-1].value,
        **{
            slug: areas[("code_complaints", slug)].points[-1].value
            for slug in ("north", "south", "east")
        },
    }
    assert shown["north"] is None and areas[("code_complaints", "north")].points[-1].suppressed
    # One more area is withheld beside it, so 20 − 10 − 7 cannot give North back.
    assert sum(value is None for value in shown.values()) >= 2
    assert cannot_recover(shown)


def test_differencing_never_recovers_a_withheld_area(agency, casey, districts):
    """Many splits of a total over three areas: whatever is published, no count
    from 1 to 4 is shown, and none comes back as the whole minus the others."""
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    for counts in [(1, 6, 9), (2, 2, 12), (4, 0, 30), (3, 3, 3), (6, 7, 8), (0, 0, 2), (1, 1, 40)]:
        for area, count in zip(districts, counts, strict=True):
            figure(measure, OCT, count, area=area)
        figure(measure, OCT, sum(counts))
        overall, areas = published(agency)
        shown: dict[str | None, float | None] = {None: overall["code_complaints"].points[-1].value}
        for area in districts:
            shown[area.slug] = areas[("code_complaints", area.slug)].points[-1].value
        assert all(value is None or value == 0 or value >= 5 for value in shown.values()), counts
        assert cannot_recover(shown), (counts, shown)
        measure.values.all().delete()


def test_the_whole_is_withheld_on_the_jurisdiction_series_too(agency, casey, districts):
    """When the whole must go to protect an area, the jurisdiction's own series
    (dashboard, open data) withholds it as well."""
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    north, south, east = districts
    figure(measure, OCT, 2, area=north)
    figure(measure, OCT, 0, area=south)
    figure(measure, OCT, 0, area=east)
    figure(measure, OCT, 2)
    overall, _areas = published(agency)
    assert overall["code_complaints"].points[-1].value is None
    assert overall["code_complaints"].points[-1].suppressed


def test_a_beat_cannot_be_recovered_from_its_district(agency, casey):
    district = AreaFactory.create(
        agency=agency, name="North", slug="north", kind=Area.Kind.DISTRICT
    )
    beats = [
        AreaFactory.create(
            agency=agency, name=f"Beat {n}", slug=f"beat-{n}", kind=Area.Kind.BEAT, parent=district
        )
        for n in (1, 2)
    ]
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    figure(measure, OCT, 40)
    figure(measure, OCT, 40, area=district)
    figure(measure, OCT, 2, area=beats[0])
    figure(measure, OCT, 38, area=beats[1])
    _overall, areas = published(agency)
    assert areas[("code_complaints", "beat-1")].points[-1].value is None
    # 40 − 38 would give beat 1 back: the other beat (or the district) goes too.
    assert (
        areas[("code_complaints", "beat-2")].points[-1].value is None
        or areas[("code_complaints", "north")].points[-1].value is None
    )


def test_public_series_take_a_bounded_number_of_queries(agency, casey, districts):
    for key in ("code_complaints", "unemployment", "school_attendance"):
        measure = measure_choose(actor=casey, agency=agency, catalogue_key=key)
        for month in range(1, 11):
            figure(measure, dt.date(2026, month, 1), 30.0)
            if measure.by_area:
                for area in districts:
                    figure(measure, dt.date(2026, month, 1), 10.0, area=area)
    quarterly = measure_choose(actor=casey, agency=agency, catalogue_key="clearance_rate")
    for month in (1, 4, 7, 10):
        figure(quarterly, dt.date(2026, month, 1), 40.0)
    with CaptureQueriesContext(connection) as queries:
        series = public_series(agency=agency)
        areas = public_area_series(agency=agency)
    assert len(series) == 4 and len(areas) == 3
    # Measures, the latest period, areas and figures, for each call.
    assert len(queries) <= 8


def test_pack_series_show_nothing_after_the_month(agency, casey, districts):
    monthly = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    quarterly = measure_choose(actor=casey, agency=agency, catalogue_key="clearance_rate")
    north = districts[0]
    figure(monthly, SEPT, 12)
    figure(monthly, OCT, 15)
    figure(monthly, NOV, 99)
    figure(monthly, SEPT, 4, area=north)
    figure(quarterly, dt.date(2026, 7, 1), 41.0)
    figure(quarterly, OCT, 99.0)
    series = {s.public_id: s for s in pack_series(agency=agency, month=OCT, area=None)}
    assert value_of(series["code_complaints"].latest) == 15
    assert all(p.period_start <= OCT for p in series["code_complaints"].points)
    # The fourth quarter is not over at the end of October.
    assert value_of(series["clearance_rate"].latest) == 41.0
    assert series["clearance_rate"].points[-1].period_start == dt.date(2026, 7, 1)
    # Staff: the small area figure is there; a jurisdiction-wide measure says so.
    in_north = {s.public_id: s for s in pack_series(agency=agency, month=SEPT, area=north)}
    assert (
        value_of(in_north["code_complaints"].latest) == 4
        and in_north["code_complaints"].area == north
    )
    assert in_north["clearance_rate"].area is None


def test_goal_coverage_warns_of_goals_without_a_measure(agency, casey):
    measure_choose(actor=casey, agency=agency, catalogue_key="violent_crime")
    MeasureFactory.create(agency=agency, goal="trust", indicator="transparency", active=False)
    coverage = {g.goal: g for g in goal_coverage(agency=agency)}
    assert len(coverage) == 8
    assert not coverage["crime_harm"].warning
    assert [m.catalogue_key for m in coverage["crime_harm"].measures] == ["violent_crime"]
    assert coverage["trust"].warning  # a dropped measure does not count
    assert coverage["officer_wellbeing"].warning


# --- Figures that count no people ---


def test_counts_of_meetings_are_published_however_small(agency, casey, districts):
    """ "3 oversight meetings" discloses nobody: counts that are not about people
    are not withheld, and hide nothing beside them. Counts of people still are."""
    oversight = measure_choose(actor=casey, agency=agency, catalogue_key="oversight_meetings")
    inspections = measure_choose(actor=casey, agency=agency, catalogue_key="inspections_done")
    complaints = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    meetings = measure_choose(actor=casey, agency=agency, catalogue_key="meetings_held")
    meetings.source = Source.IMPORTED  # figures by hand for the test
    meetings.computation = ""
    meetings.save()
    figure(oversight, OCT, 3, numerator=3)
    figure(inspections, OCT, 1)
    figure(complaints, OCT, 3, numerator=3)
    north, south, east = districts
    figure(meetings, OCT, 9)
    for area, count in ((north, 2), (south, 3), (east, 4)):
        figure(meetings, OCT, count, area=area)
    overall, areas = published(agency)
    assert overall["oversight_meetings"].latest == Point(OCT, 3, False)
    assert not overall["oversight_meetings"].counts_people
    assert overall["inspections_done"].points[-1].value == 1
    assert overall["code_complaints"].points[-1].suppressed
    assert overall["meetings_held"].points[-1].value == 9
    assert [areas[("meetings_held", d.slug)].points[-1].value for d in districts] == [2, 3, 4]


def test_an_own_measure_counts_people_unless_the_agency_says_not(agency):
    careful = MeasureFactory.create(agency=agency, name="Records requests", unit=Unit.COUNT)
    briefings = MeasureFactory.create(
        agency=agency, name="Public briefings", unit=Unit.COUNT, counts_people=False
    )
    audits = MeasureFactory.create(
        agency=agency, name="Audits passed", unit=Unit.PERCENT, counts_people=False
    )
    figure(careful, OCT, 2)
    figure(briefings, OCT, 2)
    figure(audits, OCT, 50.0, numerator=1, denominator=2)
    shown = {s.name: s.points[-1] for s in public_series(agency=agency, months=1)}
    assert shown["Records requests"].suppressed
    assert shown["Public briefings"].value == 2
    assert shown["Audits passed"].value == 50.0


def test_open_data_publishes_small_counts_of_meetings_without_complaint(agency, casey):
    oversight = measure_choose(actor=casey, agency=agency, catalogue_key="oversight_meetings")
    figure(oversight, OCT, 3, numerator=3)
    rows = dataset("measure-values").rows(agency)
    assert [(r["measure"], r["value"], r["suppressed"]) for r in rows] == [
        ("oversight_meetings", 3, False)
    ]
    (measure,) = dataset("measures").rows(agency)
    assert measure["latest_value"] == 3


def test_what_a_district_holds_beyond_its_neighbourhoods_cannot_be_worked_out(agency, casey):
    """A district's count holds its neighbourhoods' and what was given the district
    itself. 40 − 18 − 20 would give back 2 complaints given the district alone:
    that remainder is protected like any small count."""
    central = AreaFactory.create(
        agency=agency, name="Central", slug="central", kind=Area.Kind.DISTRICT
    )
    east, west = (
        AreaFactory.create(agency=agency, name=name, slug=name.lower(), parent=central)
        for name in ("East", "West")
    )
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    figure(measure, OCT, 40)
    figure(measure, OCT, 40, area=central)
    figure(measure, OCT, 18, area=east)
    figure(measure, OCT, 20, area=west)
    overall, areas = published(agency)
    shown = {
        "all": overall["code_complaints"].points[-1].value,
        **{
            slug: areas[("code_complaints", slug)].points[-1].value
            for slug in ("central", "east", "west")
        },
    }
    assert all(value is None or value >= 5 for value in shown.values()), shown
    # Central − East − West, and the whole − East − West (the neighbourhoods
    # cover only part of the jurisdiction), can no longer be worked out.
    for total in ("central", "all"):
        assert None in (shown[total], shown["east"], shown["west"]), shown
