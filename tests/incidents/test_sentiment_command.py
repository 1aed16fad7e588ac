"""`roundtable sentiment import`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from roundtable.incidents.models import SentimentScore
from tests.factories import AreaFactory

FIXTURES = Path(__file__).parent.parent / "fixtures" / "incidents"


def run(*args: str) -> str:
    out = StringIO()
    call_command("sentiment", "import", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_report(agency, ana):
    AreaFactory.create(agency=agency, name="District 14", slug="district-14", kind="district")

    report = json.loads(
        run(
            str(FIXTURES / "sentiment-scores.csv"),
            "--agency",
            agency.slug,
            "--user",
            ana.username,
            "--json",
        )
    )

    assert report["status"] == "done"
    assert (report["rows"], report["imported"], report["skipped"]) == (38, 37, 0)
    assert report["unmatched_units"] == ["area_5", "district 19", "district 25", "sector 1420"]
    assert report["errors"] == [] and report["error_total"] == 0
    assert SentimentScore.objects.filter(agency=agency).count() == 37


@pytest.mark.django_db
def test_plain_report_and_custom_source(agency):
    output = run(
        str(FIXTURES / "sentiment-scores.csv"), "--agency", agency.slug, "--source", "Elucd"
    )
    assert output.startswith("37 scores (37 new, 0 updated)")
    assert set(SentimentScore.objects.values_list("source", flat=True)) == {"Elucd"}


@pytest.mark.django_db
def test_wrong_layout_exits_1(agency, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="not in the Police Sentiment Scores layout"):
        run(str(path), "--agency", agency.slug)
    assert not SentimentScore.objects.exists()


@pytest.mark.django_db
def test_unknown_agency_and_outsider_user(agency, uma):
    with pytest.raises(CommandError, match="No agency"):
        run(str(FIXTURES / "sentiment-scores.csv"), "--agency", "nowhere")
    with pytest.raises(CommandError, match="is not a member"):
        run(str(FIXTURES / "sentiment-scores.csv"), "--agency", agency.slug, "--user", uma.username)
    assert not SentimentScore.objects.exists()
