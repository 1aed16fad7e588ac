"""Storing responses: one form at a time (open link, one-time link, paper) and
many at once (history); free text into the input ledger; nothing about the
person."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import Input, InputChannel, Topic
from roundtable.surveys.models import Invitation, Question, Response, Survey
from roundtable.surveys.services import (
    ImportRow,
    invitations_create,
    question_add,
    response_submit,
    responses_import,
    survey_close,
    survey_create,
    survey_open,
)
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
LINK = Response.Channel.LINK
ANSWERS = {
    "safety": ["7"],
    "trust_respect": ["6"],
    "trust_listen": ["4"],
    "top_issue": ["  Speeding on Elm Street at school time.  "],
}


@pytest.fixture
def harlow(agency):
    return AreaFactory.create(agency=agency, name="Harlow", slug="harlow")


@pytest.fixture
def survey(agency, casey, harlow) -> Survey:
    survey = survey_create(
        agency=agency,
        created_by=casey,
        title={"en": "Safety", "es": "Seguridad"},
        instruments=["trust_safety", "demographics"],
    )
    return survey_open(survey=survey, actor=casey)


def _submit(survey, raw=None, **kwargs):
    kwargs.setdefault("language", "en")
    kwargs.setdefault("channel", LINK)
    return response_submit(survey=survey, raw=ANSWERS if raw is None else raw, **kwargs)


def test_a_response_stores_typed_answers_its_month_and_area(survey, harlow):
    moment = dt.datetime(2024, 3, 1, 3, 0, tzinfo=dt.UTC)  # 29 February, 21:00 in Chicago
    submitted = _submit(
        survey, {**ANSWERS, "area": ["harlow"], "age_band": ["35_49"]}, submitted_at=moment
    )
    response = submitted.response
    response.refresh_from_db()
    assert response.answers == {
        "safety": 7,
        "trust_respect": 6,
        "trust_listen": 4,
        "top_issue": "Speeding on Elm Street at school time.",
        "age_band": "35_49",
        "area": "harlow",
    }
    assert response.period == dt.date(2024, 2, 1)
    assert response.area == harlow and response.channel == LINK and response.language == "en"
    # The local day, not the moment.
    assert response.submitted_at == dt.datetime(2024, 2, 29, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    "channel",
    [LINK, Response.Channel.QR, Response.Channel.INVITATION, Response.Channel.PAPER],
)
def test_no_response_keeps_the_time_it_was_sent_whatever_the_way_in(survey, casey, channel):
    """An exact time could be matched against the link's use, a server log or
    the person who was seen answering: a response keeps its local day only."""
    token = None
    if channel == Response.Channel.INVITATION:
        (token,) = invitations_create(survey=survey, actor=casey, count=1, batch="Panel")
    moment = dt.datetime(2025, 6, 3, 14, 27, 31, 123456, tzinfo=CHICAGO)
    response = _submit(
        survey,
        channel=channel,
        invitation_token=token,
        submitted_at=moment,
        recorded_by=casey if channel == Response.Channel.PAPER else None,
    ).response
    response.refresh_from_db()
    assert response.submitted_at == dt.datetime(2025, 6, 3, tzinfo=CHICAGO)
    assert response.period == dt.date(2025, 6, 1)
    # Without `submitted_at`, the same: today at local midnight.
    today = _submit(survey).response
    assert today.submitted_at.astimezone(CHICAGO).time() == dt.time(0, 0)


def test_without_an_area_answer_the_response_counts_for_the_surveys_area(agency, casey, harlow):
    survey = survey_create(
        agency=agency,
        created_by=casey,
        title={"en": "Harlow", "es": "Harlow"},
        instruments=["trust_safety"],
        area=harlow,
    )
    survey_open(survey=survey, actor=casey)
    assert _submit(survey).response.area == harlow


def test_an_unknown_language_falls_back_to_the_surveys_first(survey):
    assert _submit(survey, language="de").response.language == "en"
    assert _submit(survey, language="es").response.language == "es"


def test_invalid_answers_are_refused_per_question(survey):
    with pytest.raises(ValidationError) as caught:
        _submit(survey, {"safety": ["11"], "trust_listen": ["5"]})
    assert set(caught.value.message_dict) == {"safety", "trust_respect"}
    assert not Response.objects.exists()


def test_a_draft_or_closed_survey_takes_no_answers(agency, casey, survey):
    draft = survey_create(
        agency=agency, created_by=casey, title={"en": "D", "es": "D"}, instruments=["trust_safety"]
    )
    with pytest.raises(ValidationError):
        _submit(draft)
    survey_close(survey=survey, actor=casey)
    with pytest.raises(ValidationError):
        _submit(survey)
    assert not Response.objects.exists()


def test_an_answer_to_a_survey_closed_since_its_page_was_loaded_is_refused(survey, casey):
    page = Survey.objects.get(pk=survey.pk)  # what the answer page loaded, open then
    survey_close(survey=survey, actor=casey)  # closed before the answer arrives

    assert page.status == Survey.Status.OPEN
    with pytest.raises(ValidationError, match="not open for answers"):
        _submit(page)
    assert not Response.objects.exists()


def test_a_one_time_link_takes_one_response(survey, casey):
    (token,) = invitations_create(survey=survey, actor=casey, count=1, batch="Panel")
    submitted = _submit(survey, channel=Response.Channel.INVITATION, invitation_token=token)
    assert submitted.response.channel == Response.Channel.INVITATION
    # Used, and nothing about when: a time would match the response's.
    assert Invitation.objects.get().used
    assert not [f.name for f in Invitation._meta.get_fields() if f.name.startswith("used_")]
    with pytest.raises(ValidationError) as caught:
        _submit(survey, channel=Response.Channel.INVITATION, invitation_token=token)
    assert "used already" in caught.value.messages[0]
    assert Response.objects.count() == 1


def test_an_unknown_token_or_another_surveys_is_refused(survey, agency, casey):
    other = survey_open(
        survey=survey_create(
            agency=agency,
            created_by=casey,
            title={"en": "O", "es": "O"},
            instruments=["trust_safety"],
        ),
        actor=casey,
    )
    (theirs,) = invitations_create(survey=other, actor=casey, count=1, batch="Panel")
    for token in ("made-up-token", theirs):
        with pytest.raises(ValidationError):
            _submit(survey, channel=Response.Channel.INVITATION, invitation_token=token)
    with pytest.raises(ValidationError):
        _submit(survey, channel=Response.Channel.INVITATION)
    assert not Response.objects.exists()
    assert not Invitation.objects.get().used


def test_free_text_becomes_an_anonymous_input_with_a_receipt_code(survey, harlow):
    submitted = _submit(survey, {**ANSWERS, "area": ["harlow"]}, language="es")
    (item,) = submitted.inputs
    assert item.receipt_code
    assert item.channel == InputChannel.SURVEY and item.topic == Topic.SAFETY_CONCERN
    assert item.text == "Speeding on Elm Street at school time."
    assert item.is_anonymous and item.submitted_by is None and item.recorded_by is None
    assert not (item.contact_email or item.contact_phone or item.contact_name)
    assert item.language == "es" and item.area == harlow
    # The id names the survey, never the response: the ledger's text cannot be
    # joined to the rest of the person's answers.
    assert re.fullmatch(rf"survey:{survey.pk}:[0-9a-f]{{16}}", str(item.external_id))
    assert item.received_at == submitted.response.submitted_at


def test_free_text_is_received_on_the_day_of_the_answer_and_due_from_it(survey, agency):
    moment = dt.datetime(2025, 6, 3, 23, 50, tzinfo=CHICAGO)
    submitted = _submit(survey, submitted_at=moment)
    (item,) = submitted.inputs
    assert item.received_at == dt.datetime(2025, 6, 3, tzinfo=CHICAGO)
    # Nor does the ledger's own stamp keep the moment of the answer.
    stored = Input.objects.get(pk=item.pk)
    assert stored.updated_at == item.received_at == item.updated_at
    day = dt.date(2025, 6, 3)
    assert item.acknowledge_by == day + dt.timedelta(days=agency.acknowledge_within_days)
    assert item.answer_by == day + dt.timedelta(days=agency.answer_within_days)
    other = _submit(survey, submitted_at=moment).inputs[0]
    assert other.external_id != item.external_id


def test_other_free_text_goes_to_the_ledger_as_something_else(survey, casey):
    question_add(
        survey=survey,
        actor=casey,
        kind=Question.Kind.TEXT,
        text={"en": "Anything else?", "es": "¿Algo más?"},
        key="else",
    )
    submitted = _submit(survey, {**ANSWERS, "else": ["More benches."]})
    assert sorted(i.topic for i in submitted.inputs) == [Topic.OTHER, Topic.SAFETY_CONCERN]


def test_text_stays_out_of_the_ledger_when_the_survey_says_so(survey):
    Survey.objects.filter(pk=survey.pk).update(text_to_inputs=False)
    survey.refresh_from_db()
    assert _submit(survey).inputs == []
    assert not Input.objects.exists()


def test_an_internal_surveys_text_never_reaches_the_ledger(agency, casey):
    pulse = survey_create(
        agency=agency,
        created_by=casey,
        title={"en": "Pulse", "es": "Pulso"},
        instruments=["wellness_pulse"],
    )
    question_add(
        survey=pulse,
        actor=casey,
        kind=Question.Kind.TEXT,
        text={"en": "Anything else?", "es": "¿Algo más?"},
        key="else",
    )
    # Even if someone forces the flag on in the database.
    Survey.objects.filter(pk=pulse.pk).update(text_to_inputs=True)
    pulse.refresh_from_db()
    survey_open(survey=pulse, actor=casey)
    submitted = _submit(pulse, {"wellness_stress": ["3"], "else": ["My sergeant is unfair."]})
    assert submitted.inputs == [] and not Input.objects.exists()
    assert submitted.response.answers["else"] == "My sergeant is unfair."


def test_an_anonymous_response_keeps_nothing_about_the_person(survey):
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {
        "id",
        "survey",
        "submitted_at",
        "period",
        "language",
        "channel",
        "area",
        "answers",
    }
    response = _submit(survey).response
    row = Response.objects.filter(pk=response.pk).values().get()
    assert set(row) == {
        "id",
        "survey_id",
        "submitted_at",
        "period",
        "language",
        "channel",
        "area_id",
        "answers",
    }
    # A respondent's own submission is not a staff action: no audit entry points to it.
    assert not AuditEntry.objects.filter(object_type="surveys.response").exists()


def test_a_paper_form_typed_in_by_staff_is_audited(survey, casey):
    submitted = _submit(survey, channel=Response.Channel.PAPER, recorded_by=casey)
    entry = AuditEntry.objects.get(action="surveys.response.record")
    assert entry.actor == casey and entry.object_id == str(submitted.response.pk)
    assert submitted.inputs[0].recorded_by == casey


# --- Imports ---


def _rows(n, **answers):
    start = dt.datetime(2023, 1, 15, 12, tzinfo=CHICAGO)
    return [
        ImportRow(
            submitted_at=start + dt.timedelta(days=31 * (i % 24)),
            answers={
                "safety": i % 11,
                "trust_respect": 5,
                "trust_listen": [str(i % 11)],
                **answers,
            },
            language="es" if i % 3 == 0 else "en",
        )
        for i in range(n)
    ]


def test_history_is_imported_in_a_few_queries_whatever_its_length(
    survey, casey, harlow, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert responses_import(survey=survey, actor=casey, rows=_rows(40, area="harlow")) == 40
    with django_assert_max_num_queries(12):
        assert responses_import(survey=survey, actor=casey, rows=_rows(400)) == 400
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == 440
    assert responses.filter(area=harlow).count() == 40
    assert responses.values("period").distinct().count() == 24
    assert set(responses.values_list("channel", flat=True)) == {Response.Channel.IMPORT}
    entry = AuditEntry.objects.filter(action="surveys.responses.import").latest("pk")
    assert entry.after == {"rows": 400, "channel": "import"}


def test_an_import_with_a_bad_row_imports_nothing_and_names_the_rows(survey, casey):
    rows = _rows(5)
    rows[1] = ImportRow(submitted_at=rows[1].submitted_at, answers={"safety": 12})
    with pytest.raises(ValidationError) as caught:
        responses_import(survey=survey, actor=casey, rows=rows)
    (message,) = caught.value.messages
    assert message.startswith("Row 2: safety: Choose a number from 0 to 10.")
    assert "trust_respect: Please answer" in message
    assert not Response.objects.exists()


def test_imports_take_closed_surveys_and_paper_but_no_other_channel(survey, casey):
    survey_close(survey=survey, actor=casey)
    naive = ImportRow(submitted_at=dt.datetime(2024, 5, 1, 0, 30), answers=_rows(1)[0].answers)
    assert (
        responses_import(survey=survey, actor=casey, rows=[naive], channel=Response.Channel.PAPER)
        == 1
    )
    imported = Response.objects.get()
    assert imported.period == dt.date(2024, 5, 1)
    assert imported.submitted_at == dt.datetime(2024, 5, 1, tzinfo=CHICAGO)
    with pytest.raises(ValueError, match="channel"):
        responses_import(survey=survey, actor=casey, rows=[], channel=LINK)


def test_imported_free_text_reaches_the_ledger_only_when_asked(survey, casey):
    rows = _rows(3, top_issue="More patrols at night.")
    responses_import(survey=survey, actor=casey, rows=rows)
    assert not Input.objects.exists()
    responses_import(survey=survey, actor=casey, rows=rows, text_to_inputs=True)
    inputs = Input.objects.filter(channel=InputChannel.SURVEY)
    assert inputs.count() == 3
    assert all(
        i.is_anonymous and str(i.external_id).startswith(f"survey:{survey.pk}:") for i in inputs
    )
