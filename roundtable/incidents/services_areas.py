"""Writes for areas and geography: boundary imports and point-in-polygon assignment.

An incident lies in every area whose boundary contains it: a beat, the beat's
district and a neighbourhood at once, one IncidentArea row each. Assignment is
vectorised with shapely 2 (an STRtree of a chunk's points, queried once with
all the agency's prepared boundaries, predicate "contains") and streams
incident ids in chunks, so a million incidents take bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import shapely
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record
from roundtable.incidents.boundaries import (
    BoundaryError,
    BoundarySet,
    area_km2,
    read_boundaries,
)
from roundtable.incidents.models import AreaBoundary, ImportRun, Incident, IncidentArea

# Incidents read per query, and IncidentArea rows per INSERT. The chunk keeps
# memory flat; 900 ids also stays under SQLite's old 999-parameter limit.
CHUNK = 20_000
ID_CHUNK = 900
BATCH = 5_000

F64 = npt.NDArray[np.float64]

# Area names are data, not interface text: "District 14" matches how agencies
# and the sentiment series name their units, whatever the importer's language.
KIND_WORD = {
    Area.Kind.DISTRICT: "District",
    Area.Kind.BEAT: "Beat",
    Area.Kind.NEIGHBOURHOOD: "Neighbourhood",
    Area.Kind.CAMPUS: "Campus",
    Area.Kind.OTHER: "Area",
}


@dataclass
class _Areas:
    """The agency's areas, looked up by slug and by case-folded name."""

    by_slug: dict[str, Area]
    by_name: dict[str, Area]
    with_boundary: set[int]

    @classmethod
    def load(cls, agency: Agency) -> _Areas:
        areas = list(Area.objects.filter(agency=agency))
        bounded = set(
            AreaBoundary.objects.filter(area__agency=agency).values_list("area_id", flat=True)
        )
        return cls(
            by_slug={a.slug: a for a in areas},
            by_name={a.name.casefold(): a for a in areas},
            with_boundary=bounded,
        )

    def find_or_create(self, *, agency: Agency, name: str, kind: str) -> tuple[Area, bool]:
        slug = slugify(name)[:80] or "area"
        found = [a for a in (self.by_slug.get(slug), self.by_name.get(name.casefold())) if a]
        # The same kind, or an area made by hand that has no boundary yet.
        for area in found:
            if area.kind == kind or area.pk not in self.with_boundary:
                return area, False
        if found:
            # The name is taken by another layer ("Central" district and neighbourhood).
            name = f"{name} ({KIND_WORD[Area.Kind(kind)].lower()})"
            slug = slugify(name)[:80]
        base, n = slug, 2
        while slug in self.by_slug:
            slug, n = f"{base[:76]}-{n}", n + 1
        area = Area.objects.create(agency=agency, name=name[:200], slug=slug, kind=kind)
        self.by_slug[slug] = area
        self.by_name[area.name.casefold()] = area
        return area, True


def _area_name(value: str, kind: str) -> str:
    # Bare numbers ("1713", "14") read as "Beat 1713", "District 14".
    return f"{KIND_WORD[Area.Kind(kind)]} {value}" if value.isdigit() else value


def _save_boundary(*, area: Area, geometry: BaseGeometry, source: str) -> None:
    west, south, east, north = geometry.bounds
    AreaBoundary.objects.update_or_create(
        area=area,
        defaults={
            "geometry": mapping(geometry),
            "min_longitude": west,
            "min_latitude": south,
            "max_longitude": east,
            "max_latitude": north,
            "square_km": round(area_km2(geometry), 4),
            "source": source[:255],
        },
    )


def boundaries_import(
    *,
    agency: Agency,
    path: Path,
    kind: str,
    name_field: str,
    group_field: str | None = None,
    group_kind: str | None = None,
    actor: User | None = None,
    source: str = "",
) -> ImportRun:
    """Areas and boundaries from a file, parents from group_field, then re-assign incidents.

    Failures (unreadable file, unknown field) leave nothing but a FAILED run
    with the message.
    """
    path = Path(path)
    if kind not in Area.Kind.values:
        raise ValueError(f"Unknown area kind {kind!r}; use one of {', '.join(Area.Kind.values)}.")
    if group_field and (group_kind or Area.Kind.DISTRICT) not in Area.Kind.values:
        raise ValueError(f"Unknown group kind {group_kind!r}.")
    run = ImportRun.objects.create(
        agency=agency,
        kind=ImportRun.Kind.BOUNDARIES,
        status=ImportRun.Status.RUNNING,
        file_name=path.name[:255],
        started_by=actor,
    )
    try:
        boundaries = read_boundaries(path, name_field=name_field, group_field=group_field)
    except BoundaryError as error:
        run.status = ImportRun.Status.FAILED
        run.message = str(error)
        run.finished_at = timezone.now()
        run.save()
        return run
    source = source or path.name
    try:
        return _import(
            run=run,
            boundaries=boundaries,
            agency=agency,
            kind=kind,
            name_field=name_field,
            group_field=group_field,
            group_kind=group_kind,
            actor=actor,
            source=source,
        )
    except Exception as error:
        # Everything written was rolled back; the run stays to say what happened.
        run.status = ImportRun.Status.FAILED
        run.message = str(error)[:2000]
        run.finished_at = timezone.now()
        run.save()
        raise


def _import(
    *,
    run: ImportRun,
    boundaries: BoundarySet,
    agency: Agency,
    kind: str,
    name_field: str,
    group_field: str | None,
    group_kind: str | None,
    actor: User | None,
    source: str,
) -> ImportRun:
    with transaction.atomic():
        areas = _Areas.load(agency)
        created = updated = 0
        children: dict[str, list[tuple[Area, BaseGeometry]]] = {}
        for feature in boundaries.features:
            area, new = areas.find_or_create(
                agency=agency, name=_area_name(feature.name, kind), kind=kind
            )
            created, updated = created + new, updated + (not new)
            _save_boundary(area=area, geometry=feature.geometry, source=source)
            if feature.group:
                children.setdefault(feature.group, []).append((area, feature.geometry))
        parent_kind = group_kind or Area.Kind.DISTRICT
        for group, members in children.items():
            parent, new = areas.find_or_create(
                agency=agency, name=_area_name(group, parent_kind), kind=parent_kind
            )
            created, updated = created + new, updated + (not new)
            union = shapely.make_valid(shapely.union_all([g for _a, g in members]))
            _save_boundary(area=parent, geometry=union, source=source)
            Area.objects.filter(pk__in=[a.pk for a, _g in members]).update(parent=parent)
        assigned = assign_areas(agency=agency)
        notes = [
            {"line": 0, "column": name_field, "reason": f"features named {name!r} merged"}
            for name in boundaries.merged
        ] + [
            {"line": 0, "column": name_field, "reason": f"geometry of {name!r} repaired"}
            for name in boundaries.repaired
        ]
        run.status = ImportRun.Status.DONE
        run.profile = boundaries.format
        run.rows = boundaries.read
        run.imported = len(boundaries.features) + len(children)
        run.errors = notes[:100]
        run.error_total = len(notes)
        run.message = (
            f"{run.imported} boundaries ({created} areas created, {updated} updated"
            f"{f', {len(children)} {parent_kind} areas from {group_field}' if children else ''}); "
            f"{len(boundaries.merged)} duplicate names merged, {len(boundaries.repaired)} "
            f"geometries repaired; coordinates {boundaries.crs}"
            f"{' reprojected to WGS 84' if boundaries.reprojected else ''}; "
            f"{assigned} incident-area links written."
        )
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            actor=actor,
            agency=agency,
            action="areas.boundaries_import",
            instance=run,
            after={
                "file": run.file_name,
                "kind": kind,
                "boundaries": run.imported,
                "created": created,
                "updated": updated,
            },
        )
    return run


def _located(agency: Agency, incident_ids: npt.NDArray[np.int64] | None) -> Iterator[F64]:
    """(id, lat, lon) rows of the agency's located incidents, a chunk at a time."""
    located = Incident.objects.filter(
        agency=agency,
        location=Incident.Location.OK,
        latitude__isnull=False,
        longitude__isnull=False,
    )
    fields = ("pk", "latitude", "longitude")
    if incident_ids is not None:
        for start in range(0, len(incident_ids), CHUNK):
            wanted = incident_ids[start : start + CHUNK]
            low, high = int(wanted[0]), int(wanted[-1])
            if high - low < 2 * len(wanted):
                # Ids of one import are (nearly) consecutive: one range query, then
                # keep the wanted ones, instead of many IN lists.
                rows = list(located.filter(pk__gte=low, pk__lte=high).values_list(*fields))
                chunk = np.array(rows, dtype=np.float64).reshape(-1, 3)
                chunk = chunk[np.isin(chunk[:, 0].astype(np.int64), wanted)]
            else:
                rows = []
                for part in range(0, len(wanted), ID_CHUNK):
                    ids = wanted[part : part + ID_CHUNK].tolist()
                    rows += located.filter(pk__in=ids).values_list(*fields)
                chunk = np.array(rows, dtype=np.float64).reshape(-1, 3)
            if len(chunk):
                yield chunk
        return
    last = 0
    while True:
        # Keyset pagination: each query starts where the last ended, no OFFSET scans.
        page = located.filter(pk__gt=last).order_by("pk").values_list(*fields)[:CHUNK]
        chunk = np.array(list(page), dtype=np.float64).reshape(-1, 3)
        if not len(chunk):
            return
        yield chunk
        last = int(chunk[-1, 0])


def _delete_links(agency: Agency, ids: npt.NDArray[np.int64]) -> None:
    """Delete the IncidentArea rows of these (sorted, unique) incidents of the agency."""
    links = IncidentArea.objects.filter(incident__agency=agency)
    # Split where ids stop being consecutive: each long run is one range delete.
    breaks = np.flatnonzero(np.diff(ids) != 1) + 1
    scattered: list[int] = []
    for run in np.split(ids, breaks):
        if len(run) >= ID_CHUNK:
            links.filter(incident_id__gte=int(run[0]), incident_id__lte=int(run[-1])).delete()
        else:
            scattered += run.tolist()
    for start in range(0, len(scattered), ID_CHUNK):
        links.filter(incident_id__in=scattered[start : start + ID_CHUNK]).delete()


@transaction.atomic
def assign_areas(*, agency: Agency, incident_ids: Iterable[int] | None = None) -> int:
    """Link incidents to every area of the agency containing them; the rows written.

    With incident_ids only those incidents are redone (their old rows go first,
    even when they have lost their coordinates); otherwise every incident of
    the agency. A point on a shared border is in neither polygon's interior:
    "contains" keeps it from being counted twice.
    """
    ids = None
    if incident_ids is None:
        IncidentArea.objects.filter(incident__agency=agency).delete()
    else:
        # A million ids as one int64 array (8 MB), not a Python set.
        ids = np.unique(np.fromiter(incident_ids, dtype=np.int64))
        if not len(ids):
            return 0
        _delete_links(agency, ids)
    bounded = list(
        AreaBoundary.objects.filter(area__agency=agency).values_list("area_id", "geometry")
    )
    if not bounded:
        return 0
    area_ids = np.array([a for a, _g in bounded], dtype=np.int64)
    geometries = [shape(g) for _a, g in bounded]
    shapely.prepare(geometries)
    # Plain parameterised INSERTs: building a model instance per row made the
    # ORM's bulk_create about five times slower than the database's own work
    # (measured at 255,000 rows), and these rows have no defaults or signals.
    quote = connection.ops.quote_name
    table = quote(IncidentArea._meta.db_table)
    # Names from the model's own metadata, values as parameters: nothing from input.
    insert = f"INSERT INTO {table} ({quote('incident_id')}, {quote('area_id')}) VALUES (%s, %s)"  # noqa: S608
    written = 0
    for chunk in _located(agency, ids):
        # The tree holds the chunk's points and the prepared polygons query it:
        # GEOS prepares the query geometry, so this is ~5x faster than asking a
        # tree of polygons about each point with "within" (measured, 20,000 points).
        points = shapely.STRtree(shapely.points(chunk[:, 2], chunk[:, 1]))
        polygon_index, point_index = points.query(geometries, predicate="contains")
        incidents = chunk[point_index, 0].astype(np.int64)
        areas = area_ids[polygon_index]
        rows = list(zip(incidents.tolist(), areas.tolist(), strict=True))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(insert, rows[start : start + BATCH])
        written += len(rows)
    return written
