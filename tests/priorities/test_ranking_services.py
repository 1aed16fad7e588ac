"""Writes of the community ranking: surveys, votes, suggestions, moderation, dots."""

import pytest
from django.core.exceptions import ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.priorities import pairs
from roundtable.priorities import services_ranking as services
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
    return PairwiseSurveyFactory.create(agency=agency, candidates=shortlist)


def _actions(agency):
    return list(AuditEntry.objects.filter(agency=agency).values_list("action", flat=True))


def test_casey_drafts_a_survey_with_a_spanish_question(agency, casey, shortlist):
    survey = services.survey_create(
        actor=casey,
        agency=agency,
        question="  Which matters   most? ",
        question_translations={"es": "¿Qué importa más?", "fr": "  "},
        candidates=shortlist[:2],
    )
    assert survey.status == PairwiseSurvey.Status.DRAFT
    assert survey.question == "Which matters most?"
    assert survey.question_translations == {"es": "¿Qué importa más?"}
    assert set(survey.candidates.all()) == set(shortlist[:2])
    assert _actions(agency) == ["priorities.survey.create"]


def test_only_the_agencys_shortlist_goes_on_a_ballot(agency, other_agency, casey, shortlist):
    theirs = CandidateFactory.create(agency=other_agency)
    pending = CandidateFactory.create(agency=agency, status=Candidate.Status.PROPOSED)
    for wrong in (theirs, pending):
        with pytest.raises(ValidationError):
            services.survey_create(
                actor=casey,
                agency=agency,
                question="Which?",
                question_translations={},
                candidates=[shortlist[0], wrong],
            )
    assert not PairwiseSurvey.objects.exists()


def test_editing_the_ballot_keeps_suggestions_on_record(agency, casey, survey, shortlist):
    waiting = services.suggestion_submit(survey=survey, text="Noise at night", language="en")
    services.survey_update(
        actor=casey,
        survey=survey,
        question="Which first?",
        question_translations={"es": "¿Cuál primero?"},
        candidates=shortlist[:2],
        accepts_suggestions=False,
        asks_area=False,
    )
    survey.refresh_from_db()
    assert set(survey.candidates.all()) == {*shortlist[:2], waiting}
    assert survey.question == "Which first?" and not survey.asks_area
    entry = AuditEntry.objects.get(action="priorities.survey.update")
    assert entry.actor == casey and entry.after is not None and "candidates" in entry.after


def test_a_survey_opens_closes_and_reopens_with_its_times_audited(agency, casey, shortlist):
    survey = PairwiseSurveyFactory.create(
        agency=agency, candidates=shortlist, status=PairwiseSurvey.Status.DRAFT, opened_at=None
    )
    services.survey_open(actor=casey, survey=survey)
    assert survey.status == PairwiseSurvey.Status.OPEN and survey.opened_at is not None
    first_opened = survey.opened_at
    services.survey_close(actor=casey, survey=survey)
    assert survey.status == PairwiseSurvey.Status.CLOSED and survey.closed_at is not None
    with pytest.raises(ValidationError):
        services.survey_close(actor=casey, survey=survey)
    services.survey_open(actor=casey, survey=survey)
    assert survey.opened_at == first_opened and survey.closed_at is None
    assert _actions(agency) == [
        "priorities.survey.open",
        "priorities.survey.close",
        "priorities.survey.open",
    ]


def test_a_survey_needs_two_candidates_to_open(agency, casey, shortlist):
    survey = PairwiseSurveyFactory.create(
        agency=agency, candidates=shortlist[:1], status=PairwiseSurvey.Status.DRAFT
    )
    with pytest.raises(ValidationError):
        services.survey_open(actor=casey, survey=survey)


def test_a_closed_survey_cannot_be_edited(agency, casey, survey, shortlist):
    services.survey_close(actor=casey, survey=survey)
    with pytest.raises(ValidationError):
        services.survey_update(
            actor=casey,
            survey=survey,
            question="Changed",
            question_translations={},
            candidates=shortlist,
            accepts_suggestions=True,
            asks_area=True,
        )


def _ticket(survey, left, right):
    return pairs.pair_token(survey_id=survey.pk, left_id=left.pk, right_id=right.pk)


def test_a_vote_stores_the_pair_the_ticket_names_and_nothing_else(agency, survey, shortlist):
    area = AreaFactory.create(agency=agency)
    token = _ticket(survey, shortlist[0], shortlist[1])
    vote = services.vote_cast(survey=survey, token=token, outcome="right", area=area, language="es")
    assert (vote.left, vote.right, vote.outcome, vote.area, vote.language) == (
        shortlist[0],
        shortlist[1],
        "right",
        area,
        "es",
    )
    stored = {f.name for f in Comparison._meta.concrete_fields}
    assert stored == {"id", "survey", "left", "right", "outcome", "area", "language", "created_at"}
    assert not AuditEntry.objects.exists()  # no actor, nothing to audit


def test_a_ticket_counts_once(survey, shortlist):
    token = _ticket(survey, shortlist[0], shortlist[1])
    services.vote_cast(survey=survey, token=token, outcome="left")
    with pytest.raises(ValidationError) as refused:
        services.vote_cast(survey=survey, token=token, outcome="right")
    assert refused.value.code == services.VOTE_USED
    assert Comparison.objects.count() == 1


def test_a_forged_or_foreign_ticket_is_refused(agency, survey, shortlist):
    other = PairwiseSurveyFactory.create(agency=agency, candidates=shortlist)
    for token in ("made-up", _ticket(other, shortlist[0], shortlist[1])):
        with pytest.raises(ValidationError) as refused:
            services.vote_cast(survey=survey, token=token, outcome="left")
        assert refused.value.code == services.VOTE_FORGED
    assert not Comparison.objects.exists()


def test_a_ticket_for_a_candidate_off_the_ballot_is_refused(agency, survey, shortlist):
    outsider = CandidateFactory.create(agency=agency)
    with pytest.raises(ValidationError):
        services.vote_cast(
            survey=survey, token=_ticket(survey, shortlist[0], outsider), outcome="left"
        )
    assert not Comparison.objects.exists()


def test_a_closed_survey_takes_no_votes(casey, survey, shortlist):
    services.survey_close(actor=casey, survey=survey)
    with pytest.raises(ValidationError) as refused:
        services.vote_cast(survey=survey, token=_ticket(survey, *shortlist[:2]), outcome="left")
    assert refused.value.code == services.VOTE_CLOSED


def test_an_area_of_another_agency_is_refused(other_agency, survey, shortlist):
    with pytest.raises(ValidationError):
        services.vote_cast(
            survey=survey,
            token=_ticket(survey, *shortlist[:2]),
            outcome="left",
            area=AreaFactory.create(agency=other_agency),
        )


def test_a_suggestion_waits_on_the_survey_until_approved(agency, casey, survey):
    suggestion = services.suggestion_submit(
        survey=survey, text="  Más luz en   el parque ", language="es"
    )
    assert (suggestion.status, suggestion.source, suggestion.language) == (
        Candidate.Status.PROPOSED,
        Candidate.Source.PUBLIC,
        "es",
    )
    assert suggestion.title == "Más luz en el parque"
    assert survey.candidates.filter(pk=suggestion.pk).exists()
    services.suggestion_approve(
        actor=casey, candidate=suggestion, title="Better lighting in the park"
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Candidate.Status.ACTIVE
    assert suggestion.title == "Better lighting in the park"
    assert suggestion.moderated_by == casey and suggestion.moderated_at is not None
    assert _actions(agency) == ["priorities.suggestion.approve"]
    with pytest.raises(ValidationError):
        services.suggestion_reject(actor=casey, candidate=suggestion, note="Twice")


def test_a_rejected_suggestion_stays_on_record_with_its_note(agency, casey, survey):
    suggestion = services.suggestion_submit(
        survey=survey, text="Arrest my neighbour", language="en"
    )
    with pytest.raises(ValidationError):
        services.suggestion_reject(actor=casey, candidate=suggestion, note="  ")
    services.suggestion_reject(actor=casey, candidate=suggestion, note="About one person.")
    suggestion.refresh_from_db()
    assert suggestion.status == Candidate.Status.REJECTED
    assert suggestion.moderation_note == "About one person."
    assert survey.candidates.filter(pk=suggestion.pk).exists()
    assert _actions(agency) == ["priorities.suggestion.reject"]


def test_suggestions_only_while_open_and_welcome(casey, survey):
    survey.accepts_suggestions = False
    with pytest.raises(ValidationError):
        services.suggestion_submit(survey=survey, text="Anything", language="en")
    survey.accepts_suggestions = True
    services.survey_close(actor=casey, survey=survey)
    with pytest.raises(ValidationError):
        services.suggestion_submit(survey=survey, text="Anything", language="en")
    with pytest.raises(ValidationError):
        services.suggestion_submit(survey=PairwiseSurveyFactory.create(), text=" ", language="en")


def test_dots_of_a_meeting_are_recorded_and_taken_back(agency, casey, shortlist):
    meeting = EventFactory.create(agency=agency)
    created = services.dot_votes_record(
        actor=casey,
        agency=agency,
        dots={shortlist[0]: 12, shortlist[1]: 0, shortlist[2]: 3},
        event=meeting,
        note="Counted by two volunteers",
    )
    assert sorted(v.dots for v in created) == [3, 12]
    assert all(v.event == meeting and v.entered_by == casey for v in created)
    services.dot_vote_delete(actor=casey, vote=created[0])
    assert DotVote.objects.count() == 1
    assert _actions(agency).count("priorities.dots.record") == 2
    assert "priorities.dots.delete" in _actions(agency)


def test_dots_need_the_agencys_meeting_and_some_dots(agency, other_agency, casey, shortlist):
    with pytest.raises(ValidationError):
        services.dot_votes_record(
            actor=casey,
            agency=agency,
            dots={shortlist[0]: 2},
            event=EventFactory.create(agency=other_agency),
        )
    with pytest.raises(ValidationError):
        services.dot_votes_record(actor=casey, agency=agency, dots={shortlist[0]: 0})
    with pytest.raises(ValidationError):
        services.dot_votes_record(
            actor=casey, agency=agency, dots={CandidateFactory.create(agency=other_agency): 1}
        )
    assert not DotVote.objects.exists()
