"""Object-level access walked over every priorities page that takes a pk: a
coordinator of another agency gets nothing of Riverside's through her own
agency's address, residents and partners get no staff page, and the public
gets no draft decision, draft survey or moderated-out suggestion."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roundtable.priorities.models import AdvisoryVote, Candidate, DotVote, PairwiseSurvey
from tests.factories import (
    CandidateFactory,
    DecisionFactory,
    InputFactory,
    PairwiseSurveyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

# Page name → the objects whose pks its address takes (see _objects).
PK_PAGES = {
    "priorities:candidate": ["candidate"],
    "priorities:candidate_edit": ["candidate"],
    "priorities:candidate_status": ["candidate"],
    "priorities:worksheet_edit": ["candidate"],
    "priorities:theme": ["theme"],
    "priorities:theme_edit": ["theme"],
    "priorities:theme_tag": ["theme"],
    "priorities:theme_untag": ["theme", "input"],
    "priorities:theme_candidate": ["theme"],
    "priorities:decision": ["decision"],
    "priorities:decision_edit": ["decision"],
    "priorities:vote_add": ["decision"],
    "priorities:vote_remove": ["decision", "vote"],
    "priorities:decision_publish": ["decision"],
    "priorities:survey": ["survey"],
    "priorities:survey_edit": ["survey"],
    "priorities:survey_open": ["survey"],
    "priorities:survey_close": ["survey"],
    "priorities:results_csv": ["survey"],
    "priorities:suggestion_approve": ["suggestion"],
    "priorities:suggestion_reject": ["suggestion"],
    "priorities:dot_delete": ["dot"],
}
GET_ONLY = {"priorities:candidate", "priorities:theme", "priorities:decision", "priorities:survey"}
GET_ONLY |= {"priorities:results_csv"}
POST_ONLY = {
    "priorities:candidate_status",
    "priorities:theme_tag",
    "priorities:theme_untag",
    "priorities:theme_candidate",
    "priorities:vote_add",
    "priorities:vote_remove",
    "priorities:survey_open",
    "priorities:survey_close",
    "priorities:suggestion_approve",
    "priorities:suggestion_reject",
    "priorities:dot_delete",
}
STAFF_LISTS = [
    "priorities:shortlist",
    "priorities:worksheet",
    "priorities:themes",
    "priorities:theme_suggestions",
    "priorities:tag_input",
    "priorities:decisions",
    "priorities:surveys",
    "priorities:suggestions",
    "priorities:dots",
]


GET_ONLY |= set(STAFF_LISTS) - {"priorities:tag_input"}


def _objects(agency):
    candidate = CandidateFactory.create(agency=agency)
    decision = DecisionFactory.create(agency=agency)
    survey = PairwiseSurveyFactory.create(
        agency=agency, candidates=[candidate, CandidateFactory.create(agency=agency)]
    )
    suggestion = CandidateFactory.create(
        agency=agency, status=Candidate.Status.PROPOSED, source=Candidate.Source.PUBLIC
    )
    survey.candidates.add(suggestion)
    return {
        "candidate": candidate.pk,
        "theme": ThemeFactory.create(agency=agency).pk,
        "input": InputFactory.create(agency=agency).pk,
        "decision": decision.pk,
        "vote": AdvisoryVote.objects.create(decision=decision, member_name="A", vote="for").pk,
        "survey": survey.pk,
        "suggestion": suggestion.pk,
        "dot": DotVote.objects.create(candidate=candidate, dots=3).pk,
    }


def _statuses(client, url, page):
    get = None if page in POST_ONLY else client.get(url).status_code
    post = None if page in GET_ONLY else client.post(url, {}).status_code
    return {code for code in (get, post) if code is not None}


@pytest.mark.parametrize("page", sorted(PK_PAGES))
def test_another_agencys_coordinator_reaches_nothing_by_pk(
    page, agency, other_agency, uma, client_for
):
    objects = _objects(agency)
    args = [objects[name] for name in PK_PAGES[page]]
    url = reverse(page, args=[other_agency.slug, *args])
    assert _statuses(client_for(uma), url, page) == {404}


@pytest.mark.parametrize("page", sorted(PK_PAGES) + STAFF_LISTS)
def test_residents_and_partners_get_no_staff_page(page, agency, rosa, pat, client, client_for):
    objects = _objects(agency)
    args = [objects[name] for name in PK_PAGES.get(page, [])]
    url = reverse(page, args=[agency.slug, *args])
    for person in (rosa, pat):
        assert _statuses(client_for(person), url, page) == {403}
    anonymous = client.get(url) if page not in POST_ONLY else client.post(url, {})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_the_public_gets_no_draft_decision_and_no_draft_survey(agency, client):
    decision = DecisionFactory.create(agency=agency)
    assert (
        client.get(
            reverse("priorities_public:decision", args=[agency.slug, decision.pk])
        ).status_code
        == 404
    )
    survey = PairwiseSurveyFactory.create(
        agency=agency,
        status=PairwiseSurvey.Status.DRAFT,
        opened_at=None,
        candidates=CandidateFactory.create_batch(2, agency=agency),
    )
    for page in ("vote", "suggest", "suggest_thanks", "results"):
        url = reverse(f"priorities_public:{page}", args=[agency.slug, survey.pk])
        assert client.get(url).status_code == 404, page
    listing = client.get(reverse("priorities_public:surveys", args=[agency.slug]))
    assert survey.question not in listing.content.decode()


def test_a_survey_is_not_reached_through_another_agencys_public_address(
    agency, other_agency, client
):
    survey = PairwiseSurveyFactory.create(
        agency=agency, candidates=CandidateFactory.create_batch(2, agency=agency)
    )
    for page in ("vote", "suggest", "results"):
        url = reverse(f"priorities_public:{page}", args=[other_agency.slug, survey.pk])
        assert client.get(url).status_code == 404, page


def test_the_public_never_sees_a_suggestion_awaiting_or_moderated_out(agency, casey, client):
    from roundtable.priorities import services_ranking

    shortlist = CandidateFactory.create_batch(2, agency=agency)
    survey = PairwiseSurveyFactory.create(agency=agency, candidates=shortlist)
    waiting = services_ranking.suggestion_submit(
        survey=survey, text="Waiting: Juan Perez at 12 Oak Street", language="en"
    )
    refused = services_ranking.suggestion_submit(
        survey=survey, text="Refused: the mayor's nephew", language="en"
    )
    services_ranking.suggestion_reject(actor=casey, candidate=refused, note="Names a person.")
    pages = [
        reverse("priorities_public:vote", args=[agency.slug, survey.pk]),
        reverse("priorities_public:results", args=[agency.slug, survey.pk]),
        reverse("priorities_public:home", args=[agency.slug]),
    ]
    for _ in range(10):
        pages.append(pages[0])
    for url in pages:
        body = client.get(url).content.decode()
        assert waiting.title not in body and refused.title not in body
