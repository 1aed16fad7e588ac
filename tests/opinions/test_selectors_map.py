"""The opinion map as the report pages read it, and the common ground the
priority worksheet takes from the agency's conversations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.opinions import selectors
from roundtable.opinions.selectors_map import (
    candidate_common_ground,
    common_ground,
    group_label,
    opinion_map,
)
from roundtable.opinions.services import (
    conversation_create,
    participant_for,
    statement_moderate,
    statement_submit,
    statement_to_candidate,
)
from roundtable.opinions.services_analysis import analysis_run
from tests.opinions.conftest import PARK_STATEMENTS, SHARED, plant_votes

pytestmark = pytest.mark.django_db


def _label_of(people, result):
    """The label of the group the first of `people` is in."""
    groups = {p["participant"]: p["group"] for p in result["participants"]}
    return group_label(groups[people[0].number])


def test_no_map_before_the_first_analysis(park):
    assert opinion_map(conversation=park, public=False) is None
    # The views know it from the selectors module too.
    assert selectors.opinion_map is opinion_map


def test_staff_see_groups_with_what_sets_them_apart_and_what_all_share(park, planted):
    result = analysis_run(conversation=park).result
    the_map = opinion_map(conversation=park, public=False)
    assert the_map is not None and not the_map.stale
    assert (the_map.participant_count, the_map.vote_count, the_map.clustered_count) == (
        20,
        140,
        20,
    )
    assert sorted(g.label for g in the_map.groups) == ["A", "B"]
    patrols = next(g for g in the_map.groups if g.label == _label_of(planted.patrols, result))
    assert patrols.size == 10 and patrols.size_text == "10"
    officers = next(s for s in patrols.statements if s.number == 0)
    assert officers.text == PARK_STATEMENTS[0] and officers.direction == "agree"
    # All ten patrol voters agreed; none of the youth group did.
    assert officers.group_percent == 100.0 and officers.others_percent == 0.0
    consensus = {(c.number, c.direction): c.percent for c in the_map.consensus}
    assert consensus == {(4, "agree"): 100.0, (5, "agree"): 100.0, (6, "disagree"): 100.0}
    assert {s.number for s in the_map.shared[:2]} == set(SHARED)
    lighting = the_map.shared[0]
    assert [g.percent for g in lighting.groups] == [100.0, 100.0]
    assert [g.voted for g in lighting.groups] == [10, 10]
    # Staff see participant numbers (to find someone in the analysis's table).
    assert {p.participant for p in the_map.points} == set(range(20))
    assert {p.group for p in the_map.points} == {0, 1}


def test_the_public_map_has_no_participant_numbers_and_hides_small_group_sizes(park, settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    plant_votes(park, n_per_camp=4)
    analysis_run(conversation=park)
    public = opinion_map(conversation=park, public=True)
    assert public is not None and len(public.points) == 8
    assert all(p.participant is None for p in public.points)
    assert public.groups and all(g.size is None for g in public.groups)
    assert all(g.size_text == "fewer than 5" for g in public.groups)
    staff = opinion_map(conversation=park, public=False)
    assert staff is not None and [g.size for g in staff.groups] == [4, 4]


def test_the_public_map_never_quotes_a_statement_voters_cannot_see(park, planted, casey):
    statement_moderate(actor=casey, statement=park.statements.get(number=4), moderation="rejected")
    waiting = statement_submit(
        participant=participant_for(conversation=park, token="t"),  # type: ignore[arg-type]
        text="Benches near the playground.",
    )
    analysis_run(conversation=park)
    public = opinion_map(conversation=park, public=True)
    assert public is not None
    quoted = {s.number for g in public.groups for s in g.statements}
    quoted |= {c.number for c in public.consensus} | {s.number for s in public.shared}
    assert 4 not in quoted and waiting.number not in quoted
    assert 5 in quoted


def test_a_map_older_than_the_votes_says_so(park, planted):
    analysis_run(conversation=park)
    plant_votes(park, n_per_camp=1, start=timezone.now() + dt.timedelta(seconds=1))
    the_map = opinion_map(conversation=park, public=True)
    assert the_map is not None and the_map.stale


def test_the_map_takes_three_queries(park, planted, django_assert_num_queries):
    analysis_run(conversation=park)
    with django_assert_num_queries(3):
        opinion_map(conversation=park, public=True)


def test_group_labels_follow_polis():
    assert [group_label(g) for g in (0, 1, 4, 25, 26)] == ["A", "B", "E", "Z", "AA"]


# --- Common ground for the priority worksheet ---


@pytest.fixture
def bus_stop(agency, casey):
    """A second conversation where both camps agree that the bus stop needs a shelter."""
    conversation = conversation_create(
        actor=casey,
        agency=agency,
        title="Waiting at the Harlow Road bus stop",
        question="What would make waiting at the bus stop feel safe?",
        seed_statements=[
            "Police should move groups of young people on.",
            "Young people have nowhere else to go.",
            "Cameras at the stop.",
            "More youth clubs in the evening.",
            "The stop needs a lit shelter.",
            "Buses should run later.",
            "The stop should move.",
        ],
    )
    plant_votes(conversation, n_per_camp=6)
    analysis_run(conversation=conversation)
    return conversation


def test_common_ground_ranks_statements_across_conversations(
    agency, park, planted, bus_stop, casey, django_assert_num_queries
):
    analysis_run(conversation=park)
    statement_moderate(
        actor=casey, statement=park.statements.get(number=5), moderation="accepted", is_meta=True
    )
    with django_assert_num_queries(2):
        found = common_ground(agency=agency, limit=4)
    assert len(found) == 4
    values = [g.consensus for g in found]
    assert values == sorted(values, reverse=True)
    where = {(g.conversation_title, g.number) for g in found}
    assert ("Harlow Park after dark", 4) in where
    assert ("Waiting at the Harlow Road bus stop", 4) in where
    # Meta statements are not priorities.
    assert ("Harlow Park after dark", 5) not in where
    top = next(g for g in found if g.conversation_id == park.pk)
    assert [a.percent for a in top.groups] == [100.0, 100.0] and top.candidate is None


def test_common_ground_names_the_candidate_a_statement_became(agency, park, planted, casey):
    analysis_run(conversation=park)
    candidate = statement_to_candidate(actor=casey, statement=park.statements.get(number=4))
    found = {g.number: g for g in common_ground(agency=agency)}
    assert found[4].candidate == candidate and found[5].candidate is None
    figures = candidate_common_ground(candidate_ids=[candidate.pk])
    assert list(figures) == [candidate.pk]
    (ground,) = figures[candidate.pk]
    assert ground.conversation_title == "Harlow Park after dark"
    assert ground.consensus == pytest.approx(found[4].consensus)
    assert [g.label for g in ground.groups] == ["A", "B"]


def test_common_ground_is_the_agencys_own(agency, other_agency, park, planted, uma):
    analysis_run(conversation=park)
    theirs = conversation_create(
        actor=uma,
        agency=other_agency,
        title="Campus",
        question="Campus safety?",
        seed_statements=PARK_STATEMENTS,
    )
    plant_votes(theirs)
    analysis_run(conversation=theirs)
    assert {g.conversation_id for g in common_ground(agency=agency)} == {park.pk}
    assert {g.conversation_id for g in common_ground(agency=other_agency)} == {theirs.pk}
    assert common_ground(agency=agency, limit=3)[0].consensus >= 0.8


def test_without_maps_there_is_no_common_ground(agency, park):
    assert common_ground(agency=agency) == []
    assert candidate_common_ground(candidate_ids=[]) == {}
