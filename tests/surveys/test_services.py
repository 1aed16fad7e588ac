"""Building surveys: from instruments, by hand, duplicated; opening only a
complete survey; the open link and one-time links."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.surveys.completeness import open_problems, survey_text_gaps
from roundtable.surveys.instruments import INSTRUMENTS
from roundtable.surveys.models import Audience, Invitation, Option, Question, Survey
from roundtable.surveys.services import (
    invitation_for,
    invitations_create,
    open_link_rotate,
    options_set,
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_close,
    survey_create,
    survey_duplicate,
    survey_open,
    survey_update,
)
from roundtable.surveys.services_questions import unique_key
from tests.factories import AreaFactory, ResponseFactory

pytestmark = pytest.mark.django_db

TITLE = {"en": "Safety and trust, spring", "es": "Seguridad y confianza, primavera"}


@pytest.fixture
def draft(agency, casey) -> Survey:
    return survey_create(
        agency=agency,
        created_by=casey,
        title=TITLE,
        instruments=["trust_safety", "procedural_justice", "demographics"],
    )


def _keys(survey: Survey) -> list[str]:
    return list(survey.questions.order_by("position").values_list("key", flat=True))


def _messages(caught: pytest.ExceptionInfo[ValidationError]) -> str:
    return " | ".join(caught.value.messages)


# --- Creating ---


def test_casey_builds_a_draft_from_instruments_in_the_order_chosen(draft, casey):
    assert draft.status == Survey.Status.DRAFT and draft.public_token is None
    assert draft.instrument == "trust_safety" and draft.audience == Audience.PUBLIC
    assert draft.languages == ["en", "es"] and draft.text_to_inputs
    assert draft.introduction == INSTRUMENTS["trust_safety"].introduction
    expected = [
        q.key
        for key in ("trust_safety", "procedural_justice", "demographics")
        for q in INSTRUMENTS[key].questions
    ]
    assert _keys(draft) == expected
    gender = draft.questions.get(key="gender")
    assert [o.value for o in gender.options.order_by("position")][:2] == ["woman", "man"]
    follow_up = draft.questions.get(key="pj_contact_fair")
    assert follow_up.show_if == draft.questions.get(key="pj_contact")
    assert follow_up.show_if_values == ["yes"]
    entry = AuditEntry.objects.get(action="surveys.survey.create")
    assert entry.actor == casey and entry.object_id == str(draft.pk)
    assert entry.after is not None and entry.after["title"] == TITLE


def test_a_copied_question_is_the_surveys_own(draft, casey):
    safety = draft.questions.get(key="safety")
    question_update(question=safety, actor=casey, text={"en": "Safe at night?", "es": "¿Seguro?"})
    assert INSTRUMENTS["trust_safety"].questions[0].text["en"].startswith("How safe")
    other = survey_create(
        agency=draft.agency, created_by=casey, title=TITLE, instruments=["trust_safety"]
    )
    assert other.questions.get(key="safety").text["en"].startswith("How safe")


def test_keys_are_kept_unique():
    assert unique_key("area", set()) == "area"
    assert unique_key("area", {"area"}) == "area_2"
    assert unique_key("area", {"area", "area_2"}) == "area_3"
    assert len(unique_key("k" * 40, {"k" * 40})) == 40


def test_the_audience_follows_the_instruments_and_internal_surveys_ask_nothing_personal(
    agency, casey
):
    pulse = survey_create(
        agency=agency, created_by=casey, title=TITLE, instruments=["wellness_pulse"]
    )
    assert pulse.audience == Audience.INTERNAL and not pulse.text_to_inputs
    contact = survey_create(
        agency=agency, created_by=casey, title=TITLE, instruments=["contact_satisfaction"]
    )
    assert contact.audience == Audience.CONTACT
    with pytest.raises(ValidationError) as caught:
        survey_create(
            agency=agency,
            created_by=casey,
            title=TITLE,
            instruments=["wellness_pulse"],
            audience=Audience.PUBLIC,
        )
    assert "audience" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        survey_create(
            agency=agency,
            created_by=casey,
            title=TITLE,
            instruments=["wellness_pulse", "demographics"],
        )
    assert "instruments" in caught.value.message_dict
    with pytest.raises(ValidationError):
        question_add(
            survey=pulse,
            actor=casey,
            kind=Question.Kind.AREA,
            text={"en": "Your district?", "es": "¿Su distrito?"},
        )


def test_a_survey_needs_a_title_known_instruments_languages_and_its_own_agencys_area(
    agency, other_agency, casey
):
    for kwargs, field in (
        ({"title": {"en": " ", "es": ""}}, "title"),
        ({"instruments": ["trust_safety", "gallup"]}, "instruments"),
        ({"languages": ["en", "xx"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"area": AreaFactory.create(agency=other_agency)}, "area"),
    ):
        with pytest.raises(ValidationError) as caught:
            survey_create(**{"agency": agency, "created_by": casey, "title": TITLE, **kwargs})
        assert field in caught.value.message_dict


# --- Opening and closing ---


def test_opening_lists_every_missing_text_and_every_choice_without_answers(draft, casey):
    survey_update(survey=draft, actor=casey, title={"en": "Spring", "es": ""})
    question_update(
        question=draft.questions.get(key="trust_listen"), actor=casey, text={"en": "Listen?"}
    )
    Option.objects.filter(question__key="gender", question__survey=draft, value="man").update(
        label={"en": "Man"}
    )
    question_add(
        survey=draft,
        actor=casey,
        kind=Question.Kind.SINGLE,
        text={"en": "Which park?", "es": "¿Qué parque?"},
        key="park",
    )
    with pytest.raises(ValidationError) as caught:
        survey_open(survey=draft, actor=casey)
    messages = caught.value.messages
    assert len(messages) == 4
    text = _messages(caught)
    assert "The title has no text in Spanish" in text
    assert "(trust_listen) has no text in Spanish" in text
    assert "“man” has no text in Spanish" in text
    assert "(park) offers no answers" in text
    draft.refresh_from_db()
    assert draft.status == Survey.Status.DRAFT and draft.public_token is None


def test_the_builder_and_opening_find_the_same_missing_survey_texts(draft, casey):
    # An empty introduction may stay empty; a thank-you in English only is half-translated.
    survey_update(
        survey=draft,
        actor=casey,
        title={"en": "Spring", "es": ""},
        introduction={"en": "", "es": ""},
        thanks={"en": "Thank you"},
    )

    assert survey_text_gaps(draft) == {"title": ["es"], "thanks": ["es"]}
    problems = open_problems(draft)
    assert "The title has no text in Spanish." in problems
    assert "The thank-you message has no text in Spanish." in problems
    assert not any("introduction" in problem for problem in problems)


def test_an_empty_survey_does_not_open(agency, casey):
    survey = survey_create(agency=agency, created_by=casey, title=TITLE)
    with pytest.raises(ValidationError) as caught:
        survey_open(survey=survey, actor=casey)
    assert "no questions" in _messages(caught)


def test_opening_sets_the_time_and_makes_the_open_link_then_closing_stops_it(draft, casey):
    survey_open(survey=draft, actor=casey)
    draft.refresh_from_db()
    assert draft.status == Survey.Status.OPEN and draft.opened_at is not None
    assert draft.public_token and len(draft.public_token) >= 32
    token = draft.public_token
    survey_close(survey=draft, actor=casey)
    draft.refresh_from_db()
    assert draft.status == Survey.Status.CLOSED and draft.closed_at is not None
    assert draft.public_token == token
    with pytest.raises(ValidationError):
        survey_close(survey=draft, actor=casey)
    actions = list(
        AuditEntry.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True)
    )
    assert "surveys.survey.open" in actions and "surveys.survey.close" in actions


def test_an_open_survey_cannot_lose_a_text_in_one_of_its_languages(draft, casey):
    survey_open(survey=draft, actor=casey)
    with pytest.raises(ValidationError):
        survey_update(survey=draft, actor=casey, introduction={"en": "Hello", "es": ""})
    draft.refresh_from_db()
    assert draft.introduction["es"]


def test_rotating_the_open_link_keeps_the_token_out_of_the_log(draft, casey):
    survey_open(survey=draft, actor=casey)
    old = draft.public_token
    open_link_rotate(survey=draft, actor=casey)
    draft.refresh_from_db()
    assert draft.public_token and draft.public_token != old
    for entry in AuditEntry.objects.all():
        assert draft.public_token not in str(entry.before) + str(entry.after)
        assert str(old) not in str(entry.before) + str(entry.after)


def test_updates_are_checked_and_internal_results_never_published(agency, casey):
    pulse = survey_create(
        agency=agency, created_by=casey, title=TITLE, instruments=["wellness_pulse"]
    )
    with pytest.raises(ValidationError):
        survey_update(survey=pulse, actor=casey, publish_results=True)
    with pytest.raises(ValidationError):
        survey_update(survey=pulse, actor=casey, weight_cap=1.0)
    with pytest.raises(ValidationError):
        survey_update(survey=pulse, actor=casey, weighting_variables=["shoe_size"])
    with pytest.raises(TypeError):
        survey_update(survey=pulse, actor=casey, status=Survey.Status.OPEN)
    survey_update(survey=pulse, actor=casey, text_to_inputs=True, weight_cap=4)
    pulse.refresh_from_db()
    assert not pulse.text_to_inputs and pulse.weight_cap == 4
    entry = AuditEntry.objects.filter(action="surveys.survey.update").latest("pk")
    assert entry.before == {"weight_cap": 5.0} and entry.after == {"weight_cap": 4.0}


def test_the_audience_stays_once_people_have_answered(draft, casey):
    ResponseFactory.create(survey=draft)
    with pytest.raises(ValidationError):
        survey_update(survey=draft, actor=casey, audience=Audience.INTERNAL)


# --- Duplicating ---


def test_a_duplicate_is_a_new_draft_with_the_same_questions_and_conditions(draft, casey):
    survey_open(survey=draft, actor=casey)
    ResponseFactory.create(survey=draft)
    invitations_create(survey=draft, actor=casey, count=2, batch="Panel")
    copy = survey_duplicate(survey=draft, actor=casey)
    assert copy.pk != draft.pk and copy.duplicated_from == draft
    assert copy.status == Survey.Status.DRAFT and copy.created_by == casey
    assert copy.title["en"] == "Safety and trust, spring (copy)"
    assert copy.public_token and copy.public_token != draft.public_token
    assert _keys(copy) == _keys(draft)
    assert copy.responses.count() == 0 and copy.invitations.count() == 0
    follow_up = copy.questions.get(key="pj_contact_fair")
    assert follow_up.show_if is not None and follow_up.show_if.survey_id == copy.pk
    assert follow_up.show_if.key == "pj_contact"
    original = draft.questions.get(key="race_ethnicity")
    copied = copy.questions.get(key="race_ethnicity")
    assert [(o.value, o.label) for o in copied.options.all()] == [
        (o.value, o.label) for o in original.options.all()
    ]
    assert AuditEntry.objects.filter(action="surveys.survey.duplicate").count() == 1


# --- Questions and options ---


def test_questions_are_added_at_the_end_with_a_fresh_key_unless_given(draft, casey):
    question = question_add(
        survey=draft,
        actor=casey,
        kind=Question.Kind.TEXT,
        text={"en": "Anything else?", "es": "¿Algo más?"},
    )
    assert _keys(draft)[-1] == question.key and question.key.startswith("q")
    with pytest.raises(ValidationError) as caught:
        question_add(
            survey=draft, actor=casey, kind=Question.Kind.SCALE, text={"en": "x"}, key="safety"
        )
    assert "key" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        question_add(survey=draft, actor=casey, kind="slider", text={"en": "x"}, key="x")
    assert "kind" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        question_add(survey=draft, actor=casey, kind="text", text={"en": " "}, key="y")
    assert "text" in caught.value.message_dict
    assert AuditEntry.objects.filter(action="surveys.question.add").count() == 1


def test_key_and_kind_stay_and_questions_stay_once_answered(draft, casey):
    safety = draft.questions.get(key="safety")
    ResponseFactory.create(survey=draft, answers={"safety": 7})
    with pytest.raises(ValidationError):
        question_update(question=safety, actor=casey, key="feel_safe")
    with pytest.raises(ValidationError):
        question_update(question=safety, actor=casey, kind=Question.Kind.AGREE)
    with pytest.raises(ValidationError):
        question_delete(question=safety, actor=casey)
    question_update(question=safety, actor=casey, help={"en": "Think of the last month."})
    safety.refresh_from_db()
    assert safety.help == {"en": "Think of the last month."}


def test_deleting_a_question_frees_those_shown_on_its_condition(draft, casey):
    parent = draft.questions.get(key="pj_contact")
    question_delete(question=parent, actor=casey)
    follow_up = draft.questions.get(key="pj_contact_fair")
    assert follow_up.show_if is None and follow_up.show_if_values == []
    positions = list(draft.questions.order_by("position").values_list("position", flat=True))
    assert positions == list(range(len(positions)))
    assert AuditEntry.objects.filter(action="surveys.question.delete").count() == 1


def test_moving_a_question_keeps_conditions_after_their_question(draft, casey):
    keys = _keys(draft)
    question_move(question=draft.questions.get(key="trust_respect"), actor=casey, direction=-1)
    assert _keys(draft)[:2] == ["trust_respect", "safety"]
    question_move(question=draft.questions.get(key="trust_respect"), actor=casey, direction=-1)
    assert _keys(draft)[:2] == ["trust_respect", "safety"]
    with pytest.raises(ValidationError):
        question_move(
            question=draft.questions.get(key="pj_contact_fair"), actor=casey, direction=-1
        )
    with pytest.raises(ValidationError):
        question_move(question=draft.questions.get(key="pj_contact"), actor=casey, direction=1)
    assert sorted(_keys(draft)) == sorted(keys)


def test_a_condition_names_an_earlier_question_of_the_same_survey(draft, casey, agency):
    other = survey_create(
        agency=agency, created_by=casey, title=TITLE, instruments=["trust_safety"]
    )
    with pytest.raises(ValidationError) as caught:
        question_add(
            survey=draft,
            actor=casey,
            kind=Question.Kind.TEXT,
            text={"en": "Why?", "es": "¿Por qué?"},
            show_if=other.questions.get(key="safety"),
            show_if_values=["0"],
        )
    assert "show_if" in caught.value.message_dict
    safety = draft.questions.get(key="safety")
    with pytest.raises(ValidationError):
        question_update(question=safety, actor=casey, show_if=draft.questions.get(key="tenure"))
    with pytest.raises(ValidationError):
        question_update(question=safety, actor=casey, show_if=safety)


def test_options_are_replaced_in_order_but_not_taken_away_once_answered(draft, casey):
    park = question_add(
        survey=draft,
        actor=casey,
        kind=Question.Kind.MULTIPLE,
        text={"en": "Which parks?", "es": "¿Qué parques?"},
        key="parks",
    )
    options = options_set(
        question=park,
        actor=casey,
        options=[
            ("harlow", {"en": "Harlow Park", "es": "Parque Harlow"}),
            ("mill", {"en": "Mill Park", "es": "Parque Mill"}),
        ],
    )
    assert [o.value for o in options] == ["harlow", "mill"]
    with pytest.raises(ValidationError):
        options_set(question=park, actor=casey, options=[("a b", {"en": "x"})])
    with pytest.raises(ValidationError):
        options_set(question=park, actor=casey, options=[("a", {"en": "x"}), ("a", {"en": "y"})])
    with pytest.raises(ValidationError):
        options_set(question=draft.questions.get(key="safety"), actor=casey, options=[])
    ResponseFactory.create(survey=draft, answers={"parks": ["mill"]})
    with pytest.raises(ValidationError):
        options_set(question=park, actor=casey, options=[("harlow", {"en": "Harlow"})])
    options_set(
        question=park,
        actor=casey,
        options=[("mill", {"en": "Mill"}), ("harlow", {"en": "Harlow"}), ("oak", {"en": "Oak"})],
    )
    assert list(park.options.order_by("position").values_list("value", flat=True)) == [
        "mill",
        "harlow",
        "oak",
    ]
    entry = AuditEntry.objects.filter(action="surveys.question.options").latest("pk")
    assert entry.after == {"options": ["mill", "harlow", "oak"]}


# --- One-time links ---


def test_one_time_links_are_returned_once_and_only_their_hash_is_kept(draft, casey):
    tokens = invitations_create(
        survey=draft, actor=casey, count=3, batch="  Panel,   wave 1 ", language="es"
    )
    assert len(set(tokens)) == 3 and all(len(t) >= 40 for t in tokens)
    rows = list(Invitation.objects.filter(survey=draft))
    assert {r.token_hash for r in rows} == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    assert all(r.batch == "Panel, wave 1" and r.language == "es" for r in rows)
    stored = str(list(Invitation.objects.values())) + str(list(AuditEntry.objects.values()))
    assert not any(token in stored for token in tokens)
    assert invitation_for(survey=draft, token=tokens[0]) is not None
    assert invitation_for(survey=draft, token="not-a-token") is None
    entry = AuditEntry.objects.get(action="surveys.invitations.create")
    assert entry.after == {"batch": "Panel, wave 1", "count": 3, "language": "es"}


def test_one_time_links_need_a_batch_a_sensible_count_and_an_offered_language(draft, casey):
    for count, batch, language in (
        (0, "Panel", "en"),
        (10_001, "Panel", "en"),
        (1, "   ", "en"),
        (1, "Panel", "fr"),
    ):
        with pytest.raises(ValidationError):
            invitations_create(
                survey=draft, actor=casey, count=count, batch=batch, language=language
            )
    survey_open(survey=draft, actor=casey)
    survey_close(survey=draft, actor=casey)
    with pytest.raises(ValidationError):
        invitations_create(survey=draft, actor=casey, count=1, batch="Panel")
    assert not Invitation.objects.exists()


# --- Lists ---


def test_the_survey_list_counts_responses_and_questions_in_one_query(
    agency, casey, django_assert_num_queries
):
    from roundtable.surveys.selectors import invitation_counts, surveys_for

    surveys = [
        survey_create(agency=agency, created_by=casey, title=TITLE, instruments=["trust_safety"])
        for _n in range(3)
    ]
    for n, survey in enumerate(surveys):
        ResponseFactory.create_batch(n, survey=survey)
    with django_assert_num_queries(1):
        rows = {
            s.pk: (getattr(s, "response_count"), getattr(s, "question_count"))  # noqa: B009
            for s in surveys_for(agency=agency)
        }
    assert rows == {s.pk: (n, 4) for n, s in enumerate(surveys)}
    invitations_create(survey=surveys[0], actor=casey, count=3, batch="Wave 1")
    invitations_create(survey=surveys[0], actor=casey, count=2, batch="Wave 2")
    first = Invitation.objects.filter(batch="Wave 1").values_list("pk", flat=True)[:1]
    Invitation.objects.filter(pk__in=list(first)).update(used=True)
    with django_assert_num_queries(1):
        batches = invitation_counts(survey=surveys[0])
    assert [(b.batch, b.total, b.used, b.unused) for b in batches] == [
        ("Wave 1", 3, 1, 2),
        ("Wave 2", 2, 0, 2),
    ]
