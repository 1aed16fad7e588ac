"""311 import into the response ledger: 5,000 rows, bulk path against one-by-one.

The bulk path is what the import page and `roundtable inputs import` run:
read, map and check every row, then `inputs_import` (a few bulk inserts, an
audit entry per input inserted in bulk, one for the import). The reference
stores the same checked rows one at a time through `input_create`, the
per-input service every other channel uses, inside one transaction, so the
difference measured is the per-row queries, not a commit per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import bench
from bench.import_map import QueryCounter

ROWS = 5000
HEADER = ["Service Request Id", "Created Date", "Description", "Neighborhood"]
# Field -> column, as the mapping page sends it (headers in their normalised form).
MAPPING = {
    "external_id": "service_request_id",
    "received_at": "created_date",
    "text": "description",
    "area": "neighborhood",
}
AREAS = ("Millbrook", "Cedar Heights", "Southbank")


def make_csv() -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    # Every 97 minutes back from a year ago: 5,000 rows span 337 days, none in the future.
    start = dt.datetime.now() - dt.timedelta(days=365)
    for n in range(ROWS):
        when = start + dt.timedelta(minutes=97 * n)
        writer.writerow(
            [
                f"SR26-{n:07d}",
                when.strftime("%m/%d/%Y %I:%M:%S %p"),
                f"Streetlight out on block {n % 400} for {n % 9 + 1} days; dark at the bus stop.",
                AREAS[n % 3],
            ]
        )
    return out.getvalue().encode("utf-8")


def run() -> dict[str, str]:
    bench.setup_django()
    from django.db import connection, transaction

    from roundtable.accounts.models import User
    from roundtable.agencies.models import Agency, Area
    from roundtable.audit.models import AuditEntry
    from roundtable.inputs.importing import Validation, inputs_import, read, validate
    from roundtable.inputs.models import Input, InputChannel, Topic
    from roundtable.inputs.services import input_create

    def fresh_agency(slug: str) -> Agency:
        agency = Agency.objects.create(name=f"Bench {slug}", slug=slug, kind=Agency.Kind.MUNICIPAL)
        for name in AREAS:
            Area.objects.create(
                agency=agency, name=name, slug=name.lower().replace(" ", "-"), kind="neighbourhood"
            )
        return agency

    data = make_csv()
    coordinator = User.objects.create(username="bench-coordinator")

    def checked(agency: Agency) -> Validation:
        return validate(
            read(data, "311.csv"),
            agency=agency,
            channel=InputChannel.THREE_ONE_ONE,
            mapping=MAPPING,
            default_topic=Topic.SAFETY_CONCERN,
            default_language="en",
        )

    reference = fresh_agency("inputs-reference")
    ref_queries = QueryCounter()
    with connection.execute_wrapper(ref_queries):
        started = time.perf_counter()
        ref_validation = checked(reference)
        ref_checked = time.perf_counter()
        with transaction.atomic():
            for row in ref_validation.rows:
                input_create(
                    agency=reference,
                    channel=InputChannel.THREE_ONE_ONE,
                    topic=row.topic,
                    text=row.text,
                    language=row.language,
                    area=row.area,
                    recorded_by=coordinator,
                    external_id=row.external_id or None,
                    received_at=row.received_at,
                )
        ref_done = time.perf_counter()

    bulk = fresh_agency("inputs-bulk")
    bulk_queries = QueryCounter()
    with connection.execute_wrapper(bulk_queries):
        started_bulk = time.perf_counter()
        validation = checked(bulk)
        bulk_checked = time.perf_counter()
        counts = inputs_import(
            actor=coordinator,
            agency=bulk,
            channel=InputChannel.THREE_ONE_ONE,
            rows=validation.rows,
            rows_in_file=validation.total,
        )
        bulk_done = time.perf_counter()

    # Not answer_by: an import counts due dates from the day of the import
    # (old rows would arrive overdue), input_create from each row's received_at,
    # so the two paths differ there by design.
    picture = ("external_id", "text", "received_at", "area__name", "moderation")
    same = sorted(Input.objects.filter(agency=bulk).values_list(*picture)) == sorted(
        Input.objects.filter(agency=reference).values_list(*picture)
    )
    codes = Input.objects.filter(agency__in=[bulk, reference]).values_list(
        "receipt_code", flat=True
    )
    ref_write, bulk_write = ref_done - ref_checked, bulk_done - bulk_checked
    ref_total, bulk_total = ref_done - started, bulk_done - started_bulk
    return {
        "rows in file": f"{ROWS} ({len(validation.problems)} problems found)",
        "inputs created": (
            f"{counts.created}; same as the reference: {'yes' if same else 'NO'}; "
            f"receipt codes distinct: {'yes' if len(set(codes)) == len(codes) else 'NO'}"
        ),
        "audit entries (bulk / reference)": (
            f"{AuditEntry.objects.filter(agency=bulk).count()} / "
            f"{AuditEntry.objects.filter(agency=reference).count()}"
        ),
        "bulk: write": f"{bulk_write:.2f} s, {bulk_queries.count} queries in all",
        "bulk: total": f"{bulk_total:.2f} s = {counts.created / bulk_total:,.0f} rows/s",
        "reference: write one by one": f"{ref_write:.2f} s, {ref_queries.count} queries in all",
        "reference: total": (
            f"{ref_total:.2f} s = {len(ref_validation.rows) / ref_total:,.0f} rows/s"
        ),
        "ratio (reference / bulk), total": f"{ref_total / bulk_total:.1f}x",
        "ratio (reference / bulk), writes only": f"{ref_write / bulk_write:.1f}x",
    }
