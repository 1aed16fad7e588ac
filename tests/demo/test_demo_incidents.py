"""The demo's geography, incident data and sentiment series.

Built once for the module, inside a transaction rolled back when the module
ends, as tests/demo/test_demo.py does; each test runs in a savepoint on top.
The demo goes through the importers a real agency uses, so these tests also
check that the designed patterns survive them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import cast

import pytest
import shapely
from django.conf import settings
from django.db import transaction
from shapely.geometry import shape

from roundtable.agencies.models import Agency, Area
from roundtable.analytics import compstat, hexgrid
from roundtable.demo.incidents import STOPS_BUFFER_CONTROL, rise_start
from roundtable.demo.problem_texts import STOPS_AREAS, STOPS_ASSESSMENT, STOPS_TITLE
from roundtable.demo.services import DemoSummary, demo_build
from roundtable.incidents import hotspots
from roundtable.incidents.models import (
    AreaBoundary,
    ImportRun,
    Incident,
    IncidentArea,
    SentimentScore,
)
from roundtable.incidents.selectors_counts import count_incidents
from roundtable.incidents.selectors_report import period_report
from roundtable.problems.models import Assessment, Problem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_build()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def riverside(demo) -> Agency:
    return Agency.objects.get(slug="riverside")


@pytest.fixture
def rsu(demo) -> Agency:
    return Agency.objects.get(slug="rsu")


def _area(agency: Agency, slug: str) -> Area:
    return Area.objects.get(agency=agency, slug=slug)


# ------------------------------------------------------------------ geography


def test_every_city_and_campus_area_has_a_boundary_and_none_is_duplicated(demo, riverside, rsu):
    for agency, count in ((riverside, 19), (rsu, 3)):
        areas = Area.objects.filter(agency=agency)
        assert areas.count() == count  # imported by name onto the builder's areas
        assert not areas.filter(boundary__isnull=True).exists()
    assert demo.boundaries == 22


def test_beats_and_neighbourhoods_each_cover_the_city_and_overlap_each_other(riverside):
    def layer(kind: str) -> list[shapely.Geometry]:
        return [
            shape(b.geometry)
            for b in AreaBoundary.objects.filter(area__agency=riverside, area__kind=kind)
        ]

    city = shapely.union_all(layer(Area.Kind.DISTRICT))
    for kind in (Area.Kind.BEAT, Area.Kind.NEIGHBOURHOOD):
        pieces = layer(kind)
        # No gaps and no overlaps inside a layer (area in degrees², compared relatively).
        assert shapely.union_all(pieces).symmetric_difference(city).area < 1e-9
        assert abs(sum(p.area for p in pieces) - city.area) < 1e-9
    beat_22 = shape(_area(riverside, "beat-22").boundary.geometry)
    old_town = shape(_area(riverside, "old-town").boundary.geometry)
    assert 0 < beat_22.intersection(old_town).area < min(beat_22.area, old_town.area)


def test_campus_areas_lie_in_the_city_areas_they_overlap(riverside, rsu):
    for campus_slug, city_slug in (
        ("student-village", "university-hill"),
        ("medical-campus", "eastgate"),
    ):
        campus = shape(_area(rsu, campus_slug).boundary.geometry)
        city = shape(_area(riverside, city_slug).boundary.geometry)
        assert city.contains(campus)


# ------------------------------------------------------------------ the import


def test_the_export_imported_with_its_quirks_reported(riverside, rsu):
    run = ImportRun.objects.get(agency=riverside, kind=ImportRun.Kind.INCIDENTS)
    assert run.status == ImportRun.Status.DONE
    assert run.profile == "riverside_rms"
    assert 12_000 <= run.imported <= 20_000
    assert run.missing_coordinates > 0.01 * run.imported  # blank and 0/0 coordinates
    assert run.merged_offences > 0  # incidents with two offence rows
    assert run.error_total == 3  # the unreadable dates, skipped and listed
    assert {e["column"] for e in run.errors} == {"Occurred"}
    assert Incident.objects.filter(agency=riverside, location=Incident.Location.ZERO).exists()
    campus = ImportRun.objects.get(agency=rsu, kind=ImportRun.Kind.INCIDENTS)
    assert campus.status == ImportRun.Status.DONE and campus.imported > 100


def test_located_incidents_lie_in_a_beat_and_a_neighbourhood(riverside):
    located = Incident.objects.filter(agency=riverside, location=Incident.Location.OK)
    total = located.count()
    for kind in (Area.Kind.BEAT, Area.Kind.NEIGHBOURHOOD):
        inside = (
            IncidentArea.objects.filter(incident__in=located, area__kind=kind)
            .values("incident")
            .distinct()
            .count()
        )
        assert inside >= 0.98 * total


def test_the_offence_mix_is_a_mid_size_citys(riverside, rsu):
    offences = Counter(Incident.objects.filter(agency=riverside).values_list("offence", flat=True))
    assert offences.most_common(1)[0][0] == "theft"
    for code in ("burglary", "motor_vehicle_theft", "vandalism", "simple_assault", "robbery"):
        assert offences[code] > 100
    assert 0 < offences["homicide"] < 60
    sensitive = Incident.objects.filter(agency=riverside, sensitive=True).count()
    assert 0 < sensitive < 0.1 * sum(offences.values())
    assert offences["non_criminal"] > 0
    campus = Counter(Incident.objects.filter(agency=rsu).values_list("offence", flat=True))
    assert campus.most_common(1)[0][0] == "theft" and campus["simple_assault"] > 0


# ------------------------------------------------------------------ designed patterns


def test_violent_crime_is_significantly_up_in_the_south_district_only(riverside):
    report = period_report(agency=riverside, area=_area(riverside, "south"))
    as_of = report.as_of
    ytd = next(p for p in report.periods if p.key == "ytd")
    flags = {}
    for slug in ("north", "central", "south"):
        area = _area(riverside, slug)
        if ytd.days >= 120:
            # The CompStat report's own cell for violent crime, year to date.
            row = next(r for r in period_report(agency=riverside, area=area).rows
                       if r.key == "violent")  # fmt: skip
            cell = next(c for c in row.cells if c.period == "ytd")
            assert cell.change is not None
            flags[slug] = cell.change
        else:
            # Early in the year the year to date is too short to tell; the rise
            # runs at least RISE_DAYS, compared with the same days a year earlier.
            start = rise_start(as_of)
            prior_start, prior_end = start - dt.timedelta(days=364), as_of - dt.timedelta(days=364)
            current = count_incidents(
                riverside, offence="violent", area=area, start=start, end=as_of
            )
            prior = count_incidents(
                riverside, offence="violent", area=area, start=prior_start, end=prior_end
            )
            days = (as_of - start).days + 1
            flags[slug] = compstat.compare(current, prior, current_days=days, prior_days=days)
    assert flags["south"].significant and flags["south"].direction == "up"
    assert not all(flags[s].significant for s in ("north", "central"))


def test_old_town_holds_a_significant_hot_spot(riverside):
    old_town = shape(_area(riverside, "old-town").boundary.geometry)
    points = hotspots.points_for_agency(riverside)

    def hot_in_old_town(permutations: int) -> int:
        result = hotspots.hotspot_cells(
            points,
            resolution=settings.ROUNDTABLE_HOTSPOT_RESOLUTION,
            k=settings.ROUNDTABLE_HOTSPOT_K,
            permutations=permutations,
        )
        best = 0
        rings = hexgrid.cell_polygons(result.cells)
        for ring, z, level in zip(rings, result.z, result.bin, strict=True):
            if level > best and z > 0 and old_town.contains(shapely.Polygon(ring).centroid):
                best = int(level)
        return best

    # 999 permutations floor the pseudo p at 0.002, and the FDR correction over
    # ~1,300 cells needs ~50 cells at that floor to reach 95 %: the bar strip
    # shows at 90 % only. The page's setting (9,999) shows it at 95 % or more.
    assert hot_in_old_town(999) >= 1
    assert hot_in_old_town(settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS) >= 2


def test_harlow_park_car_break_ins_are_an_intensifying_hot_spot(riverside):
    harlow = shape(_area(riverside, "harlow-park").boundary.geometry)
    layer = hotspots.emerging_for_agency(
        riverside, offence="theft", bins="week", periods=26, resolution=9, k=1
    )
    categories = Counter(
        f["properties"]["category"]
        for f in layer["features"]
        if harlow.contains(shape(f["geometry"]).centroid)
    )
    assert categories["intensifying_hot"] + categories["new_hot"] >= 1


def test_the_bus_stops_team_has_a_counted_assessment_beside_the_hand_one(riverside):
    problem = Problem.objects.get(agency=riverside, title=STOPS_TITLE)
    hand = problem.assessments.get(source=Assessment.Source.HAND)
    counted = problem.assessments.get(source=Assessment.Source.INCIDENTS)
    assert (counted.before_start, counted.after_end) == (hand.before_start, hand.after_end)
    for field in (
        "target_before",
        "target_after",
        "control_before",
        "control_after",
        "buffer_before",
        "buffer_after",
        "buffer_control_before",
        "buffer_control_after",
    ):
        assert abs(getattr(counted, field) - cast(int, STOPS_ASSESSMENT[field])) <= 3, field
    # The counts are the incident data's: recount one of them.
    response = _area(riverside, STOPS_AREAS[0])
    assert counted.target_after == count_incidents(
        riverside, offence="drugs", area=response, start=counted.after_start, end=counted.after_end
    )
    assert _area(riverside, STOPS_BUFFER_CONTROL).name in counted.source_note


def test_sentiment_scores_for_every_district_with_trust_lower_in_the_south(riverside):
    scores = SentimentScore.objects.filter(agency=riverside)
    for slug in ("north", "central", "south"):
        assert scores.filter(area__slug=slug).count() == 24
    assert scores.filter(unit="city", area__isnull=True).count() == 24
    assert scores.values("source").distinct().count() == 1
    latest = scores.order_by("-period_start").first()
    assert latest is not None

    def trust(slug: str) -> float:
        row = scores.get(area__slug=slug, period_start=latest.period_start)
        assert row.trust is not None
        return row.trust

    assert trust("south") < min(trust("north"), trust("central"))


# ------------------------------------------------------------------ reset
