"""The vote table, the zeroed rating matrix and who is in the conversation."""

from __future__ import annotations

import numpy as np
import pytest

from roundtable.analytics.polis import VoteTable
from roundtable.analytics.polis.matrix import in_conversation, rating_matrix


def test_rows_follow_first_votes_and_columns_follow_statement_numbers():
    table = VoteTable.from_votes([7, 3, 7, 5], [20, 10, 10, 30], [1, -1, 0, 1])
    assert table.participants.tolist() == [7, 3, 5]
    assert table.statements.tolist() == [10, 20, 30]
    cells = {
        (int(table.participants[r]), int(table.statements[c])): int(v)
        for r, c, v in zip(table.rows, table.cols, table.values, strict=True)
    }
    assert cells == {(7, 20): 1, (3, 10): -1, (7, 10): 0, (5, 30): 1}


def test_a_later_vote_replaces_an_earlier_one():
    table = VoteTable.from_votes([1, 1, 2, 1], [5, 6, 5, 5], [1, 1, -1, -1])
    assert len(table.values) == 3
    first_row_votes = dict(
        zip(
            table.cols[table.rows == 0].tolist(),
            table.values[table.rows == 0].tolist(),
            strict=True,
        )
    )
    assert first_row_votes == {0: -1, 1: 1}


def test_large_participant_numbers_take_the_general_path():
    table = VoteTable.from_votes([10**15, 4, 10**15], [1, 1, 2], [1, 1, -1])
    assert table.participants.tolist() == [10**15, 4]
    assert sorted(zip(table.rows.tolist(), table.cols.tolist(), strict=True)) == [
        (0, 0),
        (0, 1),
        (1, 0),
    ]


def test_bad_votes_are_refused():
    with pytest.raises(ValueError, match="agree"):
        VoteTable.from_votes([1], [1], [2])
    with pytest.raises(ValueError, match="same length"):
        VoteTable.from_votes([1, 2], [1], [1])


def test_no_votes_give_an_empty_table():
    table = VoteTable.from_votes([], [], [])
    assert table.shape == (0, 0)


def test_mod_out_columns_are_zeroed_and_count_as_voted():
    # Participant 1 votes on 1 and 2; participant 2 on 1 and 3; statement 3 is moderated out.
    table = VoteTable.from_votes([1, 1, 2, 2], [1, 2, 1, 3], [1, -1, -1, 1])
    rm = rating_matrix(table, moderated_out=[3], meta=[99])
    assert rm.mod_out.tolist() == [False, False, True]
    # Column means over non-missing cells; the zeroed column's mean is 0.
    assert rm.center.tolist() == [0.0, -1.0, 0.0]
    # The raw counts decide in-conv; the zeroed matrix's counts scale the projection:
    # participant 1: 2 votes + the mod-out column; participant 2: 1 kept vote + it.
    assert rm.vote_counts.tolist() == [2, 2]
    assert rm.projection_counts().tolist() == [3, 2]


def test_meta_statements_are_mod_out_too():
    table = VoteTable.from_votes([1, 1], [1, 2], [1, 1])
    rm = rating_matrix(table, meta=[2])
    assert rm.mod_out.tolist() == [False, True]
    assert rm.meta.tolist() == [False, True]


def test_in_conv_needs_seven_votes_or_all_statements():
    counts = np.array([7] * 15 + [6, 3, 9])
    assert in_conversation(counts, 40).tolist() == [True] * 15 + [False, False, True]
    # With only 3 statements, 3 votes are enough.
    assert in_conversation(np.array([3] * 16 + [2]), 3).tolist() == [True] * 16 + [False]


def test_in_conv_is_topped_up_to_fifteen_by_the_most_active():
    counts = np.array([1] * 10 + [7] * 10 + [2, 3, 2, 5, 6, 1])
    chosen = in_conversation(counts, 40)
    # 10 qualify; the five most active of the rest (6, 5, 3, then the first 2s) join them.
    assert chosen.sum() == 15
    assert chosen[10:20].all()
    assert chosen[[20, 21, 22, 23, 24]].all()
    assert not chosen[:10].any()


def test_whoever_qualified_while_votes_came_in_stays_in():
    # 16 people vote on statement 1 only, early on; then 8 statements get votes from
    # participants 100–115, who reach 7 votes. The early 16 met min(7, n-cmts) = 1
    # when there was one statement and stay in, as Polis persists :in-conv.
    early_p = list(range(16))
    early_s = [1] * 16
    late_p = [p for p in range(100, 116) for _ in range(8)]
    late_s = [s for _ in range(100, 116) for s in range(2, 10)]
    table = VoteTable.from_votes(early_p + late_p, early_s + late_s, [1] * (16 + len(late_p)))
    assert table.qualified is not None
    assert table.qualified.all()
    rm = rating_matrix(table)
    assert rm.in_conv.all()
    # A recount alone would leave the early 16 out.
    assert not in_conversation(rm.vote_counts, rm.n_cols)[:16].any()


def test_the_first_fifteen_voters_stay_in_through_the_greedy_top_up():
    # Statements 1–10 exist from the start; 20 people cast one vote each, then
    # participant 0 votes on everything.
    p = list(range(10)) + list(range(20)) + [0] * 9
    s = list(range(1, 11)) + [1] * 20 + list(range(2, 11))
    table = VoteTable.from_votes(p, s, [1] * len(p))
    assert table.qualified is not None
    # Participants 0–14 arrived while fewer than 15 were in.
    assert table.qualified.tolist() == [True] * 15 + [False] * 5
