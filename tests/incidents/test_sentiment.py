"""Importing the Chicago Police Sentiment Scores layout."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from roundtable.agencies.models import Area
from roundtable.audit.models import AuditEntry
from roundtable.incidents.models import ImportRun, SentimentScore
from roundtable.incidents.services_sentiment import sentiment_import, unmatched_units
from tests.factories import AreaFactory, SentimentScoreFactory

FIXTURES = Path(__file__).parent.parent / "fixtures" / "incidents"
SCORES = FIXTURES / "sentiment-scores.csv"
REAL = Path(os.environ.get("ROUNDTABLE_DATA", "/work/shared/data")) / "surveys"


@pytest.fixture
def districts(agency):
    return {
        "14": AreaFactory.create(
            agency=agency, name="District 14", slug="district-14", kind=Area.Kind.DISTRICT
        ),
        "19": AreaFactory.create(
            agency=agency, name="Town Hall", slug="019", kind=Area.Kind.DISTRICT
        ),
    }


@pytest.mark.django_db
def test_fixture_imports_with_units_matched(agency, districts, ana):
    run = sentiment_import(agency=agency, path=SCORES, actor=ana)

    assert run.status == ImportRun.Status.DONE
    assert (run.kind, run.rows, run.skipped) == (ImportRun.Kind.SENTIMENT, 38, 0)
    # 38 rows, one repeated city row folded.
    assert SentimentScore.objects.filter(agency=agency).count() == 37 == run.imported
    d14 = SentimentScore.objects.get(
        agency=agency, unit="district 14", period_start=dt.date(2021, 4, 1)
    )
    assert d14.area == districts["14"]
    assert SentimentScore.objects.filter(unit="district 19", area=districts["19"]).count() == 6
    city = SentimentScore.objects.filter(agency=agency, unit="city")
    assert city.count() == 7 and not city.exclude(area=None).exists()
    assert unmatched_units(run) == ["area_5", "district 25", "sector 1420"]
    assert "1 repeated rows folded" in run.message and "3 without a matching area" in run.message
    assert AuditEntry.objects.get(action="incidents.sentiment_import").actor == ana


@pytest.mark.django_db
def test_scores_keep_their_values(agency, districts):
    sentiment_import(agency=agency, path=SCORES)
    # The first district 14 row of the fixture, as published.
    first = SentimentScore.objects.get(unit="district 14", period_start=dt.date(2021, 4, 1))
    assert first.safety == 55.58
    assert first.period_end == dt.date(2021, 4, 30)
    assert first.trust == 62.47


@pytest.mark.django_db
def test_reimport_is_idempotent_and_picks_up_new_areas(agency, districts):
    sentiment_import(agency=agency, path=SCORES)
    ids = set(SentimentScore.objects.values_list("pk", flat=True))
    sector = AreaFactory.create(
        agency=agency, name="Sector 1420", slug="sector-1420", kind=Area.Kind.OTHER
    )

    run = sentiment_import(agency=agency, path=SCORES)

    assert set(SentimentScore.objects.values_list("pk", flat=True)) == ids
    assert run.imported == 0 and "0 new, 37 updated" in run.message
    assert SentimentScore.objects.filter(unit="sector 1420", area=sector).count() == 6


@pytest.mark.django_db
def test_bare_number_matches_only_a_district(agency):
    beat = AreaFactory.create(agency=agency, name="14", slug="14", kind=Area.Kind.BEAT)
    sentiment_import(agency=agency, path=SCORES)
    assert not SentimentScore.objects.filter(area=beat).exists()
    district = AreaFactory.create(agency=agency, name="014", slug="d-14", kind=Area.Kind.DISTRICT)
    sentiment_import(agency=agency, path=SCORES)
    assert SentimentScore.objects.filter(unit="district 14", area=district).count() == 6


@pytest.mark.django_db
def test_area_level_matches_area_n(agency):
    area5 = AreaFactory.create(agency=agency, name="Area 5", slug="area-5", kind=Area.Kind.OTHER)
    sentiment_import(agency=agency, path=SCORES)
    assert SentimentScore.objects.filter(unit="area_5", area=area5).count() == 6


@pytest.mark.django_db
def test_other_agency_and_source_are_separate(agency, other_agency, districts):
    theirs = SentimentScoreFactory.create(
        agency=other_agency, unit="district 14", period_start=dt.date(2021, 4, 1)
    )
    sentiment_import(agency=agency, path=SCORES)
    sentiment_import(agency=agency, path=SCORES, source="Another series")
    assert SentimentScore.objects.filter(agency=agency).count() == 74
    theirs.refresh_from_db()
    assert theirs.safety == 56.7


@pytest.mark.django_db
def test_bad_values_are_reported_by_line_and_skipped(agency, tmp_path):
    lines = SCORES.read_text().splitlines()
    header = lines[0].split(",")
    safety = header.index("SAFETY")
    broken = lines[9].split(",")
    broken[safety] = "abc"
    late = lines[10].split(",")
    late[-2] = "2021-13-45"
    path = tmp_path / "scores.csv"
    path.write_text(
        "\n".join([lines[0], *lines[1:9], ",".join(broken), ",".join(late), *lines[11:]]) + "\n"
    )

    run = sentiment_import(agency=agency, path=path)

    assert run.status == ImportRun.Status.DONE
    assert run.skipped == 2 and run.error_total == 2
    assert run.errors[0]["line"] == 10 and run.errors[0]["column"] == "SAFETY"
    assert run.errors[1] == {
        "line": 11,
        "column": "START_DATE",
        "reason": "'2021-13-45' is not a date (MM/DD/YYYY)",
    }


@pytest.mark.django_db
def test_wrong_layout_fails_and_saves_nothing(agency, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("ward,score\n1,50\n")

    run = sentiment_import(agency=agency, path=path)

    assert run.status == ImportRun.Status.FAILED
    assert (
        "no column CITY, AREA, DISTRICT, SECTOR, SAFETY, TRUST, START_DATE, END_DATE" in run.message
    )
    assert not SentimentScore.objects.exists()


@pytest.mark.django_db
def test_explicit_org_level_wins(agency, districts, tmp_path):
    lines = SCORES.read_text().splitlines()
    row = lines[15].split(",")  # area_5, district 14
    row[0] = "AREA"
    path = tmp_path / "s.csv"
    path.write_text("\n".join([lines[0], ",".join(row)]) + "\n")
    sentiment_import(agency=agency, path=path)
    assert SentimentScore.objects.get().unit == "area_5"


@pytest.mark.skipif(not REAL.is_dir(), reason=f"the real data folder {REAL} is absent")
@pytest.mark.django_db
def test_the_full_real_series_imports(agency):
    for number in ("1", "14", "25"):
        AreaFactory.create(
            agency=agency, name=f"District {number}", slug=f"district-{number}", kind="district"
        )

    run = sentiment_import(agency=agency, path=REAL / "chicago-police-sentiment-scores.csv")

    assert run.status == ImportRun.Status.DONE
    assert run.rows == 6587 and run.skipped == 0
    assert SentimentScore.objects.filter(agency=agency).count() == 6514  # distinct (unit, start)
    assert SentimentScore.objects.filter(unit="district 14").exclude(area=None).count() > 50
