"""The pairwise survey in public: anyone, no account, no JavaScript."""

import re

import pytest
from django.urls import reverse

from roundtable.priorities.models import Candidate, Comparison, PairwiseSurvey
from tests.factories import AreaFactory, CandidateFactory, PairwiseSurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlist(agency):
    return [
        CandidateFactory.create(
            agency=agency,
            title="Speeding near schools",
            title_translations={"es": "Exceso de velocidad"},
        ),
        CandidateFactory.create(agency=agency, title="Car break-ins downtown"),
        CandidateFactory.create(agency=agency, title="Drug dealing in the park"),
    ]


@pytest.fixture
def survey(agency, shortlist):
    return PairwiseSurveyFactory.create(
        agency=agency,
        candidates=shortlist,
        question="Which should come first?",
        question_translations={"es": "¿Qué debería ir primero?"},
    )


@pytest.fixture
def eastbank(agency):
    return AreaFactory.create(agency=agency, name="Eastbank")


def _url(name, survey):
    return reverse(f"priorities_public:{name}", args=[survey.agency.slug, survey.pk])


def _token(page):
    found = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert found is not None, "no pair on the page"
    return found.group(1)


def test_anyone_sees_the_question_and_two_different_candidates(survey, client):
    response = client.get(_url("vote", survey))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Which should come first?" in body
    shown = re.findall(r'name="choice" value="(left|right)" class="rank-choice">([^<]+)<', body)
    assert [side for side, _ in shown] == ["left", "right"]
    assert shown[0][1] != shown[1][1]
    assert 'value="cant_decide"' in body
    assert _url("suggest", survey) in body
    assert "no-cache" in response["Cache-Control"]  # the ticket on it is single use


def test_the_page_speaks_spanish(settings, survey, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    body = client.get(_url("vote", survey)).content.decode()
    assert "¿Qué debería ir primero?" in body


def test_a_vote_is_stored_and_the_next_pair_follows(survey, eastbank, client):
    token = _token(client.get(_url("vote", survey)))
    response = client.post(
        _url("vote", survey),
        {"token": token, "choice": "left", "area": eastbank.pk},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Mozilla/5.0 (Secret phone)",
    )
    assert response.status_code == 302
    assert response["Location"] == _url("vote", survey) + "?voted=1"
    vote = Comparison.objects.get()
    assert vote.outcome == "left" and vote.area == eastbank and vote.language == "en"
    # Nothing about the participant is kept on the vote.
    values = [str(getattr(vote, f.attname)) for f in Comparison._meta.concrete_fields]
    assert not any("203.0.113" in v or "Mozilla" in v for v in values)
    follow = client.get(response["Location"])
    assert "your vote is counted" in follow.content.decode()
    # The area given is remembered, in the participant's own browser.
    assert f'<option value="{eastbank.pk}" selected>' in follow.content.decode()


def test_a_vote_without_an_area_stores_none(survey, client):
    client.post(
        _url("vote", survey),
        {"token": _token(client.get(_url("vote", survey))), "choice": "cant_decide"},
    )
    vote = Comparison.objects.get()
    assert vote.area is None and vote.outcome == "cant_decide"


def test_a_replayed_vote_counts_once(survey, client):
    data = {"token": _token(client.get(_url("vote", survey))), "choice": "right"}
    assert client.post(_url("vote", survey), data).status_code == 302
    again = client.post(_url("vote", survey), data)
    assert again.status_code == 409
    assert "already counted" in again.content.decode()
    assert 'name="token"' in again.content.decode()  # with a fresh pair to go on
    assert Comparison.objects.count() == 1


def test_a_forged_vote_is_refused(survey, shortlist, client):
    response = client.post(
        _url("vote", survey), {"token": f"{shortlist[0].pk}:{shortlist[1].pk}", "choice": "left"}
    )
    assert response.status_code == 400
    assert "not genuine" in response.content.decode()
    assert not Comparison.objects.exists()


def test_a_vote_without_a_choice_is_asked_again(survey, client):
    response = client.post(
        _url("vote", survey), {"token": _token(client.get(_url("vote", survey)))}
    )
    assert response.status_code == 400
    assert not Comparison.objects.exists()


def test_repeated_votes_from_one_place_are_limited_politely(settings, survey, client):
    settings.ROUNDTABLE_RANKING_VOTE_LIMIT = 2
    for _ in range(2):
        data = {"token": _token(client.get(_url("vote", survey))), "choice": "left"}
        assert (
            client.post(_url("vote", survey), data, REMOTE_ADDR="198.51.100.4").status_code == 302
        )
    data = {"token": _token(client.get(_url("vote", survey))), "choice": "left"}
    limited = client.post(_url("vote", survey), data, REMOTE_ADDR="198.51.100.4")
    assert limited.status_code == 429
    assert "Please take a break" in limited.content.decode()
    assert limited["Retry-After"] == str(settings.ROUNDTABLE_RANKING_VOTE_WINDOW)
    assert Comparison.objects.count() == 2
    # Someone else is not held back.
    assert client.post(_url("vote", survey), data, REMOTE_ADDR="198.51.100.5").status_code == 302


def test_htmx_gets_the_refusal_as_a_page_it_will_swap_in(settings, survey, client):
    settings.ROUNDTABLE_RANKING_VOTE_LIMIT = 0
    data = {"token": _token(client.get(_url("vote", survey))), "choice": "left"}
    response = client.post(_url("vote", survey), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="rank-vote"' in response.content.decode()
    assert not Comparison.objects.exists()


def test_only_candidates_on_the_ballot_are_shown(agency, survey, client):
    survey.candidates.add(
        CandidateFactory.create(agency=agency, title="Waiting for moderation", status="proposed")
    )
    for _ in range(20):
        assert "Waiting for moderation" not in client.get(_url("vote", survey)).content.decode()


def test_a_closed_survey_shows_results_only(survey, client):
    token = _token(client.get(_url("vote", survey)))
    survey.status = PairwiseSurvey.Status.CLOSED
    survey.save()
    page = client.get(_url("vote", survey))
    assert page.status_code == 200
    assert "This survey is closed" in page.content.decode()
    assert 'name="token"' not in page.content.decode()
    assert client.post(_url("vote", survey), {"token": token, "choice": "left"}).status_code == 409
    assert client.get(_url("suggest", survey)).status_code == 200
    assert client.get(_url("results", survey)).status_code == 200
    assert not Comparison.objects.exists()


def test_a_draft_survey_does_not_exist_for_the_public(agency, shortlist, client):
    draft = PairwiseSurveyFactory.create(agency=agency, candidates=shortlist, status="draft")
    for name in ("vote", "suggest", "results"):
        assert client.get(_url(name, draft)).status_code == 404


def test_another_agencys_survey_is_not_found_under_this_agency(other_agency, survey, client):
    url = reverse("priorities_public:vote", args=[other_agency.slug, survey.pk])
    assert client.get(url).status_code == 404


def test_anyone_suggests_a_priority_for_moderation(settings, survey, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.post(_url("suggest", survey), {"text": "Más luz en el parque"})
    assert response.status_code == 302
    assert response["Location"] == _url("suggest_thanks", survey)
    suggestion = Candidate.objects.get(source=Candidate.Source.PUBLIC)
    assert suggestion.status == Candidate.Status.PROPOSED and suggestion.language == "es"
    assert suggestion.created_by is None
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Staff will review it" in client.get(response["Location"]).content.decode()


def test_a_suggestion_is_short(survey, client):
    response = client.post(_url("suggest", survey), {"text": "x" * 201})
    assert response.status_code == 400
    assert not Candidate.objects.filter(source=Candidate.Source.PUBLIC).exists()


def test_a_bot_in_the_honeypot_is_thanked_and_nothing_kept(survey, client):
    response = client.post(_url("suggest", survey), {"text": "Buy pills", "website": "http://spam"})
    assert response.status_code == 302
    assert not Candidate.objects.filter(source=Candidate.Source.PUBLIC).exists()


def test_suggestions_are_rate_limited(settings, survey, client):
    settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT = 1
    assert client.post(_url("suggest", survey), {"text": "One"}).status_code == 302
    limited = client.post(_url("suggest", survey), {"text": "Two"})
    assert limited.status_code == 429
    assert Candidate.objects.filter(source=Candidate.Source.PUBLIC).count() == 1


def test_no_suggestions_where_the_survey_takes_none(survey, client):
    survey.accepts_suggestions = False
    survey.save()
    assert client.get(_url("suggest", survey)).status_code == 404
    assert _url("suggest", survey) not in client.get(_url("vote", survey)).content.decode()


def _votes(survey, left, right, outcome, times, area=None):
    Comparison.objects.bulk_create(
        [Comparison(survey=survey, left=left, right=right, outcome=outcome, area=area)] * times
    )


def test_results_wait_for_enough_votes(settings, survey, shortlist, client):
    settings.ROUNDTABLE_SMALL_CELL = 5
    _votes(survey, shortlist[0], shortlist[1], "left", 4)
    _votes(survey, shortlist[0], shortlist[1], "cant_decide", 3)
    body = client.get(_url("results", survey)).content.decode()
    assert "Results appear once at least 5 votes are in" in body
    assert "Speeding near schools" not in body
    _votes(survey, shortlist[2], shortlist[1], "left", 1)
    body = client.get(_url("results", survey)).content.decode()
    assert "Based on 5 votes" in body and "Speeding near schools" in body
    assert "rank-bar-interval" in body


def test_public_results_by_area_only_where_enough(settings, survey, shortlist, eastbank, client):
    settings.ROUNDTABLE_RANKING_MIN_AREA_VOTES = 8
    hilltop = AreaFactory.create(agency=survey.agency, name="Hilltop")
    _votes(survey, shortlist[0], shortlist[1], "left", 8, area=eastbank)
    _votes(survey, shortlist[0], shortlist[2], "right", 7, area=hilltop)
    body = client.get(_url("results", survey)).content.decode()
    assert "By area" in body and "Eastbank" in body
    assert "Hilltop" not in body


def test_the_public_list_shows_open_and_closed_surveys_not_drafts(
    agency, shortlist, survey, client
):
    PairwiseSurveyFactory.create(agency=agency, question="Last year's question", status="closed")
    PairwiseSurveyFactory.create(agency=agency, question="Not ready yet", status="draft")
    body = client.get(reverse("priorities_public:surveys", args=[agency.slug])).content.decode()
    assert "Which should come first?" in body and "Last year&#x27;s question" in body
    assert "Not ready yet" not in body


def test_the_vote_page_needs_no_javascript_and_no_inline_styles(survey, client):
    body = client.get(_url("vote", survey)).content.decode()
    form = body[body.index('<form method="post" action="' + _url("vote", survey)) :]
    form = form[: form.index("</form>")]
    assert "csrfmiddlewaretoken" in form and 'type="submit"' in form
    assert "style=" not in body and "onclick" not in body


def test_the_public_list_has_a_bounded_query_count(
    agency, shortlist, client, django_assert_max_num_queries
):
    for n in range(10):
        PairwiseSurveyFactory.create(agency=agency, candidates=shortlist, question=f"Question {n}")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("priorities_public:surveys", args=[agency.slug]))
    assert response.content.decode().count("Question ") == 10
