"""Rate limits on the public form, the public API and receipt lookups.

Counted per client by `roundtable.core.ratelimit` (a keyed hash in the cache
that expires with its window; no address is stored anywhere). The web form and
the API share one counter, so switching between them gains nothing.
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
    return Limit(
        "public-input",
        settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT,
        settings.ROUNDTABLE_PUBLIC_INPUT_WINDOW,
    )


# Enough for a person checking their codes; far too few to guess one.
LOOKUPS = Limit("receipt-lookup", 60, 3600)


def is_limited(request: HttpRequest, limit: Limit) -> bool:
    identity = ratelimit.client_identity(request)
    return ratelimit.is_limited(limit.scope, identity, limit=limit.limit)


def count(request: HttpRequest, limit: Limit) -> None:
    identity = ratelimit.client_identity(request)
    ratelimit.hit(limit.scope, identity, window_seconds=limit.window_seconds)
