"""Importing a perception series: the Chicago Police Sentiment Scores layout.

Columns used: ORG_LEVEL, CITY, AREA, DISTRICT, SECTOR, SAFETY, TRUST,
START_DATE, END_DATE (MM/DD/YYYY). The published file says ORG_LEVEL "Other"
on every row, so the level is the deepest of CITY > AREA > DISTRICT > SECTOR
that is filled in (an explicit city/area/district/sector ORG_LEVEL wins).
Each unit is matched to one of the agency's areas ("14" -> "district-14",
"District 14", "014" or "14"); units without a match are kept with no area
under their own label, so a later boundary import can still be matched by hand.
Re-importing updates in place: one score per (agency, source, unit, period start).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record
from roundtable.incidents.models import ImportRun, SentimentScore

REQUIRED = ("CITY", "AREA", "DISTRICT", "SECTOR", "SAFETY", "TRUST", "START_DATE", "END_DATE")
LEVELS = ("sector", "district", "area", "city")
DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")
ERROR_CAP = 100
BATCH = 2_000


@dataclass(frozen=True)
class _Row:
    line: int
    unit: str
    level: str
    value: str
    period_start: dt.date
    period_end: dt.date
    safety: float | None
    trust: float | None


def _date(text: str) -> dt.date:
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (MM/DD/YYYY)")


def _score(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    value = float(text)
    if not 0 <= value <= 100:
        raise ValueError(f"{text} is not a score from 0 to 100")
    return value


def _level(row: dict[str, str]) -> tuple[str, str]:
    """(level, the unit's own value) for a row."""
    declared = (row.get("ORG_LEVEL") or "").strip().lower()
    if declared in LEVELS:
        return declared, (row.get(declared.upper()) or "").strip()
    for level in LEVELS:
        value = (row.get(level.upper()) or "").strip()
        if value:
            return level, value
    return "city", ""


def _unit(level: str, value: str) -> str:
    if level == "city":
        return "city"
    if level == "area" and value.lower().startswith("area"):
        return value  # "area_2" already says what it is
    return f"{level} {value}"


def _candidates(level: str, value: str) -> list[tuple[str, bool]]:
    """(slug or case-folded name, whether it names the level) an area may have, best first.

    "district 14" names its level and may match an area of any kind; a bare
    "14" or "014" only matches an area of the level's own kind.
    """
    if level == "city":
        return []
    bare = value.lower().removeprefix(level).strip(" _-")
    forms = [bare]
    if bare.isdigit():
        forms += [str(int(bare)), f"{int(bare):03d}"]
    out: list[tuple[str, bool]] = []
    for form in forms:
        out += [(slugify(f"{level} {form}"), True), (f"{level} {form}", True)]
    for form in forms:
        out += [(slugify(form), False), (form, False)]
    return list(dict.fromkeys(out))


class _Matcher:
    def __init__(self, agency: Agency) -> None:
        areas = list(Area.objects.filter(agency=agency))
        self.keys: dict[str, list[Area]] = {}
        for area in areas:
            for key in {area.slug, area.name.casefold()}:
                self.keys.setdefault(key, []).append(area)
        self.cache: dict[tuple[str, str], Area | None] = {}

    def match(self, level: str, value: str) -> Area | None:
        if (level, value) not in self.cache:
            found: Area | None = None
            for key, named in _candidates(level, value):
                areas = self.keys.get(key, [])
                # "14" may be both a beat's and a district's name: prefer the level's kind.
                same = [a for a in areas if a.kind == level]
                if same or (named and areas):
                    found = (same or areas)[0]
                    break
            self.cache[(level, value)] = found
        return self.cache[(level, value)]


def _read(path: Path, run: ImportRun) -> tuple[dict[tuple[str, dt.date], _Row], int]:
    """Rows by (unit, period start), the last of duplicates winning; and the duplicates."""
    rows: dict[tuple[str, dt.date], _Row] = {}
    duplicates = 0
    errors: list[dict[str, Any]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f"{path.name} is not in the Police Sentiment Scores layout: no column "
                f"{', '.join(missing)}."
            )
        for record in reader:
            run.rows += 1
            line = reader.line_num
            level, value = _level(record)
            column = "START_DATE"
            try:
                start = _date(record["START_DATE"])
                column = "END_DATE"
                end = _date(record["END_DATE"])
                column = "SAFETY"
                safety = _score(record["SAFETY"])
                column = "TRUST"
                trust = _score(record["TRUST"])
            except ValueError as error:
                run.skipped += 1
                errors.append({"line": line, "column": column, "reason": str(error)})
                continue
            unit = _unit(level, value)
            if (unit, start) in rows:
                duplicates += 1
            rows[(unit, start)] = _Row(line, unit, level, value, start, end, safety, trust)
    run.error_total = len(errors)
    run.errors = errors[:ERROR_CAP]
    return rows, duplicates


def sentiment_import(
    *,
    agency: Agency,
    path: Path,
    actor: User | None = None,
    source: str = "Chicago Police Sentiment Scores",
) -> ImportRun:
    """Scores per unit and period into SentimentScore; a FAILED run when the layout is wrong."""
    path = Path(path)
    run = ImportRun.objects.create(
        agency=agency,
        kind=ImportRun.Kind.SENTIMENT,
        status=ImportRun.Status.RUNNING,
        profile="police_sentiment_scores",
        file_name=path.name[:255],
        started_by=actor,
    )
    try:
        rows, duplicates = _read(path, run)
        with transaction.atomic():
            _write(run=run, agency=agency, rows=rows, duplicates=duplicates, source=source)
            audit_record(
                actor=actor,
                agency=agency,
                action="incidents.sentiment_import",
                instance=run,
                after={"file": run.file_name, "source": source, "rows": run.rows},
            )
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as error:
        run.status = ImportRun.Status.FAILED
        run.message = str(error)[:2000]
        run.finished_at = timezone.now()
        run.save()
    return run


def _write(
    *,
    run: ImportRun,
    agency: Agency,
    rows: dict[tuple[str, dt.date], _Row],
    duplicates: int,
    source: str,
) -> None:
    existing = set(
        SentimentScore.objects.filter(agency=agency, source=source).values_list(
            "unit", "period_start"
        )
    )
    matcher = _Matcher(agency)
    scores = []
    unmatched: set[str] = set()
    units: set[str] = set()
    for row in rows.values():
        area = matcher.match(row.level, row.value)
        units.add(row.unit)
        if area is None and row.level != "city":
            unmatched.add(row.unit)
        scores.append(
            SentimentScore(
                agency=agency,
                area=area,
                unit=row.unit[:100],
                period_start=row.period_start,
                period_end=row.period_end,
                safety=row.safety,
                trust=row.trust,
                source=source[:200],
                import_run=run,
            )
        )
    SentimentScore.objects.bulk_create(
        scores,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["agency", "source", "unit", "period_start"],
        update_fields=["area", "period_end", "safety", "trust", "import_run"],
    )
    new = sum(1 for key in rows if key not in existing)
    run.imported = new
    run.status = ImportRun.Status.DONE
    run.message = (
        f"{len(rows)} scores ({new} new, {len(rows) - new} updated), {duplicates} repeated "
        f"rows folded; {len(units)} units, {len(unmatched)} without a matching area"
        f"{': ' + ', '.join(sorted(unmatched)[:30]) if unmatched else ''}."
    )
    run.finished_at = timezone.now()
    run.save()


def unmatched_units(run: ImportRun) -> list[str]:
    """The units of an import that no area of the agency matched (the city level aside)."""
    return sorted(
        SentimentScore.objects.filter(import_run=run, area__isnull=True)
        .filter(~Q(unit="city"))
        .order_by("unit")
        .values_list("unit", flat=True)
        .distinct()
    )
