"""The reviewer's findings on measures, each as the safe behaviour:

- internal data (officers' wellness, the officer wellbeing goal) is never
  published, whatever measure it is put in;
- a computed measure's figures count people when its computation does,
  whatever the agency says;
- nobody approves or rejects their own partner submission;
- a file over the upload limit is refused before it is read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from roundtable.measures import computed
from roundtable.measures.figures import Figure
from roundtable.measures.forms import FiguresFileForm, PartnerFileForm
from roundtable.measures.models import (
    Frequency,
    Measure,
    MeasureValue,
    PartnerSubmission,
    Polarity,
    Source,
    Unit,
)
from roundtable.measures.selectors import pack_series, public_series, year_to_date_runs
from roundtable.measures.services import (
    data_sharer_grant,
    measure_choose,
    measure_create,
    measure_update,
    measures_refresh,
)
from roundtable.measures.services_partners import (
    partner_submit,
    submission_approve,
    submission_reject,
)
from roundtable.measures.texts import counts_people, is_internal
from roundtable.surveys.models import Audience, Question
from roundtable.surveys.models import Measure as SurveyMeasure
from tests.factories import (
    IncidentFactory,
    InputFactory,
    MeasureFactory,
    OrganisationFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)
from tests.opendata.helpers import api_rows

pytestmark = pytest.mark.django_db


def _own(agency, casey, **changes):
    fields: dict[str, Any] = {
        "goal": "shared_responsibility",
        "indicator": "incidents_reported",
        "name": "Concerns (own)",
        "definition": "Concerns received, every channel.",
        "unit": Unit.COUNT,
        "polarity": Polarity.NEITHER,
        "frequency": Frequency.MONTHLY,
        "source": Source.COMPUTED,
        "computation": "inputs.received",
    }
    fields.update(changes)
    return measure_create(actor=casey, agency=agency, **fields)


# ---------------------------------------------------------------- internal data


def _wellness_responses(agency):
    survey = SurveyFactory.create(agency=agency, audience=Audience.INTERNAL)
    QuestionFactory.create(
        survey=survey, key="well", kind=Question.Kind.SCALE, measure=SurveyMeasure.WELLNESS
    )
    today = timezone.localdate()
    quarter = dt.date(today.year, ((today.month - 1) // 3) * 3 + 1, 1)
    previous = dt.date(
        quarter.year - (1 if quarter.month == 1 else 0), (quarter.month - 4) % 12 + 1, 1
    )
    for _ in range(36):
        ResponseFactory.create(survey=survey, period=previous, answers={"well": 3})


def test_an_own_measure_of_the_wellness_survey_is_internal_and_never_public(client, agency, casey):
    _wellness_responses(agency)
    morale = _own(
        agency,
        casey,
        goal="shared_responsibility",
        indicator="incidents_reported",
        name="Staff morale",
        unit=Unit.SCORE,
        polarity=Polarity.HIGHER_IS_BETTER,
        frequency=Frequency.QUARTERLY,
        computation="surveys.wellness",
    )
    # Filed under any goal, a measure of internal data is internal, and not public.
    assert is_internal(morale) and not morale.is_public
    with pytest.raises(ValidationError) as refused:
        measure_update(actor=casey, measure=morale, is_public=True)
    assert "is_public" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _own(agency, casey, computation="surveys.wellness", unit=Unit.SCORE, is_public=True)
    measures_refresh(agency=agency)
    assert MeasureValue.objects.filter(measure=morale).exists()  # staff still have it
    assert any(
        s.measure == morale for s in pack_series(agency=agency, month=dt.date.today(), area=None)
    )
    rows = api_rows(client, agency, "measure-values")
    assert not any(r["measure_name"] == "Staff morale" for r in rows)
    page = client.get(reverse("dashboard:home", args=[agency.slug]))
    assert b"Staff morale" not in page.content


def test_every_measure_of_the_officer_wellbeing_goal_is_internal(client, agency, casey):
    injuries = _own(
        agency,
        casey,
        goal="officer_wellbeing",
        indicator="officer_wellness",
        name="Sick days",
        source=Source.IMPORTED,
        computation="",
    )
    assert is_internal(injuries) and not injuries.is_public
    # Even one made public before the rule (an old row) stays off public pages.
    Measure.objects.filter(pk=injuries.pk).update(is_public=True)
    MeasureValue.objects.create(
        measure=injuries, period_start=dt.date(2026, 1, 1), value=40.0, numerator=40
    )
    assert all(s.measure.pk != injuries.pk for s in public_series(agency=agency))
    assert not any(
        r["measure_name"] == "Sick days" for r in api_rows(client, agency, "measure-values")
    )


def test_internal_computations_are_declared():
    assert {"surveys.wellness"} == computed.INTERNAL_COMPUTATIONS
    assert set(computed.COMPUTATIONS) >= computed.INTERNAL_COMPUTATIONS


# ---------------------------------------------------------------- counting people


def test_which_computations_count_people():
    assert set(computed.COMPUTATIONS) - computed.COUNTS_PEOPLE == {
        "events.held",
        "problems.goals_met",
        "problems.overdue_actions",
    }
    assert {"incidents.crimes", "inputs.received", "events.attendance", "surveys.trust"} <= (
        computed.COUNTS_PEOPLE
    )
    assert computed.counts_people("no.such.computation")  # unknown: the safe side


def test_a_computed_count_of_people_cannot_be_declared_to_count_none(client, agency, casey):
    with pytest.raises(ValidationError) as refused:
        _own(agency, casey, counts_people=False)
    assert "counts_people" in refused.value.message_dict
    concerns = _own(agency, casey)
    with pytest.raises(ValidationError):
        measure_update(actor=casey, measure=concerns, counts_people=False)
    # An old row that says otherwise is overruled by the computation.
    Measure.objects.filter(pk=concerns.pk).update(counts_people=False)
    concerns.refresh_from_db()
    assert counts_people(concerns)
    when = timezone.now() - dt.timedelta(days=40)
    for _ in range(2):
        InputFactory.create(agency=agency, received_at=when)
    measures_refresh(agency=agency)
    assert MeasureValue.objects.filter(measure=concerns, value=2).exists()
    rows = [
        r
        for r in api_rows(client, agency, "measure-values")
        if r["measure_name"] == "Concerns (own)"
    ]
    assert rows and all(r["value"] != 2 for r in rows)
    assert any(r["suppressed"] for r in rows)


def test_a_computation_that_counts_no_people_decides_for_it_too(agency, casey):
    meetings = _own(
        agency, casey, name="Meetings (own)", computation="events.held", counts_people=True
    )
    assert not meetings.counts_people and not counts_people(meetings)
    imported = _own(
        agency,
        casey,
        name="Inspections (own)",
        source=Source.IMPORTED,
        computation="",
        counts_people=False,
    )
    assert not counts_people(imported)  # the agency's say, for what it imports


def test_the_edit_form_offers_no_choice_for_a_computed_measure(client_for, agency, casey):
    concerns = _own(agency, casey)
    page = client_for(casey).get(reverse("measures:edit", args=[agency.slug, concerns.pk]))
    assert page.status_code == 200
    assert b'name="counts_no_people"' not in page.content


# ---------------------------------------------------------------- four eyes


@pytest.fixture
def own_submission(agency, ana):
    org = OrganisationFactory.create(agency=agency)
    measure = MeasureFactory.create(
        agency=agency,
        source=Source.PARTNER,
        partner=org,
        unit=Unit.COUNT,
        frequency=Frequency.MONTHLY,
        catalogue_key="",
    )
    data_sharer_grant(actor=ana, agency=agency, organisation=org, user=ana)
    return partner_submit(
        actor=ana,
        measure=measure,
        figures=[Figure(dt.date(2026, 1, 1), 12.0)],
        provenance="Case system extract",
    )


def test_nobody_reviews_their_own_submission(own_submission, ana, casey):
    with pytest.raises(PermissionDenied):
        submission_approve(actor=ana, submission=own_submission)
    with pytest.raises(PermissionDenied):
        submission_reject(actor=ana, submission=own_submission, note="Mine, wrong.")
    own_submission.refresh_from_db()
    assert own_submission.status == PartnerSubmission.Status.PENDING
    assert not MeasureValue.objects.exists()
    done = submission_approve(actor=casey, submission=own_submission)
    assert done.status == PartnerSubmission.Status.APPROVED and done.reviewed_by == casey


def test_the_review_page_hides_the_form_from_the_submitter(
    client, client_for, agency, own_submission, ana, casey, uma, rosa
):
    page_url = reverse("measures:submission", args=[agency.slug, own_submission.pk])
    review_url = reverse("measures:review", args=[agency.slug, own_submission.pk])
    mine = client_for(ana).get(page_url)
    assert mine.status_code == 200
    assert b'value="approve"' not in mine.content
    assert b"someone else must approve or reject it" in mine.content
    refused = client_for(ana).post(review_url, {"decision": "approve", "note": ""})
    assert refused.status_code == 403
    theirs = client_for(casey).get(page_url)
    assert b'value="approve"' in theirs.content
    for outsider in (uma, rosa):
        assert client_for(outsider).get(page_url).status_code in (403, 404)
    assert client.get(page_url).status_code in (302, 403)
    own_submission.refresh_from_db()
    assert own_submission.status == PartnerSubmission.Status.PENDING


# ---------------------------------------------------------------- upload size


@pytest.mark.parametrize("form_class", [FiguresFileForm, PartnerFileForm])
def test_a_file_over_the_limit_is_refused_before_it_is_read(settings, form_class):
    settings.ROUNDTABLE_MEASURE_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("figures.csv", b"x" * (1024 * 1024 + 1))
    form = form_class({"provenance": "Extract"}, {"file": big})
    assert not form.is_valid()
    assert "larger than 1 MB" in str(form.errors["file"])
    small = SimpleUploadedFile("figures.csv", b"measure,period,value\n")
    assert form_class({"provenance": "Extract"}, {"file": small}).is_valid()


def test_the_import_page_refuses_a_large_file(settings, client_for, agency, casey):
    settings.ROUNDTABLE_MEASURE_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("figures.csv", b"x" * (1024 * 1024 + 1))
    page = client_for(casey).post(reverse("measures:import", args=[agency.slug]), {"file": big})
    assert page.status_code in (200, 400)
    assert b"larger than 1 MB" in page.content
    assert not MeasureValue.objects.exists()


# ---------------------------------------------------------------- year to date


def test_a_withheld_month_does_not_come_back_from_the_year_to_date(client, agency, casey):
    cache.clear()
    year = 2026
    for month, n in ((1, 3), (2, 20), (3, 20)):
        for i in range(n):
            day = dt.date(year, month, 1 + i % 27)
            at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12))
            IncidentFactory.create(agency=agency, occurred_at=at, occurred_on=day)
    measure_choose(actor=casey, agency=agency, catalogue_key="all_crime")
    measures_refresh(agency=agency, today=dt.date(year, 11, 22))
    values = {
        r["period_start"]: (r["value"], r["suppressed"])
        for r in api_rows(client, agency, "measure-values")
        if r["measure"] == "all_crime" and r["area"] == ""
    }
    assert values[f"{year}-01-01"] == (None, True)
    # February is withheld beside it: the year to date (43) minus the months
    # shown (March's 20) leaves January and February together, not January.
    assert values[f"{year}-02-01"] == (None, True)
    assert values[f"{year}-03-01"] == (20, False)
    ytd = next(
        r["current"]
        for r in api_rows(client, agency, "incidents-by-area")
        if r["area"] == "" and r["period"] == "ytd" and r["offence"] == "crimes"
    )
    shown = sum(v for k, (v, _s) in values.items() if k.startswith(str(year)) and v is not None)
    assert ytd - shown == 23


def test_year_to_date_runs(agency):
    monthly = MeasureFactory.build(agency=agency, frequency=Frequency.MONTHLY)
    assert year_to_date_runs(monthly, dt.date(2026, 3, 27)) == [
        [dt.date(2026, 1, 1), dt.date(2026, 2, 1)],
        [dt.date(2025, 1, 1), dt.date(2025, 2, 1)],
    ]
    assert year_to_date_runs(monthly, dt.date(2026, 1, 31)) == []
    quarterly = MeasureFactory.build(agency=agency, frequency=Frequency.QUARTERLY)
    assert year_to_date_runs(quarterly, dt.date(2026, 5, 2)) == [
        [dt.date(2026, 1, 1)],
        [dt.date(2025, 1, 1)],
    ]
