"""Importing figures from a file: precise errors with line numbers, the whole
file or nothing, and the files Excel writes (BOM, CR line ends, semicolons)."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable.audit.models import AuditEntry
from roundtable.measures.models import MeasureValue, Source, ValueSource
from roundtable.measures.services import measure_choose
from roundtable.measures.services_values import value_delete, value_record, values_import_csv
from tests.factories import AreaFactory, MeasureFactory, MeasureValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(agency, casey):
    north = AreaFactory.create(agency=agency, name="North District", slug="north")
    AreaFactory.create(agency=agency, name="South District", slug="south")
    clearance = measure_choose(actor=casey, agency=agency, catalogue_key="clearance_rate")
    force = measure_choose(
        actor=casey, agency=agency, catalogue_key="force_incidents", by_area=True
    )
    computed = measure_choose(actor=casey, agency=agency, catalogue_key="violent_crime")
    return {"clearance": clearance, "force": force, "computed": computed, "north": north}


def run(agency, casey, text: str, name: str = "figures.csv", encoding: str = "utf-8"):
    return values_import_csv(actor=casey, agency=agency, data=text.encode(encoding), file_name=name)


def test_a_good_file_is_imported_whole(agency, casey, measures):
    report = run(
        agency,
        casey,
        "measure,period,area,value,count,base\n"
        "clearance_rate,2026-Q2,,41.5,83,200\n"
        "Use-of-force incidents,2026-09,North District,7,,\n"
        "force_incidents,2026-09,south,12,,\n"
        "force_incidents,2026-09,,19,,\n",
    )
    assert report.ok, report.problems
    assert (report.rows, report.created, report.replaced) == (4, 4, 0)
    clearance = MeasureValue.objects.get(measure=measures["clearance"])
    assert clearance.period_start == dt.date(2026, 4, 1)
    assert (clearance.value, clearance.numerator, clearance.denominator) == (41.5, 83, 200)
    assert clearance.source == ValueSource.IMPORTED and clearance.provenance == "figures.csv"
    north = MeasureValue.objects.get(measure=measures["force"], area=measures["north"])
    assert north.value == 7
    assert AuditEntry.objects.filter(action="measures.values.import").count() == 2


def test_excel_files_with_a_bom_cr_and_semicolons_are_read(agency, casey, measures):
    text = "\ufeffmeasure;period;area;value\rclearance_rate;2026-Q1;;38,5\r"
    report = run(agency, casey, text)
    assert report.ok, report.problems
    assert MeasureValue.objects.get(measure=measures["clearance"]).value == 38.5


def test_every_wrong_row_is_reported_and_nothing_is_imported(agency, casey, measures):
    report = run(
        agency,
        casey,
        "measure,period,area,value,count,base\n"
        "clearance_rate,2026-Q2,,41.5,,\n"
        "no_such_measure,2026-09,,3,,\n"
        "clearance_rate,2026-08,,40,,\n"
        "force_incidents,2026-09,Atlantis,3,,\n"
        "force_incidents,2026-09,,three,,\n"
        "clearance_rate,2026-Q3,,140,,\n"
        "clearance_rate,2026-Q3,,40,90,60\n"
        "violent_crime,2026-09,,12,,\n"
        "clearance_rate,2026-Q2,,41,,\n"
        "force_incidents,2027-09,,3,,\n",
    )
    assert not report.ok
    said = [str(problem) for problem in report.problems]
    assert said == [
        "line 3, column measure: No measure of the agency is called no_such_measure.",
        "line 4, column period: This measure is quarterly and 2026-08 is not a quarter's "
        "first month. Write the period as 2026-Q4.",
        "line 5, column area: No area of the agency is called Atlantis.",
        "line 6, column value: three is not a number.",
        "line 7, column value: A percentage or a score is between 0 and 100.",
        "line 8, column count: The count cannot be larger than its base.",
        "line 9, column measure: Roundtable computes this measure from its own data: its "
        "figures cannot be imported.",
        "line 10: The same measure, period and area are on line 2 already.",
        "line 11, column period: This period has not started yet.",
    ]
    assert not MeasureValue.objects.exists()


def test_a_figure_for_an_area_of_a_jurisdiction_wide_measure_is_refused(agency, casey, measures):
    report = run(agency, casey, "measure,period,area,value\nclearance_rate,2026-Q2,north,41\n")
    assert [str(p) for p in report.problems] == [
        "line 2, column area: This measure has figures for the whole jurisdiction only: "
        "leave the area blank."
    ]


def test_a_wrong_header_is_reported_on_line_1(agency, casey, measures):
    report = run(agency, casey, "measure,month,value\nclearance_rate,2026-Q2,41\n")
    assert not report.ok
    assert report.problems[0].line == 1
    assert "month" in str(report.problems[0])
    assert not run(agency, casey, "").ok


def test_a_new_figure_replaces_the_old_and_the_audit_keeps_it(agency, casey, measures):
    MeasureValueFactory.create(
        measure=measures["clearance"], period_start=dt.date(2026, 4, 1), value=30.0
    )
    report = run(agency, casey, "measure,period,area,value\nclearance_rate,2026-Q2,,41\n")
    assert (report.created, report.replaced) == (0, 1)
    assert MeasureValue.objects.get(measure=measures["clearance"]).value == 41
    entry = AuditEntry.objects.get(action="measures.values.import")
    assert entry.before == {
        "2026-Q2": {
            "value": 30.0,
            "count": None,
            "base": None,
            "source": "imported",
            "provenance": "",
        }
    }
    assert entry.after is not None and entry.after["2026-Q2"]["value"] == 41
    again = run(agency, casey, "measure,period,area,value\nclearance_rate,2026-Q2,,41\n")
    assert (again.created, again.replaced, again.unchanged) == (0, 0, 1)


def test_another_agencys_measures_cannot_be_named(agency, other_agency, casey, measures):
    MeasureFactory.create(agency=other_agency, catalogue_key="", name="Their own")
    report = run(agency, casey, "measure,period,area,value\nTheir own,2026-09,,3\n")
    assert "No measure of the agency is called Their own." in str(report.problems[0])


def test_staff_enter_and_remove_one_figure(agency, casey, measures):
    value = value_record(
        actor=casey,
        measure=measures["force"],
        period_start=dt.date(2026, 9, 1),
        area=measures["north"],
        value=4,
        provenance="Use-of-force database, September",
    )
    assert value.source == ValueSource.ENTERED and value.recorded_by == casey
    value_delete(actor=casey, value=value)
    assert not MeasureValue.objects.exists()
    assert AuditEntry.objects.filter(action="measures.value.delete").exists()


def test_figures_of_a_computed_measure_are_not_entered(agency, casey, measures):
    from django.core.exceptions import ValidationError

    assert measures["computed"].source == Source.COMPUTED
    with pytest.raises(ValidationError):
        value_record(
            actor=casey, measure=measures["computed"], period_start=dt.date(2026, 9, 1), value=3
        )
