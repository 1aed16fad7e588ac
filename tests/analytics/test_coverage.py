import numpy as np
import pytest

from roundtable.analytics.coverage import Gap, StanceBalance, find_gaps, stance_balance


def test_it_lists_every_empty_cell_thinnest_row_first():
    counts = np.array([[3, 0, 1], [0, 0, 0], [1, 1, 0]])
    gaps = find_gaps(counts)
    assert {(g.row, g.column) for g in gaps} == {(0, 1), (1, 0), (1, 1), (1, 2), (2, 2)}
    # Row 1 has nobody at all, so its gaps come first; within it, the emptiest column first.
    assert [(g.row, g.column) for g in gaps[:3]] == [(1, 1), (1, 2), (1, 0)]
    assert gaps[0] == Gap(row=1, column=1, row_total=0, column_total=1)


def test_a_full_matrix_has_no_gaps():
    assert find_gaps(np.ones((6, 8), dtype=int)) == []


def test_it_refuses_negative_or_flat_input():
    with pytest.raises(ValueError, match="negative"):
        find_gaps(np.array([[1, -1]]))
    with pytest.raises(ValueError, match="2-D"):
        find_gaps(np.array([1, 0]))


def test_stance_balance_flags_rows_without_critics_or_supporters():
    balances = stance_balance(np.array([[4, 1, 0, 2], [0, 0, 3, 0], [0, 0, 0, 0]]))
    assert balances[0] == StanceBalance(supporters=4, neutral=1, critics=0, unknown=2)
    assert balances[0].lacks_critics and not balances[0].lacks_supporters
    assert balances[0].critic_share == 0.0
    assert balances[1].lacks_supporters and balances[1].critic_share == 1.0
    # An empty row is a gap, not a missing-critics warning.
    assert not balances[2].lacks_critics and balances[2].critic_share is None


def test_stance_balance_needs_four_columns():
    with pytest.raises(ValueError, match="four"):
        stance_balance(np.array([[1, 2, 3]]))
