"""Staff pages of the community ranking: who may see them, and what they do."""

import pytest
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.priorities.models import Candidate, Comparison, DotVote, PairwiseSurvey
from tests.factories import AreaFactory, CandidateFactory, EventFactory, PairwiseSurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlist(agency):
    return [
        CandidateFactory.create(agency=agency, title=title)
        for title in ("Speeding near schools", "Car break-ins downtown", "Drug dealing in the park")
    ]


@pytest.fixture
def survey(agency, shortlist):
    return PairwiseSurveyFactory.create(
        agency=agency, candidates=shortlist, question="Which should come first?"
    )


@pytest.fixture
def suggestion(agency, survey):
    candidate = CandidateFactory.create(
        agency=agency,
        title="=HYPERLINK(evil) noise at night",
        status=Candidate.Status.PROPOSED,
        source=Candidate.Source.PUBLIC,
        language="es",
    )
    survey.candidates.add(candidate)
    return candidate


def _url(name, agency, *args):
    return reverse(f"priorities:{name}", args=[agency.slug, *args])


READ_PAGES = [("surveys",), ("suggestions",), ("dots",)]


@pytest.mark.parametrize("page", READ_PAGES)
def test_staff_pages_refuse_who_may_not_see_them(page, agency, rosa, pat, uma, client_for, client):
    url = _url(page[0], agency)
    assert client.get(url).status_code == 302
    for outsider in (rosa, pat, uma):
        assert client_for(outsider).get(url).status_code == 403


@pytest.mark.parametrize("name", ["survey", "survey_edit", "results_csv"])
def test_survey_pages_refuse_who_may_not_see_them(
    name, agency, survey, rosa, uma, client_for, client
):
    url = _url(name, agency, survey.pk)
    assert client.get(url).status_code == 302
    assert client_for(rosa).get(url).status_code == 403
    assert client_for(uma).get(url).status_code == 403


def test_another_agencys_survey_is_not_found(agency, other_agency, uma, client_for):
    theirs = PairwiseSurveyFactory.create(agency=other_agency)
    CandidateFactory.create(agency=agency)
    from roundtable.accounts.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory.create(user=uma, agency=agency, role=Role.COORDINATOR)
    assert client_for(uma).get(_url("survey", agency, theirs.pk)).status_code == 404


def test_readers_see_surveys_but_cannot_change_them(agency, survey, ana, client_for):
    client = client_for(ana)
    page = client.get(_url("surveys", agency)).content.decode()
    assert "Which should come first?" in page
    assert _url("survey_create", agency) not in page
    assert client.get(_url("survey_create", agency)).status_code == 403
    assert client.post(_url("survey_close", agency, survey.pk)).status_code == 403
    survey.refresh_from_db()
    assert survey.status == PairwiseSurvey.Status.OPEN


def test_the_survey_list_has_a_bounded_query_count(
    agency, casey, shortlist, client_for, django_assert_max_num_queries
):
    for n in range(8):
        s = PairwiseSurveyFactory.create(
            agency=agency, candidates=shortlist, question=f"Which matters more, survey {n}?"
        )
        Comparison.objects.create(survey=s, left=shortlist[0], right=shortlist[1], outcome="left")
    client = client_for(casey)
    with django_assert_max_num_queries(12):
        response = client.get(_url("surveys", agency))
    assert response.status_code == 200
    # Words no CSRF token or other random string on the page can contain by chance.
    assert response.content.decode().count("Which matters more, survey 7?") == 1


def test_casey_creates_a_survey_in_two_languages(agency, casey, shortlist, client_for):
    response = client_for(casey).post(
        _url("survey_create", agency),
        {
            "question": "Which should come first?",
            "question_es": "¿Qué debería ir primero?",
            "candidates": [c.pk for c in shortlist[:2]],
            "accepts_suggestions": "on",
        },
    )
    survey = PairwiseSurvey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("survey", agency, survey.pk)
    assert survey.question_translations == {"es": "¿Qué debería ir primero?"}
    assert survey.accepts_suggestions and not survey.asks_area
    assert survey.status == PairwiseSurvey.Status.DRAFT


def test_the_survey_form_offers_only_the_shortlist(agency, casey, shortlist, client_for):
    CandidateFactory.create(agency=agency, title="Waiting suggestion", status="proposed")
    page = client_for(casey).get(_url("survey_create", agency)).content.decode()
    assert "Speeding near schools" in page and "Waiting suggestion" not in page


def test_casey_edits_the_ballot(agency, casey, survey, shortlist, client_for):
    client = client_for(casey)
    assert (
        "Which should come first?"
        in client.get(_url("survey_edit", agency, survey.pk)).content.decode()
    )
    response = client.post(
        _url("survey_edit", agency, survey.pk),
        {
            "question": "Which first?",
            "candidates": [shortlist[0].pk, shortlist[2].pk],
            "asks_area": "on",
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert set(survey.candidates.all()) == {shortlist[0], shortlist[2]}


def test_casey_opens_and_closes_a_survey(agency, casey, shortlist, client_for):
    survey = PairwiseSurveyFactory.create(
        agency=agency, candidates=shortlist, status=PairwiseSurvey.Status.DRAFT, opened_at=None
    )
    client = client_for(casey)
    assert client.get(_url("survey_open", agency, survey.pk)).status_code == 405
    client.post(_url("survey_open", agency, survey.pk))
    survey.refresh_from_db()
    assert survey.status == PairwiseSurvey.Status.OPEN
    client.post(_url("survey_close", agency, survey.pk))
    survey.refresh_from_db()
    assert survey.status == PairwiseSurvey.Status.CLOSED
    assert AuditEntry.objects.filter(action="priorities.survey.close", actor=casey).exists()
    page = client.get(_url("survey", agency, survey.pk)).content.decode()
    assert "Reopen the survey" in page


def test_the_results_page_shows_scores_intervals_and_areas(
    settings, agency, survey, shortlist, cleo, client_for
):
    settings.ROUNDTABLE_RANKING_MIN_AREA_VOTES = 6
    east = AreaFactory.create(agency=agency, name="Eastbank")
    AreaFactory.create(agency=agency, name="Hilltop")
    schools, break_ins, _park = shortlist
    Comparison.objects.bulk_create(
        [Comparison(survey=survey, left=schools, right=break_ins, outcome="left", area=east)] * 6
        + [Comparison(survey=survey, left=break_ins, right=schools, outcome="cant_decide")] * 2
    )
    page = client_for(cleo).get(_url("survey", agency, survey.pk)).content.decode()
    assert "6 decided votes and 2 “can't decide”" in page
    assert 'class="rank-bar"' in page and "rank-bar-interval" in page
    assert "Eastbank: 6 decided votes" in page
    assert "Hilltop" not in page  # no votes given for it
    assert "style=" not in page


def test_the_results_download_as_csv_with_formulas_defused(
    agency, survey, suggestion, casey, client_for
):
    schools, break_ins = survey.candidates.filter(status="active")[:2]
    Comparison.objects.create(survey=survey, left=schools, right=break_ins, outcome="left")
    response = client_for(casey).get(_url("results_csv", agency, survey.pk))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "area,rank,candidate,score,low,high,wins,losses,cant_decide"
    assert len(lines) == 4  # three candidates on the ballot; the pending suggestion is not
    assert "HYPERLINK" not in response.content.decode()


def test_casey_approves_a_suggestion_with_tidied_words(
    agency, survey, suggestion, casey, client_for
):
    client = client_for(casey)
    page = client.get(_url("suggestions", agency)).content.decode()
    assert "HYPERLINK(evil) noise at night" in page and "Which should come first?" in page
    response = client.post(
        _url("suggestion_approve", agency, suggestion.pk),
        {f"a{suggestion.pk}-title": "Noise at night"},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Candidate.Status.ACTIVE and suggestion.title == "Noise at night"
    assert AuditEntry.objects.filter(action="priorities.suggestion.approve").exists()
    # Moderated once: a second go finds nothing waiting.
    assert client.post(_url("suggestion_approve", agency, suggestion.pk)).status_code == 404


def test_casey_rejects_a_suggestion_which_stays_on_record(agency, suggestion, casey, client_for):
    client = client_for(casey)
    client.post(_url("suggestion_reject", agency, suggestion.pk), {f"r{suggestion.pk}-note": ""})
    suggestion.refresh_from_db()
    assert suggestion.status == Candidate.Status.PROPOSED  # a note is required
    client.post(
        _url("suggestion_reject", agency, suggestion.pk), {f"r{suggestion.pk}-note": "Spam"}
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Candidate.Status.REJECTED
    page = client.get(_url("suggestions", agency)).content.decode()
    assert "Not accepted (kept on record)" in page and "Spam" in page


def test_readers_cannot_moderate(agency, suggestion, ana, uma, client_for):
    for person in (ana, uma):
        url = _url("suggestion_reject", agency, suggestion.pk)
        assert client_for(person).post(url, {f"r{suggestion.pk}-note": "x"}).status_code == 403
    page = client_for(ana).get(_url("suggestions", agency)).content.decode()
    assert "Do not accept" not in page
    suggestion.refresh_from_db()
    assert suggestion.status == Candidate.Status.PROPOSED


def test_the_suggestion_queue_has_a_bounded_query_count(
    agency, survey, casey, client_for, django_assert_max_num_queries
):
    for n in range(10):
        c = CandidateFactory.create(
            agency=agency, status="proposed", source="public", title=f"S{n}"
        )
        survey.candidates.add(c)
        CandidateFactory.create(
            agency=agency, status="rejected", source="public", moderated_by=casey
        )
    client = client_for(casey)
    with django_assert_max_num_queries(14):
        assert client.get(_url("suggestions", agency)).status_code == 200


def test_casey_enters_the_dots_of_a_meeting(agency, shortlist, casey, client_for):
    meeting = EventFactory.create(agency=agency, title="Eastbank beat meeting")
    client = client_for(casey)
    response = client.post(
        _url("dots_record", agency),
        {
            "event": meeting.pk,
            f"dots_{shortlist[0].pk}": "14",
            f"dots_{shortlist[2].pk}": "3",
            "note": "Counted twice",
        },
    )
    assert response.status_code == 302
    assert sorted(DotVote.objects.values_list("dots", flat=True)) == [3, 14]
    page = client.get(_url("dots", agency)).content.decode()
    assert "Eastbank beat meeting" in page and "Counted twice" in page
    vote = DotVote.objects.get(dots=3)
    client.post(_url("dot_delete", agency, vote.pk))
    assert not DotVote.objects.filter(pk=vote.pk).exists()


def test_dots_with_nothing_entered_come_back_with_an_error(agency, shortlist, casey, client_for):
    response = client_for(casey).post(
        _url("dots_record", agency), {f"dots_{shortlist[0].pk}": "-2"}
    )
    assert response.status_code == 400
    assert not DotVote.objects.exists()
    response = client_for(casey).post(_url("dots_record", agency), {})
    assert response.status_code == 400
    assert "at least one candidate" in response.content.decode()


def test_readers_see_dots_but_cannot_enter_them(agency, shortlist, ana, client_for):
    DotVote.objects.create(candidate=shortlist[0], dots=4)
    client = client_for(ana)
    page = client.get(_url("dots", agency)).content.decode()
    assert "Speeding near schools" in page and "Record the dots" not in page
    response = client.post(_url("dots_record", agency), {f"dots_{shortlist[0].pk}": "2"})
    assert response.status_code == 403
    assert DotVote.objects.count() == 1


def test_the_dots_page_has_a_bounded_query_count(
    agency, shortlist, casey, client_for, django_assert_max_num_queries
):
    meeting = EventFactory.create(agency=agency)
    for candidate in shortlist:
        for _ in range(5):
            DotVote.objects.create(candidate=candidate, event=meeting, dots=2, entered_by=casey)
    client = client_for(casey)
    with django_assert_max_num_queries(12):
        assert client.get(_url("dots", agency)).status_code == 200
