"""Theme pages, with who may and may not use each."""

import pytest
from django.urls import reverse

from roundtable.inputs.models import Moderation
from roundtable.priorities.models import Candidate, InputTheme, Theme
from tests.factories import InputFactory, ThemeFactory

pytestmark = pytest.mark.django_db

STREET_LIGHTS = [
    "The street lights on Maple Court have been out for weeks",
    "Broken street lights make the walk home from the bus stop scary",
    "Please fix the street lights near the underpass, it is completely dark",
    "Dark alley, no lights, people feel unsafe walking at night, call me on 212-736-5000",
]
BREAK_INS = [
    "Our car was broken into last week, window smashed and bag stolen",
    "Car break-in on Pine Street overnight, third this month",
    "Car break-ins keep happening in the parking lot behind the library",
    "Car broken into again, another break-in in the parking lot",
]


def _url(name, agency, *args):
    return reverse(name, args=[agency.slug, *args])


def test_staff_who_read_priorities_see_themes(agency, speeding, casey, ana, cleo, adam, client_for):
    for person in (casey, ana, cleo, adam):
        client = client_for(person)
        assert client.get(_url("priorities:themes", agency)).status_code == 200
        assert client.get(_url("priorities:theme", agency, speeding.pk)).status_code == 200


@pytest.mark.parametrize(
    "page", ["priorities:themes", "priorities:theme_suggestions", "priorities:tag_input"]
)
def test_residents_partners_other_agencies_and_strangers_are_refused(
    page, agency, rosa, pat, uma, client, client_for
):
    url = _url(page, agency)
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403, person
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_command_staff_read_themes_but_may_not_tag_or_see_suggestions(
    agency, speeding, marisol_input, cleo, client_for
):
    client = client_for(cleo)
    page = client.get(_url("priorities:theme", agency, speeding.pk)).content.decode()
    assert "Add inputs to this theme" not in page
    assert client.get(_url("priorities:theme_suggestions", agency)).status_code == 403
    response = client.post(
        _url("priorities:theme_tag", agency, speeding.pk), {"inputs": [marisol_input.pk]}
    )
    assert response.status_code == 403
    assert client.post(_url("priorities:theme_create", agency), {"name": "X"}).status_code == 403
    assert not InputTheme.objects.exists()


def test_a_theme_of_another_agency_is_not_found(agency, other_agency, ana, client_for):
    foreign = ThemeFactory.create(agency=other_agency)
    assert client_for(ana).get(_url("priorities:theme", agency, foreign.pk)).status_code == 404


def test_the_analyst_creates_a_theme_and_tags_inputs_from_its_page(
    agency, ana, marisol_input, anonymous_input, client_for
):
    client = client_for(ana)
    response = client.post(
        _url("priorities:theme_create", agency), {"name": "Speeding", "description": ""}
    )
    theme = Theme.objects.get(name="Speeding")
    assert response["Location"] == _url("priorities:theme", agency, theme.pk)
    page = client.get(response["Location"] + "?q=escuela").content.decode()
    assert marisol_input.receipt_code in page
    assert anonymous_input.receipt_code not in page
    client.post(
        _url("priorities:theme_tag", agency, theme.pk),
        {"inputs": [marisol_input.pk, anonymous_input.pk]},
    )
    assert {t.input for t in InputTheme.objects.filter(theme=theme)} == {
        marisol_input,
        anonymous_input,
    }
    client.post(_url("priorities:theme_untag", agency, theme.pk, anonymous_input.pk))
    assert [t.input for t in InputTheme.objects.all()] == [marisol_input]


def test_a_duplicate_theme_name_comes_back_as_a_form_error(agency, ana, speeding, client_for):
    response = client_for(ana).post(
        _url("priorities:theme_create", agency), {"name": "Speeding near schools"}
    )
    assert response.status_code == 200
    assert "There is already a theme with this name." in response.content.decode()


def test_an_input_is_tagged_by_its_receipt_code(agency, ana, speeding, marisol_input, client_for):
    code = marisol_input.receipt_code
    response = client_for(ana).post(
        _url("priorities:tag_input", agency),
        {"receipt_code": f"{code[:5]}-{code[5:]}".lower(), "themes": [speeding.pk]},
    )
    assert response.status_code == 302
    assert InputTheme.objects.filter(theme=speeding, input=marisol_input).exists()


def test_a_receipt_code_of_another_agency_is_not_found(
    agency, other_agency, ana, speeding, client_for
):
    foreign = InputFactory.create(agency=other_agency)
    response = client_for(ana).post(
        _url("priorities:tag_input", agency),
        {"receipt_code": foreign.receipt_code, "themes": [speeding.pk]},
    )
    assert response.status_code == 200
    assert "No input of this agency has that receipt code." in response.content.decode()
    assert not InputTheme.objects.exists()


def test_a_candidate_is_made_from_a_theme_page(
    agency, ana, speeding, marisol_input, eastbank, client_for
):
    InputTheme.objects.create(input=marisol_input, theme=speeding)
    response = client_for(ana).post(
        _url("priorities:theme_candidate", agency, speeding.pk), {"title": ""}
    )
    candidate = Candidate.objects.get()
    assert response["Location"] == _url("priorities:candidate", agency, candidate.pk)
    assert candidate.title == "Speeding near schools"
    assert candidate.source == Candidate.Source.THEME


def test_suggestions_propose_groups_redacted_and_without_hidden_or_tagged_inputs(
    agency, ana, client_for
):
    for text in STREET_LIGHTS + BREAK_INS:
        InputFactory.create(agency=agency, text=text)
    hidden = InputFactory.create(
        agency=agency,
        text="Street lights are out and the lights nobody fixes are dark",
        moderation=Moderation.HIDDEN,
    )
    tagged = InputFactory.create(agency=agency, text="Street lights dark near the lights")
    InputTheme.objects.create(input=tagged, theme=ThemeFactory.create(agency=agency))
    page = client_for(ana).get(_url("priorities:theme_suggestions", agency)).content.decode()
    assert "lights, dark" in page
    assert "break, car" in page
    assert "212-736-5000" not in page and "[phone]" in page
    assert hidden.receipt_code not in page
    assert tagged.receipt_code not in page
    assert not Theme.objects.exclude(pk=tagged.theme_tags.get().theme_id).exists()


def test_confirming_a_suggestion_tags_only_the_ticked_inputs(agency, ana, client_for):
    lights = [InputFactory.create(agency=agency, text=text) for text in STREET_LIGHTS]
    response = client_for(ana).post(
        _url("priorities:theme_suggestion_accept", agency),
        {"inputs": [lights[0].pk, lights[1].pk], "theme": "", "name": "Street lights out"},
    )
    theme = Theme.objects.get(name="Street lights out")
    assert response["Location"] == _url("priorities:theme", agency, theme.pk)
    tags = InputTheme.objects.filter(theme=theme)
    assert {t.input for t in tags} == {lights[0], lights[1]}
    assert all(t.from_suggestion for t in tags)


def test_choosing_an_existing_theme_wins_over_the_proposed_name(
    agency, ana, speeding, marisol_input, client_for
):
    client_for(ana).post(
        _url("priorities:theme_suggestion_accept", agency),
        {"inputs": [marisol_input.pk], "theme": speeding.pk, "name": "coches, escuela"},
    )
    assert Theme.objects.get() == speeding
    assert InputTheme.objects.get().theme == speeding


def test_confirming_nothing_ticked_says_so(agency, ana, client_for):
    response = client_for(ana).post(
        _url("priorities:theme_suggestion_accept", agency), {"name": "Empty"}, follow=True
    )
    assert "Tick at least one input." in response.content.decode()
    assert not Theme.objects.exists()


def test_the_theme_list_takes_a_bounded_number_of_queries(
    agency, ana, client_for, django_assert_max_num_queries
):
    for _ in range(12):
        theme = ThemeFactory.create(agency=agency)
        InputTheme.objects.create(input=InputFactory.create(agency=agency), theme=theme)
    client = client_for(ana)
    with django_assert_max_num_queries(8):
        response = client.get(_url("priorities:themes", agency))
    assert response.status_code == 200
