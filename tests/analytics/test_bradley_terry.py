"""Bradley–Terry strengths against BradleyTerry2's published fit, and the survey scores."""

from __future__ import annotations

import numpy as np
import pytest

from roundtable.analytics.bradley_terry import (
    chance_of_beating_another,
    fit_strengths,
    reference_standard_errors,
    score_items,
)

JOURNALS = ["Biometrika", "Comm Statist", "JASA", "JRSS-B"]
# Stigler's citation counts as shipped with BradleyTerry2 (data/citations.R):
# CITATIONS[cited][citing]; countsToBinomial() makes the *cited* journal the
# winner of each citation.
CITATIONS = np.array(
    [
        [714, 730, 498, 221],
        [33, 425, 68, 17],
        [320, 813, 1072, 142],
        [284, 276, 325, 188],
    ]
)


def citation_votes():
    winners, losers = [], []
    for cited in range(4):
        for citing in range(4):
            if cited != citing:
                winners += [cited] * int(CITATIONS[cited, citing])
                losers += [citing] * int(CITATIONS[cited, citing])
    return winners, losers


def test_the_mle_matches_bradleyterry2_with_biometrika_as_reference():
    # BradleyTerry2 tests/BTabilities.Rout.save: BTabilities(citeModel).
    theta = fit_strengths(4, *citation_votes(), prior=0)

    relative = theta - theta[0]

    np.testing.assert_allclose(relative, [0.0, -2.9490725, -0.4795698, 0.2689541], atol=5e-6)


def test_the_mle_matches_bradleyterry2_with_sum_to_zero_contrasts():
    # Same file, BTabilities(mod3) with contr.sum: our centring (mean 0).
    theta = fit_strengths(4, *citation_votes(), prior=0)

    np.testing.assert_allclose(theta, [0.7899221, -2.1591504, 0.3103523, 1.0588761], atol=5e-6)
    assert theta.mean() == pytest.approx(0.0, abs=1e-12)


def test_standard_errors_match_bradleyterry2():
    errors = reference_standard_errors(4, *citation_votes(), prior=0)

    np.testing.assert_allclose(errors, [0.0, 0.10254534, 0.06058873, 0.07082997], atol=5e-7)


def test_the_plain_mle_does_not_exist_for_an_item_that_never_lost():
    # Item 0 beat everyone and lost to no one: its strength would be infinite.
    winners, losers = [0, 0, 1, 2], [1, 2, 2, 1]

    with pytest.raises(ValueError, match="do not exist"):
        fit_strengths(3, winners, losers, prior=0)


def test_the_prior_keeps_an_unbeaten_item_finite_and_on_top():
    theta = fit_strengths(3, [0, 0, 1, 2], [1, 2, 2, 1])

    assert np.all(np.isfinite(theta))
    assert theta[0] > theta[1] and theta[0] > theta[2]
    assert theta[1] == pytest.approx(theta[2])


def test_the_score_is_the_mean_chance_of_beating_each_other_item():
    theta = np.array([1.0, 0.0, -1.0])
    sigma = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731

    scores = chance_of_beating_another(theta)

    assert scores[0] == pytest.approx(100 * (sigma(1.0) + sigma(2.0)) / 2)
    # Every comparison has one winner, so scores average exactly 50.
    assert scores.mean() == pytest.approx(50.0)


def test_scores_rank_the_journals_as_the_published_abilities_do():
    results = score_items(4, *citation_votes(), prior=0, seed=1)

    ranking = [JOURNALS[r.item] for r in sorted(results, key=lambda r: -r.score)]

    assert ranking == ["JRSS-B", "Biometrika", "JASA", "Comm Statist"]
    assert [r.wins for r in results] == [1449, 118, 1275, 885]
    assert [r.losses for r in results] == [637, 1819, 891, 380]


def test_intervals_contain_the_score_and_shrink_with_more_votes():
    winners, losers = [0, 0, 0, 1, 1, 2, 2, 0], [1, 2, 3, 2, 3, 3, 0, 3]
    few = score_items(4, winners, losers, seed=3)
    many = score_items(4, winners * 20, losers * 20, seed=3)

    for a, b in zip(few, many, strict=True):
        assert a.low <= a.score <= a.high
        assert b.low <= b.score <= b.high
        assert b.high - b.low < a.high - a.low


def test_a_new_candidate_that_won_its_only_two_votes_gets_an_honestly_wide_interval():
    results = score_items(5, [4, 4, 0, 1, 2, 3], [0, 1, 1, 2, 3, 0])

    newcomer = results[4]

    assert newcomer.score > 50
    assert newcomer.high - newcomer.low > 30


def test_a_higher_level_gives_a_wider_interval():
    winners, losers = [0, 0, 1, 2, 2], [1, 2, 2, 0, 1]
    narrow = score_items(3, winners, losers, level=0.5, seed=0)[0]
    wide = score_items(3, winners, losers, level=0.95, seed=0)[0]

    assert wide.high - wide.low > narrow.high - narrow.low


def test_scores_are_reproducible_for_a_seed():
    winners, losers = [0, 1, 2, 0, 3], [1, 2, 0, 3, 1]

    assert score_items(4, winners, losers, seed=7) == score_items(4, winners, losers, seed=7)


def test_an_item_nobody_voted_on_scores_50_with_the_widest_interval():
    results = score_items(3, [0, 1], [1, 0])

    assert (results[2].score, results[2].low, results[2].high) == (50.0, 0.0, 100.0)
    assert (results[2].wins, results[2].losses) == (0, 0)


def test_no_items_gives_nothing_and_a_lone_item_scores_50():
    assert score_items(0, [], []) == []
    lone = score_items(1, [], [])

    assert [(r.item, r.score, r.low, r.high) for r in lone] == [(0, 50.0, 0.0, 100.0)]


def test_no_votes_leaves_every_item_at_50():
    assert [r.score for r in score_items(3, [], [])] == [50.0, 50.0, 50.0]


@pytest.mark.parametrize(
    ("winners", "losers", "message"),
    [
        ([0, 1], [1], "same length"),
        ([0], [0], "itself"),
        ([0], [3], "out of range"),
        ([-1], [0], "out of range"),
    ],
)
def test_malformed_votes_are_refused(winners, losers, message):
    with pytest.raises(ValueError, match=message):
        score_items(3, winners, losers)


def test_a_negative_prior_or_a_silly_level_is_refused():
    with pytest.raises(ValueError, match="prior"):
        fit_strengths(2, [0], [1], prior=-1)
    with pytest.raises(ValueError, match="level"):
        score_items(2, [0], [1], level=1.0)
