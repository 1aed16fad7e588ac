"""Reference populations: census margins per area, imported from CSV.

Two layouts are read.

**CMAP community-area profiles** (CMAP Community Data Snapshots, ACS
2016–2020, one row per Chicago community area; detected by the header having
`community_area_name` and `A20_34`). Columns read:

- age_band (universe: adults): A20_34 → 18_34, A35_49 → 35_49, A50_64 →
  50_64, A65_74 + A75_84 + OV85 → 65_plus. The profile's bands are UND5,
  A5_19, A20_34 …: 18- and 19-year-olds sit in A5_19 with children and are
  left out, so "18_34" counts people aged 20 to 34 (about one adult in
  twenty-five is missing from the margins; it shifts the age targets very
  little, and guessing a share of A5_19 would be an invention);
- race_ethnicity (universe: people of all ages — the profile has no adult
  breakdown): WHITE, HISP, BLACK, ASIAN, OTHER → white, hispanic, black,
  asian, other (the profile's groups are exclusive: Hispanic of any race,
  then non-Hispanic races);
- income_band (universe: households): INC_LT_25K, INC_25_50K, INC_50_75K,
  INC_75_100K, INC_100_150K, INC_GT_150;
- tenure (universe: households): OWN_OCC_HU → own, RENT_OCC_HU → rent;
- area (universe: adults), category "adults": the sum of the adult age bands,
  the area's weight in a jurisdiction-wide survey.

**Long layout**, `area,characteristic,category,count[,universe]`: one count
per row. characteristic is one of `categories.CATEGORIES` (or "area" with
category "adults"), or two of them joined by "+" for a cross-tabulation
("race_ethnicity+age_band", category "hispanic+18_34"); categories must be
those of `categories.py`. universe is adults, people or households (default:
households for income_band and tenure, adults otherwise). An area without an
"area" row gets the sum of its age bands (else of its first adult
characteristic) as its adult total.

In both layouts an area is matched to one of the agency's areas by name or
slug, ignoring case, spaces, punctuation and a leading "The" ("Loop" matches
CMAP's "The Loop", "ohare" matches "O'Hare"). Rows whose area matches none are
reported in `unmatched_areas`, not refused; a file of which no area matches
is refused. Byte-order marks and CR or CRLF line endings are handled.
"""

from __future__ import annotations

import csv
import io
import math
import re
from _csv import Reader
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record
from roundtable.surveys.categories import CATEGORIES, category_values
from roundtable.surveys.models import Characteristic, PopulationMargin, ReferencePopulation

Universe = PopulationMargin.Universe
AREA_TOTAL = "adults"  # the category of an area's own margin (characteristic "area")
ERROR_CAP = 20

# CMAP column(s) → (characteristic, category, universe)
CMAP_COLUMNS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("A20_34",), Characteristic.AGE_BAND, "18_34", Universe.ADULTS),
    (("A35_49",), Characteristic.AGE_BAND, "35_49", Universe.ADULTS),
    (("A50_64",), Characteristic.AGE_BAND, "50_64", Universe.ADULTS),
    (("A65_74", "A75_84", "OV85"), Characteristic.AGE_BAND, "65_plus", Universe.ADULTS),
    (("WHITE",), Characteristic.RACE_ETHNICITY, "white", Universe.PEOPLE),
    (("HISP",), Characteristic.RACE_ETHNICITY, "hispanic", Universe.PEOPLE),
    (("BLACK",), Characteristic.RACE_ETHNICITY, "black", Universe.PEOPLE),
    (("ASIAN",), Characteristic.RACE_ETHNICITY, "asian", Universe.PEOPLE),
    (("OTHER",), Characteristic.RACE_ETHNICITY, "other", Universe.PEOPLE),
    (("INC_LT_25K",), Characteristic.INCOME_BAND, "lt_25k", Universe.HOUSEHOLDS),
    (("INC_25_50K",), Characteristic.INCOME_BAND, "25_50k", Universe.HOUSEHOLDS),
    (("INC_50_75K",), Characteristic.INCOME_BAND, "50_75k", Universe.HOUSEHOLDS),
    (("INC_75_100K",), Characteristic.INCOME_BAND, "75_100k", Universe.HOUSEHOLDS),
    (("INC_100_150K",), Characteristic.INCOME_BAND, "100_150k", Universe.HOUSEHOLDS),
    (("INC_GT_150",), Characteristic.INCOME_BAND, "gt_150k", Universe.HOUSEHOLDS),
    (("OWN_OCC_HU",), Characteristic.TENURE, "own", Universe.HOUSEHOLDS),
    (("RENT_OCC_HU",), Characteristic.TENURE, "rent", Universe.HOUSEHOLDS),
)
CMAP_NAME = "community_area_name"
LONG_COLUMNS = ("area", "characteristic", "category", "count")
HOUSEHOLD_CHARACTERISTICS = frozenset({Characteristic.INCOME_BAND, Characteristic.TENURE})
# Which characteristic an area's adult total is summed from when the file gives none.
TOTAL_FROM = (Characteristic.AGE_BAND, Characteristic.GENDER, Characteristic.RACE_ETHNICITY)

Cell = tuple[int, str, str]  # (area id, characteristic, category)


@dataclass
class _Cells:
    counts: dict[Cell, float]
    universes: dict[Cell, str]
    unmatched: list[str]


def area_key(text: str) -> str:
    """A name or slug reduced for matching: lower case, letters and digits, no leading "the"."""
    words = re.findall(r"[^\W_]+", text.casefold().replace("'", "").replace("’", ""))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


class _AreaMatcher:
    def __init__(self, agency: Agency) -> None:
        self.areas: dict[str, Area] = {}
        for area in Area.objects.filter(agency=agency).order_by("name", "pk"):
            for key in (area_key(area.name), area_key(area.slug)):
                self.areas.setdefault(key, area)

    def match(self, name: str) -> Area | None:
        return self.areas.get(area_key(name))


def _number(text: str | None, where: str) -> float:
    try:
        value = float((text or "").strip().replace(",", ""))
    except ValueError:
        raise ValidationError(
            _("%(where)s: %(text)r is not a number.") % {"where": where, "text": text}
        ) from None
    if value < 0 or not math.isfinite(value):
        raise ValidationError(
            _("%(where)s: a count cannot be %(text)s.") % {"where": where, "text": text}
        )
    return value


def _rows(text: str) -> tuple[list[str], Reader]:
    # newline="": the reader itself ends records at CR, LF or CRLF (files from Excel on a Mac).
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [name.strip() for name in next(reader, [])]
    return header, reader


def _read_cmap(header: list[str], reader: Reader, matcher: _AreaMatcher) -> _Cells:
    index = {name.upper(): position for position, name in enumerate(header)}
    needed = {CMAP_NAME.upper()} | {c for columns, *_rest in CMAP_COLUMNS for c in columns}
    missing = sorted(needed - set(index))
    if missing:
        raise ValidationError(
            _("This looks like a CMAP community-area profile but has no column %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    cells = _Cells({}, {}, [])
    errors: list[str] = []
    for record in reader:
        if not any(field.strip() for field in record):
            continue
        line = reader.line_num
        try:
            name = record[index[CMAP_NAME.upper()]].strip()
            area = matcher.match(name)
            if area is None:
                cells.unmatched.append(name)
                continue
            for columns, characteristic, category, universe in CMAP_COLUMNS:
                where = _("line %(line)s, %(column)s") % {"line": line, "column": "+".join(columns)}
                total = sum(_number(record[index[c]], where) for c in columns)
                _put(cells, (area.pk, characteristic, category), total, universe, line)
        except (ValidationError, IndexError) as error:
            errors.append(_message(error, line))
            if len(errors) >= ERROR_CAP:
                break
    if errors:
        raise ValidationError(errors)
    return cells


def _message(error: Exception, line: int) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return _("line %(line)s has too few columns.") % {"line": line}


def _put(cells: _Cells, cell: Cell, count: float, universe: str, line: int) -> None:
    if cell in cells.counts:
        raise ValidationError(
            _("line %(line)s repeats %(characteristic)s = %(category)s for an area already given.")
            % {"line": line, "characteristic": cell[1], "category": cell[2]}
        )
    cells.counts[cell] = count
    cells.universes[cell] = universe


def _check_cell(characteristic: str, category: str) -> str | None:
    """Why a (characteristic, category) of the long layout is refused, or None."""
    if characteristic == Characteristic.AREA:
        if category != AREA_TOTAL:
            return _('an "area" row needs the category "adults".')
        return None
    parts, values = characteristic.split("+"), category.split("+")
    if len(parts) > 2 or len(parts) != len(values) or len(set(parts)) != len(parts):
        return _("%(characteristic)s = %(category)s is not a characteristic and its category.") % {
            "characteristic": characteristic,
            "category": category,
        }
    for part, value in zip(parts, values, strict=True):
        if part not in CATEGORIES:
            return _("%(characteristic)s is not one of %(known)s.") % {
                "characteristic": part,
                "known": ", ".join(CATEGORIES),
            }
        if value not in category_values(part):
            return _("%(category)s is not a category of %(characteristic)s (%(known)s).") % {
                "category": value,
                "characteristic": part,
                "known": ", ".join(category_values(part)),
            }
    return None


def _default_universe(characteristic: str) -> str:
    parts = set(characteristic.split("+"))
    return Universe.HOUSEHOLDS if parts <= HOUSEHOLD_CHARACTERISTICS else Universe.ADULTS


def _read_long(header: list[str], reader: Reader, matcher: _AreaMatcher) -> _Cells:
    index = {name.lower(): position for position, name in enumerate(header)}
    cells = _Cells({}, {}, [])
    errors: list[str] = []
    unmatched: dict[str, None] = {}
    for record in reader:
        if not any(field.strip() for field in record):
            continue
        line = reader.line_num
        try:
            name, characteristic, category, count_text = (
                record[index[c]].strip() for c in LONG_COLUMNS
            )
            # The universe may be left off a row even when the header has the column.
            position = index.get("universe", len(record))
            universe = record[position].strip().lower() if position < len(record) else ""
        except IndexError as error:
            errors.append(_message(error, line))
            continue
        problem = _check_cell(characteristic, category)
        universe = universe or _default_universe(characteristic)
        if problem is None and universe not in Universe.values:
            problem = _("the universe %(universe)s is not one of %(known)s.") % {
                "universe": universe,
                "known": ", ".join(Universe.values),
            }
        try:
            if problem is not None:
                raise ValidationError(_("line %(line)s: ") % {"line": line} + problem)
            count = _number(count_text, _("line %(line)s") % {"line": line})
            area = matcher.match(name)
            if area is None:
                unmatched[name] = None
                continue
            _put(cells, (area.pk, characteristic, category), count, universe, line)
        except ValidationError as error:
            errors.append(_message(error, line))
        if len(errors) >= ERROR_CAP:
            break
    if errors:
        raise ValidationError(errors)
    cells.unmatched = list(unmatched)
    _add_area_totals(cells)
    return cells


def _add_area_totals(cells: _Cells) -> None:
    """Give every area without an "area" row the sum of one of its adult characteristics."""
    area_ids = {area_id for area_id, _c, _v in cells.counts}
    for area_id in area_ids:
        if (area_id, Characteristic.AREA, AREA_TOTAL) in cells.counts:
            continue
        present = {
            c for (a, c, _v), u in cells.universes.items() if a == area_id and u == Universe.ADULTS
        }
        source = next((c for c in TOTAL_FROM if c in present), None)
        if source is None:
            continue  # the area only has household or all-ages counts: it cannot be weighted on
        total = sum(
            count for (a, c, _v), count in cells.counts.items() if a == area_id and c == source
        )
        cells.counts[(area_id, Characteristic.AREA, AREA_TOTAL)] = total
        cells.universes[(area_id, Characteristic.AREA, AREA_TOTAL)] = Universe.ADULTS


def _add_cmap_area_totals(cells: _Cells) -> None:
    for area_id in {area_id for area_id, _c, _v in cells.counts}:
        total = sum(
            count
            for (a, c, _v), count in cells.counts.items()
            if a == area_id and c == Characteristic.AGE_BAND
        )
        cells.counts[(area_id, Characteristic.AREA, AREA_TOTAL)] = total
        cells.universes[(area_id, Characteristic.AREA, AREA_TOTAL)] = Universe.ADULTS


def detect_layout(header: list[str]) -> str:
    names = {name.strip().lower() for name in header}
    if CMAP_NAME in names and "a20_34" in names:
        return "cmap"
    if set(LONG_COLUMNS) <= names:
        return "long"
    return ""


@transaction.atomic
def population_import(
    *, agency: Agency, actor: User | None, name: str, source: str, text: str
) -> ReferencePopulation:
    """A reference population from a CMAP profile or a long-layout CSV (see the module)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the reference population a name.")})
    header, reader = _rows(text)
    layout = detect_layout(header)
    matcher = _AreaMatcher(agency)
    if layout == "cmap":
        cells = _read_cmap(header, reader, matcher)
        _add_cmap_area_totals(cells)
    elif layout == "long":
        cells = _read_long(header, reader, matcher)
    else:
        raise ValidationError(
            _(
                "The file is neither a CMAP community-area profile (columns community_area_name, "
                "A20_34, HISP …) nor in the layout area,characteristic,category,count[,universe]."
            )
        )
    if not cells.counts:
        raise ValidationError(
            _("No area in the file matches one of the agency's areas (the file names %(names)s).")
            % {"names": ", ".join(cells.unmatched[:10]) or _("none")}
        )
    population = ReferencePopulation.objects.create(
        agency=agency,
        name=name[:200],
        source=source.strip()[:300],
        imported_by=actor,
        unmatched_areas=cells.unmatched,
    )
    PopulationMargin.objects.bulk_create(
        PopulationMargin(
            population=population,
            area_id=area_id,
            characteristic=characteristic,
            category=category,
            count=count,
            universe=cells.universes[(area_id, characteristic, category)],
        )
        for (area_id, characteristic, category), count in cells.counts.items()
    )
    audit_record(
        actor=actor,
        agency=agency,
        action="surveys.population_import",
        instance=population,
        after={
            "name": population.name,
            "source": population.source,
            "layout": layout,
            "areas": len({area_id for area_id, _c, _v in cells.counts}),
            "margins": len(cells.counts),
            "unmatched_areas": cells.unmatched,
        },
    )
    return population


def population_margins(
    population: ReferencePopulation, characteristic: str
) -> dict[tuple[int, str], float]:
    """{(area id, category): count} of one characteristic (or "a+b" cross-tab); one query."""
    return {
        (area_id, category): count
        for area_id, category, count in PopulationMargin.objects.filter(
            population=population, characteristic=characteristic
        ).values_list("area_id", "category", "count")
    }


def newest_population(agency_id: int) -> ReferencePopulation | None:
    return (
        ReferencePopulation.objects.filter(agency_id=agency_id)
        .order_by("-imported_at", "-pk")
        .first()
    )
