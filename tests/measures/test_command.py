"""`roundtable measures refresh|import` from the command line."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from roundtable.measures.models import MeasureValue
from roundtable.measures.periods import add_months
from roundtable.measures.services import measure_choose
from tests.factories import InputFactory

pytestmark = pytest.mark.django_db


def test_refresh_computes_every_agencys_measures(agency, casey):
    received = measure_choose(actor=casey, agency=agency, catalogue_key="inputs_received")
    this_month = timezone.localdate().replace(day=1)
    InputFactory.create(agency=agency, received_at=timezone.now())
    InputFactory.create(agency=agency, received_at=timezone.now() - dt.timedelta(days=40))
    out = StringIO()
    call_command("measures", "refresh", "--months", "2", stdout=out)
    # The two months before this one; this one is not over.
    assert "riverside: 1 computed measures, 2 figures written, 0 removed." in out.getvalue()
    assert not MeasureValue.objects.filter(measure=received, period_start=this_month).exists()
    months = dict(
        MeasureValue.objects.filter(measure=received).values_list("period_start", "value")
    )
    assert set(months) == {add_months(this_month, -2), add_months(this_month, -1)}
    assert sum(months.values()) == 1
    with pytest.raises(CommandError):
        call_command("measures", "refresh", "--agency", "nowhere")


def test_import_reports_problems_and_exits_with_an_error(agency, casey, tmp_path):
    measure_choose(actor=casey, agency=agency, catalogue_key="unemployment")
    bad = tmp_path / "bad.csv"
    bad.write_text("measure,period,value\nunemployment,2026-9x,5\n")
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("measures", "import", str(bad), "--agency", "riverside", stdout=out)
    assert "line 2, column period" in out.getvalue()
    good = tmp_path / "good.csv"
    good.write_text("measure,period,value\nunemployment,2026-09,5.1\n")
    call_command(
        "measures", "import", str(good), "--agency", "riverside", "--user", "casey", stdout=out
    )
    value = MeasureValue.objects.get()
    assert (value.period_start, value.value, value.recorded_by) == (dt.date(2026, 9, 1), 5.1, casey)
