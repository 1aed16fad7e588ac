"""`roundtable surveys population` and `roundtable surveys invite`: the database actions."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from roundtable.surveys.models import Audience, Invitation, PopulationMargin, ReferencePopulation
from tests.factories import SurveyFactory
from tests.surveys.census import CENSUS, chicago_areas

CALLS = """incident_number,call_type,status,email,language
C-1,NOISE COMPLAINT,CLOSED,ines@example.org,es
C-2,DOMESTIC BATTERY,CLOSED,dora@example.org,en
C-3,BURGLARY,IN PROGRESS,bo@example.org,en
C-4,THEFT,CLEARED,tom@example.org,en
C-5,THEFT,CLOSED,,en
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command("surveys", *args, stdout=out)
    return out.getvalue()


def test_an_analyst_imports_the_chicago_census_margins_from_the_command_line(agency, ana):
    chicago_areas(agency)

    report = json.loads(
        run(
            "population",
            str(CENSUS),
            "--agency",
            agency.slug,
            "--name",
            "ACS 2016–2020",
            "--user",
            "ana",
            "--json",
        )
    )

    population = ReferencePopulation.objects.get(pk=report["population"])
    assert population.imported_by == ana
    assert report["areas"] == 4
    assert report["margins"] == PopulationMargin.objects.filter(population=population).count() > 0
    # 73 of Chicago's 77 community areas are not areas of this agency: listed, not fatal.
    assert len(report["unmatched_areas"]) == 73


def test_a_file_matching_none_of_the_agencys_areas_is_refused_and_nothing_is_kept(agency):
    with pytest.raises(CommandError, match="area"):
        run("population", str(CENSUS), "--agency", agency.slug, "--name", "ACS")

    assert not ReferencePopulation.objects.exists()


def test_a_missing_file_is_a_plain_error(agency, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("population", str(tmp_path / "nowhere.csv"), "--agency", agency.slug, "--name", "x")


def test_invite_sends_links_only_to_reachable_callers_after_finished_non_sensitive_calls(
    agency, casey, tmp_path, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    survey = SurveyFactory.create(agency=agency, audience=Audience.CONTACT)
    calls = tmp_path / "calls.csv"
    calls.write_text(CALLS, encoding="utf-8")

    report = json.loads(
        run("invite", str(survey.pk), str(calls), "--user", "casey", "--batch", "Week 1", "--json")
    )

    # The noise complaint and the cleared theft: not the domestic call, not the
    # burglary still in progress, not the caller with no way to reach them.
    assert report["sent"] == 2
    assert sum(report["excluded"].values()) == 3
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ines@example.org",
        "tom@example.org",
    ]
    assert Invitation.objects.filter(survey=survey, batch="Week 1").count() == 2


def test_invite_refuses_a_survey_that_is_not_for_people_after_contact(agency, casey, tmp_path):
    survey = SurveyFactory.create(agency=agency, audience=Audience.PUBLIC)
    calls = tmp_path / "calls.csv"
    calls.write_text(CALLS, encoding="utf-8")

    with pytest.raises(CommandError):
        run("invite", str(survey.pk), str(calls), "--user", "casey")

    assert not Invitation.objects.exists()


def test_invite_names_an_unknown_survey(agency, casey, tmp_path):
    with pytest.raises(CommandError, match="no survey 999"):
        run("invite", "999", str(Path(tmp_path / "calls.csv")), "--user", "casey")
