"""Disclosure control in one place, tried from outside.

1. Structurally: no module under roundtable/ but roundtable/disclosure/ (and
   settings.py, which defines them) reads the small-count thresholds.
2. Through the real public pages: a withheld count is built into the data,
   the pages (and their open-data file) are fetched as anyone would, parsed,
   and a differencing attacker (tests/disclosure/attacker.py) tries to work
   the withheld count out of every figure they publish. It must fail: the
   count could be anything over at least as wide a range as "a small number"
   (1 to 4 with the default minimum of 5). The same attacker pins the count
   when the complementary cells are put back, so it is a real attacker.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.agencies.models import Area
from roundtable.disclosure import minimum_count
from roundtable.incidents import offences, selectors_public
from roundtable.incidents.labels import offence_filter_label
from roundtable.incidents.selectors_report import GROUP_ROWS
from roundtable.inputs.models import Topic
from roundtable.opinions.selectors_map import _hidden_groups
from tests.disclosure.attacker import count_or_none, feasible_range, table_rows
from tests.factories import AreaFactory, InputFactory
from tests.incidents.helpers import AS_OF, many

ROOT = Path(__file__).resolve().parents[2] / "roundtable"
THRESHOLDS = {"ROUNDTABLE_SMALL_CELL", "ROUNDTABLE_SURVEY_MIN_COUNT"}
ALLOWED = {ROOT / "settings.py"}


def _reads_threshold(tree: ast.AST) -> list[int]:
    """Lines that read a threshold: settings.X, getattr(settings, "X"), or the
    name as a string anywhere but a docstring (a text mentioning it is fine)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        getattr(node, "lineno", 0)
        for node in ast.walk(tree)
        if _names_a_threshold(node, docstrings)
    ]


def _names_a_threshold(node: ast.AST, docstrings: set[int]) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in THRESHOLDS
    if isinstance(node, ast.Name):
        return node.id in THRESHOLDS
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return id(node) not in docstrings and any(name in node.value for name in THRESHOLDS)
    return False


def test_only_the_disclosure_layer_reads_the_thresholds():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if path in ALLOWED or (ROOT / "disclosure") in path.parents:
            continue
        lines = _reads_threshold(ast.parse(path.read_text(encoding="utf-8")))
        offenders += [f"{path.relative_to(ROOT.parent)}:{line}" for line in lines]
    assert offenders == [], "read the thresholds through roundtable.disclosure"


def test_the_structural_check_would_catch_a_reader():
    caught = _reads_threshold(
        ast.parse('"""ROUNDTABLE_SMALL_CELL"""\nx = settings.ROUNDTABLE_SMALL_CELL\n')
    )
    assert caught == [2]
    assert _reads_threshold(ast.parse('getattr(settings, "ROUNDTABLE_SURVEY_MIN_COUNT")')) == [1]


def test_the_disclosure_layer_does_read_them(settings):
    settings.ROUNDTABLE_SMALL_CELL = 7
    settings.ROUNDTABLE_SURVEY_MIN_COUNT = 12
    assert minimum_count() == 7 and minimum_count("respondents") == 12


# ---------------------------------------------------------------- the safety report

WINDOWS = ("28d", "28d-prior", "ytd", "ytd-prior")  # the page's numeric columns, in order


def _unit_page(client: Client, agency, area: Area | None) -> dict[str, list[int | None]]:
    url = reverse("incidents_public:report", args=[agency.slug])
    response = client.get(url, {"area": area.pk} if area else {})
    assert response.status_code == 200
    html = response.content.decode()
    return {
        label: [count_or_none(t) for t in texts]
        for label, texts in table_rows(html, 'class="rt-period-table"').items()
    }


@pytest.mark.django_db
def test_a_withheld_area_cannot_be_recovered_from_the_safety_pages(agency, settings):
    """East has 2 thefts. Every page (the city and each district), and the open
    data file, are read; every sum they obey is used (offences into groups,
    groups into crimes, districts plus the unknown incidents in no district
    into the city), and East's thefts still could be anything from 1 to 4."""
    settings.ROUNDTABLE_SMALL_CELL = 5
    north = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name="North")
    south = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name="South")
    east = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name="East")
    plan = {
        "theft": {north: 12, south: 9, east: 2, None: 3},
        "burglary": {north: 6, south: 7, east: 0, None: 0},
        "drugs": {north: 8, south: 5, east: 6, None: 1},
        "simple_assault": {north: 11, south: 0, east: 5, None: 0},
    }
    for offence, by_area in plan.items():
        for area, n in by_area.items():
            many(agency, AS_OF, n, offence, areas=(area,) if area else ())

    client = Client()
    units = {"city": None, "North": north, "South": south, "East": east}
    pages = {name: _unit_page(client, agency, area) for name, area in units.items()}
    # Read the pages as the reader would: row labels back to the report's rows.
    occurring = [o.code for o in offences.OFFENCES if o.code in plan]
    keys = [k for k in [*GROUP_ROWS, *occurring] if offence_filter_label(k) in pages["city"]]
    published: dict[tuple[str, str, str], int | None] = {}
    for name, rows in pages.items():
        for key in keys:
            figures = rows[offence_filter_label(key)]
            for window, value in zip(WINDOWS, figures, strict=True):
                published[(name, key, window)] = value
    assert published[("East", "theft", "28d")] is None  # withheld
    assert (
        "fewer than 5"
        in client.get(
            reverse("incidents_public:report", args=[agency.slug]), {"area": east.pk}
        ).content.decode()
    )

    # The open-data file tells the same figures, never more.
    response = client.get(reverse("opendata:json", args=[agency.slug, "incidents-by-area"]))
    assert response.status_code == 200
    found = response.json()
    records: list[dict[str, Any]] = found["rows"] if isinstance(found, dict) else found
    compared = 0
    for record in records:
        unit = "city" if not record["area"] else str(record["area_name"])
        for side, suffix in (("current", ""), ("prior", "-prior")):
            cell = (unit, str(record["offence"]), str(record["period"]) + suffix)
            assert published[cell] == record[side], cell
            compared += 1
    assert compared == len(published)

    relations = []
    areas = ["North", "South", "East", "elsewhere"]
    unseen = [("elsewhere", k, w) for k in keys for w in WINDOWS]
    for window in WINDOWS:
        for unit in ["city", *areas]:
            for total, parts in selectors_public.sums(keys):
                relations.append(((unit, total, window), [(unit, p, window) for p in parts]))
        for key in keys:
            relations.append((("city", key, window), [(a, key, window) for a in areas]))
    low, high = feasible_range(published, relations, ("East", "theft", "28d"), unseen=unseen)
    assert high - low >= 5 - 2, (low, high)

    # The same attacker against primary suppression alone (only the counts
    # under 5 withheld, the true figures everywhere else): it pins the 2.
    primary_only = {}
    for unit, key, window in published:
        true = _true(plan, units[unit], key) if window in ("28d", "ytd") else 0
        primary_only[(unit, key, window)] = None if 0 < true < 5 else true
    assert feasible_range(primary_only, relations, ("East", "theft", "28d"), unseen=unseen) == (
        2,
        2,
    )


def _true(plan: dict[str, dict[Area | None, int]], area: Area | None, row: str) -> int:
    """The count of a report row in an area (None: the whole city) this period."""
    return sum(
        sum(by_area.values()) if area is None else by_area[area]
        for offence, by_area in plan.items()
        if offences.matches(offence, row)
    )


# ---------------------------------------------------------------- "You said, we did"


@pytest.mark.django_db
def test_a_withheld_area_cannot_be_recovered_from_the_input_figures(agency, settings):
    """Westbank has 2 inputs. The page's two tables (by topic, by area) and the
    overall line are three views of the same inputs; the reader combines them
    with the unknown cross-table (topic × area) and still cannot tell 2 from 1
    or 4."""
    settings.ROUNDTABLE_SMALL_CELL = 5
    east = AreaFactory.create(agency=agency, name="Eastgate")
    west = AreaFactory.create(agency=agency, name="Westbank")
    plan = {
        (Topic.SAFETY_CONCERN, east): 6,
        (Topic.SAFETY_CONCERN, west): 1,
        (Topic.SAFETY_CONCERN, None): 5,
        (Topic.TECHNOLOGY, west): 1,
        (Topic.TECHNOLOGY, None): 7,
        (Topic.POLICY, None): 3,
    }
    for (topic, area), n in plan.items():
        for _ in range(n):
            InputFactory.create(agency=agency, topic=topic, area=area)
    html = Client().get(reverse("inputs_public:answers", args=[agency.slug])).content.decode()
    by_topic = table_rows(html, 'id="by-topic"')
    by_area = table_rows(html, 'id="by-area"')
    topics = [str(t.label) for t in Topic]
    areas = ["Eastgate", "Westbank", "No area given"]
    published: dict[tuple[str, ...], int | None] = {}
    for label in topics:
        published[("topic", label)] = count_or_none(by_topic[label][0])
    for label in areas:
        published[("area", label)] = count_or_none(by_area[label][0])
    overall = html[html.index("<tfoot>") :]
    published[("all", "")] = count_or_none(table_rows(overall, "<tfoot>")["All topics"][0])
    assert published[("area", "Westbank")] is None
    assert published[("topic", str(Topic.POLICY.label))] is None

    relations: list[tuple[Any, list[Any]]] = [
        (("all", ""), [("topic", t) for t in topics]),
        (("all", ""), [("area", a) for a in areas]),
    ]
    # The cross-table the reader does not see: topic t in area a, at least 0 each.
    unseen = [("x", t, a) for t in topics for a in areas]
    relations += [(("topic", t), [("x", t, a) for a in areas]) for t in topics]
    relations += [(("area", a), [("x", t, a) for t in topics]) for a in areas]
    # A topic nobody raised is shown as 0, so its cells are 0 too: the reader may use that.
    low, high = feasible_range(published, relations, ("area", "Westbank"), unseen=unseen)
    assert high - low >= 5 - 2, (low, high)
    low, high = feasible_range(
        published, relations, ("topic", str(Topic.POLICY.label)), unseen=unseen
    )
    assert high - low >= 5 - 2, (low, high)


# ---------------------------------------------------------------- the opinion map


def test_a_small_opinion_group_is_not_everyone_minus_the_groups_shown(settings):
    """50 participants, all in a group: A 30, B 17, C 3. Hiding C alone would
    give it back as 50 − 30 − 17; B is withheld with it. With 30 participants
    in no group (never shown), C alone is safe."""
    settings.ROUNDTABLE_SMALL_CELL = 5
    groups = [{"group": 0, "size": 30}, {"group": 1, "size": 17}, {"group": 2, "size": 3}]
    assert _hidden_groups(groups, 50) == {1, 2}
    assert _hidden_groups(groups, 80) == {2}
    published = {"all": 50, "A": 30, "B": None, "C": None}
    low, high = feasible_range(
        published, [("all", ["loose", "A", "B", "C"])], "C", unseen=["loose"]
    )
    assert high - low >= 5 - 2
