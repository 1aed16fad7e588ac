"""Reads of the community ranking: scores, the worksheet's interface, dots."""

import pytest
from django.core.cache import cache

from roundtable.priorities import selectors_ranking as selectors
from roundtable.priorities.models import Candidate, Comparison, DotVote, PairwiseSurvey
from tests.factories import AreaFactory, CandidateFactory, EventFactory, PairwiseSurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(agency):
    return CandidateFactory.create(agency=agency, title="Speeding near schools")


@pytest.fixture
def break_ins(agency):
    return CandidateFactory.create(
        agency=agency, title="Car break-ins", title_translations={"es": "Robos de coches"}
    )


@pytest.fixture
def park(agency):
    return CandidateFactory.create(agency=agency, title="Drug dealing in the park")


@pytest.fixture
def survey(agency, schools, break_ins, park):
    return PairwiseSurveyFactory.create(agency=agency, candidates=[schools, break_ins, park])


def vote(survey, left, right, outcome, times=1, area=None):
    Comparison.objects.bulk_create(
        Comparison(survey=survey, left=left, right=right, outcome=outcome, area=area)
        for _ in range(times)
    )


def test_the_candidate_that_wins_most_scores_highest(survey, schools, break_ins, park):
    vote(survey, schools, break_ins, "left", 8)
    vote(survey, break_ins, schools, "right", 2)  # schools wins from the right too
    vote(survey, schools, break_ins, "right", 2)
    vote(survey, break_ins, park, "left", 6)
    vote(survey, park, schools, "right", 5)
    vote(survey, park, schools, "cant_decide", 4)
    found = selectors.survey_results(survey=survey)
    assert [row.candidate for row in found.rows] == [schools, break_ins, park]
    assert [row.rank for row in found.rows] == [1, 2, 3]
    top = found.rows[0]
    assert (top.wins, top.losses, top.comparisons, top.cant_decide) == (15, 2, 17, 4)
    bottom = found.rows[2]
    assert top.score is not None and top.low is not None and top.high is not None
    assert bottom.score is not None
    assert 0 <= top.low <= top.score <= top.high <= 100
    assert top.score > 50 > bottom.score
    assert (found.decided, found.cant_decide, found.votes) == (23, 4, 27)


def test_cant_decide_votes_are_counted_but_do_not_move_scores(survey, schools, break_ins):
    vote(survey, schools, break_ins, "left", 3)
    before = {r.candidate.pk: r.score for r in selectors.survey_results(survey=survey).rows}
    vote(survey, schools, break_ins, "cant_decide", 20)
    after = selectors.survey_results(survey=survey)
    assert {r.candidate.pk: r.score for r in after.rows} == before
    assert after.cant_decide == 20


def test_without_decided_votes_there_are_no_scores(survey):
    found = selectors.survey_results(survey=survey)
    assert all(row.score is None and row.rank is None for row in found.rows)
    assert len(found.rows) == 3


def test_titles_follow_the_language(survey, break_ins):
    from django.utils import translation

    with translation.override("es"):
        titles = {row.title for row in selectors.survey_results(survey=survey).rows}
    assert "Robos de coches" in titles


def test_pending_and_rejected_suggestions_are_not_ranked(agency, survey):
    for status in (Candidate.Status.PROPOSED, Candidate.Status.REJECTED):
        survey.candidates.add(CandidateFactory.create(agency=agency, status=status))
    assert len(selectors.survey_results(survey=survey).rows) == 3
    assert len(selectors.ballot_ids(survey)) == 3


def test_results_by_area_only_where_enough_votes(settings, agency, survey, schools, park):
    settings.ROUNDTABLE_RANKING_MIN_AREA_VOTES = 10
    eastbank = AreaFactory.create(agency=agency, name="Eastbank")
    hill = AreaFactory.create(agency=agency, name="University Hill")
    vote(survey, schools, park, "left", 10, area=eastbank)
    vote(survey, schools, park, "right", 9, area=hill)
    vote(survey, schools, park, "cant_decide", 5, area=hill)  # not decided: does not count
    found = selectors.survey_results(survey=survey)
    by_area = {a.area.name: a for a in found.areas}
    assert by_area["Eastbank"].decided == 10 and by_area["Eastbank"].rows is not None
    assert by_area["University Hill"].decided == 9 and by_area["University Hill"].rows is None
    east_top = by_area["Eastbank"].rows[0]
    assert east_top.candidate == schools and east_top.wins == 10


def test_the_area_minimum_never_falls_below_the_small_cell(settings):
    settings.ROUNDTABLE_RANKING_MIN_AREA_VOTES = 1
    settings.ROUNDTABLE_SMALL_CELL = 5
    assert selectors.min_area_votes() == 5


def test_a_fit_is_cached_until_the_next_vote(survey, schools, park, monkeypatch):
    vote(survey, schools, park, "left", 4)
    calls = []
    from roundtable.analytics.bradley_terry import score_items as real

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("roundtable.priorities.selectors_ranking.score_items", counting)
    cache.clear()
    selectors.survey_results(survey=survey)
    selectors.survey_results(survey=survey)
    assert len(calls) == 1
    vote(survey, park, schools, "left")
    selectors.survey_results(survey=survey)
    assert len(calls) == 2


def test_community_ranks_come_from_the_latest_survey(agency, survey, schools, break_ins, park):
    vote(survey, schools, break_ins, "left", 6)
    vote(survey, break_ins, park, "left", 6)
    ranks = selectors.community_ranks(agency=agency)
    assert ranks[schools.pk].rank == 1 and ranks[park.pk].rank == 3
    assert ranks[schools.pk].comparisons == 6 and ranks[break_ins.pk].comparisons == 12
    assert ranks[schools.pk].survey_id == survey.pk
    assert ranks[schools.pk].low <= ranks[schools.pk].score <= ranks[schools.pk].high
    # A draft opened later does not replace it; a newer open survey does.
    PairwiseSurveyFactory.create(agency=agency, status=PairwiseSurvey.Status.DRAFT, opened_at=None)
    assert selectors.community_ranks(agency=agency)[schools.pk].survey_id == survey.pk
    PairwiseSurveyFactory.create(agency=agency, candidates=[schools, park])
    assert selectors.community_ranks(agency=agency) == {}  # no decided vote there yet


def test_community_ranks_are_empty_without_a_survey(agency, other_agency, survey, schools, park):
    vote(survey, schools, park, "left", 3)
    assert selectors.community_ranks(agency=other_agency) == {}


def test_equal_scores_share_a_rank(survey, schools, break_ins, park):
    vote(survey, schools, break_ins, "left", 3)
    vote(survey, break_ins, schools, "left", 3)
    ranks = selectors.community_ranks(agency=survey.agency)
    assert ranks[schools.pk].rank == ranks[break_ins.pk].rank == 1
    assert ranks[park.pk].rank == 1  # never compared: an even 50, like the others


def test_dot_totals_add_up_every_meeting(agency, other_agency, schools, park):
    meeting = EventFactory.create(agency=agency)
    DotVote.objects.create(candidate=schools, event=meeting, dots=7)
    DotVote.objects.create(candidate=schools, dots=5)
    DotVote.objects.create(candidate=park, event=meeting, dots=2)
    DotVote.objects.create(candidate=CandidateFactory.create(agency=other_agency), dots=40)
    assert selectors.dot_totals(agency=agency) == {schools.pk: 12, park.pk: 2}


def test_the_question_follows_the_language(survey):
    survey.question_translations = {"es": "¿Cuál es más importante?"}
    assert selectors.survey_question(survey, "es") == "¿Cuál es más importante?"
    assert selectors.survey_question(survey, "en") == survey.question


def test_pair_counts_fold_both_orders_of_a_pair_and_count_every_outcome(agency):
    a, b, c = (CandidateFactory.create(agency=agency) for _ in range(3))
    survey = PairwiseSurveyFactory.create(agency=agency, candidates=[a, b, c])
    Outcome = Comparison.Outcome
    for left, right, outcome in [
        (a, b, Outcome.LEFT),
        (b, a, Outcome.RIGHT),
        (b, a, Outcome.CANT_DECIDE),
        (c, a, Outcome.LEFT),
    ]:
        Comparison.objects.create(survey=survey, left=left, right=right, outcome=outcome)
    other = PairwiseSurveyFactory.create(agency=agency, candidates=[a, b])
    Comparison.objects.create(survey=other, left=a, right=b, outcome=Outcome.LEFT)

    counts = selectors.pair_counts(survey)

    assert counts == {(min(a.pk, b.pk), max(a.pk, b.pk)): 3, (min(a.pk, c.pk), max(a.pk, c.pk)): 1}
