"""The analysis service: votes loaded, the maths run, the map stored, and a
slower, older run never replacing a newer map."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.analytics.polis import analyze
from roundtable.opinions.models import Analysis, Statement, Vote
from roundtable.opinions.services import statement_add_seed, statement_moderate
from roundtable.opinions.services_analysis import analysis_run
from tests.opinions.conftest import SHARED, plant_votes

pytestmark = pytest.mark.django_db


def _groups_of(analysis: Analysis) -> dict[int, int | None]:
    return {p["participant"]: p["group"] for p in analysis.result["participants"]}


def test_the_two_camps_become_two_groups_that_share_lighting_and_toilets(park, planted):
    analysis = analysis_run(conversation=park)
    assert analysis.vote_count == 140 and analysis.participant_count == 20
    assert analysis.clustered_count == 20 and analysis.group_count == 2
    groups = _groups_of(analysis)
    patrols = {groups[p.number] for p in planted.patrols}
    youth = {groups[p.number] for p in planted.youth}
    assert len(patrols) == 1 and len(youth) == 1 and patrols != youth
    result = analysis.result
    assert sorted(result["consensus"]["agree"]) == list(SHARED)
    assert result["consensus"]["disagree"] == [6]
    best = max(result["group_informed_consensus"], key=result["group_informed_consensus"].get)
    assert int(best) in SHARED
    # Kept apart for the vote page: every statement's priority.
    assert set(result["priorities"]) == {str(n) for n in range(7)}
    newest = Vote.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    assert analysis.votes_seen_at == newest
    assert analysis.seed == park.analysis_seed and analysis.seconds >= 0


def test_the_same_votes_and_seed_give_the_same_map(park, planted):
    first = analysis_run(conversation=park).result
    second = analysis_run(conversation=park).result
    first.pop("seconds"), second.pop("seconds")
    assert first == second
    assert Analysis.objects.count() == 1


def test_moderated_out_and_meta_statements_are_left_out_of_the_groups(park, planted, casey):
    statement_moderate(actor=casey, statement=park.statements.get(number=0), moderation="rejected")
    statement_moderate(
        actor=casey, statement=park.statements.get(number=2), moderation="accepted", is_meta=True
    )
    result = analysis_run(conversation=park).result
    represented = {r["statement"] for g in result["groups"] for r in g["repness"]}
    assert represented and represented.isdisjoint({0, 2})
    # Moderated out, the statement is still in the record: its votes count.
    assert Analysis.objects.get(conversation=park).vote_count == 140


def test_a_conversation_without_votes_gets_an_empty_map(park):
    analysis = analysis_run(conversation=park)
    assert analysis.vote_count == 0 and analysis.group_count == 0
    assert analysis.votes_seen_at is None
    assert analysis.result["participants"] == [] and analysis.result["groups"] == []


def test_a_slow_older_run_does_not_replace_a_newer_map(park, monkeypatch):
    """Run 1 reads 140 votes; while its maths runs, ten more people vote and a
    quicker run 2 stores a map of all 210. Run 1 then finishes: its map is older
    and is dropped."""
    plant_votes(park, start=timezone.now() - dt.timedelta(hours=2))
    calls = {"n": 0}

    def analyze_while_others_vote(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            plant_votes(park, n_per_camp=5, start=timezone.now() - dt.timedelta(minutes=5))
            inner = analysis_run(conversation=park)
            assert inner.vote_count == 210
        return analyze(*args, **kwargs)

    monkeypatch.setattr("roundtable.opinions.services_analysis.analyze", analyze_while_others_vote)
    outer = analysis_run(conversation=park)
    assert calls["n"] == 2
    stored = Analysis.objects.get(conversation=park)
    assert stored.vote_count == 210 and stored.participant_count == 30
    assert outer.vote_count == 210


def test_a_later_run_with_new_votes_replaces_the_map(park, planted):
    analysis_run(conversation=park)
    plant_votes(park, n_per_camp=2, start=timezone.now())
    assert analysis_run(conversation=park).vote_count == 168
    assert Analysis.objects.get(conversation=park).participant_count == 24


def test_statements_added_after_the_votes_do_not_disturb_the_run(park, planted, casey):
    statement_add_seed(actor=casey, conversation=park, text="A new bench by the pond.")
    analysis = analysis_run(conversation=park)
    assert analysis.vote_count == 140
    assert "7" not in analysis.result["priorities"]


def test_a_run_that_started_earlier_never_replaces_a_later_runs_map(
    park, planted, casey, monkeypatch, django_capture_on_commit_callbacks
):
    """Run 1 reads the votes and is slow; statement 0 is moderated out and run 2
    stores its map. Run 1 has the same newest vote, but started first: its map
    (with statement 0 in it) must not come back."""
    from roundtable.opinions import services_analysis

    held: dict[str, dict[str, object]] = {}
    store = services_analysis._store
    monkeypatch.setattr(
        services_analysis, "_store", lambda c, fields: held.setdefault("run 1", fields)
    )
    analysis_run(conversation=park)
    monkeypatch.setattr(services_analysis, "_store", store)
    first = Statement.objects.get(conversation=park, number=0)
    with django_capture_on_commit_callbacks(execute=False):
        statement_moderate(actor=casey, statement=first, moderation=Statement.Moderation.REJECTED)
    analysis_run(conversation=park)
    store(park, held["run 1"])
    stored = Analysis.objects.get(conversation=park).result
    assert all(r["statement"] != 0 for g in stored["groups"] for r in g["repness"])
    assert held["run 1"]["votes_seen_at"] == Analysis.objects.get(conversation=park).votes_seen_at
