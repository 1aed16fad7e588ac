"""The Polis formulas (stats.clj, repness.clj, conversation.clj) against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from roundtable.analytics.polis import priority_of_new_statement
from roundtable.analytics.polis.consensus import group_informed_consensus, select_consensus
from roundtable.analytics.polis.priority import importance, priority
from roundtable.analytics.polis.repness import Repness, repness_metric, repness_stats
from roundtable.analytics.polis.stats import prop_test, two_prop_test, z_sig_90


def test_prop_test_adds_one_to_both_counts():
    # s = 3+1, n = 5+1: 2·√6·(4/6 − 1/2) = √6/3.
    assert prop_test(3, 5) == pytest.approx(math.sqrt(6) / 3)
    # Nobody voted: s = 1, n = 1 → 2·1·(1 − 1/2) = 1.
    assert prop_test(0, 0) == pytest.approx(1.0)


def test_two_prop_test_uses_the_pooled_proportion_with_pseudo_counts():
    # s1 = 3, n1 = 5, s2 = 2, n2 = 7: (3/5 − 2/7)/√((5/12)(7/12)(1/5 + 1/7)) = 22√3/35.
    assert two_prop_test(2, 1, 4, 6) == pytest.approx(22 * math.sqrt(3) / 35)
    # A group below the rest gives a negative z.
    assert two_prop_test(1, 2, 6, 4) < 0


def test_two_prop_test_is_zero_when_every_vote_is_a_success():
    # s1 = n1 = 5, s2 = n2 = 7 → p̂ = 1: stats.clj returns 0 instead of dividing by zero.
    assert two_prop_test(4, 6, 4, 6) == 0.0


def test_significance_is_one_sided_at_1_2816():
    assert list(z_sig_90([1.2816, 1.2817, -3.0])) == [False, True, False]


def test_repness_stats_for_a_group_against_the_rest():
    # Group 0: 3 agree of 4 votes; group 1 (the rest): 0 agree, 2 disagree of 3.
    stats = repness_stats(np.array([[3], [0]]), np.array([[0], [2]]), np.array([[4], [3]]))
    assert stats.pa[0, 0] == pytest.approx(4 / 6)
    assert stats.pd[0, 0] == pytest.approx(1 / 6)
    # ra = pa / ((1 + 0)/(2 + 3)) = (2/3)/(1/5)
    assert stats.ra[0, 0] == pytest.approx(10 / 3)
    # pat = 2·√5·(4/5 − 1/2)
    assert stats.pat[0, 0] == pytest.approx(0.6 * math.sqrt(5))
    # rat: s1 = 4, n1 = 5, s2 = 1, n2 = 4, p̂ = 5/9: (0.8 − 0.25)/√((5/9)(4/9)(9/20)) = 0.55·3
    assert stats.rat[0, 0] == pytest.approx(1.65)
    # The rest of group 1 is group 0: rd = ((1+2)/(2+3)) / ((1+0)/(2+4)).
    assert stats.rd[1, 0] == pytest.approx((3 / 5) / (1 / 6))


def test_repness_metric_is_the_product_of_four_numbers():
    r = Repness(
        statement=1,
        direction="agree",
        n_success=3,
        n_trials=4,
        p_success=0.5,
        p_test=2.0,
        repness=3.0,
        repness_test=1.5,
        best_agree=False,
    )
    assert repness_metric(r) == pytest.approx(3.0 * 1.5 * 0.5 * 2.0)


def test_importance_metric():
    # conversation.clj (importance-metric 1 0 1 0): (1 − 1/3)·1·(2/3)
    assert importance(1, 0, 1, 0) == pytest.approx(4 / 9)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # The Clojure's own examples, (priority-metric false A P S E), by hand:
        # ((1 − (P+1)/(S+2))·(E+1)·(A+1)/(S+2) · (1 + 8·2^(−S/5)))²
        ((1, 0, 1, 0), (4 / 9 * (1 + 8 * 2 ** (-1 / 5))) ** 2),
        ((20, 3, 20, 0), ((18 / 22) * (21 / 22) * 1.5) ** 2),
        ((18, 3, 20, 1), ((18 / 22) * 2 * (19 / 22) * 1.5) ** 2),
    ],
)
def test_priority_metric_matches_the_clojure_examples(args, expected):
    a, p, s, e = args
    assert priority(a, p, s, e) == pytest.approx(expected)


def test_meta_statements_get_seven_squared():
    assert priority(20, 3, 20, 0, is_meta=True) == pytest.approx(49.0)


def test_a_new_statement_has_the_priority_of_no_votes_and_no_extremity():
    # (½ · 1 · ½ · (1 + 8))² = 5.0625; it outranks a well-voted, dull statement.
    assert priority_of_new_statement() == pytest.approx(5.0625)
    assert priority_of_new_statement() > float(priority(20, 3, 20, 0)[()])


def test_consensus_needs_a_majority_and_significance_and_skips_mod_out():
    agree = np.array([10, 5, 10, 9])
    disagree = np.array([0, 5, 0, 1])
    seen = np.array([10, 10, 10, 10])
    statements = np.array([1, 2, 3, 4])
    excluded = np.array([False, False, True, False])
    agrees, disagrees = select_consensus(agree, disagree, seen, statements, excluded)
    # Statement 2 has pa = 6/12, not above 1/2; statement 3 is moderated out.
    assert [c.statement for c in agrees] == [1, 4]
    assert agrees[0].p_success == pytest.approx(11 / 12)
    assert agrees[0].p_test == pytest.approx(math.sqrt(11))
    assert disagrees == []


def test_group_informed_consensus_is_the_product_of_group_agreement():
    agree = np.array([[3, 0], [1, 2]])
    seen = np.array([[4, 1], [1, 2]])
    gic = group_informed_consensus(agree, seen)
    assert gic[0] == pytest.approx((4 / 6) * (2 / 3))
    assert gic[1] == pytest.approx((1 / 3) * (3 / 4))
