"""Staff pages of surveys: who may use each, the list, a new survey, the
builder (questions, options, conditions, moves, deletes), opening and
closing, duplicating and the preview.

Casey (coordinator) builds the spring survey from the trust and safety
instrument; Cleo (command staff) reads it; Ana (analyst) reads and exports.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roundtable.surveys.models import Audience, Question, Survey
from roundtable.surveys.services import survey_create
from tests.factories import AreaFactory, OptionFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

TITLE = {"en": "Safety and trust, spring", "es": "Seguridad y confianza, primavera"}

# Every page of one survey: (URL name, method, takes a question, who may use it).
# "viewers": SURVEY_VIEWERS (Cleo too); "editors": coordinators and administrators;
# "analysts": analysts, coordinators and administrators.
PAGES = [
    ("detail", "get", False, "viewers"),
    ("preview", "get", False, "viewers"),
    ("results", "get", False, "viewers"),
    ("export", "get", False, "analysts"),
    ("edit", "get", False, "editors"),
    ("open", "post", False, "editors"),
    ("close", "post", False, "editors"),
    ("duplicate", "post", False, "editors"),
    ("question_add", "get", False, "editors"),
    ("question_edit", "get", True, "editors"),
    ("question_options", "get", True, "editors"),
    ("question_move", "post", True, "editors"),
    ("question_delete", "post", True, "editors"),
    ("distribution", "get", False, "editors"),
    ("print", "get", False, "editors"),
    ("link_rotate", "post", False, "editors"),
    ("invitations_create", "post", False, "editors"),
    ("contacts", "post", False, "editors"),
]
# Pages of the agency: (URL name, who may use it).
AGENCY_PAGES = [
    ("list", "viewers"),
    ("create", "editors"),
    ("populations", "viewers"),
    ("population_import", "analysts"),
]


@pytest.fixture
def spring(agency, casey) -> Survey:
    return survey_create(agency=agency, created_by=casey, title=TITLE, instruments=["trust_safety"])


def page_url(name: str, survey: Survey, with_question: bool, slug: str | None = None) -> str:
    args: list[object] = [slug or survey.agency.slug, survey.pk]
    if with_question:
        args.append(survey.questions.order_by("position")[0].pk)
    return reverse(f"surveys:{name}", args=args)


def call(client: Client, method: str, url: str):
    return client.get(url) if method == "get" else client.post(url, {})


@pytest.mark.parametrize(("name", "method", "with_question", "who"), PAGES)
def test_every_survey_page_refuses_who_it_must(
    name, method, with_question, who, spring, rosa, pat, uma, cleo, ana, client_for
):
    url = page_url(name, spring, with_question)
    anonymous = call(Client(), method, url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    for person in (rosa, pat, uma):
        assert call(client_for(person), method, url).status_code == 403, person
    if who != "viewers":
        assert call(client_for(cleo), method, url).status_code == 403
    if who == "editors":
        assert call(client_for(ana), method, url).status_code == 403
    if method == "post":
        assert client_for(ana).get(url).status_code == 405


@pytest.mark.parametrize(("name", "method", "with_question", "who"), PAGES)
def test_another_agencys_survey_does_not_exist_for_its_staff(
    name, method, with_question, who, spring, other_agency, uma, client_for
):
    url = page_url(name, spring, with_question, slug=other_agency.slug)
    assert call(client_for(uma), method, url).status_code == 404


def test_every_page_opens_for_those_it_is_for(spring, casey, cleo, client_for):
    """Each page renders, for a coordinator, and for command staff where they may read."""
    choice = QuestionFactory.create(survey=spring, kind=Question.Kind.SINGLE, position=50)
    OptionFactory.create(question=choice, value="yes", label={"en": "Yes", "es": "Sí"})
    slug = spring.agency.slug
    for name, method, with_question, who in PAGES:
        if method != "get":
            continue
        args: list[object] = [slug, spring.pk] + ([choice.pk] if with_question else [])
        url = reverse(f"surveys:{name}", args=args)
        assert client_for(casey).get(url).status_code == 200, name
        if who == "viewers":
            assert client_for(cleo).get(url).status_code == 200, name
    for name, _who in AGENCY_PAGES:
        assert client_for(casey).get(reverse(f"surveys:{name}", args=[slug])).status_code == 200


@pytest.mark.parametrize(("name", "who"), AGENCY_PAGES)
def test_the_agency_pages_refuse_who_they_must(
    name, who, agency, rosa, pat, uma, cleo, ana, client_for
):
    url = reverse(f"surveys:{name}", args=[agency.slug])
    assert Client().get(url).status_code == 302
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403, person
    assert client_for(cleo).get(url).status_code == (200 if who == "viewers" else 403)
    assert client_for(ana).get(url).status_code == (403 if who == "editors" else 200)


def test_the_staff_menu_leads_to_surveys_for_staff_only(agency, cleo, rosa, client_for):
    home = reverse("core:agency_home", args=[agency.slug])
    surveys = reverse("surveys:list", args=[agency.slug])
    assert surveys in client_for(cleo).get(home).content.decode()
    assert surveys not in client_for(rosa).get(home).content.decode()


# --- The list ---


def test_the_list_shows_status_audience_and_responses(spring, agency, cleo, client_for):
    from tests.factories import ResponseFactory

    busy = SurveyFactory.create(agency=agency, audience=Audience.INTERNAL)
    ResponseFactory.create_batch(12, survey=busy)
    ResponseFactory.create_batch(3, survey=spring)
    page = client_for(cleo).get(reverse("surveys:list", args=[agency.slug]))
    html = page.content.decode()
    assert "Safety and trust, spring" in html and "Draft" in html
    assert "Agency staff (internal, never published)" in html
    rows = {survey.pk: survey for survey in page.context["page"]}
    assert rows[busy.pk].response_count == 12
    # Three responses: a count under ten is never shown, on staff pages either.
    assert ">3<" not in html and "fewer than 10" in html
    assert "New survey" not in html  # Cleo reads; she does not build


def test_the_list_costs_the_same_queries_for_one_or_twenty_surveys(
    agency, casey, client_for, django_assert_max_num_queries
):
    client = client_for(casey)
    url = reverse("surveys:list", args=[agency.slug])
    SurveyFactory.create(agency=agency)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    area = AreaFactory.create(agency=agency)
    SurveyFactory.create_batch(19, agency=agency, area=area, created_by=casey)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert len(page.context["page"]) == 20


def test_the_builder_costs_the_same_queries_for_few_or_many_questions(
    agency, casey, client_for, django_assert_max_num_queries
):
    survey = SurveyFactory.create(agency=agency)
    first = QuestionFactory.create(survey=survey, kind=Question.Kind.SINGLE)
    OptionFactory.create(question=first)
    client = client_for(casey)
    url = reverse("surveys:detail", args=[agency.slug, survey.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(15):
        question = QuestionFactory.create(survey=survey, kind=Question.Kind.SINGLE, show_if=first)
        OptionFactory.create_batch(3, question=question)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url).context["rows"]) == 16


# --- A new survey ---


def test_the_new_survey_page_offers_the_instruments_trust_and_safety_ticked(
    agency, casey, client_for
):
    page = client_for(casey).get(reverse("surveys:create", args=[agency.slug]))
    html = page.content.decode()
    for label in (
        "Trust and safety",
        "Procedural justice and legitimacy",
        "Satisfaction after a call for service",
        "Officer wellness pulse",
        "Demographics",
    ):
        assert label in html
    assert page.context["form"]["instruments"].initial == ["trust_safety"]
    assert 'name="title_en"' in html and 'name="title_es"' in html


def test_a_coordinator_creates_a_draft_from_instruments(agency, casey, client_for):
    area = AreaFactory.create(agency=agency, name="Harlow")
    response = client_for(casey).post(
        reverse("surveys:create", args=[agency.slug]),
        {
            "title_en": "Harlow, spring",
            "title_es": "Harlow, primavera",
            "languages": ["en", "es"],
            "audience": "",
            "area": area.pk,
            "instruments": ["trust_safety", "demographics"],
        },
    )
    survey = Survey.objects.get(agency=agency)
    assert response.status_code == 302 and response["Location"].endswith(f"/surveys/{survey.pk}/")
    assert survey.title == {"en": "Harlow, spring", "es": "Harlow, primavera"}
    assert survey.status == Survey.Status.DRAFT and survey.area == area
    assert survey.audience == Audience.PUBLIC
    keys = list(survey.questions.values_list("key", flat=True))
    assert "safety" in keys and len(keys) > 6


def test_the_title_is_needed_in_every_language_offered(agency, casey, client_for):
    response = client_for(casey).post(
        reverse("surveys:create", args=[agency.slug]),
        {"title_en": "Harlow", "languages": ["en", "es"], "instruments": ["trust_safety"]},
    )
    assert response.status_code == 400
    assert "title_es" in response.context["form"].errors
    assert not Survey.objects.exists()


def test_the_service_refusal_comes_back_on_the_form(agency, casey, client_for):
    response = client_for(casey).post(
        reverse("surveys:create", args=[agency.slug]),
        {
            "title_en": "Pulse",
            "title_es": "Pulso",
            "languages": ["en", "es"],
            "audience": "public",
            "instruments": ["wellness_pulse"],
        },
    )
    assert response.status_code == 400
    assert "make it internal" in response.content.decode()


# --- The builder: the round trip ---


def test_casey_builds_edits_adds_a_conditional_question_and_opens(agency, casey, client_for):
    client = client_for(casey)
    client.post(
        reverse("surveys:create", args=[agency.slug]),
        {
            "title_en": "Harlow, spring",
            "title_es": "Harlow, primavera",
            "languages": ["en", "es"],
            "instruments": ["trust_safety"],
        },
    )
    survey = Survey.objects.get(agency=agency)
    safety = survey.questions.get(key="safety")

    # Edit the Spanish text of the safety question; the English stays.
    edit_url = reverse("surveys:question_edit", args=[agency.slug, survey.pk, safety.pk])
    form = client.get(edit_url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"text_es": "¿Qué tan seguro se siente en su barrio?", "required": "on"})
    data["show_if"] = ""
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    safety.refresh_from_db()
    assert safety.text["es"] == "¿Qué tan seguro se siente en su barrio?"
    assert safety.text["en"].startswith("How safe")
    assert safety.required

    # Add a question shown only to those who feel unsafe (0–4).
    response = client.post(
        reverse("surveys:question_add", args=[agency.slug, survey.pk]),
        {
            "kind": "single",
            "key": "unsafe_when",
            "text_en": "When do you feel least safe?",
            "text_es": "¿Cuándo se siente menos seguro?",
            "show_if": safety.pk,
            "show_if_values": "0, 1, 2, 3, 4",
        },
    )
    added = survey.questions.get(key="unsafe_when")
    # A choice question goes on to its options.
    options_url = reverse("surveys:question_options", args=[agency.slug, survey.pk, added.pk])
    assert response["Location"] == options_url
    assert added.show_if == safety and added.show_if_values == ["0", "1", "2", "3", "4"]

    # Opening is refused while the new question has no options, and says why.
    open_url = reverse("surveys:open", args=[agency.slug, survey.pk])
    page = client.post(open_url, follow=True).content.decode()
    assert "cannot be opened yet" in page and "unsafe_when" in page
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT

    # The options, with a blank row left out.
    response = client.post(
        options_url,
        {
            "options-TOTAL_FORMS": "3",
            "options-INITIAL_FORMS": "0",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "100",
            "options-0-value": "night",
            "options-0-label_en": "At night",
            "options-0-label_es": "De noche",
            "options-1-value": "day",
            "options-1-label_en": "During the day",
            "options-1-label_es": "De día",
        },
    )
    assert response.status_code == 302
    assert [(o.value, o.label["es"]) for o in added.options.order_by("position")] == [
        ("night", "De noche"),
        ("day", "De día"),
    ]

    response = client.post(open_url, follow=True)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.public_token
    assert "The survey is open for answers." in response.content.decode()


def test_a_condition_must_name_answers_the_question_can_have(spring, casey, client_for):
    safety = spring.questions.get(key="safety")
    response = client_for(casey).post(
        reverse("surveys:question_add", args=[spring.agency.slug, spring.pk]),
        {"kind": "text", "text_en": "Why?", "show_if": safety.pk, "show_if_values": "11"},
    )
    assert response.status_code == 400
    assert "show_if_values" in response.context["form"].errors
    assert not spring.questions.filter(kind="text", text__en="Why?").exists()


def test_missing_translations_are_flagged_on_the_builder(spring, cleo, client_for):
    safety = spring.questions.get(key="safety")
    safety.text = {"en": safety.text["en"]}
    safety.save()
    page = client_for(cleo).get(reverse("surveys:detail", args=[spring.agency.slug, spring.pk]))
    row = next(r for r in page.context["rows"] if r.question == safety)
    assert row.missing == ["es"]
    html = page.content.decode()
    assert "Missing translation:" in html
    # Cleo reads the builder; the editing buttons are not hers.
    assert "Add a question" not in html and "Move up" not in html


def test_moving_a_question_answers_htmx_with_the_list(spring, casey, client_for):
    keys = list(spring.questions.order_by("position").values_list("key", flat=True))
    second = spring.questions.get(key=keys[1])
    url = reverse("surveys:question_move", args=[spring.agency.slug, spring.pk, second.pk])
    response = client_for(casey).post(url, {"direction": "-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "surveys/partials/questions.html"
    moved = list(spring.questions.order_by("position").values_list("key", flat=True))
    assert moved[:2] == [keys[1], keys[0]]
    # Without JavaScript: back to the question on the survey's page.
    plain = client_for(casey).post(url, {"direction": "1"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#question-{second.pk}")


def test_deleting_a_question(spring, casey, client_for):
    issue = spring.questions.get(key="top_issue")
    url = reverse("surveys:question_delete", args=[spring.agency.slug, spring.pk, issue.pk])
    response = client_for(casey).post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "top_issue" not in response.content.decode()
    assert not spring.questions.filter(key="top_issue").exists()


def test_the_settings_change_texts_and_weighting(spring, casey, client_for):
    url = reverse("surveys:edit", args=[spring.agency.slug, spring.pk])
    client = client_for(casey)
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(
        {
            "thanks_es": "¡Gracias!",
            "thanks_en": "Thanks!",
            "weighting_variables": ["area", "age_band"],
            "weight_cap": "4",
        }
    )
    data.pop("area", None)
    data.pop("population", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    spring.refresh_from_db()
    assert spring.thanks == {"en": "Thanks!", "es": "¡Gracias!"}
    assert spring.weighting_variables == ["area", "age_band"] and spring.weight_cap == 4.0


def test_closing_and_duplicating(spring, casey, client_for):
    client = client_for(casey)
    slug = spring.agency.slug
    client.post(reverse("surveys:open", args=[slug, spring.pk]))
    client.post(reverse("surveys:close", args=[slug, spring.pk]))
    spring.refresh_from_db()
    assert spring.status == Survey.Status.CLOSED
    response = client.post(reverse("surveys:duplicate", args=[slug, spring.pk]))
    copy = Survey.objects.exclude(pk=spring.pk).get()
    assert response["Location"].endswith(f"/surveys/{copy.pk}/")
    assert copy.status == Survey.Status.DRAFT and copy.duplicated_from == spring
    assert copy.questions.count() == spring.questions.count()


def test_the_preview_shows_the_respondents_page_in_the_language_chosen(spring, cleo, client_for):
    url = reverse("surveys:preview", args=[spring.agency.slug, spring.pk])
    html = client_for(cleo).get(url, {"language": "es"}).content.decode()
    assert "Seguridad y confianza, primavera" in html
    assert "Vista previa" in html or "Preview" in html
    english = client_for(cleo).get(url).content.decode()
    assert "Safety and trust, spring" in english
    # Nothing can be sent from it.
    assert 'type="submit" class="rt-sv-send"' not in english
