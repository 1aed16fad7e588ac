"""Which two candidates a participant sees next, and the signed ticket that
carries that pair through the vote form.

Pair choice favours the pairs compared least so far, so every pair gets votes
early and the fit is not left guessing about any of them; a random draw among
them keeps the order unpredictable (nobody can steer which pair comes up), and
which candidate stands left or right is random too, so position cannot bias
the result.

The ticket (`pair_token`) is signed with the secret key, names the survey and
the two candidates, carries a random nonce and expires after a day. A vote is
accepted only with a valid ticket for that survey, and each ticket only once
(`claim_token`: the hash of the ticket is added to the cache before the vote is
stored). So a vote cannot be made up for a pair nobody was shown, and a form
sent again — a double click, a replay — counts once. Neither the ticket nor
its record in the cache says anything about who voted.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

PAIR_SALT = "roundtable.priorities.pair"
TOKEN_MAX_AGE = 24 * 3600


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def choose_pair(
    candidate_ids: Sequence[int],
    counts: Mapping[tuple[int, int], int],
    rng: random.Random | None = None,
) -> tuple[int, int] | None:
    """Two different candidates (left, right), or None with fewer than two.

    A pair's chance falls with the square of how many votes it has beyond the
    least-voted pair: 1 for the least voted, 1/4 one vote more, 1/9 two more.
    `counts` is keyed by `pair_key`.
    """
    rng = rng or random.SystemRandom()
    ids = sorted(set(candidate_ids))
    if len(ids) < 2:
        return None
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    seen = [counts.get(pair, 0) for pair in pairs]
    fewest = min(seen)
    weights = [1.0 / (1 + n - fewest) ** 2 for n in seen]
    a, b = rng.choices(pairs, weights=weights, k=1)[0]
    return (a, b) if rng.random() < 0.5 else (b, a)


@dataclass(frozen=True)
class PairTicket:
    survey_id: int
    left_id: int
    right_id: int


def pair_token(*, survey_id: int, left_id: int, right_id: int) -> str:
    payload = {"s": survey_id, "l": left_id, "r": right_id, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=PAIR_SALT)


def read_pair_token(token: str, *, survey_id: int) -> PairTicket | None:
    """The pair a genuine, unexpired ticket for `survey_id` names; None otherwise."""
    try:
        payload = signing.loads(token, salt=PAIR_SALT, max_age=TOKEN_MAX_AGE)
        ticket = PairTicket(int(payload["s"]), int(payload["l"]), int(payload["r"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if ticket.survey_id != survey_id or ticket.left_id == ticket.right_id:
        return None
    return ticket


def claim_token(token: str) -> bool:
    """Mark the ticket used; False if it was used before.

    `cache.add` is atomic, so of two requests with the same ticket exactly one
    claims it. The mark outlives the ticket's own validity.
    """
    digest = hashlib.sha256(token.encode()).hexdigest()
    return bool(cache.add(f"priorities:pair-used:{digest}", 1, timeout=TOKEN_MAX_AGE + 60))
