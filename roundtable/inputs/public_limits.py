"""Rate limits on the public pages: the input form and API, receipt look-ups,
and event registration.

Counted per client by `roundtable.core.ratelimit` (a keyed hash in the cache
that expires with its window; no address is stored anywhere). The web form and
the API share one counter, so switching between them gains nothing.

A use is counted *before* the action it limits, and the count that comes back
decides: the cache's atomic increment gives parallel requests distinct counts,
so a burst cannot all pass a check made before any of them was counted. A form
sent back for correction is not an action and costs nothing; an action the
service then refuses has been counted all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from roundtable.core import ratelimit


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window_seconds: int

    @property
    def window_minutes(self) -> int:
        return max(1, -(-self.window_seconds // 60))


def submissions() -> Limit:
    """Inputs through the public form or the public API (one shared counter)."""
    return Limit(
        "public-input",
        settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT,
        settings.ROUNDTABLE_PUBLIC_INPUT_WINDOW,
    )


def registrations() -> Limit:
    """Registrations for public events: as many as inputs, counted apart."""
    return Limit(
        "event-registration",
        settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT,
        settings.ROUNDTABLE_PUBLIC_INPUT_WINDOW,
    )


def opinion_votes() -> Limit:
    """Votes in opinion conversations, on the vote page and the public API alike."""
    return Limit(
        "opinion-vote",
        settings.ROUNDTABLE_OPINION_VOTE_LIMIT,
        settings.ROUNDTABLE_OPINION_VOTE_WINDOW,
    )


def opinion_statements() -> Limit:
    """Participants' own statements in opinion conversations (page and API)."""
    return Limit(
        "opinion-statement",
        settings.ROUNDTABLE_OPINION_STATEMENT_LIMIT,
        settings.ROUNDTABLE_OPINION_STATEMENT_WINDOW,
    )


def survey_responses() -> Limit:
    """Answers to surveys through their open links (QR codes included)."""
    return Limit(
        "survey-response",
        settings.ROUNDTABLE_SURVEY_RESPONSE_LIMIT,
        settings.ROUNDTABLE_SURVEY_RESPONSE_WINDOW,
    )


# Enough for a person checking their codes; far too few to guess one.
LOOKUPS = Limit("receipt-lookup", 60, 3600)


def exceeded(request: HttpRequest, limit: Limit) -> bool:
    """Count one use by this client; True when it goes beyond `limit` (refuse it)."""
    identity = ratelimit.client_identity(request)
    used = ratelimit.hit(limit.scope, identity, window_seconds=limit.window_seconds)
    return used > limit.limit
