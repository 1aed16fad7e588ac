"""The demo's priorities and problem-solving teams.

Built once for the module, inside a transaction rolled back when the module
ends, as tests/demo/test_demo.py does; each test runs in a savepoint on top.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency
from roundtable.audit.models import AuditEntry
from roundtable.demo.opinion_texts import CAMP_SIZES
from roundtable.demo.opinions import SHORTLISTED
from roundtable.demo.services import DemoSummary, demo_build
from roundtable.engagement.models import EventKind
from roundtable.inputs.models import Notification, PublicUpdate
from roundtable.inputs.services import inputs_linked_to
from roundtable.opinions.models import Conversation, Statement
from roundtable.priorities.models import (
    AdvisoryVote,
    Candidate,
    Comparison,
    Decision,
    DotVote,
    InputTheme,
    PairwiseSurvey,
    Theme,
)
from roundtable.priorities.selectors import theme_suggestions
from roundtable.priorities.selectors_ranking import community_ranks, survey_results
from roundtable.problems.composition import NO_CRITIC, composition_warnings
from roundtable.problems.models import (
    Assessment,
    Hypothesis,
    Problem,
    ResponseAction,
    Side,
    Stage,
    StageMove,
)
from roundtable.problems.selectors import assessment_figures, is_overdue
from roundtable.stakeholders.models import Stance

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_build()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def riverside(demo) -> Agency:
    return Agency.objects.get(slug="riverside")


@pytest.fixture
def closed_survey(riverside) -> PairwiseSurvey:
    return PairwiseSurvey.objects.get(agency=riverside, status=PairwiseSurvey.Status.CLOSED)


@pytest.fixture
def assessed(riverside) -> Problem:
    return Problem.objects.get(agency=riverside, stage=Stage.ASSESSMENT)


# ------------------------------------------------------------------ themes and candidates


def test_themes_come_from_the_suggestions_and_a_few_are_tagged_by_hand(riverside):
    themes = Theme.objects.filter(agency=riverside)
    assert themes.count() >= 5
    tags = InputTheme.objects.filter(theme__agency=riverside)
    assert tags.filter(from_suggestion=True).count() > 40
    assert 0 < tags.filter(from_suggestion=False).count() <= 30
    # Nobody tags an input before it arrived.
    assert not [t for t in tags.select_related("input") if t.created_at < t.input.received_at]
    # The Spanish inputs about speeding reach the theme even though the grouping
    # cannot put them with the English ones.
    speeding = themes.get(name="Speeding and street racing")
    assert speeding.tags.filter(input__language="es").exists()
    assert speeding.tags.filter(input__language="en").exists()


def last_cycle(agency):
    """The candidates of the priority cycle the advisory board decided; those
    taken from this year's opinion conversation wait for the next one."""
    return Candidate.objects.filter(agency=agency).exclude(source=Candidate.Source.CONVERSATION)


def test_candidates_come_mostly_from_themes_with_spanish_titles(riverside, closed_survey):
    candidates = last_cycle(riverside)
    ranked = candidates.exclude(status=Candidate.Status.REJECTED)
    assert 6 <= ranked.count() <= 8
    sources = [c.source for c in ranked]
    assert sources.count(Candidate.Source.THEME) > len(sources) / 2
    assert sources.count(Candidate.Source.STAFF) in (1, 2)
    assert sources.count(Candidate.Source.PUBLIC) == 1
    rejected = candidates.get(status=Candidate.Status.REJECTED)
    assert rejected.source == Candidate.Source.PUBLIC and rejected.moderation_note
    assert rejected.moderated_by is not None
    for candidate in closed_survey.candidates.exclude(status=Candidate.Status.REJECTED):
        assert candidate.title_translations.get("es")
        assert candidate.areas.exists()
    assert sum(bool(c.offence_categories) for c in ranked) >= ranked.count() - 1


def test_every_candidate_has_its_worksheet_with_the_analysts_figures(riverside):
    analyst = User.objects.get(username="analyst")
    for candidate in last_cycle(riverside).exclude(status=Candidate.Status.REJECTED):
        assert candidate.harm and candidate.feasibility
        assert candidate.harm_note and candidate.feasibility_note
        assert candidate.equity_affected and candidate.equity_heard
        assert candidate.incident_note
        assert candidate.partners.exists()
    entries = AuditEntry.objects.filter(agency=riverside, action="priorities.worksheet.update")
    assert entries.filter(actor=analyst).exists()


# ------------------------------------------------------------------ ranking


def test_the_closed_survey_has_hundreds_of_votes_and_scores_for_every_candidate(
    riverside, closed_survey
):
    votes = Comparison.objects.filter(survey=closed_survey)
    assert votes.count() >= 500
    assert votes.filter(outcome=Comparison.Outcome.CANT_DECIDE).exists()
    assert votes.filter(area__isnull=False).count() > votes.count() / 2
    assert votes.filter(language="es").exists()
    assert closed_survey.opened_at < closed_survey.closed_at
    assert all(closed_survey.opened_at <= v.created_at <= closed_survey.closed_at for v in votes)
    ranks = community_ranks(agency=riverside)
    ballot = closed_survey.candidates.exclude(status=Candidate.Status.REJECTED)
    assert set(ranks) == set(ballot.values_list("pk", flat=True))
    assert all(0 < rank.low <= rank.score <= rank.high < 100 for rank in ranks.values())


def test_results_by_area_show_for_the_three_neighbourhoods_that_voted_most(closed_survey):
    results = survey_results(survey=closed_survey)
    shown = {a.area.name: a.rows for a in results.areas if a.rows is not None}
    assert set(shown) == {"Southbank", "Millbrook", "Old Town"}
    # As the decision's rationale says: each chosen priority came first where it is lived.
    assert shown["Southbank"][0].candidate.title.startswith("Open drug dealing")
    assert shown["Millbrook"][0].candidate.title.startswith("Speeding")
    assert shown["Old Town"][0].candidate.title.startswith("Late-night fights")


def test_the_university_survey_is_open_with_a_few_votes(demo):
    survey = PairwiseSurvey.objects.get(agency__slug="rsu")
    assert survey.status == PairwiseSurvey.Status.OPEN
    assert 10 <= survey.comparisons.count() <= 50
    assert all(c.title_translations.get("es") for c in survey.candidates.all())


def test_dots_were_placed_at_an_in_person_meeting(riverside):
    dots = DotVote.objects.filter(candidate__agency=riverside).select_related("event")
    assert dots.count() >= 5
    events = {d.event for d in dots}
    assert len(events) == 1
    (event,) = events
    assert event is not None and event.kind in (EventKind.TOWN_HALL, EventKind.ADVISORY_BOARD)
    assert all(d.entered_at > event.starts_at for d in dots)


# ------------------------------------------------------------------ the decision


def test_the_advisory_board_published_its_decision_and_contributors_were_told(riverside):
    decision = Decision.objects.get(agency=riverside)
    assert decision.status == Decision.Status.PUBLISHED
    assert decision.event is not None and decision.event.kind == EventKind.ADVISORY_BOARD
    assert decision.rationale and decision.dissent
    assert 2 <= decision.chosen.count() <= 3
    votes = list(decision.votes.select_related("organisation"))
    assert len(votes) >= 7
    kinds = [v.vote for v in votes]
    assert AdvisoryVote.Vote.AGAINST in kinds and AdvisoryVote.Vote.ABSTAIN in kinds
    assert all(v.organisation is not None for v in votes)
    assert set(decision.chosen.values_list("status", flat=True)) == {Candidate.Status.CHOSEN}
    assert not last_cycle(riverside).filter(status=Candidate.Status.ACTIVE).exists()
    for candidate in decision.chosen.all():
        told = PublicUpdate.objects.filter(
            input__in=inputs_linked_to(candidate), created_at=decision.published_at
        )
        assert told.exists()
    # The demo's notices belong to the past: none waits to be sent.
    assert not Notification.objects.exclude(state=Notification.State.SENT).exists()


# ------------------------------------------------------------------ problems


def test_one_problem_went_through_every_stage_signed_off_by_both_co_leads(riverside, assessed):
    pst, partner = User.objects.get(username="pst"), User.objects.get(username="partner")
    assert assessed.police_co_lead == pst and assessed.community_co_lead == partner
    assert assessed.is_public and assessed.priority is not None
    moves = list(assessed.moves.all())
    assert [(m.from_stage, m.to_stage) for m in moves] == [
        (Stage.SCANNING, Stage.ANALYSIS),
        (Stage.ANALYSIS, Stage.RESPONSE),
        (Stage.RESPONSE, Stage.ASSESSMENT),
    ]
    assert assessed.created_at < moves[0].moved_at
    for move in moves:
        signed = assessed.sign_offs.filter(from_stage=move.from_stage, to_stage=move.to_stage)
        assert {(s.side, s.user) for s in signed} == {
            (Side.POLICE, pst),
            (Side.COMMUNITY, partner),
        }
        assert all(s.signed_at <= move.moved_at for s in signed)
    to_response = StageMove.objects.get(problem=assessed, to_stage=Stage.RESPONSE)
    goals = list(assessed.goals.all())
    assert goals and all(g.created_at < to_response.moved_at for g in goals)
    assert all(g.result is not None for g in goals)


def test_the_team_did_its_work_at_every_stage(assessed):
    members = list(assessed.members.select_related("organisation", "user"))
    sides = {m.side for m in members}
    assert sides == {Side.POLICE, Side.COMMUNITY, Side.GOVERNMENT}
    assert any(m.side == Side.POLICE and m.user is None for m in members)
    assert any(m.side == Side.COMMUNITY and m.lives_in_area for m in members)
    assert any(m.organisation and m.organisation.stance == Stance.CRITIC for m in members)
    assert composition_warnings(assessed) == []
    assert assessed.statement and assessed.scanning_data and assessed.place
    statuses = set(assessed.hypotheses.values_list("status", flat=True))
    assert {Hypothesis.Status.SUPPORTED, Hypothesis.Status.REJECTED} <= statuses
    actions = list(assessed.actions.all())
    assert 4 <= len(actions) <= 6
    assert any(a.status == ResponseAction.Status.DONE and a.done_on for a in actions)
    today = assessed.stage_changed_at.date()
    assert sum(is_overdue(a, today) for a in actions) == 1
    meetings = list(assessed.meetings.select_related("event"))
    held = [m for m in meetings if m.event.starts_at < assessed.stage_changed_at]
    assert len(held) >= 4
    assert all(m.agenda for m in meetings) and all(m.event.minutes for m in held)
    assert {m.event.starts_at.weekday() for m in meetings} == {1}  # never a Friday or Sunday
    assert inputs_linked_to(assessed).exists()


def test_the_assessment_was_entered_by_hand_and_its_figures_computed(assessed):
    assessment = assessed.assessments.get(source=Assessment.Source.HAND)
    assert assessment.source == Assessment.Source.HAND
    assert "transit authority" in assessment.source_note
    assert assessment.created_by == User.objects.get(username="analyst")
    move = StageMove.objects.get(problem=assessed, to_stage=Stage.ASSESSMENT)
    assert assessment.after_end < move.moved_at.date()
    before = (assessment.before_end - assessment.before_start).days
    assert before == (assessment.after_end - assessment.after_start).days
    figures = assessment_figures(assessment).figures
    assert figures.wdd is not None and figures.wdd_se is not None and figures.wdd_z is not None
    assert figures.gross_effect is not None and figures.gross_effect < 0


def test_the_second_team_lacks_a_critic_and_the_check_says_so(riverside, client_for):
    problem = Problem.objects.get(agency=riverside, stage=Stage.ANALYSIS)
    warnings = composition_warnings(problem)
    assert [w.code for w in warnings] == [NO_CRITIC]
    partner = User.objects.get(username="partner")
    page = client_for(partner).get(reverse("problems:detail", args=[riverside.slug, problem.pk]))
    assert page.status_code == 200
    assert escape(warnings[0].text) in page.content.decode()
    assert not problem.goals.exists()  # so it cannot move on to the response yet


def test_the_third_problem_waits_in_scanning_for_the_community_co_lead(riverside):
    problem = Problem.objects.get(agency=riverside, stage=Stage.SCANNING)
    signed = list(problem.sign_offs.all())
    assert [(s.side, s.user.username) for s in signed] == [(Side.POLICE, "pst")]
    assert problem.community_co_lead == User.objects.get(username="partner")


def test_the_team_pages_opened_without_granting_anyone_a_new_role(demo):
    assert set(
        User.objects.get(username="resident").memberships.values_list("role", flat=True)
    ) == {Role.RESIDENT}
    assert set(User.objects.get(username="pst").memberships.values_list("role", flat=True)) == {
        Role.PST_MEMBER
    }


def test_the_public_page_of_the_assessed_problem_reads_the_figures_in_plain_words(
    client, riverside, assessed
):
    with translation.override("en"):
        reading = assessment_figures(
            assessed.assessments.get(source=Assessment.Source.HAND)
        ).reading
        page = client.get(reverse("problems_public:detail", args=[riverside.slug, assessed.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(reading.headline) in html
    assert escape(reading.change) in html
    for private in ("Marisol Vega", "Sgt. Renee Okafor", assessed.victim[:40]):
        assert escape(private) not in html


# ------------------------------------------------------------------ the command


def test_the_summary_counts_priorities_and_problems(demo):
    assert demo.candidates == Candidate.objects.count()
    assert demo.comparisons == Comparison.objects.count() >= 500
    assert demo.problems == 3


def test_logins_say_which_teams_the_co_leads_lead(demo, assessed):
    out = StringIO()
    call_command("demo", "--logins", stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    for username in ("pst", "partner", "command"):
        line = next(line for line in lines if line.startswith(f"{username} co-leads"))
        if username != "command":
            assert assessed.title in line


# ------------------------------------------------------------------ the pages a visitor tries


def test_the_staff_pages_have_the_demo_to_show(riverside, closed_survey, client_for):
    coordinator = User.objects.get(username="coordinator")
    client = client_for(coordinator)
    slug = riverside.slug
    decision = Decision.objects.get(agency=riverside)
    urls = [
        reverse("priorities:shortlist", args=[slug]),
        reverse("priorities:worksheet", args=[slug]),
        reverse("priorities:themes", args=[slug]),
        reverse("priorities:theme_suggestions", args=[slug]),
        reverse("priorities:surveys", args=[slug]),
        reverse("priorities:survey", args=[slug, closed_survey.pk]),
        reverse("priorities:dots", args=[slug]),
        reverse("priorities:decision", args=[slug, decision.pk]),
        reverse("problems:list", args=[slug]),
        *(
            reverse("problems:detail", args=[slug, pk])
            for pk in Problem.objects.filter(agency=riverside).values_list("pk", flat=True)
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    # Inputs that came in since the last tagging wait for the coordinator.
    assert theme_suggestions(agency=riverside)


def test_the_public_pages_have_the_demo_to_show(client, riverside, closed_survey, assessed):
    slug = riverside.slug
    decision = Decision.objects.get(agency=riverside)
    campus = PairwiseSurvey.objects.get(agency__slug="rsu")
    urls = [
        reverse("priorities_public:home", args=[slug]),
        reverse("priorities_public:decision", args=[slug, decision.pk]),
        reverse("priorities_public:results", args=[slug, closed_survey.pk]),
        reverse("priorities_public:vote", args=["rsu", campus.pk]),
        reverse("problems_public:list", args=[slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


# ------------------------------------------------------------------ opinion conversations


def test_the_south_district_conversation_finds_groups_and_common_ground(riverside):
    south = Conversation.objects.get(agency=riverside, status=Conversation.Status.OPEN)
    analysis = south.analysis
    assert south.participants.count() == sum(CAMP_SIZES.values())
    assert analysis.vote_count == south.votes.count() > 3000
    assert analysis.group_count >= 2
    assert analysis.clustered_count > 0.9 * south.participants.count()
    # Participants came three ways, the resident among them signed in.
    participants = south.participants.all()
    assert participants.filter(user__username="resident").exists()
    assert participants.exclude(external_id="").exists()
    assert participants.exclude(token_hash="").count() > 200
    # Moderation left a queue and a record: two moderated out, one waiting, one meta.
    statements = south.statements.all()
    assert statements.filter(moderation=Statement.Moderation.REJECTED).count() == 2
    assert statements.filter(moderation=Statement.Moderation.UNMODERATED).count() == 1
    assert statements.filter(is_meta=True).count() == 1
    assert statements.filter(language="es").count() == 2
    # The lights and the landlords unite the groups: both went to the shortlist.
    shortlisted = Candidate.objects.filter(
        agency=riverside, source=Candidate.Source.CONVERSATION, status=Candidate.Status.ACTIVE
    )
    assert set(shortlisted.values_list("title", flat=True)) == set(SHORTLISTED)
    gic = analysis.result["group_informed_consensus"]
    lights = statements.get(text=SHORTLISTED[0])
    assert gic[str(lights.number)] == max(gic.values())
    divisive = statements.get(text__startswith="I trust the Riverside police")
    assert gic[str(divisive.number)] < 0.3


def test_last_years_conversation_is_closed_with_its_report_public(client, riverside):
    arlington = Conversation.objects.get(agency=riverside, status=Conversation.Status.CLOSED)
    assert arlington.public_report and arlington.analysis.group_count >= 2
    last_vote = arlington.votes.order_by("-updated_at").values_list("updated_at", flat=True)[0]
    assert last_vote < arlington.analysis.computed_at
    page = client.get(reverse("opinions_public:report", args=[riverside.slug, arlington.pk]))
    assert page.status_code == 200
    assert "Crossing guards" in page.content.decode()


def test_the_worksheet_shows_the_common_ground_taken_from_the_conversation(riverside, client_for):
    client = client_for(User.objects.get(username="coordinator"))
    page = client.get(reverse("priorities:worksheet", args=[riverside.slug])).content.decode()
    assert "Common ground from conversations" in page
    assert escape(SHORTLISTED[1]) in page
