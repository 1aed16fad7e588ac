"""The whole analysis: planted camps are found, results are stable, small cases work."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from roundtable.analytics.polis import VoteTable, analyze, priority_of_new_statement


def two_camps(n_per_camp=30, n_statements=20, seed=0, skip=0.2):
    """Camp 0 agrees with statements 0–9 and disagrees with 10–19; camp 1 the reverse.

    Statement 20 is one everybody agrees with. Each participant skips a
    random fifth of the statements, and one vote in ten is a pass.
    """
    rng = np.random.default_rng(seed)
    participants, statements, values, camp_of = [], [], [], {}
    order = rng.permutation(2 * n_per_camp)
    for person in order:
        camp = int(person % 2)
        camp_of[int(person)] = camp
        for s in range(n_statements + 1):
            if rng.random() < skip:
                continue
            agrees = s == n_statements or (s < n_statements // 2) == (camp == 0)
            vote = 1 if agrees else -1
            if rng.random() < 0.1:
                vote = 0
            participants.append(int(person))
            statements.append(s)
            values.append(vote)
    return VoteTable.from_votes(participants, statements, values), camp_of


def test_two_planted_camps_are_found():
    table, camp_of = two_camps()
    result = analyze(table)
    assert len(result.groups) == 2
    assert result.in_conv.all()
    truth = [camp_of[int(p)] for p in result.participants]
    assert adjusted_rand_score(truth, result.group_of) == 1.0


def test_each_camp_is_represented_by_what_it_agrees_with():
    table, camp_of = two_camps()
    result = analyze(table)
    for group in result.groups:
        camp = camp_of[int(group.participants[0])]
        assert 1 <= len(group.repness) <= 5
        # Agrees come before disagrees; the best agree (if any) leads.
        directions = [r.direction for r in group.repness]
        assert directions == sorted(directions)
        for r in group.repness:
            own_side = (r.statement < 10) == (camp == 0)
            assert (r.direction == "agree") == own_side
            assert r.n_trials >= r.n_success > 0
        best = [r for r in group.repness if r.best_agree]
        assert len(best) <= 1
        if best:
            assert group.repness[0] is best[0]


def test_the_statement_everyone_agrees_with_is_consensus_across_groups():
    table, _ = two_camps()
    result = analyze(table)
    assert result.consensus_agree[0].statement == 20
    assert 20 not in [c.statement for c in result.consensus_disagree]
    gic = result.group_informed_consensus
    assert max(gic, key=gic.__getitem__) == 20
    # Divisive statements score low: one group always rejects them.
    assert gic[0] < 0.2


def test_moderated_out_and_meta_statements_never_represent_anyone():
    table, _ = two_camps()
    result = analyze(table, moderated_out=[0, 1], meta=[20])
    chosen = {r.statement for g in result.groups for r in g.repness}
    chosen |= {c.statement for c in result.consensus_agree + result.consensus_disagree}
    assert not chosen & {0, 1, 20}
    assert result.priorities[20] == pytest.approx(49.0)
    # The camps are still found from the other statements.
    assert len(result.groups) == 2


def test_priorities_favour_divisive_statements_over_settled_ones():
    table, _ = two_camps()
    result = analyze(table)
    assert set(result.priorities) == set(range(21))
    assert result.extremity[0] > result.extremity[20]
    assert result.priorities[0] > result.priorities[20]


def many_statements(seed):
    rng = np.random.default_rng(seed)
    n_people, n_statements = 120, 60
    lean = rng.choice([-1, 1], size=n_people)
    tilt = rng.normal(size=n_statements)
    p, s, v = [], [], []
    for person in range(n_people):
        for statement in rng.choice(n_statements, size=25, replace=False):
            p.append(person)
            s.append(int(statement))
            v.append(int(np.sign(lean[person] * tilt[statement] + rng.normal(scale=0.8))))
    return VoteTable.from_votes(p, s, v)


def test_same_votes_and_seed_give_an_identical_result():
    # 60 statements: the eigenvectors come from ARPACK, started from the seed.
    first = analyze(many_statements(3), seed=11)
    second = analyze(many_statements(3), seed=11)
    np.testing.assert_array_equal(first.x, second.x)
    np.testing.assert_array_equal(first.y, second.y)
    np.testing.assert_array_equal(first.group_of, second.group_of)
    a, b = first.as_json(), second.as_json()
    a.pop("seconds")
    b.pop("seconds")
    assert a == b


def test_another_seed_gives_the_same_map_up_to_rounding():
    first = analyze(many_statements(3), seed=1)
    second = analyze(many_statements(3), seed=2)
    np.testing.assert_allclose(first.x, second.x, atol=1e-4)
    assert adjusted_rand_score(first.group_of, second.group_of) == 1.0


def test_as_json_has_the_documented_shape_and_is_plain_json():
    table, _ = two_camps()
    data = json.loads(json.dumps(analyze(table).as_json()))
    assert set(data) >= {
        "participants",
        "groups",
        "consensus",
        "group_informed_consensus",
        "seconds",
        "statements",
        "silhouettes",
        "in_conv",
    }
    assert len(data["participants"]) == 60
    assert set(data["participants"][0]) == {"participant", "group", "x", "y"}
    assert {g["group"] for g in data["groups"]} == {0, 1}
    assert sum(g["size"] for g in data["groups"]) == 60
    assert set(data["groups"][0]["repness"][0]) == {
        "statement",
        "direction",
        "n_success",
        "n_trials",
        "p_success",
        "p_test",
        "repness",
        "repness_test",
        "best_agree",
    }
    assert data["consensus"]["agree"][0] == 20
    assert set(data["statements"][0]["groups"]) == {"0", "1"}
    assert data["seconds"] >= 0


def test_no_votes():
    result = analyze(VoteTable.from_votes([], [], []))
    assert result.groups == []
    assert result.group_informed_consensus == {}
    assert result.priorities == {}
    assert result.as_json()["participants"] == []


def test_one_participant():
    result = analyze(VoteTable.from_votes([5, 5, 5], [1, 2, 3], [1, -1, 0]))
    assert result.participants.tolist() == [5]
    assert result.group_of.tolist() == [-1]
    assert result.groups == []
    assert result.x.tolist() == [0.0]


def test_one_statement():
    result = analyze(VoteTable.from_votes([1, 2, 3, 4], [9, 9, 9, 9], [1, 1, -1, -1]))
    # Two positions on one axis: two groups of two.
    assert sorted(len(g.participants) for g in result.groups) == [2, 2]
    assert set(result.priorities) == {9}


def test_everyone_passing_gives_no_groups_and_new_statement_priorities():
    p = [1, 1, 2, 2, 3, 3]
    s = [1, 2, 1, 2, 1, 2]
    result = analyze(VoteTable.from_votes(p, s, [0] * 6))
    assert result.groups == []
    assert not result.x.any()
    assert result.consensus_agree == []
    # No groups, so A = D = S = 0 as for a statement nobody has seen.
    assert result.priorities[1] == pytest.approx(priority_of_new_statement())


def test_fewer_than_seven_statements_lower_the_bar():
    # Three statements: everyone who voted on all three is in the conversation.
    p = [1, 1, 1, 2, 2, 2, 3]
    s = [1, 2, 3, 1, 2, 3, 1]
    result = analyze(VoteTable.from_votes(p, s, [1, 1, -1, -1, -1, 1, 1]))
    # Fewer than 15 qualify, so the greedy top-up takes everyone.
    assert result.in_conv.all()
