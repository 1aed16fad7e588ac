"""Pair choice and the single-use pair ticket of the pairwise survey."""

import random
import time
from collections import Counter
from itertools import combinations

import pytest
from django.core import signing

from roundtable.priorities import pairs


def _draw(ids, times, seed=1):
    """Draw `times` pairs, counting each as voted on, as the survey would."""
    rng = random.Random(seed)
    counts: Counter[tuple[int, int]] = Counter()
    drawn = []
    for _ in range(times):
        pair = pairs.choose_pair(ids, counts, rng)
        assert pair is not None
        drawn.append(pair)
        counts[pairs.pair_key(*pair)] += 1
    return drawn, counts


def test_a_pair_never_shows_the_same_candidate_twice():
    drawn, _counts = _draw([3, 5, 8, 13, 21], 500)
    assert all(left != right for left, right in drawn)


def test_the_first_rounds_cover_every_pair_before_repeating_much():
    ids = [3, 5, 8, 13, 21, 34]
    every = {pairs.pair_key(a, b) for a, b in combinations(ids, 2)}
    _drawn, counts = _draw(ids, 3 * len(every))
    assert set(counts) == every
    # Least-compared pairs are favoured: no pair races far ahead of another.
    assert max(counts.values()) - min(counts.values()) <= 3


def test_a_pair_long_left_behind_is_picked_far_more_often_than_a_worn_one():
    counts = {(1, 2): 0, (1, 3): 10, (2, 3): 10}
    rng = random.Random(7)
    picks: Counter[tuple[int, int]] = Counter()
    for _ in range(300):
        pair = pairs.choose_pair([1, 2, 3], counts, rng)
        assert pair is not None
        picks[pairs.pair_key(*pair)] += 1
    assert picks[(1, 2)] > 250
    assert picks[(1, 3)] + picks[(2, 3)] > 0  # still some randomness


def test_either_candidate_may_stand_on_the_left():
    drawn, _ = _draw([1, 2], 60)
    assert {left for left, _right in drawn} == {1, 2}


def test_fewer_than_two_candidates_give_no_pair():
    assert pairs.choose_pair([], {}) is None
    assert pairs.choose_pair([4, 4], {}) is None


def test_a_ticket_names_its_survey_and_pair():
    token = pairs.pair_token(survey_id=7, left_id=1, right_id=2)
    assert pairs.read_pair_token(token, survey_id=7) == pairs.PairTicket(7, 1, 2)


def test_a_ticket_for_another_survey_or_altered_is_refused():
    token = pairs.pair_token(survey_id=7, left_id=1, right_id=2)
    assert pairs.read_pair_token(token, survey_id=8) is None
    assert pairs.read_pair_token(token[:-2] + "xx", survey_id=7) is None
    forged = signing.dumps({"s": 7, "l": 1, "r": 2, "n": "x"}, salt="another-salt")
    assert pairs.read_pair_token(forged, survey_id=7) is None
    assert pairs.read_pair_token("not a ticket", survey_id=7) is None


def test_two_tickets_for_the_same_pair_differ():
    first = pairs.pair_token(survey_id=7, left_id=1, right_id=2)
    assert first != pairs.pair_token(survey_id=7, left_id=1, right_id=2)


def test_a_ticket_expires_after_a_day(monkeypatch):
    token = pairs.pair_token(survey_id=7, left_id=1, right_id=2)
    a_day_later = time.time() + pairs.TOKEN_MAX_AGE + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: a_day_later)
    assert pairs.read_pair_token(token, survey_id=7) is None


@pytest.mark.django_db
def test_a_ticket_can_be_claimed_once():
    token = pairs.pair_token(survey_id=7, left_id=1, right_id=2)
    assert pairs.claim_token(token) is True
    assert pairs.claim_token(token) is False
    assert pairs.claim_token(pairs.pair_token(survey_id=7, left_id=1, right_id=2)) is True
