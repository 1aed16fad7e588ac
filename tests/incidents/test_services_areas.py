"""Boundary imports into areas, and point-in-polygon assignment of incidents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from roundtable.agencies.models import Area
from roundtable.audit.models import AuditEntry
from roundtable.incidents import services_areas
from roundtable.incidents.models import AreaBoundary, ImportRun, Incident, IncidentArea
from roundtable.incidents.services_areas import assign_areas, boundaries_import
from tests.factories import AreaBoundaryFactory, AreaFactory, IncidentFactory

FIXTURES = Path(__file__).parent.parent / "fixtures" / "incidents"
BEATS = FIXTURES / "chicago-beats.shp"
DATA = Path(os.environ.get("ROUNDTABLE_DATA", "/work/shared/data")) / "incidents"

# A point inside beat 1411 (district 14) and one inside 1932 (district 19).
IN_1411 = (41.93367, -87.6977)
IN_1932 = (41.93245, -87.66348)


def links(incident: Incident) -> set[str]:
    ids = IncidentArea.objects.filter(incident=incident).values_list("area_id", flat=True)
    return set(Area.objects.filter(pk__in=ids).values_list("slug", flat=True))


def import_beats(agency, **extra) -> ImportRun:
    return boundaries_import(
        agency=agency,
        path=BEATS,
        kind=Area.Kind.BEAT,
        name_field="BEAT_NUM",
        group_field="DISTRICT",
        group_kind=Area.Kind.DISTRICT,
        **extra,
    )


@pytest.mark.django_db
def test_beats_grouped_into_districts(agency, ana):
    run = import_beats(agency, actor=ana, source="City of Chicago")

    assert run.status == ImportRun.Status.DONE
    assert run.kind == ImportRun.Kind.BOUNDARIES
    assert (run.rows, run.imported, run.profile) == (5, 7, "shapefile")
    beats = Area.objects.filter(agency=agency, kind=Area.Kind.BEAT)
    assert sorted(beats.values_list("name", flat=True)) == [
        "Beat 1411",
        "Beat 1412",
        "Beat 1413",
        "Beat 1932",
        "Beat 1933",
    ]
    district = Area.objects.get(agency=agency, slug="district-14")
    assert (district.name, district.kind) == ("District 14", Area.Kind.DISTRICT)
    assert set(district.children.values_list("slug", flat=True)) == {
        "beat-1411",
        "beat-1412",
        "beat-1413",
    }
    # The district's outline is the union of its beats; its area their sum.
    beat_km2 = sum(
        AreaBoundary.objects.filter(area__parent=district).values_list("square_km", flat=True)
    )
    assert district.boundary.square_km == pytest.approx(beat_km2, rel=1e-3)
    assert shape(district.boundary.geometry).contains(
        shape(beats.get(slug="beat-1412").boundary.geometry).representative_point()
    )
    assert district.boundary.source == "City of Chicago"
    entry = AuditEntry.objects.get(action="areas.boundaries_import")
    assert entry.after is not None
    assert (entry.actor, entry.agency, entry.after["created"]) == (ana, agency, 7)


@pytest.mark.django_db
def test_reimport_updates_in_place(agency):
    import_beats(agency)
    first = dict(Area.objects.filter(agency=agency).values_list("slug", "pk"))

    run = import_beats(agency)

    assert dict(Area.objects.filter(agency=agency).values_list("slug", "pk")) == first
    assert AreaBoundary.objects.filter(area__agency=agency).count() == 7
    assert "0 areas created, 7 updated" in run.message


@pytest.mark.django_db
def test_area_made_by_hand_gets_its_boundary(agency):
    hand = AreaFactory.create(
        agency=agency, name="District 14", slug="d14", kind=Area.Kind.NEIGHBOURHOOD
    )
    beat = AreaFactory.create(
        agency=agency, name="beat 1411", slug="logan-square-1", kind=Area.Kind.BEAT
    )

    import_beats(agency)

    assert AreaBoundary.objects.filter(area=hand).exists()
    assert AreaBoundary.objects.filter(area=beat).exists()
    assert not Area.objects.filter(agency=agency, slug="district-14").exists()


@pytest.mark.django_db
def test_name_taken_by_another_layer_with_a_boundary_gets_its_kind(agency):
    other = AreaBoundaryFactory.create(
        area=AreaFactory.create(agency=agency, name="District 19", slug="district-19")
    ).area

    import_beats(agency)

    district = Area.objects.get(
        agency=agency, kind=Area.Kind.DISTRICT, name__startswith="District 19"
    )
    assert district != other
    assert (district.name, district.slug) == ("District 19 (district)", "district-19-district")


@pytest.mark.django_db
def test_other_agencies_areas_are_untouched(agency, other_agency):
    import_beats(other_agency)
    import_beats(agency)
    assert Area.objects.filter(agency=other_agency).count() == 7
    assert Area.objects.filter(agency=agency).count() == 7


@pytest.mark.django_db
def test_import_assigns_existing_incidents(agency, other_agency):
    inside = IncidentFactory.create(agency=agency, latitude=IN_1411[0], longitude=IN_1411[1])
    elsewhere = IncidentFactory.create(agency=agency, latitude=IN_1932[0], longitude=IN_1932[1])
    lost = IncidentFactory.create(agency=agency, latitude=None, longitude=None, location="missing")
    theirs = IncidentFactory.create(agency=other_agency, latitude=IN_1411[0], longitude=IN_1411[1])

    run = import_beats(agency)

    assert links(inside) == {"beat-1411", "district-14"}
    assert links(elsewhere) == {"beat-1932", "district-19"}
    assert links(lost) == set() and links(theirs) == set()
    assert "4 incident-area links written" in run.message


@pytest.mark.django_db
def test_an_incident_lies_in_every_layer_containing_it(agency):
    import_beats(agency)
    neighbourhood = AreaBoundaryFactory.create(
        area=AreaFactory.create(agency=agency, name="Logan Square", kind=Area.Kind.NEIGHBOURHOOD),
        corner=(-87.72, 41.92),
        size=0.03,
    ).area
    incident = IncidentFactory.create(agency=agency, latitude=IN_1411[0], longitude=IN_1411[1])

    written = assign_areas(agency=agency)

    assert written == 3
    assert links(incident) == {"beat-1411", "district-14", neighbourhood.slug}


@pytest.mark.django_db
def test_assign_given_ids_replaces_only_their_rows(agency):
    import_beats(agency)
    first = IncidentFactory.create(agency=agency, latitude=IN_1411[0], longitude=IN_1411[1])
    second = IncidentFactory.create(agency=agency, latitude=IN_1411[0], longitude=IN_1411[1])
    assign_areas(agency=agency)
    Incident.objects.filter(pk=first.pk).update(latitude=IN_1932[0], longitude=IN_1932[1])
    Incident.objects.filter(pk=second.pk).update(latitude=None, longitude=None, location="missing")
    untouched = IncidentFactory.create(agency=agency, latitude=IN_1411[0], longitude=IN_1411[1])

    written = assign_areas(agency=agency, incident_ids=iter([first.pk, second.pk]))

    assert written == 2
    assert links(first) == {"beat-1932", "district-19"}
    # Lost its coordinates: its old rows are gone.
    assert links(second) == set()
    assert links(untouched) == set()


@pytest.mark.django_db
def test_assignment_streams_in_chunks_with_the_same_result(agency, monkeypatch):
    import_beats(agency)
    incidents = [
        IncidentFactory.create(agency=agency, latitude=lat, longitude=lon)
        for lat, lon in [IN_1411, IN_1932, (41.95, -87.50)] * 3
    ]
    monkeypatch.setattr(services_areas, "CHUNK", 2)
    monkeypatch.setattr(services_areas, "ID_CHUNK", 2)
    monkeypatch.setattr(services_areas, "BATCH", 3)

    assert assign_areas(agency=agency) == 12
    assert assign_areas(agency=agency, incident_ids=[i.pk for i in incidents]) == 12
    assert IncidentArea.objects.count() == 12
    # The point in the lake is in no beat.
    assert links(incidents[2]) == set()
    # Ids far apart take the IN-list path, and only their rows are redone.
    IncidentArea.objects.filter(incident=incidents[0]).delete()
    assert assign_areas(agency=agency, incident_ids=[incidents[0].pk, incidents[7].pk]) == 4
    assert IncidentArea.objects.count() == 12
    assert links(incidents[0]) == {"beat-1411", "district-14"}


@pytest.mark.django_db
def test_assignment_queries_do_not_grow_with_incidents(agency, django_assert_max_num_queries):
    import_beats(agency)
    for _ in range(60):
        IncidentFactory.create(agency=agency, latitude=IN_1411[0], longitude=IN_1411[1])
    # delete, boundaries, one chunk, one more empty chunk, one insert, savepoints.
    with django_assert_max_num_queries(8):
        assert assign_areas(agency=agency) == 120


@pytest.mark.django_db
def test_no_boundaries_writes_nothing(agency):
    IncidentFactory.create(agency=agency)
    assert assign_areas(agency=agency) == 0


@pytest.mark.django_db
def test_unknown_field_fails_cleanly(agency):
    run = boundaries_import(agency=agency, path=BEATS, kind="beat", name_field="beat_no")

    assert run.status == ImportRun.Status.FAILED
    assert "BEAT_NUM" in run.message
    assert not Area.objects.filter(agency=agency).exists()


@pytest.mark.django_db
def test_failure_midway_rolls_everything_back(agency, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services_areas, "assign_areas", broken)
    with pytest.raises(RuntimeError):
        import_beats(agency)

    assert not Area.objects.filter(agency=agency).exists()
    assert not AuditEntry.objects.filter(action="areas.boundaries_import").exists()
    run = ImportRun.objects.get(agency=agency)
    assert (run.status, run.message) == (ImportRun.Status.FAILED, "disk full")


@pytest.mark.django_db
def test_bad_kind_is_refused(agency):
    with pytest.raises(ValueError, match="Unknown area kind"):
        boundaries_import(agency=agency, path=BEATS, kind="ward", name_field="BEAT_NUM")


@pytest.mark.skipif(
    not (DATA / "chicago").is_dir(), reason=f"the real data folder {DATA} is absent"
)
@pytest.mark.django_db
def test_full_real_boundaries_import_and_every_located_chicago_incident_lands_in_a_beat(
    agency, other_agency
):
    from roundtable.incidents.services_import import incidents_import

    beats = boundaries_import(
        agency=agency,
        path=DATA / "chicago" / "police-beats.shp",
        kind="beat",
        name_field="BEAT_NUM",
        group_field="DISTRICT",
        group_kind="district",
    )
    community = boundaries_import(
        agency=agency,
        path=DATA / "chicago" / "community-areas.geojson",
        kind="neighbourhood",
        name_field="community",
    )
    boston = boundaries_import(
        agency=other_agency,
        path=DATA / "boston" / "police-districts.geojson",
        kind="district",
        name_field="DISTRICT",
    )
    neighbourhoods = boundaries_import(
        agency=other_agency,
        path=DATA / "boston" / "neighborhoods.geojson",
        kind="neighbourhood",
        name_field="Name",
    )
    assert {beats.status, community.status, boston.status, neighbourhoods.status} == {"done"}
    assert Area.objects.filter(agency=other_agency, kind="neighbourhood").count() == 26
    assert Area.objects.filter(agency=agency, kind="beat").count() == 275  # 277 records, 3100 in 3
    assert Area.objects.filter(agency=agency, kind="district").count() == 23
    assert Area.objects.filter(agency=agency, kind="neighbourhood").count() == 77
    assert Area.objects.filter(agency=other_agency, kind="district").count() == 12

    run = incidents_import(agency=agency, path=DATA / "chicago" / "crimes-2014-02-28_to_03-15.csv")

    assert run.status == ImportRun.Status.DONE
    located = Incident.objects.filter(agency=agency, location="ok")
    assert located.count() > 6000
    in_beat = IncidentArea.objects.filter(area__kind="beat", incident__agency=agency)
    assert in_beat.count() == located.count()
    assert in_beat.values("incident").distinct().count() == located.count()
    in_neighbourhood = IncidentArea.objects.filter(area__kind="neighbourhood")
    assert in_neighbourhood.count() >= located.count() * 0.99


@pytest.mark.django_db
def test_areas_geojson_simplified_for_display(agency, other_agency, django_assert_max_num_queries):
    from roundtable.incidents.selectors_geo import areas_geojson, boundary_kinds

    import_beats(agency)
    import_beats(other_agency)
    AreaFactory.create(agency=agency, name="No outline yet")

    with django_assert_max_num_queries(1):
        collection = areas_geojson(agency)

    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 7
    beat = next(f for f in collection["features"] if f["properties"]["slug"] == "beat-1411")
    area = Area.objects.get(agency=agency, slug="beat-1411")
    assert beat["id"] == area.pk
    assert beat["properties"] == {
        "id": area.pk,
        "name": "Beat 1411",
        "slug": "beat-1411",
        "kind": "beat",
        "parent": area.parent_id,
        "square_km": round(area.boundary.square_km, 2),
    }
    full = shape(area.boundary.geometry)
    shown = shape(beat["geometry"])
    assert shown.is_valid
    assert len(shapely.get_coordinates(shown)) < len(shapely.get_coordinates(full)) / 2
    assert shapely.hausdorff_distance(shown, full) < 0.0002
    districts = areas_geojson(agency, kinds=["district"])
    assert {f["properties"]["name"] for f in districts["features"]} == {
        "District 14",
        "District 19",
    }
    assert boundary_kinds(agency) == ["district", "beat"]
    assert boundary_kinds(other_agency) == ["district", "beat"]
    assert areas_geojson(agency, kinds=["campus"])["features"] == []


@pytest.mark.django_db
def test_ids_of_another_agency_are_left_alone(agency, other_agency):
    import_beats(agency)
    import_beats(other_agency)
    theirs = IncidentFactory.create(agency=other_agency, latitude=IN_1411[0], longitude=IN_1411[1])
    assign_areas(agency=other_agency)

    assert assign_areas(agency=agency, incident_ids=[theirs.pk]) == 0
    assert assign_areas(agency=agency, incident_ids=[]) == 0
    assert links(theirs) == {"beat-1411", "district-14"}
