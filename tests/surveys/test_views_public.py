"""Answering a survey through its open link: one page, no account, no JavaScript.

The survey here is a small trust and safety survey of Riverside: a required
0–10 safety scale, a yes/no contact question with an agree–disagree item shown
only after "yes", a multiple choice, the open "number one issue" and an area
pick.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from roundtable.inputs.models import Input, InputChannel
from roundtable.surveys.models import Audience, Measure, Question, Response, Survey
from roundtable.surveys.views_public import ANSWERED_COOKIE
from tests.factories import AreaFactory, OptionFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

THANKS = {"en": "Thank you, neighbour!", "es": "¡Gracias, vecino!"}


def make_survey(agency, **fields: Any) -> Survey:
    """The Riverside trust and safety survey (free text not sent to the ledger
    unless `text_to_inputs=True`)."""
    values: dict[str, Any] = {
        "agency": agency,
        "title": {"en": "Riverside safety survey", "es": "Encuesta de seguridad de Riverside"},
        "introduction": {"en": "Five minutes, anonymous.", "es": "Cinco minutos, anónima."},
        "thanks": THANKS,
        "text_to_inputs": False,
        "public_token": "riverside-open-link-0001",
        **fields,
    }
    survey = SurveyFactory.create(**values)
    QuestionFactory.create(
        survey=survey,
        position=1,
        key="safety",
        kind=Question.Kind.SCALE,
        required=True,
        measure=Measure.SAFETY,
        low_label={"en": "Not at all safe", "es": "Nada seguro"},
        high_label={"en": "Completely safe", "es": "Completamente seguro"},
    )
    contact = QuestionFactory.create(
        survey=survey,
        position=2,
        key="contact",
        kind=Question.Kind.SINGLE,
        text={"en": "Did you call the police this year?", "es": "¿Llamó a la policía este año?"},
    )
    OptionFactory.create(question=contact, position=1, value="yes", label={"en": "Yes", "es": "Sí"})
    OptionFactory.create(question=contact, position=2, value="no", label={"en": "No", "es": "No"})
    QuestionFactory.create(
        survey=survey,
        position=3,
        key="fair",
        kind=Question.Kind.AGREE,
        text={"en": "They treated me fairly.", "es": "Me trataron con justicia."},
        show_if=contact,
        show_if_values=["yes"],
    )
    worries = QuestionFactory.create(
        survey=survey,
        position=4,
        key="worries",
        kind=Question.Kind.MULTIPLE,
        text={"en": "What worries you?", "es": "¿Qué le preocupa?"},
    )
    for position, (value, en, es) in enumerate(
        [("speeding", "Speeding", "Exceso de velocidad"), ("theft", "Theft", "Robos")]
    ):
        OptionFactory.create(
            question=worries, position=position, value=value, label={"en": en, "es": es}
        )
    QuestionFactory.create(
        survey=survey,
        position=5,
        key="top_issue",
        kind=Question.Kind.TEXT,
        measure=Measure.TOP_ISSUE,
        text={"en": "The number one issue?", "es": "¿El problema número uno?"},
    )
    QuestionFactory.create(
        survey=survey,
        position=6,
        key="home",
        kind=Question.Kind.AREA,
        text={"en": "Where do you live?", "es": "¿Dónde vive?"},
    )
    return survey


@pytest.fixture
def eastbank(agency):
    return AreaFactory.create(agency=agency, name="Eastbank", slug="eastbank")


@pytest.fixture
def survey(agency, eastbank) -> Survey:
    return make_survey(agency)


def answer_url(survey: Survey, query: str = "") -> str:
    return reverse("surveys_public:answer", args=[survey.agency.slug, survey.public_token]) + query


def thanks_url(survey: Survey) -> str:
    return reverse("surveys_public:thanks", args=[survey.agency.slug, survey.public_token])


GOOD = {
    "q-safety": "7",
    "q-contact": "yes",
    "q-fair": "4",
    "q-worries": ["speeding", "theft"],
    "q-home": "eastbank",
}


# --- The page ---


def test_the_page_shows_every_question_as_a_phone_friendly_form(survey, client):
    response = client.get(answer_url(survey))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Riverside safety survey" in body and "Five minutes, anonymous." in body
    # The 0–10 scale: a fieldset with a legend and eleven radio buttons, the ends named.
    assert "<legend" in body and "How safe do you feel from crime" in body
    assert len(re.findall(r'type="radio" name="q-safety"', body)) == 11
    assert "Not at all safe" in body and "Completely safe" in body
    # Agree–disagree: five radios; multiple choice: checkboxes; area: a select; text: textarea.
    assert len(re.findall(r'name="q-fair"', body)) == 5 and "Strongly agree" in body
    assert len(re.findall(r'type="checkbox" name="q-worries"', body)) == 2
    assert '<select name="q-home"' in body and ">Eastbank</option>" in body
    assert '<textarea name="q-top_issue"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "surveys/survey.js" in body and "<script>" not in body and "style=" not in body
    assert "no-cache" in response["Cache-Control"]


def test_without_javascript_a_conditional_question_says_when_to_answer_it(survey, client):
    body = client.get(answer_url(survey)).content.decode()
    assert "Answer only if you answered “Yes” to question 2." in body
    # survey.js reads which answer shows it.
    assert 'data-show-if="q-contact"' in body and "data-show-values=" in body


def test_reading_the_page_stores_and_marks_nothing(survey, client):
    response = client.get(answer_url(survey))
    assert not Response.objects.exists()
    assert ANSWERED_COOKIE not in response.cookies


# --- Answering ---


def test_answers_are_stored_and_the_thank_you_page_follows(survey, eastbank, client):
    response = client.post(
        answer_url(survey),
        GOOD,
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Mozilla/5.0 (Secret phone)",
    )
    assert response.status_code == 302
    assert response["Location"] == thanks_url(survey)
    stored = Response.objects.get()
    assert stored.answers == {
        "safety": 7,
        "contact": "yes",
        "fair": 4,
        "worries": ["speeding", "theft"],
        "home": "eastbank",
    }
    assert stored.channel == Response.Channel.LINK and stored.language == "en"
    assert stored.area == eastbank
    thanks = client.get(response["Location"]).content.decode()
    assert THANKS["en"] in thanks


def test_nothing_about_the_client_is_stored(survey, rosa, client_for):
    browser = client_for(rosa)
    browser.post(
        answer_url(survey), GOOD, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Zebrafish/9.1"
    )
    stored = Response.objects.get()
    values = [str(getattr(stored, f.attname)) for f in Response._meta.concrete_fields]
    assert not any("203.0.113" in v or "Zebrafish" in v or "rosa" in v for v in values)
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "user_agent", "user", "account", "cookie"}


def test_a_qr_code_visit_counts_as_the_qr_channel(survey, client):
    page = client.get(answer_url(survey, "?via=qr")).content.decode()
    assert '<input type="hidden" name="via" value="qr">' in page
    client.post(answer_url(survey), {**GOOD, "via": "qr"})
    assert Response.objects.get().channel == Response.Channel.QR


def test_errors_come_back_next_to_their_questions_with_the_answers_kept(survey, client):
    response = client.post(
        answer_url(survey),
        {"q-contact": "yes", "q-fair": "9", "q-worries": ["theft"], "q-top_issue": "Speeding"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert not Response.objects.exists()
    assert response.context["sheet"].errors.keys() == {"safety", "fair"}
    # A summary at the top links to each question with a problem.
    assert "data-error-summary" in body and 'role="alert"' in body
    assert 'href="#q-safety.0"' in body and 'href="#q-fair.1"' in body
    assert "<title>Error:" in body
    # Each error sits by its question and is read with it.
    assert 'id="q-safety.error"' in body
    assert re.search(r'aria-describedby="[^"]*q-safety.error', body)
    assert re.search(r'aria-describedby="[^"]*q-fair.error', body)
    # Nothing answered is lost.
    assert 'id="q-contact.yes" value="yes" checked' in body
    assert 'id="q-worries.theft" value="theft" checked' in body
    assert 'id="q-worries.speeding" value="speeding">' in body
    assert ">Speeding</textarea>" in body


def test_answers_to_a_question_not_shown_are_dropped(survey, client):
    client.post(answer_url(survey), {**GOOD, "q-contact": "no", "q-fair": "1"})
    assert Response.objects.get().answers == {
        "safety": 7,
        "contact": "no",
        "worries": ["speeding", "theft"],
        "home": "eastbank",
    }


def test_a_bot_in_the_honeypot_is_thanked_and_nothing_is_kept(survey, client):
    response = client.post(answer_url(survey), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == thanks_url(survey)
    assert not Response.objects.exists()


# --- Languages ---


def test_the_survey_speaks_spanish_with_the_spanish_site_language(settings, survey, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    body = client.get(answer_url(survey)).content.decode()
    assert "Encuesta de seguridad de Riverside" in body
    assert "¿Qué tan seguro se siente" in body and "Nada seguro" in body
    assert "¿Llamó a la policía este año?" in body and ">Sí</label>" in body
    assert '<html lang="es">' in body
    client.post(answer_url(survey), GOOD)
    assert Response.objects.get().language == "es"
    thanks = client.get(thanks_url(survey)).content.decode()
    assert THANKS["es"] in thanks


def test_a_survey_not_offered_in_the_site_language_is_shown_in_its_own(
    settings, agency, eastbank, client
):
    english_only = make_survey(agency, languages=["en"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    body = client.get(answer_url(english_only)).content.decode()
    # The whole page follows the survey, so no question mixes two languages.
    assert '<html lang="en">' in body and "How safe do you feel" in body
    assert "Send my answers" in body
    client.post(answer_url(english_only), GOOD)
    assert Response.objects.get().language == "en"


# --- Free text to the response ledger ---


def test_free_text_becomes_an_input_and_its_receipt_code_is_shown_once(agency, eastbank, client):
    survey = make_survey(agency, text_to_inputs=True)
    page = client.get(answer_url(survey)).content.decode()
    assert "you will get a receipt code" in page
    response = client.post(
        answer_url(survey), {**GOOD, "q-top_issue": "Cars racing on Harbor Road at night"}
    )
    # The thank-you page is the answer to the POST: the code is in no address.
    assert response.status_code == 200
    item = Input.objects.get()
    assert item.channel == InputChannel.SURVEY and item.is_anonymous
    body = response.content.decode()
    code = f"{item.receipt_code[:5]}-{item.receipt_code[5:]}"
    assert code in body and THANKS["en"] in body
    addresses = re.findall(r'(?:href|action|src)="([^"]*)"', body)
    assert not any(item.receipt_code in a.upper().replace("-", "") for a in addresses)
    # Following it is the receipt lookup, a POST.
    assert reverse("inputs_public:receipt_lookup", args=[agency.slug]) in body
    assert "no-cache" in response["Cache-Control"]
    assert ANSWERED_COOKIE in response.cookies


# --- One response per browser, on the open link ---


def test_after_answering_this_browser_is_told_it_has_answered(survey, client):
    response = client.post(answer_url(survey), GOOD)
    cookie = response.cookies[ANSWERED_COOKIE]
    assert cookie.value == "1" and cookie["httponly"] and cookie["path"] == answer_url(survey)
    # One name for every survey (the path tells them apart): the name does not
    # list which surveys this browser answered.
    assert str(survey.pk) not in ANSWERED_COOKIE
    assert cookie["samesite"] == "Lax"
    again = client.get(answer_url(survey))
    body = again.content.decode()
    assert "already been answered on this device" in body
    assert 'name="q-safety"' not in body
    assert answer_url(survey, "?again=1") in body


def test_a_second_post_from_a_page_loaded_before_answering_is_not_stored(survey, client):
    client.post(answer_url(survey), GOOD)
    response = client.post(answer_url(survey), GOOD)  # the back button, a double submit
    assert response.status_code == 409
    assert "already been answered on this device" in response.content.decode()
    assert Response.objects.count() == 1


def test_another_person_on_a_shared_device_can_choose_to_answer(survey, client):
    client.post(answer_url(survey), GOOD)
    page = client.get(answer_url(survey, "?again=1")).content.decode()
    assert 'name="q-safety"' in page and '<input type="hidden" name="again" value="1">' in page
    response = client.post(answer_url(survey), {**GOOD, "q-safety": "3", "again": "1"})
    assert response.status_code == 302
    assert sorted(Response.objects.values_list("answers__safety", flat=True)) == [3, 7]


def _form_id(page: str) -> str:
    match = re.search(r'name="form_id" value="([\w-]+)"', page)
    assert match, "no form id on the page"
    return match.group(1)


def test_a_page_sent_twice_as_another_person_is_stored_once(survey, client):
    """The cookie cannot stop a double tap after "answer as another person": the
    page's one-use form id does."""
    client.post(answer_url(survey), GOOD)
    page = client.get(answer_url(survey, "?again=1")).content.decode()
    sent = {**GOOD, "q-safety": "3", "again": "1", "form_id": _form_id(page)}
    assert client.post(answer_url(survey), sent).status_code == 302
    twice = client.post(answer_url(survey), sent)
    assert twice.status_code == 409
    assert "already been answered on this device" in twice.content.decode()
    assert Response.objects.count() == 2
    # A new load of the page is a new person's form.
    fresh = client.get(answer_url(survey, "?again=1")).content.decode()
    assert _form_id(fresh) != sent["form_id"]
    assert client.post(answer_url(survey), {**sent, "form_id": _form_id(fresh)}).status_code == 302
    assert Response.objects.count() == 3


def test_a_form_id_is_used_up_only_by_stored_answers(survey, client, monkeypatch):
    form_id = _form_id(client.get(answer_url(survey)).content.decode())
    wrong = client.post(answer_url(survey), {"q-safety": "11", "form_id": form_id})
    assert wrong.status_code == 400
    # Refused by the service itself (here: closed just as the answers arrive).
    from roundtable.surveys import services

    def closing(**kwargs):
        Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
        raise ValidationError("This survey is not open for answers.")

    monkeypatch.setattr(services, "response_submit", closing)
    assert client.post(answer_url(survey), {**GOOD, "form_id": form_id}).status_code == 409
    monkeypatch.undo()
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    assert client.post(answer_url(survey), {**GOOD, "form_id": form_id}).status_code == 302
    assert Response.objects.count() == 1


# --- Limits and refusals ---


def test_too_many_answers_from_one_client_are_refused_with_the_answers_kept(
    settings, survey, client
):
    settings.ROUNDTABLE_SURVEY_RESPONSE_LIMIT = 2
    # A form sent back for correction costs nothing.
    assert client.post(answer_url(survey), {"q-contact": "no"}).status_code == 400
    for _ in range(2):
        post = client.post(answer_url(survey), {**GOOD, "again": "1"}, REMOTE_ADDR="198.51.100.4")
        assert post.status_code == 302
    limited = client.post(answer_url(survey), {**GOOD, "again": "1"}, REMOTE_ADDR="198.51.100.4")
    assert limited.status_code == 429
    assert limited["Retry-After"] == str(settings.ROUNDTABLE_SURVEY_RESPONSE_WINDOW)
    body = limited.content.decode()
    assert "Please send your answers again" in body
    assert 'id="q-safety.7" value="7" checked' in body
    assert Response.objects.count() == 2
    elsewhere = Client().post(answer_url(survey), GOOD, REMOTE_ADDR="198.51.100.5")
    assert elsewhere.status_code == 302


def test_the_form_needs_its_csrf_token(survey):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(answer_url(survey), GOOD).status_code == 403
    assert not Response.objects.exists()
    page = browser.get(answer_url(survey))
    token = str(page.context["csrf_token"])
    response = browser.post(answer_url(survey), {**GOOD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Response.objects.count() == 1


def test_a_closed_survey_says_so_and_takes_no_answers(survey, client):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    page = client.get(answer_url(survey))
    assert page.status_code == 200
    assert "This survey is closed" in page.content.decode()
    response = client.post(answer_url(survey), GOOD)
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_a_draft_survey_is_not_open_yet(survey, client):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.DRAFT)
    body = client.get(answer_url(survey)).content.decode()
    assert "This survey is not open yet" in body and 'name="q-safety"' not in body
    assert client.post(answer_url(survey), GOOD).status_code == 409
    assert not Response.objects.exists()


def test_unknown_and_replaced_links_are_not_found(survey, other_agency, client):
    old = answer_url(survey)
    Survey.objects.filter(pk=survey.pk).update(public_token="a-brand-new-token-000000")
    assert client.get(old).status_code == 404
    assert client.post(old, GOOD).status_code == 404
    unknown = reverse("surveys_public:answer", args=[survey.agency.slug, "no-such-token"])
    assert client.get(unknown).status_code == 404
    elsewhere = reverse(
        "surveys_public:answer", args=[other_agency.slug, "a-brand-new-token-000000"]
    )
    assert client.get(elsewhere).status_code == 404
    assert not Response.objects.exists()


# --- The public list ---


def list_url(agency) -> str:
    return reverse("surveys_public:list", args=[agency.slug])


def test_only_open_public_surveys_are_listed(agency, other_agency, client):
    listed = SurveyFactory.create(agency=agency, title={"en": "Safety in Riverside"})
    unlisted: list[tuple[str, dict[str, Any]]] = [
        ("After your call", {"audience": Audience.CONTACT}),
        ("Officer wellness", {"audience": Audience.INTERNAL}),
        ("Not yet", {"status": Survey.Status.DRAFT}),
        ("Last year", {"status": Survey.Status.CLOSED}),
        ("No open link", {"public_token": None}),
    ]
    for title, fields in unlisted:
        SurveyFactory.create(agency=agency, title={"en": title}, **fields)
    SurveyFactory.create(agency=other_agency, title={"en": "Campus safety"})
    body = client.get(list_url(agency)).content.decode()
    assert "Safety in Riverside" in body and answer_url(listed) in body
    for title in ("After your call", "Officer wellness", "Not yet", "Last year", "No open link"):
        assert title not in body
    assert "Campus safety" not in body


def test_published_results_are_listed_for_public_surveys_only(agency, client):
    closed = SurveyFactory.create(
        agency=agency,
        title={"en": "Safety 2024"},
        status=Survey.Status.CLOSED,
        publish_results=True,
    )
    SurveyFactory.create(
        agency=agency,
        title={"en": "Wellness 2024"},
        audience=Audience.INTERNAL,
        status=Survey.Status.CLOSED,
        publish_results=True,
    )
    body = client.get(list_url(agency)).content.decode()
    assert reverse("surveys_public:results", args=[agency.slug, closed.pk]) in body
    assert "Wellness 2024" not in body


def test_the_list_reads_a_bounded_number_of_rows(agency, client, django_assert_max_num_queries):
    for n in range(12):
        SurveyFactory.create(agency=agency, title={"en": f"Survey {n}"}, publish_results=n % 2 == 0)
    with django_assert_max_num_queries(4):
        response = client.get(list_url(agency))
    assert response.content.decode().count(">Answer<") == 12


# --- Internal surveys ---


def test_an_internal_surveys_open_link_works_for_whoever_holds_it(agency, eastbank, client):
    wellness = make_survey(agency, audience=Audience.INTERNAL, text_to_inputs=True)
    page = client.get(answer_url(wellness)).content.decode()
    assert "receipt code" not in page  # officers' words never leave the survey
    response = client.post(
        answer_url(wellness), {**GOOD, "q-top_issue": "Too many overtime shifts"}
    )
    assert response.status_code == 302
    assert Response.objects.get().answers["top_issue"] == "Too many overtime shifts"
    assert not Input.objects.exists()
    assert answer_url(wellness) not in client.get(list_url(agency)).content.decode()
