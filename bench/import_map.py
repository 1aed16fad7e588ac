"""Community Map import: a 5,000-row CSV with 3 bad rows, bulk path against one-by-one.

The bulk path is what `roundtable stakeholders import --skip-invalid` runs:
read and check every row, then `organisations_import` (bulk writes, and an
audit entry per organisation plus one for the import, inserted in bulk). The
reference creates the same 4,997 organisations one at a time through
`services.organisation_create`, the per-row service path (an audit entry each),
after the same reading and checking. The reference runs in a single transaction, so the
difference measured is the per-row queries, not a commit per row.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from typing import Any

import bench

ROWS = 5000
BAD_LINES = (14, 2500, 5001)
AREAS = ("northside", "riverbend", "eastgate")
HEADER = ["external_id", "name", "category", "sectors", "areas", "stance", "email", "phone"]


def make_csv() -> bytes:
    """ROWS organisations; the rows at BAD_LINES (spreadsheet lines) are broken."""
    breakages = {BAD_LINES[0]: ("email", "not-an-email"), BAD_LINES[1]: ("category", "bakery")}
    breakages[BAD_LINES[2]] = ("areas", "atlantis")
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for line in range(2, ROWS + 2):
        row = {
            "external_id": f"ORG-{line:05d}",
            "name": f"Organisation {line}",
            "category": ("community_group", "faith", "business", "Government agency or service")[
                line % 4
            ],
            "sectors": "health;housing" if line % 3 else "education_youth",
            "areas": AREAS[line % 3] + (";" + AREAS[(line + 1) % 3] if line % 5 == 0 else ""),
            "stance": ("supporter", "neutral", "critic", "unknown")[line % 4],
            "email": f"info{line}@example.org",
            "phone": f"555-{line:04d}",
        }
        if line in breakages:
            column, value = breakages[line]
            row[column] = value
        writer.writerow([row[c] for c in HEADER])
    return out.getvalue().encode("utf-8")


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def run() -> dict[str, str]:
    bench.setup_django()
    from django.db import connection, transaction

    from roundtable.agencies.models import Agency, Area
    from roundtable.audit.models import AuditEntry
    from roundtable.stakeholders.import_rows import organisations_import
    from roundtable.stakeholders.importing import validate_table
    from roundtable.stakeholders.models import Organisation, Stance
    from roundtable.stakeholders.services import organisation_create
    from roundtable.stakeholders.tabular import read_table

    def fresh_agency(slug: str) -> Agency:
        agency = Agency.objects.create(name=f"Bench {slug}", slug=slug, kind=Agency.Kind.MUNICIPAL)
        for area in AREAS:
            Area.objects.create(
                agency=agency, name=area.title(), slug=area, kind=Area.Kind.NEIGHBOURHOOD
            )
        return agency

    data = make_csv()

    # Reference: the same reading and checking, then one service call per row.
    reference = fresh_agency("reference")
    areas = {a.pk: a for a in Area.objects.filter(agency=reference)}
    ref_queries = QueryCounter()
    with connection.execute_wrapper(ref_queries):
        started = time.perf_counter()
        checked = validate_table(read_table(data, "map.csv"), agency=reference)
        ref_checked = time.perf_counter()
        with transaction.atomic():
            for row in checked.rows:
                organisation_create(
                    actor=None,
                    agency=reference,
                    name=row.name,
                    category=row.category,
                    sectors=row.sectors,
                    areas=[areas[pk] for pk in row.area_ids],
                    kind=row.kind or Organisation.Kind.ORGANISATION,
                    stance=row.stance or Stance.UNKNOWN,
                    stance_note=row.stance_note,
                    description=row.description,
                    website=row.website,
                    email=row.email,
                    phone=row.phone,
                    external_id=row.external_id or None,
                )
        ref_done = time.perf_counter()
    ref_read, ref_write = ref_checked - started, ref_done - ref_checked

    # Bulk: what `stakeholders import --skip-invalid` does.
    bulk = fresh_agency("bulk")
    bulk_queries = QueryCounter()
    with connection.execute_wrapper(bulk_queries):
        started = time.perf_counter()
        validation = validate_table(read_table(data, "map.csv"), agency=bulk)
        bulk_checked = time.perf_counter()
        counts = organisations_import(
            actor=None,
            agency=bulk,
            rows=validation.rows,
            columns=validation.columns,
            skipped=len(validation.bad_lines),
        )
        bulk_done = time.perf_counter()
    bulk_read, bulk_write = bulk_checked - started, bulk_done - bulk_checked

    made = Organisation.objects.filter(agency=bulk).count()
    picture = ("external_id", "name", "stance", "category")
    same = sorted(Organisation.objects.filter(agency=bulk).values_list(*picture)) == sorted(
        Organisation.objects.filter(agency=reference).values_list(*picture)
    )
    good = len(validation.rows)
    ref_total, bulk_total = ref_read + ref_write, bulk_read + bulk_write
    bad = sorted(validation.bad_lines)
    return {
        "rows in file": f"{ROWS} ({len(bad)} bad, at lines {', '.join(map(str, bad))})",
        "bad rows reported": "; ".join(f"line {p.line} {p.column}" for p in validation.problems),
        "organisations created": (
            f"{counts.created} (in the database: {made}); "
            f"same as the reference: {'yes' if same else 'NO'}"
        ),
        "audit entries (bulk / reference)": (
            f"{AuditEntry.objects.filter(agency=bulk).count()} / "
            f"{AuditEntry.objects.filter(agency=reference).count()}"
        ),
        "bulk: read + check": f"{bulk_read:.2f} s",
        "bulk: write": f"{bulk_write:.2f} s, {bulk_queries.count} queries in all",
        "bulk: total": f"{bulk_total:.2f} s = {good / bulk_total:,.0f} rows/s",
        "reference: read + check": f"{ref_read:.2f} s",
        "reference: write one by one": f"{ref_write:.2f} s, {ref_queries.count} queries in all",
        "reference: total": f"{ref_total:.2f} s = {good / ref_total:,.0f} rows/s",
        "ratio (reference / bulk), total": f"{ref_total / bulk_total:.1f}x",
        "ratio (reference / bulk), writes only": f"{ref_write / bulk_write:.1f}x",
    }
