"""The CompStat period report, the weekly trend and the public report with
small-cell and complementary suppression (including the differencing attack)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from roundtable.agencies.models import Area
from roundtable.incidents import selectors_public, selectors_report
from roundtable.incidents.selectors_public import complementary_suppression
from tests.factories import AreaFactory
from tests.incidents.helpers import AS_OF, incident, many

pytestmark = pytest.mark.django_db

YEAR_BACK = dt.timedelta(days=364)


def _row(report, key):
    return next(r for r in report.rows if r.key == key)


def _cell(row, period):
    return next(c for c in row.cells if c.period == period)


def test_period_report_counts_each_window_and_a_year_earlier(agency):
    incident(agency, AS_OF)  # week, 28d, ytd
    incident(agency, AS_OF - dt.timedelta(days=10))  # 28d, ytd
    incident(agency, dt.date(2024, 1, 2))  # ytd only
    # 52 weeks back (16 March 2023): the week and 28 days a year earlier, but past
    # the year-to-date span a year earlier (1 January to 14 March 2023).
    incident(agency, AS_OF - YEAR_BACK)
    incident(agency, dt.date(2023, 1, 5))  # year to date a year earlier only
    incident(agency, AS_OF + dt.timedelta(days=1))  # after the report day: nowhere
    report = selectors_report.period_report(agency=agency, as_of=AS_OF)
    theft = _row(report, "theft")
    assert (_cell(theft, "week").current, _cell(theft, "week").prior) == (1, 1)
    assert (_cell(theft, "28d").current, _cell(theft, "28d").prior) == (2, 1)
    assert (_cell(theft, "ytd").current, _cell(theft, "ytd").prior) == (3, 1)
    assert _cell(theft, "ytd").change.difference == 2


def test_group_rows_sum_their_offences_and_only_occurring_offences_are_listed(agency):
    many(agency, AS_OF, 2, "robbery")
    many(agency, AS_OF, 3, "burglary")
    incident(agency, AS_OF, "drugs")
    incident(agency, AS_OF, "non_criminal")
    report = selectors_report.period_report(agency=agency, as_of=AS_OF)
    keys = [r.key for r in report.rows]
    assert keys[:6] == list(selectors_report.GROUP_ROWS)
    assert keys[6:] == ["robbery", "burglary", "drugs", "non_criminal"]
    week = {r.key: _cell(r, "week").current for r in report.rows}
    assert week["crimes"] == 6  # the service call is not a crime
    assert week["violent"] == 2
    assert week["property-crime"] == 3
    assert week["against-property"] == 5  # robbery harms property too
    assert week["against-society"] == 1
    assert week["against-persons"] == 0


def test_report_for_an_area_counts_only_its_incidents(agency):
    inside = AreaFactory.create(agency=agency)
    incident(agency, AS_OF, areas=(inside,))
    incident(agency, AS_OF)
    report = selectors_report.period_report(agency=agency, area=inside, as_of=AS_OF)
    assert _cell(_row(report, "crimes"), "28d").current == 1


def test_as_of_defaults_to_the_latest_incident_day_for_historical_data(agency, other_agency):
    incident(agency, dt.date(2014, 3, 15))
    incident(other_agency, dt.date(2020, 1, 1))
    report = selectors_report.period_report(agency=agency)
    assert report.as_of == dt.date(2014, 3, 15)


def test_significance_is_flagged_only_for_a_real_change(agency):
    many(agency, AS_OF, 30)
    many(agency, AS_OF - YEAR_BACK, 5)
    incident(agency, AS_OF, "drugs")
    incident(agency, AS_OF - YEAR_BACK, "drugs")
    incident(agency, AS_OF - YEAR_BACK - dt.timedelta(days=1), "drugs")
    report = selectors_report.period_report(agency=agency, as_of=AS_OF)
    theft = _cell(_row(report, "theft"), "28d").change
    drugs = _cell(_row(report, "drugs"), "28d").change
    assert theft.significant and theft.direction == "up"
    assert not drugs.significant and drugs.direction == "flat"


def test_report_queries_do_not_grow_with_rows_or_areas(agency, django_assert_max_num_queries):
    areas = AreaFactory.create_batch(3, agency=agency)
    for code, area in zip(
        ["theft", "robbery", "drugs", "burglary", "fraud"], itertools.cycle(areas)
    ):
        many(agency, AS_OF, 2, code, areas=(area,))
    with django_assert_max_num_queries(2):
        selectors_report.period_report(agency=agency, as_of=AS_OF)
    with django_assert_max_num_queries(6):
        selectors_public.public_report(agency=agency, as_of=AS_OF)


def test_weekly_trend_bins_weeks_ending_on_the_report_day(agency):
    incident(agency, AS_OF)
    incident(agency, AS_OF - dt.timedelta(days=6))  # same last week
    incident(agency, AS_OF - dt.timedelta(days=7))  # the week before
    incident(agency, AS_OF - YEAR_BACK)  # last week, a year earlier
    incident(agency, AS_OF, "non_criminal")  # not a crime
    trend = selectors_report.weekly_trend(agency=agency, as_of=AS_OF)
    assert len(trend.current) == 52 and trend.week_ends[-1] == AS_OF
    assert trend.current[-1] == 2 and trend.current[-2] == 1
    assert trend.prior[-1] == 1 and sum(trend.prior) == 1


# --- suppression ----------------------------------------------------------------


def test_complementary_suppression_never_leaves_one_hidden_cell_in_a_sum():
    values = {"total": 20, "a": 2, "b": 8, "c": 10}
    relations = [("total", ["a", "b", "c"])]
    hidden = complementary_suppression(values, relations, 5)
    assert "a" in hidden
    # The next smallest is withheld too, so total - b - c is no longer a.
    assert hidden == {"a", "b"}


def test_complementary_suppression_shows_zeros_and_falls_back_to_the_total():
    values = {"total": 3, "a": 3, "b": 0}
    hidden = complementary_suppression(values, [("total", ["a", "b"])], 5)
    assert hidden == {"a", "total"}  # b = 0 stays: an empty cell discloses nobody


def test_complementary_suppression_follows_chains_of_sums():
    values = {"t": 30, "x": 3, "y": 12, "u": 12, "v": 6, "w": 6}
    # t = x + y ; y = u + ... no: y is itself a total of v + w
    relations = [("t", ["x", "y", "u"]), ("y", ["v", "w"])]
    hidden = complementary_suppression(values, relations, 5)
    for total, parts in relations:
        assert [c in hidden for c in [total, *parts]].count(True) != 1


def _public_figure(unit, key, period="28d", side="current"):
    cell = next(c for c in unit.row(key).cells if c.period == period)
    return getattr(cell, side)


def test_public_report_leaves_out_sensitive_incidents_and_their_rows(agency):
    many(agency, AS_OF, 6)
    many(agency, AS_OF, 7, "sexual_assault")
    many(agency, AS_OF, 6, "simple_assault", sensitive=True)  # a domestic assault
    report = selectors_public.public_report(agency=agency, as_of=AS_OF)
    unit = report.units[0]
    keys = [r.key for r in unit.rows]
    assert "sexual_assault" not in keys and "simple_assault" not in keys
    assert "violent" not in keys and "against-persons" not in keys  # nothing left in them
    assert _public_figure(unit, "theft") == 6
    assert _public_figure(unit, "crimes") == 6


def test_public_report_withholds_small_counts(agency):
    many(agency, AS_OF, 3)
    report = selectors_public.public_report(agency=agency, as_of=AS_OF)
    assert _public_figure(report.units[0], "theft") is None
    assert _public_figure(report.units[0], "crimes") is None


def test_differencing_attack_cannot_recover_a_withheld_offence(agency):
    """theft 10, burglary 8, robbery 2 (withheld): property-crime and
    against-property are shown totals; subtracting the shown parts must not
    give robbery back."""
    many(agency, AS_OF, 10)
    many(agency, AS_OF, 8, "burglary")
    many(agency, AS_OF, 2, "robbery")
    many(agency, AS_OF, 6, "drugs")
    report = selectors_public.public_report(agency=agency, as_of=AS_OF)
    unit = report.units[0]
    shown = {r.key: _public_figure(unit, r.key) for r in unit.rows}
    assert shown["robbery"] is None
    relations = selectors_public.sums(list(shown))
    for total, parts in relations:
        unknown = [c for c in [total, *parts] if shown[c] is None]
        assert len(unknown) != 1, (total, parts, shown)
    # The attack spelt out: a shown total minus shown parts never isolates robbery.
    if shown["against-property"] is not None:
        assert shown["theft"] is None or shown["burglary"] is None


def test_differencing_across_areas_cannot_recover_a_withheld_area(agency):
    north = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name="North")
    south = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name="South")
    east = AreaFactory.create(agency=agency, kind=Area.Kind.DISTRICT, name="East")
    many(agency, AS_OF, 12, areas=(north,))
    many(agency, AS_OF, 9, areas=(south,))
    many(agency, AS_OF, 2, areas=(east,))
    report = selectors_public.public_report(agency=agency, as_of=AS_OF)
    assert report.kind == "district"
    figures = [_public_figure(u, "theft") for u in report.units]
    agency_total, *by_area = figures
    assert by_area[[u.name for u in report.units[1:]].index("East")] is None
    # Either the total or a second area is withheld too.
    assert agency_total is None or sum(v is None for v in by_area) >= 2


def test_public_change_is_shown_only_when_both_counts_are(agency):
    many(agency, AS_OF, 9)
    many(agency, AS_OF - YEAR_BACK, 2)
    report = selectors_public.public_report(agency=agency, as_of=AS_OF)
    theft = report.units[0].row("theft")
    assert theft is not None
    cell = next(c for c in theft.cells if c.period == "28d")
    assert cell.current == 9 and cell.prior is None and cell.change is None
