"""The responses export: one row per response for analysts, with nothing that
identifies a person, every export in the audit log, and none at all for an
internal (officer wellness) survey."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.surveys.models import Audience, Measure, Question, Survey
from tests.factories import AreaFactory, QuestionFactory, SurveyFactory
from tests.surveys.census import answer

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 1)


def scored_survey(agency, **fields) -> Survey:
    survey = SurveyFactory.create(agency=agency, **fields)
    for key, measure in (
        ("safety", Measure.SAFETY),
        ("respect", Measure.TRUST_RESPECT),
        ("listen", Measure.TRUST_LISTEN),
    ):
        QuestionFactory.create(survey=survey, key=key, kind=Question.Kind.SCALE, measure=measure)
    QuestionFactory.create(survey=survey, key="area", kind=Question.Kind.AREA)
    QuestionFactory.create(
        survey=survey, key="top_issue", kind=Question.Kind.TEXT, measure=Measure.TOP_ISSUE
    )
    return survey


def export_url(survey: Survey, slug: str | None = None) -> str:
    return reverse("surveys:export", args=[slug or survey.agency.slug, survey.pk])


def export_rows(client, survey: Survey) -> list[list[str]]:
    response = client.get(export_url(survey))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def north(agency):
    return AreaFactory.create(agency=agency, name="North", slug="north")


def test_the_export_has_one_row_per_response_and_nothing_that_identifies(
    agency, north, ana, client_for
):
    survey = scored_survey(agency)
    answer(survey, north, count=2, safety=7, respect=5, listen=6, top_issue="=HYPERLINK(1)")
    answer(survey, None, period=APRIL, count=1, safety=3)
    rows = export_rows(client_for(ana), survey)
    assert rows[0] == [
        "period",
        "area",
        "language",
        "channel",
        "safety",
        "respect",
        "listen",
        "area",
        "top_issue",
    ]
    assert len(rows) == 4
    assert rows[1][:4] == ["2026-03-01", "north", "en", "link"]
    assert rows[1][4:] == ["7", "5", "6", "north", "'=HYPERLINK(1)"]
    assert rows[3][:2] == ["2026-04-01", ""]
    # The header above is the whole record: no time of day, no response number,
    # nothing about a device or an account.
    text = "\n".join(",".join(row) for row in rows)
    assert "12:00" not in text and "T12" not in text


def test_every_export_is_audited_with_counts_only(agency, north, ana, client_for):
    survey = scored_survey(agency)
    answer(survey, north, count=3, safety=7, top_issue="Speeding on Elm")
    export_rows(client_for(ana), survey)
    entry = AuditEntry.objects.get(action="surveys.responses.export")
    assert entry.actor == ana and entry.agency == agency
    assert entry.object_id == str(survey.pk)
    assert entry.after == {"rows": 3}
    export_rows(client_for(ana), survey)
    assert AuditEntry.objects.filter(action="surveys.responses.export").count() == 2


def test_an_internal_survey_has_no_export_and_says_why(agency, north, casey, ana, client_for):
    survey = scored_survey(agency, audience=Audience.INTERNAL)
    answer(survey, north, count=12, safety=7, top_issue="My sergeant in north")
    for person in (casey, ana):
        response = client_for(person).get(export_url(survey))
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert "shown only as overall figures" in body
        assert "My sergeant" not in body
    assert not AuditEntry.objects.filter(action="surveys.responses.export").exists()


def test_the_export_link_is_offered_for_every_survey_but_an_internal_one(agency, ana, client_for):
    public = scored_survey(agency)
    internal = scored_survey(agency, audience=Audience.INTERNAL)
    for name in ("detail", "results"):
        page = client_for(ana).get(reverse(f"surveys:{name}", args=[agency.slug, public.pk]))
        assert export_url(public) in page.content.decode(), name
        page = client_for(ana).get(reverse(f"surveys:{name}", args=[agency.slug, internal.pk]))
        assert export_url(internal) not in page.content.decode(), name


def test_the_export_refuses_who_it_must(agency, cleo, rosa, pat, uma, other_agency, client_for):
    survey = scored_survey(agency)
    anonymous = Client().get(export_url(survey))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    for person in (cleo, rosa, pat, uma):
        assert client_for(person).get(export_url(survey)).status_code == 403, person
    elsewhere = export_url(survey, slug=other_agency.slug)
    assert client_for(uma).get(elsewhere).status_code == 404
    assert not AuditEntry.objects.filter(action="surveys.responses.export").exists()
